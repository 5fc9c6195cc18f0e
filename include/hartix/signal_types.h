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

/*
 * lock protects everything here; it is per thread. The handlers are
 * copied into every task sharing them (CLONE_SIGHAND), signals for the
 * whole process that every thread blocks wait in its struct thread_group
 * (kernel/signal.c). Lock order: tasklist_lock, then lock, then the
 * group's lock.
 */
struct sig_state {
	spinlock_t lock;
	sigset_t pending, blocked;
	sigset_t saved_blocked; /* rt_sigsuspend's mask to put back */
	bool restore_blocked;
	bool stopped; /* by SIGSTOP and friends, until SIGCONT or SIGKILL */
	unsigned long tramp; /* user address of the rt_sigreturn trampoline */
	struct k_sigaction action[_NSIG - 1];
	struct k_siginfo info[_NSIG - 1];
};

#endif
