/* SPDX-License-Identifier: BSD-2-Clause */
/* The cross-CPU calls of a uniprocessor kernel: the only CPU is this one. */
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/smp.h>
#include <asm/irqflags.h>

void smp_call_function(const cpumask_t *mask, void (*fn)(void *arg),
		       void *arg, bool wait)
{
	unsigned long flags;

	if (!cpumask_test(mask, 0))
		return;
	flags = local_irq_save();
	fn(arg);
	local_irq_restore(flags);
}

void on_each_cpu(void (*fn)(void *arg), void *arg, bool wait)
{
	smp_call_function(&cpu_online_mask, fn, arg, wait);
}

/* No other CPU to interrupt or stop. */
void smp_send_reschedule(unsigned int cpu)
{
}

void smp_send_stop(void)
{
}

/* No IPI to ask with: the only CPU is the one asking. */
int smp_backtrace(unsigned int cpu, unsigned int timeout_ms)
{
	if (cpu)
		return -ENODEV;
	pr_warn("CPU0 (hart %lu) is the CPU asking for its backtrace:\n",
		current_hartid());
	dump_stack();
	return 0;
}
