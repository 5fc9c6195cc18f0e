/* System calls: Linux riscv64 numbers, number in a7, arguments in a0-a5, result in a0. */
#include <abi/unistd.h>
#include <hartix/errno.h>
#include <hartix/boot.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/vmalloc.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/uaccess.h>
#include <asm/page.h>

#define NR_SYSCALLS 300

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_STACK 0x20000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define GRND_NONBLOCK 0x1
#define GRND_RANDOM 0x2

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

typedef long (*syscall_fn)(unsigned long a0, unsigned long a1, unsigned long a2,
			   unsigned long a3, unsigned long a4, unsigned long a5);

struct timespec {
	long tv_sec;
	long tv_nsec;
};

/* Files (fs/file.c): the arguments as Linux's system calls take them. */
static long sys_openat(unsigned long dirfd, unsigned long upath,
		       unsigned long flags, unsigned long mode,
		       unsigned long a4, unsigned long a5)
{
	return fs_openat((int)dirfd, (const char *)upath, (int)flags, (u32)mode);
}

static long sys_close(unsigned long fd, unsigned long a1, unsigned long a2,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_close((int)fd);
}

static long sys_read(unsigned long fd, unsigned long ubuf, unsigned long count,
		     unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_read((int)fd, (char *)ubuf, count);
}

static long sys_write(unsigned long fd, unsigned long ubuf, unsigned long count,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_write((int)fd, (const char *)ubuf, count);
}

static long sys_lseek(unsigned long fd, unsigned long off, unsigned long whence,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_lseek((int)fd, (long)off, (int)whence);
}

static long sys_getdents64(unsigned long fd, unsigned long ubuf,
			   unsigned long count, unsigned long a3,
			   unsigned long a4, unsigned long a5)
{
	return fs_getdents64((int)fd, (void *)ubuf, count);
}

static long sys_fstat(unsigned long fd, unsigned long ustat, unsigned long a2,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_fstat((int)fd, (void *)ustat);
}

static long sys_newfstatat(unsigned long dirfd, unsigned long upath,
			   unsigned long ustat, unsigned long flags,
			   unsigned long a4, unsigned long a5)
{
	return fs_newfstatat((int)dirfd, (const char *)upath, (void *)ustat,
			     (int)flags);
}

static long sys_ioctl(unsigned long fd, unsigned long cmd, unsigned long arg,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_ioctl((int)fd, (unsigned int)cmd, arg);
}

static long sys_fcntl(unsigned long fd, unsigned long cmd, unsigned long arg,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_fcntl((int)fd, (unsigned int)cmd, arg);
}

static long sys_dup(unsigned long fd, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_dup((int)fd);
}

static long sys_dup3(unsigned long oldfd, unsigned long newfd,
		     unsigned long flags, unsigned long a3, unsigned long a4,
		     unsigned long a5)
{
	return fs_dup3((int)oldfd, (int)newfd, (int)flags);
}

static long sys_getcwd(unsigned long ubuf, unsigned long size, unsigned long a2,
		       unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_getcwd((char *)ubuf, size);
}

static long sys_chdir(unsigned long upath, unsigned long a1, unsigned long a2,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	return fs_chdir((const char *)upath);
}

static long sys_mkdirat(unsigned long dirfd, unsigned long upath,
			unsigned long mode, unsigned long a3, unsigned long a4,
			unsigned long a5)
{
	return fs_mkdirat((int)dirfd, (const char *)upath, (u32)mode);
}

static long sys_exit(unsigned long code, unsigned long a1, unsigned long a2,
		     unsigned long a3, unsigned long a4, unsigned long a5)
{
	task_exit(W_EXITCODE(code));
}

static long sys_getpid(unsigned long a0, unsigned long a1, unsigned long a2,
		       unsigned long a3, unsigned long a4, unsigned long a5)
{
	return current_task()->pid;
}

static long sys_getppid(unsigned long a0, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5)
{
	return process_getppid();
}

#define SIGCHLD 17
#define WNOHANG 1

/* Only fork's form: a new process with SIGCHLD to the parent at exit. */
static long sys_clone(unsigned long flags, unsigned long newsp,
		      unsigned long ptid, unsigned long tls, unsigned long ctid,
		      unsigned long a5)
{
	if (flags != SIGCHLD)
		return -EINVAL; /* threads (CLONE_VM ...) are not supported yet */
	return process_fork(task_user_regs(current_task()), newsp);
}

static long sys_wait4(unsigned long pid, unsigned long ustatus,
		      unsigned long options, unsigned long urusage,
		      unsigned long a4, unsigned long a5)
{
	int status = 0;
	long ret;

	if (options & ~WNOHANG)
		return -EINVAL;
	if (ustatus && !access_ok((void *)ustatus, sizeof(int)))
		return -EFAULT;
	ret = process_wait((int)pid, &status, options & WNOHANG);
	if (ret > 0 && ustatus &&
	    copy_to_user((void *)ustatus, &status, sizeof(status)))
		return -EFAULT;
	if (ret > 0 && urusage && clear_user((void *)urusage, 144))
		return -EFAULT;
	return ret;
}

static long sys_kill(unsigned long pid, unsigned long sig, unsigned long a2,
		     unsigned long a3, unsigned long a4, unsigned long a5)
{
	return process_kill((int)pid, (int)sig);
}

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
static long sys_execve(unsigned long upath, unsigned long uargv,
		       unsigned long uenvp, unsigned long a3, unsigned long a4,
		       unsigned long a5)
{
	const char *argv[EXEC_MAX_ARGS + 1], *envp[EXEC_MAX_ARGS + 1];
	char *space = alloc_page(0), path[256];
	void *image = NULL;
	const char *why = "";
	size_t size, used = 0;
	long ret;

	if (!space)
		return -ENOMEM;
	ret = strncpy_from_user(path, (const char *)upath, sizeof(path));
	if (ret >= 0 && (size_t)ret == sizeof(path))
		ret = -ENAMETOOLONG;
	if (ret >= 0)
		ret = copy_strings((const char *const *)uargv, argv, space, &used);
	if (ret >= 0)
		ret = copy_strings((const char *const *)uenvp, envp, space, &used);
	if (ret >= 0)
		ret = fs_read_file(path, &image, &size);
	if (ret >= 0)
		ret = exec_image(current_task(), image, size, path, argv, envp,
				 &why);
	if (ret == 0) {
		strscpy(current_task()->comm,
			strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
			sizeof(current_task()->comm));
		files_exec(current_task()->files);
	}
	kvfree(image);
	free_page(space);
	return ret;
}

static long sys_sched_yield(unsigned long a0, unsigned long a1,
			    unsigned long a2, unsigned long a3,
			    unsigned long a4, unsigned long a5)
{
	yield();
	return 0;
}

static long sys_clock_gettime(unsigned long clock, unsigned long uts,
			      unsigned long a2, unsigned long a3,
			      unsigned long a4, unsigned long a5)
{
	u64 ns = ktime_get_ns();
	struct timespec ts = { (long)(ns / NSEC_PER_SEC),
			       (long)(ns % NSEC_PER_SEC) };

	if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME)
		return -EINVAL;
	return copy_to_user((void *)uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

static long sys_nanosleep(unsigned long ureq, unsigned long urem,
			  unsigned long a2, unsigned long a3, unsigned long a4,
			  unsigned long a5)
{
	struct timespec req;
	u64 ms;

	if (copy_from_user(&req, (const void *)ureq, sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	ms = (u64)req.tv_sec * 1000 + ((u64)req.tv_nsec + NSEC_PER_MSEC - 1) /
					  NSEC_PER_MSEC;
	msleep(ms > 0xffffffffULL ? 0xffffffffU : (unsigned int)ms);
	return 0;
}

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
		domainname[65];
};

static long sys_uname(unsigned long ubuf, unsigned long a1, unsigned long a2,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct utsname uts = { "Hartix", "hartix", "", "#1", "riscv64",
			       "(none)" };

	strscpy(uts.release, hartix_release, sizeof(uts.release));
	return copy_to_user((void *)ubuf, &uts, sizeof(uts)) ? -EFAULT : 0;
}

/* Linux semantics: returns the new break, or the old one when it cannot move. */
static long sys_brk(unsigned long addr, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct mm *mm = current_task()->mm;
	unsigned long old = ALIGN_UP(mm->brk, PAGE_SIZE), new;

	if (addr < mm->brk_start || addr > STACK_TOP - mm->stack_limit)
		return (long)mm->brk;
	new = ALIGN_UP(addr, PAGE_SIZE);
	if (new > old && mm_map(mm, old, new - old, PROT_READ | PROT_WRITE,
				 true, 0) < 0)
		return (long)mm->brk;
	if (new < old && mm_unmap(mm, new, old - new))
		return (long)mm->brk;
	mm->brk = addr;
	return (long)addr;
}

/* Anonymous mappings; MAP_SHARED ones stay shared with forked children. */
static long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
		     unsigned long flags, unsigned long fd, unsigned long off)
{
	unsigned long known = MAP_SHARED | MAP_PRIVATE | MAP_FIXED |
			      MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE |
			      MAP_POPULATE;

	if (!(flags & MAP_ANONYMOUS))
		return (long)fd < 0 ? -EBADF : -ENODEV; /* no files yet */
	if ((flags & ~known) || !(flags & (MAP_SHARED | MAP_PRIVATE)) ||
	    (flags & MAP_SHARED && flags & MAP_PRIVATE) || !len ||
	    (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	return mm_map(current_task()->mm, addr, len, (unsigned int)prot,
		      flags & MAP_FIXED, flags & MAP_SHARED ? VM_SHARED : 0);
}

static long sys_munmap(unsigned long addr, unsigned long len, unsigned long a2,
		       unsigned long a3, unsigned long a4, unsigned long a5)
{
	return mm_unmap(current_task()->mm, addr, len);
}

static long sys_mprotect(unsigned long addr, unsigned long len,
			 unsigned long prot, unsigned long a3, unsigned long a4,
			 unsigned long a5)
{
	return mm_protect(current_task()->mm, addr, len, (unsigned int)prot);
}

/*
 * No entropy pool yet: bytes from a xorshift generator seeded by the time
 * CSR and mixed per call. Enough for AT_RANDOM-style uses, not for keys.
 */
static long sys_getrandom(unsigned long ubuf, unsigned long len,
			  unsigned long flags, unsigned long a3,
			  unsigned long a4, unsigned long a5)
{
	static u64 state = 0x9e3779b97f4a7c15ULL;
	unsigned long done = 0;
	u8 buf[64];

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM))
		return -EINVAL;
	if ((long)len < 0)
		return -EINVAL;
	while (done < len) {
		size_t n = min(len - done, sizeof(buf)), i;
		u64 x = __atomic_add_fetch(&state, get_ticks() | 1,
					   __ATOMIC_RELAXED);

		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = (u8)x;
		}
		if (copy_to_user((void *)(ubuf + done), buf, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

struct iovec {
	unsigned long base;
	unsigned long len;
};

#define IOV_MAX 1024

/* Each buffer in turn through write(); stops at a short write or an error. */
static long sys_writev(unsigned long fd, unsigned long uiov,
		       unsigned long iovcnt, unsigned long a3, unsigned long a4,
		       unsigned long a5)
{
	struct iovec iov;
	unsigned long i;
	long done = 0, n;

	if (iovcnt > IOV_MAX)
		return -EINVAL;
	for (i = 0; i < iovcnt; i++) {
		if (copy_from_user(&iov, (const void *)(uiov + i * sizeof(iov)),
				   sizeof(iov)))
			return done ? done : -EFAULT;
		if ((long)iov.len < 0)
			return done ? done : -EINVAL;
		n = fs_write((int)fd, (const char *)iov.base, iov.len);
		if (n < 0)
			return done ? done : n;
		done += n;
		if ((unsigned long)n < iov.len)
			break;
	}
	return done;
}

/* Threads are not supported yet: nothing clears the word at exit. */
static long sys_set_tid_address(unsigned long uaddr, unsigned long a1,
				unsigned long a2, unsigned long a3,
				unsigned long a4, unsigned long a5)
{
	return current_task()->pid;
}

struct timeval {
	long tv_sec;
	long tv_usec;
};

static long sys_gettimeofday(unsigned long utv, unsigned long utz,
			     unsigned long a2, unsigned long a3,
			     unsigned long a4, unsigned long a5)
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

#define RLIM_INFINITY (~0UL)
#define RLIMIT_NPROC 6
#define RLIMIT_NLIMITS 16

struct rlimit64 {
	unsigned long cur, max;
};

/* Reports the limits Hartix has (process count, else none); setting is refused. */
static long sys_prlimit64(unsigned long pid, unsigned long resource,
			  unsigned long unew, unsigned long uold,
			  unsigned long a4, unsigned long a5)
{
	struct rlimit64 lim = { RLIM_INFINITY, RLIM_INFINITY };

	if (resource >= RLIMIT_NLIMITS)
		return -EINVAL;
	if (pid && (int)pid != current_task()->pid)
		return -EPERM; /* other processes' limits: not supported yet */
	if (unew)
		return -EPERM;
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

static long sys_sched_setaffinity(unsigned long pid, unsigned long len,
				  unsigned long umask, unsigned long a3,
				  unsigned long a4, unsigned long a5)
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
	t->cpus_allowed = (cpumask_t){ bits };
	/* Off a CPU it may no longer use: move at once. */
	if (!cpumask_test(&t->cpus_allowed, smp_processor_id()))
		yield();
	return 0;
}

static long sys_sched_getaffinity(unsigned long pid, unsigned long len,
				  unsigned long umask, unsigned long a3,
				  unsigned long a4, unsigned long a5)
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

static const syscall_fn syscall_table[NR_SYSCALLS] = {
	[__NR_getcwd] = sys_getcwd,
	[__NR_dup] = sys_dup,
	[__NR_dup3] = sys_dup3,
	[__NR_fcntl] = sys_fcntl,
	[__NR_ioctl] = sys_ioctl,
	[__NR_mkdirat] = sys_mkdirat,
	[__NR_chdir] = sys_chdir,
	[__NR_openat] = sys_openat,
	[__NR_close] = sys_close,
	[__NR_getdents64] = sys_getdents64,
	[__NR_lseek] = sys_lseek,
	[__NR_read] = sys_read,
	[__NR_write] = sys_write,
	[__NR_newfstatat] = sys_newfstatat,
	[__NR_fstat] = sys_fstat,
	[__NR_exit] = sys_exit,
	[__NR_exit_group] = sys_exit,
	[__NR_nanosleep] = sys_nanosleep,
	[__NR_clock_gettime] = sys_clock_gettime,
	[__NR_sched_yield] = sys_sched_yield,
	[__NR_uname] = sys_uname,
	[__NR_getpid] = sys_getpid,
	[__NR_getppid] = sys_getppid,
	[__NR_gettid] = sys_getpid,
	[__NR_brk] = sys_brk,
	[__NR_munmap] = sys_munmap,
	[__NR_mmap] = sys_mmap,
	[__NR_mprotect] = sys_mprotect,
	[__NR_getrandom] = sys_getrandom,
	[__NR_writev] = sys_writev,
	[__NR_set_tid_address] = sys_set_tid_address,
	[__NR_gettimeofday] = sys_gettimeofday,
	[__NR_prlimit64] = sys_prlimit64,
	[__NR_sched_setaffinity] = sys_sched_setaffinity,
	[__NR_sched_getaffinity] = sys_sched_getaffinity,
	[__NR_kill] = sys_kill,
	[__NR_clone] = sys_clone,
	[__NR_execve] = sys_execve,
	[__NR_wait4] = sys_wait4,
};

void syscall_dispatch(struct pt_regs *regs)
{
	unsigned long nr = regs->a7;
	syscall_fn fn = nr < NR_SYSCALLS ? syscall_table[nr] : NULL;

	regs->a0 = fn ? (unsigned long)fn(regs->a0, regs->a1, regs->a2, regs->a3,
					  regs->a4, regs->a5)
		      : (unsigned long)-ENOSYS;
}
