/* SPDX-License-Identifier: BSD-2-Clause */
/* Time: clock_gettime(), nanosleep() and gmtime_r() (Linux riscv64: 64-bit time_t). */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>

#include <abi/time.h>

int clock_gettime(clockid_t clk, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
time_t time(time_t *t);

/* The fields of C's struct tm that gmtime_r() fills (UTC). */
struct tm {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday;
};

struct tm *gmtime_r(const time_t *timep, struct tm *tm);

#endif
