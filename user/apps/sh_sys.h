/*
 * Process groups, sessions and signal dispositions for sh and init, until
 * libc has them (the signals branch adds setpgid(), setsid() and signal()
 * to unistd.h and signal.h: then this file goes). Raw system calls of the
 * Linux riscv64 ABI; only SIG_DFL and SIG_IGN, so no handler trampoline.
 */
#ifndef _SH_SYS_H
#define _SH_SYS_H

#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

typedef void (*sighandler_t)(int);

#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)

static inline int setpgid(pid_t pid, pid_t pgid)
{
	return syscall(__NR_setpgid, pid, pgid);
}

static inline pid_t setsid(void)
{
	return syscall(__NR_setsid);
}

/* riscv64's struct sigaction has no sa_restorer: handler, flags, mask. */
static inline sighandler_t signal(int sig, sighandler_t handler)
{
	struct { sighandler_t handler; unsigned long flags, mask; } act = {
		handler, 0, 0 }, old;

	if (syscall(__NR_rt_sigaction, sig, &act, &old, sizeof(act.mask)) < 0)
		return (sighandler_t)-1; /* SIG_ERR */
	return old.handler;
}

#endif
