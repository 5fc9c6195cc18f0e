/* SPDX-License-Identifier: BSD-2-Clause */
/* Sets of logical CPUs: one bit per CPU (NR_CPUS is at most 64). */
#ifndef HARTIX_CPUMASK_H
#define HARTIX_CPUMASK_H

#include <hartix/compiler.h>
#include <hartix/types.h>

#ifdef CONFIG_SMP
#define NR_CPUS CONFIG_NR_CPUS
#else
#define NR_CPUS 1
#endif

typedef struct {
	u64 bits;
} cpumask_t;

BUILD_BUG_ON(NR_CPUS > 64);

static inline void cpumask_set(cpumask_t *m, unsigned int cpu)
{
	__atomic_fetch_or(&m->bits, 1ULL << cpu, __ATOMIC_RELAXED);
}

static inline void cpumask_clear_cpu(cpumask_t *m, unsigned int cpu)
{
	__atomic_fetch_and(&m->bits, ~(1ULL << cpu), __ATOMIC_RELAXED);
}

/* The whole set, read once: masks change under us (CPUs going on/offline). */
static inline u64 cpumask_bits(const cpumask_t *m)
{
	return __atomic_load_n(&m->bits, __ATOMIC_ACQUIRE);
}

static inline bool cpumask_test(const cpumask_t *m, unsigned int cpu)
{
	return __atomic_load_n(&m->bits, __ATOMIC_RELAXED) & (1ULL << cpu);
}

/* Without Zbb GCC calls libgcc for popcount; the kernel links no libgcc. */
static inline unsigned int cpumask_weight(const cpumask_t *m)
{
	u64 v = __atomic_load_n(&m->bits, __ATOMIC_RELAXED);

	v = v - ((v >> 1) & 0x5555555555555555ULL);
	v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
	v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned int)((v * 0x0101010101010101ULL) >> 56);
}

/* Up to the highest CPU in the set only (harts are numbered densely from 0). */
#define for_each_cpu(cpu, mask)                                        \
	for ((cpu) = 0; (cpu) < NR_CPUS &&                              \
	     __atomic_load_n(&(mask)->bits, __ATOMIC_RELAXED) >> (cpu);  \
	     (cpu)++)                                                   \
		if (cpumask_test((mask), (cpu)))

#endif
