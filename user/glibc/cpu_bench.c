/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench's parallel speed-up (glibc): one CPU-bound job split among as
 * many threads as there are online harts, timed by the wall clock
 * (tools/testing/bench.py boots it on 1 and on 2 harts under
 * multi-threaded TCG and compares). Not a test: it has no utest line.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* The whole job: this many rounds of the mixing loop, shared out. */
#define TOTAL_ROUNDS (1UL << 28)
#define MAX_THREADS 64

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

int main(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN), i;
	pthread_t t[MAX_THREADS];
	unsigned long sum = 0;
	long long t0, ns;

	if (n < 1 || n > MAX_THREADS)
		n = 1;
	share = TOTAL_ROUNDS / (unsigned long)n;
	t0 = now_ns();
	for (i = 1; i < n; i++)
		if (pthread_create(&t[i], NULL, work, (void *)i)) {
			printf("bench: pthread_create failed\n");
			return 1;
		}
	work((void *)0);
	for (i = 1; i < n; i++)
		pthread_join(t[i], NULL);
	ns = now_ns() - t0;
	for (i = 0; i < n; i++)
		sum ^= results[i];
	printf("bench: cpu_bound_threads %ld threads %lld ns (%lx)\n", n, ns, sum);
	printf("bench: done\n");
	return 0;
}
