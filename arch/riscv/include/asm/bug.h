/* SPDX-License-Identifier: BSD-2-Clause */
/* BUG() and WARN() as ebreak plus a table entry naming the source line. */
#ifndef ASM_BUG_H
#define ASM_BUG_H

#include <hartix/types.h>

#define BUGFLAG_WARNING 1

struct bug_entry {
	unsigned long addr;
	const char *file;
	u16 line;
	u16 flags;
};

#define __BUG_FLAGS(flags)                                                 \
	__asm__ __volatile__("1:	ebreak\n"                          \
			     "	.pushsection __bug_table, \"a\"\n"         \
			     "	.balign 8\n"                               \
			     "	.dword 1b, %0\n"                           \
			     "	.short %1, %2\n"                           \
			     "	.balign 8\n"                               \
			     "	.popsection\n"                             \
			     : : "i"(__FILE__), "i"(__LINE__), "i"(flags))

struct pt_regs;

/* Trap code, on a breakpoint: true if it was a WARN that may continue. */
bool report_bug(struct pt_regs *regs);

#endif
