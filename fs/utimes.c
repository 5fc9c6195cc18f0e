/* SPDX-License-Identifier: BSD-2-Clause */
/* utimensat(): setting a file's access and modification times, as Linux's fs/utimes.c. */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>

#include "internal.h"

static bool nsec_valid(long nsec)
{
	return nsec == UTIME_OMIT || nsec == UTIME_NOW ||
	       (nsec >= 0 && nsec <= 999999999);
}

/* times NULL: both now. ctime is always now (Linux's notify_change()). */
static long set_times(struct inode *ino, const struct timespec *times)
{
	struct timespec now;
	unsigned long irq;

	if (times && (!nsec_valid(times[0].tv_nsec) ||
		      !nsec_valid(times[1].tv_nsec)))
		return -EINVAL;
	if (ino->proc)
		return -EPERM;
	if (inode_rdonly(ino))
		return -EROFS;
	if (is_vfs_inode(ino)) {
		struct iattr attr = { .ia_valid = ATTR_CTIME };

		fs_time_now(&now);
		attr.ia_ctime = now;
		if (!times || times[0].tv_nsec != UTIME_OMIT) {
			attr.ia_valid |= ATTR_ATIME;
			attr.ia_atime = !times || times[0].tv_nsec == UTIME_NOW ? now : times[0];
		}
		if (!times || times[1].tv_nsec != UTIME_OMIT) {
			attr.ia_valid |= ATTR_MTIME;
			attr.ia_mtime = !times || times[1].tv_nsec == UTIME_NOW ? now : times[1];
		}
		return vfs_setattr(ino, &attr);
	}
	irq = fs_lock_irqsave();
	fs_time_now(&now);
	if (!times || times[0].tv_nsec != UTIME_OMIT)
		ino->i_atime = !times || times[0].tv_nsec == UTIME_NOW ? now :
								       times[0];
	if (!times || times[1].tv_nsec != UTIME_OMIT)
		ino->i_mtime = !times || times[1].tv_nsec == UTIME_NOW ? now :
								       times[1];
	ino->i_ctime = now;
	fs_unlock_irqrestore(irq);
	return 0;
}

/*
 * A NULL path with a descriptor is futimens(): the descriptor's file,
 * and no flags may be given. Two UTIME_OMITs change nothing and do not
 * even look at the path.
 */
SYSCALL_DEFINE4(utimensat, int, dirfd, const char *, upath,
		const struct timespec *, utimes, int, flags)
{
	struct timespec t[2];
	struct inode *ino;
	long ret;

	if (utimes) {
		if (copy_from_user(t, utimes, sizeof(t)))
			return -EFAULT;
		if (t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	if (!upath && dirfd != AT_FDCWD) {
		struct file *f __free(fput) = NULL;

		if (flags)
			return -EINVAL;
		f = fget(dirfd);
		if (!f)
			return -EBADF;
		return set_times(f->inode, utimes ? t : NULL);
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	ret = at_inode(dirfd, upath, flags, &ino);
	if (ret)
		return ret;
	ret = set_times(ino, utimes ? t : NULL);
	fs_put_inode(ino);
	return ret;
}
