/* SPDX-License-Identifier: BSD-2-Clause */
/* The current hart's per-CPU area: kept in tp while in the kernel. */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#ifdef __ASSEMBLY__
#include <generated/asm-offsets.h> /* CPU_* offsets into struct cpu */
#else

struct cpu;

/*
 * volatile: a task that called schedule() may resume on another hart,
 * whose tp differs, so the compiler must not reuse a value read before.
 */
static inline struct cpu *this_cpu(void)
{
	struct cpu *cpu;

	__asm__ __volatile__("mv %0, tp" : "=r"(cpu));
	return cpu;
}

static inline void set_this_cpu(struct cpu *cpu)
{
	__asm__ __volatile__("mv tp, %0" : : "r"(cpu) : "memory");
}
#endif

#endif
