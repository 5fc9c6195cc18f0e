/* SPDX-License-Identifier: BSD-2-Clause */
/* What the benchmarks (bench.c, glibc's fs_bench and poll_bench) measure with: instructions and time. */
#ifndef COUNTERS_H
#define COUNTERS_H

#include <time.h>

/*
 * rdinstret counts every instruction this hart retires, in user and kernel
 * mode and for every process on it: with one hart under QEMU -icount
 * shift=0 that is exactly the cost of a round trip, the same every run.
 */
static inline unsigned long instret(void)
{
	unsigned long v;

	__asm__ __volatile__("rdinstret %0" : "=r"(v));
	return v;
}

static inline unsigned long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000000000UL + (unsigned long)ts.tv_nsec;
}

#endif
