/* The cross-CPU calls of a uniprocessor kernel: the only CPU is this one. */
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
