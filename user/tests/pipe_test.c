/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pipe_test: pipes, ppoll/pselect6 and the memory devices through the
 * Linux system calls: a pipeline of five processes moving 4 MiB with a
 * checksum, EOF, EPIPE and death by SIGPIPE, O_NONBLOCK (pipe2 and
 * fcntl), atomic PIPE_BUF writes from several writers, ppoll readiness
 * and timeouts, /dev/null, /dev/zero, /dev/urandom, and each bad
 * argument's errno. Prints the token argv[1] (so no fixed text passes),
 * then KTAP, one case per part; exit status 1 if any failed. Runs under
 * qemu-riscv64 (Linux) with "qemu-user" as argv[2].
 * utest: smp=1,4 args="{token}" expect="pipeline of 5 processes moved 4194304 bytes, checksum matches"
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <abi/stat.h>
#include "utest.h"

#define PIPE_BUF 4096
#define PIPE_CAPACITY 65536
#define TOTAL (4u << 20)
#define RELAYS 3
#define BAD_PTR ((void *)8) /* never mapped */

static int qemu_user; /* argv[2] is "qemu-user" */

/* errno of a failed call, or 0 if it succeeded. */
#define ERRNO_OF(call) ((call) < 0 ? errno : 0)

static unsigned long xorshift(unsigned long *s)
{
	unsigned long x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Writes all of buf (pipes may take less per call when n > PIPE_BUF). */
static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* FNV-1a over a stream. */
static unsigned long fnv(unsigned long h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3UL;
	return h;
}

static unsigned char buf[65536];

/* Sizes vary so writes straddle the ring's end and reads come short. */
static void producer(int out, unsigned long seed)
{
	unsigned long s = seed, sent = 0;

	while (sent < TOTAL) {
		size_t n = 1 + xorshift(&s) % 9000, i;

		if (n > TOTAL - sent)
			n = TOTAL - sent;
		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)xorshift(&s);
		if (write_all(out, buf, n))
			_exit(3);
		sent += n;
	}
	_exit(0);
}

/* Reads of 1 byte to 16 KiB, so they straddle the writers' pieces. */
static void relay(int in, int out)
{
	unsigned long s = 0x9e3779b97f4a7c15UL * (unsigned long)getpid();
	ssize_t n;

	while ((n = read(in, buf, 1 + xorshift(&s) % 16384)) > 0)
		if (write_all(out, buf, (size_t)n))
			_exit(3);
	_exit(n < 0 ? 4 : 0);
}

static void test_pipeline(void)
{
	unsigned long seed = 0x2545f4914f6cdd1dUL ^ (unsigned long)getpid();
	unsigned long s = seed, want = 0xcbf29ce484222325UL, got = want, total = 0;
	int fds[RELAYS + 1][2], i, j, status, ok = 1;
	pid_t pids[RELAYS + 1];
	ssize_t n;

	for (i = 0; i <= RELAYS; i++)
		CHECK(pipe(fds[i]) == 0);
	for (i = 0; i <= RELAYS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			for (j = 0; j <= RELAYS; j++) {
				if (j != i - 1)
					close(fds[j][0]);
				if (j != i)
					close(fds[j][1]);
			}
			if (i == 0)
				producer(fds[0][1], seed);
			relay(fds[i - 1][0], fds[i][1]);
		}
	}
	for (i = 0; i <= RELAYS; i++) {
		if (i != RELAYS)
			close(fds[i][0]);
		close(fds[i][1]);
	}
	while ((n = read(fds[RELAYS][0], buf, sizeof(buf))) > 0) {
		got = fnv(got, buf, (size_t)n);
		total += (unsigned long)n;
	}
	CHECK(n == 0); /* EOF once the last relay exits */
	close(fds[RELAYS][0]);
	/* The producer's stream again: the same numbers, drawn the same way. */
	for (i = 0; (unsigned long)i < TOTAL;) {
		size_t m = 1 + xorshift(&s) % 9000, k;

		if (m > TOTAL - (unsigned long)i)
			m = TOTAL - (unsigned long)i;
		for (k = 0; k < m; k++) {
			unsigned char c = (unsigned char)xorshift(&s);

			want = fnv(want, &c, 1);
		}
		i += (int)m;
	}
	for (i = 0; i <= RELAYS; i++) {
		ok &= waitpid(pids[i], &status, 0) == pids[i] && status == 0;
	}
	CHECK(ok);
	CHECK(total == TOTAL);
	CHECK(got == want);
	printf("pipe_test: pipeline of %d processes moved %lu bytes, checksum %s\n",
	       RELAYS + 2, total, got == want ? "matches" : "differs");
}

static void test_eof_epipe(void)
{
	int fds[2], status;
	char c = 'x';
	pid_t pid;

	CHECK(pipe(fds) == 0);
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 0); /* no writer: EOF */
	close(fds[0]);

	/*
	 * No reader: the writer gets SIGPIPE and dies of it. The read end
	 * closes before the fork, so no copy of it can still be open when
	 * the child writes.
	 */
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	pid = fork();
	if (pid == 0) {
		write(fds[1], &c, 1);
		_exit(42); /* not reached: SIGPIPE kills */
	}
	close(fds[1]);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);

	/* A reader that goes away while a writer sleeps on a full pipe. */
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		memset(buf, 'f', sizeof(buf));
		write_all(fds[1], buf, sizeof(buf)); /* fills it */
		write(fds[1], buf, 100); /* sleeps until the reader closes */
		_exit(43);
	}
	close(fds[1]);
	usleep(100000);
	close(fds[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
	printf("pipe_test: EOF, and SIGPIPE for writers without a reader\n");
}

static void test_nonblock(void)
{
	int fds[2], fl;
	size_t n = 0;
	ssize_t w;
	char c;

	CHECK(pipe2(fds, O_NONBLOCK) == 0);
	CHECK(read(fds[0], &c, 1) == -1 && errno == EAGAIN);
	CHECK(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
	memset(buf, 'n', sizeof(buf));
	while ((w = write(fds[1], buf, PIPE_BUF)) > 0)
		n += (size_t)w;
	CHECK(w == -1 && errno == EAGAIN);
	CHECK(n == PIPE_CAPACITY); /* 64 KiB, as Linux */
	/* A big write takes what fits; an atomic one all or nothing. */
	CHECK(read(fds[0], buf, PIPE_BUF) == PIPE_BUF);
	CHECK(write(fds[1], buf, 5000) == PIPE_BUF);
	CHECK(read(fds[0], buf, 100) == 100);
	CHECK(write(fds[1], buf, 200) == -1 && errno == EAGAIN);
	close(fds[0]);
	close(fds[1]);

	/* O_NONBLOCK set and cleared afterwards with fcntl. */
	CHECK(pipe(fds) == 0);
	fl = fcntl(fds[0], F_GETFL);
	CHECK(!(fl & O_NONBLOCK) && (fl & O_ACCMODE) == O_RDONLY);
	CHECK((fcntl(fds[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	CHECK(fcntl(fds[0], F_SETFL, fl | O_NONBLOCK) == 0);
	CHECK(read(fds[0], &c, 1) == -1 && errno == EAGAIN);
	CHECK(fcntl(fds[0], F_SETFL, fl) == 0);
	CHECK(write(fds[1], "z", 1) == 1);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'z');
	close(fds[0]);
	close(fds[1]);
}

#define WRITERS 4
#define RECORDS 64

/* Records of PIPE_BUF bytes from several writers arrive whole. */
static void test_atomic(void)
{
	int fds[2], i, r, status, ok = 1, counts[WRITERS] = { 0 };
	static unsigned char rec[PIPE_BUF];
	size_t got = 0;
	ssize_t n;

	CHECK(pipe(fds) == 0);
	for (i = 0; i < WRITERS; i++) {
		if (fork() == 0) {
			close(fds[0]);
			memset(rec, 'A' + i, sizeof(rec));
			for (r = 0; r < RECORDS; r++)
				if (write(fds[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
			_exit(0);
		}
	}
	close(fds[1]);
	/* Reads of odd sizes: a record is whole when its bytes agree. */
	while ((n = read(fds[0], buf + got % PIPE_BUF, PIPE_BUF - got % PIPE_BUF)) > 0) {
		got += (size_t)n;
		if (got % PIPE_BUF == 0) {
			for (i = 1; i < PIPE_BUF; i++)
				ok &= buf[i] == buf[0];
			if (buf[0] >= 'A' && buf[0] < 'A' + WRITERS)
				counts[buf[0] - 'A']++;
		}
	}
	close(fds[0]);
	for (i = 0; i < WRITERS; i++) {
		CHECK(wait(&status) > 0 && status == 0);
		ok &= counts[i] == RECORDS;
	}
	CHECK(got == (size_t)WRITERS * RECORDS * PIPE_BUF);
	CHECK(ok);
	printf("pipe_test: %d writers' %d-byte records arrived whole\n", WRITERS,
	       PIPE_BUF);
}

static void test_poll(void)
{
	struct pollfd p[3];
	struct timespec zero = { 0, 0 }, ts = { 0, 150000000 };
	int fds[2], status;
	unsigned long t0, dt;
	pid_t pid;
	char c;

	CHECK(pipe(fds) == 0);
	p[0] = (struct pollfd){ fds[0], POLLIN, -1 };
	p[1] = (struct pollfd){ fds[1], POLLOUT, -1 };
	CHECK(ppoll(p, 2, &zero, NULL) == 1);
	CHECK(p[0].revents == 0 && p[1].revents == POLLOUT);
	/* Nothing comes: the timeout ends it. */
	t0 = now_ms();
	CHECK(ppoll(p, 1, &ts, NULL) == 0);
	dt = now_ms() - t0;
	CHECK(dt >= 140 && dt < 5000);
	CHECK(poll(p, 1, 100) == 0);
	/* A writer wakes a sleeping poller (no timeout). */
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(fds[1], "w", 1);
		_exit(0);
	}
	CHECK(ppoll(p, 1, NULL, NULL) == 1 && p[0].revents == POLLIN);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'w');
	CHECK(waitpid(pid, &status, 0) == pid);
	/* Hang-up, a closed descriptor, a negative one. */
	close(fds[1]);
	p[0] = (struct pollfd){ fds[0], POLLIN, 0 };
	p[1] = (struct pollfd){ 200, POLLIN, 0 };
	p[2] = (struct pollfd){ -1, POLLIN, 7 };
	CHECK(poll(p, 3, 0) == 2);
	CHECK(p[0].revents == POLLHUP && p[1].revents == POLLNVAL &&
	      p[2].revents == 0);
	/* The write end of a pipe without readers: POLLERR. */
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	p[0] = (struct pollfd){ fds[1], POLLOUT, 0 };
	CHECK(poll(p, 1, 0) == 1 && (p[0].revents & POLLERR));
	close(fds[1]);
	/* Regular files and devices are always ready. */
	p[0] = (struct pollfd){ open("/dev/null", O_RDWR), POLLIN | POLLOUT, 0 };
	CHECK(poll(p, 1, -1) == 1 && p[0].revents == (POLLIN | POLLOUT));
	close(p[0].fd);
	printf("pipe_test: ppoll readiness, wake-ups and timeouts\n");
}

static void test_pselect(void)
{
	unsigned long rd[1] = { 0 }, wr[1] = { 0 };
	struct timespec zero = { 0, 0 };
	int fds[2];

	CHECK(pipe(fds) == 0);
	rd[0] = 1UL << fds[0];
	wr[0] = 1UL << fds[1];
	CHECK(syscall(SYS_pselect6, fds[1] + 1, rd, wr, NULL, &zero, NULL) == 1);
	CHECK(rd[0] == 0 && wr[0] == 1UL << fds[1]);
	CHECK(write(fds[1], "s", 1) == 1);
	rd[0] = 1UL << fds[0];
	CHECK(syscall(SYS_pselect6, fds[0] + 1, rd, NULL, NULL, NULL, NULL) == 1);
	CHECK(rd[0] == 1UL << fds[0]);
	rd[0] = 1UL << 60;
	CHECK(syscall(SYS_pselect6, 61, rd, NULL, NULL, &zero, NULL) == -1 &&
	      errno == EBADF);
	close(fds[0]);
	close(fds[1]);
}

static void test_devices(void)
{
	unsigned char a[256], b[256];
	int fd, i, same = 0, nonzero = 0;

	fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0);
	CHECK(read(fd, a, sizeof(a)) == 0);
	CHECK(write(fd, a, sizeof(a)) == sizeof(a));
	close(fd);

	fd = open("/dev/zero", O_RDWR);
	CHECK(fd >= 0);
	memset(a, 0xff, sizeof(a));
	CHECK(read(fd, a, sizeof(a)) == sizeof(a));
	for (i = 0; i < (int)sizeof(a); i++)
		nonzero |= a[i];
	CHECK(nonzero == 0);
	CHECK(write(fd, a, 10) == 10);
	CHECK(read(fd, BAD_PTR, 10) == -1 && errno == EFAULT);
	close(fd);

	fd = open("/dev/urandom", O_RDWR);
	CHECK(fd >= 0);
	CHECK(read(fd, a, sizeof(a)) == sizeof(a));
	CHECK(read(fd, b, sizeof(b)) == sizeof(b));
	for (i = 0; i < (int)sizeof(a); i++)
		same += a[i] == b[i];
	CHECK(same < 16); /* two draws differ (about 1 byte in 256 agrees) */
	CHECK(write(fd, a, 16) == 16); /* mixed in, as Linux */
	close(fd);
	fd = open("/dev/random", O_RDONLY);
	CHECK(fd >= 0 && read(fd, a, 100) == 100);
	close(fd);
	printf("pipe_test: /dev/null, /dev/zero, /dev/urandom, /dev/random\n");
}

/* The riscv64 struct stat's st_mode is at offset 16. */
static unsigned int fd_mode(int fd)
{
	unsigned long st[16];

	if (syscall(SYS_fstat, fd, st) < 0)
		return 0;
	return ((unsigned int *)st)[4];
}

static void test_errors(void)
{
	struct pollfd p = { 0, POLLIN, 0 };
	struct timespec bad = { 0, 1000000000 }, zero = { 0, 0 };
	unsigned long mask = 0;
	int fds[2], before, after;
	char c;

	CHECK(ERRNO_OF(pipe2(fds, O_APPEND)) == EINVAL);
	CHECK(ERRNO_OF(pipe2(fds, O_RDWR)) == EINVAL);
	/*
	 * A bad pointer: EFAULT, and no descriptor is left open (qemu-user
	 * leaks the two it made on the host: not checked there).
	 */
	before = dup(0);
	close(before);
	CHECK(ERRNO_OF(syscall(SYS_pipe2, BAD_PTR, 0)) == EFAULT);
	after = dup(0);
	close(after);
	CHECK(before == after || qemu_user);

	CHECK(pipe2(fds, O_CLOEXEC) == 0);
	CHECK(fcntl(fds[0], F_GETFD) == FD_CLOEXEC && fcntl(fds[1], F_GETFD) == FD_CLOEXEC);
	CHECK(S_ISFIFO(fd_mode(fds[0])) && S_ISFIFO(fd_mode(fds[1])));
	CHECK(ERRNO_OF(lseek(fds[0], 0, SEEK_SET)) == ESPIPE);
	CHECK(ERRNO_OF(lseek(fds[1], 0, SEEK_CUR)) == ESPIPE);
	CHECK(ERRNO_OF(write(fds[0], "x", 1)) == EBADF);
	CHECK(ERRNO_OF(read(fds[1], &c, 1)) == EBADF);
	CHECK(ERRNO_OF(write(fds[1], BAD_PTR, 10)) == EFAULT);
	CHECK(write(fds[1], "ab", 2) == 2);
	CHECK(ERRNO_OF(read(fds[0], BAD_PTR, 2)) == EFAULT);
	CHECK(ERRNO_OF(ioctl(fds[0], TCGETS, buf)) == ENOTTY);
	CHECK(ERRNO_OF(ioctl(fds[0], TIOCGPGRP, buf)) == ENOTTY);
	close(fds[0]);
	close(fds[1]);

	CHECK(ERRNO_OF(ppoll(&p, 1, &bad, NULL)) == EINVAL);
	CHECK(ERRNO_OF(syscall(SYS_ppoll, &p, 1, &zero, &mask, 4)) == EINVAL);
	CHECK(syscall(SYS_ppoll, &p, 1, &zero, &mask, 8) >= 0);
	CHECK(ERRNO_OF(syscall(SYS_ppoll, &p, 1, &zero, BAD_PTR, 8)) == EFAULT);
	CHECK(ERRNO_OF(syscall(SYS_ppoll, BAD_PTR, 1, &zero, NULL, 8)) == EFAULT);
	CHECK(ERRNO_OF(syscall(SYS_ppoll, &p, 1, BAD_PTR, NULL, 8)) == EFAULT);
	CHECK(ERRNO_OF(syscall(SYS_ppoll, &p, 1UL << 30, &zero, NULL, 8)) == EINVAL);
	CHECK(ERRNO_OF(syscall(SYS_pselect6, -1, NULL, NULL, NULL, &zero, NULL)) == EINVAL);
	CHECK(ERRNO_OF(syscall(SYS_pselect6, 1, BAD_PTR, NULL, NULL, &zero, NULL)) == EFAULT);
	CHECK(ERRNO_OF(ioctl(open("/dev/null", O_RDONLY), TCGETS, buf)) == ENOTTY);
}

static const struct utest_case cases[] = {
	UTEST_CASE(test_errors),
	UTEST_CASE(test_nonblock),
	UTEST_CASE(test_eof_epipe),
	UTEST_CASE(test_devices),
	UTEST_CASE(test_poll),
	UTEST_CASE(test_pselect),
	UTEST_CASE(test_atomic),
	UTEST_CASE(test_pipeline),
};

int main(int argc, char **argv)
{
	qemu_user = argc > 2 && !strcmp(argv[2], "qemu-user");
	printf("# pipe_test: token %s\n", argc > 1 ? argv[1] : "-");
	return UTEST_RUN("pipe_test", cases);
}
