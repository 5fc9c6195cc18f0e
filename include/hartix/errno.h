/* SPDX-License-Identifier: BSD-2-Clause */
/* Error numbers: Linux's values, returned negated (-EINVAL) by kernel functions. */
#ifndef HARTIX_ERRNO_H
#define HARTIX_ERRNO_H

#include <abi/errno.h>

/*
 * Kernel-internal, never seen by user space: a system call interrupted by
 * a signal. The return to user mode (arch signal code) turns them into
 * -EINTR or restarts the call, as Linux does.
 */
#define ERESTARTSYS	512 /* restart if the handler has SA_RESTART */
#define ERESTARTNOINTR	513 /* always restart */
#define ERESTARTNOHAND	514 /* restart only if no handler ran */

#endif
