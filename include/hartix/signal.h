/* Sending signals to tasks and process groups, and asking whether one waits. */
#ifndef HARTIX_SIGNAL_H
#define HARTIX_SIGNAL_H

#include <hartix/sched.h>
#include <hartix/types.h>
#include <abi/signal.h>

/*
 * Queues sig (1.._NSIG-1) for t and wakes it, or interrupts it on the
 * hart running it. 0, or -EPERM for a kernel thread. Caller holds
 * tasklist_lock (t cannot be reaped meanwhile).
 */
int signal_send_locked(struct task *t, int sig);
/* The same, taking tasklist_lock; t must not be reaped meanwhile (current is safe). */
int signal_send(struct task *t, int sig);
/* The same for every process in group pgid: 0, or -ESRCH when none is. */
int signal_send_pgrp(int pgid, int sig);
/* The group of init (the console's first foreground group), or 0 without init. */
int process_init_pgid(void);
/* 0 if group pgid has a live process in session sid, else -EPERM, or -ESRCH if it has none. */
int process_pgrp_check(int pgid, int sid);
/* A signal waits for t: interruptible sleeps end with -EINTR. */
bool signal_pending(struct task *t);

#endif
