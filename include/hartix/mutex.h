/* SPDX-License-Identifier: BSD-2-Clause */
/* Sleeping locks for task context: held across user copies and I/O, never in interrupts. */
#ifndef HARTIX_MUTEX_H
#define HARTIX_MUTEX_H

#include <hartix/sched.h>

/*
 * owner is under wait.lock; waiters sleep on wait and retry when the
 * owner lets go. Not recursive, not taken from interrupt context.
 */
struct mutex {
	struct wait_queue wait;
	struct task *owner;
};

#define MUTEX_INIT { WAIT_QUEUE_INIT, NULL }
#define DEFINE_MUTEX(name) struct mutex name = MUTEX_INIT

static inline void mutex_init(struct mutex *m)
{
	*m = (struct mutex)MUTEX_INIT;
}

void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);

#endif
