/* SPDX-License-Identifier: BSD-2-Clause */
/* RISC-V PLIC: routes device interrupts to each hart's S-mode context. */
#include <hartix/device.h>
#include <hartix/errno.h>
#include <hartix/fdt_platform.h>
#include <hartix/io.h>
#include <hartix/irq.h>
#include <hartix/printk.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/sprintf.h>
#include <asm/csr.h>

#define PLIC_PRIORITY(irq) (4UL * (irq))
#define PLIC_ENABLE(ctx, irq) (0x2000UL + 0x80UL * (ctx) + 4UL * ((irq) / 32))
#define PLIC_THRESHOLD(ctx) (0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx) (0x200004UL + 0x1000UL * (ctx))

/*
 * Filled by the boot hart in plic_probe() before the chip is registered,
 * read-only afterwards (irqchip_register() publishes it with a release).
 */
static void *plic_base;
static struct fdt_plic_info plic_info;

/*
 * plic_enable_lock serialises the read-modify-write of the enable words,
 * each of which holds the bits of 32 sources. Priority and threshold
 * writes are single stores of registers only one party writes; claim and
 * complete are per context, and a context belongs to one hart.
 */
static DEFINE_SPINLOCK(plic_enable_lock);

static void *plic_reg(unsigned long offset)
{
	return (char *)plic_base + offset;
}

/* Caller holds plic_enable_lock. */
static void plic_set_enable(unsigned int ctx, unsigned int irq, bool on)
{
	void *reg = plic_reg(PLIC_ENABLE(ctx, irq));
	u32 bit = 1U << (irq % 32), v = readl(reg);

	writel(on ? v | bit : v & ~bit, reg);
}

static void plic_disable(unsigned int irq)
{
	unsigned long flags = spin_lock_irqsave(&plic_enable_lock);
	unsigned int i;

	for (i = 0; i < plic_info.nr_s; i++)
		plic_set_enable(plic_info.s_ctx[i].context, irq, false);
	spin_unlock_irqrestore(&plic_enable_lock, flags);
}

static void plic_enable(unsigned int irq, unsigned int cpu)
{
	unsigned long hartid = cpu < NR_CPUS ? cpu_hartid(cpu) : 0;
	int ctx = cpu < NR_CPUS ? fdt_plic_context_of(&plic_info, hartid) : -1;
	unsigned long flags;
	unsigned int i;

	if (ctx < 0) {
		pr_warn("plic: CPU %u (hart %lu) has no S-mode context: irq %u not routed\n",
			cpu, hartid, irq);
		return;
	}
	/* Under one lock hold, so no hart ever sees the irq in two contexts. */
	flags = spin_lock_irqsave(&plic_enable_lock);
	for (i = 0; i < plic_info.nr_s; i++)
		plic_set_enable(plic_info.s_ctx[i].context, irq, false);
	plic_set_enable((unsigned int)ctx, irq, true);
	spin_unlock_irqrestore(&plic_enable_lock, flags);
}

static int this_context(void)
{
	return fdt_plic_context_of(&plic_info, current_hartid());
}

static unsigned int plic_claim(void)
{
	int ctx = this_context();

	return ctx < 0 ? 0 : readl(plic_reg(PLIC_CLAIM(ctx)));
}

static void plic_complete(unsigned int irq)
{
	int ctx = this_context();

	if (ctx >= 0)
		writel(irq, plic_reg(PLIC_CLAIM(ctx)));
}

static void plic_cpu_init(void)
{
	int ctx = this_context();

	if (ctx < 0) {
		pr_warn("plic: hart %lu has no S-mode context: no device interrupts on it\n",
			current_hartid());
		return;
	}
	/* Threshold 0 lets through every source of priority 1 and up. */
	writel(0, plic_reg(PLIC_THRESHOLD(ctx)));
	csr_set(CSR_SIE, SIE_SEIE);
}

static struct irqchip plic_chip = {
	.name = "plic",
	.enable = plic_enable,
	.disable = plic_disable,
	.claim = plic_claim,
	.complete = plic_complete,
	.cpu_init = plic_cpu_init,
};

unsigned int plic_nr_s_contexts(void)
{
	return plic_base ? plic_info.nr_s : 0;
}

u32 plic_enable_word(unsigned int i, unsigned int irq, u64 *hartid)
{
	*hartid = plic_info.s_ctx[i].hartid;
	return readl(plic_reg(PLIC_ENABLE(plic_info.s_ctx[i].context, irq)));
}

/* "hart0->1 hart1->3 ...", split to stay within a printk line. */
static void plic_print_contexts(const struct device *dev)
{
	char line[160];
	size_t n = 0;
	unsigned int i;

	if (!plic_info.nr_s)
		pr_warn("%s: no S-mode context: no device interrupts\n", dev->name);
	for (i = 0; i < plic_info.nr_s; i++) {
		n += scnprintf(line + n, sizeof(line) - n, " hart%llu->%u",
			       (unsigned long long)plic_info.s_ctx[i].hartid,
			       plic_info.s_ctx[i].context);
		/* An entry takes at most 37 characters. */
		if (n > sizeof(line) - 48 || i + 1 == plic_info.nr_s) {
			pr_info("%s: S-mode contexts:%s\n", dev->name, line);
			n = 0;
		}
	}
}

/*
 * Priority and enable registers are WARL: where nothing is implemented
 * they read back 0. Probe-time only, while every source is still masked.
 */
static bool plic_source_works(unsigned int irq)
{
	void *en = plic_info.nr_s ?
		plic_reg(PLIC_ENABLE(plic_info.s_ctx[0].context, irq)) : NULL;
	u32 bit = 1U << (irq % 32);
	bool ok = readl(plic_reg(PLIC_PRIORITY(irq))) != 0;

	if (ok && en) {
		writel(bit, en);
		ok = readl(en) & bit;
		writel(0, en);
	}
	return ok;
}

static int plic_probe(struct device *dev)
{
	unsigned int i, irq, top = 0;
	const char *why;
	u32 dt_ndev;
	u64 need;

	if (plic_base)
		return -EBUSY; /* one irqchip only: irq numbers are global */
	if (fdt_plic_parse(dev->fdt, dev->node, &plic_info, &why)) {
		pr_warn("%s: %s\n", dev->name, why);
		return -EINVAL;
	}
	for (i = 0; i < plic_info.nr_s; i++)
		top = max(top, plic_info.s_ctx[i].context);
	need = PLIC_PRIORITY(plic_info.ndev) + 4;
	if (plic_info.nr_s)
		need = max(need, (u64)PLIC_CLAIM(top) + 4);
	if (plic_info.size < need) {
		pr_warn("%s: reg size %#llx does not cover its registers\n",
			dev->name, (unsigned long long)plic_info.size);
		return -EINVAL;
	}
	plic_base = ioremap(plic_info.base, plic_info.size);
	if (!plic_base)
		return -EINVAL;

	/*
	 * Firmware may leave sources enabled: mask everything in the S
	 * contexts, so only what request_irq() unmasks can arrive. Priority
	 * 0 would disable a source, 1 gives all the same priority.
	 */
	for (irq = 1; irq <= plic_info.ndev; irq++)
		writel(1, plic_reg(PLIC_PRIORITY(irq)));
	/*
	 * An irq that can never be unmasked must not be requestable: drop
	 * the top sources that do not work. QEMU 7.2's virt says
	 * riscv,ndev = 96, yet its source 96 has no enable bit.
	 */
	dt_ndev = plic_info.ndev;
	while (plic_info.ndev && !plic_source_works(plic_info.ndev))
		plic_info.ndev--;
	if (plic_info.ndev != dt_ndev)
		pr_info("%s: riscv,ndev is %u, but sources above %u cannot be enabled\n",
			dev->name, dt_ndev, plic_info.ndev);
	for (i = 0; i < plic_info.nr_s; i++)
		for (irq = 0; irq <= plic_info.ndev; irq += 32)
			writel(0, plic_reg(PLIC_ENABLE(plic_info.s_ctx[i].context,
						       irq)));

	pr_info("%s: PLIC at %#llx, %u sources, %u contexts (%u S-mode)\n",
		dev->name, (unsigned long long)plic_info.base, plic_info.ndev,
		plic_info.nr_contexts, plic_info.nr_s);
	plic_print_contexts(dev);
	plic_chip.nr_irqs = plic_info.ndev;
	irqchip_register(&plic_chip);
	return 0;
}

static const struct of_device_id plic_ids[] = {
	{ "riscv,plic0", NULL },
	{ "sifive,plic-1.0.0", NULL },
	{ "starfive,jh7110-plic", NULL },
	{ NULL, NULL },
};

static const struct driver plic_driver = {
	.name = "plic",
	.of_match = plic_ids,
	.stage = DRIVER_STAGE_IRQCHIP,
	.probe = plic_probe,
};
driver_register(plic_driver);
