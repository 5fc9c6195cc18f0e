/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * threads_pthread: glibc's pthreads on Hartix: create/join, TLS, detached threads, pthread_kill and per-thread masks.
 *
 * utest: smp=1,4 timeout=120
 *
 * pthread_join() waits on the tid word the kernel clears at thread exit
 * (CLONE_CHILD_CLEARTID and a futex wake); glibc makes its threads with
 * clone3() where the kernel has it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

static long gettid_(void)
{
	return syscall(SYS_gettid);
}

static __thread int tls_word = 7;

static void *square_in_tls(void *arg)
{
	long v = (long)arg;

	if (tls_word != 7) /* each thread starts with the initial image */
		return (void *)-1L;
	tls_word = (int)v;
	sched_yield();
	return (void *)(long)(tls_word * tls_word +
			      (gettid_() != getpid() ? 0 : 1000000));
}

/* Rounds of threads made and joined; each sees its own TLS and its own tid. */
static void create_join_tls(void)
{
	pthread_t t[8];
	int round, i, ok = 1;
	void *ret;

	for (round = 0; round < 25; round++) {
		for (i = 0; i < 8; i++)
			ok &= pthread_create(&t[i], NULL, square_in_tls,
					     (void *)(long)(i + 1)) == 0;
		for (i = 0; i < 8; i++) {
			ok &= pthread_join(t[i], &ret) == 0;
			ok &= (long)ret == (long)(i + 1) * (i + 1);
		}
	}
	CHECK(ok);
	CHECK(tls_word == 7);
}

static int detached_done;

static void *count_and_leave(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&detached_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Detached threads run and free themselves; nobody joins them. */
static void detached_threads(void)
{
	pthread_attr_t attr;
	pthread_t t;
	unsigned long end;
	int i, ok = 1;

	detached_done = 0;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (i = 0; i < 32; i++)
		ok &= pthread_create(&t, &attr, count_and_leave, NULL) == 0;
	pthread_attr_destroy(&attr);
	CHECK(ok);
	end = now_ms() + 20000;
	while (__atomic_load_n(&detached_done, __ATOMIC_ACQUIRE) < 32 &&
	       now_ms() < end)
		sched_yield();
	CHECK(detached_done == 32);
}

static volatile long handled_by;
static volatile int stop;

static void note_tid(int sig)
{
	(void)sig;
	handled_by = gettid_();
}

static void *spin_until_stop(void *arg)
{
	sigset_t *block = arg;

	if (block)
		pthread_sigmask(SIG_BLOCK, block, NULL);
	while (!stop)
		sched_yield();
	return (void *)gettid_();
}

/* pthread_kill() reaches that thread; a thread's mask is its own. */
static void pthread_kill_and_masks(void)
{
	sigset_t set, mine;
	pthread_t a, b;
	void *tid_a;
	unsigned long end;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	signal(SIGUSR1, note_tid);
	stop = 0;
	handled_by = 0;
	CHECK(pthread_create(&a, NULL, spin_until_stop, NULL) == 0);
	CHECK(pthread_create(&b, NULL, spin_until_stop, &set) == 0);
	CHECK(pthread_kill(a, SIGUSR1) == 0);
	end = now_ms() + 20000;
	while (!handled_by && now_ms() < end)
		sched_yield();
	CHECK(pthread_sigmask(SIG_BLOCK, NULL, &mine) == 0 &&
	      !sigismember(&mine, SIGUSR1));
	stop = 1;
	CHECK(pthread_join(a, &tid_a) == 0);
	CHECK(pthread_join(b, NULL) == 0);
	CHECK(handled_by == (long)tid_a && handled_by != getpid());
	signal(SIGUSR1, SIG_DFL);
}

static const struct utest_case cases[] = {
	UTEST_CASE(create_join_tls),
	UTEST_CASE(detached_threads),
	UTEST_CASE(pthread_kill_and_masks),
};

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return UTEST_RUN("threads_pthread", cases);
}
