/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The load average of /proc/loadavg and sysinfo(), as Linux's
 * kernel/sched/loadavg.c: every 5 seconds the number of tasks running or
 * waiting on a run queue is folded into three exponentially decaying
 * averages (1, 5 and 15 minutes), in 11-bit fixed point. Hartix has no
 * uninterruptible sleep, so sleepers never count (Linux counts D state).
 */
#include <hartix/kernel.h>
#include <hartix/loadavg.h>
#include <hartix/smp.h>
#include <hartix/time.h>

#define LOAD_FREQ_NS (5 * NSEC_PER_SEC)
#define EXP_1 1884 /* 1/exp(5sec/1min) as fixed-point */
#define EXP_5 2014 /* 1/exp(5sec/5min) */
#define EXP_15 2037 /* 1/exp(5sec/15min) */

/*
 * avenrun: written by the one tick that claims the update (the cmpxchg
 * on next_update), read locklessly (a reader may see one average new
 * and another old, as in Linux).
 */
static unsigned long avenrun[3];
static u64 next_update = LOAD_FREQ_NS;

static unsigned long calc_load(unsigned long load, unsigned long exp,
			       unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

void loadavg_tick(void)
{
	u64 now = ktime_get_ns(), due = READ_ONCE(next_update);
	unsigned long active;

	if (now < due)
		return;
	/* One hart folds each period in; missed periods are not replayed. */
	if (!__atomic_compare_exchange_n(&next_update, &due,
					 now - (now - due) % LOAD_FREQ_NS + LOAD_FREQ_NS,
					 false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	active = sched_nr_active() * FIXED_1;
	WRITE_ONCE(avenrun[0], calc_load(avenrun[0], EXP_1, active));
	WRITE_ONCE(avenrun[1], calc_load(avenrun[1], EXP_5, active));
	WRITE_ONCE(avenrun[2], calc_load(avenrun[2], EXP_15, active));
}

void get_avenrun(unsigned long loads[3])
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		loads[i] = READ_ONCE(avenrun[i]);
}
