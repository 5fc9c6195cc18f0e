/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * linux_static_exit: the smallest Linux riscv64 program, built with the
 * Linux toolchain (not the Hartix one) to test that Hartix runs binaries
 * made elsewhere. No libc: its own _start calls exit(42) (__NR_exit, 93).
 *
 * Build (Debian: apt-get install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross):
 *
 *	riscv64-linux-gnu-gcc -static -nostdlib -fno-stack-protector -O2 \
 *		-o linux_static_exit user/examples/linux_static_exit.c
 *
 * Run:
 *
 *	qemu-riscv64 ./linux_static_exit; echo $?	# prints 42
 *
 * The result is a static ET_EXEC whose first PT_LOAD also maps the ELF
 * header (text at 0x10000 plus the headers), with PT_RISCV_ATTRIBUTES and
 * PT_GNU_STACK program headers and a build-id note: a loader must accept
 * what GNU ld makes by default, not only Hartix's own linker script.
 */
#define NR_EXIT 93

void _start(void) __attribute__((noreturn));

void _start(void)
{
	register long a0 __asm__("a0") = 42;
	register long a7 __asm__("a7") = NR_EXIT;

	for (;;)
		__asm__ volatile("ecall" : : "r"(a0), "r"(a7) : "memory");
}
