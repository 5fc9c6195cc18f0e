/* SPDX-License-Identifier: BSD-2-Clause */
/* SMP tests: every hart runs code, IPIs arrive, locks hold under contention from all harts. */
#include <hartix/boot.h>
#include <hartix/fdt_scan.h>
#include <hartix/kernel.h>
#include <hartix/ktest.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <asm/page.h>
#include <asm/sbi.h>

/*
 * A fair lock hands over in ticket order, so under an emulator with more
 * harts than host cores every handover may wait for a host thread switch:
 * the total, not the per-hart count, is bounded.
 */
#define TORTURE_TOTAL 8000

static unsigned long seen_hart[NR_CPUS];

static void record_hart(void *arg)
{
	seen_hart[smp_processor_id()] = current_hartid() + 1;
}

static void every_cpu_runs_function(struct ktest *t)
{
	unsigned int cpu, ran = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		seen_hart[cpu] = 0;
	on_each_cpu(record_hart, NULL, true);
	for_each_online_cpu(cpu) {
		KT_EXPECT_EQ(t, seen_hart[cpu], cpu_hartid(cpu) + 1);
		ran++;
	}
	KT_EXPECT_EQ(t, ran, num_online_cpus());
	pr_info("    # %u CPUs ran the function\n", ran);
}

static void ipi_reaches_each_cpu(struct ktest *t)
{
	unsigned int cpu, self = smp_processor_id();

	for_each_online_cpu(cpu) {
		u64 before = READ_ONCE(cpus[cpu].ipis);
		u64 deadline = get_ticks() + ms_to_ticks(500);

		if (cpu == self)
			continue;
		/* The idle loop consumes need_resched; the count stays. */
		smp_send_reschedule(cpu);
		while (READ_ONCE(cpus[cpu].ipis) == before &&
		       get_ticks() < deadline)
			cpu_relax();
		KT_EXPECT(t, READ_ONCE(cpus[cpu].ipis) > before);
	}
	if (num_online_cpus() == 1)
		ktest_skip(t, "one CPU online");
}

static unsigned long call_count;

static void count_call(void *arg)
{
	__atomic_fetch_add(&call_count, 1, __ATOMIC_RELAXED);
}

static void call_function_round_trips(struct ktest *t)
{
	int i;

	call_count = 0;
	for (i = 0; i < 100; i++)
		on_each_cpu(count_call, NULL, true);
	KT_EXPECT_EQ(t, call_count, 100 * num_online_cpus());
	/* Without waiting, then a waiting call flushes the slots. */
	for (i = 0; i < 10; i++)
		on_each_cpu(count_call, NULL, false);
	on_each_cpu(count_call, NULL, true);
	KT_EXPECT_EQ(t, call_count, 111 * num_online_cpus());
}

static DEFINE_SPINLOCK(torture_lock);
static unsigned long torture_counter; /* protected by torture_lock */
static unsigned long torture_arrived;

static unsigned long torture_rounds(void)
{
	return TORTURE_TOTAL / num_online_cpus();
}

static void torture(void *arg)
{
	unsigned long i;

	/* Start together so every hart contends for the whole run. */
	__atomic_fetch_add(&torture_arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&torture_arrived, __ATOMIC_ACQUIRE) <
	       num_online_cpus())
		cpu_relax();
	for (i = 0; i < torture_rounds(); i++) {
		spin_lock(&torture_lock);
		/* A non-atomic read-modify-write: a lost update shows. */
		WRITE_ONCE(torture_counter, READ_ONCE(torture_counter) + 1);
		spin_unlock(&torture_lock);
	}
}

static void lock_torture_all_harts(struct ktest *t)
{
	torture_counter = 0;
	torture_arrived = 0;
	on_each_cpu(torture, NULL, true);
	KT_EXPECT_EQ(t, torture_counter, torture_rounds() * num_online_cpus());
}

static void msleep_accuracy(struct ktest *t)
{
	/* Slack: two ticks plus scheduling noise of the emulator. */
	const u64 slack_ms = 2 * 1000 / CONFIG_HZ + 30;
	u64 start = get_ticks(), elapsed_ms;

	msleep(10);
	elapsed_ms = (get_ticks() - start) * 1000 / timebase_freq;
	KT_EXPECT(t, elapsed_ms >= 10);
	KT_EXPECT(t, elapsed_ms <= 10 + slack_ms);
}

static void every_cpu_ticks(struct ktest *t)
{
	u64 before[NR_CPUS] = { 0 };
	unsigned int cpu;

	for_each_online_cpu(cpu)
		before[cpu] = READ_ONCE(cpus[cpu].ticks);
	msleep(5 * 1000 / CONFIG_HZ);
	for_each_online_cpu(cpu)
		KT_EXPECT(t, READ_ONCE(cpus[cpu].ticks) > before[cpu]);
}

static bool cancelled_fired;

static void cancelled_fn(struct timer *tm)
{
	cancelled_fired = true;
}

static void timer_cancel_prevents_callback(struct ktest *t)
{
	struct timer tm = { .fn = cancelled_fn };

	cancelled_fired = false;
	timer_add(&tm, get_ticks() + ms_to_ticks(20));
	KT_EXPECT(t, timer_cancel(&tm));
	KT_EXPECT(t, !timer_cancel(&tm));
	msleep(40);
	KT_EXPECT(t, !cancelled_fired);
}

/* timer_cancel_sync(): a callback running on another hart is waited for. */
static struct timer sync_tm;
static int sync_started, sync_finished;

static void slow_fn(struct timer *tm)
{
	WRITE_ONCE(sync_started, 1);
	udelay(30000); /* the canceller arrives while we are still here */
	WRITE_ONCE(sync_finished, 1);
}

static void add_sync_timer(void *arg)
{
	timer_add(&sync_tm, get_ticks() + ms_to_ticks(1));
}

static void timer_cancel_sync_waits_for_callback(struct ktest *t)
{
	unsigned int cpu, other = 0;
	cpumask_t mask = { 0 };
	u64 end;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			other = cpu + 1;
	if (!other) {
		ktest_skip(t, "needs a second hart");
		return;
	}
	sync_tm = (struct timer){ .fn = slow_fn };
	sync_started = sync_finished = 0;
	cpumask_set(&mask, other - 1);
	smp_call_function(&mask, add_sync_timer, NULL, true);
	end = get_ticks() + ms_to_ticks(1000);
	while (!READ_ONCE(sync_started) && get_ticks() < end)
		cpu_relax();
	KT_ASSERT(t, READ_ONCE(sync_started));
	/* Off the queue already, so false; but only once fn returned. */
	KT_EXPECT(t, !timer_cancel_sync(&sync_tm));
	KT_EXPECT(t, READ_ONCE(sync_finished));
	/* A queued one is simply taken off. */
	sync_tm = (struct timer){ .fn = slow_fn };
	sync_started = 0;
	timer_add(&sync_tm, get_ticks() + ms_to_ticks(20));
	KT_EXPECT(t, timer_cancel_sync(&sync_tm));
	msleep(40);
	KT_EXPECT(t, !READ_ONCE(sync_started));
}

extern char _start[];

/*
 * A hart the firmware sends to the kernel's boot entry (OpenSBI 1.1's
 * hart_start race) must stop itself, not boot a second kernel over this
 * one. Needs a usable hart left offline: boot with maxcpus=.
 */
static void late_boot_entry_stops_itself(struct ktest *t)
{
	u64 deadline;
	int i, hart = -1;

	for (i = 0; i < boot_info.ncpus && hart < 0; i++) {
		const struct fdt_cpu *c = &boot_info.cpu[i];
		unsigned int cpu, online = 0;

		for_each_online_cpu(cpu)
			online |= cpu_hartid(cpu) == c->hartid;
		if (c->enabled && fdt_cpu_has_mmu(c) && !online)
			hart = (int)c->hartid;
	}
	if (hart < 0) {
		ktest_skip(t, "no offline hart (boot with maxcpus=)");
		return;
	}
	KT_ASSERT(t, sbi_hart_get_status(hart) == SBI_HSM_STATE_STOPPED);
	KT_ASSERT(t, sbi_hart_start(hart, virt_to_phys(_start), 0) == 0);
	deadline = get_ticks() + ms_to_ticks(1000);
	msleep(20);
	while (sbi_hart_get_status(hart) != SBI_HSM_STATE_STOPPED &&
	       get_ticks() < deadline)
		msleep(5);
	KT_EXPECT_EQ(t, sbi_hart_get_status(hart), SBI_HSM_STATE_STOPPED);
	/* Still this kernel: its state survived. */
	KT_EXPECT(t, cpumask_test(&cpu_online_mask, 0));
	KT_EXPECT(t, boot_info.ncpus > 0);
}

KTEST_SUITE(smp,
	    KTEST_CASE(every_cpu_runs_function),
	    KTEST_CASE(ipi_reaches_each_cpu),
	    KTEST_CASE(call_function_round_trips),
	    KTEST_CASE(lock_torture_all_harts),
	    KTEST_CASE(msleep_accuracy),
	    KTEST_CASE(every_cpu_ticks),
	    KTEST_CASE(timer_cancel_prevents_callback),
	    KTEST_CASE(timer_cancel_sync_waits_for_callback),
	    KTEST_CASE(late_boot_entry_stops_itself));
