/* SPDX-License-Identifier: BSD-2-Clause */
/* Copying between kernel and user memory: every user pointer is checked and may fault. */
#ifndef HARTIX_UACCESS_H
#define HARTIX_UACCESS_H

#include <hartix/mmap.h>
#include <hartix/types.h>
#include <asm/uaccess.h> /* user_access_begin(), user_access_end() */

/* The architecture's faulting copy (arch/riscv/lib): bytes not copied. */
unsigned long __copy_user(void *dst, const void *src, unsigned long n);

/*
 * The range must lie in user space; a fault inside a valid region is
 * resolved (demand-zero, copy-on-write), any other makes these return what
 * they did not copy. sstatus.SUM is set only inside them, or between
 * user_access_begin() and user_access_end() around several of them.
 * Inline, as Linux's: every read() and write() checks its buffer and copies.
 */
static inline bool access_ok(const void *uptr, size_t n)
{
	unsigned long addr = (unsigned long)uptr;

	return n <= TASK_SIZE && addr <= TASK_SIZE - n;
}

/* Bytes not copied: 0 on success. */
static inline size_t copy_to_user(void *udst, const void *src, size_t n)
{
	return access_ok(udst, n) ? __copy_user(udst, src, n) : n;
}

static inline size_t copy_from_user(void *dst, const void *usrc, size_t n)
{
	return access_ok(usrc, n) ? __copy_user(dst, usrc, n) : n;
}

size_t clear_user(void *udst, size_t n);
/*
 * Without resolving a fault (the copy just ends short): for a caller
 * holding a lock the fault could need (a page cache page whose file the
 * source maps). fault_in_readable() first makes the range present,
 * without such locks held: how many bytes from its start are readable.
 */
size_t copy_from_user_nofault(void *dst, const void *usrc, size_t n);
size_t fault_in_readable(const void *usrc, size_t n);
/* Length of the string copied (< n), n if no NUL in n bytes, or -EFAULT. */
long strncpy_from_user(char *dst, const char *usrc, long n);

#endif
