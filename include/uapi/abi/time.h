/* SPDX-License-Identifier: BSD-2-Clause */
/* Time structures and clock ids of the Linux riscv64 ABI (64-bit time_t everywhere). */
#ifndef _ABI_TIME_H
#define _ABI_TIME_H

struct timespec {
	long tv_sec;
	long tv_nsec;
};

/* gettimeofday() */
struct timeval {
	long tv_sec;
	long tv_usec;
};

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_BOOTTIME			7

#endif
