/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * time_timers: interval timers, alarm and POSIX timers as glibc programs use them.
 *
 * utest: smp=1,4
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

static volatile sig_atomic_t hits[65];
static volatile int last_code, last_overrun, last_value, last_getoverrun;
static timer_t overrun_timer;

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void count(int sig)
{
	hits[sig]++;
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits[sig]++;
	last_code = si->si_code;
	last_overrun = si->si_overrun;
	last_value = si->si_value.sival_int;
	last_getoverrun = timer_getoverrun(overrun_timer);
}

static void catch(int sig, int info)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (info) {
		sa.sa_sigaction = info_handler;
		sa.sa_flags = SA_SIGINFO;
	} else {
		sa.sa_handler = count;
	}
	sigaction(sig, &sa, NULL);
	hits[sig] = 0;
}

/* Waits (in pause-like sleeps) until n of sig came, or ms passed. */
static void wait_hits(int sig, int n, long ms)
{
	long long end = mono_ns() + ms * 1000000LL;
	struct timespec nap = { 0, 1000000 };

	while (hits[sig] < n && mono_ns() < end)
		nanosleep(&nap, NULL);
}

static void busy_until_hits(int sig, int n, long ms)
{
	long long end = mono_ns() + ms * 1000000LL;
	volatile unsigned long x = 0;
	int i;

	while (hits[sig] < n && mono_ns() < end)
		for (i = 0; i < 100000; i++)
			x++;
}

static pid_t plain_fork(void)
{
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

static void itimer_real_periodic(void)
{
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, cur, zero;

	catch(SIGALRM, 0);
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK(getitimer(ITIMER_REAL, &cur) == 0);
	CHECK(cur.it_interval.tv_usec == 20000);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 &&
	      cur.it_value.tv_usec <= 20000);
	wait_hits(SIGALRM, 5, 5000);
	CHECK(hits[SIGALRM] >= 5);
	memset(&zero, 0, sizeof(zero));
	CHECK(setitimer(ITIMER_REAL, &zero, &cur) == 0);
	CHECK(cur.it_interval.tv_usec == 20000);
	hits[SIGALRM] = 0;
	wait_hits(SIGALRM, 1, 100);
	CHECK(hits[SIGALRM] == 0); /* disarmed: no more */
	CHECK(getitimer(ITIMER_REAL, &cur) == 0 && cur.it_value.tv_sec == 0 &&
	      cur.it_value.tv_usec == 0);
	it.it_value.tv_usec = 1000000;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == -1 && errno == EINVAL);
	CHECK(setitimer(7, &zero, NULL) == -1 && errno == EINVAL);
	CHECK(getitimer(7, &cur) == -1 && errno == EINVAL);
}

static void alarm_calls(void)
{
	catch(SIGALRM, 0);
	CHECK(alarm(100) == 0);
	CHECK(alarm(5) >= 99); /* the old one's seconds left, rounded */
	CHECK(alarm(0) >= 4);
	CHECK(alarm(1) == 0);
	wait_hits(SIGALRM, 1, 3000);
	CHECK(hits[SIGALRM] == 1);
}

static void itimer_virtual_and_prof(void)
{
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } }, zero, cur;

	memset(&zero, 0, sizeof(zero));
	catch(SIGVTALRM, 0);
	catch(SIGPROF, 0);
	CHECK(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0);
	CHECK(setitimer(ITIMER_PROF, &it, NULL) == 0);
	CHECK(getitimer(ITIMER_VIRTUAL, &cur) == 0 && cur.it_interval.tv_usec >= 10000);
	busy_until_hits(SIGVTALRM, 3, 10000);
	busy_until_hits(SIGPROF, 3, 10000);
	CHECK(setitimer(ITIMER_VIRTUAL, &zero, NULL) == 0);
	CHECK(setitimer(ITIMER_PROF, &zero, NULL) == 0);
	CHECK(hits[SIGVTALRM] >= 3);
	CHECK(hits[SIGPROF] >= 3);
	/* Asleep the process uses no CPU time: no virtual timer fires. */
	it.it_interval.tv_usec = 0;
	hits[SIGVTALRM] = 0;
	CHECK(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0);
	usleep(100000);
	CHECK(hits[SIGVTALRM] == 0);
	CHECK(setitimer(ITIMER_VIRTUAL, &zero, NULL) == 0);
}

static timer_t make_timer(clockid_t clock, int notify, int sig, int value)
{
	struct sigevent sev;
	timer_t id = 0;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = notify;
	sev.sigev_signo = sig;
	sev.sigev_value.sival_int = value;
	if (timer_create(clock, &sev, &id))
		return (timer_t)-1;
	return id;
}

static void posix_timer_periodic(void)
{
	struct itimerspec its = { { 0, 10000000 }, { 0, 10000000 } }, cur;
	timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 77);

	catch(SIGUSR1, 1);
	overrun_timer = t;
	CHECK(t != (timer_t)-1);
	CHECK(timer_settime(t, 0, &its, NULL) == 0);
	CHECK(timer_gettime(t, &cur) == 0);
	CHECK(cur.it_interval.tv_nsec == 10000000);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0);
	wait_hits(SIGUSR1, 3, 5000);
	CHECK(hits[SIGUSR1] >= 3);
	CHECK(last_code == SI_TIMER);
	CHECK(last_value == 77);
	CHECK(timer_delete(t) == 0);
	CHECK(timer_gettime(t, &cur) == -1 && errno == EINVAL);
	CHECK(timer_delete(t) == -1 && errno == EINVAL);
}

static void posix_timer_overruns(void)
{
	struct itimerspec its = { { 0, 5000000 }, { 0, 5000000 } };
	timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR2, 5);
	sigset_t set;

	catch(SIGUSR2, 1);
	overrun_timer = t;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(timer_settime(t, 0, &its, NULL) == 0);
	usleep(200000); /* about 40 periods while the signal is blocked */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK(hits[SIGUSR2] >= 1);
	/* One signal for all, the rest counted as overruns. */
	CHECK(last_overrun >= 10);
	CHECK(last_getoverrun == last_overrun);
	CHECK(timer_getoverrun(t) >= 0);
	CHECK(timer_delete(t) == 0);
	CHECK(timer_getoverrun(t) == -1 && errno == EINVAL);
}

static void posix_timer_absolute_and_none(void)
{
	struct itimerspec its, cur;
	struct timespec now;
	timer_t t = make_timer(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 1);
	timer_t n = make_timer(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
	long long t0 = mono_ns();

	catch(SIGUSR1, 1);
	CHECK(t != (timer_t)-1 && n != (timer_t)-1);
	memset(&its, 0, sizeof(its));
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value = now;
	its.it_value.tv_nsec += 50000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	CHECK(timer_settime(t, TIMER_ABSTIME, &its, NULL) == 0);
	wait_hits(SIGUSR1, 1, 3000);
	CHECK(hits[SIGUSR1] == 1);
	CHECK(mono_ns() - t0 >= 45000000);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 &&
	      cur.it_value.tv_nsec == 0); /* one-shot: disarmed */
	/* SIGEV_NONE: it runs down without a signal. */
	its.it_value.tv_sec = 10;
	its.it_value.tv_nsec = 0;
	CHECK(timer_settime(n, 0, &its, NULL) == 0);
	usleep(20000);
	CHECK(timer_gettime(n, &cur) == 0);
	CHECK(cur.it_value.tv_sec == 9 || (cur.it_value.tv_sec < 10 && cur.it_value.tv_sec >= 9));
	CHECK(timer_delete(t) == 0 && timer_delete(n) == 0);
}

static void deleted_timer_does_not_fire(void)
{
	struct itimerspec its = { { 0, 0 }, { 0, 30000000 } };
	timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 1);

	catch(SIGUSR1, 1);
	CHECK(timer_settime(t, 0, &its, NULL) == 0);
	CHECK(timer_delete(t) == 0);
	usleep(100000);
	CHECK(hits[SIGUSR1] == 0);
}

static void thread_id_and_bad_arguments(void)
{
	struct itimerspec its = { { 0, 0 }, { 0, 10000000 } };
	struct sigevent sev;
	timer_t t;

	catch(SIGUSR1, 1);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev._sigev_un._tid = (int)syscall(SYS_gettid);
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
	CHECK(timer_settime(t, 0, &its, NULL) == 0);
	wait_hits(SIGUSR1, 1, 3000);
	CHECK(hits[SIGUSR1] == 1);
	CHECK(timer_delete(t) == 0);
	sev.sigev_notify = 99;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == -1 && errno == EINVAL);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 65;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == -1 && errno == EINVAL);
	sev.sigev_signo = SIGUSR1;
	CHECK(timer_create(99, &sev, &t) == -1 && errno == EINVAL);
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
	its.it_value.tv_nsec = 1000000000;
	CHECK(timer_settime(t, 0, &its, NULL) == -1 && errno == EINVAL);
	CHECK(timer_delete(t) == 0);
}

static void cputime_timer(void)
{
	struct itimerspec its = { { 0, 0 }, { 0, 50000000 } };
	timer_t t = make_timer(CLOCK_PROCESS_CPUTIME_ID, SIGEV_SIGNAL, SIGUSR2, 3);

	catch(SIGUSR2, 1);
	CHECK(t != (timer_t)-1);
	if (t == (timer_t)-1)
		return;
	CHECK(timer_settime(t, 0, &its, NULL) == 0);
	usleep(100000); /* asleep: no CPU time, no signal */
	CHECK(hits[SIGUSR2] == 0);
	busy_until_hits(SIGUSR2, 1, 10000);
	CHECK(hits[SIGUSR2] == 1);
	CHECK(last_code == SI_TIMER && last_value == 3);
	CHECK(timer_delete(t) == 0);
}

/* Children that leave armed timers behind: nothing fires into the parent, nothing leaks. */
static void timers_die_with_their_process(void)
{
	int i, status, ok = 1;

	catch(SIGUSR1, 0);
	for (i = 0; i < 20; i++) {
		pid_t pid = plain_fork();

		if (pid == 0) {
			struct itimerspec its = { { 0, 1000000 }, { 0, 1000000 } };
			struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
			int j;

			signal(SIGUSR1, SIG_IGN);
			signal(SIGALRM, SIG_IGN);
			for (j = 0; j < 10; j++) {
				timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL,
						       SIGUSR1, j);

				timer_settime(t, 0, &its, NULL);
			}
			setitimer(ITIMER_REAL, &it, NULL);
			usleep(5000);
			_exit(0);
		}
		ok &= pid > 0 && waitpid(pid, &status, 0) == pid &&
		      WIFEXITED(status);
	}
	CHECK(ok);
	usleep(50000);
	CHECK(hits[SIGUSR1] == 0);
}

/*
 * execve from a thread that is not the leader: the process keeps its
 * interval timers (Linux keeps them in the process's signal_struct) and
 * its pid. The new image checks and says so by its exit status.
 */
static const char *self;
static int on_linux;

static void *exec_from_thread(void *pid)
{
	char arg[16];

	snprintf(arg, sizeof(arg), "%d", (int)(long)pid);
	execl(self, self, "--itimers-kept", arg, (char *)NULL);
	_exit(errno == ENOEXEC ? 8 : 9);
}

/* In (0, sec] seconds. */
static int armed_within(const struct timeval *tv, long sec)
{
	return (tv->tv_sec || tv->tv_usec) &&
	       (tv->tv_sec < sec || (tv->tv_sec == sec && !tv->tv_usec));
}

static int itimers_after_exec(const char *pid)
{
	struct itimerval real, virt;

	if (getitimer(ITIMER_REAL, &real) || getitimer(ITIMER_VIRTUAL, &virt))
		return 2;
	if (getpid() != atoi(pid))
		return 3;
	/* armed for 30 s and 20 s of CPU (perhaps not a tick of it yet), every 7 s and 5 s */
	if (!armed_within(&real.it_value, 30) || real.it_interval.tv_sec != 7)
		return 4;
	if (!armed_within(&virt.it_value, 20) || virt.it_interval.tv_sec != 5)
		return 5;
	return 0;
}

static void itimers_kept_by_exec_from_a_thread(void)
{
	int status = -1;
	pid_t pid = plain_fork();

	if (pid == 0) {
		struct itimerval real = { { 7, 0 }, { 30, 0 } }, virt = { { 5, 0 }, { 20, 0 } };
		pthread_t t;

		if (setitimer(ITIMER_REAL, &real, NULL) || setitimer(ITIMER_VIRTUAL, &virt, NULL))
			_exit(6);
		if (pthread_create(&t, NULL, exec_from_thread, (void *)(long)getpid()))
			_exit(7);
		for (;;)
			pause(); /* ended by the thread's execve */
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	if (on_linux && WIFEXITED(status) && WEXITSTATUS(status) == 8) {
		utest_skip("the host kernel does not run riscv64 programs");
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		printf("# exec from a thread: wait status %#x\n", status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(itimer_real_periodic),
	UTEST_CASE(alarm_calls),
	UTEST_CASE(itimer_virtual_and_prof),
	UTEST_CASE(posix_timer_periodic),
	UTEST_CASE(posix_timer_overruns),
	UTEST_CASE(posix_timer_absolute_and_none),
	UTEST_CASE(deleted_timer_does_not_fire),
	UTEST_CASE(thread_id_and_bad_arguments),
	UTEST_CASE(cputime_timer),
	UTEST_CASE(timers_die_with_their_process),
	UTEST_CASE(itimers_kept_by_exec_from_a_thread),
};

int main(int argc, char **argv)
{
	struct utsname u;

	self = argv[0];
	on_linux = !uname(&u) && !strcmp(u.sysname, "Linux");
	if (argc == 3 && !strcmp(argv[1], "--itimers-kept"))
		return itimers_after_exec(argv[2]);
	return UTEST_RUN("time_timers", cases);
}
