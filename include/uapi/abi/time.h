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
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_TAI			11

/* clock_nanosleep() and timer_settime() flags. */
#define TIMER_ABSTIME			1

/* settimeofday()'s obsolete time zone. */
struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* setitimer() */
#define ITIMER_REAL		0
#define ITIMER_VIRTUAL		1
#define ITIMER_PROF		2

struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};

/* timer_settime() */
struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};

/* timer_create()'s struct sigevent (asm-generic/siginfo.h), 64 bytes. */
#define SIGEV_SIGNAL		0
#define SIGEV_NONE		1
#define SIGEV_THREAD		2
#define SIGEV_THREAD_ID		4

struct sigevent {
	unsigned long sigev_value;
	int sigev_signo;
	int sigev_notify;
	int sigev_tid; /* SIGEV_THREAD_ID */
	int pad[11];
};

/* times() */
struct tms {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

/* getrusage() */
#define RUSAGE_SELF		0
#define RUSAGE_CHILDREN		(-1)
#define RUSAGE_THREAD		1

struct rusage {
	struct timeval ru_utime, ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt,
		ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv,
		ru_nsignals, ru_nvcsw, ru_nivcsw;
};

#endif
