/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * time_clocks: the clocks as glibc uses them: wall time, every clock id, resolutions, sleeps, CPU time and resource use.
 *
 * utest: smp=1,4 args="{now}"
 *
 * The runner passes the host's time (seconds since the epoch) when it
 * starts the run: CLOCK_REALTIME must be at or after it (the RTC is the
 * host's clock) and not far after it (the boot and the run are short).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

static long host_now;

static long long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static long long clock_ns(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return -1;
	return ts_ns(&ts);
}

/*
 * Mostly user-mode work until the process has run ms of CPU time (on a
 * busy host that takes longer than ms), or 20 s went by.
 */
static void spin_ms(long ms)
{
	long long start = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	long long give_up = clock_ns(CLOCK_MONOTONIC) + 20000000000LL;
	volatile unsigned long n = 0;
	int i;

	while (clock_ns(CLOCK_PROCESS_CPUTIME_ID) - start < ms * 1000000LL &&
	       clock_ns(CLOCK_MONOTONIC) < give_up)
		for (i = 0; i < 100000; i++)
			n++;
}

/*
 * fork() as the bare system call (glibc's fork() uses clone flags of the
 * threads work); the child only computes and calls _exit().
 */
static pid_t plain_fork(void)
{
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

static void realtime_is_wall_time(void)
{
	struct timeval tv;
	time_t t = time(NULL);

	/* 1970 plus the boot time was what Hartix said before. */
	CHECK(t >= host_now - 5);
	CHECK(t <= host_now + 600);
	CHECK(gettimeofday(&tv, NULL) == 0);
	CHECK(tv.tv_sec >= t && tv.tv_sec <= t + 2);
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK(clock_ns(CLOCK_REALTIME) / 1000000000LL >= t);
	/* TAI = UTC + 0 until someone sets the offset, as Linux's default. */
	CHECK(llabs(clock_ns(CLOCK_TAI) - clock_ns(CLOCK_REALTIME)) < 2000000000LL);
}

static void every_clock_id(void)
{
	static const clockid_t ids[] = {
		CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
		CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW,
		CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
	};
	struct timespec ts;
	unsigned i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		CHECK(clock_gettime(ids[i], &ts) == 0);
		CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	}
	CHECK(clock_gettime(99, &ts) == -1 && errno == EINVAL);
	CHECK(clock_gettime(10, &ts) == -1 && errno == EINVAL);
	/* Monotonic, raw and boot time agree (nothing suspends or slews here). */
	CHECK(llabs(clock_ns(CLOCK_MONOTONIC) - clock_ns(CLOCK_BOOTTIME)) < 1000000000LL);
}

static void resolutions(void)
{
	static const clockid_t fine[] = {
		CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW,
		CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
	};
	struct timespec ts;
	unsigned i;

	for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		CHECK(clock_getres(fine[i], &ts) == 0);
		CHECK(ts.tv_sec == 0 && ts.tv_nsec == 1);
	}
	/* Coarse: a tick, whatever the kernel's HZ (1000 down to 100). */
	CHECK(clock_getres(CLOCK_MONOTONIC_COARSE, &ts) == 0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec >= 1000000 && ts.tv_nsec <= 10000000);
	CHECK(clock_getres(CLOCK_REALTIME_COARSE, &ts) == 0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec >= 1000000 && ts.tv_nsec <= 10000000);
	CHECK(clock_getres(99, &ts) == -1 && errno == EINVAL);
	CHECK(clock_getres(CLOCK_MONOTONIC, NULL) == 0);
}

static void monotonic_across_harts(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN), i;
	long long last = clock_ns(CLOCK_MONOTONIC), now;
	int ok = 1;
	cpu_set_t set;

	for (i = 0; i < 200; i++) {
		CPU_ZERO(&set);
		CPU_SET((int)(i % (n > 0 ? n : 1)), &set);
		sched_setaffinity(0, sizeof(set), &set);
		now = clock_ns(CLOCK_MONOTONIC);
		ok &= now >= last;
		last = now;
		now = clock_ns(CLOCK_MONOTONIC_COARSE);
		ok &= now > 0;
	}
	CPU_ZERO(&set);
	for (i = 0; i < (n > 0 ? n : 1); i++)
		CPU_SET((int)i, &set);
	sched_setaffinity(0, sizeof(set), &set);
	CHECK(ok);
}

static void sleeps(void)
{
	struct timespec req = { 0, 50000000 }, abs;
	long long t0 = clock_ns(CLOCK_MONOTONIC), t1;

	CHECK(nanosleep(&req, NULL) == 0);
	t1 = clock_ns(CLOCK_MONOTONIC);
	CHECK(t1 - t0 >= 50000000);
	/* Absolute on both clocks. */
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 60000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL) == 0);
	CHECK(clock_ns(CLOCK_MONOTONIC) >= ts_ns(&abs));
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 60000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	CHECK(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL) == 0);
	CHECK(clock_ns(CLOCK_REALTIME) >= ts_ns(&abs));
	/* In the past: at once. */
	abs.tv_sec -= 100;
	t0 = clock_ns(CLOCK_MONOTONIC);
	CHECK(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL) == 0);
	CHECK(clock_ns(CLOCK_MONOTONIC) - t0 < 50000000);
	/* clock_nanosleep returns the errno, not -1. */
	req.tv_nsec = 1000000000;
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL) == EINVAL);
	CHECK(nanosleep(&req, NULL) == -1 && errno == EINVAL);
	req.tv_nsec = 1000;
	CHECK(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL) == EINVAL);
	CHECK(clock_nanosleep(99, 0, &req, NULL) == EINVAL);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void sleep_interrupted_leaves_rest(void)
{
	struct sigaction sa;
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem) == EINTR);
	/* About 1.9 s of the 2 were left. */
	CHECK(rem.tv_sec == 1 && rem.tv_nsec > 500000000);
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	rem.tv_sec = 0;
	CHECK(nanosleep(&req, &rem) == -1 && errno == EINTR);
	CHECK(rem.tv_sec == 1);
	signal(SIGALRM, SIG_DFL);
}

static void cpu_time(void)
{
	long long p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	long long t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	long long m0 = clock_ns(CLOCK_MONOTONIC);
	struct rusage ru;
	struct tms tms;
	clockid_t cid;

	spin_ms(300);
	/* It got there, and it was no faster than the wall clock. */
	CHECK(clock_ns(CLOCK_PROCESS_CPUTIME_ID) - p0 >= 300000000);
	CHECK(clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0 >= 300000000);
	CHECK(clock_ns(CLOCK_PROCESS_CPUTIME_ID) - p0 <=
	      clock_ns(CLOCK_MONOTONIC) - m0 + 20000000);
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0);
	CHECK(ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
	      ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec >= 100000);
	CHECK(ru.ru_maxrss > 0);
	CHECK(ru.ru_minflt > 0);
	CHECK(getrusage(RUSAGE_THREAD, &ru) == 0);
	CHECK(ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec >= 50000);
	CHECK(getrusage(12345, &ru) == -1 && errno == EINVAL);
	CHECK(times(&tms) != (clock_t)-1);
	CHECK(tms.tms_utime + tms.tms_stime >= 10); /* 100 ms at USER_HZ 100 */
	/* Another process's CPU clock, by glibc's clock_getcpuclockid. */
	CHECK(clock_getcpuclockid(getpid(), &cid) == 0);
	CHECK(clock_ns(cid) >= 100000000);
}

static void voluntary_switches(void)
{
	struct timespec req = { 0, 2000000 };
	struct rusage before, after;
	int i;

	CHECK(getrusage(RUSAGE_SELF, &before) == 0);
	for (i = 0; i < 5; i++)
		nanosleep(&req, NULL);
	CHECK(getrusage(RUSAGE_SELF, &after) == 0);
	CHECK(after.ru_nvcsw - before.ru_nvcsw >= 5);
}

static void children_usage(void)
{
	struct rusage before, after, ru;
	struct tms tms;
	int status;
	pid_t pid;

	CHECK(getrusage(RUSAGE_CHILDREN, &before) == 0);
	pid = plain_fork();
	if (pid == 0) {
		spin_ms(300);
		_exit(0);
	}
	CHECK(pid > 0);
	memset(&ru, 0, sizeof(ru));
	CHECK(wait4(pid, &status, 0, &ru) == pid);
	CHECK(WIFEXITED(status));
	/* wait4 fills the child's use in (it was zeroes once). */
	CHECK(ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec >= 100000);
	CHECK(ru.ru_maxrss > 0);
	CHECK(getrusage(RUSAGE_CHILDREN, &after) == 0);
	CHECK((after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1000000 +
	      after.ru_utime.tv_usec - before.ru_utime.tv_usec >= 100000);
	CHECK(times(&tms) != (clock_t)-1 && tms.tms_cutime >= 10);
}

static const struct utest_case cases[] = {
	UTEST_CASE(realtime_is_wall_time),
	UTEST_CASE(every_clock_id),
	UTEST_CASE(resolutions),
	UTEST_CASE(monotonic_across_harts),
	UTEST_CASE(sleeps),
	UTEST_CASE(sleep_interrupted_leaves_rest),
	UTEST_CASE(cpu_time),
	UTEST_CASE(voluntary_switches),
	UTEST_CASE(children_usage),
};

int main(int argc, char **argv)
{
	host_now = argc > 1 ? atol(argv[1]) : time(NULL);
	return UTEST_RUN("time_clocks", cases);
}
