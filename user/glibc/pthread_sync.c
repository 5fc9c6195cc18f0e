/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pthread_sync: glibc's pthreads on top of clone and futex: mutex,
 * condition variable, barrier, rwlock and semaphore storms (N threads x M
 * iterations, totals checked exactly), timed waits, thread-local storage,
 * joined and detached threads.
 *
 * utest: smp=1,4 timeout=240
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

#define NTHREADS 4
#define ITERS 20000

/* Starts n threads running fn(i), joins them; how many started and joined. */
static int run_threads(int n, void *(*fn)(void *))
{
	pthread_t t[16];
	int ok = 0, started = 0;

	for (long i = 0; i < n; i++)
		started += pthread_create(&t[i], NULL, fn, (void *)i) == 0;
	for (int i = 0; i < started; i++)
		ok += pthread_join(t[i], NULL) == 0;
	return started == n && ok == n;
}

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *mutex_body(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&mutex);
		counter++;
		pthread_mutex_unlock(&mutex);
	}
	return NULL;
}

static void mutex_storm(void)
{
	counter = 0;
	CHECK(run_threads(NTHREADS, mutex_body));
	check(counter == (long)NTHREADS * ITERS, "mutex: every increment counted");
}

/* A bounded queue: producers and consumers on two condition variables. */
#define QSIZE 8
#define ITEMS 2000
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER,
		      not_full = PTHREAD_COND_INITIALIZER;
static long queue[QSIZE], qhead, qcount, consumed_sum, consumed_n;

static void *producer(void *arg)
{
	(void)arg;
	for (long i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&mutex);
		while (qcount == QSIZE)
			pthread_cond_wait(&not_full, &mutex);
		queue[(qhead + qcount++) % QSIZE] = i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&mutex);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITEMS; i++) {
		pthread_mutex_lock(&mutex);
		while (qcount == 0)
			pthread_cond_wait(&not_empty, &mutex);
		consumed_sum += queue[qhead];
		consumed_n++;
		qhead = (qhead + 1) % QSIZE;
		qcount--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&mutex);
	}
	return NULL;
}

static void *cond_body(void *arg)
{
	return (long)arg % 2 ? consumer(arg) : producer(arg);
}

static void condvar_storm(void)
{
	consumed_sum = consumed_n = qhead = qcount = 0;
	CHECK(run_threads(NTHREADS, cond_body));
	check(consumed_n == (long)NTHREADS / 2 * ITEMS &&
	      consumed_sum == (long)NTHREADS / 2 * ITEMS * (ITEMS + 1) / 2,
	      "condvar queue: every item consumed once");
}

/* pthread_cond_broadcast wakes them all (FUTEX_WAKE of many, or requeue). */
static int gate_open, gate_passed;

static void *gate_body(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mutex);
	while (!gate_open)
		pthread_cond_wait(&not_empty, &mutex);
	gate_passed++;
	pthread_mutex_unlock(&mutex);
	return NULL;
}

static void broadcast(void)
{
	pthread_t t[8];
	int n = 0;

	gate_open = gate_passed = 0;
	for (int i = 0; i < 8; i++)
		n += pthread_create(&t[i], NULL, gate_body, NULL) == 0;
	usleep(20000);
	pthread_mutex_lock(&mutex);
	gate_open = 1;
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&mutex);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	check(n == 8 && gate_passed == 8, "broadcast releases all 8 waiters");
}

#define ROUNDS 300
static pthread_barrier_t barrier;
static int arrived[ROUNDS];
static int barrier_bad;

static void *barrier_body(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		__atomic_add_fetch(&arrived[r], 1, __ATOMIC_RELAXED);
		pthread_barrier_wait(&barrier);
		/* Everybody arrived before anybody left. */
		if (__atomic_load_n(&arrived[r], __ATOMIC_RELAXED) != NTHREADS)
			__atomic_store_n(&barrier_bad, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void barrier_storm(void)
{
	memset(arrived, 0, sizeof(arrived));
	barrier_bad = 0;
	CHECK(pthread_barrier_init(&barrier, NULL, NTHREADS) == 0);
	CHECK(run_threads(NTHREADS, barrier_body));
	check(!barrier_bad, "barrier: no thread passed a round early");
	CHECK(pthread_barrier_destroy(&barrier) == 0);
}

static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static long rw_a, rw_b;
static int rw_torn;

static void *rw_body(void *arg)
{
	for (int i = 0; i < ITERS / 4; i++) {
		if ((long)arg < 2) {
			pthread_rwlock_wrlock(&rwlock);
			rw_a++;
			rw_b++;
			pthread_rwlock_unlock(&rwlock);
		} else {
			pthread_rwlock_rdlock(&rwlock);
			if (rw_a != rw_b)
				rw_torn = 1;
			pthread_rwlock_unlock(&rwlock);
		}
	}
	return NULL;
}

static void rwlock_storm(void)
{
	rw_a = rw_b = rw_torn = 0;
	CHECK(run_threads(NTHREADS, rw_body));
	check(!rw_torn, "rwlock: readers never see a write half done");
	check(rw_a == 2L * (ITERS / 4) && rw_b == rw_a, "rwlock: every write counted");
}

static sem_t sem;

static void *sem_body(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITERS / 2; i++) {
		sem_wait(&sem);
		counter++;
		sem_post(&sem);
	}
	return NULL;
}

static void semaphore_storm(void)
{
	int v = -1;

	counter = 0;
	CHECK(sem_init(&sem, 0, 1) == 0);
	CHECK(run_threads(NTHREADS, sem_body));
	check(counter == (long)NTHREADS * (ITERS / 2), "sem_t as a lock: every increment counted");
	CHECK(sem_getvalue(&sem, &v) == 0 && v == 1);
	CHECK(sem_trywait(&sem) == 0 && sem_trywait(&sem) == -1 && errno == EAGAIN);
	CHECK(sem_destroy(&sem) == 0);
}

static void timed_waits(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c;
	pthread_condattr_t ca;
	struct timespec ts, t0;
	sem_t s;
	long ms;

	/* A condition variable on CLOCK_MONOTONIC: FUTEX_WAIT_BITSET, absolute. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c, &ca);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ts = t0;
	ts.tv_nsec += 30000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	check(pthread_cond_timedwait(&c, &m, &ts) == ETIMEDOUT,
	      "cond_timedwait on CLOCK_MONOTONIC: ETIMEDOUT");
	pthread_mutex_unlock(&m);
	ms = (long)(now_ms() - ((unsigned long)t0.tv_sec * 1000 + (unsigned long)t0.tv_nsec / 1000000));
	check(ms >= 30, "not before the deadline");

	/* The default clock: CLOCK_REALTIME (FUTEX_CLOCK_REALTIME). */
	pthread_cond_destroy(&c);
	pthread_cond_init(&c, NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	check(pthread_cond_timedwait(&c, &m, &ts) == ETIMEDOUT,
	      "cond_timedwait on CLOCK_REALTIME: ETIMEDOUT");
	pthread_mutex_unlock(&m);

	/* A locked mutex: timedlock gives up. */
	pthread_mutex_lock(&m);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	check(pthread_mutex_timedlock(&m, &ts) == ETIMEDOUT, "mutex_timedlock: ETIMEDOUT");
	pthread_mutex_unlock(&m);

	sem_init(&s, 0, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	check(sem_timedwait(&s, &ts) == -1 && errno == ETIMEDOUT, "sem_timedwait: ETIMEDOUT");
	sem_destroy(&s);
}

static __thread long tls_value = 42;
static __thread char tls_buf[64];
static long *tls_addr[NTHREADS];
static int tls_bad;

static void *tls_body(void *arg)
{
	long id = (long)arg;

	if (tls_value != 42) /* the initial image, in every thread */
		tls_bad = 1;
	tls_value = id * 1000;
	snprintf(tls_buf, sizeof(tls_buf), "thread %ld", id);
	tls_addr[id] = &tls_value;
	for (int i = 0; i < 100; i++) {
		sched_yield();
		if (tls_value != id * 1000)
			tls_bad = 1;
	}
	if (strcmp(tls_buf, "thread") < 0 || atol(tls_buf + 7) != id)
		tls_bad = 1;
	return NULL;
}

static void thread_local_storage(void)
{
	tls_bad = 0;
	tls_value = -1;
	CHECK(run_threads(NTHREADS, tls_body));
	check(!tls_bad, "__thread values start at 42 and stay per thread");
	check(tls_value == -1, "the main thread's copy untouched");
	for (int i = 0; i < NTHREADS; i++)
		for (int j = i + 1; j < NTHREADS; j++)
			CHECK(tls_addr[i] != tls_addr[j]);
}

static void *return_arg(void *arg)
{
	if ((long)arg == 7)
		pthread_exit((void *)77L);
	return (void *)((long)arg * 2);
}

static sem_t detached_done;
static int detached_ran;

static void *detached_body(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&detached_ran, 1, __ATOMIC_RELAXED);
	sem_post(&detached_done);
	return NULL;
}

static void joined_and_detached(void)
{
	pthread_t t[8];
	pthread_attr_t attr;
	void *ret;
	int ok = 1;

	for (long i = 0; i < 8; i++)
		ok &= pthread_create(&t[i], NULL, return_arg, (void *)i) == 0;
	for (long i = 0; i < 8; i++)
		ok &= pthread_join(t[i], &ret) == 0 && (long)ret == (i == 7 ? 77 : i * 2);
	check(ok, "join returns each thread's value (and pthread_exit's)");

	/* Many short-lived detached threads: their stacks are reused as they end. */
	detached_ran = 0;
	sem_init(&detached_done, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 200; i++) {
		pthread_t d;

		ok = pthread_create(&d, &attr, detached_body, NULL) == 0;
		if (!ok)
			break;
	}
	check(ok, "200 detached threads created");
	for (int i = 0; ok && i < 200; i++)
		sem_wait(&detached_done);
	check(detached_ran == 200, "every detached thread ran");
	pthread_attr_destroy(&attr);
	sem_destroy(&detached_done);
}

int main(void)
{
	static const struct utest_case cases[] = {
		UTEST_CASE(mutex_storm),
		UTEST_CASE(condvar_storm),
		UTEST_CASE(broadcast),
		UTEST_CASE(barrier_storm),
		UTEST_CASE(rwlock_storm),
		UTEST_CASE(semaphore_storm),
		UTEST_CASE(timed_waits),
		UTEST_CASE(thread_local_storage),
		UTEST_CASE(joined_and_detached),
	};

	setvbuf(stdout, NULL, _IOLBF, 0); /* a hang shows where */
	return UTEST_RUN("pthread_sync", cases);
}
