/* SPDX-License-Identifier: BSD-2-Clause */
/* panic(), BUG_ON() and WARN_ON(): the kernel's ways to stop or complain. */
#ifndef HARTIX_KERNEL_H
#define HARTIX_KERNEL_H

#include <hartix/compiler.h>
#include <hartix/printk.h>
#include <asm/bug.h>

struct pt_regs;

__printf(1, 2) __noreturn void panic(const char *fmt, ...);

/* An exception the kernel cannot handle: registers, backtrace, panic. */
__noreturn void die(struct pt_regs *regs, const char *what);

/* Both trap with ebreak: registers and backtrace come from the trap frame. */
#define BUG()                            \
	do {                             \
		__BUG_FLAGS(0);          \
		__builtin_unreachable(); \
	} while (0)

#define BUG_ON(cond)                \
	do {                        \
		if (unlikely(cond)) \
			BUG();      \
	} while (0)

/* Prints the location and a backtrace, then continues. */
#define WARN_ON(cond)                                    \
	({                                               \
		bool __c = !!(cond);                     \
		if (unlikely(__c))                       \
			__BUG_FLAGS(BUGFLAG_WARNING);    \
		__c;                                     \
	})

void dump_stack(void);

#endif
