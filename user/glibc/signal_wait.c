/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * signal_wait: sigaltstack, sigtimedwait, sigqueue, waitid and wait4's WUNTRACED/WCONTINUED with glibc.
 *
 * utest: smp=1,4
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

static char altstack[65536] __attribute__((aligned(16)));
static volatile uintptr_t handler_sp;
static volatile int handler_ss_flags, handler_eperm, got_code, got_value, got_pid;
static volatile sig_atomic_t hits;

static pid_t plain_fork(void)
{
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void on_alt(int sig)
{
	stack_t ss, other;
	int local;

	(void)sig;
	handler_sp = (uintptr_t)&local;
	if (sigaltstack(NULL, &ss) == 0)
		handler_ss_flags = ss.ss_flags;
	/* Changing it while running on it is refused. */
	memset(&other, 0, sizeof(other));
	other.ss_flags = SS_DISABLE;
	handler_eperm = sigaltstack(&other, NULL) == -1 && errno == EPERM;
	hits++;
}

static void alternate_stack(void)
{
	struct sigaction sa;
	stack_t ss, old;
	int local;

	memset(&ss, 0, sizeof(ss));
	CHECK(sigaltstack(NULL, &old) == 0);
	CHECK(old.ss_flags == SS_DISABLE);
	ss.ss_sp = altstack;
	ss.ss_size = 1024; /* below MINSIGSTKSZ */
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM);
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 12345;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == EINVAL);
	ss.ss_flags = 0;
	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(sigaltstack(NULL, &old) == 0);
	CHECK(old.ss_sp == altstack && old.ss_size == sizeof(altstack) &&
	      old.ss_flags == 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	hits = 0;
	raise(SIGUSR1);
	CHECK(hits == 1);
	CHECK(handler_sp > (uintptr_t)altstack &&
	      handler_sp < (uintptr_t)altstack + sizeof(altstack));
	CHECK(handler_ss_flags == SS_ONSTACK);
	CHECK(handler_eperm);
	/* Without SA_ONSTACK the handler runs on the normal stack. */
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK(hits == 2);
	CHECK(handler_sp > (uintptr_t)&local - 65536 &&
	      handler_sp < (uintptr_t)&local);
	CHECK(handler_ss_flags == 0);
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE);
	signal(SIGUSR1, SIG_DFL);
}

static void timed_wait(void)
{
	struct timespec ts = { 0, 100000000 };
	siginfo_t si;
	sigset_t set;
	long long t0;
	pid_t pid;
	int status;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* Already pending: taken at once, with its siginfo, no handler run. */
	raise(SIGUSR2);
	memset(&si, 0, sizeof(si));
	CHECK(sigtimedwait(&set, &si, &ts) == SIGUSR2);
	CHECK(si.si_signo == SIGUSR2 && si.si_pid == getpid());
	/* Nothing comes: EAGAIN after the timeout, and at once for 0. */
	t0 = mono_ms();
	CHECK(sigtimedwait(&set, &si, &ts) == -1 && errno == EAGAIN);
	CHECK(mono_ms() - t0 >= 100);
	ts.tv_nsec = 0;
	t0 = mono_ms();
	CHECK(sigtimedwait(&set, &si, &ts) == -1 && errno == EAGAIN);
	CHECK(mono_ms() - t0 < 100);
	ts.tv_nsec = 1000000000;
	CHECK(sigtimedwait(&set, &si, &ts) == -1 && errno == EINVAL);
	/* From another process while we wait, without a timeout. */
	pid = plain_fork();
	if (pid == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK(sigwaitinfo(&set, &si) == SIGUSR2);
	CHECK(si.si_code == SI_USER && si.si_pid == pid);
	CHECK(waitpid(pid, &status, 0) == pid);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void on_queued(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_code = si->si_code;
	got_value = si->si_value.sival_int;
	got_pid = si->si_pid;
	hits++;
}

static void queued_value(void)
{
	struct sigaction sa;
	union sigval v = { .sival_int = 4242 };
	siginfo_t si;
	sigset_t set;
	struct timespec ts = { 1, 0 };
	pid_t pid;
	int status;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_queued;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	hits = 0;
	CHECK(sigqueue(getpid(), SIGRTMIN + 1, v) == 0);
	CHECK(hits == 1);
	CHECK(got_code == SI_QUEUE && got_value == 4242 && got_pid == getpid());
	/* Taken by sigtimedwait, the value comes with it. */
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	v.sival_int = 99;
	CHECK(sigqueue(getpid(), SIGRTMIN + 1, v) == 0);
	CHECK(sigtimedwait(&set, &si, &ts) == SIGRTMIN + 1);
	CHECK(si.si_code == SI_QUEUE && si.si_value.sival_int == 99);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	/* Posing as the kernel or kill() to another process: EPERM. */
	pid = plain_fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK(pid > 0);
	memset(&si, 0, sizeof(si));
	si.si_code = SI_KERNEL;
	CHECK(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si) == -1 &&
	      errno == EPERM);
	si.si_code = SI_USER;
	CHECK(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si) == -1 &&
	      errno == EPERM);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(sigqueue(getpid(), 65, v) == -1 && errno == EINVAL);
	signal(SIGRTMIN + 1, SIG_DFL);
}

static void waitid_exits(void)
{
	siginfo_t si;
	pid_t pid = plain_fork();

	if (pid == 0) {
		usleep(20000);
		_exit(7);
	}
	CHECK(pid > 0);
	/* Not yet: WNOHANG gives 0 and a zeroed siginfo. */
	memset(&si, 0xff, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WEXITED | WNOHANG) == 0);
	CHECK(si.si_pid == 0 && si.si_signo == 0);
	/* WNOWAIT leaves it to be waited for again. */
	CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0);
	CHECK(si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 7);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0);
	CHECK(si.si_signo == SIGCHLD && si.si_pid == pid &&
	      si.si_code == CLD_EXITED && si.si_status == 7);
	CHECK(waitid(P_PID, pid, &si, WEXITED) == -1 && errno == ECHILD);
	/* Killed, by process group. */
	pid = plain_fork();
	if (pid == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	CHECK(pid > 0);
	setpgid(pid, pid);
	kill(pid, SIGTERM);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PGID, pid, &si, WEXITED) == 0);
	CHECK(si.si_pid == pid && si.si_code == CLD_KILLED &&
	      si.si_status == SIGTERM);
	CHECK(waitid(P_ALL, 0, &si, 0) == -1 && errno == EINVAL);
	CHECK(waitid(P_PID, 0, &si, WEXITED) == -1 && errno == EINVAL);
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == -1 && errno == ECHILD);
}

static void stop_and_continue(void)
{
	siginfo_t si;
	int status;
	pid_t pid = plain_fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK(pid > 0);
	kill(pid, SIGSTOP);
	/* wait4 with WUNTRACED reports the stop, once. */
	CHECK(waitpid(pid, &status, WUNTRACED) == pid);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	CHECK(waitpid(pid, &status, WUNTRACED | WNOHANG) == 0);
	kill(pid, SIGCONT);
	CHECK(waitpid(pid, &status, WCONTINUED) == pid);
	CHECK(WIFCONTINUED(status));
	CHECK(waitpid(pid, &status, WCONTINUED | WNOHANG) == 0);
	/*
	 * The same through waitid. SIGSTOP again, not SIGTSTP: Linux
	 * discards SIGTSTP in an orphaned process group, which the runner's
	 * may be.
	 */
	kill(pid, SIGSTOP);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WSTOPPED) == 0);
	CHECK(si.si_code == CLD_STOPPED && si.si_status == SIGSTOP);
	kill(pid, SIGCONT);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WCONTINUED) == 0);
	CHECK(si.si_code == CLD_CONTINUED && si.si_status == SIGCONT);
	/* Without WUNTRACED a stop is not reported: WNOHANG finds nothing. */
	kill(pid, SIGSTOP);
	usleep(50000);
	CHECK(waitpid(pid, &status, WNOHANG) == 0);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK(waitpid(pid, &status, 123456) == -1 && errno == EINVAL);
}

static volatile sig_atomic_t chld_seen;

static void on_chld(int sig)
{
	(void)sig;
	chld_seen = 1;
}

/*
 * Once SIGCHLD has been handled, the child is there to be reaped: busybox's
 * sh polls with WNOHANG after each SIGCHLD, then sleeps in sigsuspend()
 * until the next one, so a 0 here hangs it for good. The parent spins, so
 * the signal reaches it while the child is still leaving its hart.
 */
static void sigchld_then_wnohang(void)
{
	struct sigaction sa, old;
	int i, status, early = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	CHECK(sigaction(SIGCHLD, &sa, &old) == 0);
	for (i = 0; i < 300; i++) {
		long long deadline = mono_ms() + 5000;
		pid_t pid, got;

		chld_seen = 0;
		pid = plain_fork();
		if (pid == 0)
			_exit(3);
		CHECK(pid > 0);
		while (!chld_seen && mono_ms() < deadline)
			;
		got = waitpid(pid, &status, WNOHANG);
		if (got == 0) {
			early++;
			got = waitpid(pid, &status, 0);
		}
		CHECK(got == pid && WIFEXITED(status) && WEXITSTATUS(status) == 3);
	}
	if (early)
		printf("# %d of 300 waits found no child after its SIGCHLD\n", early);
	check(early == 0, "WNOHANG after SIGCHLD finds the child");
	CHECK(sigaction(SIGCHLD, &old, NULL) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(alternate_stack),
	UTEST_CASE(timed_wait),
	UTEST_CASE(queued_value),
	UTEST_CASE(waitid_exits),
	UTEST_CASE(stop_and_continue),
	UTEST_CASE(sigchld_then_wnohang),
};

int main(void)
{
	return UTEST_RUN("signal_wait", cases);
}
