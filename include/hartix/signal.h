/* SPDX-License-Identifier: BSD-2-Clause */
/* POSIX signals: sending, the pending/blocked sets, handlers, and what the arch delivery code needs. */
#ifndef HARTIX_SIGNAL_H
#define HARTIX_SIGNAL_H

#include <hartix/sched.h>
#include <hartix/signal_types.h>
#include <hartix/errno.h>
#include <hartix/types.h>
#include <asm/csr.h>
#include <asm/ptrace.h>
#include <abi/signal.h>

#define sigmask(sig) (1ULL << ((sig) - 1))
/* Never blocked, caught or ignored. */
#define SIG_KERNEL_ONLY (sigmask(SIGKILL) | sigmask(SIGSTOP))

/*
 * Queues sig (1.._NSIG-1) for t and wakes it, or interrupts it on the
 * hart running it (si_code SI_KERNEL). 0, or -EPERM for a kernel thread.
 * Caller holds tasklist_lock (t cannot be reaped meanwhile).
 */
int signal_send_locked(struct task *t, int sig);
/* The same to t's whole process, taking tasklist_lock; t must not be reaped meanwhile (current is safe). */
int signal_send(struct task *t, int sig);
/* The same for every process in group pgid: 0, or -ESRCH when none is. */
int signal_send_pgrp(int pgid, int sig);
/*
 * A signal waits for t that it has not blocked: interruptible sleeps end
 * (with -ERESTARTSYS, or -EINTR where a call must not restart), and
 * schedule() does not put t to sleep meanwhile.
 */
static inline bool signal_pending(struct task *t)
{
	sigset_t set = READ_ONCE(t->sig.work) & ~READ_ONCE(t->sig.blocked);

	/* A stopped task waits for SIGCONT; only SIGKILL interrupts that. */
	if (set && READ_ONCE(t->sig.stopped))
		set &= sigmask(SIGKILL);
	return set != 0;
}

/*
 * SIGKILL is on its way (it cannot be blocked or caught): a loop whose
 * length the user chose stops early, as the task dies on its way out.
 */
static inline bool fatal_signal_pending(struct task *t)
{
	return READ_ONCE(t->sig.pending.set) & sigmask(SIGKILL);
}

/*
 * POSIX timers, tasklist_lock held: sig with info (SI_TIMER) for thread t
 * (thread: SIGEV_THREAD_ID) or its process, and 0; or, if that timer's
 * last one is still pending, that one counts this expiry and
 * info->overrun more as overruns, and its new count is returned.
 */
int signal_send_timer_locked(struct task *t, bool thread, int sig,
			     const struct k_siginfo *info);
/* Is a signal of timer timerid still pending for t (thread) or its process? */
bool signal_timer_pending(struct task *t, bool thread, int sig, int timerid);
/*
 * rt_sigqueueinfo (tid 0): sig with info to process pid; rt_tgsigqueueinfo:
 * to its thread tid. 0 or -errno as kill() and tgkill(), -EAGAIN when a
 * real-time signal finds no room (RLIMIT_SIGPENDING).
 */
int signal_send_info(int pid, int tid, int sig, const struct k_siginfo *info);
/*
 * rt_sigtimedwait: takes the lowest pending signal of set (current task)
 * off the pending set without running its handler; its number or 0.
 */
int signal_dequeue(sigset_t set, struct k_siginfo *info);

/*
 * process_exit(), before the thread is gone: its own pending signals go,
 * and process signals it was picked for go to another thread.
 */
void signal_thread_exit(struct task *t);
/* The last reference to tg: its shared pending signals go. */
struct thread_group;
void signal_group_free(struct thread_group *tg);
/*
 * process_exit(), tasklist_lock held, process p exiting (parent NULL) or
 * p's parent exiting: if that ends the last link of p's group to outside
 * it in its session and a process of the group is stopped, the group
 * gets SIGHUP and SIGCONT (POSIX; Linux's kill_orphaned_pgrp()).
 */
void signal_orphaned_pgrp_locked(struct task *p, struct task *parent);
/* process_exit(), under tasklist_lock: SIGCHLD to the parent. */
void signal_child_exit_locked(struct task *child);
/* A child stopped (stopsig) or continued (0), tasklist_lock held: SIGCHLD unless SA_NOCLDSTOP. */
void signal_child_job_locked(struct task *child, int stopsig);
/* fork: the child gets the parent's handlers and blocked mask. */
void signal_fork(struct task *child, struct task *parent);
/* execve: caught signals go back to SIG_DFL; tramp is the new trampoline. */
void signal_exec(struct task *t, unsigned long tramp);

/*
 * A fault in user mode (current task): true when a handler is installed
 * and sig is not blocked, and the signal is now queued with code and
 * addr; false means the fault kills the task.
 */
bool signal_fault(int sig, int code, unsigned long addr);

/*
 * Arch delivery (current task). signal_get() returns the next signal to
 * run a handler for, with its action and info (SA_RESETHAND applied), or
 * 0; default actions (ignore, stop, terminate) happen inside, so it may
 * not return. After pushing a frame, signal_handler_started() blocks the
 * handler's mask. The frame holds the mask signal_frame_mask() returns.
 */
int signal_get(struct k_sigaction *ka, struct k_siginfo *info);
sigset_t signal_frame_mask(void);
void signal_handler_started(int sig, const struct k_sigaction *ka);
/*
 * rt_sigsuspend, ppoll and pselect6: set is blocked while they wait; the
 * old mask comes back with signal_restore_saved_mask() when they return
 * normally, or after the handler of the signal that interrupted them
 * (its frame holds the old mask; do_signal() restores it if none runs).
 */
void signal_set_temporary_mask(sigset_t set);
void signal_restore_saved_mask(void);
/* rt_sigreturn: the mask from the frame. */
void signal_set_blocked(sigset_t set);
/* Blocks all but SIGKILL (a killable wait); returns the mask to put back. */
sigset_t signal_block_all(void);

/* A system call's result that asks for a restart: -ERESTART*. */
static inline bool is_restart_errno(unsigned long ret)
{
	BUILD_BUG_ON(ERESTARTNOINTR != ERESTARTSYS + 1 ||
		     ERESTARTNOHAND != ERESTARTSYS + 2);
	return -ret - ERESTARTSYS <= ERESTARTNOHAND - ERESTARTSYS;
}

/* An interrupted system call left -ERESTART* for do_signal() to settle. */
static inline bool syscall_wants_restart(const struct pt_regs *regs)
{
	return regs->cause == EXC_ECALL_U && is_restart_errno(regs->a0);
}

/* Arch: delivery on the way back to user mode, and the trampoline page. */
void do_signal(struct pt_regs *regs);
struct mm;
long sigtramp_map(struct mm *mm);
/* The signal frame's size rounded to 16: exec's AT_MINSIGSTKSZ, as Linux. */
extern const unsigned long signal_minsigstksz;
/*
 * kill() as the current task (user or kernel thread) sends it: pid > 0 one
 * process, 0 the sender's group, -1 all, < -1 group -pid. 0 or -errno.
 */
int signal_kill(int pid, int sig);
/* The group of init (the console's first foreground group), or 0 without init. */
int process_init_pgid(void);
/* 0 if group pgid has a process in session sid; -EPERM if only in another; -ESRCH if none. */
int process_pgrp_check(int pgid, int sid);

#endif
