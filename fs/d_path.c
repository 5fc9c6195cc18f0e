// SPDX-License-Identifier: BSD-2-Clause
/* getcwd: the path of the working directory, as Linux's fs/d_path.c. */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/slab.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>

#include "internal.h"

SYSCALL_DEFINE2(getcwd, char *, ubuf, size_t, size)
{
	char *kbuf = kmalloc(PATH_MAX, __GFP_NOWARN);
	struct files *fs = cur_files();
	unsigned long irq;
	size_t pos = PATH_MAX - 1, len;
	long ret;

	if (!kbuf)
		return -ENOMEM;
	if (!fs) {
		kfree(kbuf);
		return -ENOENT;
	}
	kbuf[pos] = '\0';
	irq = fs_lock_irqsave();
	ret = fs_dir_path(fs->cwd, kbuf, &pos);
	fs_unlock_irqrestore(irq);
	len = PATH_MAX - pos; /* with the NUL */
	if (!ret && len > size)
		ret = -ERANGE;
	if (!ret)
		ret = copy_to_user(ubuf, kbuf + pos, len) ? -EFAULT : (long)len;
	kfree(kbuf);
	return ret;
}
