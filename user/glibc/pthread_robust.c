/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pthread_robust: pthread_cancel (deferred, at a condition wait, at a
 * sleep), signals to threads (pthread_kill, a process signal taken by the
 * thread that does not block it), and robust mutexes whose owner dies: a
 * thread, with and without a waiter asleep, a process holding a
 * process-shared one, and that process's execve (EOWNERDEAD,
 * pthread_mutex_consistent, ENOTRECOVERABLE).
 *
 * utest: smp=1,4 timeout=120
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static volatile int started, cleaned_up;

static void unlock_cleanup(void *arg)
{
	pthread_mutex_unlock(arg);
	cleaned_up = 1;
}

static void *cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mutex);
	pthread_cleanup_push(unlock_cleanup, &mutex);
	started = 1;
	for (;;)
		pthread_cond_wait(&cond, &mutex);
	pthread_cleanup_pop(0);
	return NULL;
}

/* Until flag is set, for at most 10 s. */
static int wait_flag(volatile int *flag)
{
	unsigned long t0 = now_ms();

	while (!*flag && now_ms() - t0 < 10000) {
		usleep(1000);
		sched_yield();
	}
	return *flag;
}

static void cancel_at_cond_wait(void)
{
	pthread_t t;
	void *ret = NULL;

	started = cleaned_up = 0;
	CHECK(pthread_create(&t, NULL, cond_waiter, NULL) == 0);
	CHECK(wait_flag(&started));
	/* The mutex is free once the waiter sleeps in the condition. */
	pthread_mutex_lock(&mutex);
	pthread_mutex_unlock(&mutex);
	CHECK(pthread_cancel(t) == 0);
	CHECK(pthread_join(t, &ret) == 0);
	check(ret == PTHREAD_CANCELED, "cancelled in pthread_cond_wait");
	check(cleaned_up, "its cleanup handler unlocked the mutex");
	check(pthread_mutex_trylock(&mutex) == 0, "the mutex is free");
	pthread_mutex_unlock(&mutex);
}

static void *sleeper(void *arg)
{
	(void)arg;
	started = 1;
	sleep(100);
	return (void *)1L;
}

static void cancel_at_sleep(void)
{
	pthread_t t;
	void *ret = NULL;
	unsigned long t0 = now_ms();

	started = 0;
	CHECK(pthread_create(&t, NULL, sleeper, NULL) == 0);
	CHECK(wait_flag(&started));
	CHECK(pthread_cancel(t) == 0);
	CHECK(pthread_join(t, &ret) == 0);
	check(ret == PTHREAD_CANCELED && now_ms() - t0 < 50000, "cancelled in sleep()");
}

static volatile int go_on, reached;

static void *busy(void *arg)
{
	(void)arg;
	started = 1;
	while (!go_on)
		; /* no cancellation point */
	reached = 1;
	pthread_testcancel();
	return NULL;
}

static void cancel_is_deferred(void)
{
	pthread_t t;
	void *ret = NULL;

	started = reached = go_on = 0;
	CHECK(pthread_create(&t, NULL, busy, NULL) == 0);
	CHECK(wait_flag(&started));
	CHECK(pthread_cancel(t) == 0);
	go_on = 1;
	CHECK(pthread_join(t, &ret) == 0);
	check(reached && ret == PTHREAD_CANCELED,
	      "deferred: runs on to pthread_testcancel(), then cancelled");
}

static volatile pid_t handler_tid;

static void record_tid(int sig)
{
	(void)sig;
	handler_tid = (pid_t)syscall(SYS_gettid);
}

static volatile pid_t worker_tid;

static void *signal_target(void *arg)
{
	(void)arg;
	worker_tid = (pid_t)syscall(SYS_gettid);
	while (!handler_tid)
		usleep(1000);
	return NULL;
}

static void signals_to_threads(void)
{
	struct sigaction sa = { .sa_handler = record_tid };
	sigset_t set, old;
	pthread_t t;

	sigaction(SIGUSR1, &sa, NULL);
	handler_tid = worker_tid = 0;
	CHECK(pthread_create(&t, NULL, signal_target, NULL) == 0);
	CHECK(wait_flag((volatile int *)&worker_tid));
	CHECK(pthread_kill(t, SIGUSR1) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	check(handler_tid == worker_tid && worker_tid != getpid(),
	      "pthread_kill: the handler runs in the target thread");

	/* Blocked here: a signal to the process goes to the thread that takes it. */
	handler_tid = worker_tid = 0;
	CHECK(pthread_create(&t, NULL, signal_target, NULL) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	CHECK(wait_flag((volatile int *)&worker_tid));
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	check(handler_tid == worker_tid, "kill(getpid()): handled by the thread not blocking it");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

static pthread_mutex_t robust;

/*
 * 0, or 1 when the case is skipped: glibc refuses robust mutexes
 * (ENOTSUP) when set_robust_list() fails, as under qemu-user, which does
 * not pass robust lists on to Linux. Required on Hartix.
 */
static int robust_init(pthread_mutex_t *m, int pshared)
{
	pthread_mutexattr_t a;
	struct utsname u;
	int err;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&a, pshared);
	err = pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	if (err == ENOTSUP && uname(&u) == 0 && strcmp(u.sysname, "Hartix")) {
		utest_skip("no robust lists (qemu-user)");
		return 1;
	}
	CHECK(err == 0);
	return err != 0;
}

static void *lock_and_exit(void *arg)
{
	pthread_mutex_lock(&robust);
	started = 1;
	/* Hold it until the main thread is asleep on it (or at once). */
	if (arg)
		usleep(50000);
	return NULL;
}

static void robust_owner_thread_dies(void)
{
	pthread_t t;

	if (robust_init(&robust, PTHREAD_PROCESS_PRIVATE))
		return;
	started = 0;
	CHECK(pthread_create(&t, NULL, lock_and_exit, NULL) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	check(pthread_mutex_lock(&robust) == EOWNERDEAD, "owner gone: EOWNERDEAD");
	check(pthread_mutex_consistent(&robust) == 0, "made consistent");
	CHECK(pthread_mutex_unlock(&robust) == 0);
	check(pthread_mutex_lock(&robust) == 0, "then locks normally");
	CHECK(pthread_mutex_unlock(&robust) == 0);

	/* A waiter asleep in the kernel when the owner dies is woken. */
	started = 0;
	CHECK(pthread_create(&t, NULL, lock_and_exit, (void *)1L) == 0);
	CHECK(wait_flag(&started));
	check(pthread_mutex_lock(&robust) == EOWNERDEAD, "asleep waiter: EOWNERDEAD");
	CHECK(pthread_join(t, NULL) == 0);
	/* Not made consistent: unusable from now on. */
	CHECK(pthread_mutex_unlock(&robust) == 0);
	check(pthread_mutex_lock(&robust) == ENOTRECOVERABLE,
	      "unlocked without consistent: ENOTRECOVERABLE");
	pthread_mutex_destroy(&robust);
}

static void robust_owner_process_dies(void)
{
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	if (robust_init(m, PTHREAD_PROCESS_SHARED)) {
		munmap(m, 4096);
		return;
	}
	pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(m);
		_exit(0); /* holding it */
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	check(pthread_mutex_lock(m) == EOWNERDEAD, "process-shared, owner process gone: EOWNERDEAD");
	CHECK(pthread_mutex_consistent(m) == 0 && pthread_mutex_unlock(m) == 0);
	CHECK(pthread_mutex_lock(m) == 0 && pthread_mutex_unlock(m) == 0);
	munmap(m, 4096);
}

/* execve releases the old image's robust futexes, as Linux: the waiter need not wait for the new image's exit. */
static void robust_owner_execs(void)
{
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct timespec ts;
	int status, fd[2];
	char c;
	pid_t pid;

	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	if (robust_init(m, PTHREAD_PROCESS_SHARED)) {
		munmap(m, 4096);
		return;
	}
	CHECK(pipe2(fd, O_CLOEXEC) == 0);
	pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(m);
		execl("/proc/self/exe", "pthread_robust", "--sleep", (char *)NULL);
		_exit(1);
	}
	close(fd[1]);
	/* End of file: the child's execve closed the other end. */
	CHECK(read(fd[0], &c, 1) == 0);
	close(fd[0]);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	check(pthread_mutex_timedlock(m, &ts) == EOWNERDEAD,
	      "owner process execs: EOWNERDEAD while it still runs");
	CHECK(waitpid(pid, &status, WNOHANG) == 0);
	CHECK(pthread_mutex_consistent(m) == 0 && pthread_mutex_unlock(m) == 0);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid);
	munmap(m, 4096);
}

int main(int argc, char **argv)
{
	static const struct utest_case cases[] = {
		UTEST_CASE(cancel_at_cond_wait),
		UTEST_CASE(cancel_at_sleep),
		UTEST_CASE(cancel_is_deferred),
		UTEST_CASE(signals_to_threads),
		UTEST_CASE(robust_owner_thread_dies),
		UTEST_CASE(robust_owner_process_dies),
		UTEST_CASE(robust_owner_execs),
	};

	/* robust_owner_execs's new image: it runs on, holding nothing. */
	if (argc > 1 && !strcmp(argv[1], "--sleep")) {
		sleep(30);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0); /* a hang shows where */
	return UTEST_RUN("pthread_robust", cases);
}
