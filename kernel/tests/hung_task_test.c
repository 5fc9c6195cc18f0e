/* SPDX-License-Identifier: BSD-2-Clause */
/* KTAP tests of the hung-task detector and the lost-task scan: a runnable task on no run queue gets reported. */
#include <hartix/ktest.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/softlockup.h>
#include <hartix/time.h>
#include <hartix/timer.h>

/*
 * A task marked runnable that no queue holds, as the affinity bug left
 * them: made by hand (never started, so it can be freed again).
 */
static struct task *unqueued_task(const char *name)
{
	struct task *task = task_alloc(name, 0);

	if (!task)
		return NULL;
	task->cpu = 0;
	task->sched_stamp = get_ticks();
	__atomic_store_n(&task->state, TASK_RUNNABLE, __ATOMIC_RELEASE);
	return task;
}

/* Slow (the threshold plus the scans): only with hung_task.timeout=1..3. */
static void lost_task_is_reported(struct ktest *t)
{
	unsigned int secs = hung_task_timeout();
	u64 hung = hung_task_reports(), lost = sched_lost_reports();
	unsigned int waited = 0;
	struct task *task;

	if (!IS_ENABLED(CONFIG_HUNG_TASK_DETECTOR) || !secs || secs > 3) {
		ktest_skip(t, "needs hung_task.timeout=1..3 on the command line");
		return;
	}
	task = unqueued_task("ktest-lost");
	KT_ASSERT(t, task != NULL);
	while (waited < secs * 1000 + 3000 &&
	       (hung_task_reports() == hung ||
		(IS_ENABLED(CONFIG_DEBUG_SCHED) && sched_lost_reports() == lost))) {
		msleep(100);
		waited += 100;
	}
	KT_EXPECT_EQ(t, hung_task_reports(), hung + 1);
	if (IS_ENABLED(CONFIG_DEBUG_SCHED))
		KT_EXPECT_EQ(t, sched_lost_reports(), lost + 1);
	task_free(task);
}

/* Yields and sleeps for 1.5 thresholds: queued and run again and again. */
static void hung_task_busy(void *arg)
{
	u64 end = get_ticks() + ms_to_ticks(hung_task_timeout() * 1500ULL);
	unsigned int n = 0;

	while (get_ticks() < end) {
		if (++n % 64 == 0)
			msleep(1);
		else
			yield();
	}
}

/* Tasks that queue, run and sleep in turn for longer than the threshold: no report. */
static void busy_tasks_are_not_reported(struct ktest *t)
{
	unsigned int secs = hung_task_timeout();
	u64 hung = hung_task_reports(), lost = sched_lost_reports();
	struct task *tasks[8];
	int i;

	if (!IS_ENABLED(CONFIG_HUNG_TASK_DETECTOR) || !secs || secs > 3) {
		ktest_skip(t, "needs hung_task.timeout=1..3 on the command line");
		return;
	}
	for (i = 0; i < 8; i++) {
		tasks[i] = kthread_run(hung_task_busy, NULL, "ktest-busy", -1);
		KT_ASSERT(t, tasks[i] != NULL);
	}
	for (i = 0; i < 8; i++)
		task_reap(tasks[i]);
	KT_EXPECT_EQ(t, hung_task_reports(), hung);
	KT_EXPECT_EQ(t, sched_lost_reports(), lost);
}

/* Renews a fake task's sched_stamp every 50 ms for 2.5 s, as its wake-ups and steals would. */
static void stamp_churn(void *arg)
{
	struct task *task = arg;
	u64 end = get_ticks() + ms_to_ticks(2500);

	while (get_ticks() < end) {
		__atomic_store_n(&task->sched_stamp, get_ticks(), __ATOMIC_RELEASE);
		msleep(50);
	}
}

/* Hart 0, which scans, misses 2.2 s of ticks and then runs them back to back. */
static void tick_stall(void *arg)
{
	unsigned long flags = local_irq_save();
	u64 end = get_ticks() + ms_to_ticks(2200);

	(void)arg;
	while (get_ticks() < end)
		cpu_relax();
	local_irq_restore(flags);
}

/*
 * A task every scan finds runnable on no queue, but which moves between
 * the scans (each caught a different wake-up or steal midway), is not
 * lost; nor when the scanning hart's ticks come in a burst. Both were
 * reported as lost on a loaded host (mm_stress on 8 harts).
 */
static void moving_task_is_not_lost(struct ktest *t)
{
	u64 lost = sched_lost_reports();
	struct task *task, *churn, *stall;

	if (!IS_ENABLED(CONFIG_HUNG_TASK_DETECTOR) ||
	    !IS_ENABLED(CONFIG_DEBUG_SCHED) || num_online_cpus() < 2) {
		ktest_skip(t, "needs DEBUG_SCHED and 2 harts");
		return;
	}
	task = unqueued_task("ktest-moving");
	KT_ASSERT(t, task != NULL);
	churn = kthread_run(stamp_churn, task, "ktest-churn", 1);
	KT_ASSERT(t, churn != NULL);
	stall = kthread_run(tick_stall, NULL, "ktest-stall", 0);
	KT_ASSERT(t, stall != NULL);
	task_reap(stall);
	task_reap(churn);
	KT_EXPECT_EQ(t, sched_lost_reports(), lost);
	task_free(task);
}

/* Log records from @seq on whose text starts with @prefix. */
static unsigned int count_log_lines(u64 seq, const char *prefix)
{
	static struct log_entry e; /* too big for the stack */
	unsigned int n = 0;

	while (log_read(&seq, &e))
		n += e.len >= strlen(prefix) && !memcmp(e.text, prefix,
							strlen(prefix));
	return n;
}

#define CAP_TASKS (HUNG_TASK_WARNINGS + 2)

/*
 * More hung tasks than the cap at once: all are counted, but only the
 * reports left under HUNG_TASK_WARNINGS are printed (with the note that
 * the rest are only counted), so that a fork bomb cannot keep the scan
 * printing with tasklist_lock held.
 */
static void reports_are_capped(struct ktest *t)
{
	static const char report[] = "INFO: task ktest-cap:";
	static const char note[] = "INFO: hung-task reports from now on only counted";
	unsigned int secs = hung_task_timeout(), waited = 0, printed, i;
	u64 hung = hung_task_reports(), seq = log_seq_next();
	struct task *tasks[CAP_TASKS];

	if (!IS_ENABLED(CONFIG_HUNG_TASK_DETECTOR) || !secs || secs > 3) {
		ktest_skip(t, "needs hung_task.timeout=1..3 on the command line");
		return;
	}
	printed = hung < HUNG_TASK_WARNINGS ?
			  min((unsigned int)(HUNG_TASK_WARNINGS - hung),
			      (unsigned int)CAP_TASKS) : 0;
	for (i = 0; i < CAP_TASKS && (tasks[i] = unqueued_task("ktest-cap")); i++)
		;
	if (i < CAP_TASKS) {
		while (i--)
			task_free(tasks[i]);
		KT_ASSERT(t, !"out of memory for the fake tasks");
	}
	while (waited < secs * 1000 + 3000 &&
	       hung_task_reports() < hung + CAP_TASKS) {
		msleep(100);
		waited += 100;
	}
	KT_EXPECT_EQ(t, hung_task_reports(), hung + CAP_TASKS);
	KT_EXPECT_EQ(t, count_log_lines(seq, report), printed);
	KT_EXPECT_EQ(t, count_log_lines(seq, note),
		     hung < HUNG_TASK_WARNINGS ? 1U : 0U);
	for (i = 0; i < CAP_TASKS; i++)
		task_free(tasks[i]);
}

KTEST_SUITE(hung_task, KTEST_CASE(lost_task_is_reported),
	    KTEST_CASE(busy_tasks_are_not_reported),
	    KTEST_CASE(moving_task_is_not_lost),
	    KTEST_CASE(reports_are_capped));
