/* SPDX-License-Identifier: BSD-2-Clause */
/* What the compute kernels of make bench share: the round count from argv and a pseudo-random fill. */
#ifndef WASM_BENCH_H
#define WASM_BENCH_H

#include <stdio.h>
#include <stdlib.h>

/* argv[1] rounds of the kernel; 0 measures start-up and exit alone. */
static inline int bench_rounds(int argc, char **argv)
{
	return argc > 1 ? atoi(argv[1]) : 1;
}

static inline unsigned bench_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

#endif
