/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * poll_test: select, poll and ppoll through glibc: threads on every hart
 * each polling their own pipes while a writer wakes them in random order,
 * one poll of 1000 entries, POLLHUP and POLLERR when a pipe's other end
 * closes (also while asleep), a FIFO open for reading and writing, select's
 * descriptor-set edges and errors, and wake-ups racing the timeout. A lost
 * wake-up shows as a poll that times out where data was waiting.
 *
 * utest: smp=1,4 timeout=180
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
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "utest.h"

/* Long enough never to end a wait that a wake-up should have ended. */
#define LONG_MS 10000

static unsigned int rnd_state = 12345;

/* The writer's choices; one thread draws them. */
static unsigned int rnd(unsigned int n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

static void start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	CHECK(pthread_create(t, NULL, fn, arg) == 0);
}

/* ---- many pollers, woken in random order ---- */

#define POLLERS 8
#define PER_POLLER 4
#define WAKE_ROUNDS 150

struct poller {
	int rd[PER_POLLER], wr[PER_POLLER];
	int use_select;
	long got; /* bytes read; atomic */
	int timeouts, errors;
};

static struct poller pollers[POLLERS];

/* Reads what is there on the ready ends; false once it read the 'q'. */
static int drain(struct poller *p, int i)
{
	char buf[16];
	long n = read(p->rd[i], buf, sizeof(buf)), k;

	if (n <= 0) {
		p->errors++;
		return 1;
	}
	for (k = 0; k < n; k++)
		if (buf[k] == 'q')
			return 0;
	__atomic_add_fetch(&p->got, n, __ATOMIC_SEQ_CST);
	return 1;
}

static void *poller_main(void *arg)
{
	struct poller *p = arg;
	int running = 1, i;

	while (running) {
		struct pollfd pfd[PER_POLLER];
		fd_set r;
		int maxfd = 0, n;

		FD_ZERO(&r);
		for (i = 0; i < PER_POLLER; i++) {
			pfd[i] = (struct pollfd){ p->rd[i], POLLIN, 0 };
			FD_SET(p->rd[i], &r);
			maxfd = p->rd[i] > maxfd ? p->rd[i] : maxfd;
		}
		if (p->use_select) {
			struct timeval tv = { LONG_MS / 1000, 0 };

			n = select(maxfd + 1, &r, NULL, NULL, &tv);
		} else {
			n = poll(pfd, PER_POLLER, LONG_MS);
		}
		if (n <= 0) {
			p->timeouts += n == 0;
			p->errors += n < 0;
			break;
		}
		for (i = 0; i < PER_POLLER && running; i++)
			if (p->use_select ? FD_ISSET(p->rd[i], &r) :
					    (pfd[i].revents & POLLIN))
				running = drain(p, i);
	}
	return NULL;
}

/* Waits until every poller has read what was sent; false after LONG_MS. */
static int wait_drained(const long *sent)
{
	unsigned long end = now_ms() + LONG_MS;
	int i;

	for (i = 0; i < POLLERS; i++)
		while (__atomic_load_n(&pollers[i].got, __ATOMIC_SEQ_CST) != sent[i])
			if (now_ms() > end)
				return 0;
			else
				sched_yield();
	return 1;
}

static void threads_woken_in_random_order(void)
{
	pthread_t t[POLLERS];
	long sent[POLLERS] = { 0 };
	int order[POLLERS], i, j, round, ok = 1, p[2];

	for (i = 0; i < POLLERS; i++) {
		pollers[i] = (struct poller){ .use_select = i & 1 };
		for (j = 0; j < PER_POLLER; j++) {
			CHECK(pipe(p) == 0);
			pollers[i].rd[j] = p[0];
			pollers[i].wr[j] = p[1];
		}
		start(&t[i], poller_main, &pollers[i]);
	}
	for (round = 0; round < WAKE_ROUNDS && ok; round++) {
		for (i = 0; i < POLLERS; i++)
			order[i] = i;
		for (i = POLLERS - 1; i > 0; i--) {
			j = (int)rnd((unsigned int)i + 1);
			int tmp = order[i];

			order[i] = order[j];
			order[j] = tmp;
		}
		/* Sometimes a second pipe too: its wake-up races the poller's return. */
		for (i = 0; i < POLLERS; i++) {
			struct poller *pl = &pollers[order[i]];
			int k, n = 1 + (int)rnd(2);

			for (k = 0; k < n; k++) {
				CHECK(write(pl->wr[rnd(PER_POLLER)], "x", 1) == 1);
				sent[order[i]]++;
			}
		}
		ok = wait_drained(sent);
	}
	check(ok, "every poller was woken for every write");
	for (i = 0; i < POLLERS; i++)
		CHECK(write(pollers[i].wr[rnd(PER_POLLER)], "q", 1) == 1);
	for (i = 0; i < POLLERS; i++) {
		pthread_join(t[i], NULL);
		CHECK(pollers[i].got == sent[i]);
		CHECK(pollers[i].timeouts == 0 && pollers[i].errors == 0);
		for (j = 0; j < PER_POLLER; j++) {
			close(pollers[i].rd[j]);
			close(pollers[i].wr[j]);
		}
	}
}

/* ---- one poll of 1000 entries ---- */

#define NPIPES 100
#define NENTRIES 1000

static int big_rd[NPIPES], big_wr[NPIPES];
static struct pollfd big[NENTRIES];

static void *write_later(void *arg)
{
	usleep(100 * 1000);
	CHECK(write(*(int *)arg, "y", 1) == 1);
	return NULL;
}

/* Entries i and i + NPIPES name the same pipe: 10 entries per pipe. */
static int big_poll(int timeout, int ready_pipe)
{
	int i, n = poll(big, NENTRIES, timeout), bad = 0;

	for (i = 0; i < NENTRIES; i++) {
		int want = big[i].fd >= 0 && i % NPIPES == ready_pipe ? POLLIN : 0;

		bad += big[i].revents != want;
	}
	return bad ? -100 - bad : n;
}

static void poll_1000_entries(void)
{
	pthread_t t;
	char c;
	int i;

	for (i = 0; i < NPIPES; i++) {
		int p[2];

		CHECK(pipe(p) == 0);
		big_rd[i] = p[0];
		big_wr[i] = p[1];
	}
	for (i = 0; i < NENTRIES; i++)
		big[i] = (struct pollfd){ big_rd[i % NPIPES], POLLIN, 0 };
	big[NPIPES + 7].fd = -1; /* ignored, revents 0 */
	CHECK(big_poll(0, -1) == 0);
	CHECK(write(big_wr[37], "x", 1) == 1);
	CHECK(big_poll(0, 37) == NENTRIES / NPIPES);
	CHECK(big_poll(LONG_MS, 37) == NENTRIES / NPIPES);
	CHECK(read(big_rd[37], &c, 1) == 1);
	/* Asleep on all 1000 entries, woken by the last pipe. */
	start(&t, write_later, &big_wr[NPIPES - 1]);
	CHECK(big_poll(LONG_MS, NPIPES - 1) == NENTRIES / NPIPES);
	pthread_join(t, NULL);
	CHECK(read(big_rd[NPIPES - 1], &c, 1) == 1);
	/* fd -1 entry i = NPIPES + 7: pipe 7 is ready in 9 entries only. */
	CHECK(write(big_wr[7], "x", 1) == 1);
	CHECK(big_poll(0, 7) == NENTRIES / NPIPES - 1);
	for (i = 0; i < NPIPES; i++) {
		close(big_rd[i]);
		close(big_wr[i]);
	}
}

/* ---- hang-ups and errors ---- */

struct closer {
	int fd;
	int delay_ms;
};

static void *close_later(void *arg)
{
	struct closer *c = arg;

	usleep((unsigned int)c->delay_ms * 1000);
	CHECK(close(c->fd) == 0);
	return NULL;
}

/* revents, or -1; a wait that ran into its timeout (the wake-up was lost) is -2. */
static short poll1(int fd, short events, int timeout)
{
	struct pollfd pfd = { fd, events, 0 };
	unsigned long t0 = now_ms();
	int n = poll(&pfd, 1, timeout);

	if (timeout > 0 && now_ms() - t0 >= (unsigned long)timeout)
		return -2;
	return n < 0 ? -1 : pfd.revents;
}

static void pipe_close_hup_err(void)
{
	static char fill[65536];
	struct closer c;
	pthread_t t;
	fd_set r, w;
	struct timeval tv = { 0, 0 };
	int p[2], n;

	CHECK(pipe(p) == 0);
	CHECK(poll1(p[0], POLLIN, 0) == 0);
	CHECK(poll1(p[1], POLLOUT, 0) == POLLOUT);
	/* POLLHUP is reported unasked; with data left POLLIN too. */
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(close(p[1]) == 0);
	CHECK(poll1(p[0], 0, 0) == POLLHUP);
	CHECK(poll1(p[0], POLLIN, 0) == (POLLIN | POLLHUP));
	CHECK(read(p[0], fill, 1) == 1);
	CHECK(poll1(p[0], POLLIN, 0) == POLLHUP);
	/* select counts a hang-up as readable. */
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK(select(p[0] + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &r));
	close(p[0]);

	/* A sleeping reader is woken by the last writer's close. */
	CHECK(pipe(p) == 0);
	c = (struct closer){ p[1], 100 };
	start(&t, close_later, &c);
	CHECK(poll1(p[0], POLLIN, LONG_MS) == POLLHUP);
	pthread_join(t, NULL);
	close(p[0]);

	/* The write end with no reader: POLLERR, and select says writable. */
	CHECK(pipe(p) == 0);
	CHECK(close(p[0]) == 0);
	CHECK((poll1(p[1], POLLOUT, 0) & POLLERR) != 0);
	CHECK((poll1(p[1], 0, 0) & POLLERR) != 0);
	FD_ZERO(&w);
	FD_SET(p[1], &w);
	CHECK(select(p[1] + 1, NULL, &w, NULL, &tv) == 1 && FD_ISSET(p[1], &w));
	close(p[1]);

	/* A writer asleep on a full pipe is woken by the reader's close. */
	CHECK(pipe(p) == 0);
	CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0);
	do
		n = (int)write(p[1], fill, sizeof(fill));
	while (n > 0);
	CHECK(n < 0 && errno == EAGAIN);
	CHECK(poll1(p[1], POLLOUT, 0) == 0);
	c = (struct closer){ p[0], 100 };
	start(&t, close_later, &c);
	CHECK((poll1(p[1], POLLOUT, LONG_MS) & POLLERR) != 0);
	pthread_join(t, NULL);
	close(p[1]);
}

/* A FIFO open O_RDWR is both ends: POLLOUT at once, POLLIN once written. */
static void fifo_read_write_end(void)
{
	int fd;
	char c;

	CHECK(mkfifo(path("fifo"), 0600) == 0);
	fd = open(path("fifo"), O_RDWR);
	CHECK(fd >= 0);
	CHECK(poll1(fd, POLLIN | POLLOUT, 0) == POLLOUT);
	CHECK(write(fd, "z", 1) == 1);
	CHECK(poll1(fd, POLLIN | POLLOUT, 0) == (POLLIN | POLLOUT));
	CHECK(read(fd, &c, 1) == 1 && c == 'z');
	close(fd);
	unlink(path("fifo"));
}

/* ---- select's descriptor sets ---- */

static void select_fd_set_edges(void)
{
	static const int at[] = { 63, 64, 255 };
	struct timeval tv = { 0, 0 };
	fd_set r, w;
	int p[2], i, closed;

	CHECK(pipe(p) == 0);
	/* A descriptor at each end of a 64-bit word, and the last Hartix has. */
	for (i = 0; i < 3; i++)
		CHECK(dup2(p[0], at[i]) == at[i]);
	FD_ZERO(&r);
	for (i = 0; i < 3; i++)
		FD_SET(at[i], &r);
	CHECK(select(FD_SETSIZE, &r, NULL, NULL, &tv) == 0);
	for (i = 0; i < 3; i++)
		CHECK(!FD_ISSET(at[i], &r));
	CHECK(write(p[1], "x", 1) == 1);
	FD_ZERO(&r);
	for (i = 0; i < 3; i++)
		FD_SET(at[i], &r);
	CHECK(select(FD_SETSIZE, &r, NULL, NULL, &tv) == 3);
	for (i = 0; i < 3; i++)
		CHECK(FD_ISSET(at[i], &r));
	/* nfds 64: only 63 is looked at. */
	FD_ZERO(&r);
	FD_SET(63, &r);
	FD_SET(64, &r);
	CHECK(select(64, &r, NULL, NULL, &tv) == 1 && FD_ISSET(63, &r));
	/* One descriptor in two sets counts twice. */
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[1], &r);
	FD_SET(p[1], &w);
	FD_SET(p[0], &r);
	CHECK(select(p[1] + 1, &r, &w, NULL, &tv) == 2);
	CHECK(FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w) && !FD_ISSET(p[1], &r));
	/* A closed descriptor in a set: EBADF. */
	closed = dup(p[0]);
	CHECK(closed >= 0 && close(closed) == 0);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_SET(closed, &r);
	errno = 0;
	CHECK(select(FD_SETSIZE, &r, NULL, NULL, &tv) == -1 && errno == EBADF);
	errno = 0;
	CHECK(select(-1, NULL, NULL, NULL, &tv) == -1 && errno == EINVAL);
	tv.tv_usec = -1;
	errno = 0;
	CHECK(select(1, NULL, NULL, NULL, &tv) == -1 && errno == EINVAL);
	for (i = 0; i < 3; i++)
		close(at[i]);
	close(p[0]);
	close(p[1]);
}

/* ---- wake-ups racing the timeout ---- */

#define RACES 300

struct racer {
	int fd;
	volatile int go;
	int delay_us;
};

static void *race_writer(void *arg)
{
	struct racer *r = arg;

	while (!__atomic_load_n(&r->go, __ATOMIC_ACQUIRE))
		;
	if (r->delay_us)
		usleep((unsigned int)r->delay_us);
	CHECK(write(r->fd, "r", 1) == 1);
	return NULL;
}

/*
 * Each round's write lands just before, during or after a 2 ms timeout:
 * the poll returns it ready or times out with nothing reported, and in
 * that case the byte must wake the next, long poll.
 */
static void wakeup_races_timeout(void)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	int i, p[2], ready = 0, timed_out = 0, bad = 0;
	char c;

	CHECK(pipe(p) == 0);
	for (i = 0; i < RACES; i++) {
		struct racer r = { p[1], 0, (int)rnd(4000) };
		struct pollfd pfd = { p[0], POLLIN, 0 };
		struct timespec t = ts;
		pthread_t t1;
		int n;

		start(&t1, race_writer, &r);
		__atomic_store_n(&r.go, 1, __ATOMIC_RELEASE);
		n = ppoll(&pfd, 1, &t, NULL);
		if (n == 1 && pfd.revents == POLLIN) {
			ready++;
		} else if (n == 0 && pfd.revents == 0) {
			timed_out++;
			pfd.revents = 0;
			bad += poll(&pfd, 1, LONG_MS) != 1;
		} else {
			bad++;
		}
		pthread_join(t1, NULL);
		bad += read(p[0], &c, 1) != 1;
	}
	printf("# wakeup_races_timeout: %d ready, %d timed out\n", ready, timed_out);
	CHECK(bad == 0);
	close(p[0]);
	close(p[1]);
}

static const struct utest_case cases[] = {
	UTEST_CASE(threads_woken_in_random_order),
	UTEST_CASE(poll_1000_entries),
	UTEST_CASE(pipe_close_hup_err),
	UTEST_CASE(fifo_read_write_end),
	UTEST_CASE(select_fd_set_edges),
	UTEST_CASE(wakeup_races_timeout),
};

int main(void)
{
	int ret;

	snprintf(dir, sizeof(dir), "poll_test.%d", getpid());
	if (mkdir(dir, 0700)) {
		perror("mkdir");
		return 1;
	}
	ret = UTEST_RUN("poll_test", cases);
	rmdir(dir);
	return ret;
}
