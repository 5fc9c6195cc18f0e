/* SPDX-License-Identifier: BSD-2-Clause */
/* siginfo for user space, and the calls that take signals as data: rt_sigtimedwait, rt_sigqueueinfo. */
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/siginfo.h>
#include <hartix/signal.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/uaccess.h>
#include <abi/time.h>

BUILD_BUG_ON(sizeof(struct user_siginfo) != 128);

void siginfo_to_user(struct user_siginfo *si, int sig,
		     const struct k_siginfo *info)
{
	memset(si, 0, sizeof(*si));
	si->signo = sig;
	si->code = info->code;
	if (sig == SIGCHLD) {
		si->proc.pid = info->pid;
		si->proc.status = info->status;
	} else if (info->code > 0 && info->code < SI_KERNEL &&
		   (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
		    sig == SIGTRAP || sig == SIGFPE)) {
		si->addr = info->addr;
	} else if (info->code == SI_TIMER) {
		si->timer.tid = info->timerid;
		si->timer.overrun = info->overrun;
		si->timer.value = info->value;
	} else {
		si->rt.pid = info->pid;
		si->rt.value = info->value; /* 0 but for SI_QUEUE */
	}
}

#ifdef CONFIG_SIGNAL_EXTRA

/*
 * Waits for a signal of set, also a blocked one: the set is unblocked
 * meanwhile (as Linux), so a sender wakes us, and taken before the return
 * to user mode could run its handler.
 */
SYSCALL_DEFINE4(rt_sigtimedwait, const sigset_t *, uset,
		struct user_siginfo *, uinfo, const struct timespec *, uts,
		unsigned long, sigsetsize)
{
	struct task *t = current_task();
	struct k_siginfo info;
	struct user_siginfo si;
	struct timespec ts;
	sigset_t set;
	u64 ticks = 0;
	int sig;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~SIG_KERNEL_ONLY;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    ts.tv_nsec >= (long)NSEC_PER_SEC)
			return -EINVAL;
		ticks = ns_to_ticks(ts.tv_sec > (1L << 32) ?
					    (1ULL << 32) * NSEC_PER_SEC :
					    (u64)ts.tv_sec * NSEC_PER_SEC +
						    (u64)ts.tv_nsec);
	}
	sig = signal_dequeue(set, &info);
	if (!sig && (!uts || ticks)) {
		signal_set_temporary_mask(t->sig.blocked & ~set);
		if (uts) {
			sleep_interruptible(ticks);
		} else {
			while (!signal_pending(t)) {
				t->state = TASK_SLEEPING;
				schedule(); /* not asleep with one pending */
			}
		}
		sig = signal_dequeue(set, &info);
		signal_restore_saved_mask();
	}
	if (!sig)
		return signal_pending(t) ? -EINTR : -EAGAIN;
	if (uinfo) {
		siginfo_to_user(&si, sig, &info);
		if (copy_to_user(uinfo, &si, sizeof(si)))
			return -EFAULT;
	}
	return sig;
}

/*
 * rt_sigqueueinfo (tid 0) and rt_tgsigqueueinfo: sig with the caller's
 * siginfo to process pid, or to its thread tid.
 */
static long queue_info(int pid, int tid, int sig, const struct user_siginfo *uinfo)
{
	struct user_siginfo si;
	struct k_siginfo info;

	if (copy_from_user(&si, uinfo, sizeof(si)))
		return -EFAULT;
	/* Not allowed to pose as the kernel or kill() to another process. */
	if ((si.code >= 0 || si.code == SI_TKILL) &&
	    (tid ? tid : pid) != current_task()->pid)
		return -EPERM;
	info = (struct k_siginfo){ .code = si.code, .pid = si.rt.pid,
				   .value = si.rt.value };
	if (si.code == SI_TIMER) {
		info.timerid = si.timer.tid;
		info.overrun = si.timer.overrun;
	}
	if (pid <= 0)
		return -ESRCH; /* Linux looks up pid as is: no groups here */
	return signal_send_info(pid, tid, sig, &info);
}

SYSCALL_DEFINE3(rt_sigqueueinfo, int, pid, int, sig,
		const struct user_siginfo *, uinfo)
{
	return queue_info(pid, 0, sig, uinfo);
}

SYSCALL_DEFINE4(rt_tgsigqueueinfo, int, tgid, int, tid, int, sig,
		const struct user_siginfo *, uinfo)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	return queue_info(tgid, tid, sig, uinfo);
}

#endif /* CONFIG_SIGNAL_EXTRA */
