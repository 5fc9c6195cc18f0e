/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sync, syncfs, fsync and fdatasync, as Linux's fs/sync.c. Files in
 * RAM have nothing to write back; VFS file systems on a disk (ext2,
 * vfat) write their dirty inodes and buffers.
 */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/syscalls.h>

#include "internal.h"

SYSCALL_DEFINE0(sync)
{
	if (IS_ENABLED(CONFIG_MOUNT))
		vfs_sync_all(NULL);
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f __free(fput) = fget(fd);

	if (!f)
		return -EBADF;
	if (is_vfs_inode(f->inode))
		vfs_sync_all(f->inode->i_sb);
	return 0;
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
	/* A disk file's cached pages go into the buffers the file system's fsync writes. */
	if (IS_ENABLED(CONFIG_FILEMAP) && is_vfs_inode(f->inode) && f->inode->i_aops) {
		long err = filemap_write_back(f->inode);

		if (err)
			return err;
	}
	if (f->ops->fsync)
		return f->ops->fsync(f, false);
	mode = f->inode->i_mode;
	if (f->inode->proc || (!S_ISREG(mode) && !S_ISDIR(mode)))
		return -EINVAL;
	return 0;
}

SYSCALL_SAME_AS(fdatasync, fsync);
