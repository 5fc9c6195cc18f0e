/* Signal numbers (Linux generic, as on riscv64) and kill(). */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <sys/types.h>
#include <abi/signal.h>

#define NSIG		_NSIG

/* The kernel's signal set: one bit per signal 1-64 (bit sig - 1). */
typedef unsigned long sigset_t;

int kill(pid_t pid, int sig);
int raise(int sig);

#endif
