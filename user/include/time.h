/* SPDX-License-Identifier: BSD-2-Clause */
/* Time: clock_gettime() and nanosleep() (Linux riscv64: 64-bit time_t). */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>

#include <abi/time.h>

int clock_gettime(clockid_t clk, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
time_t time(time_t *t);

#endif
