/* SPDX-License-Identifier: BSD-2-Clause */
/* -fstack-protector-strong's canary and what happens when a function finds it overwritten. */
#include <hartix/kallsyms.h>
#include <hartix/kernel.h>

/*
 * GCC's RISC-V code reads this one global (-mstack-protector-guard=global).
 * arch/riscv/boot/early.c sets it from the boot seed before any protected
 * function runs; it never changes after, since frames live across a change.
 */
unsigned long __stack_chk_guard;

void __noreturn __stack_chk_fail(void);

void __noreturn __stack_chk_fail(void)
{
	char sym[96];

	panic("stack-protector: Kernel stack is corrupted in: %s",
	      sprint_backtrace(sym, sizeof(sym),
			       (unsigned long)__builtin_return_address(0)));
}
