/* SPDX-License-Identifier: BSD-2-Clause */
/* System calls: Linux riscv64 numbers, number in a7, arguments in a0-a5, result in a0. */
#include <hartix/errno.h>
#include <hartix/boot.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/printk.h>
#include <hartix/random.h>
#include <hartix/sched.h>
#include <hartix/siginfo.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/uaccess.h>
#include <asm/page.h>
#include <abi/random.h>
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

/* Only fork's form: a new process with SIGCHLD to the parent at exit. */
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp,
		unsigned long, ptid, unsigned long, tls, unsigned long, ctid)
{
	if (flags != SIGCHLD)
		return -EINVAL; /* threads (CLONE_VM ...) are not supported yet */
	return process_fork(task_user_regs(current_task()), newsp);
}
SYSCALL_FULL_FRAME(clone);

#define EXEC_MAX_ARGS 32
#define EXEC_ARG_SPACE 4096

/* Copies a NULL-terminated user array of strings into space; -errno or count. */
static long copy_strings(const char *const *uvec, const char **out,
			 char *space, size_t *used)
{
	long n;

	for (n = 0; uvec; n++) {
		unsigned long up;
		long len;

		if (n == EXEC_MAX_ARGS)
			return -E2BIG;
		if (copy_from_user(&up, &uvec[n], sizeof(up)))
			return -EFAULT;
		if (!up)
			break;
		len = strncpy_from_user(space + *used, (const char *)up,
					(long)(EXEC_ARG_SPACE - *used));
		if (len < 0)
			return len;
		if ((size_t)len >= EXEC_ARG_SPACE - *used)
			return -E2BIG;
		out[n] = space + *used;
		*used += (size_t)len + 1;
	}
	out[n] = NULL;
	return n;
}

/* Programs are read from the file system (absolute paths from the root). */
SYSCALL_DEFINE3(execve, unsigned long, upath, unsigned long, uargv,
		unsigned long, uenvp)
{
	const char *argv[EXEC_MAX_ARGS + 1], *envp[EXEC_MAX_ARGS + 1];
	char *space = alloc_page(0), *path;
	const char *why = "";
	size_t used = 0;
	long ret;

	if (!space)
		return -ENOMEM;
	path = get_path((const char *)upath, &ret);
	if (path)
		ret = copy_strings((const char *const *)uargv, argv, space, &used);
	if (ret >= 0)
		ret = copy_strings((const char *const *)uenvp, envp, space, &used);
	if (ret >= 0)
		ret = exec_file(current_task(), path, argv, envp, &why);
	if (ret == 0) {
		strscpy(current_task()->comm,
			strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
			sizeof(current_task()->comm));
		files_exec(current_task()->files);
		posix_timers_exec(current_task());
		if (IS_ENABLED(CONFIG_SIGNAL_EXTRA))
			sigaltstack_reset(current_task());
	}
	kfree(path);
	free_page(space);
	return ret;
}
SYSCALL_FULL_FRAME(execve);

SYSCALL_DEFINE0(sched_yield)
{
	yield();
	return 0;
}

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
		domainname[65];
};

SYSCALL_DEFINE1(uname, unsigned long, ubuf)
{
	struct utsname uts = { "Hartix", "hartix", "", "#1", "riscv64",
			       "(none)" };

	strscpy(uts.release, hartix_release, sizeof(uts.release));
	return copy_to_user((void *)ubuf, &uts, sizeof(uts)) ? -EFAULT : 0;
}

/*
 * Linux semantics: returns the new break, or the old one when it cannot
 * move; it never grows over another mapping.
 */
SYSCALL_DEFINE1(brk, unsigned long, addr)
{
	struct mm *mm = current_task()->mm;
	unsigned long old = ALIGN_UP(mm->brk, PAGE_SIZE), new;

	if (addr < mm->brk_start || addr > STACK_TOP - mm->stack_limit)
		return (long)mm->brk;
	new = ALIGN_UP(addr, PAGE_SIZE);
	if (new > old && mm_map(mm, old, new - old, PROT_READ | PROT_WRITE,
				 true, VM_HEAP | MM_MAP_NOREPLACE) < 0)
		return (long)mm->brk;
	if (new < old && mm_unmap(mm, new, old - new))
		return (long)mm->brk;
	mm->brk = addr;
	return (long)addr;
}

/* Anonymous mappings; MAP_SHARED ones stay shared with forked children. */
SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len,
		unsigned long, prot, unsigned long, flags, unsigned long, fd,
		unsigned long, off)
{
	unsigned long known = MAP_SHARED | MAP_PRIVATE | MAP_FIXED |
			      MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE |
			      MAP_POPULATE | MAP_FIXED_NOREPLACE;

	if (!(flags & MAP_ANONYMOUS))
		return (long)fd < 0 ? -EBADF : -ENODEV; /* no files yet */
	if ((flags & ~known) || !(flags & (MAP_SHARED | MAP_PRIVATE)) ||
	    (flags & MAP_SHARED && flags & MAP_PRIVATE) || !len ||
	    (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	return mm_map(current_task()->mm, addr, len, (unsigned int)prot,
		      flags & (MAP_FIXED | MAP_FIXED_NOREPLACE),
		      (flags & MAP_SHARED ? VM_SHARED : 0) |
		      (flags & MAP_FIXED_NOREPLACE ? MM_MAP_NOREPLACE : 0));
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, unsigned long, len)
{
	return mm_unmap(current_task()->mm, addr, len);
}

SYSCALL_DEFINE3(mprotect, unsigned long, addr, unsigned long, len,
		unsigned long, prot)
{
	return mm_protect(current_task()->mm, addr, len, (unsigned int)prot);
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

/* Threads are not supported yet: nothing clears the word at exit. */
SYSCALL_DEFINE1(set_tid_address, unsigned long, uaddr)
{
	return current_task()->pid;
}

#define RLIM_INFINITY (~0UL)
#define RLIMIT_NPROC 6
#define RLIMIT_NLIMITS 16

struct rlimit64 {
	unsigned long cur, max;
};

/* Reports the limits Hartix has (process count, else none); setting is refused. */
SYSCALL_DEFINE4(prlimit64, unsigned long, pid, unsigned long, resource,
		unsigned long, unew, unsigned long, uold)
{
	struct rlimit64 lim = { RLIM_INFINITY, RLIM_INFINITY }, new;

	/* Linux's order: the new limit is read first, then everything checked. */
	if (unew && copy_from_user(&new, (const void *)unew, sizeof(new)))
		return -EFAULT;
	if (resource >= RLIMIT_NLIMITS)
		return -EINVAL;
	if (pid && (int)pid != current_task()->pid)
		return -EPERM; /* other processes' limits: not supported yet */
	if (unew && new.cur > new.max)
		return -EINVAL;
	if (unew)
		return -EPERM; /* setting limits: not supported yet */
	if (resource == RLIMIT_NPROC)
		lim.cur = lim.max = MAX_PROCESSES;
	if (uold && copy_to_user((void *)uold, &lim, sizeof(lim)))
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
