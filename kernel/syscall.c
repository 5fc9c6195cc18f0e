/* System calls: Linux riscv64 numbers, number in a7, arguments in a0-a5, result in a0. */
#include <hartix/errno.h>
#include <hartix/boot.h>
#include <hartix/exec.h>
#include <hartix/mmap.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/uaccess.h>

#define __NR_close 57
#define __NR_write 64
#define __NR_exit 93
#define __NR_exit_group 94
#define __NR_nanosleep 101
#define __NR_clock_gettime 113
#define __NR_sched_yield 124
#define __NR_uname 160
#define __NR_getpid 172
#define __NR_getppid 173
#define __NR_gettid 178
#define NR_SYSCALLS 300

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

typedef long (*syscall_fn)(unsigned long a0, unsigned long a1, unsigned long a2,
			   unsigned long a3, unsigned long a4, unsigned long a5);

struct timespec {
	long tv_sec;
	long tv_nsec;
};

/*
 * Until there are files, a task has descriptors 0, 1 and 2, all on the
 * console; console_fds holds which of them are still open (bit per fd).
 */
static bool console_fd_open(unsigned long fd)
{
	return fd < 3 && (current_task()->console_fds & (1U << fd));
}

static long sys_close(unsigned long fd, unsigned long a1, unsigned long a2,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	if (!console_fd_open(fd))
		return -EBADF;
	current_task()->console_fds &= ~(1U << fd);
	return 0;
}

static long sys_write(unsigned long fd, unsigned long ubuf, unsigned long count,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	char buf[256];
	unsigned long done = 0;

	if (!console_fd_open(fd))
		return -EBADF;
	if ((long)count < 0)
		return -EINVAL;
	while (done < count) {
		size_t n = min(count - done, sizeof(buf));
		size_t left = copy_from_user(buf, (const void *)(ubuf + done), n);

		console_write_raw(buf, n - left);
		done += n - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
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

/* No process tree yet: every program's parent is the kernel. */
static long sys_getppid(unsigned long a0, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5)
{
	return 0;
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

static const syscall_fn syscall_table[NR_SYSCALLS] = {
	[__NR_close] = sys_close,
	[__NR_write] = sys_write,
	[__NR_exit] = sys_exit,
	[__NR_exit_group] = sys_exit,
	[__NR_nanosleep] = sys_nanosleep,
	[__NR_clock_gettime] = sys_clock_gettime,
	[__NR_sched_yield] = sys_sched_yield,
	[__NR_uname] = sys_uname,
	[__NR_getpid] = sys_getpid,
	[__NR_getppid] = sys_getppid,
	[__NR_gettid] = sys_getpid,
};

void syscall_dispatch(struct pt_regs *regs)
{
	unsigned long nr = regs->a7;
	syscall_fn fn = nr < NR_SYSCALLS ? syscall_table[nr] : NULL;

	regs->a0 = fn ? (unsigned long)fn(regs->a0, regs->a1, regs->a2, regs->a3,
					  regs->a4, regs->a5)
		      : (unsigned long)-ENOSYS;
}
