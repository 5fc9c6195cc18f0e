/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench's poll side (glibc): select() and ppoll() over the read ends
 * of 100 pipes, with none ready and a zero timeout, and with one ready and
 * no timeout, in retired instructions and nanoseconds per call
 * (tools/testing/bench.py boots it on 1 hart under -icount, and runs it
 * under qemu-riscv64). Not a test: it has no utest line.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>
#include "counters.h"

#define NPIPES 100
#define CALLS 200
#define WARM 10

static struct pollfd pfd[NPIPES];
static fd_set rset;
static int maxfd, ready_w;

/* One call; its result must be want, or the figure is not what it says. */
static int do_select(int timeout0)
{
	fd_set r = rset;
	struct timeval tv = { 0, 0 };

	return select(maxfd + 1, &r, NULL, NULL, timeout0 ? &tv : NULL);
}

static int do_ppoll(int timeout0)
{
	struct timespec ts = { 0, 0 };

	return ppoll(pfd, NPIPES, timeout0 ? &ts : NULL, NULL);
}

static void measure(const char *name, int (*call)(int), int timeout0, int want)
{
	unsigned long i, i0 = 0, t0 = 0;

	for (i = 0; i < CALLS + WARM; i++) {
		if (i == WARM) {
			t0 = now_ns();
			i0 = instret();
		}
		if (call(timeout0) != want) {
			printf("bench: %s returned not %d\n", name, want);
			return;
		}
	}
	i0 = instret() - i0;
	t0 = now_ns() - t0;
	printf("bench: %s %lu instructions %lu ns\n", name, i0 / CALLS, t0 / CALLS);
}

int main(void)
{
	int i, p[2];

	FD_ZERO(&rset);
	for (i = 0; i < NPIPES; i++) {
		if (pipe(p)) {
			printf("bench: pipe failed\n");
			return 1;
		}
		pfd[i] = (struct pollfd){ p[0], POLLIN, 0 };
		FD_SET(p[0], &rset);
		maxfd = p[0] > maxfd ? p[0] : maxfd;
		if (i == NPIPES / 2)
			ready_w = p[1];
	}
	measure("select_100_none", do_select, 1, 0);
	measure("ppoll_100_none", do_ppoll, 1, 0);
	if (write(ready_w, "x", 1) != 1) {
		printf("bench: write failed\n");
		return 1;
	}
	measure("select_100_one_ready", do_select, 0, 1);
	measure("ppoll_100_one_ready", do_ppoll, 0, 1);
	printf("bench: done\n");
	return 0;
}
