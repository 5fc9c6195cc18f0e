/* SPDX-License-Identifier: BSD-2-Clause */
/* Resource limits: prlimit64, getrlimit, setrlimit and the limits' defaults. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/resource.h>
#include <hartix/sched.h>
#include <hartix/spinlock.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>

/*
 * Linux's (INIT_RLIMITS), but for the descriptor table's size
 * (RLIMIT_NOFILE, which cannot go past it: Linux's nr_open) and the
 * process table's (RLIMIT_NPROC, SIGPENDING).
 *
 * Enforced: RLIMIT_STACK (stack growth, mm/mmap.c), RLIMIT_DATA and
 * RLIMIT_AS (mmap, brk, mremap and stack growth: ENOMEM), RLIMIT_NOFILE
 * (EMFILE, and dup2/dup3/F_DUPFD beyond it, fs/file.c), RLIMIT_SIGPENDING
 * (queued real-time signals, kernel/signal.c). RLIMIT_NPROC,
 * as on Linux, does not hold back uid 0, and every process here is
 * uid 0 (MAX_PROCESSES is what stops a fork bomb). The others are
 * kept and reported only: nothing here would use them (no core dumps,
 * no locked memory, no real-time priorities, no CPU time limits).
 */
static const struct rlimit64 rlimit_defaults[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_FSIZE] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_DATA] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_STACK] = { 8UL << 20, RLIM_INFINITY },
	[RLIMIT_CORE] = { 0, RLIM_INFINITY },
	[RLIMIT_RSS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_NPROC] = { MAX_PROCESSES, MAX_PROCESSES },
	[RLIMIT_NOFILE] = { NR_OPEN, NR_OPEN },
	[RLIMIT_MEMLOCK] = { 8UL << 20, 8UL << 20 },
	[RLIMIT_AS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_LOCKS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_SIGPENDING] = { MAX_PROCESSES, MAX_PROCESSES },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INFINITY, RLIM_INFINITY },
};

/*
 * The creator's limits are copied without tasklist_lock: only a
 * prlimit64() from another process may change them meanwhile, and each
 * limit is then either the old or the new one, as if it had come before
 * or after the fork.
 */
void rlimit_init(struct rlimit64 *rlim)
{
	struct task *t = current_task();
	unsigned int i;

	for (i = 0; i < RLIM_NLIMITS; i++) {
		rlim[i].cur = t->tg ? READ_ONCE(t->tg->rlim[i].cur) :
				      rlimit_defaults[i].cur;
		rlim[i].max = t->tg ? READ_ONCE(t->tg->rlim[i].max) :
				      rlimit_defaults[i].max;
	}
}

/*
 * A kernel thread has the defaults, which a process it sets up (the
 * first one) starts with.
 */
unsigned long rlimit(unsigned int resource)
{
	struct task *t = current_task();

	return t->tg ? READ_ONCE(t->tg->rlim[resource].cur) :
	       rlimit_defaults[resource].cur;
}

/*
 * As Linux's do_prlimit(): the old value is read and the new one set in
 * one step, under tasklist_lock (which also keeps t alive). Raising a hard
 * limit needs CAP_SYS_RESOURCE, which uid 0 has: it is only refused past
 * what the kernel can give (RLIMIT_NOFILE beyond NR_OPEN: EPERM).
 */
static long do_prlimit(int pid, unsigned int resource,
		       const struct rlimit64 *new, struct rlimit64 *old)
{
	unsigned long flags;
	struct task *t;
	long ret = 0;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->cur > new->max)
		return -EINVAL;
	if (new && resource == RLIMIT_NOFILE && new->max > NR_OPEN)
		return -EPERM;
	flags = spin_lock_irqsave(&tasklist_lock);
	t = pid ? find_task(pid) : current_task();
	/* Kernel threads have no limits to show. */
	if (!t || !t->tg) {
		ret = -ESRCH;
	} else {
		if (old)
			*old = t->tg->rlim[resource];
		if (new) {
			WRITE_ONCE(t->tg->rlim[resource].cur, new->cur);
			WRITE_ONCE(t->tg->rlim[resource].max, new->max);
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* Linux's order: the new limit is read first, the old one written last. */
SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, resource,
		const struct rlimit64 *, unew, struct rlimit64 *, uold)
{
	struct rlimit64 new, old;
	long ret;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (pid < 0)
		return -ESRCH;
	ret = do_prlimit(pid, resource, unew ? &new : NULL,
			 uold ? &old : NULL);
	if (!ret && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

/* riscv64 has these too (__ARCH_WANT_SET_GET_RLIMIT); struct rlimit is rlimit64's shape. */
SYSCALL_DEFINE2(getrlimit, unsigned int, resource, struct rlimit64 *, urlim)
{
	struct rlimit64 old;
	long ret = do_prlimit(0, resource, NULL, &old);

	if (!ret && copy_to_user(urlim, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource,
		const struct rlimit64 *, urlim)
{
	struct rlimit64 new;

	if (copy_from_user(&new, urlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(0, resource, &new, NULL);
}
