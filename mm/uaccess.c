/* SPDX-License-Identifier: BSD-2-Clause */
/* clear_user(), strncpy_from_user() and the no-fault copies: range checks around the architecture's faulting routines (copy_to_user() is inline). */
#include <hartix/errno.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/uaccess.h>
#include <asm/page.h>

unsigned long __clear_user(void *dst, unsigned long n);
long __strncpy_user(char *dst, const char *src, long n);

size_t copy_from_user_nofault(void *dst, const void *usrc, size_t n)
{
	struct task *t = current_task();
	size_t left;

	if (!access_ok(usrc, n))
		return n;
	t->pagefault_disabled = true;
	left = __copy_user(dst, usrc, n);
	t->pagefault_disabled = false;
	return left;
}

/* One byte of each page: each read resolves its page's fault. */
size_t fault_in_readable(const void *usrc, size_t n)
{
	unsigned long start = (unsigned long)usrc, p;
	char c;

	if (!access_ok(usrc, n))
		return 0;
	for (p = start; p < start + n; p = (p | (PAGE_SIZE - 1)) + 1)
		if (__copy_user(&c, (const void *)p, 1))
			return p - start;
	return n;
}

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
