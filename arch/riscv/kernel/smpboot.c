/* SPDX-License-Identifier: BSD-2-Clause */
/* Secondary hart bring-up through SBI HSM: stacks, per-CPU areas, the online map. */
#include <hartix/boot.h>
#include <hartix/errno.h>
#include <hartix/fdt_platform.h>
#include <hartix/kernel.h>
#include <hartix/params.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <hartix/sprintf.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/vmalloc.h>
#include <asm/page.h>
#include <asm/sbi.h>
#include <asm/spinlock.h>

#define SECONDARY_STACK_SIZE (16 * 1024)
#define BRINGUP_TIMEOUT_MS 1000

enum { CPU_BOOTING = 1, CPU_ONLINE, CPU_ABANDONED };

/*
 * Written by the boot hart before hart_start and by the starting hart with
 * a compare-and-swap, so a hart that shows up after its timeout parks
 * instead of joining.
 */
static unsigned long bringup_state[NR_CPUS];
static struct fdt_hart_plan plan;

extern char secondary_entry[];
void secondary_start_kernel(void);

void __noreturn secondary_start_kernel(void)
{
	struct cpu *cpu = this_cpu();
	unsigned long expected = CPU_BOOTING;

	if (!__atomic_compare_exchange_n(&bringup_state[cpu->id], &expected,
					 CPU_ONLINE, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		sbi_hart_stop();
		for (;;)
			__asm__ __volatile__("wfi");
	}
	cpu_init_early();
	sched_cpu_init();
	cpu_init_late();
	cpumask_set(&cpu_online_mask, cpu->id);
	smp_send_reschedule(0); /* the boot hart waits in wait_online() */
	cpu_idle();
}

enum start_result { START_FAILED, START_ONLINE, START_ABANDONED };

/*
 * In wfi, not spinning: under QEMU -icount harts take turns only at wfi or
 * timer deadlines, so a spinning boot hart would hold the new one back for
 * a whole tick. The new hart's IPI (or the tick) ends the wait.
 */
static bool wait_online(unsigned int id)
{
	u64 deadline = get_ticks() + ms_to_ticks(BRINGUP_TIMEOUT_MS);
	unsigned long flags = local_irq_save();
	bool online;

	while (!(online = cpumask_test(&cpu_online_mask, id)) &&
	       get_ticks() < deadline)
		cpu_wait_for_interrupt();
	local_irq_restore(flags);
	return online;
}

/*
 * START_FAILED: the hart never ran, its slot can be reused. START_ABANDONED:
 * it may still run later with this slot, which therefore stays retired.
 */
static enum start_result start_hart(unsigned int id, u64 hartid)
{
	struct cpu *cpu = &cpus[id];
	void *stack;
	unsigned long expected = CPU_BOOTING;
	int err, attempt;

	/* vmalloc: an unmapped guard page below catches an overflow. */
	stack = vmalloc(SECONDARY_STACK_SIZE);
	if (!stack) {
		pr_err("smp: no memory for the stack of hart %llu\n",
		       (unsigned long long)hartid);
		return START_FAILED;
	}
	cpu->hartid = hartid;
	cpu->id = id;
	cpu->stack_lo = (unsigned long)stack;
	cpu->stack_hi = cpu->stack_lo + SECONDARY_STACK_SIZE;
	cpu->overflow_sp = overflow_stack_top(id);
	__atomic_store_n(&bringup_state[id], CPU_BOOTING, __ATOMIC_RELEASE);

	for (attempt = 1;; attempt++) {
		err = sbi_hart_start(hartid, virt_to_phys(secondary_entry),
				     (unsigned long)cpu);
		if (err) {
			pr_warn("smp: hart %llu did not start: SBI error %d\n",
				(unsigned long long)hartid, err);
			vfree(stack);
			return START_FAILED;
		}
		if (wait_online(id))
			return START_ONLINE;
		/*
		 * A hart that took the firmware's old start address stopped
		 * itself in head.S: start it once more.
		 */
		if (attempt < 2 &&
		    sbi_hart_get_status(hartid) == SBI_HSM_STATE_STOPPED) {
			pr_warn("smp: hart %llu stopped itself (firmware start race), starting it again\n",
				(unsigned long long)hartid);
			continue;
		}
		if (__atomic_compare_exchange_n(&bringup_state[id], &expected,
						CPU_ABANDONED, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			/* Its stack stays: the hart may still run on it. */
			pr_warn("smp: hart %llu did not come up within %d ms, left out\n",
				(unsigned long long)hartid, BRINGUP_TIMEOUT_MS);
			return START_ABANDONED;
		}
		/* It started just now: it will be online shortly. */
		while (!cpumask_test(&cpu_online_mask, id))
			cpu_relax();
		return START_ONLINE;
	}
}

static unsigned int max_cpus = NR_CPUS;

static int set_maxcpus(const char *val)
{
	unsigned int n;
	int err = param_parse_uint(val, 1, ~0u, &n);

	if (!err)
		max_cpus = min(n, (unsigned int)NR_CPUS);
	return err;
}
kernel_param("maxcpus", set_maxcpus);

void smp_init(void)
{
	unsigned int i, id = 1, online = 1;
	char map[NR_CPUS * 8 + 1];
	size_t n = 0;

	smp_ipi_probe();
	if (fdt_plan_harts(&boot_info, current_hartid(), max_cpus, &plan))
		pr_warn("smp: boot hart %lu is not a usable hart of the device tree; running on it alone\n",
			current_hartid());
	for (i = 0; i < plan.nr_skipped; i++)
		pr_info("smp: hart %llu skipped: %s\n",
			(unsigned long long)plan.skipped[i].hartid,
			plan.skipped[i].reason);

	for (i = 1; i < plan.nr_cpus; i++) {
		switch (start_hart(id, plan.hartid[i])) {
		case START_ONLINE:
			online++;
			id++;
			break;
		case START_ABANDONED:
			id++;
			break;
		case START_FAILED:
			break;
		}
	}

	pr_info("smp: Brought up %u CPU%s\n", online, online == 1 ? "" : "s");
	for_each_online_cpu(i)
		n += scnprintf(map + n, sizeof(map) - n, " %u:%lu", i,
			       cpu_hartid(i));
	pr_info("smp: CPU:hart%s\n", map);
}
