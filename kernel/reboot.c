/* SPDX-License-Identifier: BSD-2-Clause */
/* machine_power_off() and machine_restart(): registered handlers, then SBI system reset. */
#include <hartix/printk.h>
#include <hartix/reboot.h>
#include <hartix/smp.h>
#include <asm/irqflags.h>
#include <asm/sbi.h>

#define MAX_POWER_OFF_HANDLERS 4

/*
 * Registered by drivers while the boot hart probes them, before any other
 * hart runs; read-only afterwards, so no lock.
 */
static struct power_off_handler *handlers[MAX_POWER_OFF_HANDLERS];
static int nr_handlers;

void register_power_off_handler(struct power_off_handler *h)
{
	int i;

	if (nr_handlers == MAX_POWER_OFF_HANDLERS) {
		pr_warn("power-off: %s not registered, table full\n", h->name);
		return;
	}
	/* Keep the array sorted by priority, highest first. */
	for (i = nr_handlers; i > 0 && handlers[i - 1]->priority < h->priority;
	     i--)
		handlers[i] = handlers[i - 1];
	handlers[i] = h;
	nr_handlers++;
}

void machine_power_off(int status)
{
	int i, err;

	local_irq_disable();
	smp_send_stop();
	for (i = 0; i < nr_handlers; i++)
		handlers[i]->power_off(handlers[i], status);
	err = sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN,
			       status ? SBI_SRST_REASON_FAILURE :
					SBI_SRST_REASON_NONE);
	pr_emerg("power-off: no method worked (SBI system reset: error %d); halted\n",
		 err);
	for (;;)
		__asm__ __volatile__("wfi");
}

void machine_restart(void)
{
	int err;

	local_irq_disable();
	smp_send_stop();
	err = sbi_system_reset(SBI_SRST_TYPE_COLD_REBOOT, SBI_SRST_REASON_NONE);
	pr_emerg("reboot: SBI system reset failed (error %d); powering off\n",
		 err);
	machine_power_off(EXIT_FAILURE);
}
