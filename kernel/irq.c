/* SPDX-License-Identifier: BSD-2-Clause */
/* External interrupts: the irqchip, the handler table and dispatch of claimed irqs. */
#include <hartix/errno.h>
#include <hartix/irq.h>
#include <hartix/printk.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>

/* The PLIC numbers its sources 1..1023; a chip with more is clamped. */
#define MAX_IRQS 1023

struct irq_desc {
	irq_handler_t handler; /* NULL: free */
	void *data;
	u64 count[NR_CPUS]; /* claims since boot by each CPU, handled or not */
	const char *name; /* of its user, for /proc/interrupts */
	/*
	 * 1 + the CPU running handler right now, 0 if none. An irq claimed
	 * from the PLIC is not delivered again until it is completed, so at
	 * most one hart runs a given irq's handler at a time.
	 */
	unsigned int running_on;
	bool reported; /* "no handler" was printed since the last request */
};

/*
 * irq_lock protects the irq_descs and the registration of the chip;
 * running_on is set under it but cleared by its hart with a release
 * store (see dispatch()), count is also read by irq_count() without it.
 * Dispatch takes it only to snapshot handler and data: a global lock for
 * a few loads per interrupt is cheap at this scale and, unlike a lockless
 * read, can never pair one request's handler with another's data.
 * Lock order: irq_lock, then the chip's own lock.
 */
static DEFINE_SPINLOCK(irq_lock);
static struct irq_desc irq_descs[MAX_IRQS + 1];

/*
 * Set once, before interrupts can be delivered; published with a release
 * store after nr_irqs, so a hart that sees the chip sees its size too.
 */
static const struct irqchip *irqchip;
static unsigned int nr_irqs;

static const struct irqchip *get_chip(void)
{
	return __atomic_load_n(&irqchip, __ATOMIC_ACQUIRE);
}

void irqchip_register(const struct irqchip *chip)
{
	unsigned long flags = spin_lock_irqsave(&irq_lock);
	const struct irqchip *old = irqchip;

	if (!old) {
		nr_irqs = min(chip->nr_irqs, (unsigned int)MAX_IRQS);
		__atomic_store_n(&irqchip, chip, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&irq_lock, flags);

	if (old) {
		pr_warn("irq: %s not registered: %s already is the interrupt controller\n",
			chip->name, old->name);
		return;
	}
	if (chip->nr_irqs > MAX_IRQS)
		pr_warn("irq: %s has %u sources, only 1..%u are usable\n",
			chip->name, chip->nr_irqs, MAX_IRQS);
}

unsigned int irq_nr_irqs(void)
{
	return get_chip() ? nr_irqs : 0;
}

u64 irq_count_cpu(unsigned int irq, unsigned int cpu)
{
	if (irq == 0 || irq > irq_nr_irqs() || cpu >= NR_CPUS)
		return 0;
	/* A naturally aligned 64-bit load is single-copy atomic on RV64. */
	return READ_ONCE(irq_descs[irq].count[cpu]);
}

u64 irq_count(unsigned int irq)
{
	unsigned int cpu;
	u64 sum = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		sum += irq_count_cpu(irq, cpu);
	return sum;
}

void irq_set_name(unsigned int irq, const char *name)
{
	unsigned long flags;

	if (irq == 0 || irq > irq_nr_irqs())
		return;
	flags = spin_lock_irqsave(&irq_lock);
	irq_descs[irq].name = name;
	spin_unlock_irqrestore(&irq_lock, flags);
}

const char *irq_name(unsigned int irq)
{
	unsigned long flags;
	const char *name = NULL;

	if (irq == 0 || irq > irq_nr_irqs())
		return NULL;
	flags = spin_lock_irqsave(&irq_lock);
	if (irq_descs[irq].handler)
		name = irq_descs[irq].name ? irq_descs[irq].name : "";
	spin_unlock_irqrestore(&irq_lock, flags);
	return name;
}

const char *irq_chip_name(void)
{
	const struct irqchip *chip = get_chip();

	return chip ? chip->name : NULL;
}

irq_handler_t irq_get_handler(unsigned int irq)
{
	unsigned long flags;
	irq_handler_t h;

	if (irq == 0 || irq > irq_nr_irqs())
		return NULL;
	flags = spin_lock_irqsave(&irq_lock);
	h = irq_descs[irq].handler;
	spin_unlock_irqrestore(&irq_lock, flags);
	return h;
}

int request_irq(unsigned int irq, irq_handler_t handler, void *data)
{
	const struct irqchip *chip = get_chip();
	struct irq_desc *d;
	unsigned long flags;
	int ret = 0;

	if (!chip)
		return -ENODEV;
	if (irq == 0 || irq > nr_irqs || !handler)
		return -EINVAL;
	d = &irq_descs[irq];
	flags = spin_lock_irqsave(&irq_lock);
	if (d->handler) {
		ret = -EBUSY;
	} else {
		/* Set before the unmask: the first interrupt finds it. */
		d->handler = handler;
		d->data = data;
		d->reported = false;
		chip->enable(irq, 0);
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	return ret;
}

void free_irq(unsigned int irq)
{
	const struct irqchip *chip = get_chip();
	unsigned int me = smp_processor_id() + 1, on;
	struct irq_desc *d;
	unsigned long flags;
	bool was_free;

	if (!chip || irq == 0 || irq > nr_irqs) {
		pr_warn("irq: free_irq(%u): no such irq\n", irq);
		return;
	}
	d = &irq_descs[irq];
	flags = spin_lock_irqsave(&irq_lock);
	was_free = !d->handler;
	if (!was_free) {
		chip->disable(irq);
		d->handler = NULL;
		d->data = NULL;
		d->name = NULL;
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	if (was_free) {
		pr_warn("irq: free_irq(%u): not requested\n", irq);
		return;
	}

	/*
	 * Another hart may have taken its snapshot just before: wait until it
	 * has returned from the handler, so the caller may free data. From
	 * the irq's own handler (running_on == me) waiting would never end;
	 * the handler knows its own state.
	 */
	while ((on = __atomic_load_n(&d->running_on, __ATOMIC_ACQUIRE)) &&
	       on != me)
		cpu_relax();
}

/* Runs the handler of one claimed irq; the caller completes it. */
static void dispatch(const struct irqchip *chip, unsigned int irq)
{
	struct irq_desc *d = &irq_descs[irq];
	irq_handler_t handler;
	unsigned long flags;
	bool report = false;
	void *data;

	flags = spin_lock_irqsave(&irq_lock);
	d->count[smp_processor_id()]++;
	handler = d->handler;
	data = d->data;
	if (handler) {
		d->running_on = smp_processor_id() + 1;
	} else {
		/*
		 * Nobody wants it (or free_irq() won a race with this claim):
		 * mask it so a stuck line cannot storm, and say so once.
		 */
		chip->disable(irq);
		report = !d->reported;
		d->reported = true;
	}
	spin_unlock_irqrestore(&irq_lock, flags);

	if (report)
		pr_warn("irq %u: no handler, masked\n", irq);
	if (!handler)
		return;
	handler(irq, data);
	/* Release: the handler is done with data before free_irq() returns. */
	__atomic_store_n(&d->running_on, 0, __ATOMIC_RELEASE);
}

void handle_external_irq(void)
{
	const struct irqchip *chip = get_chip();
	unsigned int irq;

	if (!chip)
		return;
	while ((irq = chip->claim()) != 0) {
		if (irq <= nr_irqs)
			dispatch(chip, irq);
		else
			pr_warn("irq: %s claimed irq %u beyond %u\n", chip->name,
				irq, nr_irqs);
		chip->complete(irq);
	}
}

void irq_cpu_init(void)
{
	const struct irqchip *chip = get_chip();

	if (chip && chip->cpu_init)
		chip->cpu_init();
}
