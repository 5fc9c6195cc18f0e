/* SPDX-License-Identifier: BSD-2-Clause */
/* System calls: Linux riscv64 numbers, number in a7, arguments in a0-a5, result in a0. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/printk.h>
#include <hartix/random.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/uaccess.h>
#include <asm/page.h>
#include <abi/random.h>
#include <abi/sched.h>
#include <abi/time.h>
#include <abi/wait.h>

SYSCALL_DEFINE1(exit, unsigned long, code)
{
	task_exit(W_EXITCODE(code));
}

SYSCALL_DEFINE0(getpid)
{
	return current_task()->pid;
}

SYSCALL_DEFINE0(getppid)
{
	return process_getppid();
}

SYSCALL_DEFINE4(wait4, unsigned long, pid, unsigned long, ustatus,
		unsigned long, options, unsigned long, urusage)
{
	int status = 0;
	long ret;

	if (options & ~(WNOHANG | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	/* Like Linux: the child is reaped even if the status cannot be stored. */
	ret = process_wait((int)pid, &status, (int)options);
	if (ret > 0 && ustatus &&
	    copy_to_user((void *)ustatus, &status, sizeof(status)))
		return -EFAULT;
	if (ret > 0 && urusage && clear_user((void *)urusage, 144))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE0(sched_yield)
{
	yield();
	return 0;
}

SYSCALL_DEFINE2(clock_gettime, unsigned long, clock, unsigned long, uts)
{
	u64 ns = ktime_get_ns();
	struct timespec ts = { (long)(ns / NSEC_PER_SEC),
			       (long)(ns % NSEC_PER_SEC) };

	if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME)
		return -EINVAL;
	return copy_to_user((void *)uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(nanosleep, unsigned long, ureq, unsigned long, urem)
{
	struct timespec req, rem;
	u64 ticks, left;

	if (copy_from_user(&req, (const void *)ureq, sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	/* Rounded up; capped at about 136 years at 10 MHz. */
	ticks = (u64)req.tv_sec > (1ULL << 32) ? (u64)1 << 62 :
		(u64)req.tv_sec * timebase_freq +
		((u64)req.tv_nsec * timebase_freq + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
	left = sleep_interruptible(ticks);
	if (!left)
		return 0;
	/* Interrupted: EINTR with the time left (restarted if no handler ran). */
	rem.tv_sec = (long)(left / timebase_freq);
	rem.tv_nsec = (long)(left % timebase_freq * NSEC_PER_SEC / timebase_freq);
	if (urem && copy_to_user((void *)urem, &rem, sizeof(rem)))
		return -EFAULT;
	return -ERESTARTNOHAND;
}

/* The shared generator of kernel/random.c (not cryptographic). */
SYSCALL_DEFINE3(getrandom, unsigned long, ubuf, unsigned long, len,
		unsigned long, flags)
{
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM))
		return -EINVAL;
	if ((long)len < 0)
		return -EINVAL;
	return random_read_user((void *)ubuf, len);
}

SYSCALL_DEFINE2(gettimeofday, unsigned long, utv, unsigned long, utz)
{
	u64 ns = ktime_get_ns();
	struct timeval tv = { (long)(ns / NSEC_PER_SEC),
			      (long)(ns % NSEC_PER_SEC / 1000) };

	if (utv && copy_to_user((void *)utv, &tv, sizeof(tv)))
		return -EFAULT;
	/* The obsolete timezone: zeroes, as Linux without one set. */
	if (utz && clear_user((void *)utz, 8))
		return -EFAULT;
	return 0;
}

/* The calling task's own affinity (pid 0 or its pid); others: not yet. */
static struct task *affinity_task(unsigned long pid)
{
	return !pid || (int)pid == current_task()->pid ? current_task() : NULL;
}

SYSCALL_DEFINE3(sched_setaffinity, unsigned long, pid, unsigned long, len,
		unsigned long, umask)
{
	struct task *t = affinity_task(pid);
	u64 bits = 0;

	if (!t)
		return -ESRCH;
	if (copy_from_user(&bits, (const void *)umask, min(len, sizeof(bits))))
		return -EFAULT;
	bits &= cpumask_bits(&cpu_online_mask);
	if (!bits)
		return -EINVAL;
	/* One store: the scheduler reads it locklessly on other harts. */
	__atomic_store_n(&t->cpus_allowed.bits, bits, __ATOMIC_RELEASE);
	/*
	 * Off a CPU it may no longer use: schedule() queues it on one it may.
	 * (Preempted before this, the same happens then.)
	 */
	if (!cpumask_test(&t->cpus_allowed, smp_processor_id()))
		yield();
	return 0;
}

SYSCALL_DEFINE3(sched_getaffinity, unsigned long, pid, unsigned long, len,
		unsigned long, umask)
{
	struct task *t = affinity_task(pid);
	u64 bits;

	if (!t)
		return -ESRCH;
	if (len < sizeof(bits) || (len & (sizeof(long) - 1)))
		return -EINVAL;
	bits = cpumask_bits(&t->cpus_allowed);
	if (copy_to_user((void *)umask, &bits, sizeof(bits)))
		return -EFAULT;
	return sizeof(bits);
}

/* The CPU the caller is on (it may move right after); NUMA node 0. */
SYSCALL_DEFINE3(getcpu, unsigned int *, ucpu, unsigned int *, unode,
		void *, unused_cache)
{
	unsigned int cpu = smp_processor_id(), node = 0;

	if (ucpu && copy_to_user(ucpu, &cpu, sizeof(cpu)))
		return -EFAULT;
	if (unode && copy_to_user(unode, &node, sizeof(node)))
		return -EFAULT;
	return 0;
}

/* Everything runs as root: user and group ids are all 0. */
SYSCALL_DEFINE0(getuid)
{
	return 0;
}

SYSCALL_SAME_AS(geteuid, getuid);
SYSCALL_SAME_AS(getgid, getuid);
SYSCALL_SAME_AS(getegid, getuid);
SYSCALL_SAME_AS(exit_group, exit);
SYSCALL_SAME_AS(gettid, getpid);
