/* SPDX-License-Identifier: BSD-2-Clause */
/* open() flags: Linux's generic values (asm-generic/fcntl.h), which riscv64 uses. */
#ifndef _FCNTL_H
#define _FCNTL_H

#include <sys/types.h>
#include <abi/fcntl.h>

/* riscv64 has no open system call: open() is openat(AT_FDCWD, ...). */
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
/* F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL: one int argument, or none. */
int fcntl(int fd, int cmd, ...);

#endif
