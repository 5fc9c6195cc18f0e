/* SPDX-License-Identifier: BSD-2-Clause */
/* The hung-task detector and CONFIG_DEBUG_SCHED's lost-task scan: once a second, every task is checked against the run queues. */
#include <hartix/cmdline.h>
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

#define HUNG_TASK_TIMEOUT_MAX 600

static unsigned int timeout_secs = CONFIG_HUNG_TASK_TIMEOUT;
static u64 nr_hung, nr_lost; /* reports so far, for tests */

static int set_timeout(const char *val)
{
	unsigned int secs;

	if (!val || kstrtouint(val, 10, &secs) || secs > HUNG_TASK_TIMEOUT_MAX)
		return -EINVAL;
	timeout_secs = secs;
	return 0;
}
kernel_param("hung_task.timeout", set_timeout);

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
 * Runnable on no queue and on no hart: nothing will ever run it. Seen in
 * two scans in a row, a second apart: a wake-up or a steal has it off
 * every queue for a moment.
 */
static void check_lost(struct task *t)
{
	int placed;

	/*
	 * Never queued yet: fork is still building it (its state is the
	 * zeroed TASK_RUNNING), and a preempted parent may take a while.
	 */
	if (!READ_ONCE(t->sched_stamp))
		return;
	placed = sched_task_placed(t);
	if (placed < 0)
		return;
	if (placed) {
		t->lost_scans = 0;
		return;
	}
	if (t->lost_scans < 255 && ++t->lost_scans == 2) {
		nr_lost++;
		pr_err("BUG: runnable task %s:%d is on no run queue and no CPU\n",
		       t->comm, t->pid);
		show_task(t);
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

/* Runnable (or marked running on no hart) and not run since the limit. */
static void check_hung(struct task *t, u64 now, u64 limit)
{
	enum task_state state = READ_ONCE(t->state);
	u64 stamp = READ_ONCE(t->sched_stamp);

	/* Signed: a hart may have stamped it after we read the clock. */
	if (!stamp || (s64)(now - stamp) < (s64)limit ||
	    t->hung_reported == stamp)
		return;
	if (state != TASK_RUNNABLE && (state != TASK_RUNNING || on_a_cpu(t)))
		return;
	t->hung_reported = stamp;
	nr_hung++;
	pr_err("INFO: task %s:%d runnable but not run for more than %u seconds.\n",
	       t->comm, t->pid, timeout_secs);
	pr_err("\"hung_task.timeout=0\" disables this message.\n");
	show_task(t);
}

void hung_task_tick(void)
{
	struct cpu *cpu = this_cpu();
	u64 limit = (u64)timeout_secs * timebase_freq, now;
	struct task *t;

	/* One hart scans, once a second. */
	if (cpu->id || cpu->ticks % CONFIG_HZ)
		return;
	if (!limit && !IS_ENABLED(CONFIG_DEBUG_SCHED))
		return;
	/* In the tick, interrupts masked: a busy lock means next second. */
	if (!spin_trylock(&tasklist_lock))
		return;
	now = get_ticks();
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
