/* SPDX-License-Identifier: BSD-2-Clause */
/* The register frame saved on every trap (entry.S takes the PT_* offsets from asm-offsets.h). */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#ifndef __ASSEMBLY__
#include <hartix/types.h>

struct pt_regs {
	unsigned long epc;
	unsigned long ra, sp, gp, tp;
	unsigned long t0, t1, t2;
	unsigned long s0, s1;
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	unsigned long t3, t4, t5, t6;
	unsigned long status, cause, tval;
	unsigned long orig_a0; /* a system call's first argument, for restarts */
};

/* Register i (1..31) of the frame, in ISA numbering; epc sits in slot 0. */
static inline unsigned long pt_regs_gpr(const struct pt_regs *regs, int i)
{
	return ((const unsigned long *)regs)[i];
}

void show_regs(const struct pt_regs *regs);
#endif

/* Register xn's slot (asm-offsets.c checks the layout); epc is slot 0. */
#define PT_REG(n) ((n) * 8)

#ifdef __ASSEMBLY__
#include <generated/asm-offsets.h>
#else
/* The frame's room on the stack: keeps sp 16-byte aligned. */
#define PT_SIZE ((sizeof(struct pt_regs) + 15) & ~15UL)
#endif

#endif
