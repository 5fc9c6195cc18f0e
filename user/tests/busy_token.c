/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * busy_token TOKEN SECONDS: computes for SECONDS of wall-clock time, then
 * prints "busy_token: TOKEN done". The kernel shell's test enters the
 * shell while it runs and checks it finished afterwards (and used CPU
 * time meanwhile). Exit status 2 on bad arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec start, now;
	unsigned long rounds = 0, x = 1;
	long secs;

	if (argc != 3 || (secs = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: busy_token TOKEN SECONDS\n");
		return 2;
	}
	printf("busy_token: started, %ld s\n", secs);
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005UL + 1442695040888963407UL;
		rounds++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec < secs);
	printf("busy_token: %s done after %lu rounds (%lx)\n", argv[1], rounds,
	       x & 0xf);
	return 0;
}
