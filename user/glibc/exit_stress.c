/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exit_stress: many short-lived processes on every hart, each pinned to
 * a hart other than its parent's and reaped from there, so the last
 * reference to an address space is dropped while the hart it ran on has
 * gone idle. With lazy TLB (CONFIG_LAZY_TLB) that idle hart still has it
 * in satp: if it were freed under it, the poisoned page tables of
 * CONFIG_DEBUG_PAGEALLOC would stop the kernel at that hart's next TLB
 * miss. Some children end through a second thread, on yet another hart.
 *
 * utest: smp=1,4 timeout=240
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

#define WORKERS 4
#define CHILDREN 100

static int nharts;

static void pin(int hart)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(hart % nharts, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *last_thread(void *arg)
{
	pin((int)(long)arg);
	/* the process ends here, on this thread's hart */
	exit(0);
}

/* A child: some memory of its own, then exit (from a thread, one time in three). */
static int child(int n, int hart)
{
	size_t len = (size_t)(1 + n % 8) * 16384;
	char *p;
	pthread_t t;

	pin(hart);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 3;
	memset(p, n, len);
	if (p[len - 1] != (char)n)
		return 4;
	if (n % 3 == 0 && !pthread_create(&t, NULL, last_thread, (void *)(long)(hart + 1))) {
		pthread_join(t, NULL);
		return 5; /* the thread's exit ends the process first */
	}
	return 0;
}

/* One worker: forks children onto the next hart and reaps them; its exit status says how many failed. */
static int worker(int w)
{
	int n, status, bad = 0;
	pid_t pid;

	pin(w);
	for (n = 0; n < CHILDREN; n++) {
		pid = fork();
		if (pid == 0)
			_exit(child(n, w + 1 + n % 3));
		if (pid < 0) {
			bad++;
			continue;
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad++;
		/* now and then: let the child's hart go idle first */
		if (n % 4 == 0)
			usleep(1000);
	}
	return bad > 255 ? 255 : bad;
}

static void short_lived_processes(void)
{
	pid_t pids[WORKERS];
	int w, status, failed_children = 0;

	for (w = 0; w < WORKERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0)
			_exit(worker(w));
		CHECK(pids[w] > 0);
	}
	for (w = 0; w < WORKERS; w++) {
		if (pids[w] <= 0)
			continue;
		CHECK(waitpid(pids[w], &status, 0) == pids[w] && WIFEXITED(status));
		failed_children += WEXITSTATUS(status);
	}
	printf("# %d of %d children failed\n", failed_children, WORKERS * CHILDREN);
	CHECK(failed_children == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(short_lived_processes),
};

int main(void)
{
	nharts = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (nharts < 1)
		nharts = 1;
	return UTEST_RUN("exit_stress", cases);
}
