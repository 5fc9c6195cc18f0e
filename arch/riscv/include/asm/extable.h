/* SPDX-License-Identifier: BSD-2-Clause */
/* The exception table: an instruction that may fault, and where to resume if it does. */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/types.h>

/* Offsets from the entry itself keep the table position independent and small. */
struct exception_table_entry {
	s32 insn, fixup;
};

#define _ASM_EXTABLE(insn, fixup)                                        \
	"	.pushsection __ex_table, \"a\"\n"                        \
	"	.balign 4\n"                                             \
	"	.long (" #insn ") - .\n"                                 \
	"	.long (" #fixup ") - .\n"                                \
	"	.popsection\n"

struct pt_regs;

/* Trap code: resume at the fixup if the faulting pc has one. */
bool fixup_exception(struct pt_regs *regs);

/*
 * Reads an unsigned long that may not be mapped: 0 or -EFAULT. The fixup
 * path sets the error and a zero value and jumps back past the load.
 */
static inline int read_ulong_nofault(const unsigned long *p,
				     unsigned long *out)
{
	unsigned long v;
	int err = 0;

	__asm__ __volatile__("1:	ld %[v], 0(%[p])\n"
			     "2:\n"
			     "	.pushsection .fixup, \"ax\"\n"
			     "3:	li %[err], %[efault]\n"
			     "	li %[v], 0\n"
			     "	j 2b\n"
			     "	.popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : [v] "=&r"(v), [err] "+r"(err)
			     : [p] "r"(p), [efault] "i"(-EFAULT)
			     : "memory");
	*out = v;
	return err;
}

/* Writes an unsigned long where a store may fault: 0 or -EFAULT. */
static inline int write_ulong_nofault(unsigned long *p, unsigned long v)
{
	int err = 0;

	__asm__ __volatile__("1:	sd %[v], 0(%[p])\n"
			     "2:\n"
			     "	.pushsection .fixup, \"ax\"\n"
			     "3:	li %[err], %[efault]\n"
			     "	j 2b\n"
			     "	.popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : [err] "+r"(err)
			     : [p] "r"(p), [v] "r"(v), [efault] "i"(-EFAULT)
			     : "memory");
	return err;
}

#endif
