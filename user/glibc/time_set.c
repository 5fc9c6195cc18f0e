/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * time_set: setting the wall clock (clock_settime, settimeofday), /dev/rtc0's ioctls, and /bin/date.
 *
 * utest: smp=1,4 linux=no
 *
 * Hartix-only: under qemu-riscv64 these would set the host's clock and
 * RTC. The RTC it sets is the virtual machine's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

static void settime_then_read(void)
{
	struct timespec ts, now, mono0, mono1;
	struct timeval tv;
	time_t saved = time(NULL);

	clock_gettime(CLOCK_MONOTONIC, &mono0);
	ts.tv_sec = 2000000000; /* 2033-05-18 */
	ts.tv_nsec = 0;
	CHECK(clock_settime(CLOCK_REALTIME, &ts) == 0);
	CHECK(clock_gettime(CLOCK_REALTIME, &now) == 0);
	CHECK(now.tv_sec >= 2000000000 && now.tv_sec <= 2000000001);
	CHECK(time(NULL) >= 2000000000);
	/* The others cannot be set, and the monotonic clock did not move. */
	CHECK(clock_settime(CLOCK_MONOTONIC, &ts) == -1 && errno == EINVAL);
	clock_gettime(CLOCK_MONOTONIC, &mono1);
	CHECK(mono1.tv_sec - mono0.tv_sec < 2);
	ts.tv_nsec = 1000000000;
	CHECK(clock_settime(CLOCK_REALTIME, &ts) == -1 && errno == EINVAL);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	CHECK(clock_settime(CLOCK_REALTIME, &ts) == -1 && errno == EINVAL);
	/* settimeofday back to (about) the real time. */
	tv.tv_sec = saved;
	tv.tv_usec = 1000000;
	CHECK(settimeofday(&tv, NULL) == -1 && errno == EINVAL);
	tv.tv_usec = 0;
	CHECK(settimeofday(&tv, NULL) == 0);
	CHECK(gettimeofday(&tv, NULL) == 0);
	CHECK(tv.tv_sec >= saved && tv.tv_sec <= saved + 1);
}

static void rtc_ioctls(void)
{
	struct rtc_time rt, back;
	time_t now = time(NULL);
	struct tm tm;
	int fd = open("/dev/rtc0", O_RDONLY);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	memset(&rt, 0, sizeof(rt));
	CHECK(ioctl(fd, RTC_RD_TIME, &rt) == 0);
	gmtime_r(&now, &tm);
	/* The RTC and the system clock agree (both from the host). */
	CHECK(rt.tm_year == tm.tm_year && rt.tm_mon == tm.tm_mon &&
	      rt.tm_mday == tm.tm_mday);
	CHECK(abs((rt.tm_hour * 3600 + rt.tm_min * 60 + rt.tm_sec) -
		  (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec)) <= 5);
	/* Set it a year on, read that back, put it back. */
	back = rt;
	back.tm_year++;
	CHECK(ioctl(fd, RTC_SET_TIME, &back) == 0);
	memset(&back, 0, sizeof(back));
	CHECK(ioctl(fd, RTC_RD_TIME, &back) == 0);
	CHECK(back.tm_year == rt.tm_year + 1 && back.tm_mon == rt.tm_mon &&
	      back.tm_mday == rt.tm_mday);
	/* Setting the RTC leaves the system clock alone. */
	CHECK(time(NULL) - now <= 2);
	back = rt;
	back.tm_mon = 12;
	CHECK(ioctl(fd, RTC_SET_TIME, &back) == -1 && errno == EINVAL);
	back = rt;
	back.tm_mon = 1;
	back.tm_mday = 30; /* February 30th */
	CHECK(ioctl(fd, RTC_SET_TIME, &back) == -1 && errno == EINVAL);
	CHECK(ioctl(fd, RTC_SET_TIME, &rt) == 0);
	CHECK(ioctl(fd, 0x1234, &rt) == -1 && errno == ENOTTY);
	CHECK(ioctl(fd, RTC_RD_TIME, (void *)8) == -1 && errno == EFAULT);
	close(fd);
}

/* Our own /bin/date prints today's date (it printed 1970 once). */
static void bin_date(void)
{
	char buf[64] = "", want[64];
	int p[2], status, n;
	time_t now = time(NULL);
	struct tm tm;
	pid_t pid;

	if (access("/bin/date", X_OK)) {
		utest_skip("no /bin/date");
		return;
	}
	CHECK(pipe(p) == 0);
	pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		execl("/bin/date", "date", "+%Y-%m-%d %s", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	/* date may write its line in pieces: read to the end. */
	for (n = 0; n < (int)sizeof(buf) - 1;) {
		int r = (int)read(p[0], buf + n, sizeof(buf) - 1 - n);

		if (r <= 0)
			break;
		n += r;
	}
	close(p[0]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	CHECK(n > 0);
	gmtime_r(&now, &tm);
	strftime(want, sizeof(want), "%Y-%m-%d ", &tm);
	CHECK(strncmp(buf, want, strlen(want)) == 0);
	CHECK(labs(atol(buf + strlen(want)) - (long)now) <= 2);
}

static const struct utest_case cases[] = {
	UTEST_CASE(settime_then_read),
	UTEST_CASE(rtc_ioctls),
	UTEST_CASE(bin_date),
};

int main(void)
{
	return UTEST_RUN("time_set", cases);
}
