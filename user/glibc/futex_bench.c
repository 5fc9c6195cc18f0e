/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench's thread side (glibc): an uncontended pthread mutex against a
 * null system call, and a futex wake->wait round trip between two threads
 * on two harts, in retired instructions (tools/testing/bench.py boots it on
 * 2 harts under -icount). Not a test: it has no utest line.
 */
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Retired instructions, user and kernel (see user/tests/bench.c). Under
 * -icount QEMU 7.2 reads instret from icount_get(), the machine's virtual
 * clock: it counts every hart's instructions, not this hart's alone.
 */
static inline unsigned long instret(void)
{
	unsigned long v;

	__asm__ __volatile__("rdinstret %0" : "=r"(v));
	return v;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * No system call can cost less than a null one: a lock/unlock pair that
 * retires fewer instructions than getpid() made none.
 */
static void uncontended_mutex(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	unsigned long i, n = 10000, i0, lock, sys;

	pthread_mutex_lock(&m); /* warm */
	pthread_mutex_unlock(&m);
	i0 = instret();
	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
	lock = (instret() - i0) / n;
	i0 = instret();
	for (i = 0; i < 1000; i++)
		syscall(SYS_getpid);
	sys = (instret() - i0) / 1000;
	printf("bench: mutex_lock_unlock %lu instructions\n", lock);
	printf("bench: getpid_syscall %lu instructions\n", sys);
	printf("bench: mutex_lock_unlock_syscalls %d\n", lock < sys ? 0 : -1);
}

#define ROUNDS 500
static unsigned int turn; /* 0: the main thread's, 1: the partner's */
static int partner_cpu;

static void futex_wait(unsigned int *w, unsigned int val)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(unsigned int *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *partner(void *arg)
{
	unsigned long i;

	pin((int)(long)arg);
	partner_cpu = sched_getcpu();
	for (i = 0; i < ROUNDS + 10; i++) {
		while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) == 0)
			futex_wait(&turn, 0);
		__atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
		futex_wake(&turn);
	}
	return NULL;
}

/* Each round trip: wake the partner, sleep until it wakes us. */
static void futex_round_trip(void)
{
	unsigned long i, i0 = 0, mine;
	pthread_t t;
	int two = sysconf(_SC_NPROCESSORS_ONLN) > 1;

	pin(0);
	if (pthread_create(&t, NULL, partner, (void *)(long)two)) {
		printf("bench: pthread_create failed\n");
		return;
	}
	for (i = 0; i < ROUNDS + 10; i++) {
		if (i == 10) /* settled into the ping-pong */
			i0 = instret();
		__atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
		futex_wake(&turn);
		while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) == 1)
			futex_wait(&turn, 1);
	}
	mine = instret() - i0;
	pthread_join(t, NULL);
	/*
	 * One thread's span is the whole machine's work (see instret()): on
	 * two harts it holds both sides of every round trip, as on one.
	 */
	printf("bench: futex_round_trip%s %lu instructions (harts %d and %d)\n",
	       two ? "_2harts" : "_1hart", mine / ROUNDS, sched_getcpu(),
	       partner_cpu);
}

int main(void)
{
	uncontended_mutex();
	futex_round_trip();
	printf("bench: done\n");
	return 0;
}
