/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU timer queues: one-shot callbacks at a time CSR deadline, the tick, sleeping. */
#ifndef HARTIX_TIMER_H
#define HARTIX_TIMER_H

#include <hartix/types.h>

struct timer {
	struct timer *next;
	u64 expires; /* time CSR value */
	void (*fn)(struct timer *t);
	unsigned int cpu; /* queue it is on */
	bool queued;
};

/* Queue t on the current CPU; fn runs in interrupt context at expires. */
void timer_add(struct timer *t, u64 expires);
/* Remove t if still queued; true if it was (fn then never runs). */
bool timer_cancel(struct timer *t);
/*
 * The same, and if fn is running on some hart, waits until it returned:
 * then t may be freed. Nothing may re-add t meanwhile, and the caller
 * must not hold a lock fn takes.
 */
bool timer_cancel_sync(struct timer *t);

/* This hart: pick the timer method, start the periodic tick. */
void timer_cpu_init(void);
/* Trap code: the supervisor timer interrupt fired on this hart. */
void timer_interrupt(void);
/*
 * How far past its deadline another hart's tick is at now (0: not due):
 * the stall in progress there, which struct cpu.tick_late counts only once
 * the hart takes the interrupt. Read without the lock, for reports.
 */
u64 tick_overdue(unsigned int cpu, u64 now);

struct wait_queue;

/*
 * A deadline for a wait_event() sleep: at expires (time CSR) it sets
 * expired and wakes every task on wq, so a condition that tests expired
 * ends the wait. wait_timer_stop() must be called before wt goes away.
 */
struct wait_timer {
	struct timer timer;
	struct wait_queue *wq;
	bool expired;
};

void wait_timer_start(struct wait_timer *wt, struct wait_queue *wq, u64 expires);
void wait_timer_stop(struct wait_timer *wt);

/* Sleep with the hart in wfi until ms milliseconds have passed. */
void msleep(unsigned int ms);
/*
 * A task sleeps for ticks (time CSR units) or until a signal is pending;
 * returns the ticks left (0: slept them all).
 */
u64 sleep_interruptible(u64 ticks);
/* Busy-wait; for short waits and where sleeping is not possible. */
void udelay(unsigned int us);

u64 ms_to_ticks(u64 ms);

#endif
