/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * efault: every system call that takes a user pointer, given bad ones: EFAULT, as on Linux.
 *
 * Each pointer argument of the implemented calls (userspace.rst) gets, in
 * turn, NULL where Linux requires the pointer, a kernel-half address, an
 * unmapped page, addresses past the user half (non-canonical on Sv39) and
 * one whose object straddles the end of a mapped page into an unmapped
 * one. The answer must be Linux's: EFAULT, except that read(), write() and
 * getrandom() on a straddling buffer transfer the bytes before the hole
 * and return their count (Linux copies up to the fault). One KTAP case per
 * system call argument. It also runs under qemu-riscv64
 * (user_qemu_check.sh), with the scratch directory as argument.
 *
 * Usage: efault [DIR] (default /tmp; a directory "efault" is made in it)
 * utest: smp=1,4 timeout=40
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "utest.h"

#define PAGE 4096UL
/* Bytes of a straddling object still on the mapped page. */
#define HEAD 2

static char dir[200], file[256], link_[256], scratch[256];
static int fd_file, fd_dir;
static int on_qemu_user;

static long sys(long nr, unsigned long a, unsigned long b, unsigned long c,
		unsigned long d, unsigned long e)
{
	long r = syscall(nr, a, b, c, d, e, 0);

	return r < 0 ? -errno : r;
}

#define U(x) ((unsigned long)(x))
#define AT U(AT_FDCWD)

/* One pointer argument of one call: the call made with p in that place. */
struct call {
	const char *name;
	long (*fn)(unsigned long p);
	int partial; /* a straddling buffer: HEAD bytes done, not EFAULT */
	int null_ok; /* NULL means "absent" there: not tried */
};

static long c_chdir(unsigned long p) { return sys(__NR_chdir, p, 0, 0, 0, 0); }
static long c_clock_gettime(unsigned long p) { return sys(__NR_clock_gettime, CLOCK_MONOTONIC, p, 0, 0, 0); }
static long c_execve_path(unsigned long p) { return sys(__NR_execve, p, 0, 0, 0, 0); }
static long c_execve_argv(unsigned long p) { return sys(__NR_execve, U("/tests/hello_token"), p, 0, 0, 0); }
static long c_faccessat(unsigned long p) { return sys(__NR_faccessat, AT, p, F_OK, 0, 0); }
static long c_fstat(unsigned long p) { return sys(__NR_fstat, fd_file, p, 0, 0, 0); }
static long c_fstatfs(unsigned long p) { return sys(__NR_fstatfs, fd_file, p, 0, 0, 0); }
static long c_getcpu(unsigned long p) { return sys(__NR_getcpu, p, 0, 0, 0, 0); }
static long c_getcwd(unsigned long p) { return sys(__NR_getcwd, p, PAGE, 0, 0, 0); }
static long c_getdents64(unsigned long p) { lseek(fd_dir, 0, SEEK_SET); return sys(__NR_getdents64, fd_dir, p, PAGE, 0, 0); }
static long c_getrandom(unsigned long p) { return sys(__NR_getrandom, p, 8, 0, 0, 0); }
static long c_gettimeofday(unsigned long p) { return sys(__NR_gettimeofday, p, 0, 0, 0, 0); }
static long c_linkat_old(unsigned long p) { return sys(__NR_linkat, AT, p, AT, U(scratch), 0); }
static long c_linkat_new(unsigned long p) { return sys(__NR_linkat, AT, U(file), AT, p, 0); }
static long c_mkdirat(unsigned long p) { return sys(__NR_mkdirat, AT, p, 0755, 0, 0); }
static long c_nanosleep(unsigned long p) { return sys(__NR_nanosleep, p, 0, 0, 0, 0); }
static long c_newfstatat_path(unsigned long p) { char st[256]; return sys(__NR_newfstatat, AT, p, U(st), 0, 0); }
static long c_newfstatat_buf(unsigned long p) { return sys(__NR_newfstatat, AT, U(file), p, 0, 0); }
static long c_openat(unsigned long p) { return sys(__NR_openat, AT, p, O_RDONLY, 0, 0); }
static long c_pipe2(unsigned long p) { return sys(__NR_pipe2, p, 0, 0, 0, 0); }
static long c_ppoll(unsigned long p) { struct timespec t = { 0, 0 }; return sys(__NR_ppoll, p, 1, U(&t), 0, 8); }
static long c_prlimit64_new(unsigned long p) { return sys(__NR_prlimit64, 0, 7, p, 0, 0); }
static long c_prlimit64_old(unsigned long p) { return sys(__NR_prlimit64, 0, 7, 0, p, 0); }
static long c_pselect6(unsigned long p) { struct timespec t = { 0, 0 }; return sys(__NR_pselect6, 1, p, 0, 0, U(&t)); }
static long c_read(unsigned long p) { lseek(fd_file, 0, SEEK_SET); return sys(__NR_read, fd_file, p, 8, 0, 0); }
static long c_readlinkat_path(unsigned long p) { char b[64]; return sys(__NR_readlinkat, AT, p, U(b), sizeof(b), 0); }
static long c_readlinkat_buf(unsigned long p) { return sys(__NR_readlinkat, AT, U(link_), p, 64, 0); }
static long c_readv(unsigned long p) { return sys(__NR_readv, fd_file, p, 1, 0, 0); }
static long c_renameat2_old(unsigned long p) { return sys(__NR_renameat2, AT, p, AT, U(scratch), 0); }
static long c_renameat2_new(unsigned long p) { return sys(__NR_renameat2, AT, U(file), AT, p, 0); }
static long c_rt_sigaction_act(unsigned long p) { return sys(__NR_rt_sigaction, SIGUSR1, p, 0, 8, 0); }
static long c_rt_sigaction_oact(unsigned long p) { return sys(__NR_rt_sigaction, SIGUSR1, 0, p, 8, 0); }
static long c_rt_sigpending(unsigned long p) { return sys(__NR_rt_sigpending, p, 8, 0, 0, 0); }
static long c_rt_sigprocmask_set(unsigned long p) { return sys(__NR_rt_sigprocmask, SIG_BLOCK, p, 0, 8, 0); }
static long c_rt_sigprocmask_oset(unsigned long p) { return sys(__NR_rt_sigprocmask, SIG_BLOCK, 0, p, 8, 0); }
static long c_rt_sigsuspend(unsigned long p) { return sys(__NR_rt_sigsuspend, p, 8, 0, 0, 0); }
static long c_sched_getaffinity(unsigned long p) { return sys(__NR_sched_getaffinity, 0, 8, p, 0, 0); }
static long c_sched_setaffinity(unsigned long p) { return sys(__NR_sched_setaffinity, 0, 8, p, 0, 0); }
static long c_statfs_path(unsigned long p) { char b[128]; return sys(__NR_statfs, p, U(b), 0, 0, 0); }
static long c_statfs_buf(unsigned long p) { return sys(__NR_statfs, U(dir), p, 0, 0, 0); }
static long c_symlinkat_target(unsigned long p) { return sys(__NR_symlinkat, p, AT, U(scratch), 0, 0); }
static long c_symlinkat_path(unsigned long p) { return sys(__NR_symlinkat, U("x"), AT, p, 0, 0); }
static long c_sysinfo(unsigned long p) { return sys(__NR_sysinfo, p, 0, 0, 0, 0); }
static long c_truncate(unsigned long p) { return sys(__NR_truncate, p, 0, 0, 0, 0); }
static long c_uname(unsigned long p) { return sys(__NR_uname, p, 0, 0, 0, 0); }
static long c_unlinkat(unsigned long p) { return sys(__NR_unlinkat, AT, p, 0, 0, 0); }
static long c_write(unsigned long p) { return sys(__NR_write, fd_file, p, 8, 0, 0); }
static long c_writev(unsigned long p) { return sys(__NR_writev, fd_file, p, 1, 0, 0); }

/* A child that has exited, waited for with the status stored at p. */
static long c_wait4(unsigned long p)
{
	pid_t pid = fork();
	long r;

	if (pid == 0)
		_exit(7);
	r = sys(__NR_wait4, pid, p, 0, 0, 0);
	waitpid(pid, NULL, 0); /* if the bad pointer left it unreaped */
	return r;
}

/* Time and signals (Step 9). */
static int timer_id; /* made before the run, never armed */
static long c_clock_settime(unsigned long p) { return sys(__NR_clock_settime, CLOCK_REALTIME, p, 0, 0, 0); }
static long c_clock_getres(unsigned long p) { return sys(__NR_clock_getres, CLOCK_MONOTONIC, p, 0, 0, 0); }
static long c_clock_nanosleep(unsigned long p) { return sys(__NR_clock_nanosleep, CLOCK_MONOTONIC, 0, p, 0, 0); }
static long c_getitimer(unsigned long p) { return sys(__NR_getitimer, ITIMER_PROF, p, 0, 0, 0); }
static long c_setitimer_new(unsigned long p) { return sys(__NR_setitimer, ITIMER_PROF, p, 0, 0, 0); }
static long c_setitimer_old(unsigned long p) { struct itimerval z; memset(&z, 0, sizeof(z)); return sys(__NR_setitimer, ITIMER_PROF, U(&z), p, 0, 0); }
static long c_getrusage(unsigned long p) { return sys(__NR_getrusage, RUSAGE_SELF, p, 0, 0, 0); }
static long c_times(unsigned long p) { return sys(__NR_times, p, 0, 0, 0, 0); }
static long c_settimeofday(unsigned long p) { return sys(__NR_settimeofday, p, 0, 0, 0, 0); }
static long c_sigaltstack_new(unsigned long p) { return sys(__NR_sigaltstack, p, 0, 0, 0, 0); }
static long c_sigaltstack_old(unsigned long p) { return sys(__NR_sigaltstack, 0, p, 0, 0, 0); }
static long c_rt_sigtimedwait_set(unsigned long p) { struct timespec t = { 0, 0 }; return sys(__NR_rt_sigtimedwait, p, 0, U(&t), 8, 0); }
static long c_rt_sigtimedwait_timeout(unsigned long p) { unsigned long set = 0; return sys(__NR_rt_sigtimedwait, U(&set), 0, p, 8, 0); }
static long c_rt_sigqueueinfo(unsigned long p) { return sys(__NR_rt_sigqueueinfo, getpid(), SIGCHLD, p, 0, 0); }
static long c_timer_create_sev(unsigned long p) { int id; return sys(__NR_timer_create, CLOCK_MONOTONIC, p, U(&id), 0, 0); }
static long c_timer_create_id(unsigned long p) { return sys(__NR_timer_create, CLOCK_MONOTONIC, 0, p, 0, 0); }
static long c_timer_settime_new(unsigned long p) { return sys(__NR_timer_settime, timer_id, 0, p, 0, 0); }
static long c_timer_settime_old(unsigned long p) { struct itimerspec z; memset(&z, 0, sizeof(z)); return sys(__NR_timer_settime, timer_id, 0, U(&z), p, 0); }
static long c_timer_gettime(unsigned long p) { return sys(__NR_timer_gettime, timer_id, p, 0, 0, 0); }

/* waitid's siginfo (which = 0) or rusage (1) at p, for an exited child. */
static long waitid_at(unsigned long p, int which)
{
	pid_t pid = fork();
	long r;

	if (pid == 0)
		_exit(7);
	r = sys(__NR_waitid, P_PID, pid, which ? 0 : p, WEXITED, which ? p : 0);
	waitpid(pid, NULL, 0); /* if the bad pointer left it unreaped */
	return r;
}
static long c_waitid_info(unsigned long p) { return waitid_at(p, 0); }
static long c_waitid_rusage(unsigned long p) { return waitid_at(p, 1); }
static long c_wait4_rusage(unsigned long p)
{
	pid_t pid = fork();
	long r;

	if (pid == 0)
		_exit(7);
	r = sys(__NR_wait4, pid, 0, 0, p, 0);
	waitpid(pid, NULL, 0);
	return r;
}

#define CALL(n) { #n, c_##n, 0, 0 }
static const struct call calls[] = {
	CALL(chdir), CALL(clock_gettime), CALL(execve_path), { "execve_argv", c_execve_argv, 0, 1 },
	CALL(faccessat), CALL(fstat), CALL(fstatfs), { "getcpu", c_getcpu, 0, 1 }, CALL(getcwd),
	CALL(getdents64), { "getrandom", c_getrandom, 1, 0 }, { "gettimeofday", c_gettimeofday, 0, 1 },
	CALL(linkat_old), CALL(linkat_new), CALL(mkdirat), CALL(nanosleep),
	CALL(newfstatat_path), CALL(newfstatat_buf), CALL(openat), CALL(pipe2),
	CALL(ppoll), { "prlimit64_new", c_prlimit64_new, 0, 1 },
	{ "prlimit64_old", c_prlimit64_old, 0, 1 }, { "pselect6", c_pselect6, 0, 1 },
	{ "read", c_read, 1, 0 }, CALL(readlinkat_path), CALL(readlinkat_buf),
	CALL(readv), CALL(renameat2_old), CALL(renameat2_new),
	{ "rt_sigaction_act", c_rt_sigaction_act, 0, 1 },
	{ "rt_sigaction_oact", c_rt_sigaction_oact, 0, 1 }, CALL(rt_sigpending),
	{ "rt_sigprocmask_set", c_rt_sigprocmask_set, 0, 1 },
	{ "rt_sigprocmask_oset", c_rt_sigprocmask_oset, 0, 1 },
	CALL(rt_sigsuspend), CALL(sched_getaffinity), CALL(sched_setaffinity),
	CALL(statfs_path), CALL(statfs_buf), CALL(symlinkat_target),
	CALL(symlinkat_path), CALL(sysinfo), CALL(truncate), CALL(uname),
	CALL(unlinkat), { "wait4", c_wait4, 0, 1 }, { "write", c_write, 1, 0 },
	CALL(writev),
	CALL(clock_settime), { "clock_getres", c_clock_getres, 0, 1 },
	CALL(clock_nanosleep), CALL(getitimer),
	{ "setitimer_new", c_setitimer_new, 0, 1 },
	{ "setitimer_old", c_setitimer_old, 0, 1 }, CALL(getrusage),
	{ "times", c_times, 0, 1 }, { "settimeofday", c_settimeofday, 0, 1 },
	{ "sigaltstack_new", c_sigaltstack_new, 0, 1 },
	{ "sigaltstack_old", c_sigaltstack_old, 0, 1 }, CALL(rt_sigtimedwait_set),
	{ "rt_sigtimedwait_timeout", c_rt_sigtimedwait_timeout, 0, 1 },
	CALL(rt_sigqueueinfo), { "timer_create_sev", c_timer_create_sev, 0, 1 },
	CALL(timer_create_id), CALL(timer_settime_new),
	{ "timer_settime_old", c_timer_settime_old, 0, 1 }, CALL(timer_gettime),
	{ "waitid_info", c_waitid_info, 0, 1 }, { "waitid_rusage", c_waitid_rusage, 0, 1 },
	{ "wait4_rusage", c_wait4_rusage, 0, 1 },
};

struct class {
	const char *name;
	unsigned long p;
};

int main(int argc, char **argv)
{
	struct class classes[7];
	struct utsname u;
	char *edge, *gone;
	unsigned i, k, nclasses = 0;
	int pass = 0, fail = 0;

	on_qemu_user = !uname(&u) && !strcmp(u.sysname, "Linux");
	snprintf(dir, sizeof(dir), "%s/efault", argc > 1 ? argv[1] : "/tmp");
	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(link_, sizeof(link_), "%s/link", dir);
	snprintf(scratch, sizeof(scratch), "%s/new", dir);
	mkdir(dir, 0755);
	fd_file = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd_file, "0123456789abcdef", 16);
	syscall(__NR_symlinkat, file, AT_FDCWD, link_);
	fd_dir = open(dir, O_RDONLY);
	chdir(dir); /* getcwd's answer is longer than HEAD */
	edge = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	gone = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd_file < 0 || fd_dir < 0 || edge == MAP_FAILED || gone == MAP_FAILED) {
		printf("efault: setup failed: errno %d\n", errno);
		return 1;
	}
	munmap(edge + PAGE, PAGE);
	munmap(gone, PAGE);
	if (syscall(__NR_timer_create, CLOCK_MONOTONIC, 0, &timer_id)) {
		printf("efault: timer_create failed: errno %d\n", errno);
		return 1;
	}

	classes[nclasses++] = (struct class){ "null", 0 };
	classes[nclasses++] = (struct class){ "kernel", 0xffffffc000000000UL };
	classes[nclasses++] = (struct class){ "kernel_text", 0xffffffff80002000UL };
	classes[nclasses++] = (struct class){ "unmapped", (unsigned long)gone };
	classes[nclasses++] = (struct class){ "past_sv39", 1UL << 38 };
	classes[nclasses++] = (struct class){ "noncanonical", 0x8000000000001000UL };
	classes[nclasses++] = (struct class){ "straddling", (unsigned long)edge + PAGE - HEAD };

	ktap_begin("efault", sizeof(calls) / sizeof(calls[0]));
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct call *c = &calls[i];
		int ok = 1;

		for (k = 0; k < nclasses; k++) {
			long want = -EFAULT, got;

			if (k == 0 && c->null_ok)
				continue;
			/*
			 * Linux copies up to the hole and returns the count;
			 * qemu-user checks the whole buffer before the call
			 * (lock_user) and returns EFAULT.
			 */
			if (!strcmp(classes[k].name, "straddling") && c->partial &&
			    !on_qemu_user)
				want = HEAD;
			/*
			 * qemu-user's nanosleep ignores the failed copy of the
			 * request and sleeps on an uninitialised one (EINVAL);
			 * its sysinfo skips the copy-out for NULL (0).
			 */
			if (on_qemu_user && c->fn == c_nanosleep)
				want = -EINVAL;
			if (on_qemu_user && c->fn == c_sysinfo && !classes[k].p)
				want = 0;
			/*
			 * timer_settime without a new value is EINVAL on
			 * Linux. qemu-user's clock_getres never copies the
			 * resolution out, and its getitimer skips NULL (0).
			 */
			if (c->fn == c_timer_settime_new && !classes[k].p)
				want = -EINVAL;
			if (on_qemu_user && c->fn == c_clock_getres)
				want = 0;
			if (on_qemu_user && c->fn == c_getitimer && !classes[k].p)
				want = 0;
			/*
			 * A path running into the hole must meet no NUL before
			 * it: a call before this one may have written its
			 * first HEAD bytes (a copy-out stores up to the fault,
			 * as on Linux), and "" would give ENOENT, not EFAULT.
			 */
			memset(edge + PAGE - HEAD, 'a', HEAD);
			got = c->fn(classes[k].p);
			if (got != want) {
				printf("# %s with a %s pointer (%#lx): %ld, expected %ld\n",
				       c->name, classes[k].name, classes[k].p, got, want);
				ok = 0;
			}
		}
		ktap_case(i + 1, ok, c->name, NULL);
		if (ok)
			pass++;
		else
			fail++;
	}
	close(fd_file);
	close(fd_dir);
	unlink(file);
	unlink(link_);
	unlink(scratch);
	chdir("/");
	rmdir(dir);
	return ktap_end("efault", pass, fail, 0);
}
