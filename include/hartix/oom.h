/* SPDX-License-Identifier: BSD-2-Clause */
/* The OOM killer: what a page fault does when no page is left. */
#ifndef HARTIX_OOM_H
#define HARTIX_OOM_H

#include <hartix/types.h>

/*
 * A page fault of the current task found no memory. With
 * CONFIG_OOM_KILLER the process with the most pages mapped (init only
 * when nothing else is left) gets SIGKILL, logged like Linux's
 * "Out of memory: Killed process N (comm) ..."; while an earlier victim
 * is still dying, nobody else is. Without it the faulting task gets
 * SIGKILL. Either way the caller retries the access afterwards (the
 * victim, if it is the caller, dies on its way back to user mode
 * instead). Never sleeps: callable from any fault.
 */
void out_of_memory(void);
/*
 * The same, then a short sleep that lets the victim exit: for user faults.
 * Caches that take locks to give memory back (the WebAssembly code cache)
 * are emptied first, here, where no lock is held: if they freed some, no
 * process is killed and the access is retried at once.
 */
void out_of_memory_wait(void);

#endif
