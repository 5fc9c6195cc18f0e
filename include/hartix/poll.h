/* SPDX-License-Identifier: BSD-2-Clause */
/* Poll tables: how a file's ->poll names the wait queues that select and poll sleep on. */
#ifndef HARTIX_POLL_H
#define HARTIX_POLL_H

struct file;
struct wait_queue;
struct poll_table; /* a ppoll()/pselect6() call's own (fs/select.c) */

void poll_table_add(struct file *f, struct wait_queue *wq, struct poll_table *pt);

/*
 * A ->poll method calls this for every wait queue that is woken (wake_up())
 * when f may have become ready, before it looks at f's state: the caller
 * then sleeps on those queues, and wakes only when one of them is woken.
 * pt NULL: the caller only wants the mask (a scan after the first, or a
 * zero timeout).
 */
static inline void poll_wait(struct file *f, struct wait_queue *wq,
			     struct poll_table *pt)
{
	if (pt)
		poll_table_add(f, wq, pt);
}

#endif
