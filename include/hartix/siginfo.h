/* SPDX-License-Identifier: BSD-2-Clause */
/* Signal structures as user space sees them: siginfo_t (asm-generic/siginfo.h, 128 bytes) and stack_t. */
#ifndef HARTIX_SIGINFO_H
#define HARTIX_SIGINFO_H

#include <hartix/signal_types.h>
#include <hartix/types.h>

struct user_siginfo {
	int signo, errno_, code, pad0;
	union {
		struct {
			int pid, uid;
			int status, pad1;
			long utime, stime; /* SIGCHLD */
		} proc;
		struct {
			int pid, uid;
			unsigned long value; /* SI_QUEUE, kill: si_value */
		} rt;
		struct {
			int tid, overrun;
			unsigned long value;
		} timer; /* SI_TIMER */
		unsigned long addr; /* faults */
		u8 pad[112];
	};
};

/* si for signal sig as info describes it; the rest of si is zeroed. */
void siginfo_to_user(struct user_siginfo *si, int sig,
		     const struct k_siginfo *info);

/* stack_t: sigaltstack() and uc_stack in a signal frame. */
struct user_stack {
	unsigned long ss_sp;
	int ss_flags;
	unsigned long ss_size;
};

struct task;
/* Is sp on t's alternate signal stack? */
bool on_sig_stack(struct task *t, unsigned long sp);
/* t's alternate stack as sigaltstack() reports it, for user sp. */
void sigaltstack_get(struct task *t, unsigned long sp, struct user_stack *ss);
/* Sets it (t is the current task, at user sp): 0 or -errno as sigaltstack(). */
long sigaltstack_set(struct task *t, unsigned long sp,
		     const struct user_stack *ss);
/* execve: no alternate stack. */
void sigaltstack_reset(struct task *t);

#endif
