/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU initialisation every hart runs, and waiting for interrupts. */
#include <hartix/irq.h>
#include <hartix/smp.h>
#include <hartix/softlockup.h>
#include <hartix/timer.h>
#include <asm/csr.h>
#include <asm/irqflags.h>

#define SCOUNTEREN_CY_TM_IR 0x7
#define OVERFLOW_STACK_SIZE 2048

/* Where trap entry reports a kernel stack pointer gone bad (entry.S). */
static u8 overflow_stacks[NR_CPUS][OVERFLOW_STACK_SIZE] __aligned(16);

unsigned long overflow_stack_top(unsigned int cpu)
{
	return (unsigned long)overflow_stacks[cpu + 1];
}

unsigned int num_online_cpus(void)
{
	return cpumask_weight(&cpu_online_mask);
}

void cpu_init_early(void)
{
	/* 0 in sscratch tells trap entry the trap came from the kernel. */
	csr_write(CSR_SSCRATCH, 0);
	/* Locks count preemption from the first one (sched_cpu_init() moves it). */
	this_cpu()->preempt_count = &this_cpu()->boot_preempt;
	/* User memory only inside uaccess; whatever the firmware left. */
	csr_clear(CSR_SSTATUS, SR_FS | SR_SIE | SR_SUM);
	/* User mode may read cycle, time and instret (rdtime in benchmarks). */
	csr_write(CSR_SCOUNTEREN, SCOUNTEREN_CY_TM_IR);
}

void cpu_init_late(void)
{
	timer_cpu_init();
	irq_cpu_init();
	csr_set(CSR_SIE, SIE_SSIE | SIE_STIE);
	local_irq_enable();
}

/*
 * wfi wakes on a pending enabled interrupt even with sstatus.SIE clear, so
 * checking a condition with interrupts masked and then calling this cannot
 * miss the wake-up.
 */
void cpu_wait_for_interrupt(void)
{
	/* A hart waiting for work is not stuck. */
	touch_softlockup_watchdog();
	__asm__ __volatile__("wfi" ::: "memory");
	local_irq_enable();
	local_irq_disable();
}
