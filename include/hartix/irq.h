/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupts: the platform interrupt controller and the handlers drivers register. */
#ifndef HARTIX_IRQ_H
#define HARTIX_IRQ_H

#include <hartix/types.h>

typedef void (*irq_handler_t)(unsigned int irq, void *data);

/* The external interrupt controller (the PLIC), registered by its driver. */
struct irqchip {
	const char *name;
	unsigned int nr_irqs; /* valid interrupt numbers are 1..nr_irqs */
	/* Route irq to logical CPU cpu only, and unmask it there. */
	void (*enable)(unsigned int irq, unsigned int cpu);
	void (*disable)(unsigned int irq);
	/* On the current hart: the highest pending irq, or 0 for none. */
	unsigned int (*claim)(void);
	void (*complete)(unsigned int irq);
	/* Runs on every hart as it comes online, before interrupts are on. */
	void (*cpu_init)(void);
};

void irqchip_register(const struct irqchip *chip);

/*
 * Installs handler for irq and enables it (routed to CPU 0). 0, or
 * -ENODEV without an irqchip, -EINVAL for a bad number, -EBUSY if taken.
 */
int request_irq(unsigned int irq, irq_handler_t handler, void *data);
/*
 * Masks irq and waits until a handler already running on another hart
 * has returned, so its data may be freed. Not while holding a lock that
 * handler takes.
 */
void free_irq(unsigned int irq);

/* Trap code: a supervisor external interrupt arrived on this hart. */
void handle_external_irq(void);

/* Per-CPU late init: set up this hart's irqchip context. */
void irq_cpu_init(void);

/* Valid interrupt numbers are 1..irq_nr_irqs(); 0 without an irqchip. */
unsigned int irq_nr_irqs(void);
/* How many times irq was claimed since boot, in all and by one CPU. */
u64 irq_count(unsigned int irq);
u64 irq_count_cpu(unsigned int irq, unsigned int cpu);
/* Names irq's user for /proc/interrupts; name must stay (a literal). */
void irq_set_name(unsigned int irq, const char *name);
/* irq's name ("" unnamed), or NULL when nobody requested it. */
const char *irq_name(unsigned int irq);
/* The interrupt controller's name, or NULL without one. */
const char *irq_chip_name(void);
/* The handler installed for irq (to name it in reports), or NULL. */
irq_handler_t irq_get_handler(unsigned int irq);

/*
 * Test hooks of the PLIC driver: its S-mode contexts (0 when no PLIC was
 * probed) and, for the i-th of them, the enable word holding irq and the
 * hart the context belongs to.
 */
unsigned int plic_nr_s_contexts(void);
u32 plic_enable_word(unsigned int i, unsigned int irq, u64 *hartid);

#endif
