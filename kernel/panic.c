/* panic() and die(): report, stop, and power off with a failure status. */
#include <hartix/kernel.h>
#include <hartix/reboot.h>
#include <hartix/smp.h>
#include <hartix/sprintf.h>
#include <hartix/time.h>
#include <asm/irqflags.h>
#include <asm/ptrace.h>
#include <asm/sbi.h>
#include <asm/stacktrace.h>

static int panic_depth;

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

	local_irq_disable();
	if (__atomic_fetch_add(&panic_depth, 1, __ATOMIC_RELAXED)) {
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
