/* SPDX-License-Identifier: BSD-2-Clause */
/* The load average (kernel/sched/loadavg.c), for /proc/loadavg and sysinfo(). */
#ifndef HARTIX_LOADAVG_H
#define HARTIX_LOADAVG_H

#define FSHIFT 11 /* bits of fraction in the averages */
#define FIXED_1 (1UL << FSHIFT)
#define LOAD_INT(x) ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

/* From every hart's tick: folds the run queues in when 5 s have passed. */
void loadavg_tick(void);
/* The 1, 5 and 15 minute averages, FSHIFT bits of fraction. */
void get_avenrun(unsigned long loads[3]);
/* Tasks running (not idle) or queued on any run queue (kernel/sched/core.c). */
unsigned long sched_nr_active(void);
/* The pid the last task made got (kernel/sched/core.c). */
int sched_last_pid(void);

#endif
