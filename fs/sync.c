/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sync, syncfs, fsync and fdatasync, as Linux's fs/sync.c. Every file
 * lives in RAM, so there is never anything to write back: the calls
 * only check their descriptor, with Linux's errors.
 */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/syscalls.h>

#include "internal.h"

SYSCALL_DEFINE0(sync)
{
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f __free(fput) = fget(fd);

	return f ? 0 : -EBADF;
}

/*
 * Files and directories of the RAM file system have an fsync (tmpfs's
 * noop_fsync), a block device its flush; pipes, terminals, other devices
 * and /proc files have none: EINVAL.
 */
SYSCALL_DEFINE1(fsync, int, fd)
{
	struct file *f __free(fput) = fget(fd);
	u32 mode;

	if (!f)
		return -EBADF;
	if (f->ops->fsync)
		return f->ops->fsync(f, false);
	mode = f->inode->i_mode;
	if (f->inode->proc || (!S_ISREG(mode) && !S_ISDIR(mode)))
		return -EINVAL;
	return 0;
}

SYSCALL_SAME_AS(fdatasync, fsync);
