/* SPDX-License-Identifier: BSD-2-Clause */
/* Signals (Linux generic numbers, as on riscv64): handlers, masks, kill and the process-group calls. */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <sys/types.h>
#include <abi/signal.h>

#define NSIG		_NSIG

/* The kernel's sigset (rt_sigprocmask's sigsetsize is 8 on riscv64). */
typedef unsigned long sigset_t;
typedef int sig_atomic_t;
typedef void (*sighandler_t)(int);

#undef SIG_DFL
#undef SIG_IGN
#define SIG_DFL		((sighandler_t)0)
#define SIG_IGN		((sighandler_t)1)
#define SIG_ERR		((sighandler_t)-1)

union sigval {
	int sival_int;
	void *sival_ptr;
};

/* Linux's siginfo_t layout (128 bytes); the fields Hartix fills. */
typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		struct {
			pid_t si_pid;
			uid_t si_uid;
			int si_status;
			int __pad1;
			long si_utime, si_stime;
		} __proc;
		void *si_addr;
		char __pad[112];
	} __u;
} siginfo_t;

#define si_pid		__u.__proc.si_pid
#define si_uid		__u.__proc.si_uid
#define si_status	__u.__proc.si_status
#define si_addr		__u.si_addr

/* glibc's field order; libc converts to the kernel's (handler, flags, mask). */
struct sigaction {
	union {
		sighandler_t sa_handler;
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	sigset_t sa_mask;
	int sa_flags;
	void (*sa_restorer)(void); /* unused: riscv returns through the kernel's page */
};

typedef struct {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;

int kill(pid_t pid, int sig);
int raise(int sig);
int sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *oset);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

#endif
