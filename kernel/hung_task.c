/* SPDX-License-Identifier: BSD-2-Clause */
/* The hung-task detector and CONFIG_DEBUG_SCHED's lost-task scan: once a second, every task is checked against the run queues. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kallsyms.h>
#include <hartix/kernel.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <hartix/softlockup.h>
#include <hartix/time.h>
#include <hartix/timer.h>

#define HUNG_TASK_TIMEOUT_MAX 600

static unsigned int timeout_secs = CONFIG_HUNG_TASK_TIMEOUT;
static u64 nr_hung, nr_lost; /* reports so far (printed or not), for tests */
static u64 last_scan; /* hart 0's: the time CSR at its last scan */

/*
 * Each hart's late-tick sum (struct cpu.tick_late) at hart 0's last scans,
 * so a report can say how long the task's harts did not run in its window:
 * a host that does not run the vCPUs makes a runnable task wait without any
 * fault of the scheduler. Written by the scan only (tasklist_lock held).
 */
#define LATE_HIST 32
static struct late_sample {
	u64 at; /* time CSR of the scan */
	u64 late[NR_CPUS];
} late_hist[LATE_HIST];
static unsigned int late_scans;

kernel_param_uint("hung_task.timeout", timeout_secs, 0, HUNG_TASK_TIMEOUT_MAX);

static const char *state_name(enum task_state s)
{
	static const char *const names[] = {
		[TASK_RUNNING] = "R (running)", [TASK_RUNNABLE] = "R (queued)",
		[TASK_SLEEPING] = "S (sleeping)", [TASK_ZOMBIE] = "Z (zombie)",
	};

	return (unsigned int)s < ARRAY_SIZE(names) ? names[s] : "?";
}

/*
 * A switched-out task's call chain, from the frame schedule() saved: the
 * arch walker checks frames against this hart's stack, so this one checks
 * them against the task's own (which stays put while it is off every hart).
 */
static void show_task_stack(const struct task *t)
{
	unsigned long lo = t->kstack, hi = t->kstack + t->kstack_size;
	unsigned long fp = t->ctx.s[0], pc = t->ctx.ra;
	char sym[96];
	int depth;

	pr_err("Call trace:\n");
	for (depth = 0; depth < 32; depth++) {
		const unsigned long *frame = (const unsigned long *)fp - 2;

		pr_err("  %s\n", sprint_backtrace(sym, sizeof(sym), pc));
		if (fp & 7 || fp < lo + 2 * sizeof(long) || fp > hi ||
		    frame[0] <= fp)
			break;
		pc = frame[1];
		fp = frame[0];
	}
}

/* What the scheduler knows of t, and where it stopped if it is switched out. */
static void show_task(struct task *t)
{
	bool on_cpu = READ_ONCE(t->on_cpu);

	pr_err("task:%-15s pid:%d state:%s cpu:%u on_cpu:%d allowed:%#llx\n",
	       t->comm, t->pid, state_name(READ_ONCE(t->state)),
	       READ_ONCE(t->cpu), on_cpu,
	       (unsigned long long)cpumask_bits(&t->cpus_allowed));
	/* A running stack changes under the walk; a saved one stays. */
	if (!on_cpu && t->ctx.ra)
		show_task_stack(t);
}

/*
 * Runnable on no queue and on no hart: nothing will ever run it. Each of
 * its steps from hart to hart passes such a gap: a waker has set it
 * runnable and not yet queued it, a hart took it off a queue and has not
 * yet made it current, or this unlocked look saw it between the two. So
 * one sighting proves nothing, nor do two that caught two different gaps:
 * it counts as lost only when two scans at least a second apart (real
 * time, see hung_task_tick()) found it so with the same sched_stamp, which
 * every queueing and switch in or out renews; no such step happened in
 * between, the gap lasted the whole second.
 *
 * The false reports this replaced (mm_stress on 8 harts, host at load
 * 20-25): hart 0, its vCPU not run for a while, ran the missed ticks back
 * to back (20 scans within 1 ms of printk time), so "two scans a second
 * apart" were microseconds apart, both inside one gap of a task whose
 * hart was itself not being run: runnable, on_cpu still 1 (a wake-up
 * while it was on its way to sleep), and on no queue yet. Every such run
 * ended with all tasks reaped and every byte right.
 */
static void check_lost(struct task *t)
{
	u64 stamp = __atomic_load_n(&t->sched_stamp, __ATOMIC_ACQUIRE);
	int placed;

	/*
	 * Never queued yet: fork is still building it (its state is the
	 * zeroed TASK_RUNNING), and a preempted parent may take a while.
	 */
	if (!stamp)
		return;
	placed = sched_task_placed(t);
	if (placed < 0)
		return;
	if (placed) {
		t->lost_seen = 0;
		t->lost_scans = 0;
		return;
	}
	if (stamp != t->lost_seen) {
		t->lost_seen = stamp;
		t->lost_scans = 1;
		return;
	}
	if (t->lost_scans < 255 && ++t->lost_scans == 2) {
		nr_lost++;
		pr_err("BUG: runnable task %s:%d is on no run queue and no CPU\n",
		       t->comm, t->pid);
		show_task(t);
		sched_show_placement(t);
		WARN_ON(1);
	}
}

static bool on_a_cpu(const struct task *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (READ_ONCE(cpus[cpu].current) == t)
			return true;
	return false;
}

/* At each scan: every hart's late-tick sum, into the ring late_since() reads. */
static void record_lateness(u64 now)
{
	struct late_sample *ls = &late_hist[late_scans++ % LATE_HIST];
	unsigned int cpu;

	ls->at = now;
	for_each_online_cpu(cpu)
		ls->late[cpu] = READ_ONCE(cpus[cpu].tick_late);
}

/* The stall hart cpu is in now; this hart's own was counted on entry. */
static u64 stall_now(unsigned int cpu, u64 now)
{
	return cpu == smp_processor_id() ? 0 : tick_overdue(cpu, now);
}

/*
 * How long hart cpu took its ticks late since time since, as far as the
 * scans kept (from the oldest kept scan at or after it; none kept: only
 * the stall in progress), plus the stall in progress.
 */
static u64 late_since(unsigned int cpu, u64 since, u64 now)
{
	unsigned int n = min(late_scans, (unsigned int)LATE_HIST), i;
	const struct late_sample *cur = &late_hist[(late_scans - 1) % LATE_HIST];

	for (i = n; i > 0; i--) {
		const struct late_sample *ls = &late_hist[(late_scans - i) % LATE_HIST];

		if ((s64)(ls->at - since) >= 0)
			return cur->late[cpu] - ls->late[cpu] + stall_now(cpu, now);
	}
	return stall_now(cpu, now);
}

/* Each hart: how long it did not run while t waited; and the queues. */
static void show_lateness(const struct task *t, u64 stamp, u64 now)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		pr_err("  cpu%u: ticks late by %llu ms of the %llu ms it waited\n",
		       cpu,
		       (unsigned long long)(late_since(cpu, stamp, now) * 1000 /
					    timebase_freq),
		       (unsigned long long)((now - stamp) * 1000 / timebase_freq));
	sched_show_placement(t);
}

/*
 * Runnable (or marked running on no hart) and not run since the limit, at
 * two scans in a row with the same sched_stamp: a task that slept past the
 * limit and is being woken is runnable with its old stamp until its waker
 * queues it (see check_lost()).
 */
static void check_hung(struct task *t, u64 now, u64 limit)
{
	enum task_state state = READ_ONCE(t->state);
	u64 stamp = READ_ONCE(t->sched_stamp), seen = t->hung_seen;
	unsigned int cpu = READ_ONCE(t->cpu);

	t->hung_seen = 0;
	/* Signed: a hart may have stamped it after we read the clock. */
	if (!stamp || (s64)(now - stamp) < (s64)limit ||
	    t->hung_reported == stamp)
		return;
	/*
	 * Time its hart did not run does not count (Documentation/smp.rst,
	 * The hung-task detector under a loaded host): a host that leaves a
	 * vCPU unscheduled, or keeps a lock holder's vCPU from running while
	 * this hart spins for the lock with interrupts masked, stalls the
	 * whole queue. A task lost for good is still reported, later.
	 */
	if (cpu < NR_CPUS &&
	    (s64)(now - stamp - late_since(cpu, stamp, now)) < (s64)limit)
		return;
	if (state != TASK_RUNNABLE && (state != TASK_RUNNING || on_a_cpu(t)))
		return;
	t->hung_seen = stamp;
	if (seen != stamp)
		return;
	t->hung_reported = stamp;
	if (++nr_hung > HUNG_TASK_WARNINGS)
		return;
	pr_err("INFO: task %s:%d runnable but not run for more than %u seconds.\n",
	       t->comm, t->pid, timeout_secs);
	pr_err("\"hung_task.timeout=0\" disables this message.\n");
	show_task(t);
	show_lateness(t, stamp, now);
	if (nr_hung == HUNG_TASK_WARNINGS)
		pr_err("INFO: hung-task reports from now on only counted (%u printed).\n",
		       HUNG_TASK_WARNINGS);
}

void hung_task_tick(void)
{
	struct cpu *cpu = this_cpu();
	u64 limit = (u64)timeout_secs * timebase_freq, now;
	struct task *t;

	/*
	 * One hart scans, once a second of the time CSR, not every HZ ticks:
	 * a hart kept from its ticks (interrupts masked, or its vCPU not run
	 * by a loaded host) runs the missed ones back to back, and two scans
	 * microseconds apart would both see the same moment.
	 */
	if (cpu->id)
		return;
	if (!limit && !IS_ENABLED(CONFIG_DEBUG_SCHED))
		return;
	now = get_ticks();
	if (now - last_scan < timebase_freq)
		return;
	/* In the tick, interrupts masked: a busy lock means the next tick. */
	if (!spin_trylock(&tasklist_lock))
		return;
	last_scan = now;
	record_lateness(now);
	for (t = all_tasks; t; t = t->all_next) {
		if (IS_ENABLED(CONFIG_DEBUG_SCHED))
			check_lost(t);
		if (limit)
			check_hung(t, now, limit);
	}
	spin_unlock(&tasklist_lock);
}

u64 hung_task_reports(void)
{
	return READ_ONCE(nr_hung);
}

u64 sched_lost_reports(void)
{
	return READ_ONCE(nr_lost);
}

unsigned int hung_task_timeout(void)
{
	return timeout_secs;
}
