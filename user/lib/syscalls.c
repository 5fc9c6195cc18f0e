/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call wrappers, Linux riscv64 numbers (sys/syscall.h). Each returns
 * the kernel's result, or -1 with errno set when the kernel returned -errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "libc_internal.h"

int errno;

long __syscall_ret(unsigned long r)
{
	if (r > -4096UL) {
		errno = -(long)r;
		return -1;
	}
	return r;
}

ssize_t read(int fd, void *buf, size_t n)
{
	return __syscall_ret(__syscall3(__NR_read, fd, (long)buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return __syscall_ret(__syscall3(__NR_write, fd, (long)buf, n));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return __syscall_ret(__syscall4(__NR_openat, dirfd, path, flags, mode));
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return __syscall_ret(__syscall4(__NR_openat, AT_FDCWD, path, flags, mode));
}

int close(int fd)
{
	return __syscall_ret(__syscall1(__NR_close, fd));
}

off_t lseek(int fd, off_t off, int whence)
{
	return __syscall_ret(__syscall3(__NR_lseek, fd, off, whence));
}

int dup(int fd)
{
	return __syscall_ret(__syscall1(__NR_dup, fd));
}

/* There is no dup2 on riscv64; dup3 rejects oldfd == newfd, dup2 does not. */
int dup2(int oldfd, int newfd)
{
	if (oldfd == newfd) {
		long r = __syscall3(__NR_fcntl, oldfd, 1 /* F_GETFD */, 0);

		return r < 0 ? __syscall_ret(r) : newfd;
	}
	return __syscall_ret(__syscall3(__NR_dup3, oldfd, newfd, 0));
}

int pipe2(int fds[2], int flags)
{
	return __syscall_ret(__syscall2(__NR_pipe2, fds, flags));
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}

/* getpid and friends cannot fail. */
pid_t getpid(void)
{
	return __syscall0(__NR_getpid);
}

pid_t getppid(void)
{
	return __syscall0(__NR_getppid);
}

pid_t gettid(void)
{
	return __syscall0(__NR_gettid);
}

uid_t getuid(void)
{
	return __syscall0(__NR_getuid);
}

/*
 * clone(flags, stack, parent_tid, tls, child_tid) with flags = SIGCHLD and
 * no new stack: the child continues here on a copy of this stack.
 */
pid_t fork(void)
{
	return __syscall_ret(__syscall5(__NR_clone, SIGCHLD, 0, 0, 0, 0));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return __syscall_ret(__syscall3(__NR_execve, (long)path, (long)argv,
					(long)envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

void _exit(int status)
{
	for (;;)
		__syscall1(__NR_exit_group, status);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return __syscall_ret(__syscall4(__NR_wait4, pid, status, options, ru));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}

int kill(pid_t pid, int sig)
{
	return __syscall_ret(__syscall2(__NR_kill, pid, sig));
}

int raise(int sig)
{
	return __syscall_ret(__syscall3(__NR_tgkill, getpid(), gettid(), sig));
}

int sched_yield(void)
{
	return __syscall_ret(__syscall0(__NR_sched_yield));
}

int sched_setaffinity(int pid, unsigned long size, const cpu_set_t *set)
{
	return __syscall_ret(__syscall3(__NR_sched_setaffinity, pid, (long)size, (long)set));
}

/* The kernel returns the bytes it wrote; glibc's wrapper returns 0. */
int sched_getaffinity(int pid, unsigned long size, cpu_set_t *set)
{
	long n = __syscall3(__NR_sched_getaffinity, pid, (long)size, (long)set);

	if (n < 0)
		return __syscall_ret(n);
	__builtin_memset((char *)set + n, 0, size - n);
	return 0;
}

int CPU_COUNT(const cpu_set_t *set)
{
	int n = 0;
	unsigned int i;

	/* Bit by bit: no libgcc here for __builtin_popcountl. */
	for (i = 0; i < sizeof(set->bits) / sizeof(set->bits[0]); i++) {
		unsigned long w;

		for (w = set->bits[i]; w; w &= w - 1)
			n++;
	}
	return n;
}

int sched_getcpu(void)
{
	unsigned int cpu;
	long r = __syscall3(__NR_getcpu, (long)&cpu, 0, 0);

	return r < 0 ? __syscall_ret(r) : (int)cpu;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return __syscall_ret(__syscall2(__NR_nanosleep, req, rem));
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { .tv_sec = seconds }, rem = { 0 };

	if (nanosleep(&ts, &rem) < 0 && errno == EINTR)
		return rem.tv_sec + (rem.tv_nsec > 0);
	return 0;
}

int usleep(useconds_t usec)
{
	struct timespec ts = { .tv_sec = usec / 1000000,
			       .tv_nsec = (long)(usec % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	return __syscall_ret(__syscall2(__NR_clock_gettime, clk, ts));
}

time_t time(time_t *t)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

int uname(struct utsname *buf)
{
	return __syscall_ret(__syscall1(__NR_uname, buf));
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	return __syscall_ret(__syscall3(__NR_getrandom, (long)buf, len, flags));
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)__syscall_ret(__syscall6(__NR_mmap, (long)addr, len, prot,
						flags, fd, off));
}

int munmap(void *addr, size_t len)
{
	return __syscall_ret(__syscall2(__NR_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return __syscall_ret(__syscall3(__NR_mprotect, (long)addr, len, prot));
}

/*
 * The brk system call returns the new break, or the old one when it could
 * not move it; brk(0) asks for the current break. (Linux never returns
 * -errno here; a kernel without brk would return -ENOSYS.)
 */
static unsigned long cur_brk;

int brk(void *addr)
{
	unsigned long r = __syscall1(__NR_brk, addr);

	if (r > -4096UL)
		return __syscall_ret(r);
	cur_brk = r;
	if (r != (unsigned long)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(intptr_t increment)
{
	unsigned long old;

	if (!cur_brk) {
		unsigned long r = __syscall1(__NR_brk, 0);

		if (r > -4096UL)
			return (void *)__syscall_ret(r);
		cur_brk = r;
	}
	old = cur_brk;
	if (increment && brk((void *)(old + increment)) < 0)
		return (void *)-1;
	return (void *)old;
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
	  const sigset_t *sigmask)
{
	/* The kernel writes the time left back: not into the caller's. */
	struct timespec ts, *tp = NULL;

	if (timeout) {
		ts = *timeout;
		tp = &ts;
	}
	return __syscall_ret(__syscall5(__NR_ppoll, fds, nfds, tp, sigmask,
					sizeof(sigset_t)));
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct timespec ts = { .tv_sec = timeout / 1000,
			       .tv_nsec = (long)(timeout % 1000) * 1000000 };

	return ppoll(fds, nfds, timeout < 0 ? NULL : &ts, NULL);
}

