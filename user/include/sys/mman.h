/* SPDX-License-Identifier: BSD-2-Clause */
/* mmap() and friends: Linux generic values (asm-generic/mman-common.h). */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H

#include <sys/types.h>
#include <abi/mman.h>

#define MAP_ANON	MAP_ANONYMOUS
#define MAP_FAILED	((void *)-1)

/* riscv64 has no mmap2: the offset is in bytes. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);

#endif
