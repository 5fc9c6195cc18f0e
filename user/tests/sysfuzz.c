/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sysfuzz: random system calls with hostile arguments, in forked children on every hart at once.
 *
 * Each child runs in a process group of its own and makes `calls` system
 * calls, each with a random number (half among the calls Hartix
 * implements, the rest from Linux riscv64's whole table, past it,
 * negative) and six arguments drawn from classes: pointers (NULL, small,
 * kernel half, non-canonical, unmapped, straddling a mapped and an
 * unmapped page, valid buffers whose contents hold more such pointers,
 * read-only and PROT_NONE pages, its own text and stack), small numbers,
 * flag bits, sizes and random words. A child that runs longer than
 * child_ms is sent SIGKILL (that SIGKILL works is part of the test). Then
 * every child must be reaped, no task may be left in /proc, the kernel must
 * still run a program, and free memory must be back.
 *
 * The seed is printed first; "sysfuzz -- seed=N" replays the run, and
 * "sysfuzz -- seed=N only=K" child K of it alone (on one hart the calls are
 * the same; with several the interleaving differs). testing.rst, "Fuzzers".
 *
 * Usage: sysfuzz [seed=N] [time=S] [calls=N] [child_ms=MS] [only=K]
 * utest: smp=1,4 args="seed={seed} time=8" timeout=70
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "hostile.h"

#define PAGE 4096UL
#define DIR_ "/tmp/sysfuzz"

static unsigned long seed, calls;
static int as_init; /* pid 1: kill(-1) reaches whatever a child starts */

/* The interesting pointers of one child, made after fork from its seed. */
static unsigned long ptrs[24];
static int nptrs;

/*
 * Paths for the buffers: none outside the scratch directory that a child
 * could remove or replace (the run needs /dev/null and /tests later).
 */
static const char *const paths[] = {
	DIR_ "/a", DIR_ "/b", DIR_ "/d/", DIR_, "/", ".", "..", "/proc/self/stat",
	"/proc/self/fd/0", "", "a", "d",
};

static unsigned long rnd(unsigned long *s)
{
	return hx_next(s);
}

static void add_ptr(unsigned long p)
{
	if (nptrs < (int)(sizeof(ptrs) / sizeof(ptrs[0])))
		ptrs[nptrs++] = p;
}

static void *map(unsigned long len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * The pointer classes. Sv39's user half ends at 1 << 38, so the
 * "non-canonical" values are past it: with Sv48 Linux some of them are
 * plain unmapped user addresses, which is as good for the test.
 */
static void make_pointers(unsigned long *s)
{
	char *buf = map(4 * PAGE, PROT_READ | PROT_WRITE);
	char *edge = map(2 * PAGE, PROT_READ | PROT_WRITE);
	char *ro = map(PAGE, PROT_READ | PROT_WRITE);
	char *none = map(PAGE, PROT_NONE);
	char *gone = map(PAGE, PROT_READ | PROT_WRITE);
	char stack_word[8];
	unsigned long i;

	nptrs = 0;
	add_ptr(0);
	add_ptr(1 + rnd(s) % (PAGE - 1));
	add_ptr(0xffffffc000000000UL + (rnd(s) & 0x3ffffffff8UL));
	add_ptr(0xffffffff80000000UL + (rnd(s) & 0xffff8UL));
	add_ptr(-PAGE + rnd(s) % PAGE);
	add_ptr((1UL << 38) + (rnd(s) & 0xfff8UL));
	add_ptr(0x8000000000000000UL);
	add_ptr(0x00007ffffffff000UL + (rnd(s) & 0xff8UL));
	add_ptr((unsigned long)stack_word);
	add_ptr((unsigned long)&make_pointers);
	if (gone) {
		munmap(gone, PAGE);
		add_ptr((unsigned long)gone + rnd(s) % PAGE);
	}
	if (none)
		add_ptr((unsigned long)none);
	if (edge) {
		munmap(edge + PAGE, PAGE);
		memset(edge, 'e', PAGE);
		add_ptr((unsigned long)edge + PAGE - 1 - rnd(s) % 64);
		add_ptr((unsigned long)edge + PAGE - 8);
	}
	if (ro) {
		strcpy(ro, paths[rnd(s) % (sizeof(paths) / sizeof(paths[0]))]);
		mprotect(ro, PAGE, PROT_READ);
		add_ptr((unsigned long)ro);
	}
	if (buf) {
		/* Random words, pointers from the classes above, and paths. */
		for (i = 0; i < 4 * PAGE; i += 8) {
			unsigned long v = rnd(s);

			switch (v % 4) {
			case 0:
				v = rnd(s);
				break;
			case 1:
				v = ptrs[rnd(s) % nptrs];
				break;
			case 2:
				v = rnd(s) % 4096;
				break;
			default:
				v = 0;
			}
			memcpy(buf + i, &v, 8);
		}
		for (i = 0; i < 4; i++) {
			unsigned long at = (rnd(s) % (4 * PAGE - 64)) & ~7UL;

			strcpy(buf + at, paths[rnd(s) % (sizeof(paths) / sizeof(paths[0]))]);
			add_ptr((unsigned long)buf + at);
		}
		add_ptr((unsigned long)buf);
		add_ptr((unsigned long)buf + 4 * PAGE - 1 - rnd(s) % 32);
	}
}

static unsigned long pick_arg(unsigned long *s)
{
	static const unsigned long sizes[] = {
		1, 8, 64, 4095, 4096, 8192, 1UL << 20, 1UL << 31, ~0UL >> 1, ~0UL,
	};
	unsigned long r = rnd(s) % 100;

	if (r < 40)
		return ptrs[rnd(s) % nptrs];
	if (r < 55)
		return rnd(s) % 16;
	if (r < 62)
		return rnd(s) & 1 ? ~0UL : 0;
	if (r < 75)
		return rnd(s) & rnd(s) & 0xffffffffUL; /* sparse flag bits */
	if (r < 87)
		return sizes[rnd(s) % (sizeof(sizes) / sizeof(sizes[0]))];
	return rnd(s);
}

/*
 * The calls Hartix implements (userspace.rst): half the draws, so the
 * code behind them sees most of the arguments rather than ENOSYS. The
 * memory calls, clone and the file calls are where races hide.
 */
static const short implemented[] = {
	__NR_brk, __NR_chdir, __NR_clock_gettime, __NR_clone, __NR_close,
	__NR_dup, __NR_dup3, __NR_execve, __NR_exit, __NR_faccessat,
	__NR_fcntl, __NR_fstat, __NR_fstatfs, __NR_ftruncate, __NR_getcpu,
	__NR_getcwd, __NR_getdents64, __NR_getpgid, __NR_getpid, __NR_getppid,
	__NR_getrandom, __NR_getsid, __NR_gettimeofday, __NR_getuid,
	__NR_ioctl, __NR_kill, __NR_linkat, __NR_lseek, __NR_mkdirat,
	__NR_mmap, __NR_mprotect, __NR_munmap, __NR_nanosleep, __NR_newfstatat,
	__NR_openat, __NR_pipe2, __NR_ppoll, __NR_prlimit64, __NR_pselect6,
	__NR_read, __NR_readlinkat, __NR_readv, __NR_renameat2,
	__NR_rt_sigaction, __NR_rt_sigpending, __NR_rt_sigprocmask,
	__NR_rt_sigreturn, __NR_rt_sigsuspend, __NR_sched_getaffinity,
	__NR_sched_setaffinity, __NR_sched_yield, __NR_set_tid_address,
	__NR_setpgid, __NR_setsid, __NR_statfs, __NR_symlinkat, __NR_sysinfo,
	__NR_tgkill, __NR_tkill, __NR_truncate, __NR_uname, __NR_unlinkat,
	__NR_wait4, __NR_write, __NR_writev,
	/* Time and signals (Step 9). */
	__NR_waitid, __NR_getitimer, __NR_setitimer, __NR_timer_create,
	__NR_timer_gettime, __NR_timer_getoverrun, __NR_timer_settime,
	__NR_timer_delete, __NR_clock_settime, __NR_clock_getres,
	__NR_clock_nanosleep, __NR_sigaltstack, __NR_rt_sigtimedwait,
	__NR_rt_sigqueueinfo, __NR_times, __NR_getrusage, __NR_settimeofday,
};

static long pick_nr(unsigned long *s)
{
	unsigned long r = rnd(s) % 100;

	if (r < 50)
		return implemented[rnd(s) % (sizeof(implemented) / sizeof(implemented[0]))];
	if (r < 85)
		return rnd(s) % 300;
	if (r < 93)
		return 400 + rnd(s) % 70;
	if (r < 98)
		return rnd(s) % 4096;
	return (long)rnd(s);
}

/*
 * Calls a child must not make as drawn: the ones that reach outside the
 * child (signals to other processes, limits and affinity of others) and
 * the privileged ones Linux has (so a run under Linux stays harmless).
 * Returns 0 to draw again; may rewrite the target to the child itself.
 */
static int tame(long nr, unsigned long *a, unsigned long *s)
{
	switch (nr) {
	case __NR_kill: {
		static const int whom[] = { 0, 1, -1 };
		int w = whom[rnd(s) % 3];

		/* 0: its own group; the pid or the group by number. */
		a[0] = w == 0 ? 0 : (unsigned long)(long)(w * getpid());
		return 1;
	}
	case __NR_tkill:
		a[0] = gettid();
		return 1;
	case __NR_tgkill:
		a[0] = getpid();
		a[1] = gettid();
		return 1;
	case __NR_prlimit64:
	case __NR_sched_setaffinity:
	case 118: /* sched_setparam */
	case 119: /* sched_setscheduler */
		a[0] = 0;
		return 1;
	case __NR_setpgid:
	case __NR_setsid:
		/* Outside its group only init can still reach it (kill(-1)). */
		return as_init;
	case __NR_clone:
		/*
		 * Children of children: fewer, or they crowd out the rest.
		 * Most are fork's form (the only one Hartix has): parent and
		 * child then go on with the same draws on copy-on-write pages,
		 * the same munmap()s on two harts at once.
		 */
		if (rnd(s) % 4)
			return 0;
		if (rnd(s) % 4) {
			a[0] = SIGCHLD;
			a[1] = 0;
		}
		return 1;
	case 39: case 40: case 41: /* umount2 mount pivot_root */
	case 51: case 89: /* chroot acct */
	case 104: case 105: case 106: /* kexec_load init/delete_module */
	case 112: case 116: case 117: /* clock_settime syslog ptrace */
	case 140: case 142: /* setpriority reboot */
	case 161: case 162: case 170: case 171: /* host/domainname, time */
	case 224: case 225: case 266: case 273: case 294: /* swap, clock_adjtime, modules, kexec */
		return 0;
	}
	return 1;
}

static void child(unsigned long n)
{
	unsigned long s = hx_child_seed(seed, n), i;
	int fd = open("/dev/null", O_RDWR), p[2];

	/* Its output goes nowhere: the console carries only the report. */
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	/* Something for the small numbers to name: a pipe and files. */
	chdir(DIR_);
	pipe(p);
	open(DIR_ "/a", O_RDWR | O_CREAT, 0644);
	open(DIR_, O_RDONLY);
	make_pointers(&s);
	for (i = 0; i < calls; i++) {
		unsigned long a[6];
		long nr;
		int k;

		do {
			nr = pick_nr(&s);
			for (k = 0; k < 6; k++)
				a[k] = pick_arg(&s);
		} while (!tame(nr, a, &s));
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	seed = hx_seed(argc, argv);
	calls = hx_arg(argc, argv, "calls", 64);
	as_init = hx_is_init();
	unsigned long secs = hx_arg(argc, argv, "time", 10);

	long only = (long)hx_arg(argc, argv, "only", ~0UL);
	struct hx_pool pool = { .child_ms = hx_arg(argc, argv, "child_ms", 2000) };
	unsigned long before;

	printf("sysfuzz: seed=%lu (replay: sysfuzz -- seed=%lu time=%lu)\n",
	       seed, seed, secs);
	before = hx_warm_up();
	mkdir(DIR_, 0755);
	mkdir(DIR_ "/d", 0755);
	ktap_begin("sysfuzz", HX_RESULTS);

	hx_pool_run(&pool, secs, only, child);
	return hx_pool_end(&pool, "sysfuzz", DIR_, before);
}
