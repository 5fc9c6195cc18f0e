/* SPDX-License-Identifier: BSD-2-Clause */
/* The soft-lockup detector (CONFIG_SOFTLOCKUP_DETECTOR): a hart that has not scheduled for too long. */
#ifndef HARTIX_SOFTLOCKUP_H
#define HARTIX_SOFTLOCKUP_H

#include <hartix/types.h>

struct pt_regs;

#ifdef CONFIG_SOFTLOCKUP_DETECTOR
/*
 * This hart is making progress: it scheduled, or waits for interrupts.
 * Long kernel work that knows it is fine (a test run) calls it too.
 */
void touch_softlockup_watchdog(void);
/*
 * From the timer interrupt, after the tick was counted: if this hart has
 * not scheduled for softlockup.timeout seconds, prints a warning with the
 * backtrace of the interrupted code (again every timeout seconds while
 * it stays stuck).
 */
void softlockup_tick(const struct pt_regs *regs);
/* Warnings printed since boot (for tests). */
u64 softlockup_reports(void);
/* The threshold in seconds (0: off). */
unsigned int softlockup_timeout(void);
#else
static inline void touch_softlockup_watchdog(void)
{
}
static inline void softlockup_tick(const struct pt_regs *regs)
{
}
static inline u64 softlockup_reports(void)
{
	return 0;
}
static inline unsigned int softlockup_timeout(void)
{
	return 0;
}
#endif

/*
 * Hung-task reports printed, as Linux's hung_task_warnings: each is written
 * to the console from the tick, interrupts masked and tasklist_lock held. A
 * fork bomb on a loaded host had hundreds of tasks waiting past the limit,
 * and printing them all at every scan kept every hart that forks, exits or
 * waits spinning on tasklist_lock for minutes (proc_test on 4 harts). Later
 * reports are only counted.
 */
#define HUNG_TASK_WARNINGS 10

#ifdef CONFIG_HUNG_TASK_DETECTOR
/*
 * From every tick; once a second one hart scans the tasks: a task
 * runnable but not run for hung_task.timeout seconds gets an "INFO: task
 * ... runnable but not run" report, and with CONFIG_DEBUG_SCHED a
 * runnable task on no run queue a "BUG: runnable task" warning.
 */
void hung_task_tick(void);
/* Reports since boot (for tests), and the threshold (0: off). */
u64 hung_task_reports(void);
u64 sched_lost_reports(void);
unsigned int hung_task_timeout(void);
#else
static inline void hung_task_tick(void)
{
}
static inline u64 hung_task_reports(void)
{
	return 0;
}
static inline u64 sched_lost_reports(void)
{
	return 0;
}
static inline unsigned int hung_task_timeout(void)
{
	return 0;
}
#endif

#endif
