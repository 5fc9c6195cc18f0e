/* SPDX-License-Identifier: BSD-2-Clause */
/* Futexes (kernel/futex.c): what the task exit path calls. */
#ifndef HARTIX_FUTEX_H
#define HARTIX_FUTEX_H

struct task;

#ifdef CONFIG_FUTEX
/*
 * The exiting task t, still on its own address space: its robust futexes
 * are released (FUTEX_OWNER_DIED, a waiter woken) and its
 * clear_child_tid word is zeroed and woken, as Linux's mm_release().
 */
void futex_exit_release(struct task *t);
/*
 * execve: the old image's robust list and clear_child_tid mean nothing
 * in the new one (called once the old memory is gone, so its robust
 * futexes are not released, unlike Linux).
 */
void futex_exec_release(struct task *t);
#else
static inline void futex_exit_release(struct task *t)
{
	(void)t;
}

static inline void futex_exec_release(struct task *t)
{
	(void)t;
}
#endif

#endif
