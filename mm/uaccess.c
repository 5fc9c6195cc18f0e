/* SPDX-License-Identifier: BSD-2-Clause */
/* clear_user() and strncpy_from_user(): range checks around the architecture's faulting routines (copy_to_user() is inline). */
#include <hartix/errno.h>
#include <hartix/mmap.h>
#include <hartix/uaccess.h>

unsigned long __clear_user(void *dst, unsigned long n);
long __strncpy_user(char *dst, const char *src, long n);

size_t clear_user(void *udst, size_t n)
{
	return access_ok(udst, n) ? __clear_user(udst, n) : n;
}

long strncpy_from_user(char *dst, const char *usrc, long n)
{
	unsigned long room = TASK_SIZE - (unsigned long)usrc;
	long limit, ret;

	if (n < 0)
		return -EINVAL;
	if ((unsigned long)usrc >= TASK_SIZE)
		return -EFAULT;
	/* Never read past the top of user space. */
	limit = (unsigned long)n > room ? (long)room : n;
	ret = __strncpy_user(dst, usrc, limit);
	if (ret < 0 || (ret == limit && limit < n))
		return -EFAULT; /* faulted, or ran into the end of user space */
	return ret;
}
