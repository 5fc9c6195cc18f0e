/* SPDX-License-Identifier: BSD-2-Clause */
/* Resource limits (kernel/resource.c): Linux's RLIMIT_* numbers, kept per task and inherited. */
#ifndef HARTIX_RESOURCE_H
#define HARTIX_RESOURCE_H

#include <hartix/types.h>

#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIM_NLIMITS 16

#define RLIM_INFINITY (~0UL)

struct rlimit64 {
	u64 cur, max;
};

struct task;

#ifdef CONFIG_RLIMITS
/* A new task's limits: Linux's defaults (a kernel thread, the first process). */
void rlimit_init(struct task *t);
/* The current task's soft limit for resource (RLIMIT_*); none in kernel threads. */
unsigned long rlimit(unsigned int resource);
#else
static inline void rlimit_init(struct task *t)
{
}

static inline unsigned long rlimit(unsigned int resource)
{
	return RLIM_INFINITY;
}
#endif

#endif
