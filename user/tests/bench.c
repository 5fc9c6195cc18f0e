/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench's user side: system call, yield, pipe, fork, thread and boot costs in retired instructions. */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "counters.h"

static inline unsigned long rdtime(void)
{
	unsigned long v;

	__asm__ __volatile__("rdtime %0" : "=r"(v));
	return v;
}

static void report(const char *name, unsigned long instr, unsigned long ns,
		   unsigned long n)
{
	printf("bench: %s %lu instructions %lu ns\n", name, instr / n, ns / n);
}

static void null_syscall(void)
{
	unsigned long i, n = 2000, t0, i0;

	getpid(); /* warm */
	t0 = now_ns();
	i0 = instret();
	for (i = 0; i < n; i++)
		getpid();
	report("getpid", instret() - i0, now_ns() - t0, n);
}

/* Two processes yield to each other: one round trip is two yields. */
static void yield_round_trip(void)
{
	unsigned long i, n = 500, t0, i0;
	int status;
	pid_t child = fork();

	if (child == 0) {
		for (i = 0; i < n + 10; i++)
			sched_yield();
		_exit(0);
	}
	for (i = 0; i < 5; i++) /* let both settle into the ping-pong */
		sched_yield();
	t0 = now_ns();
	i0 = instret();
	for (i = 0; i < n; i++)
		sched_yield();
	report("sched_yield_round_trip", instret() - i0, now_ns() - t0, n);
	waitpid(child, &status, 0);
}

/* Two processes pass one byte back and forth through two pipes. */
static void pipe_round_trip(void)
{
	unsigned long i, n = 500, t0, i0;
	int there[2], back[2], status;
	pid_t child;
	char c = 'p';

	if (pipe(there) || pipe(back)) {
		printf("bench: pipe failed\n");
		return;
	}
	child = fork();
	if (child == 0) {
		close(there[1]);
		close(back[0]);
		while (read(there[0], &c, 1) == 1)
			write(back[1], &c, 1);
		_exit(0);
	}
	for (i = 0; i < 5; i++) { /* settle into the ping-pong */
		write(there[1], &c, 1);
		read(back[0], &c, 1);
	}
	t0 = now_ns();
	i0 = instret();
	for (i = 0; i < n; i++) {
		write(there[1], &c, 1);
		read(back[0], &c, 1);
	}
	report("pipe_round_trip", instret() - i0, now_ns() - t0, n);
	close(there[1]); /* EOF ends the child */
	waitpid(child, &status, 0);
	close(there[0]);
	close(back[0]);
	close(back[1]);
}

static void fork_exit_wait(void)
{
	unsigned long i, n = 100, t0, i0;
	int status;

	t0 = now_ns();
	i0 = instret();
	for (i = 0; i < n; i++) {
		pid_t child = fork();

		if (child == 0)
			_exit(0);
		waitpid(child, &status, 0);
	}
	report("fork+exit+wait", instret() - i0, now_ns() - t0, n);
}

/* glibc's pthread_create() flags but SETTLS: the tid word is set now and cleared at exit. */
/* VM FS FILES SIGHAND THREAD SYSVSEM PARENT_SETTID CHILD_CLEARTID */
#define THREAD_CLONE_FLAGS 0x00350f00UL
#define NR_CLONE 220
#define NR_EXIT 93
#define NR_FUTEX 98
/* Shared, as glibc's pthread_join(): the kernel's exit-time wake is. */
#define FUTEX_WAIT 0

/*
 * A thread that exits at once: its first instructions are the ecall
 * after clone's, so it needs no stack of its own (sp is left as given).
 */
static long thread_start_and_exit(int *tid_word, void *stack)
{
	register long a0 __asm__("a0") = (long)THREAD_CLONE_FLAGS;
	register long a1 __asm__("a1") = (long)stack;
	register long a2 __asm__("a2") = (long)tid_word;
	register long a3 __asm__("a3") = 0;
	register long a4 __asm__("a4") = (long)tid_word;
	register long a7 __asm__("a7") = NR_CLONE;

	__asm__ __volatile__("ecall\n\t"
			     "bnez a0, 1f\n\t"
			     "li a7, %[nr_exit]\n\t"
			     "ecall\n"
			     "1:"
			     : "+r"(a0)
			     : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7),
			       [nr_exit] "i"(NR_EXIT)
			     : "memory");
	return a0;
}

/* pthread_join()'s wait: until the kernel cleared the word and woke us. */
static void join_tid(volatile int *tid_word)
{
	int v;

	while ((v = *tid_word) != 0)
		syscall(NR_FUTEX, tid_word, FUTEX_WAIT, v, 0, 0, 0);
}

static void thread_create_join(void)
{
	static char stack[4096] __attribute__((aligned(16)));
	unsigned long i, n = 100, t0, i0;
	int tid_word;

	t0 = now_ns();
	i0 = instret();
	for (i = 0; i < n; i++) {
		if (thread_start_and_exit(&tid_word, stack + sizeof(stack)) < 0) {
			printf("bench: clone failed\n");
			return;
		}
		join_tid(&tid_word);
	}
	report("thread_create+join", instret() - i0, now_ns() - t0, n);
}

int main(int argc, char **argv)
{
	/* First thing: when /init started, in time-CSR ticks since reset. */
	unsigned long start = rdtime();

	printf("bench: init_started_at_tick %lu\n", start);
	if (argc > 1 && !strcmp(argv[1], "boot"))
		return 0;
	null_syscall();
	yield_round_trip();
	pipe_round_trip();
	fork_exit_wait();
	thread_create_join();
	printf("bench: done\n");
	return 0;
}
