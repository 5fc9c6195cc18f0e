/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes under load: 200 at once, orphans, a fork bomb, a memory hog, fair CPU shares, user work on every hart, registers across fork.
 * utest: smp=1,4
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

/* 200 children alive at the same time, each reaped with its own status. */
static void many_processes(void)
{
	pid_t pids[200];
	int i, status, ok = 1, started = 0;

	for (i = 0; i < 200; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			usleep(20000);
			_exit(i & 0x7f);
		}
		if (pids[i] < 0)
			break;
		started++;
	}
	for (i = 0; i < started; i++)
		ok &= waitpid(pids[i], &status, 0) == pids[i] &&
		      WIFEXITED(status) && WEXITSTATUS(status) == (i & 0x7f);
	check(started == 200 && ok, "200 concurrent processes, all reaped with their status");
}

/* A grandchild whose parent exits is adopted by init (this program, pid 1). */
static void orphan_adopted(void)
{
	int status, adopted = 0;
	pid_t child = fork(), got;

	if (child == 0) {
		if (fork() == 0) {
			usleep(30000); /* its parent is gone by now */
			_exit(getppid() == 1 ? 7 : 8);
		}
		_exit(0);
	}
	waitpid(child, &status, 0);
	/* The grandchild is now our child. */
	while ((got = waitpid(-1, &status, 0)) > 0)
		adopted |= WIFEXITED(status) && WEXITSTATUS(status) == 7;
	/* Started by the kernel (no parent), this is init: pid 1, as on Linux. */
	check(getppid() != 0 || (getpid() == 1 && adopted),
	      "an orphan is adopted by init");
}

/* Forking until the kernel says no; the kernel stays up, all are reaped. */
static void fork_bomb_contained(void)
{
	static pid_t pids[1024];
	int n = 0, err = 0, status, i, reaped = 0;
	pid_t p;

	while (n < 1024) {
		p = fork();
		if (p == 0)
			for (;;)
				usleep(20000);
		if (p < 0) {
			err = errno;
			break;
		}
		pids[n++] = p;
	}
	check(n < 1024 && err == EAGAIN, "a fork bomb runs into EAGAIN");
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		reaped += waitpid(pids[i], &status, 0) == pids[i] &&
			  WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	check(reaped == n, "every bomb process killed and reaped");
	p = fork();
	if (p == 0)
		_exit(0);
	check(p > 0 && waitpid(p, &status, 0) == p, "forking works again afterwards");
}

/* A child touching memory until it runs out is ended; the rest goes on. */
static void memory_hog(void)
{
	int status;
	pid_t child = fork();

	if (child == 0) {
		for (;;) {
			char *p = mmap(0, 1 << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			unsigned long i;

			if (p == MAP_FAILED)
				_exit(3);
			for (i = 0; i < (1 << 20); i += 4096)
				p[i] = 1;
		}
	}
	waitpid(child, &status, 0);
	check((WIFSIGNALED(status)) || (WIFEXITED(status) && WEXITSTATUS(status) == 3),
	      "a memory hog is stopped (ENOMEM or killed)");
	child = fork();
	if (child == 0)
		_exit(0);
	check(child > 0 && waitpid(child, &status, 0) == child,
	      "memory is back: fork works after the hog");
}

/*
 * CPU-bound children share the harts: each gets its share within 20 %.
 * All count over the same window of time, so who started first does not
 * matter; at 50 ms slices, 3 s is 15 rounds, so where the window ends can
 * give one process at most about 7 % more.
 */
static void fair_shares(void)
{
	enum { N = 4, WINDOW_MS = 3000 };
	volatile unsigned long *shared = mmap(0, 4096, PROT_READ | PROT_WRITE,
					      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile unsigned long *counts = shared + 1;
	unsigned long lo = ~0UL, hi = 0;
	cpu_set_t online;
	int i, status;

	shared[0] = now_ms() + 100; /* the window opens here */
	for (i = 0; i < N; i++) {
		if (fork() == 0) {
			while (now_ms() < shared[0])
				;
			while (now_ms() < shared[0] + WINDOW_MS)
				counts[i]++;
			_exit(0);
		}
	}
	for (i = 0; i < N; i++)
		wait(&status);
	for (i = 0; i < N; i++) {
		if (counts[i] < lo)
			lo = counts[i];
		if (counts[i] > hi)
			hi = counts[i];
	}
	printf("# shares: lowest %lu, highest %lu\n", lo, hi);
	/*
	 * With more harts than the host has cores, the host decides how much
	 * time each emulated hart gets, so only one hart's shares are judged.
	 */
	if (sched_getaffinity(0, sizeof(online), &online) == 0 &&
	    CPU_COUNT(&online) > 1) {
		utest_skip("shares are judged on one hart only");
		return;
	}
	check(lo > 0 && hi * 10 <= lo * 12, "CPU-bound processes get their share within 20 %");
}

/*
 * Every online hart runs user code: twice as many spinners as harts each
 * note the CPUs getcpu() reports while they spin; the parent counts, per
 * hart, the spinners that ran there.
 */
static void every_hart_runs_user_work(void)
{
	enum { SPIN_MS = 400 };
	cpu_set_t online;
	int ncpus, i, status, nkids, counts[64] = { 0 }, ok = 1;

	if (sched_getaffinity(0, sizeof(online), &online) ||
	    (ncpus = CPU_COUNT(&online)) > 8 || ncpus < 1) {
		check(0, "every hart runs user work (affinity unreadable)");
		return;
	}
	nkids = 2 * ncpus;
	for (i = 0; i < nkids; i++) {
		if (fork() == 0) {
			unsigned long end = now_ms() + SPIN_MS;
			int seen = 0, cpu;

			while (now_ms() < end)
				if ((cpu = sched_getcpu()) >= 0 && cpu < 8)
					seen |= 1 << cpu;
			_exit(seen); /* a bit per CPU: 8 fit in a status */
		}
	}
	for (i = 0; i < nkids; i++) {
		int cpu;

		if (wait(&status) < 0 || !WIFEXITED(status)) {
			ok = 0;
			continue;
		}
		for (cpu = 0; cpu < 8; cpu++)
			counts[cpu] += (WEXITSTATUS(status) >> cpu) & 1;
	}
	printf("# user work per hart (spinners that ran there):");
	for (i = 0; i < ncpus; i++) {
		printf(" %d:%d", i, counts[i]);
		ok &= counts[i] > 0;
	}
	printf("\n");
	check(ok, "every hart runs user work");
}

/*
 * reg_fork(seed, out): sets gp, s0-s11 (FORK_REGS) to seed + n for x_n,
 * forks with a raw clone, and in the parent adds 1000 to each; both then
 * make 50 sched_yield calls, so on one hart they alternate, and store the
 * registers to out[]. The child's must be the parent's at the fork (the
 * kernel's fast system call path does not save s0-s11; clone must), the
 * parent's its own after the child ran (gp is not the kernel's to keep).
 * Returns clone's result. t0-t2 live across the calls (Linux keeps them).
 * The registers it sets are saved in slots of 8 bytes each (x_n at 8n) and
 * restored: with slots of 4, x8's upper half was x9's, and the caller's s0
 * came back wrong (it crashed once a case ran after this one).
 */
#define FORK_REGS 3, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
long reg_fork(unsigned long seed, unsigned long *out);
__asm__(
	".pushsection .text.reg_fork, \"ax\"\n"
	".globl reg_fork\n"
	"reg_fork:\n"
	"	addi sp, sp, -224\n"
	"	.irp n, 3,8,9,18,19,20,21,22,23,24,25,26,27\n"
	"	sd x\\n, (\\n * 8)(sp)\n"
	"	.endr\n"
	"	.irp n, 3,8,9,18,19,20,21,22,23,24,25,26,27\n"
	"	addi x\\n, a0, \\n\n"
	"	.endr\n"
	"	mv t0, a1\n"
	"	li a0, 17\n" /* SIGCHLD: fork */
	"	li a1, 0\n	li a2, 0\n	li a3, 0\n	li a4, 0\n"
	"	li a7, 220\n"
	"	ecall\n"
	"	mv t1, a0\n"
	"	beqz t1, 1f\n"
	"	.irp n, 3,8,9,18,19,20,21,22,23,24,25,26,27\n"
	"	addi x\\n, x\\n, 1000\n"
	"	.endr\n"
	"1:	li t2, 50\n"
	"2:	li a7, 124\n"
	"	ecall\n"
	"	addi t2, t2, -1\n"
	"	bnez t2, 2b\n"
	"	sd x3, 0(t0)\n	sd x8, 8(t0)\n	sd x9, 16(t0)\n"
	"	sd x18, 24(t0)\n	sd x19, 32(t0)\n	sd x20, 40(t0)\n"
	"	sd x21, 48(t0)\n	sd x22, 56(t0)\n	sd x23, 64(t0)\n"
	"	sd x24, 72(t0)\n	sd x25, 80(t0)\n	sd x26, 88(t0)\n"
	"	sd x27, 96(t0)\n"
	"	.irp n, 3,8,9,18,19,20,21,22,23,24,25,26,27\n"
	"	ld x\\n, (\\n * 8)(sp)\n"
	"	.endr\n"
	"	addi sp, sp, 224\n"
	"	mv a0, t1\n"
	"	ret\n"
	".popsection\n");

/* Registers a system call does not touch survive it, fork, and a switch. */
static void fork_keeps_registers(void)
{
	static const int regs[] = { FORK_REGS };
	unsigned long out[13], seed = 0x5eed0000;
	long pid = reg_fork(seed, out);
	int n, bad = 0, status;

	for (n = 0; n < 13; n++)
		bad += out[n] != seed + (unsigned long)regs[n] + (pid ? 1000 : 0);
	if (pid == 0)
		_exit(bad);
	if (bad)
		printf("# %d of the parent's registers changed\n", bad);
	check(pid > 0 && !bad && waitpid((pid_t)pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "gp and s0-s11 survive fork and system calls, in both processes");
}

static const struct utest_case cases[] = {
	UTEST_CASE(many_processes),
	UTEST_CASE(orphan_adopted),
	UTEST_CASE(fork_bomb_contained),
	UTEST_CASE(memory_hog),
	UTEST_CASE(fair_shares),
	UTEST_CASE(every_hart_runs_user_work),
	UTEST_CASE(fork_keeps_registers),
};

int main(void)
{
	return UTEST_RUN("proc_test", cases);
}
