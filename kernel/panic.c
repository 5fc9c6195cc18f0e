/* SPDX-License-Identifier: BSD-2-Clause */
/* panic() and die(): report, stop, and power off with a failure status. */
#include <hartix/kaslr.h>
#include <hartix/kernel.h>
#include <hartix/reboot.h>
#include <hartix/smp.h>
#include <hartix/sprintf.h>
#include <hartix/time.h>
#include <asm/irqflags.h>
#include <asm/page.h>
#include <asm/ptrace.h>
#include <asm/sbi.h>
#include <asm/stacktrace.h>

/* The CPU reporting a panic, or -1. */
static long panic_cpu = -1;

static void panic_delay(void)
{
	u64 end;

	if (!CONFIG_PANIC_TIMEOUT)
		return;
	pr_emerg("Powering off in %d seconds\n", CONFIG_PANIC_TIMEOUT);
	end = get_ticks() + (u64)CONFIG_PANIC_TIMEOUT * timebase_freq;
	while (get_ticks() < end)
		;
}

void panic(const char *fmt, ...)
{
	static char msg[256];
	va_list ap;

	long me = smp_processor_id(), none = -1;

	local_irq_disable();
	if (!__atomic_compare_exchange_n(&panic_cpu, &none, me, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (none != me) {
			/*
			 * Another hart is reporting: let it. Interrupts are off, so
			 * no stop IPI would reach us: leave the online set now.
			 */
			cpumask_clear_cpu(&cpu_online_mask, smp_processor_id());
			for (;;)
				__asm__ __volatile__("wfi");
		}
		/* A panic while panicking: say so without touching printk. */
		static const char again[] = "\nKernel panic: recursive panic\n";

		sbi_console_write(again, sizeof(again) - 1);
		machine_power_off(EXIT_PANIC);
	}
	printk_enter_panic();
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s\n", msg);
	show_backtrace(NULL, KERN_EMERG);
	if (kaslr_offset())
		pr_emerg("Kernel Offset: %#lx from %#lx\n", kaslr_offset(),
			 KERNEL_LINK_ADDR);
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	panic_delay();
	machine_power_off(EXIT_PANIC);
}

void die(struct pt_regs *regs, const char *what)
{
	printk_enter_panic();
	pr_emerg("Oops: %s on hart %lu, cpu %u\n", what, current_hartid(),
		 smp_processor_id());
	show_regs(regs);
	show_backtrace(regs, KERN_EMERG);
	panic("Fatal exception: %s", what);
}
