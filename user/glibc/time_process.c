/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * time_process: CPU time, resource use and CPU-time timers count the whole process, every thread; timers may signal any thread.
 *
 * utest: smp=1,4 timeout=120
 */
#include <errno.h>
#include <pthread.h>
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

#define BURN_MS 150

static long long clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static long long tv_ms(const struct timeval *tv)
{
	return tv->tv_sec * 1000LL + tv->tv_usec / 1000;
}

static long long rusage_ms(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru))
		return -1;
	return tv_ms(&ru.ru_utime) + tv_ms(&ru.ru_stime);
}

/* Runs until this thread has had ms of CPU time, mostly in user mode. */
static void *burn(void *arg)
{
	long long ms = (long long)(long)arg;
	volatile unsigned long x = 0;
	int i;

	while (clock_ms(CLOCK_THREAD_CPUTIME_ID) < ms)
		for (i = 0; i < 100000; i++)
			x++;
	return NULL;
}

static void burn_in_threads(int n, long ms)
{
	pthread_t t[4];
	int i;

	for (i = 0; i < n; i++)
		CHECK(pthread_create(&t[i], NULL, burn, (void *)ms) == 0);
	for (i = 0; i < n; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
}

/* The process's clock, RUSAGE_SELF and times() add up exited threads; RUSAGE_THREAD is the caller's. */
static void process_sums_threads(void)
{
	long long before = clock_ms(CLOCK_PROCESS_CPUTIME_ID), self;
	struct tms tms;

	burn_in_threads(2, BURN_MS);
	CHECK(clock_ms(CLOCK_PROCESS_CPUTIME_ID) - before >= 2 * BURN_MS - 20);
	self = rusage_ms(RUSAGE_SELF);
	CHECK(self >= 2 * BURN_MS - 20);
	/* The main thread's own time leaves the others' out. */
	CHECK(rusage_ms(RUSAGE_THREAD) <= self - (2 * BURN_MS - 20));
	CHECK(clock_ms(CLOCK_THREAD_CPUTIME_ID) <=
	      clock_ms(CLOCK_PROCESS_CPUTIME_ID) - (2 * BURN_MS - 20));
	CHECK(times(&tms) != (clock_t)-1);
	CHECK((tms.tms_utime + tms.tms_stime) * 1000LL / sysconf(_SC_CLK_TCK) >=
	      2 * BURN_MS - 30);
}

/* A reaped child's use, all its threads', is the parent's RUSAGE_CHILDREN and wait4's. */
static void children_include_threads(void)
{
	long long before = rusage_ms(RUSAGE_CHILDREN);
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		burn_in_threads(2, BURN_MS);
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK(wait4(pid, &status, 0, &ru) == pid && WIFEXITED(status));
	CHECK(tv_ms(&ru.ru_utime) + tv_ms(&ru.ru_stime) >= 2 * BURN_MS - 20);
	CHECK(rusage_ms(RUSAGE_CHILDREN) - before >= 2 * BURN_MS - 20);
}

static volatile sig_atomic_t prof_hits, virt_hits;

static void on_timer_sig(int sig)
{
	if (sig == SIGPROF)
		prof_hits++;
	else
		virt_hits++;
}

/* ITIMER_PROF and ITIMER_VIRTUAL count every thread's CPU time. */
static void itimers_count_process(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer_sig;
	CHECK(sigaction(SIGPROF, &sa, NULL) == 0);
	CHECK(sigaction(SIGVTALRM, &sa, NULL) == 0);
	prof_hits = virt_hits = 0;
	CHECK(setitimer(ITIMER_PROF, &it, NULL) == 0);
	CHECK(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0);
	/* The main thread sleeps in pthread_join: only the others run. */
	burn_in_threads(2, BURN_MS);
	CHECK(prof_hits == 1);
	CHECK(virt_hits == 1);
	it.it_value.tv_usec = 0;
	CHECK(setitimer(ITIMER_PROF, &it, NULL) == 0);
	CHECK(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0);
	signal(SIGPROF, SIG_DFL);
	signal(SIGVTALRM, SIG_DFL);
}

/* A CPU-time POSIX timer on the process's clock fires on another thread's time. */
static void process_cputime_timer(void)
{
	struct itimerspec its = { { 0, 0 }, { 0, 100000000 } };
	struct timespec zero = { 0, 0 };
	int sig = SIGRTMIN + 6;
	struct sigevent sev;
	siginfo_t si;
	sigset_t set;
	timer_t t;

	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = sig;
	sev.sigev_value.sival_int = 61;
	CHECK(timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &t) == 0);
	CHECK(timer_settime(t, 0, &its, NULL) == 0);
	burn_in_threads(2, BURN_MS);
	CHECK(sigtimedwait(&set, &si, &zero) == sig && si.si_value.sival_int == 61);
	CHECK(timer_delete(t) == 0);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static volatile int target_tid, target_got;

static void *wait_timer(void *arg)
{
	struct timespec ts = { 5, 0 };
	sigset_t set;
	siginfo_t si;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 7);
	target_tid = (int)syscall(SYS_gettid);
	if (sigtimedwait(&set, &si, &ts) == SIGRTMIN + 7 && si.si_code == SI_TIMER)
		target_got = si.si_value.sival_int;
	return NULL;
}

/* SIGEV_THREAD_ID names any thread of the process; another process's is EINVAL. */
static void thread_id_any_thread(void)
{
	struct itimerspec its = { { 0, 0 }, { 0, 20000000 } };
	int sig = SIGRTMIN + 7;
	struct sigevent sev;
	siginfo_t si;
	struct timespec zero = { 0, 0 };
	pthread_t th;
	sigset_t set;
	timer_t t;

	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* and the thread's */
	target_tid = target_got = 0;
	CHECK(pthread_create(&th, NULL, wait_timer, NULL) == 0);
	while (!target_tid)
		sched_yield();
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = sig;
	sev.sigev_value.sival_int = 77;
	sev._sigev_un._tid = target_tid;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
	CHECK(timer_settime(t, 0, &its, NULL) == 0);
	CHECK(pthread_join(th, NULL) == 0);
	CHECK(target_got == 77);
	CHECK(timer_delete(t) == 0);
	/* Not the main thread's: nothing waits for it here. */
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);
	sev._sigev_un._tid = getppid();
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == -1 && errno == EINVAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static const struct utest_case cases[] = {
	UTEST_CASE(process_sums_threads),
	UTEST_CASE(children_include_threads),
	UTEST_CASE(itimers_count_process),
	UTEST_CASE(process_cputime_timer),
	UTEST_CASE(thread_id_any_thread),
};

int main(void)
{
	return UTEST_RUN("time_process", cases);
}
