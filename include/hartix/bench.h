/* SPDX-License-Identifier: BSD-2-Clause */
/* In-kernel benchmarks (CONFIG_BENCH, bench.run=1). */
#ifndef HARTIX_BENCH_H
#define HARTIX_BENCH_H

#include <hartix/types.h>

/* Runs and prints the benchmarks if bench.run=1 was given; returns whether it did. */
bool bench_run_requested(void);

#endif
