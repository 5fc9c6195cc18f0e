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
	return ticks_cputime_ns(READ_ONCE(t->runtime_ticks));
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
	sample_rss(t);
	itimer_tick(t, user);
}

void task_time_exit(struct task *t)
{
	sample_rss(t);
	posix_timers_exit(t);
}

void child_usage_of(const struct task *c, struct child_usage *u)
{
	u->runtime_ticks = c->runtime_ticks + c->cusage.runtime_ticks;
	u->utime_ticks = c->utime_ticks + c->cusage.utime_ticks;
	u->min_flt = c->min_flt + c->cusage.min_flt;
	u->nvcsw = c->nvcsw + c->cusage.nvcsw;
	u->nivcsw = c->nivcsw + c->cusage.nivcsw;
	u->maxrss = max(c->maxrss, c->cusage.maxrss);
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

/* The calling task's own use (a process is one task until threads come). */
static void self_usage(struct child_usage *u)
{
	struct task *t = current_task();

	sample_rss(t);
	u->runtime_ticks = READ_ONCE(t->runtime_ticks);
	u->utime_ticks = READ_ONCE(t->utime_ticks);
	u->min_flt = READ_ONCE(t->min_flt);
	u->nvcsw = t->nvcsw;
	u->nivcsw = t->nivcsw;
	u->maxrss = t->maxrss;
}

static void children_usage(struct child_usage *u)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	*u = current_task()->cusage;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage *, uru)
{
	struct child_usage u;
	struct rusage ru;

	if (who == RUSAGE_SELF || who == RUSAGE_THREAD)
		self_usage(&u);
	else if (who == RUSAGE_CHILDREN)
		children_usage(&u);
	else
		return -EINVAL;
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

	self_usage(&self);
	children_usage(&children);
	tms.tms_utime = ticks_to_clock_t(self.utime_ticks);
	tms.tms_stime = ticks_to_clock_t(self.runtime_ticks - self.utime_ticks);
	tms.tms_cutime = ticks_to_clock_t(children.utime_ticks);
	tms.tms_cstime = ticks_to_clock_t(children.runtime_ticks -
					  children.utime_ticks);
	if (ubuf && copy_to_user(ubuf, &tms, sizeof(tms)))
		return -EFAULT;
	return (long)(ktime_get_ns() / (NSEC_PER_SEC / USER_HZ));
}
