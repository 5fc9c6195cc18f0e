/* SPDX-License-Identifier: BSD-2-Clause */
/* Inter-processor interrupts: cross-calls, reschedule, stop. */
#include <hartix/boot.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/fdt_scan.h>
#include <hartix/io.h>
#include <hartix/kernel.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <asm/irqflags.h>
#include <asm/ptrace.h>
#include <asm/sbi.h>
#include <asm/stacktrace.h>

#define STOP_TIMEOUT_MS 1000

struct call_data {
	struct call_data *next;
	void (*fn)(void *arg);
	void *arg;
	unsigned long busy; /* set by the sender, cleared when fn returned */
};

/*
 * A CPU's queue lock protects its list. A slot belongs to one (sender,
 * target) pair: only the sender fills it, after the target released it.
 */
struct call_queue {
	spinlock_t lock;
	struct call_data *head;
};

static struct call_queue call_queues[NR_CPUS];
/* Backtraces each CPU printed for IPI_BACKTRACE; written by that CPU only. */
static unsigned long backtraces_done[NR_CPUS];
static struct call_data call_slots[NR_CPUS][NR_CPUS]; /* [sender][target] */

/*
 * ACLINT SSWI: register k (a 32-bit word) raises the S-mode software
 * interrupt of the hart with id sswi_hartid[k], the k-th entry of the
 * device's interrupts-extended. Written once by smp_ipi_probe() before
 * the other harts start; NULL without the device.
 */
static u32 *sswi_regs;
static u64 sswi_hartid[FDT_MAX_CPUS];
static unsigned int sswi_nr;

void smp_ipi_probe(void)
{
	const void *fdt = boot_fdt;
	int node = fdt_node_by_compatible(fdt, -1, "riscv,aclint-sswi");
	const u32 *ie;
	u64 base, size, hartid;
	int len, intc, k;

	if (!IS_ENABLED(CONFIG_RISCV_ACLINT_SSWI) || node < 0 ||
	    !fdt_node_is_enabled(fdt, node) || fdt_reg(fdt, node, 0, &base, &size))
		return;
	ie = fdt_getprop(fdt, node, "interrupts-extended", &len);
	/* Pairs of <&cpu-intc 1>, one register of 4 bytes each. */
	for (k = 0; ie && k < len / 8 && k < FDT_MAX_CPUS && (u64)k < size / 4; k++) {
		intc = fdt_node_by_phandle(fdt, fdt32_ld(&ie[2 * k]));
		if (intc < 0 || fdt32_ld(&ie[2 * k + 1]) != IRQ_S_SOFT ||
		    fdt_reg(fdt, fdt_parent(fdt, intc), 0, &hartid, NULL))
			break;
		sswi_hartid[k] = hartid;
	}
	if (!k)
		return;
	sswi_regs = ioremap(base, (size_t)k * 4);
	if (sswi_regs) {
		sswi_nr = (unsigned int)k;
		pr_info("smp: IPIs through the ACLINT SSWI at %#llx\n",
			(unsigned long long)base);
	}
}

/* This hart's SSWI register, or NULL. */
static u32 *sswi_reg(unsigned int cpu)
{
	unsigned int k;

	for (k = 0; k < sswi_nr; k++)
		if (sswi_hartid[k] == cpu_hartid(cpu))
			return &sswi_regs[k];
	return NULL;
}

/* IPIs to every CPU of cpu_bits through the SSWI: false when one has no register. */
static bool sswi_send(u64 cpu_bits)
{
	u32 *reg[NR_CPUS];
	unsigned int cpu;

	if (!sswi_nr)
		return false;
	for (cpu = 0; cpu < NR_CPUS && cpu_bits >> cpu; cpu++)
		if ((cpu_bits & (1ULL << cpu)) && !(reg[cpu] = sswi_reg(cpu)))
			return false;
	/* writel()'s fence: ipi_pending is visible before the interrupt. */
	for (cpu = 0; cpu < NR_CPUS && cpu_bits >> cpu; cpu++)
		if (cpu_bits & (1ULL << cpu))
			writel(1, reg[cpu]);
	return true;
}

static void send_ipi(u64 cpu_bits, enum ipi_kind kind)
{
	u64 targets = 0;
	unsigned int cpu;
	int err;

	/*
	 * Only to CPUs that had no IPI of this kind pending: one that had is
	 * interrupted already, and its handle_ipi() has yet to take the bit
	 * (it does so after clearing SSIP), with what we did before it.
	 */
	for (cpu = 0; cpu < NR_CPUS && cpu_bits >> cpu; cpu++)
		if ((cpu_bits & (1ULL << cpu)) &&
		    !(__atomic_fetch_or(&cpus[cpu].ipi_pending, 1UL << kind,
					__ATOMIC_RELEASE) & (1UL << kind)))
			targets |= 1ULL << cpu;
	if (!targets || sswi_send(targets))
		return;
	err = sbi_send_ipi_cpus(targets);
	if (err)
		pr_err("smp: sending an IPI failed: %d\n", err);
}

/* Called functions always run with interrupts masked, wherever they run from. */
static void run_call_queue(void)
{
	struct call_queue *q = &call_queues[smp_processor_id()];
	unsigned long flags = spin_lock_irqsave(&q->lock);
	struct call_data *c = q->head, *next;

	q->head = NULL;
	spin_unlock(&q->lock);
	for (; c; c = next) {
		next = c->next;
		c->fn(c->arg);
		__atomic_store_n(&c->busy, 0, __ATOMIC_RELEASE);
	}
	local_irq_restore(flags);
}

static void __noreturn cpu_stop(void)
{
	local_irq_disable();
	cpumask_clear_cpu(&cpu_online_mask, smp_processor_id());
	for (;;)
		__asm__ __volatile__("wfi");
}

void handle_ipi(struct pt_regs *regs)
{
	struct cpu *cpu = this_cpu();
	unsigned long pending;
	unsigned int kind;

	csr_clear(CSR_SIP, SIP_SSIP);
	pending = __atomic_exchange_n(&cpu->ipi_pending, 0, __ATOMIC_ACQUIRE);
	cpu->ipis++;
	for (kind = 0; kind < NR_IPI && pending >> kind; kind++)
		cpu->ipi_kinds[kind] += (pending >> kind) & 1;
	if (pending & (1UL << IPI_STOP))
		cpu_stop();
	if (pending & (1UL << IPI_CALL))
		run_call_queue();
	if (pending & (1UL << IPI_RESCHED))
		WRITE_ONCE(cpu->need_resched, true);
	if (pending & (1UL << IPI_BACKTRACE)) {
		show_interrupted(regs, KERN_WARNING);
		__atomic_fetch_add(&backtraces_done[cpu->id], 1,
				   __ATOMIC_RELEASE);
	}
}

void smp_send_backtrace(unsigned int cpu)
{
	send_ipi(1ULL << cpu, IPI_BACKTRACE);
}

int smp_backtrace(unsigned int cpu, unsigned int timeout_ms)
{
	unsigned long before = __atomic_load_n(&backtraces_done[cpu],
					       __ATOMIC_ACQUIRE);
	u64 deadline = get_ticks() + ms_to_ticks(timeout_ms);

	smp_send_backtrace(cpu);
	while (__atomic_load_n(&backtraces_done[cpu], __ATOMIC_ACQUIRE) ==
	       before) {
		if (get_ticks() >= deadline)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return 0;
}

void smp_call_function(const cpumask_t *mask, void (*fn)(void *arg),
		       void *arg, bool wait)
{
	/* On one hart throughout: self's slots and "this one too" need it. */
	unsigned int self = (preempt_disable(), smp_processor_id()), cpu;
	u64 targets = cpumask_bits(mask) & cpumask_bits(&cpu_online_mask) & ~(1ULL << self);
	unsigned long flags;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct call_data *c = &call_slots[self][cpu];
		struct call_queue *q = &call_queues[cpu];

		if (!(targets & (1ULL << cpu)))
			continue;
		/* A previous call without wait may still hold the slot. */
		while (__atomic_load_n(&c->busy, __ATOMIC_ACQUIRE))
			run_call_queue();
		c->fn = fn;
		c->arg = arg;
		c->busy = 1;
		flags = spin_lock_irqsave(&q->lock);
		c->next = q->head;
		q->head = c;
		spin_unlock_irqrestore(&q->lock, flags);
	}
	if (targets)
		send_ipi(targets, IPI_CALL);

	if (cpumask_test(mask, self)) {
		flags = local_irq_save();
		fn(arg);
		local_irq_restore(flags);
	}
	/* Serving our own queue meanwhile: two CPUs may wait on each other. */
	for (cpu = 0; wait && cpu < NR_CPUS; cpu++)
		while ((targets & (1ULL << cpu)) &&
		       __atomic_load_n(&call_slots[self][cpu].busy,
				       __ATOMIC_ACQUIRE))
			run_call_queue();
	preempt_enable();
}

void on_each_cpu(void (*fn)(void *arg), void *arg, bool wait)
{
	smp_call_function(&cpu_online_mask, fn, arg, wait);
}

void smp_send_reschedule(unsigned int cpu)
{
	send_ipi(1ULL << cpu, IPI_RESCHED);
}

void smp_send_stop(void)
{
	u64 self = 1ULL << smp_processor_id();
	u64 others = cpumask_bits(&cpu_online_mask) & ~self;
	u64 deadline = get_ticks() + ms_to_ticks(STOP_TIMEOUT_MS);

	if (!others)
		return;
	send_ipi(others, IPI_STOP);
	while ((cpumask_bits(&cpu_online_mask) & ~self) && get_ticks() < deadline)
		;
	if (cpumask_bits(&cpu_online_mask) & ~self)
		pr_emerg("smp: CPUs %#llx did not stop\n",
			 (unsigned long long)(cpumask_bits(&cpu_online_mask) & ~self));
}
