/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU timer queues, the periodic tick, msleep and udelay. */
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/smp.h>
#include <hartix/softlockup.h>
#include <hartix/spinlock.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <asm/irqflags.h>
#include <asm/timer.h>

/*
 * Each CPU's queue is a list sorted by expiry. Its lock protects the list
 * and the queued flags of the timers on it; timers are added on the local
 * CPU, but timer_cancel() may run anywhere. Callbacks run without the lock.
 */
struct timer_base {
	spinlock_t lock;
	struct timer *head;
	struct timer *running; /* whose callback runs now (timer_cancel_sync) */
	struct timer tick;
};

static struct timer_base timer_bases[NR_CPUS];

u64 ms_to_ticks(u64 ms)
{
	return ms * timebase_freq / 1000;
}

static void program_next(struct timer_base *base)
{
	arch_timer_program(base->head ? base->head->expires : UINT64_MAX);
}

void timer_add(struct timer *t, u64 expires)
{
	/* Masked before choosing the base: preempted, t->cpu would differ. */
	unsigned long flags = local_irq_save();
	struct timer_base *base = &timer_bases[smp_processor_id()];
	struct timer **pos = &base->head;

	spin_lock(&base->lock);
	BUG_ON(t->queued);
	t->expires = expires;
	t->cpu = smp_processor_id();
	while (*pos && (*pos)->expires <= expires)
		pos = &(*pos)->next;
	t->next = *pos;
	*pos = t;
	t->queued = true;
	if (base->head == t)
		program_next(base);
	spin_unlock(&base->lock);
	local_irq_restore(flags);
}

/* base->lock held: takes t off base's queue if it is on it. */
static bool dequeue_locked(struct timer_base *base, struct timer *t)
{
	struct timer **pos;

	if (!t->queued)
		return false;
	for (pos = &base->head; *pos; pos = &(*pos)->next) {
		if (*pos == t) {
			*pos = t->next;
			t->queued = false;
			break;
		}
	}
	return true;
}

bool timer_cancel(struct timer *t)
{
	struct timer_base *base = &timer_bases[t->cpu];
	unsigned long flags = spin_lock_irqsave(&base->lock);
	bool was_queued = dequeue_locked(base, t);

	spin_unlock_irqrestore(&base->lock, flags);
	return was_queued;
}

bool timer_cancel_sync(struct timer *t)
{
	for (;;) {
		struct timer_base *base = &timer_bases[READ_ONCE(t->cpu)];
		unsigned long flags = spin_lock_irqsave(&base->lock);
		bool running = base->running == t;
		bool was_queued = dequeue_locked(base, t);

		spin_unlock_irqrestore(&base->lock, flags);
		if (!running)
			return was_queued;
		cpu_relax();
	}
}

void timer_interrupt(void)
{
	struct timer_base *base = &timer_bases[smp_processor_id()];
	u64 now = get_ticks();
	struct timer *t;

	spin_lock(&base->lock);
	/* For the hung-task detector; a burst of missed ticks runs below: count the gap once. */
	if (IS_ENABLED(CONFIG_HUNG_TASK_DETECTOR) && base->tick.queued &&
	    base->tick.expires < now)
		this_cpu()->tick_late += now - base->tick.expires;
	while ((t = base->head) && t->expires <= now) {
		base->head = t->next;
		t->queued = false;
		base->running = t;
		spin_unlock(&base->lock);
		t->fn(t);
		spin_lock(&base->lock);
		base->running = NULL;
	}
	program_next(base);
	spin_unlock(&base->lock);
}

static void tick(struct timer *t)
{
	u64 period = timebase_freq / CONFIG_HZ;

	this_cpu()->ticks++;
	sched_tick();
	hung_task_tick();
	/* From the last deadline, not from now: no drift. */
	timer_add(t, t->expires + period);
}

#ifdef CONFIG_HUNG_TASK_DETECTOR
u64 tick_overdue(unsigned int cpu, u64 now)
{
	u64 due = READ_ONCE(timer_bases[cpu].tick.expires);

	return (s64)(now - due) > 0 ? now - due : 0;
}
#endif

void timer_cpu_init(void)
{
	struct cpu *cpu = this_cpu();
	struct timer_base *base = &timer_bases[cpu->id];

	cpu->has_sstc = arch_timer_probe_sstc();
	base->tick.fn = tick;
	timer_add(&base->tick, get_ticks() + timebase_freq / CONFIG_HZ);
}

struct sleeper {
	struct timer timer;
	bool done;
	struct task *task; /* NULL: an idle task, waiting in wfi */
};

static void wake_sleeper(struct timer *t)
{
	struct sleeper *s = container_of(t, struct sleeper, timer);
	struct task *task = s->task;

	/* s may be gone once done is seen (sleep_interruptible). */
	__atomic_store_n(&s->done, true, __ATOMIC_RELEASE);
	if (task)
		wake_up_task(task);
}

/*
 * A task sleeps and its hart runs others; an idle task (boot code, tests
 * run from start_kernel) waits in wfi. Interrupts stay masked between the
 * check and the sleep, and the timer is on this hart, so it cannot fire in
 * between.
 */
void msleep(unsigned int ms)
{
	/* Masked first: preempted in between, cpu->current is another task. */
	unsigned long flags = local_irq_save();
	struct cpu *cpu = this_cpu();
	struct task *t = cpu->current;
	struct sleeper s = { .timer = { .fn = wake_sleeper }, .done = false,
			     .task = t && t != cpu->idle ? t : NULL };

	timer_add(&s.timer, get_ticks() + ms_to_ticks(ms));
	while (!READ_ONCE(s.done)) {
		if (s.task) {
			s.task->state = TASK_SLEEPING;
			schedule();
		} else {
			cpu_wait_for_interrupt();
		}
	}
	local_irq_restore(flags);
}

u64 sleep_interruptible(u64 ticks)
{
	struct task *t = current_task();
	struct sleeper s = { .timer = { .fn = wake_sleeper }, .done = false,
			     .task = t };
	unsigned long flags = local_irq_save();
	u64 expires = get_ticks() + ticks, now;

	timer_add(&s.timer, expires);
	while (!READ_ONCE(s.done) && !signal_pending(t)) {
		t->state = TASK_SLEEPING;
		schedule(); /* does not sleep with a signal pending */
	}
	/* We may have moved harts: its callback may be running over there. */
	if (!timer_cancel(&s.timer))
		while (!__atomic_load_n(&s.done, __ATOMIC_ACQUIRE))
			cpu_relax();
	local_irq_restore(flags);
	now = get_ticks();
	return s.done || now >= expires ? 0 : expires - now;
}

static void wait_timer_fire(struct timer *t)
{
	struct wait_timer *wt = container_of(t, struct wait_timer, timer);
	struct wait_queue *wq = wt->wq;

	/* The last touch of wt: its owner may return as soon as it sees this. */
	WRITE_ONCE(wt->expired, true);
	wake_up(wq);
}

void wait_timer_start(struct wait_timer *wt, struct wait_queue *wq, u64 expires)
{
	wt->timer = (struct timer){ .fn = wait_timer_fire };
	wt->wq = wq;
	wt->expired = false;
	timer_add(&wt->timer, expires);
}

void wait_timer_stop(struct wait_timer *wt)
{
	/* Already taken off its queue: its callback may still be running. */
	if (!timer_cancel(&wt->timer))
		while (!READ_ONCE(wt->expired))
			cpu_relax();
}

void udelay(unsigned int us)
{
	u64 end = get_ticks() + (u64)us * timebase_freq / 1000000;

	while (get_ticks() < end)
		;
}
