/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench's poll side (glibc): select() and ppoll() over the read ends
 * of 100 pipes, with none ready and a zero timeout, and with one ready and
 * no timeout, in retired instructions and nanoseconds per call
 * (tools/testing/bench.py boots it on 1 hart under -icount, and runs it
 * under qemu-riscv64). Not a test: it has no utest line.
 *
 * poll_bench [CALLS [NAME]]: CALLS calls a figure instead of 200, and only
 * the figure NAME, for timing the QEMU process's CPU time, which the
 * host's load disturbs less than the guest's clock.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
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
static unsigned long calls = CALLS;
static const char *only;

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

	if (only && strcmp(only, name))
		return;
	for (i = 0; i < calls + WARM; i++) {
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
	printf("bench: %s %lu instructions %lu ns\n", name, i0 / calls, t0 / calls);
}

int main(int argc, char **argv)
{
	int i, p[2];

	if (argc > 1)
		calls = strtoul(argv[1], NULL, 0) ?: CALLS;
	if (argc > 2)
		only = argv[2];

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
