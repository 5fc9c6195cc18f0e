/* SPDX-License-Identifier: BSD-2-Clause */
/* Futexes (kernel/futex.c): what the task exit path calls. */
#ifndef HARTIX_FUTEX_H
#define HARTIX_FUTEX_H

struct task;

#ifdef CONFIG_FUTEX
/*
 * The exiting task t, or t in execve, still on its old address space:
 * its robust futexes are released (FUTEX_OWNER_DIED, a waiter woken) and
 * its clear_child_tid word is zeroed and woken, as Linux's mm_release()
 * (exec_mm_release() at execve).
 */
void futex_exit_release(struct task *t);
#else
static inline void futex_exit_release(struct task *t)
{
	(void)t;
}
#endif

#endif
