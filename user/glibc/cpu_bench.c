/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench's parallel speed-up (glibc): one CPU-bound job split among as
 * many threads as there are online harts, timed by the wall clock
 * (tools/testing/bench.py boots it on 1 and on 2 harts under
 * multi-threaded TCG and compares). Not a test: it has no utest line.
 *
 * The job runs REPS times, threads created anew each time, and the best
 * time is reported: one run takes 0.2 to 0.5 s of wall clock, and a single
 * host task taking a host core from one vCPU thread for a scheduler slice
 * or two (3 to 10 ms) costs that run a few percent of its speed-up, which
 * the job's critical path (the slower half) then shows in full.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* The whole job: this many rounds of the mixing loop, shared out. */
#define TOTAL_ROUNDS (1UL << 28)
#define MAX_THREADS 64
#define REPS 5

static unsigned long results[MAX_THREADS];
static unsigned long share;

/* Pure register arithmetic: no memory traffic, no system call. */
static void *work(void *arg)
{
	unsigned long x = (unsigned long)arg + 1, i;

	for (i = 0; i < share; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	results[(unsigned long)arg] = x;
	return NULL;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One run of the whole job on n threads: its wall-clock time, or -1. */
static long long run_job(long n)
{
	pthread_t t[MAX_THREADS];
	long long t0 = now_ns();
	long i;

	for (i = 1; i < n; i++)
		if (pthread_create(&t[i], NULL, work, (void *)i))
			return -1;
	work((void *)0);
	for (i = 1; i < n; i++)
		pthread_join(t[i], NULL);
	return now_ns() - t0;
}

int main(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN), i;
	unsigned long sum = 0;
	long long ns, best = -1;

	if (n < 1 || n > MAX_THREADS)
		n = 1;
	share = TOTAL_ROUNDS / (unsigned long)n;
	for (i = 0; i < REPS; i++) {
		ns = run_job(n);
		if (ns < 0) {
			printf("bench: pthread_create failed\n");
			return 1;
		}
		printf("bench: cpu_bound_threads run %ld: %lld ns\n", i, ns);
		if (best < 0 || ns < best)
			best = ns;
	}
	for (i = 0; i < n; i++)
		sum ^= results[i];
	printf("bench: cpu_bound_threads %ld threads %lld ns (%lx)\n", n, best, sum);
	printf("bench: done\n");
	return 0;
}
