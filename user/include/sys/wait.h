/* SPDX-License-Identifier: BSD-2-Clause */
/* wait4()/waitpid() and the status macros (Linux encoding). */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>
#include <abi/wait.h>

/* Exit code in bits 8-15; terminating signal in bits 0-6; 0x80: core dumped. */
#define WEXITSTATUS(s)	(((s) & 0xff00) >> 8)
#define WTERMSIG(s)	((s) & 0x7f)
#define WSTOPSIG(s)	WEXITSTATUS(s)
#define WCOREDUMP(s)	((s) & 0x80)
#define WIFEXITED(s)	(WTERMSIG(s) == 0)
#define WIFSIGNALED(s)	(((signed char)(((s) & 0x7f) + 1) >> 1) > 0)
#define WIFSTOPPED(s)	(((s) & 0xff) == 0x7f)

struct rusage;

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);

#endif
