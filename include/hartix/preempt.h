/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel preemption (CONFIG_PREEMPT): the count that keeps the running task on its hart, and cond_resched(). */
#ifndef HARTIX_PREEMPT_H
#define HARTIX_PREEMPT_H

#include <hartix/compiler.h>
#include <hartix/smp.h>
#include <hartix/types.h>

/*
 * The count lives in the running task (struct task.preempt_count);
 * struct cpu.preempt_count points at it and schedule() moves the pointer.
 * The count is per task, not per hart, because its read-modify-write is
 * three instructions: a task preempted between the load and the store
 * resumes on another hart, and must store into its own count, not into
 * the hart it left. Only the running task changes its count.
 */
static inline int *preempt_count_ptr(void)
{
	return this_cpu_read(preempt_count);
}

/*
 * Switches now if a reschedule is due and the running task may be switched
 * out here: count 0, interrupts on, not on its way to sleep.
 */
void preempt_schedule(void);

#ifdef CONFIG_PREEMPT
/* Nonzero: the running task is not switched out except by its own sleep. */
static inline int preempt_count(void)
{
	return READ_ONCE(*preempt_count_ptr());
}

static inline void preempt_disable(void)
{
	++*preempt_count_ptr();
	barrier();
}

/* For schedule() itself and paths that reschedule right after. */
static inline void preempt_enable_no_resched(void)
{
	barrier();
	--*preempt_count_ptr();
}

static inline void preempt_enable(void)
{
	barrier();
	if (--*preempt_count_ptr() == 0 &&
	    unlikely(READ_ONCE(this_cpu()->need_resched)))
		preempt_schedule();
}
#else
static inline int preempt_count(void)
{
	return 0;
}

static inline void preempt_disable(void)
{
	barrier();
}

static inline void preempt_enable_no_resched(void)
{
	barrier();
}

static inline void preempt_enable(void)
{
	barrier();
}
#endif

/*
 * From the interrupt exit to kernel mode (trap.c) when the interrupted
 * code had interrupts on: switches if the count is 0 and one is due.
 */
void preempt_schedule_irq(void);

/*
 * A voluntary preemption point for loops whose length user input decides:
 * switches if this hart's time slice is over. Sleeping context only (no
 * spinlock held, interrupts on). Without CONFIG_PREEMPT these are the
 * only points where such a loop lets other tasks run.
 */
static inline void cond_resched(void)
{
	if (unlikely(READ_ONCE(this_cpu()->need_resched)))
		preempt_schedule();
}

#endif
