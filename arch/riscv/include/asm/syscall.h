/* SPDX-License-Identifier: BSD-2-Clause */
/* RISC-V system call entry stubs: the full-frame wrapper SYSCALL_FULL_FRAME() asks for. */
#ifndef ASM_SYSCALL_H
#define ASM_SYSCALL_H

/*
 * __full_sys_<name>: jumps to syscall_full_frame (entry.S) with the entry
 * point in t0; the arguments are still in a0-a5 and sp is the frame.
 * PC-relative, so it works wherever the kernel is loaded.
 */
#define ARCH_SYSCALL_FULL_FRAME(name)                                        \
	__asm__(".pushsection .text\n"                                       \
		".globl __full_sys_" #name "\n"                              \
		".balign 4\n"                                                \
		"__full_sys_" #name ":\n"                                    \
		"	lla	t0, __se_sys_" #name "\n"                     \
		"	j	syscall_full_frame\n"                         \
		".popsection")

#endif
