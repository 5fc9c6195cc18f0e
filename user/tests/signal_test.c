/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Signals end to end: handlers, siginfo, masks, restarts, SIGCHLD, faults, groups, errnos, and register/FP state kept across signals and switches.
 * utest: smp=1,4 args="{token}"
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void on(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void on_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = flags | SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* A child that sends sig to us after ms, then exits with code. */
static pid_t signal_me_later(int sig, long ms, int code)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		msleep(ms);
		kill(parent, sig);
		msleep(ms);
		_exit(code);
	}
	return pid;
}

/*
 * Register state. reg_test(counter, seed) sets every register it can to
 * seed + n (x_n; not sp, gp) and f_n to the bits of seed + 100 + n, fcsr to 0x45, then
 * spins and calls sched_yield until *counter, decremented each round,
 * reaches 0 (a signal handler may zero it). Then it stores x0..x31,
 * f0..f31 and fcsr to reg_dump. a0 keeps counter, a7 the syscall number,
 * t5 counts the spin, t6 is scratch.
 */
unsigned long reg_dump[65];
long reg_test(volatile long *counter, unsigned long seed);
__asm__(
	".pushsection .text.reg_test, \"ax\"\n"
	".option push\n"
	".option arch, +d\n"
	".globl reg_test\n"
	"reg_test:\n"
	"	addi sp, sp, -128\n"
	"	sd ra, 0(sp)\n	sd gp, 8(sp)\n	sd tp, 16(sp)\n	sd s0, 24(sp)\n"
	"	sd s1, 32(sp)\n	sd s2, 40(sp)\n	sd s3, 48(sp)\n	sd s4, 56(sp)\n"
	"	sd s5, 64(sp)\n	sd s6, 72(sp)\n	sd s7, 80(sp)\n	sd s8, 88(sp)\n"
	"	sd s9, 96(sp)\n	sd s10, 104(sp)\n	sd s11, 112(sp)\n"
	"	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	addi t6, a1, 100 + \\n\n"
	"	fmv.d.x f\\n, t6\n"
	"	.endr\n"
	"	li t6, 0x45\n"
	"	fscsr t6\n"
	"	.irp n, 1,4,5,6,7,8,9,12,13,14,15,16,18,19,20,21,22,23,24,25,26,27,28,29\n"
	"	addi x\\n, a1, \\n\n"
	"	.endr\n"
	"	li a7, 124\n"
	"1:	li t5, 20000\n"
	"2:	addi t5, t5, -1\n"
	"	bnez t5, 2b\n"
	"	mv t6, a0\n"
	"	ecall\n"
	"	mv a0, t6\n"
	"	ld t6, 0(a0)\n"
	"	addi t6, t6, -1\n"
	"	sd t6, 0(a0)\n"
	"	bgtz t6, 1b\n"
	"	la t6, reg_dump\n"
	"	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
	"	sd x\\n, (\\n * 8)(t6)\n"
	"	.endr\n"
	"	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	fsd f\\n, (256 + \\n * 8)(t6)\n"
	"	.endr\n"
	"	frcsr t5\n"
	"	sd t5, 512(t6)\n"
	"	ld ra, 0(sp)\n	ld gp, 8(sp)\n	ld tp, 16(sp)\n	ld s0, 24(sp)\n"
	"	ld s1, 32(sp)\n	ld s2, 40(sp)\n	ld s3, 48(sp)\n	ld s4, 56(sp)\n"
	"	ld s5, 64(sp)\n	ld s6, 72(sp)\n	ld s7, 80(sp)\n	ld s8, 88(sp)\n"
	"	ld s9, 96(sp)\n	ld s10, 104(sp)\n	ld s11, 112(sp)\n"
	"	addi sp, sp, 128\n"
	"	ret\n"
	".option pop\n"
	".popsection\n");

/* Registers reg_test's dump does not hold a fixed function of seed for. */
static int reg_expected(int n, unsigned long seed, volatile long *counter,
			unsigned long *want)
{
	switch (n) {
	case 0: case 2: case 3: case 31: /* zero, sp, gp (handlers use it), scratch */
		return 0;
	case 10:
		*want = (unsigned long)counter;
		return 1;
	case 11:
		*want = seed;
		return 1;
	case 17:
		*want = 124;
		return 1;
	case 30:
		*want = 0;
		return 1;
	}
	*want = seed + n;
	return 1;
}

/* Number of registers that do not hold what reg_test put there. */
static int reg_mismatches(unsigned long seed, volatile long *counter)
{
	unsigned long want;
	int n, bad = 0;

	for (n = 0; n < 32; n++)
		if (reg_expected(n, seed, counter, &want) && reg_dump[n] != want) {
			printf("# x%d = %#lx, expected %#lx\n", n, reg_dump[n], want);
			bad++;
		}
	for (n = 0; n < 32; n++)
		if (reg_dump[32 + n] != seed + 100 + n) {
			printf("# f%d = %#lx, expected %#lx\n", n, reg_dump[32 + n],
			       seed + 100 + n);
			bad++;
		}
	if (reg_dump[64] != 0x45) {
		printf("# fcsr = %#lx, expected 0x45\n", reg_dump[64]);
		bad++;
	}
	return bad;
}

static volatile long spin_counter;
static volatile int clobber_runs;

/* Ends reg_test's loop and leaves garbage in every register it may touch. */
static void clobber_handler(int sig)
{
	(void)sig;
	clobber_runs++;
	spin_counter = 0;
	__asm__ __volatile__(
		".option push\n"
		".option arch, +d\n"
		"li t0, -1\n"
		".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
		"fmv.d.x f\\n, t0\n"
		".endr\n"
		"fscsr zero\n"
		".irp n, 4,6,7,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
		"li x\\n, 0x5a5a\n"
		".endr\n"
		".option pop\n");
}

static void test_async_registers(void)
{
	int round, bad = 0, status;

	on(SIGUSR1, clobber_handler, 0);
	for (round = 0; round < 4; round++) {
		unsigned long seed = 0x1234567800000000UL * (round + 1) + getpid();
		pid_t child = signal_me_later(SIGUSR1, 20 + 10 * round, 0);
		int before = clobber_runs;

		spin_counter = 1L << 40;
		reg_test(&spin_counter, seed);
		bad += reg_mismatches(seed, &spin_counter) +
		       (clobber_runs != before + 1);
		waitpid(child, &status, 0);
	}
	on(SIGUSR1, SIG_DFL, 0);
	check(bad == 0, "an asynchronous signal from another process: every integer and FP register, fcsr and tp intact after the handler");
}

/* Several processes on every hart, each with its own values, switched and moved around. */
static void test_fp_switching(void)
{
	enum { N = 6 };
	pid_t pids[N];
	int i, status, bad = 0;

	for (i = 0; i < N; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			unsigned long seed = 0x0ddba11000000000UL + 0x100000000UL * i;

			spin_counter = 300;
			reg_test(&spin_counter, seed);
			_exit(reg_mismatches(seed, &spin_counter) ? 1 : 0);
		}
	}
	for (i = 0; i < N; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] || status != 0)
			bad++;
	check(bad == 0, "6 processes keep their own integer, FP and tp registers across sched_yield, preemption and migration");
}

static volatile int usr1_runs, last_sig;

static void count_handler(int sig)
{
	usr1_runs++;
	last_sig = sig;
}

static void test_basic(void)
{
	usr1_runs = 0;
	on(SIGUSR1, count_handler, 0);
	check(raise(SIGUSR1) == 0 && usr1_runs == 1 && last_sig == SIGUSR1,
	      "raise(SIGUSR1) runs the handler once with sig = SIGUSR1");
	on(SIGUSR1, SIG_IGN, 0);
	raise(SIGUSR1);
	check(usr1_runs == 1, "an ignored signal does nothing");
	raise(SIGURG);
	raise(SIGCHLD);
	check(1, "default-ignored SIGURG and SIGCHLD leave the process alive");
	on(SIGUSR1, SIG_DFL, 0);
}

static siginfo_t got_info;
static volatile int info_runs;

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_info = *si;
	info_runs++;
}

static void test_siginfo(void)
{
	sigset_t set, old;
	pid_t child;
	int status;

	on_info(SIGUSR2, info_handler, 0);
	info_runs = 0;
	kill(getpid(), SIGUSR2);
	check(info_runs == 1 && got_info.si_signo == SIGUSR2 &&
		      got_info.si_code == SI_USER && got_info.si_pid == getpid(),
	      "SA_SIGINFO from kill(): si_signo, si_code SI_USER, si_pid");
	syscall(SYS_tgkill, getpid(), getpid(), SIGUSR2);
	check(info_runs == 2 && got_info.si_code == SI_TKILL,
	      "tgkill(): si_code SI_TKILL");
	/* Blocked until sigsuspend: it cannot slip in before the wait. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	child = signal_me_later(SIGUSR2, 10, 0);
	while (info_runs < 3)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	waitpid(child, &status, 0);
	check(got_info.si_pid == child, "si_pid is the sending child's pid");
	on(SIGUSR2, SIG_DFL, 0);
}

static void test_mask(void)
{
	sigset_t set, old, pend;

	usr1_runs = 0;
	on(SIGUSR1, count_handler, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigpending(&pend);
	check(usr1_runs == 0 && sigismember(&pend, SIGUSR1) == 1,
	      "a blocked signal stays pending (sigpending shows it)");
	sigprocmask(SIG_SETMASK, &old, NULL);
	check(usr1_runs == 1, "unblocking delivers it, once (standard signals do not queue)");
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR1), "and it is no longer pending");
	on(SIGUSR1, SIG_DFL, 0);
}

static void test_resethand(void)
{
	struct sigaction q;
	pid_t child;
	int status;

	usr1_runs = 0;
	on(SIGUSR2, count_handler, SA_RESETHAND);
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &q);
	check(usr1_runs == 1 && q.sa_handler == SIG_DFL,
	      "SA_RESETHAND: handler runs once, then the action is SIG_DFL");
	child = fork();
	if (child == 0) {
		on(SIGUSR2, count_handler, SA_RESETHAND);
		raise(SIGUSR2);
		raise(SIGUSR2);
		_exit(0);
	}
	waitpid(child, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR2,
	      "SA_RESETHAND: the second one kills by default");
}

static volatile int depth, max_depth, nest_runs;

static void nest_handler(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (++nest_runs == 1) {
		struct timespec t0, t;

		raise(sig);
		/*
		 * qemu-riscv64 delivers it a little later than Linux does (a
		 * loaded host can stretch that): wait up to 2 s for it.
		 */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			sched_yield();
			clock_gettime(CLOCK_MONOTONIC, &t);
		} while (nest_runs == 1 && t.tv_sec - t0.tv_sec < 2);
	}
	depth--;
}

static void test_nodefer(void)
{
	depth = max_depth = nest_runs = 0;
	on(SIGUSR1, nest_handler, 0);
	raise(SIGUSR1);
	check(nest_runs == 2 && max_depth == 1,
	      "without SA_NODEFER a signal raised in its handler waits for it to return");
	depth = max_depth = nest_runs = 0;
	on(SIGUSR1, nest_handler, SA_NODEFER);
	raise(SIGUSR1);
	check(nest_runs == 2 && max_depth == 2,
	      "with SA_NODEFER it nests inside the handler");
	on(SIGUSR1, SIG_DFL, 0);
}

static void test_sigchld(void)
{
	sigset_t set, empty;
	pid_t child;
	int status;

	info_runs = 0;
	on_info(SIGCHLD, info_handler, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	child = fork();
	if (child == 0)
		_exit(7);
	sigemptyset(&empty);
	errno = 0;
	check(sigsuspend(&empty) == -1 && errno == EINTR && info_runs == 1,
	      "sigsuspend returns EINTR after the SIGCHLD handler");
	check(got_info.si_signo == SIGCHLD && got_info.si_code == CLD_EXITED &&
		      got_info.si_pid == child && got_info.si_status == 7,
	      "SIGCHLD siginfo: CLD_EXITED, the child's pid, status 7");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 7,
	      "wait4 still reaps it afterwards");
	on(SIGCHLD, SIG_DFL, 0);
}

static volatile unsigned long fault_addr;
static volatile int fault_code, fault_runs;

static void segv_handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;

	fault_runs++;
	fault_addr = (unsigned long)si->si_addr;
	fault_code = si->si_code;
	uc->uc_mcontext.__gregs[REG_PC] += 4; /* the 4-byte store below */
}

static void store_to(unsigned long addr)
{
	__asm__ __volatile__(".option push\n.option norvc\n"
			     "sd zero, 0(%0)\n.option pop\n"
			     : : "r"(addr) : "memory");
}

static void test_segv(void)
{
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	fault_runs = 0;
	on_info(SIGSEGV, segv_handler, 0);
	store_to(0x18);
	check(fault_runs == 1 && fault_addr == 0x18 && fault_code == SEGV_MAPERR,
	      "SIGSEGV handler for a store to 0x18: si_addr, SEGV_MAPERR, resumes past it");
	store_to((unsigned long)ro + 8);
	check(fault_runs == 2 && fault_addr == (unsigned long)ro + 8 &&
		      fault_code == SEGV_ACCERR,
	      "a store to a read-only page: SEGV_ACCERR");
	on(SIGSEGV, SIG_DFL, 0);
	munmap(ro, 4096);
}

static void test_group_kill(void)
{
	pid_t pids[3], pgid = 0;
	int i, status, killed = 0, in_group = 0;

	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			setpgid(0, pgid);
			for (;;)
				pause();
		}
		if (!pgid)
			pgid = pids[0];
		setpgid(pids[i], pgid); /* both sides, as shells do */
	}
	for (i = 0; i < 3; i++)
		in_group += getpgid(pids[i]) == pgid;
	check(in_group == 3 && getpgid(0) != pgid,
	      "setpgid puts three children in a new group, the parent stays out");
	check(kill(-pgid, SIGTERM) == 0, "kill(-pgid, SIGTERM)");
	for (i = 0; i < 3; i++)
		killed += waitpid(pids[i], &status, 0) == pids[i] &&
			  WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
	check(killed == 3, "every process of the group died of SIGTERM");
	check(kill(-pgid, 0) == -1 && errno == ESRCH, "the group is gone: ESRCH");
}

static void test_eintr_restart(void)
{
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	pid_t child;
	int status, r;

	usr1_runs = 0;
	on(SIGUSR1, count_handler, 0);
	child = signal_me_later(SIGUSR1, 50, 0);
	r = nanosleep(&req, &rem);
	check(r == -1 && errno == EINTR && usr1_runs == 1 && rem.tv_sec >= 1 &&
		      rem.tv_sec < 2,
	      "nanosleep(2 s) interrupted: EINTR with the time left");
	waitpid(child, &status, 0);

	child = signal_me_later(SIGUSR1, 40, 9);
	r = waitpid(child, &status, 0);
	check(r == -1 && errno == EINTR && usr1_runs == 2,
	      "wait4 without SA_RESTART: EINTR");
	waitpid(child, &status, 0);

	on(SIGUSR1, count_handler, SA_RESTART);
	child = signal_me_later(SIGUSR1, 40, 9);
	r = waitpid(child, &status, 0);
	check(r == child && WEXITSTATUS(status) == 9 && usr1_runs == 3,
	      "wait4 with SA_RESTART: restarted after the handler, gets the child");
	on(SIGUSR1, SIG_DFL, 0);
}

/*
 * ppoll's mask is in force only while it waits: a signal blocked outside
 * but allowed by the mask interrupts it (EINTR, the handler runs), and
 * afterwards the signal is blocked again. A signal the mask blocks waits.
 */
static void test_ppoll_mask(void)
{
	struct timespec two_s = { 2, 0 }, short_wait = { 0, 100 * 1000 * 1000 };
	sigset_t usr1, empty, now;
	pid_t child;
	int status, r;

	on(SIGUSR1, count_handler, 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	usr1_runs = 0;
	child = fork();
	if (child == 0) {
		struct timespec t = { 0, 200 * 1000 * 1000 };

		nanosleep(&t, NULL);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	errno = 0;
	r = ppoll(NULL, 0, &two_s, &empty);
	check(r == -1 && errno == EINTR && usr1_runs == 1,
	      "ppoll with a mask allowing SIGUSR1: EINTR after its handler");
	sigprocmask(SIG_BLOCK, NULL, &now);
	check(sigismember(&now, SIGUSR1) == 1,
	      "after ppoll, SIGUSR1 is blocked again");
	waitpid(child, &status, 0);
	raise(SIGUSR1);
	check(ppoll(NULL, 0, &short_wait, &usr1) == 0 && usr1_runs == 1,
	      "ppoll with a mask blocking SIGUSR1 times out; it stays pending");
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	check(usr1_runs == 2, "unblocked, the pending SIGUSR1 runs its handler");
	on(SIGUSR1, SIG_DFL, 0);
}

static void test_stop_cont(void)
{
	volatile long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t child = fork();
	long a, b, c;
	int status;

	if (child == 0)
		for (;;)
			(*shared)++;
	msleep(20);
	kill(child, SIGSTOP);
	msleep(20);
	a = *shared;
	msleep(40);
	b = *shared;
	kill(child, SIGCONT);
	msleep(40);
	c = *shared;
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	check(a == b && c > b, "SIGSTOP stops a process, SIGCONT continues it");
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "SIGKILL ends it");
	munmap((void *)shared, 4096);
}

static int fails_with(long r, int err)
{
	return r == -1 && errno == err;
}

static void test_errnos(void)
{
	struct sigaction sa = { .sa_handler = count_handler };
	unsigned long k[3] = { 0, 0, 0 }, set = 0;
	pid_t child;
	int status;

	check(fails_with(syscall(SYS_rt_sigaction, SIGUSR1, k, NULL, 4), EINVAL),
	      "rt_sigaction sigsetsize 4: EINVAL");
	check(fails_with(sigaction(SIGKILL, &sa, NULL), EINVAL) &&
		      fails_with(sigaction(SIGSTOP, &sa, NULL), EINVAL),
	      "sigaction on SIGKILL, SIGSTOP: EINVAL");
	check(fails_with(sigaction(0, &sa, NULL), EINVAL) &&
		      fails_with(sigaction(65, &sa, NULL), EINVAL),
	      "sigaction on 0, 65: EINVAL");
	check(fails_with(syscall(SYS_rt_sigaction, SIGUSR1, 1, NULL, 8), EFAULT) &&
		      fails_with(syscall(SYS_rt_sigaction, SIGUSR1, NULL, 1, 8), EFAULT),
	      "rt_sigaction with act or oact at 0x1: EFAULT");
	check(fails_with(syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8), EINVAL) &&
		      fails_with(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 16), EINVAL),
	      "rt_sigprocmask how 99, sigsetsize 16: EINVAL");
	check(fails_with(syscall(SYS_rt_sigprocmask, SIG_BLOCK, 1, NULL, 8), EFAULT) &&
		      fails_with(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, 1, 8), EFAULT),
	      "rt_sigprocmask set or oset at 0x1: EFAULT");
	check(fails_with(syscall(SYS_rt_sigpending, &set, 16), EINVAL) &&
		      fails_with(syscall(SYS_rt_sigpending, 1, 8), EFAULT),
	      "rt_sigpending sigsetsize 16: EINVAL, at 0x1: EFAULT");
	check(fails_with(syscall(SYS_rt_sigsuspend, &set, 4), EINVAL) &&
		      fails_with(syscall(SYS_rt_sigsuspend, 1, 8), EFAULT),
	      "rt_sigsuspend sigsetsize 4: EINVAL, at 0x1: EFAULT");
	check(fails_with(kill(getpid(), 65), EINVAL) &&
		      fails_with(kill(getpid(), -1), EINVAL),
	      "kill with signal 65 or -1: EINVAL");
	check(fails_with(kill(999999, 0), ESRCH) && kill(getpid(), 0) == 0,
	      "kill(999999, 0): ESRCH; kill(self, 0): 0");
	check(fails_with(syscall(SYS_tkill, 0, SIGUSR1), EINVAL) &&
		      fails_with(syscall(SYS_tkill, 999999, 0), ESRCH),
	      "tkill tid 0: EINVAL, tid 999999: ESRCH");
	check(fails_with(syscall(SYS_tgkill, 0, getpid(), 0), EINVAL) &&
		      fails_with(syscall(SYS_tgkill, 999999, getpid(), 0), ESRCH) &&
		      syscall(SYS_tgkill, getpid(), getpid(), 0) == 0,
	      "tgkill tgid 0: EINVAL, wrong tgid: ESRCH, right one: 0");
	check(fails_with(setpgid(0, -1), EINVAL) && fails_with(setpgid(999999, 0), ESRCH),
	      "setpgid pgid -1: EINVAL, pid 999999: ESRCH");
	child = fork();
	if (child == 0) {
		_exit(fails_with(setpgid(getppid(), 0), ESRCH) &&
			      fails_with(setpgid(0, 999999), EPERM) ? 0 : 1);
	}
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "setpgid on a process not our child: ESRCH; into a group that does not exist: EPERM");
	check(fails_with(getpgid(999999), ESRCH) && fails_with(getsid(999999), ESRCH),
	      "getpgid, getsid of pid 999999: ESRCH");
	check(getpgid(0) == getpgrp() && getsid(0) == getsid(getpid()),
	      "getpgid(0) is getpgrp(), getsid(0) is getsid(self)");
	child = fork();
	if (child == 0) {
		pid_t me = getpid();

		if (setpgid(0, 0) != 0 || setsid() != -1 || errno != EPERM)
			_exit(1); /* a group leader may not */
		setpgid(0, getpgid(getppid()));
		if (getpgid(0) == me)
			_exit(2);
		if (setsid() != me || getsid(0) != me || getpgid(0) != me)
			_exit(3);
		if (setsid() != -1 || errno != EPERM)
			_exit(4);
		_exit(0);
	}
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "setsid: EPERM for a group leader; else a new session and group");
	check(fails_with(sigaddset(&set, 0), EINVAL) &&
		      fails_with(sigismember(&set, 65), EINVAL),
	      "sigaddset(0), sigismember(65): EINVAL");
}

/* execve: caught signals go back to SIG_DFL, ignored ones stay ignored. */
static int exec_check(void)
{
	struct sigaction a, b;

	sigaction(SIGUSR1, NULL, &a);
	sigaction(SIGUSR2, NULL, &b);
	return a.sa_handler == SIG_DFL && b.sa_handler == SIG_IGN ? 0 : 1;
}

static const char *self;

static void test_exec(void)
{
	pid_t child = fork();
	int status;

	if (child == 0) {
		char *argv[] = { (char *)self, "--exec-check", NULL };

		on(SIGUSR1, count_handler, 0);
		on(SIGUSR2, SIG_IGN, 0);
		execv(self, argv);
		_exit(42);
	}
	waitpid(child, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 42) {
		utest_skip("execve of the test itself failed (qemu-user)");
		return;
	}
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "execve resets a caught signal to SIG_DFL, keeps an ignored one");
}

static const struct utest_case cases[] = {
	UTEST_CASE(test_basic),
	UTEST_CASE(test_siginfo),
	UTEST_CASE(test_mask),
	UTEST_CASE(test_resethand),
	UTEST_CASE(test_nodefer),
	UTEST_CASE(test_sigchld),
	UTEST_CASE(test_segv),
	UTEST_CASE(test_group_kill),
	UTEST_CASE(test_eintr_restart),
	UTEST_CASE(test_ppoll_mask),
	UTEST_CASE(test_stop_cont),
	UTEST_CASE(test_errnos),
	UTEST_CASE(test_exec),
	UTEST_CASE(test_async_registers),
	UTEST_CASE(test_fp_switching),
};

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--exec-check"))
		return exec_check();
	self = argv[0];
	printf("# signal_test: token %s\n", argc > 1 ? argv[1] : "-");
	return UTEST_RUN("signal_test", cases);
}
