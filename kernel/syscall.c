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

SYSCALL_DEFINE0(getppid)
{
	return process_getppid();
}

SYSCALL_DEFINE0(sched_yield)
{
	yield();
	return 0;
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
