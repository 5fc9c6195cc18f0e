/* SPDX-License-Identifier: BSD-2-Clause */
/* CPU time and resource use: the CPU-time clocks' source, times, getrusage and the children's totals. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/uaccess.h>
#include <asm/page.h>
#include <abi/time.h>
#include "internal.h"

/* times() counts in USER_HZ ticks, 100 a second on every Linux. */
#define USER_HZ 100

/*
 * Accounting is per scheduler tick (kernel/sched/core.c): a task is charged
 * the whole tick it was found running at, so CPU time has the tick's
 * granularity. The counters are written by the task's own hart only.
 */
u64 ticks_cputime_ns(u64 sched_ticks)
{
	return sched_ticks * NSEC_PER_SEC / CONFIG_HZ;
}

u64 process_cputime_ns(struct task *t)
{
	return ticks_cputime_ns(t->tg ? READ_ONCE(t->tg->runtime_ticks) :
					READ_ONCE(t->runtime_ticks));
}

static void sample_rss(struct task *t)
{
	struct mm *mm = t->mm;
	unsigned long rss = mm ? READ_ONCE(mm->rss) : 0;

	if (rss > t->maxrss)
		t->maxrss = rss;
}

void task_time_tick(struct task *t, bool user)
{
	/* The process's clock: ticks of all its threads, on any hart. */
	if (t->tg) {
		__atomic_add_fetch(&t->tg->runtime_ticks, 1, __ATOMIC_RELAXED);
		if (user)
			__atomic_add_fetch(&t->tg->utime_ticks, 1, __ATOMIC_RELAXED);
	}
	sample_rss(t);
	itimer_tick(t, user);
}

void task_time_exit(struct task *t)
{
	sample_rss(t);
	posix_timers_thread_exit(t);
	/* Not the leader (any more, after execve): what it holds dies with it. */
	if (t != t->group_leader)
		posix_timers_exit(t);
}

void task_time_process_exit(struct task *leader)
{
	posix_timers_exit(leader);
}

/* Thread t's own counts (RUSAGE_THREAD; a task without a group). */
static void thread_usage(const struct task *t, struct child_usage *u)
{
	u->runtime_ticks = READ_ONCE(t->runtime_ticks);
	u->utime_ticks = READ_ONCE(t->utime_ticks);
	u->min_flt = READ_ONCE(t->min_flt);
	u->nvcsw = READ_ONCE(t->nvcsw);
	u->nivcsw = READ_ONCE(t->nivcsw);
	u->maxrss = READ_ONCE(t->maxrss);
}

void task_time_thread_reaped(struct thread_group *tg, struct task *t)
{
	tg->freed.min_flt += t->min_flt;
	tg->freed.nvcsw += t->nvcsw;
	tg->freed.nivcsw += t->nivcsw;
	tg->freed.maxrss = max(tg->freed.maxrss, t->maxrss);
}

void process_usage_locked(const struct task *p, struct child_usage *u)
{
	const struct thread_group *tg = p->tg;
	struct child_usage one;
	const struct task *t;

	if (!tg) {
		thread_usage(p, u);
		return;
	}
	*u = tg->freed;
	u->runtime_ticks = READ_ONCE(tg->runtime_ticks);
	u->utime_ticks = READ_ONCE(tg->utime_ticks);
	for (t = tg->threads; t; t = t->thread_next) {
		thread_usage(t, &one);
		u->min_flt += one.min_flt;
		u->nvcsw += one.nvcsw;
		u->nivcsw += one.nivcsw;
		u->maxrss = max(u->maxrss, one.maxrss);
	}
}

void child_usage_of(const struct task *c, struct child_usage *u)
{
	process_usage_locked(c, u);
	u->runtime_ticks += c->cusage.runtime_ticks;
	u->utime_ticks += c->cusage.utime_ticks;
	u->min_flt += c->cusage.min_flt;
	u->nvcsw += c->cusage.nvcsw;
	u->nivcsw += c->cusage.nivcsw;
	u->maxrss = max(u->maxrss, c->cusage.maxrss);
}

void rusage_add_child(struct task *parent, struct task *child)
{
	struct child_usage u;

	child_usage_of(child, &u);
	parent->cusage.runtime_ticks += u.runtime_ticks;
	parent->cusage.utime_ticks += u.utime_ticks;
	parent->cusage.min_flt += u.min_flt;
	parent->cusage.nvcsw += u.nvcsw;
	parent->cusage.nivcsw += u.nivcsw;
	parent->cusage.maxrss = max(parent->cusage.maxrss, u.maxrss);
}

static void ns_to_timeval(u64 ns, struct timeval *tv)
{
	tv->tv_sec = (long)(ns / NSEC_PER_SEC);
	tv->tv_usec = (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
}

void rusage_of_child(const struct child_usage *u, struct rusage *ru)
{
	memset(ru, 0, sizeof(*ru));
	ns_to_timeval(ticks_cputime_ns(u->utime_ticks), &ru->ru_utime);
	ns_to_timeval(ticks_cputime_ns(u->runtime_ticks - u->utime_ticks),
		      &ru->ru_stime);
	ru->ru_maxrss = (long)(u->maxrss * (PAGE_SIZE / 1024));
	ru->ru_minflt = (long)u->min_flt;
	ru->ru_nvcsw = (long)u->nvcsw;
	ru->ru_nivcsw = (long)u->nivcsw;
}

/*
 * The calling process's use (RUSAGE_SELF, times()), or the calling
 * thread's (RUSAGE_THREAD), or the process's reaped children's
 * (RUSAGE_CHILDREN: they hang on the leader, whatever thread waited).
 */
static void usage_of(int who, struct child_usage *u)
{
	struct task *t = current_task();
	unsigned long flags;

	sample_rss(t);
	if (who == RUSAGE_THREAD) {
		thread_usage(t, u);
		return;
	}
	flags = spin_lock_irqsave(&tasklist_lock);
	if (who == RUSAGE_SELF)
		process_usage_locked(t, u);
	else
		*u = t->group_leader->cusage;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage *, uru)
{
	struct child_usage u;
	struct rusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_THREAD && who != RUSAGE_CHILDREN)
		return -EINVAL;
	usage_of(who, &u);
	rusage_of_child(&u, &ru);
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

static long ticks_to_clock_t(u64 sched_ticks)
{
	return (long)(ticks_cputime_ns(sched_ticks) / (NSEC_PER_SEC / USER_HZ));
}

/* Returns the monotonic time in USER_HZ ticks, as Linux (from its own origin). */
SYSCALL_DEFINE1(times, struct tms *, ubuf)
{
	struct child_usage self, children;
	struct tms tms;

	usage_of(RUSAGE_SELF, &self);
	usage_of(RUSAGE_CHILDREN, &children);
	tms.tms_utime = ticks_to_clock_t(self.utime_ticks);
	tms.tms_stime = ticks_to_clock_t(self.runtime_ticks - self.utime_ticks);
	tms.tms_cutime = ticks_to_clock_t(children.utime_ticks);
	tms.tms_cstime = ticks_to_clock_t(children.runtime_ticks -
					  children.utime_ticks);
	if (ubuf && copy_to_user(ubuf, &tms, sizeof(tms)))
		return -EFAULT;
	return (long)(ktime_get_ns() / (NSEC_PER_SEC / USER_HZ));
}
