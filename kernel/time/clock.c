/* SPDX-License-Identifier: BSD-2-Clause */
/* The clocks: clock_gettime/settime/getres, gettimeofday/settimeofday, nanosleep and clock_nanosleep. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/uaccess.h>
#include <abi/time.h>
#include "internal.h"

/*
 * Linux's encoding of another task's CPU-time clock (clock_getcpuclockid):
 * ~pid << 3, bit 2 for a thread's, low bits 2 for CPUCLOCK_SCHED.
 */
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_SCHED 2

/* The resolution of the coarse clocks: one tick, as Linux's. */
#define COARSE_NS (NSEC_PER_SEC / CONFIG_HZ)

s64 timespec_to_ns(const struct timespec *ts)
{
	/* Past ~136 years a sleep or timer is as good as forever. */
	if (ts->tv_sec > (1L << 32))
		return (s64)(1ULL << 32) * (s64)NSEC_PER_SEC;
	return ts->tv_sec * (s64)NSEC_PER_SEC + ts->tv_nsec;
}

void ns_to_timespec(s64 ns, struct timespec *ts)
{
	ts->tv_sec = ns / (s64)NSEC_PER_SEC;
	ts->tv_nsec = ns % (s64)NSEC_PER_SEC;
	if (ts->tv_nsec < 0) {
		ts->tv_sec--;
		ts->tv_nsec += NSEC_PER_SEC;
	}
}

bool timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < (long)NSEC_PER_SEC;
}

/* A CPU-time clock of a task (the caller, or one by Linux's encoding): its ns or -errno. */
static s64 cpu_clock_ns(int clock)
{
	unsigned long flags;
	struct task *t;
	s64 ns = -EINVAL;
	int pid;

	if (clock == CLOCK_PROCESS_CPUTIME_ID)
		return (s64)process_cputime_ns(current_task());
	if (clock == CLOCK_THREAD_CPUTIME_ID)
		return (s64)ticks_cputime_ns(READ_ONCE(current_task()->runtime_ticks));
	if (clock >= 0 || (clock & 3) != CPUCLOCK_SCHED)
		return -EINVAL;
	pid = ~(clock >> 3);
	flags = spin_lock_irqsave(&tasklist_lock);
	t = pid ? find_task(pid) : current_task();
	if (t && t->mm)
		ns = clock & CPUCLOCK_PERTHREAD ?
			     (s64)ticks_cputime_ns(READ_ONCE(t->runtime_ticks)) :
			     (s64)process_cputime_ns(t);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ns;
}

s64 clock_read_ns(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_TAI: /* TAI - UTC is 0 until someone sets it, as Linux */
		return ktime_get_real_ns();
	case CLOCK_REALTIME_COARSE:
		return ktime_get_real_ns() / (s64)COARSE_NS * (s64)COARSE_NS;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME: /* Hartix never suspends */
		return (s64)ktime_get_ns();
	case CLOCK_MONOTONIC_COARSE:
		return (s64)(ktime_get_ns() / COARSE_NS * COARSE_NS);
	default:
		return cpu_clock_ns(clock);
	}
}

/* The clock ids Linux has (but the alarm clocks), and live CPU clocks. */
static bool clock_valid(int clock)
{
	if (clock >= 0)
		return clock <= CLOCK_BOOTTIME || clock == CLOCK_TAI;
	return cpu_clock_ns(clock) >= 0;
}

SYSCALL_DEFINE2(clock_gettime, int, clock, struct timespec *, uts)
{
	s64 ns = clock_read_ns(clock);
	struct timespec ts;

	/* ns < 0: a CPU clock of no (or no longer a) task. */
	if (ns < 0 || (clock >= 0 && !clock_valid(clock)))
		return -EINVAL;
	ns_to_timespec(ns, &ts);
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_getres, int, clock, struct timespec *, uts)
{
	struct timespec ts = { 0, 1 }; /* high resolution, as Linux's hrtimers */

	if (!clock_valid(clock))
		return -EINVAL;
	if (clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE)
		ts.tv_nsec = COARSE_NS;
	return uts && copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Everything runs as uid 0 with every capability, so no EPERM here yet. */
static long set_realtime(const struct timespec *ts)
{
	if (!timespec_valid(ts))
		return -EINVAL;
	ktime_set_real_ns(timespec_to_ns(ts));
	return 0;
}

SYSCALL_DEFINE2(clock_settime, int, clock, const struct timespec *, uts)
{
	struct timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (clock != CLOCK_REALTIME)
		return -EINVAL; /* the others cannot be set, as on Linux */
	return set_realtime(&ts);
}

/* The obsolete time zone, only stored and given back; under tz_lock. */
static struct timezone sys_tz;
static DEFINE_SPINLOCK(tz_lock);

SYSCALL_DEFINE2(gettimeofday, struct timeval *, utv, struct timezone *, utz)
{
	s64 ns = ktime_get_real_ns();
	struct timeval tv = { ns / (s64)NSEC_PER_SEC,
			      ns % (s64)NSEC_PER_SEC / (s64)NSEC_PER_USEC };
	struct timezone tz;
	unsigned long flags;

	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	flags = spin_lock_irqsave(&tz_lock);
	tz = sys_tz;
	spin_unlock_irqrestore(&tz_lock, flags);
	if (utz && copy_to_user(utz, &tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(settimeofday, const struct timeval *, utv,
		const struct timezone *, utz)
{
	struct timespec ts;
	struct timeval tv;
	struct timezone tz;
	unsigned long flags;

	if (utv && copy_from_user(&tv, utv, sizeof(tv)))
		return -EFAULT;
	if (utz && copy_from_user(&tz, utz, sizeof(tz)))
		return -EFAULT;
	if (utv && (tv.tv_usec < 0 || tv.tv_usec >= (long)(NSEC_PER_SEC / NSEC_PER_USEC)))
		return -EINVAL;
	if (utz && (tz.tz_minuteswest < -15 * 60 || tz.tz_minuteswest > 15 * 60))
		return -EINVAL;
	if (utz) {
		flags = spin_lock_irqsave(&tz_lock);
		sys_tz = tz;
		spin_unlock_irqrestore(&tz_lock, flags);
	}
	if (!utv)
		return 0;
	ts.tv_sec = tv.tv_sec;
	ts.tv_nsec = tv.tv_usec * (long)NSEC_PER_USEC;
	return set_realtime(&ts);
}

/*
 * The one sleep of nanosleep and clock_nanosleep: until the clock reads
 * req (abs) or for req. A realtime deadline is turned into a monotonic one
 * at the start: setting the clock meanwhile does not move it.
 */
static long do_nanosleep(int clock, bool abs, const struct timespec *req,
			 struct timespec *urem)
{
	s64 now = clock_read_ns(clock), deadline = timespec_to_ns(req);
	struct timespec rem;
	u64 left;

	if (abs && deadline <= now)
		return 0;
	left = sleep_interruptible(ns_to_ticks(abs ? (u64)(deadline - now) :
						     (u64)deadline));
	if (!left)
		return 0;
	/*
	 * Interrupted: EINTR, with the time left for a relative sleep, or a
	 * restart (from the start again for a relative one) if no handler ran.
	 */
	if (!abs && urem) {
		ns_to_timespec((s64)(left / timebase_freq * NSEC_PER_SEC +
				     left % timebase_freq * NSEC_PER_SEC /
					     timebase_freq),
			       &rem);
		if (copy_to_user(urem, &rem, sizeof(rem)))
			return -EFAULT;
	}
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE2(nanosleep, const struct timespec *, ureq,
		struct timespec *, urem)
{
	struct timespec req;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (!timespec_valid(&req))
		return -EINVAL;
	return do_nanosleep(CLOCK_MONOTONIC, false, &req, urem);
}

SYSCALL_DEFINE4(clock_nanosleep, int, clock, int, flags,
		const struct timespec *, ureq, struct timespec *, urem)
{
	struct timespec req;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		break;
	case CLOCK_THREAD_CPUTIME_ID:
		return -EINVAL;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_PROCESS_CPUTIME_ID:
		return -EOPNOTSUPP; /* Linux: no sleeping on these (CPU time: not yet) */
	default:
		return -EINVAL;
	}
	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (!timespec_valid(&req))
		return -EINVAL;
	return do_nanosleep(clock, flags & TIMER_ABSTIME, &req, urem);
}
