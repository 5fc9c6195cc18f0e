/* SPDX-License-Identifier: BSD-2-Clause */
/* Signal calls: sigaction over rt_sigaction, masks, sigsuspend, and the process-group calls. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include "libc_internal.h"

/* rt_sigaction's struct on riscv64: no sa_restorer there. */
struct kernel_sigaction {
	unsigned long handler;
	unsigned long flags;
	sigset_t mask;
	/*
	 * Not Linux's: qemu-riscv64 7.2 gives riscv an sa_restorer before
	 * the mask, so it reads the mask from here and writes 32 bytes of old
	 * action. A copy of the mask here makes it see the right one (and it
	 * keeps "restorer" = the mask, which it gives back where Linux has
	 * the mask); Linux and Hartix ignore the word.
	 */
	unsigned long qemu_user_mask;
};

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct kernel_sigaction k, old;
	long r;

	if (act) {
		k.handler = (unsigned long)act->sa_handler;
		k.flags = (unsigned int)act->sa_flags;
		k.mask = act->sa_mask;
		__builtin_memcpy(&k.qemu_user_mask, &k.mask, sizeof(k.mask));
	}
	r = __syscall4(__NR_rt_sigaction, sig, act ? &k : NULL,
		       oact ? &old : NULL, sizeof(sigset_t));
	if (r == 0 && oact) {
		oact->sa_handler = (sighandler_t)old.handler;
		oact->sa_flags = (int)old.flags;
		oact->sa_mask = old.mask;
		oact->sa_restorer = NULL;
	}
	return __syscall_ret(r);
}

/* BSD semantics, as glibc's signal(): restarting calls, handler stays. */
sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART },
			 old = { 0 };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	return __syscall_ret(__syscall4(__NR_rt_sigprocmask, how, set, oset,
					sizeof(sigset_t)));
}

int sigpending(sigset_t *set)
{
	return __syscall_ret(__syscall2(__NR_rt_sigpending, set, sizeof(sigset_t)));
}

int sigsuspend(const sigset_t *mask)
{
	return __syscall_ret(__syscall2(__NR_rt_sigsuspend, mask, sizeof(sigset_t)));
}

/* Waits for any signal under the current mask. */
int pause(void)
{
	sigset_t cur;

	if (sigprocmask(SIG_BLOCK, NULL, &cur) < 0)
		return -1;
	return sigsuspend(&cur);
}

static int bad_signal(int sig)
{
	if (sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~0UL;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	*set |= 1UL << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	*set &= ~(1UL << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	return (*set >> (sig - 1)) & 1;
}

int setpgid(pid_t pid, pid_t pgid)
{
	return __syscall_ret(__syscall2(__NR_setpgid, pid, pgid));
}

pid_t getpgid(pid_t pid)
{
	return __syscall_ret(__syscall1(__NR_getpgid, pid));
}

pid_t getpgrp(void)
{
	return __syscall1(__NR_getpgid, 0);
}

pid_t setsid(void)
{
	return __syscall_ret(__syscall0(__NR_setsid));
}

pid_t getsid(pid_t pid)
{
	return __syscall_ret(__syscall1(__NR_getsid, pid));
}
