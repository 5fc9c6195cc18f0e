/* SPDX-License-Identifier: BSD-2-Clause */
/* Interval timers (setitimer, getitimer; alarm is glibc's setitimer) and POSIX timers (timer_create and friends). */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/uaccess.h>
#include <abi/time.h>
#include "internal.h"

/*
 * ptimer_lock protects every struct ptimer's fields and each process's
 * timers (struct task_timers of its leader: the list of POSIX timers,
 * next_id, the interval timers' counts). The kernel timer in a
 * ptimer is on a per-CPU queue of kernel/timer.c, under that queue's lock.
 * Lock order: ptimer_lock, then a timer queue's lock or tasklist_lock
 * (signals are sent with it held), then a task's sig.lock.
 *
 * Timers on wall and monotonic clocks count in time CSR ticks: a realtime
 * deadline is turned into a monotonic one when the timer is set. Timers
 * on CPU-time clocks are checked by the scheduler tick of their task.
 */
static DEFINE_SPINLOCK(ptimer_lock);

/* A process's POSIX timers at most, so none can pin unbounded memory. */
#define MAX_POSIX_TIMERS 256
/*
 * The shortest period: a 1 ns interval would keep a hart in timer
 * interrupts (expiries in between count as overruns).
 */
#define MIN_INTERVAL_NS 100000

static bool cpu_clock(int clock)
{
	return clock == CLOCK_PROCESS_CPUTIME_ID ||
	       clock == CLOCK_THREAD_CPUTIME_ID;
}

/* ptimer_lock held: a CPU-time timer's clock in ns, the process's or its thread's. */
static u64 cpu_clock_now(const struct ptimer *pt)
{
	if (pt->clock == CLOCK_PROCESS_CPUTIME_ID)
		return process_cputime_ns(pt->owner);
	return pt->clock_thread ?
		       ticks_cputime_ns(READ_ONCE(pt->clock_thread->runtime_ticks)) : 0;
}

/* ptimer_lock held: whom pt's signals go to (NULL: its thread is gone). */
static struct task *ptimer_target(const struct ptimer *pt)
{
	return pt->notify == SIGEV_THREAD_ID ? pt->thread : pt->owner;
}

/* ptimer_lock held: one expiry's signal (none for SIGEV_NONE). */
static void ptimer_signal(struct ptimer *pt, int missed)
{
	struct k_siginfo info = { .code = SI_TIMER, .timerid = pt->id,
				  .value = pt->value };
	unsigned long flags;

	struct task *target = ptimer_target(pt);
	int pending_overrun;

	if (pt->notify == SIGEV_NONE || !target)
		return;
	if (pt->id < 0) {
		signal_send(pt->owner, pt->signo); /* ITIMER_REAL */
		return;
	}
	flags = spin_lock_irqsave(&tasklist_lock);
	info.overrun = missed;
	pending_overrun = signal_send_timer_locked(target,
						   pt->notify == SIGEV_THREAD_ID,
						   pt->signo, &info);
	if (!pending_overrun) /* the last one was delivered */
		pt->overrun_last = pt->overrun;
	pt->overrun = pending_overrun ?: missed;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* ptimer_lock held, now past pt->expires: signal, then re-arm or disarm. */
static void ptimer_expire(struct ptimer *pt, u64 now)
{
	u64 missed = 0;

	if (pt->interval) {
		missed = (now - pt->expires) / pt->interval;
		pt->expires += (missed + 1) * pt->interval;
	} else {
		pt->armed = false;
	}
	ptimer_signal(pt, missed > 0x7fffffff ? 0x7fffffff : (int)missed);
	if (pt->armed && !cpu_clock(pt->clock))
		timer_add(&pt->timer, pt->expires);
}

static void ptimer_fire(struct timer *kt)
{
	struct ptimer *pt = container_of(kt, struct ptimer, timer);
	unsigned long flags = spin_lock_irqsave(&ptimer_lock);
	u64 now = get_ticks();

	/*
	 * Taken off its queue before we had the lock: disarmed, or set
	 * again (queued anew) meanwhile, it is not ours to fire.
	 */
	if (pt->armed && !pt->timer.queued && now >= pt->expires)
		ptimer_expire(pt, now);
	spin_unlock_irqrestore(&ptimer_lock, flags);
}

/* ptimer_lock held: stops pt (its callback may still run: it sees armed false). */
static void ptimer_disarm(struct ptimer *pt)
{
	pt->armed = false;
	if (!cpu_clock(pt->clock))
		timer_cancel(&pt->timer);
}

/* ptimer_lock held: value ns from now (or at clock time value if abs), then every interval ns. */
static void ptimer_arm(struct ptimer *pt, s64 value, s64 interval, bool abs)
{
	s64 now;

	if (interval && interval < (s64)MIN_INTERVAL_NS)
		interval = MIN_INTERVAL_NS;
	ptimer_disarm(pt);
	pt->overrun = pt->overrun_last = 0;
	if (!value)
		return;
	if (cpu_clock(pt->clock)) {
		if (pt->clock == CLOCK_THREAD_CPUTIME_ID && !pt->clock_thread)
			return; /* its thread is gone: its clock stands still */
		now = (s64)cpu_clock_now(pt);
		pt->expires = (u64)(abs ? value : now + value);
		pt->interval = (u64)interval;
		pt->armed = true;
		return;
	}
	if (abs) {
		now = clock_read_ns(pt->clock);
		value = value > now ? value - now : 0;
	}
	pt->expires = get_ticks() + ns_to_ticks((u64)value);
	pt->interval = interval ? ns_to_ticks((u64)interval) : 0;
	pt->armed = true;
	timer_add(&pt->timer, pt->expires);
}

/* ptimer_lock held: ns left until it fires (0: disarmed) and its interval in ns. */
static void ptimer_get(struct ptimer *pt, s64 *left, s64 *interval)
{
	u64 now;

	*left = *interval = 0;
	if (!pt->armed)
		return;
	if (cpu_clock(pt->clock)) {
		now = cpu_clock_now(pt);
		*left = pt->expires > now ? (s64)(pt->expires - now) : 1;
		*interval = (s64)pt->interval;
		return;
	}
	now = get_ticks();
	/* Due but not yet fired: 1 ns, never 0 (that reads as disarmed). */
	*left = pt->expires > now ? (s64)ticks_to_ns(pt->expires - now) : 1;
	*interval = (s64)ticks_to_ns(pt->interval);
}

/* Not under ptimer_lock, pt off every list: stop it for good. */
static void ptimer_kill(struct ptimer *pt)
{
	unsigned long flags = spin_lock_irqsave(&ptimer_lock);

	pt->armed = false;
	spin_unlock_irqrestore(&ptimer_lock, flags);
	/* Nobody re-adds it now; wait out a callback running elsewhere. */
	if (!cpu_clock(pt->clock))
		timer_cancel_sync(&pt->timer);
}

/* Takes the process's whole POSIX timer list off it. */
static struct ptimer *posix_timers_take(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&ptimer_lock);
	struct ptimer *list = t->timers.posix;

	t->timers.posix = NULL;
	spin_unlock_irqrestore(&ptimer_lock, flags);
	return list;
}

void posix_timers_exec(struct task *t)
{
	struct ptimer *pt = posix_timers_take(t), *next;

	for (; pt; pt = next) {
		next = pt->next;
		ptimer_kill(pt);
		kfree(pt);
	}
}

void posix_timers_exit(struct task *t)
{
	posix_timers_exec(t);
	ptimer_kill(&t->timers.real);
}

void posix_timers_thread_exit(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&ptimer_lock);
	struct ptimer *pt;

	t->timers.exited = true;
	for (pt = t->group_leader->timers.posix; pt; pt = pt->next) {
		if (pt->thread == t)
			pt->thread = NULL;
		if (pt->clock_thread == t) {
			pt->clock_thread = NULL;
			ptimer_disarm(pt);
		}
	}
	spin_unlock_irqrestore(&ptimer_lock, flags);
}

/* ---------------------------------------------------------------------- */
/* setitimer, getitimer */

#define TICK_NS (NSEC_PER_SEC / CONFIG_HZ)

static void tick_down(u64 *left, u64 interval, bool *fired)
{
	if (!*left)
		return;
	if (*left > TICK_NS) {
		*left -= TICK_NS;
		return;
	}
	*left = interval;
	*fired = true;
}

void itimer_tick(struct task *t, bool user)
{
	struct task_timers *tt = &t->group_leader->timers;
	bool virt = false, prof = false;
	struct ptimer *pt;
	u64 now;

	/* Most processes have none: no lock then. */
	if (!READ_ONCE(tt->virt_left) && !READ_ONCE(tt->prof_left) &&
	    !READ_ONCE(tt->posix))
		return;
	/* The process's timers: every thread's tick, on any hart, counts. */
	spin_lock(&ptimer_lock);
	if (user)
		tick_down(&tt->virt_left, tt->virt_interval, &virt);
	tick_down(&tt->prof_left, tt->prof_interval, &prof);
	/* CPU-time POSIX timers: a thread's clock moves only on its own ticks. */
	for (pt = tt->posix; pt; pt = pt->next) {
		if (!pt->armed || !cpu_clock(pt->clock) ||
		    (pt->clock == CLOCK_THREAD_CPUTIME_ID && pt->clock_thread != t))
			continue;
		now = cpu_clock_now(pt);
		if (now >= pt->expires)
			ptimer_expire(pt, now);
	}
	spin_unlock(&ptimer_lock);
	/* To the process: this thread takes them if it does not block them. */
	if (virt)
		signal_send(t, SIGVTALRM);
	if (prof)
		signal_send(t, SIGPROF);
}

static bool timeval_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 &&
	       tv->tv_usec < (long)(NSEC_PER_SEC / NSEC_PER_USEC);
}

static s64 timeval_to_ns(const struct timeval *tv)
{
	struct timespec ts = { tv->tv_sec, tv->tv_usec * (long)NSEC_PER_USEC };

	return timespec_to_ns(&ts);
}

/* Rounded up to whole microseconds, so an armed timer never reads 0. */
static void ns_to_timeval_up(s64 ns, struct timeval *tv)
{
	ns += (s64)NSEC_PER_USEC - 1;
	tv->tv_sec = ns / (s64)NSEC_PER_SEC;
	tv->tv_usec = ns % (s64)NSEC_PER_SEC / (s64)NSEC_PER_USEC;
}

/* ptimer_lock held: leader t's ITIMER_REAL, made ready at its first use (fork does not copy it). */
static struct ptimer *itimer_real(struct task *t)
{
	struct ptimer *pt = &t->timers.real;

	if (!pt->owner) {
		pt->owner = t;
		pt->id = -1;
		pt->clock = CLOCK_MONOTONIC;
		pt->notify = SIGEV_SIGNAL;
		pt->signo = SIGALRM;
		pt->timer.fn = ptimer_fire;
	}
	return pt;
}

void posix_timers_new_leader(struct task *t, struct task *old)
{
	struct task_timers *from = &old->timers, *to = &t->timers;
	unsigned long flags;
	s64 left, interval;

	posix_timers_exec(old); /* what exec ends anyway */
	flags = spin_lock_irqsave(&ptimer_lock);
	to->virt_left = from->virt_left;
	to->virt_interval = from->virt_interval;
	to->prof_left = from->prof_left;
	to->prof_interval = from->prof_interval;
	from->virt_left = from->prof_left = 0;
	ptimer_get(&from->real, &left, &interval);
	ptimer_disarm(&from->real); /* a callback not yet in sees it disarmed */
	if (left)
		ptimer_arm(itimer_real(t), left, interval, false);
	spin_unlock_irqrestore(&ptimer_lock, flags);
	ptimer_kill(&from->real);
}

/* Reads timer which of the caller into old, and sets it to new (if given). */
static long do_itimer(int which, const struct itimerval *new,
		      struct itimerval *old)
{
	struct task *t = current_task()->group_leader;
	struct task_timers *tt = &t->timers;
	struct ptimer *pt = &tt->real;
	u64 *left, *interval;
	s64 l, i;
	unsigned long flags = spin_lock_irqsave(&ptimer_lock);

	if (which == ITIMER_REAL) {
		ptimer_get(pt, &l, &i);
		if (new)
			ptimer_arm(itimer_real(t), timeval_to_ns(&new->it_value),
				   timeval_to_ns(&new->it_interval), false);
	} else {
		left = which == ITIMER_VIRTUAL ? &tt->virt_left : &tt->prof_left;
		interval = which == ITIMER_VIRTUAL ? &tt->virt_interval :
						     &tt->prof_interval;
		l = (s64)*left;
		i = (s64)*interval;
		if (new) {
			WRITE_ONCE(*left, (u64)timeval_to_ns(&new->it_value));
			*interval = *left ? (u64)timeval_to_ns(&new->it_interval) : 0;
		}
	}
	spin_unlock_irqrestore(&ptimer_lock, flags);
	ns_to_timeval_up(l, &old->it_value);
	ns_to_timeval_up(i, &old->it_interval);
	return 0;
}

SYSCALL_DEFINE2(getitimer, int, which, struct itimerval *, uold)
{
	struct itimerval old;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	do_itimer(which, NULL, &old);
	return copy_to_user(uold, &old, sizeof(old)) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(setitimer, int, which, const struct itimerval *, unew,
		struct itimerval *, uold)
{
	struct itimerval new = { { 0, 0 }, { 0, 0 } }, old;

	/* A NULL new value disarms, as Linux has always accepted. */
	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (!timeval_valid(&new.it_value) || !timeval_valid(&new.it_interval))
		return -EINVAL;
	do_itimer(which, &new, &old);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* POSIX timers */

/* ptimer_lock held: the caller's timer id, or NULL. */
static struct ptimer *find_ptimer(int id)
{
	struct ptimer *pt;

	for (pt = current_task()->group_leader->timers.posix; pt; pt = pt->next)
		if (pt->id == id)
			return pt;
	return NULL;
}

/* Takes the caller's timer id off its list: it, or NULL. */
static struct ptimer *ptimer_unlink(int id)
{
	unsigned long flags = spin_lock_irqsave(&ptimer_lock);
	struct ptimer **p, *pt = NULL;

	for (p = &current_task()->group_leader->timers.posix; *p; p = &(*p)->next) {
		if ((*p)->id == id) {
			pt = *p;
			*p = pt->next;
			break;
		}
	}
	spin_unlock_irqrestore(&ptimer_lock, flags);
	return pt;
}

/*
 * The clock of a new timer, or -1. glibc names the CPU clocks of the
 * caller by Linux's encoding (~pid << 3 | 2, bit 2 for the thread's, pid
 * 0 for the caller); timers on other processes' CPU clocks are refused.
 */
static int posix_clock(int clock)
{
	int pid;

	if (clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC ||
	    clock == CLOCK_BOOTTIME || clock == CLOCK_TAI || cpu_clock(clock))
		return clock;
	if (clock >= 0 || (clock & 3) != 2)
		return -1;
	pid = ~(clock >> 3);
	if (pid && pid != current_task()->pid)
		return -1;
	return clock & 4 ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID;
}

SYSCALL_DEFINE3(timer_create, int, clock, const struct sigevent *, usev,
		int *, uid)
{
	struct task *self = current_task(), *t = self->group_leader;
	struct task *thread = NULL;
	struct sigevent sev;
	struct ptimer *pt, *p;
	unsigned long flags;
	int n = 0;

	clock = posix_clock(clock);
	if (clock < 0)
		return -EINVAL;
	if (usev && copy_from_user(&sev, usev, sizeof(sev)))
		return -EFAULT;
	if (!usev)
		sev = (struct sigevent){ .sigev_notify = SIGEV_SIGNAL,
					 .sigev_signo = SIGALRM };
	if (sev.sigev_notify != SIGEV_SIGNAL && sev.sigev_notify != SIGEV_NONE &&
	    sev.sigev_notify != SIGEV_THREAD_ID)
		return -EINVAL;
	if (sev.sigev_notify != SIGEV_NONE &&
	    (sev.sigev_signo < 1 || sev.sigev_signo >= _NSIG))
		return -EINVAL;
	pt = kmalloc(sizeof(*pt), __GFP_ZERO);
	if (!pt)
		return -EAGAIN; /* Linux's errno for "no room for a timer" */
	pt->timer.fn = ptimer_fire;
	pt->owner = t;
	pt->clock = clock;
	pt->notify = sev.sigev_notify;
	pt->signo = sev.sigev_signo;
	pt->clock_thread = clock == CLOCK_THREAD_CPUTIME_ID ? self : NULL;

	flags = spin_lock_irqsave(&ptimer_lock);
	/* Any live thread of the process (Linux: EINVAL for another's). */
	if (sev.sigev_notify == SIGEV_THREAD_ID) {
		spin_lock(&tasklist_lock);
		thread = find_task(sev.sigev_tid);
		if (thread && (thread->tgid != self->tgid || thread->timers.exited))
			thread = NULL;
		spin_unlock(&tasklist_lock);
	}
	pt->thread = thread;
	for (p = t->timers.posix; p; p = p->next)
		n++;
	if (n >= MAX_POSIX_TIMERS || (sev.sigev_notify == SIGEV_THREAD_ID && !thread)) {
		spin_unlock_irqrestore(&ptimer_lock, flags);
		kfree(pt);
		return n >= MAX_POSIX_TIMERS ? -EAGAIN : -EINVAL;
	}
	/* The next id not in use (ids are never negative; they wrap). */
	do {
		pt->id = t->timers.next_id;
		t->timers.next_id = (t->timers.next_id + 1) & 0x7fffffff;
	} while (find_ptimer(pt->id));
	pt->value = usev ? sev.sigev_value : (unsigned long)pt->id;
	pt->next = t->timers.posix;
	t->timers.posix = pt;
	spin_unlock_irqrestore(&ptimer_lock, flags);

	n = pt->id;
	if (copy_to_user(uid, &n, sizeof(n))) {
		/* As Linux: a timer whose id could not be stored is gone. */
		pt = ptimer_unlink(n);
		kfree(pt); /* never armed: no callback to wait for */
		return -EFAULT;
	}
	return 0;
}

static void to_itimerspec(s64 left, s64 interval, struct itimerspec *its)
{
	ns_to_timespec(left, &its->it_value);
	ns_to_timespec(interval, &its->it_interval);
}

SYSCALL_DEFINE2(timer_gettime, int, id, struct itimerspec *, ucur)
{
	struct itimerspec cur;
	unsigned long flags = spin_lock_irqsave(&ptimer_lock);
	struct ptimer *pt = find_ptimer(id);
	s64 left, interval;

	if (pt)
		ptimer_get(pt, &left, &interval);
	spin_unlock_irqrestore(&ptimer_lock, flags);
	if (!pt)
		return -EINVAL;
	to_itimerspec(left, interval, &cur);
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}

SYSCALL_DEFINE4(timer_settime, int, id, int, tflags,
		const struct itimerspec *, unew, struct itimerspec *, uold)
{
	struct itimerspec new, old;
	unsigned long flags;
	struct ptimer *pt;
	s64 left, interval;

	if (!unew)
		return -EINVAL; /* as Linux, before any copy */
	if (copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (!timespec_valid(&new.it_value) || !timespec_valid(&new.it_interval))
		return -EINVAL;
	flags = spin_lock_irqsave(&ptimer_lock);
	pt = find_ptimer(id);
	if (pt) {
		ptimer_get(pt, &left, &interval);
		ptimer_arm(pt, timespec_to_ns(&new.it_value),
			   timespec_to_ns(&new.it_interval),
			   tflags & TIMER_ABSTIME);
	}
	spin_unlock_irqrestore(&ptimer_lock, flags);
	if (!pt)
		return -EINVAL;
	to_itimerspec(left, interval, &old);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(timer_getoverrun, int, id)
{
	unsigned long flags = spin_lock_irqsave(&ptimer_lock);
	struct ptimer *pt = find_ptimer(id);
	long ret = -EINVAL;

	/* The count of the last signal delivered: the pending one's is not yet. */
	if (pt)
		ret = pt->notify != SIGEV_NONE && ptimer_target(pt) &&
				      signal_timer_pending(ptimer_target(pt),
							   pt->notify == SIGEV_THREAD_ID,
							   pt->signo, id) ?
			      pt->overrun_last : pt->overrun;
	spin_unlock_irqrestore(&ptimer_lock, flags);
	return ret;
}

SYSCALL_DEFINE1(timer_delete, int, id)
{
	struct ptimer *pt = ptimer_unlink(id);

	if (!pt)
		return -EINVAL;
	ptimer_kill(pt);
	kfree(pt);
	return 0;
}
