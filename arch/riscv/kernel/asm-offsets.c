/* SPDX-License-Identifier: BSD-2-Clause */
/* Offsets of C structures for assembly: the build compiles this to asm-offsets.s and makes include/generated/asm-offsets.h of it. */
#include <hartix/compiler.h>
#include <hartix/syscalls.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <asm/fpu.h>
#include <asm/ptrace.h>

/*
 * Each DEFINE leaves a "->NAME value" line in the compiler's assembly
 * output; the Makefile's sed turns those into #defines (Linux's method).
 */
#define DEFINE(sym, val) \
	__asm__ __volatile__("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(struct str, mem))

/* entry.S addresses register n of the frame as PT_REG(n): slot n is xn. */
BUILD_BUG_ON(__builtin_offsetof(struct pt_regs, ra) != PT_REG(1));
BUILD_BUG_ON(__builtin_offsetof(struct pt_regs, t6) != PT_REG(31));
/* The fast path tests need_resched with lbu and the pending set with ld. */
BUILD_BUG_ON(sizeof(((struct cpu *)0)->need_resched) != 1);
BUILD_BUG_ON(sizeof(((struct task *)0)->sig.work) != 8);

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(PT_EPC, pt_regs, epc);
	OFFSET(PT_STATUS, pt_regs, status);
	OFFSET(PT_CAUSE, pt_regs, cause);
	OFFSET(PT_TVAL, pt_regs, tval);
	OFFSET(PT_ORIG_A0, pt_regs, orig_a0);
	DEFINE(PT_SIZE, PT_SIZE);

	OFFSET(CPU_HARTID, cpu, hartid);
	OFFSET(CPU_STACK_LO, cpu, stack_lo);
	OFFSET(CPU_STACK_HI, cpu, stack_hi);
	OFFSET(CPU_OVERFLOW_SP, cpu, overflow_sp);
	OFFSET(CPU_SCRATCH, cpu, scratch);
	OFFSET(CPU_NEED_RESCHED, cpu, need_resched);
	OFFSET(CPU_CURRENT, cpu, current);
	OFFSET(CPU_SYSCALLS, cpu, syscalls);

	OFFSET(TASK_SIG_WORK, task, sig.work);
	DEFINE(NR_SYSCALLS, NR_SYSCALLS);

	OFFSET(CTX_RA, task_context, ra);
	OFFSET(CTX_SP, task_context, sp);
	OFFSET(CTX_S0, task_context, s);

#ifdef CONFIG_FPU
	OFFSET(FPU_FCSR, fpu_state, fcsr);
#endif
}
