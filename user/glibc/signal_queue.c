/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * signal_queue: process signals in a shared set, queued real-time signals with their values, RLIMIT_SIGPENDING, orphaned process groups.
 *
 * utest: smp=1,4 timeout=120
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

static volatile sig_atomic_t hits;
static volatile int values[16];

static void block(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static void unblock(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* sig's next instance without waiting: its number, or -1 when none. */
static int take(int sig, siginfo_t *si)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigtimedwait(&set, si, &zero);
}

static void on_value(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (hits < 16)
		values[hits] = si->si_value.sival_int;
	hits++;
}

/* Each instance of a real-time signal is kept with its value; standard ones merge. */
static void rt_queued(void)
{
	int rt = SIGRTMIN + 2, i;
	struct sigaction sa;
	siginfo_t si;

	block(rt);
	block(rt + 1);
	block(SIGUSR1);
	for (i = 0; i < 3; i++)
		CHECK(sigqueue(getpid(), rt, (union sigval){ .sival_int = 10 * (i + 1) }) == 0);
	CHECK(kill(getpid(), rt) == 0);
	CHECK(sigqueue(getpid(), rt + 1, (union sigval){ .sival_int = 99 }) == 0);
	for (i = 0; i < 3; i++)
		CHECK(kill(getpid(), SIGUSR1) == 0);
	/* The lowest number first, and each number's instances in order. */
	for (i = 0; i < 3; i++) {
		CHECK(take(rt, &si) == rt);
		CHECK(si.si_code == SI_QUEUE && si.si_value.sival_int == 10 * (i + 1));
	}
	CHECK(take(rt, &si) == rt && si.si_code == SI_USER && si.si_pid == getpid());
	CHECK(take(rt, &si) == -1 && errno == EAGAIN);
	CHECK(take(SIGUSR1, &si) == SIGUSR1);
	CHECK(take(SIGUSR1, &si) == -1 && errno == EAGAIN);

	/* Delivered to a handler: one call per instance, in order. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_value;
	sa.sa_flags = SA_SIGINFO;
	CHECK(sigaction(rt, &sa, NULL) == 0);
	hits = 0;
	for (i = 0; i < 4; i++)
		CHECK(sigqueue(getpid(), rt, (union sigval){ .sival_int = i + 1 }) == 0);
	unblock(rt);
	CHECK(hits == 4);
	for (i = 0; i < 4; i++)
		CHECK(values[i] == i + 1);
	/* rt + 1's instance still waits. */
	CHECK(take(rt + 1, &si) == rt + 1 && si.si_value.sival_int == 99);
	signal(rt, SIG_DFL);
	unblock(rt + 1);
	unblock(SIGUSR1);
}

static pthread_t waiter;
static volatile int waiter_tid, waiter_got[3];

static void *wait_three(void *arg)
{
	int rt = SIGRTMIN + 3, i;
	siginfo_t si;
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, rt);
	waiter_tid = (int)syscall(SYS_gettid);
	for (i = 0; i < 3; i++)
		if (sigwaitinfo(&set, &si) == rt && si.si_code == SI_QUEUE)
			waiter_got[i] = si.si_value.sival_int;
	return NULL;
}

/* rt_tgsigqueueinfo (pthread_sigqueue): to one thread, each value kept. */
static void thread_queued(void)
{
	int rt = SIGRTMIN + 3, i;
	siginfo_t si;

	block(rt); /* inherited by the waiter: only sigwaitinfo takes it */
	CHECK(pthread_create(&waiter, NULL, wait_three, NULL) == 0);
	while (!waiter_tid)
		sched_yield();
	for (i = 0; i < 3; i++)
		CHECK(pthread_sigqueue(waiter, rt, (union sigval){ .sival_int = 7 + i }) == 0);
	CHECK(pthread_join(waiter, NULL) == 0);
	for (i = 0; i < 3; i++)
		CHECK(waiter_got[i] == 7 + i);
	/* Sent to one thread: the others do not see it. */
	CHECK(pthread_sigqueue(pthread_self(), rt, (union sigval){ .sival_int = 5 }) == 0);
	CHECK(take(rt, &si) == rt && si.si_value.sival_int == 5);
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, rt, &si) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_tgsigqueueinfo, 0, getpid(), rt, &si) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), 0x3fffffff, rt, &si) == -1 &&
	      errno == ESRCH);
	unblock(rt);
}

/* Past RLIMIT_SIGPENDING sigqueue() fails with EAGAIN; kill() still succeeds. */
static void pending_limit(void)
{
	int rt = SIGRTMIN + 4, n = 0, i;
	struct rlimit old, lim;
	siginfo_t si;

	CHECK(getrlimit(RLIMIT_SIGPENDING, &old) == 0);
	lim = old;
	lim.rlim_cur = 8;
	CHECK(setrlimit(RLIMIT_SIGPENDING, &lim) == 0);
	block(rt);
	while (n < 100 && sigqueue(getpid(), rt, (union sigval){ .sival_int = n }) == 0)
		n++;
	/* Linux counts per user: other processes' may take some of the 8. */
	CHECK(n >= 1 && n <= 8);
	CHECK(errno == EAGAIN);
	CHECK(kill(getpid(), rt) == 0);
	for (i = 0; i < n; i++)
		CHECK(take(rt, &si) == rt && si.si_value.sival_int == i);
	/* The room is back. */
	CHECK(sigqueue(getpid(), rt, (union sigval){ .sival_int = 42 }) == 0);
	CHECK(take(rt, &si) == rt && si.si_value.sival_int == 42);
	while (take(rt, &si) == rt)
		;
	CHECK(setrlimit(RLIMIT_SIGPENDING, &old) == 0);
	unblock(rt);
}

/* Two timers on one real-time signal: both expiries queue, each with its value. */
static void timer_values(void)
{
	int rt = SIGRTMIN + 5, i, seen = 0;
	struct itimerspec its = { { 0, 0 }, { 0, 2000000 } };
	struct sigevent sev;
	timer_t t[2];
	siginfo_t si;
	sigset_t set;

	block(rt);
	for (i = 0; i < 2; i++) {
		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = SIGEV_SIGNAL;
		sev.sigev_signo = rt;
		sev.sigev_value.sival_int = 100 + i;
		CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t[i]) == 0);
	}
	for (i = 0; i < 2; i++)
		CHECK(timer_settime(t[i], 0, &its, NULL) == 0);
	sigemptyset(&set);
	sigaddset(&set, rt);
	for (i = 0; i < 2; i++) {
		struct timespec ts = { 5, 0 };

		CHECK(sigtimedwait(&set, &si, &ts) == rt);
		CHECK(si.si_code == SI_TIMER);
		seen |= 1 << (si.si_value.sival_int - 100);
	}
	CHECK(seen == 3);
	for (i = 0; i < 2; i++)
		CHECK(timer_delete(t[i]) == 0);
	unblock(rt);
}

static volatile int round_go, stop_threads;
static volatile sig_atomic_t acks;

static void on_ack(int sig)
{
	(void)sig;
	__atomic_add_fetch(&acks, 1, __ATOMIC_RELAXED);
}

static void *idle_taker(void *arg)
{
	(void)arg;
	unblock(SIGUSR2);
	while (!stop_threads)
		poll(NULL, 0, 10);
	return NULL;
}

static void *sender(void *arg)
{
	int r = 0;

	(void)arg;
	block(SIGUSR2);
	while (!stop_threads) {
		if (__atomic_load_n(&round_go, __ATOMIC_ACQUIRE) > r) {
			r++;
			kill(getpid(), SIGUSR2);
		}
	}
	return NULL;
}

/*
 * A process signal that lands while the main thread is blocking it is
 * taken by the thread that does not block it: none is lost (Linux keeps
 * it in the process's set until a thread takes it).
 */
static void shared_retarget(void)
{
	pthread_t t1, t2;
	struct sigaction sa;
	int r, lost = 0;
	unsigned int seed = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_ack;
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
	acks = 0;
	round_go = stop_threads = 0;
	CHECK(pthread_create(&t1, NULL, idle_taker, NULL) == 0);
	CHECK(pthread_create(&t2, NULL, sender, NULL) == 0);
	for (r = 1; r <= 300 && !lost; r++) {
		unsigned long end;
		volatile int spin;
		int n = (int)(rand_r(&seed) % 3000);

		unblock(SIGUSR2);
		__atomic_store_n(&round_go, r, __ATOMIC_RELEASE);
		for (spin = 0; spin < n; spin++)
			;
		block(SIGUSR2);
		/* Blocked here: the other thread must take it. */
		end = now_ms() + 5000;
		while (acks < r && now_ms() < end)
			sched_yield();
		lost = acks < r;
	}
	CHECK(!lost);
	stop_threads = 1;
	CHECK(pthread_join(t1, NULL) == 0);
	CHECK(pthread_join(t2, NULL) == 0);
	unblock(SIGUSR2);
	signal(SIGUSR2, SIG_DFL);
}

static int report_fd;

static void on_hup(int sig)
{
	(void)sig;
	(void)write(report_fd, "H", 1);
}

/*
 * POSIX's orphaned process group: when the exit of its last parent
 * outside it (in the session) leaves a group with a stopped process, the
 * group gets SIGHUP and SIGCONT; there SIGTSTP's default action does
 * nothing, as nobody could continue it.
 */
static void orphaned_pgrp(void)
{
	int status, fd[2];
	pid_t leader;

	CHECK(pipe(fd) == 0);
	leader = fork();
	if (leader == 0) {
		struct pollfd pfd = { fd[0], POLLIN, 0 };
		char buf[8];
		size_t got = 0;
		ssize_t n;
		pid_t mid;

		/* A session of our own: the runner's groups play no part. */
		if (setsid() < 0)
			_exit(10);
		mid = fork();
		if (mid == 0) {
			pid_t g;

			setpgid(0, 0);
			g = fork();
			if (g == 0) {
				struct sigaction sa;

				close(fd[0]);
				report_fd = fd[1];
				memset(&sa, 0, sizeof(sa));
				sa.sa_handler = on_hup;
				sigaction(SIGHUP, &sa, NULL);
				raise(SIGSTOP);
				/* Continued by the group's SIGCONT, after SIGHUP's handler. */
				raise(SIGTSTP); /* orphaned now: thrown away */
				(void)write(fd[1], "T", 1);
				_exit(0);
			}
			/* Once g stopped, our exit orphans the group. */
			if (waitpid(g, &status, WUNTRACED) != g || !WIFSTOPPED(status))
				_exit(11);
			_exit(0);
		}
		close(fd[1]);
		if (waitpid(mid, &status, 0) != mid || status != 0)
			_exit(12);
		while (got < 2 && poll(&pfd, 1, 10000) == 1) {
			n = read(fd[0], buf + got, sizeof(buf) - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		_exit(got == 2 && buf[0] == 'H' && buf[1] == 'T' ? 0 : 13);
	}
	close(fd[0]);
	close(fd[1]);
	CHECK(waitpid(leader, &status, 0) == leader);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(rt_queued),
	UTEST_CASE(thread_queued),
	UTEST_CASE(pending_limit),
	UTEST_CASE(timer_values),
	UTEST_CASE(shared_retarget),
	UTEST_CASE(orphaned_pgrp),
};

int main(void)
{
	return UTEST_RUN("signal_queue", cases);
}
