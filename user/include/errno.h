/* SPDX-License-Identifier: BSD-2-Clause */
/* errno and the Linux error numbers (asm-generic/errno-base.h and errno.h). */
#ifndef _ERRNO_H
#define _ERRNO_H

/* One thread per process: a plain global, set by the system call wrappers. */
extern int errno;

#include <abi/errno.h>

#endif
