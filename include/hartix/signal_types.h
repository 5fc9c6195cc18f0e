/* SPDX-License-Identifier: BSD-2-Clause */
/* A task's signal state, embedded in struct task (kernel/signal.c owns it). */
#ifndef HARTIX_SIGNAL_TYPES_H
#define HARTIX_SIGNAL_TYPES_H

#include <hartix/spinlock.h>
#include <hartix/types.h>
#include <abi/signal.h>

typedef u64 sigset_t; /* bit sig - 1 for signal sig */

/* rt_sigaction's struct, Linux's generic layout (riscv has no sa_restorer). */
struct k_sigaction {
	unsigned long handler; /* SIG_DFL, SIG_IGN or a user address */
	unsigned long flags;
	sigset_t mask;
};

/* What the handler's siginfo_t says about a pending signal. */
struct k_siginfo {
	int code;
	/* Overlaid as in siginfo_t: one task holds 64 of these. */
	union {
		int pid; /* sender, or the child for SIGCHLD */
		int timerid; /* SI_TIMER (kernel/time/posix_timers.c) */
	};
	union {
		int status; /* SIGCHLD: exit code or signal */
		int overrun; /* SI_TIMER */
	};
	union {
		unsigned long addr; /* faults: stval */
		unsigned long value; /* si_value: SI_QUEUE, SI_TIMER */
	};
};

/* The first real-time signal: those queue, the standard ones below merge. */
#define SIGRTMIN 32

/* One queued instance of a real-time signal (kernel/signal.c). */
struct sigqueue {
	struct sigqueue *next;
	struct k_siginfo info;
};

/*
 * Signals waiting for one thread (struct sig_state) or for its whole
 * process (struct thread_group), under the owner's lock. A standard
 * signal sent again while pending merges with the first, whose siginfo
 * is kept; each real-time one queues with its own, oldest first. A
 * real-time bit with nothing queued is one that found no room (kill()
 * past RLIMIT_SIGPENDING): it is taken with SI_USER and zeroes, as Linux.
 */
struct sigpending {
	sigset_t set;
	struct k_siginfo info[SIGRTMIN - 1]; /* standard signals */
	/* Per real-time signal a ring: its newest instance, whose next is the oldest. */
	struct sigqueue *rt[_NSIG - SIGRTMIN];
};

/*
 * lock protects everything here; it is per thread. The handlers are
 * copied into every task sharing them (CLONE_SIGHAND); signals sent to
 * the whole process wait in its struct thread_group's shared set until
 * a thread takes them (kernel/signal.c). Lock order: tasklist_lock, then
 * lock, then the group's lock.
 */
struct sig_state {
	spinlock_t lock;
	/*
	 * Signals this thread must look at on its way to user mode (the fast
	 * path in entry.S reads only this word, as Linux's TIF_SIGPENDING):
	 * its own pending ones, blocked or not, and process signals it was
	 * picked to take (those may be gone, taken by another thread).
	 */
	sigset_t work;
	struct sigpending pending; /* sent to this thread */
	sigset_t blocked;
	sigset_t saved_blocked; /* rt_sigsuspend's mask to put back */
	bool restore_blocked;
	bool stopped; /* by SIGSTOP and friends, until SIGCONT or SIGKILL */
	bool exiting; /* past process_exit(): takes no process signal */
	unsigned long tramp; /* user address of the rt_sigreturn trampoline */
	struct k_sigaction action[_NSIG - 1];
};

#endif
