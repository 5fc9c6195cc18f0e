/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * threads_exec: fork() and execve() in a process whose pthreads are running.
 *
 * utest: smp=1,4 timeout=120 linux=no
 *
 * Linux behaviour, but not run under qemu-riscv64: qemu-user 7.2 aborts
 * (an assertion in its TCG plugin code) on a fork() while guest threads
 * run. execve() from a thread must end the other threads first and give
 * the new image the process's pid, which is the leader's, not the tid of
 * the thread that called it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

static const char *self_path;
static volatile int stop;

static long gettid_(void)
{
	return syscall(SYS_gettid);
}

static void *spin_until_stop(void *arg)
{
	(void)arg;
	while (!stop)
		sched_yield();
	return (void *)gettid_();
}

/* fork() while threads run: the child has the caller's thread only, and a working libc. */
static void fork_with_threads_running(void)
{
	pthread_t t[3];
	int status = -1, i;
	pid_t pid;

	stop = 0;
	for (i = 0; i < 3; i++)
		CHECK(pthread_create(&t[i], NULL, spin_until_stop, NULL) == 0);
	pid = fork();
	if (pid == 0) {
		pthread_t c;
		void *r = NULL;
		int ok = gettid_() == getpid();

		/* The child's own threads work (glibc reset its locks). */
		stop = 1;
		ok &= pthread_create(&c, NULL, spin_until_stop, NULL) == 0 &&
		      pthread_join(c, &r) == 0 && (long)r != getpid();
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stop = 1;
	for (i = 0; i < 3; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
}

static void *exec_self(void *arg)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", getpid());
	execl(self_path, self_path, "exec-child", pid, (char *)NULL);
	return arg; /* exec failed: the child exits with 3 */
}

/*
 * execve() from a thread while others run: they end, and the new image
 * runs alone with the process's pid (the leader's, not the caller's tid).
 */
static void execve_from_thread(void)
{
	int status = -1;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		pthread_t a, b;

		stop = 0;
		pthread_create(&a, NULL, spin_until_stop, NULL);
		pthread_create(&b, NULL, exec_self, NULL);
		pthread_join(b, NULL);
		_exit(3);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The image execve_from_thread() starts: 0 if it is alone and has the old pid. */
static int exec_child(const char *want_pid)
{
	pthread_t t;
	void *r = NULL;
	int ok = getpid() == atoi(want_pid) && gettid_() == getpid();

	/* Threads work in the new image too. */
	stop = 1;
	ok &= pthread_create(&t, NULL, spin_until_stop, NULL) == 0 &&
	      pthread_join(t, &r) == 0 && (long)r != getpid();
	return ok ? 0 : 1;
}

static const struct utest_case cases[] = {
	UTEST_CASE(fork_with_threads_running),
	UTEST_CASE(execve_from_thread),
};

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "exec-child") == 0)
		return exec_child(argv[2]);
	self_path = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	return UTEST_RUN("threads_exec", cases);
}
