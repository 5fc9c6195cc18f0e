/* SPDX-License-Identifier: BSD-2-Clause */
/* Touching memory that may fault (mm_file, fs_pagecache): the signal and its code, caught. */
#ifndef FAULT_PROBE_H
#define FAULT_PROBE_H

#include <setjmp.h>
#include <signal.h>

static sigjmp_buf fault_jmp;
static volatile int fault_sig, fault_code;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_sig = sig;
	fault_code = si->si_code;
	siglongjmp(fault_jmp, 1);
}

/*
 * The signal a write (write) or read of *p raises, 0 if none (then fault_code
 * is stale); a read stores the byte in *val unless val is NULL.
 */
static int touch(volatile char *p, int write, char *val)
{
	struct sigaction sa = { 0 }, old_bus, old_segv;
	int sig = 0;

	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	fault_sig = 0;
	if (!sigsetjmp(fault_jmp, 1)) {
		if (write)
			*p = 'w';
		else if (val)
			*val = *p;
		else
			(void)*p;
	} else {
		sig = fault_sig;
	}
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return sig;
}

#endif
