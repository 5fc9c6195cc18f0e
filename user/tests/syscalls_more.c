/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syscalls_more: readv, writev, the user and group user_ids, set_tid_address, gettimeofday, prlimit64 and the affinity calls, with bad arguments too.
 * utest: smp=1,4 timeout=60
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "utest.h"

struct iov {
	const void *base;
	unsigned long len;
};

static void writev_two_buffers(void)
{
	struct iov iov[2] = { { "writev: one ", 12 }, { "and two\n", 8 } };

	check(syscall(66, 1, iov, 2) == 20, "writev of two buffers returns 20");
	check(syscall(66, 1, iov, 100000) == -1 && errno == EINVAL,
	      "writev with 100000 buffers: EINVAL");
	check(syscall(66, 99, iov, 2) == -1 && errno == EBADF,
	      "writev to fd 99: EBADF");
}

static void readv_two_buffers(void)
{
	char a[4] = "", b[8] = "";
	struct iov rv[2] = { { a, 3 }, { b, 7 } };
	int fds[2];

	check(pipe(fds) == 0 && write(fds[1], "readv-ok", 8) == 8 &&
		      syscall(65, fds[0], rv, 2) == 8 &&
		      !memcmp(a, "rea", 3) && !memcmp(b, "dv-ok", 5),
	      "readv fills two buffers in turn");
	check(syscall(65, fds[0], (void *)1, 1) == -1 && errno == EFAULT,
	      "readv of an iovec at 0x1: EFAULT");
	close(fds[0]);
	close(fds[1]);
}

static void user_ids(void)
{
	check(syscall(174) == 0 && syscall(175) == 0 && syscall(176) == 0 &&
		      syscall(177) == 0,
	      "getuid, geteuid, getgid, getegid: 0 (root)");
	check(syscall(96, 0) == getpid(), "set_tid_address returns the tid");
}

static void gettimeofday_time(void)
{
	unsigned long tv[2] = { 0, 0 };

	check(syscall(169, tv, 0) == 0 && (tv[0] || tv[1]) && tv[1] < 1000000,
	      "gettimeofday");
	check(syscall(169, (void *)1, 0) == -1 && errno == EFAULT,
	      "gettimeofday to 0x1: EFAULT");
}

static void prlimit64_limits(void)
{
	unsigned long lim[2] = { 0, 0 };

	check(syscall(261, 0, 6, 0, lim) == 0 && lim[0] > 0,
	      "prlimit64 RLIMIT_NPROC");
	check(syscall(261, 0, 99, 0, lim) == -1 && errno == EINVAL,
	      "prlimit64 resource 99: EINVAL");
}

static void affinity(void)
{
	unsigned long mask = 0;
	long r = syscall(123, 0, sizeof(mask), &mask);

	check(r == sizeof(mask) && mask != 0, "sched_getaffinity");
	check(syscall(123, 0, 3, &mask) == -1 && errno == EINVAL,
	      "sched_getaffinity with 3 bytes: EINVAL");
	mask = 1;
	check(syscall(122, 0, sizeof(mask), &mask) == 0, "sched_setaffinity to CPU 0");
	mask = 0;
	check(syscall(123, 0, sizeof(mask), &mask) == sizeof(mask) && mask == 1,
	      "the affinity reads back");
	mask = 0;
	check(syscall(122, 0, sizeof(mask), &mask) == -1 && errno == EINVAL,
	      "sched_setaffinity to no CPU: EINVAL");
}

static const struct utest_case cases[] = {
	UTEST_CASE(writev_two_buffers),
	UTEST_CASE(readv_two_buffers),
	UTEST_CASE(user_ids),
	UTEST_CASE(gettimeofday_time),
	UTEST_CASE(prlimit64_limits),
	UTEST_CASE(affinity),
};

int main(void)
{
	return UTEST_RUN("syscalls_more", cases);
}
