/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Scheduler stress: a bw_pipe-like stream, affinity churn under load, SIGKILL of blocked and looping tasks; every child must be reaped.
 * utest: smp=1,4 timeout=240
 */
#include <errno.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

#define CHUNK (64 * 1024)
#define PIPE_ROUNDS 2
#define PIPE_BYTES (4 * 1024 * 1024)
#define CHURNERS 6
#define CHURN_ROUNDS 1000
#define SPINNERS 3
#define PINGPONGS 1000

static char buf[CHUNK];
static int ncpus;

/* lmbench's bw_pipe: the parent writes 64 KiB chunks, a child reads them back. */
static int pipe_stream(void)
{
	unsigned long sum_in = 0, sum_out = 0;
	int fds[2], st = -1;
	pid_t pid;
	long done;

	if (pipe(fds))
		return 0;
	pid = fork();
	if (pid == 0) {
		ssize_t n;

		close(fds[1]);
		for (;;) {
			n = read(fds[0], buf, sizeof(buf));
			if (n <= 0)
				break;
			for (ssize_t i = 0; i < n; i++)
				sum_in = sum_in * 31 + (unsigned char)buf[i];
		}
		/* The checksum goes back as the exit status's low byte. */
		_exit(n < 0 ? 255 : (int)(sum_in & 0x7f));
	}
	close(fds[0]);
	for (done = 0; done < PIPE_BYTES; done += CHUNK) {
		for (int i = 0; i < CHUNK; i++) {
			buf[i] = (char)(done / CHUNK + i * 7);
			sum_out = sum_out * 31 + (unsigned char)buf[i];
		}
		if (write(fds[1], buf, CHUNK) != CHUNK)
			break;
	}
	close(fds[1]);
	if (waitpid(pid, &st, 0) != pid)
		return 0;
	return done == PIPE_BYTES && WIFEXITED(st) &&
	       WEXITSTATUS(st) == (int)(sum_out & 0x7f);
}

/*
 * bw_pipe as lmbench runs it (benchmp): a timing child forks a writer
 * that writes 64 KiB chunks forever, reads a fixed amount from it in
 * 64 KiB reads, reports over a second pipe, kills the writer with SIGKILL.
 */
static int pipe_bench(void)
{
	int res[2], st = -1;
	long got = -1;
	pid_t timer;

	if (pipe(res))
		return 0;
	timer = fork();
	if (timer == 0) {
		int fds[2];
		long total = 0;
		pid_t writer;

		if (pipe(fds))
			_exit(1);
		writer = fork();
		if (writer == 0) {
			close(fds[0]);
			memset(buf, 'x', sizeof(buf));
			for (;;)
				if (write(fds[1], buf, CHUNK) != CHUNK)
					_exit(1);
		}
		close(fds[1]);
		while (total < PIPE_BYTES) {
			ssize_t n = read(fds[0], buf, CHUNK);

			if (n <= 0)
				break;
			total += n;
		}
		kill(writer, SIGKILL);
		waitpid(writer, &st, 0);
		write(res[1], &total, sizeof(total));
		_exit(!(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL));
	}
	close(res[1]);
	if (read(res[0], &got, sizeof(got)) != sizeof(got))
		got = -1;
	close(res[0]);
	return waitpid(timer, &st, 0) == timer && WIFEXITED(st) &&
	       !WEXITSTATUS(st) && got == PIPE_BYTES;
}

/*
 * lmbench's lat_pipe: one byte back and forth through two pipes, so both
 * tasks go to sleep and wake each other at the same moments on two harts.
 */
static int pipe_pingpong(void)
{
	int ab[2], ba[2], st = -1, i;
	char c = 0;
	pid_t pid;

	if (pipe(ab) || pipe(ba))
		return 0;
	pid = fork();
	if (pid == 0) {
		close(ab[1]); /* else its read never sees EOF */
		close(ba[0]);
		for (;;) {
			if (read(ab[0], &c, 1) != 1)
				_exit(0);
			c++;
			if (write(ba[1], &c, 1) != 1)
				_exit(1);
		}
	}
	close(ab[0]);
	close(ba[1]);
	for (i = 0; i < PINGPONGS; i++) {
		char sent = (char)i;

		if (write(ab[1], &sent, 1) != 1 || read(ba[0], &c, 1) != 1 ||
		    c != (char)(sent + 1))
			break;
	}
	close(ab[1]);
	close(ba[0]);
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	       !WEXITSTATUS(st) && i == PINGPONGS;
}

/* Load that also sleeps: spins 2 ms, sleeps 0.5 ms, so wake-ups race with the moves. */
static void spin_forever(void)
{
	volatile unsigned long n = 0;

	for (;;) {
		unsigned long end = now_ms() + 2;

		while (now_ms() < end)
			n++;
		usleep(500);
	}
}

/* Moves itself between random CPU sets, yielding and sleeping between. */
static void churn(unsigned int seed)
{
	cpu_set_t set;

	for (int i = 0; i < CHURN_ROUNDS; i++) {
		seed = seed * 1103515245 + 12345;
		CPU_ZERO(&set);
		for (int c = 0; c < ncpus; c++)
			if ((seed >> (c + 8)) & 1)
				CPU_SET(c, &set);
		if (!CPU_COUNT(&set))
			CPU_SET((seed >> 4) % ncpus, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			_exit(2);
		/* Must run only where it was allowed to. */
		if (!CPU_ISSET(sched_getcpu(), &set))
			_exit(3);
		if (i % 3 == 0)
			sched_yield();
		else if (i % 97 == 0)
			usleep(100);
	}
	_exit(0);
}

/* Affinity churn while CPU-bound tasks load every hart: all churners finish. */
static void affinity_churn(void)
{
	pid_t spin[SPINNERS], ch[CHURNERS];
	int ok = 1, st, i;

	for (i = 0; i < SPINNERS; i++)
		if ((spin[i] = fork()) == 0)
			spin_forever();
	for (i = 0; i < CHURNERS; i++)
		if ((ch[i] = fork()) == 0)
			churn(0x9e3779b9u * (unsigned int)(i + 1));
	for (i = 0; i < CHURNERS; i++) {
		st = -1;
		if (waitpid(ch[i], &st, 0) != ch[i] || !WIFEXITED(st) ||
		    WEXITSTATUS(st)) {
			printf("churner %d: status %#x\n", i, st);
			ok = 0;
		}
	}
	check(ok, "affinity churn under load: every churner ran where allowed and exited");
	for (i = 0; i < SPINNERS; i++)
		kill(spin[i], SIGKILL);
	for (i = 0; i < SPINNERS; i++) {
		st = -1;
		if (waitpid(spin[i], &st, 0) != spin[i] || !WIFSIGNALED(st) ||
		    WTERMSIG(st) != SIGKILL)
			ok = 0;
	}
	check(ok, "the CPU-bound load is killed by SIGKILL and reaped");
}

/* A churner killed in the middle of its moves is reaped. */
static void kill_churners(void)
{
	pid_t ch[CHURNERS];
	int ok = 1, st, i;

	for (i = 0; i < CHURNERS; i++)
		if ((ch[i] = fork()) == 0)
			for (;;)
				churn(0x7f4a7c15u * (unsigned int)(i + 1));
	usleep(50000);
	for (i = 0; i < CHURNERS; i++)
		kill(ch[i], SIGKILL);
	for (i = 0; i < CHURNERS; i++) {
		st = -1;
		/* A churner may have finished its rounds: exit 0 is fine too. */
		if (waitpid(ch[i], &st, 0) != ch[i] ||
		    !((WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) ||
		      (WIFEXITED(st) && WEXITSTATUS(st) == 0)))
			ok = 0;
	}
	check(ok, "churners killed while moving are reaped");
}

/* SIGKILL ends a task blocked where it ignores or blocks every signal. */
static void kill_blocked(void)
{
	sigset_t all;
	int fds[2], st = -1;
	pid_t pid;

	if (pipe(fds)) {
		check(0, "pipe for the blocked reader");
		return;
	}
	pid = fork();
	if (pid == 0) {
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		signal(SIGTERM, SIG_IGN);
		close(fds[1]);
		read(fds[0], buf, 1); /* never any data */
		_exit(1);
	}
	usleep(20000);
	kill(pid, SIGKILL);
	check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
		      WTERMSIG(st) == SIGKILL,
	      "SIGKILL ends a reader blocked on an empty pipe with every signal blocked");
	close(fds[0]);
	close(fds[1]);
}

/*
 * SIGKILL stops a long read in the kernel: a child reads 16 MiB of
 * /dev/urandom into memory shared with us; once the first page has data
 * it is killed, and the read must have stopped before the last page.
 * Without the check between pieces it ran to the end first.
 */
static void kill_long_read(void)
{
	size_t len = 16 << 20;
	volatile unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st = -1, i, nonzero = 0;
	pid_t pid;

	if (m == MAP_FAILED) {
		check(0, "mmap for the long read");
		return;
	}
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/urandom", O_RDONLY);

		read(fd, (void *)m, len);
		_exit(0);
	}
	while (!m[0] && !m[1] && !m[2] && !m[3])
		sched_yield();
	kill(pid, SIGKILL);
	check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
		      WTERMSIG(st) == SIGKILL,
	      "a child in a 16 MiB read of /dev/urandom dies of SIGKILL");
	for (i = 1; i <= 64; i++)
		nonzero |= m[len - (size_t)i];
	check(!nonzero, "SIGKILL stopped the read before its last bytes");
	munmap((void *)m, len);
}

static void bw_pipe_stream(void)
{
	unsigned long start = now_ms();
	int ok = 1;

	for (int r = 0; r < PIPE_ROUNDS; r++)
		ok &= pipe_stream();
	/* Information only (make bench measures): not a pass condition. */
	printf("# sched_test: streamed %d MiB in %lu ms\n",
	       PIPE_ROUNDS * PIPE_BYTES >> 20, now_ms() - start);
	check(ok, "bw_pipe-like stream: 64 KiB chunks, parent to child, checksum matches");
}

static void bw_pipe_benchmp(void)
{
	int ok = 1;

	for (int r = 0; r < PIPE_ROUNDS; r++)
		ok &= pipe_bench();
	check(ok, "bw_pipe as benchmp runs it: a writer child killed after the reads");
}

static void lat_pipe_pingpong(void)
{
	check(pipe_pingpong(), "lat_pipe-like ping-pong: 1000 round trips");
}

static const struct utest_case cases[] = {
	UTEST_CASE(bw_pipe_stream),
	UTEST_CASE(bw_pipe_benchmp),
	UTEST_CASE(lat_pipe_pingpong),
	UTEST_CASE(affinity_churn),
	UTEST_CASE(kill_churners),
	UTEST_CASE(kill_blocked),
	UTEST_CASE(kill_long_read),
};

int main(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	ncpus = CPU_COUNT(&set);
	printf("# sched_test: %d cpus\n", ncpus);
	return UTEST_RUN("sched_test", cases);
}
