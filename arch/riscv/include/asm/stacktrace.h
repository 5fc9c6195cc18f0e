/* SPDX-License-Identifier: BSD-2-Clause */
/* Walking the kernel stack through frame pointers. */
#ifndef ASM_STACKTRACE_H
#define ASM_STACKTRACE_H

#include <hartix/types.h>

struct pt_regs;

/*
 * Calls fn for pc and each return address up the stack until fn returns
 * false or the chain ends. regs: the trap frame the walk starts from, or NULL.
 */
void walk_stackframe(const struct pt_regs *regs, unsigned long fp,
		     unsigned long pc, bool (*fn)(void *arg, unsigned long pc),
		     void *arg);

/* Prints "Call trace:" and one symbolized line per frame at log level loglvl. */
void show_backtrace(const struct pt_regs *regs, const char *loglvl);

/*
 * What this hart was doing when the trap frame regs was saved: a line
 * naming the CPU, task and pc, then the backtrace if it was in the kernel.
 * Shared by the backtrace IPI (the kernel shell's bt) and the soft-lockup
 * detector.
 */
void show_interrupted(const struct pt_regs *regs, const char *loglvl);

#endif
