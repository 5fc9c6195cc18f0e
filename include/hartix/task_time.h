/* SPDX-License-Identifier: BSD-2-Clause */
/* A task's CPU time, resource use and timers (kernel/time/): what struct task embeds and the hooks. */
#ifndef HARTIX_TASK_TIME_H
#define HARTIX_TASK_TIME_H

#include <hartix/timer.h>
#include <hartix/types.h>

struct task;

/* Reaped children's totals (theirs and their own reaped children's). */
struct child_usage {
	u64 runtime_ticks, utime_ticks; /* scheduler ticks, as struct task's */
	u64 min_flt, nvcsw, nivcsw;
	unsigned long maxrss; /* pages: the largest of them */
};

/*
 * A timer that signals a process: ITIMER_REAL, or a POSIX timer
 * (timer_create). ptimer_lock (kernel/time/posix_timers.c) protects all
 * fields but the kernel timer's own (its base's lock).
 */
struct ptimer {
	struct timer timer; /* queued while armed */
	struct ptimer *next; /* the process's list of POSIX timers */
	struct task *owner; /* the process's leader; its timers die before it is reaped */
	/* SIGEV_THREAD_ID's thread, NULL once it exited (then no signal). */
	struct task *thread;
	/* CLOCK_THREAD_CPUTIME_ID's thread, NULL once it exited (then disarmed). */
	struct task *clock_thread;
	int id; /* timer_create's id; -1 for ITIMER_REAL */
	int clock;
	int notify; /* SIGEV_* */
	int signo;
	unsigned long value; /* sigev_value */
	bool armed;
	u64 expires; /* time CSR tick it fires at */
	u64 interval; /* ticks; 0: one-shot */
	int overrun; /* expiries merged into the pending signal */
	int overrun_last; /* of the last delivered one */
};

/* Interval and POSIX timers of a process: its leader's; all under ptimer_lock. */
struct task_timers {
	struct ptimer real; /* ITIMER_REAL (SIGALRM) */
	/* ITIMER_VIRTUAL/PROF: ns left and interval; every thread's ticks count them down. */
	u64 virt_left, virt_interval, prof_left, prof_interval;
	struct ptimer *posix; /* timer_create()'s */
	int next_id;
	bool exited; /* this thread is past task_time_exit(): no timer may name it */
};

/* Scheduler ticks to ns (accounting is per tick). */
u64 ticks_cputime_ns(u64 sched_ticks);

/* sched_tick(): t was running (in user mode if user) for a tick. */
void task_time_tick(struct task *t, bool user);
/*
 * A thread's exit, before it is a zombie: last RSS sample, and timers
 * that name it forget it (those of a thread that is no longer its
 * process's leader, after execve, are stopped and freed).
 */
void task_time_exit(struct task *t);
/* The exit of a process's last thread: its timers (on its leader) are stopped and freed. */
void task_time_process_exit(struct task *leader);
/* Reaping a thread of tg, tasklist_lock held: its counts stay the process's. */
struct thread_group;
void task_time_thread_reaped(struct thread_group *tg, struct task *t);

#ifdef CONFIG_POSIX_TIMERS
/* A process's (leader) or an ex-leader's timers are stopped and freed. */
void posix_timers_exit(struct task *t);
/* Thread t exits: timers of its process that name it forget it. */
void posix_timers_thread_exit(struct task *t);
/* execve: POSIX timers are deleted (interval timers stay, as Linux). */
void posix_timers_exec(struct task *t);
/*
 * execve by t, not its process's leader, which it replaces (old): the
 * process's interval timers move from old to t, its POSIX timers end.
 */
void posix_timers_new_leader(struct task *t, struct task *old);
/* The tick's part: ITIMER_VIRTUAL and ITIMER_PROF count down. */
void itimer_tick(struct task *t, bool user);
#else
static inline void posix_timers_exit(struct task *t) {}
static inline void posix_timers_thread_exit(struct task *t) {}
static inline void posix_timers_exec(struct task *t) {}
static inline void posix_timers_new_leader(struct task *t, struct task *old) {}
static inline void itimer_tick(struct task *t, bool user) {}
#endif
/* Reaping child, tasklist_lock held: its use adds to parent's children's. */
void rusage_add_child(struct task *parent, struct task *child);
/* wait4/waitid: fill a user struct rusage from a reaped child's totals. */
struct rusage;
void rusage_of_child(const struct child_usage *u, struct rusage *ru);
/* tasklist_lock held: process p's own use, all its threads' (live, exited, freed). */
void process_usage_locked(const struct task *p, struct child_usage *u);
/* child's own plus its reaped children's use: what a parent accumulates. */
void child_usage_of(const struct task *child, struct child_usage *u);

#endif
