/* SPDX-License-Identifier: BSD-2-Clause */
/* Scheduling: yielding, affinity, the CPU the caller runs on. */
#ifndef _SCHED_H
#define _SCHED_H

int sched_yield(void);

/* A CPU set: bit n is logical CPU n (glibc's cpu_set_t, 1024 bits). */
typedef struct {
	unsigned long bits[1024 / (8 * sizeof(unsigned long))];
} cpu_set_t;

#define CPU_SETSIZE 1024
#define CPU_ZERO(set) __builtin_memset((set), 0, sizeof(cpu_set_t))
#define CPU_SET(cpu, set) \
	((set)->bits[(cpu) / (8 * sizeof(long))] |= 1UL << ((cpu) % (8 * sizeof(long))))
#define CPU_ISSET(cpu, set) \
	(((set)->bits[(cpu) / (8 * sizeof(long))] >> ((cpu) % (8 * sizeof(long)))) & 1)
int CPU_COUNT(const cpu_set_t *set);

/* pid 0: the caller. 0 or -1 with errno. */
int sched_setaffinity(int pid, unsigned long size, const cpu_set_t *set);
int sched_getaffinity(int pid, unsigned long size, cpu_set_t *set);
/* The logical CPU the caller was running on, or -1 with errno. */
int sched_getcpu(void);

#endif
