/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fd_race: a descriptor closed by one thread while another is inside a
 * system call on it. The file must live until that call returns, as on
 * Linux (fget() takes a reference): a blocked read() still gets the data
 * written later, and reads, writes, fstat and poll racing close() and
 * reopen of the same numbers never crash the kernel.
 *
 * utest: smp=1,4 timeout=120
 *
 * Works in a directory it makes in its working directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "utest.h"

struct blocked {
	int fd;
	long got;
	int err;
	char c;
	volatile int started;
};

static void *read_one(void *arg)
{
	struct blocked *b = arg;

	b->started = 1;
	b->got = read(b->fd, &b->c, 1);
	b->err = b->got < 0 ? errno : 0;
	return NULL;
}

/* Takes every free low number and gives them back: reuses the closed fd's slot. */
static void churn_numbers(int rounds)
{
	int i, p[2];

	for (i = 0; i < rounds; i++) {
		if (pipe(p) == 0) {
			close(p[0]);
			close(p[1]);
		}
		int n = open("/dev/null", O_RDONLY);

		if (n >= 0)
			close(n);
	}
}

static void blocked_read_outlives_close(void)
{
	struct blocked b = { 0 };
	pthread_t t;
	int p[2];

	CHECK(pipe(p) == 0);
	b.fd = p[0];
	CHECK(pthread_create(&t, NULL, read_one, &b) == 0);
	while (!b.started)
		usleep(1000);
	usleep(200 * 1000); /* it is asleep in read() by now */
	CHECK(close(p[0]) == 0);
	churn_numbers(200);
	/* The reader still holds the read end: the pipe has a reader. */
	CHECK(write(p[1], "x", 1) == 1);
	pthread_join(t, NULL);
	CHECK(b.got == 1 && b.c == 'x');
	close(p[1]);
}

static void *poll_one(void *arg)
{
	struct blocked *b = arg;
	struct pollfd pfd = { b->fd, POLLIN, 0 };

	b->started = 1;
	b->got = poll(&pfd, 1, 10000);
	b->err = pfd.revents;
	return NULL;
}

/* Linux re-polls the closed number after the wake-up: POLLNVAL. */
static void poll_sees_close(void)
{
	struct blocked b = { 0 };
	pthread_t t;
	int p[2];

	CHECK(pipe(p) == 0);
	b.fd = p[0];
	CHECK(pthread_create(&t, NULL, poll_one, &b) == 0);
	while (!b.started)
		usleep(1000);
	usleep(200 * 1000);
	CHECK(close(p[0]) == 0);
	CHECK(write(p[1], "x", 1) == 1);
	pthread_join(t, NULL);
	CHECK(b.got == 1 && b.err == POLLNVAL);
	close(p[1]);
}

#define NFDS 8
#define ROUNDS 3000

static int fds[NFDS];
static volatile int stop;
static unsigned long calls[3];

/* Any call on any of the numbers; every result is allowed but a crash. */
static void *hammer(void *arg)
{
	long id = (long)arg;
	char buf[256];
	struct stat st;
	unsigned long n = 0;

	memset(buf, 'h', sizeof(buf));
	while (!stop) {
		int fd = fds[n % NFDS];
		struct pollfd pfd = { fd, POLLIN | POLLOUT, 0 };

		switch ((n + (unsigned long)id) % 4) {
		case 0:
			if (write(fd, buf, sizeof(buf)) < 0 && errno == EFAULT)
				return (void *)1;
			break;
		case 1:
			if (read(fd, buf, sizeof(buf)) < 0 && errno == EFAULT)
				return (void *)1;
			break;
		case 2:
			fstat(fd, &st);
			break;
		default:
			poll(&pfd, 1, 0);
			break;
		}
		n++;
	}
	calls[id] = n;
	return NULL;
}

/* Opens something at number fd: a pipe end, a file, /dev/zero. */
static void reopen(int fd, int round)
{
	int p[2], n = -1;

	switch (round % 3) {
	case 0:
		if (pipe2(p, O_NONBLOCK) == 0) {
			n = p[round & 1];
			close(p[!(round & 1)]);
		}
		break;
	case 1:
		n = open(path("f"), O_CREAT | O_RDWR | O_TRUNC, 0644);
		break;
	default:
		n = open("/dev/zero", O_RDWR);
		break;
	}
	if (n >= 0 && n != fd) {
		dup2(n, fd);
		close(n);
	}
}

static void close_reopen_under_use(void)
{
	pthread_t t[3];
	long i, bad = 0;
	void *ret;
	int r;

	for (i = 0; i < NFDS; i++) {
		fds[i] = open("/dev/null", O_RDWR);
		CHECK(fds[i] >= 0);
	}
	stop = 0;
	for (i = 0; i < 3; i++)
		CHECK(pthread_create(&t[i], NULL, hammer, (void *)i) == 0);
	for (r = 0; r < ROUNDS; r++) {
		int fd = fds[r % NFDS];

		close(fd);
		reopen(fd, r);
	}
	stop = 1;
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], &ret);
		bad += ret != NULL;
	}
	CHECK(bad == 0);
	CHECK(calls[0] && calls[1] && calls[2]);
	for (i = 0; i < NFDS; i++)
		close(fds[i]);
	CHECK(unlink(path("f")) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(blocked_read_outlives_close),
	UTEST_CASE(poll_sees_close),
	UTEST_CASE(close_reopen_under_use),
};

int main(void)
{
	signal(SIGPIPE, SIG_IGN); /* writes to pipes whose reader is gone */
	snprintf(dir, sizeof(dir), "fd_race.%d", (int)getpid());
	mkdir(dir, 0755);
	return UTEST_RUN("fd_race", cases);
}
