/* SPDX-License-Identifier: BSD-2-Clause */
/* Late initcalls: work a subsystem starts once every hart, the scheduler and interrupts run. */
#ifndef HARTIX_INIT_H
#define HARTIX_INIT_H

#include <hartix/compiler.h>

typedef void (*initcall_t)(void);

/*
 * fn runs on the boot hart after the harts came up, before tests and user
 * space: it may start kernel threads (before that a new task could land
 * on a run queue that is set up later) but must not sleep itself.
 */
#define late_initcall(fn)                                        \
	static const initcall_t __initcall_##fn __used           \
		__section(".initcall_late") __aligned(8) = fn

/* Runs them, in link order (init/main.c). */
void do_late_initcalls(void);

#endif
