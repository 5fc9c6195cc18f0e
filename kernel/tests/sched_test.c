/* SPDX-License-Identifier: BSD-2-Clause */
/* Scheduler tests: kernel threads on every hart, stealing, sleeping and waking, reaping. */
#include <hartix/ktest.h>
#include <hartix/mm.h>
#include <hartix/preempt.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/time.h>
#include <hartix/timer.h>

#define NTASKS 16

static unsigned long ran_on[NTASKS];

static void record_cpu(void *arg)
{
	unsigned long i = (unsigned long)arg;
	u64 end = get_ticks() + ms_to_ticks(20);

	/* Busy long enough that queued work is worth stealing. */
	while (get_ticks() < end)
		yield();
	ran_on[i] = smp_processor_id() + 1;
}

static void threads_run_and_spread(struct ktest *t)
{
	struct task *tasks[NTASKS];
	unsigned long cpus_used = 0, i;

	for (i = 0; i < NTASKS; i++) {
		ran_on[i] = 0;
		tasks[i] = kthread_run(record_cpu, (void *)i, "ktest-spread", -1);
		KT_ASSERT(t, tasks[i] != NULL);
	}
	for (i = 0; i < NTASKS; i++) {
		KT_EXPECT_EQ(t, task_reap(tasks[i]), 0);
		KT_EXPECT(t, ran_on[i] != 0);
		cpus_used |= 1UL << (ran_on[i] - 1);
	}
	/* Work spread over the harts (placed or stolen), never outside them. */
	KT_EXPECT_EQ(t, cpus_used & ~cpumask_bits(&cpu_online_mask), 0);
	if (num_online_cpus() > 1)
		KT_EXPECT(t, cpus_used & (cpus_used - 1));
}

static void pinned_thread_stays(struct ktest *t)
{
	int cpu = (int)num_online_cpus() - 1;
	struct task *task;

	ran_on[0] = 0;
	task = kthread_run(record_cpu, (void *)0UL, "ktest-pinned", cpu);
	KT_ASSERT(t, task != NULL);
	task_reap(task);
	KT_EXPECT_EQ(t, ran_on[0], (unsigned long)cpu + 1);
}

static struct wait_queue wq = WAIT_QUEUE_INIT;
static unsigned long wq_flag;
static unsigned long woken;

static bool flag_set(void *arg)
{
	return READ_ONCE(wq_flag);
}

static void sleeper(void *arg)
{
	wait_event(&wq, flag_set, NULL);
	__atomic_fetch_add(&woken, 1, __ATOMIC_RELAXED);
}

static void wait_queue_wakes_all(struct ktest *t)
{
	struct task *tasks[4];
	int i;

	wq_flag = 0;
	woken = 0;
	for (i = 0; i < 4; i++)
		KT_ASSERT(t, (tasks[i] = kthread_run(sleeper, NULL, "ktest-wait", -1)));
	msleep(20);
	KT_EXPECT_EQ(t, woken, 0);
	WRITE_ONCE(wq_flag, 1);
	wake_up(&wq);
	for (i = 0; i < 4; i++)
		task_reap(tasks[i]);
	KT_EXPECT_EQ(t, woken, 4);
}

/*
 * The tests run as the boot hart's idle task, which here has work of its
 * own: a task that sleeps on this hart must give the hart back to it, not
 * wait in place (CONFIG_SCHED_IDLE_IN_PLACE) until its wake-up, which only
 * the test sends. Broken, the test never runs again and the run hangs.
 */
static void busy_idle_task_gets_its_hart_back(struct ktest *t)
{
	struct task *s;

	wq_flag = 0;
	woken = 0;
	s = kthread_run(sleeper, NULL, "ktest-wait", (int)smp_processor_id());
	KT_ASSERT(t, s != NULL);
	while (READ_ONCE(s->state) != TASK_SLEEPING)
		yield();
	WRITE_ONCE(wq_flag, 1);
	wake_up(&wq);
	task_reap(s);
	KT_EXPECT_EQ(t, woken, 1);
}

/*
 * Two kernel threads pass a turn back and forth through two wait queues,
 * on two harts when there are two: wake_up() leaves an empty queue without
 * its lock, so a waiter that looked at the condition before queuing itself
 * (or a waker that looked at the queue before its change was visible)
 * would sleep through its turn. The test gives up after a deadline, so a
 * lost wake-up fails it instead of hanging the run.
 */
#define PP_ROUNDS 10000UL

static struct wait_queue pp_wq[2] = { WAIT_QUEUE_INIT, WAIT_QUEUE_INIT };
static unsigned long pp_turn, pp_stop;

static bool pp_my_turn(void *arg)
{
	return (READ_ONCE(pp_turn) & 1) == (unsigned long)arg ||
	       READ_ONCE(pp_stop);
}

static void pp_player(void *arg)
{
	unsigned long me = (unsigned long)arg, turn;

	for (;;) {
		wait_event(&pp_wq[me], pp_my_turn, arg);
		turn = READ_ONCE(pp_turn);
		if (READ_ONCE(pp_stop) || turn >= PP_ROUNDS)
			break;
		WRITE_ONCE(pp_turn, turn + 1);
		wake_up(&pp_wq[!me]);
	}
	WRITE_ONCE(pp_stop, 1);
	wake_up(&pp_wq[!me]);
}

static void wake_up_loses_no_turn(struct ktest *t)
{
	int last = (int)num_online_cpus() - 1;
	u64 deadline = get_ticks() + ms_to_ticks(120000);
	struct task *a, *b;

	pp_turn = pp_stop = 0;
	/* The last two harts: this one runs the test, yielding to a player here. */
	a = kthread_run(pp_player, (void *)0UL, "ktest-ping", last);
	KT_ASSERT(t, a != NULL);
	b = kthread_run(pp_player, (void *)1UL, "ktest-pong", last ? last - 1 : 0);
	KT_ASSERT(t, b != NULL);
	while (!(task_reapable(a) && task_reapable(b)) &&
	       get_ticks() < deadline)
		yield();
	KT_EXPECT_EQ(t, READ_ONCE(pp_turn), PP_ROUNDS);
	/* Stuck: let both go, so the suite goes on. */
	WRITE_ONCE(pp_stop, 1);
	wake_up(&pp_wq[0]);
	wake_up(&pp_wq[1]);
	task_reap(a);
	task_reap(b);
}

static u64 sleeper_elapsed;

static void timed_sleeper(void *arg)
{
	u64 start = get_ticks();

	msleep(30);
	sleeper_elapsed = get_ticks() - start;
}

/* A sleeping task leaves its hart to others and wakes on time. */
static void task_msleep_on_time(struct ktest *t)
{
	struct task *s = kthread_run(timed_sleeper, NULL, "ktest-sleep", 0);
	u64 ms;

	KT_ASSERT(t, s != NULL);
	task_reap(s);
	ms = sleeper_elapsed * 1000 / timebase_freq;
	KT_EXPECT(t, ms >= 30);
	KT_EXPECT(t, ms <= 30 + 2 * 1000 / CONFIG_HZ + 30);
}

static void nothing(void *arg)
{
}

static void reaped_tasks_leak_nothing(struct ktest *t)
{
	struct page_alloc_stats before, after;
	int i;

	kmem_cache_shrink_all();
	page_alloc_get_stats(&before);
	for (i = 0; i < 50; i++) {
		struct task *task = kthread_run(nothing, NULL, "ktest-leak", -1);

		KT_ASSERT(t, task != NULL);
		task_reap(task);
	}
	kmem_cache_shrink_all();
	page_alloc_get_stats(&after);
	KT_EXPECT_EQ(t, after.free_pages + after.cached_pages,
		     before.free_pages + before.cached_pages);
}

#ifdef CONFIG_PREEMPT
static unsigned long preempt_flag;
static bool spinner_saw_flag, setter_ran_early, spinner_started;

/* Spins in the kernel, interrupts on, no preemption point of its own. */
static void kernel_spinner(void *arg)
{
	u64 end = get_ticks() + ms_to_ticks(2000);

	while (!READ_ONCE(preempt_flag) && get_ticks() < end)
		cpu_relax();
	spinner_saw_flag = READ_ONCE(preempt_flag);
}

static void flag_setter(void *arg)
{
	WRITE_ONCE(preempt_flag, 1);
}

/* The timer tick switches a task out of kernel code on the same hart. */
static void kernel_code_is_preempted(struct ktest *t)
{
	int cpu = (int)num_online_cpus() - 1;
	struct task *a, *b;

	preempt_flag = 0;
	a = kthread_run(kernel_spinner, NULL, "ktest-spin", cpu);
	KT_ASSERT(t, a != NULL);
	b = kthread_run(flag_setter, NULL, "ktest-set", cpu);
	KT_ASSERT(t, b != NULL);
	task_reap(b);
	task_reap(a);
	KT_EXPECT(t, spinner_saw_flag);
}

/* With preemption disabled the same spinner keeps its hart. */
static void spinner_disabled(void *arg)
{
	u64 end = get_ticks() + ms_to_ticks(100);

	preempt_disable();
	WRITE_ONCE(spinner_started, true);
	while (get_ticks() < end)
		cpu_relax();
	setter_ran_early = READ_ONCE(preempt_flag);
	preempt_enable();
}

static void preempt_disable_holds_the_hart(struct ktest *t)
{
	int cpu = (int)num_online_cpus() - 1;
	struct task *a, *b;

	preempt_flag = 0;
	spinner_started = false;
	a = kthread_run(spinner_disabled, NULL, "ktest-nopreempt", cpu);
	KT_ASSERT(t, a != NULL);
	/* It holds its hart before the setter is queued there. */
	while (!READ_ONCE(spinner_started))
		yield();
	b = kthread_run(flag_setter, NULL, "ktest-set", cpu);
	KT_ASSERT(t, b != NULL);
	task_reap(b);
	task_reap(a);
	KT_EXPECT(t, !setter_ran_early);
	KT_EXPECT_EQ(t, preempt_flag, 1);
}

#define PREEMPT_CASES                                                        \
	KTEST_CASE(kernel_code_is_preempted),                                \
	KTEST_CASE(preempt_disable_holds_the_hart),
#else
#define PREEMPT_CASES
#endif

KTEST_SUITE(sched,
	    KTEST_CASE(threads_run_and_spread),
	    KTEST_CASE(pinned_thread_stays),
	    KTEST_CASE(wait_queue_wakes_all),
	    KTEST_CASE(busy_idle_task_gets_its_hart_back),
	    KTEST_CASE(wake_up_loses_no_turn),
	    KTEST_CASE(task_msleep_on_time),
	    PREEMPT_CASES
	    KTEST_CASE(reaped_tasks_leak_nothing));
