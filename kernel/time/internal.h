/* SPDX-License-Identifier: BSD-2-Clause */
/* What the files of kernel/time/ share: timespec conversion and reading a clock by id. */
#ifndef KERNEL_TIME_INTERNAL_H
#define KERNEL_TIME_INTERNAL_H

#include <hartix/types.h>
#include <abi/time.h>

struct task;

/* Clamped at ~136 years (as good as forever), so the sums never overflow. */
s64 timespec_to_ns(const struct timespec *ts);
void ns_to_timespec(s64 ns, struct timespec *ts);
/* 0 <= tv_sec, 0 <= tv_nsec < 1e9. */
bool timespec_valid(const struct timespec *ts);
/* The clock's time in ns; negative (-errno) for an unknown CPU clock. */
s64 clock_read_ns(int clock);
/* A process's CPU time (all it ran, in user and kernel mode). */
u64 process_cputime_ns(struct task *t);

#endif
