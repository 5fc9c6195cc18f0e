/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Changing what an inode says about itself: fchmod*, fchown* and umask,
 * and fallocate(), as in Linux's fs/open.c. Every caller is root, so
 * owners are stored and shown, never checked.
 */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/syscalls.h>
#include <asm/page.h>

#include "internal.h"

/* The inode's permission bits become mode's; fs_lock is taken here. */
static long chmod_inode(struct inode *ino, u32 mode)
{
	unsigned long irq;

	if (ino->proc)
		return -EPERM; /* /proc's files keep their modes */
	if (inode_rdonly(ino))
		return -EROFS;
	if (is_vfs_inode(ino)) {
		struct iattr attr = { .ia_valid = ATTR_MODE, .ia_mode = mode & 07777 };

		return vfs_setattr(ino, &attr);
	}
	irq = fs_lock_irqsave();
	ino->i_mode = (ino->i_mode & S_IFMT) | (mode & 07777);
	inode_touch_ctime(ino);
	fs_unlock_irqrestore(irq);
	return 0;
}

SYSCALL_DEFINE2(fchmod, int, fd, u32, mode)
{
	struct file *f __free(fput) = fget(fd);

	return f ? chmod_inode(f->inode, mode) : -EBADF;
}

/* Linux's fchmodat has no flags: the last symlink is always followed. */
SYSCALL_DEFINE3(fchmodat, int, dirfd, const char *, upath, u32, mode)
{
	struct inode *ino;
	long ret = at_inode(dirfd, upath, 0, &ino);

	if (ret)
		return ret;
	ret = chmod_inode(ino, mode);
	fs_put_inode(ino);
	return ret;
}

/*
 * (u32)-1 keeps an id. Linux's chown_common(): whoever changes it (root
 * too, since 2.2.13), a file that is not a directory loses its set-user-id
 * bit, and its set-group-id bit if it is group-executable.
 */
static long chown_inode(struct inode *ino, u32 uid, u32 gid)
{
	unsigned long irq;

	if (ino->proc)
		return -EPERM;
	if (inode_rdonly(ino))
		return -EROFS;
	if (is_vfs_inode(ino)) {
		struct iattr attr = {
			.ia_valid = (uid != (u32)-1 ? ATTR_UID : 0) |
				    (gid != (u32)-1 ? ATTR_GID : 0) | ATTR_MODE,
			.ia_uid = uid, .ia_gid = gid, .ia_mode = ino->i_mode,
		};

		if (!S_ISDIR(ino->i_mode)) {
			attr.ia_mode &= ~S_ISUID;
			if (attr.ia_mode & S_IXGRP)
				attr.ia_mode &= ~S_ISGID;
		}
		return vfs_setattr(ino, &attr);
	}
	irq = fs_lock_irqsave();
	if (uid != (u32)-1)
		ino->i_uid = uid;
	if (gid != (u32)-1)
		ino->i_gid = gid;
	if (!S_ISDIR(ino->i_mode)) {
		ino->i_mode &= ~S_ISUID;
		if (ino->i_mode & S_IXGRP)
			ino->i_mode &= ~S_ISGID;
	}
	inode_touch_ctime(ino);
	fs_unlock_irqrestore(irq);
	return 0;
}

SYSCALL_DEFINE3(fchown, int, fd, u32, uid, u32, gid)
{
	struct file *f __free(fput) = fget(fd);

	return f ? chown_inode(f->inode, uid, gid) : -EBADF;
}

/* lchown() is fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW). */
SYSCALL_DEFINE5(fchownat, int, dirfd, const char *, upath, u32, uid, u32, gid,
		int, flags)
{
	struct inode *ino;
	long ret;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	ret = at_inode(dirfd, upath, flags, &ino);
	if (ret)
		return ret;
	ret = chown_inode(ino, uid, gid);
	fs_put_inode(ino);
	return ret;
}

/* The mask open, mkdirat and mknodat apply; per process, fork copies it. */
SYSCALL_DEFINE1(umask, u32, mask)
{
	struct files *fs = current_task()->files;
	u32 old;

	if (!fs)
		return 022;
	old = fs->umask;
	fs->umask = mask & 0777;
	return old;
}

#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02
#define FALLOC_FL_SUPPORTED	0x7f /* every flag Linux knows */
#define FS_MAX_OFF		0x7fffffffffffffffLL

/* Pages are made under fs_lock this many at a time, then others may run. */
#define FALLOC_BATCH 64

/*
 * Mode 0 makes the pages of the range exist (ENOSPC now, not at a later
 * write) and grows the file to its end; FALLOC_FL_KEEP_SIZE keeps the
 * size; FALLOC_FL_PUNCH_HOLE|KEEP_SIZE frees them. The other modes are
 * EOPNOTSUPP, as on Linux's tmpfs. The checks come in vfs_fallocate()'s
 * order. A range refused for want of room changes nothing; one that runs
 * out of memory half way keeps the (zero) pages made, freed with the file.
 */
SYSCALL_DEFINE4(fallocate, int, fd, int, mode, long, offset, long, len)
{
	struct file *f __free(fput) = fget(fd);
	struct inode *ino;
	unsigned long irq;
	u64 pos, end, have = 0;
	long ret = 0;

	if (!f)
		return -EBADF;
	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~FALLOC_FL_SUPPORTED)
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	ino = f->inode;
	if (S_ISFIFO(ino->i_mode))
		return -ESPIPE;
	if (S_ISDIR(ino->i_mode))
		return -EISDIR;
	if (!S_ISREG(ino->i_mode) || ino->proc)
		return -ENODEV;
	if (is_vfs_inode(ino))
		return -EOPNOTSUPP; /* as Linux's ext2 and vfat (no fallocate there) */
	if (len > FS_MAX_OFF - offset)
		return -EFBIG;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP; /* shmem_fallocate()'s answer */
	pos = (u64)offset;
	end = pos + (u64)len;
	inode_lock(ino);
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		irq = fs_lock_irqsave();
		ramfs_punch(ino, pos, (u64)len);
		fs_unlock_irqrestore(irq);
		inode_unlock(ino);
		return 0;
	}
	/* Pages the range needs at least, against what the budget has left. */
	irq = fs_lock_irqsave();
	if (!ramfs_room_for((end - pos + PAGE_SIZE - 1) / PAGE_SIZE -
			    min((end - pos + PAGE_SIZE - 1) / PAGE_SIZE,
				(u64)RAMFS_I(ino)->nr_pages)))
		ret = -ENOSPC;
	fs_unlock_irqrestore(irq);
	pos -= pos % PAGE_SIZE;
	while (!ret && pos < end) {
		if (fatal_signal_pending(current_task())) {
			ret = -EINTR;
			break;
		}
		cond_resched();
		irq = fs_lock_irqsave();
		ret = ramfs_allocate(ino, pos, end, FALLOC_BATCH);
		fs_unlock_irqrestore(irq);
		if (ret > 0) {
			have = (u64)ret * PAGE_SIZE;
			pos = end - pos > have ? pos + have : end;
			ret = 0;
		}
	}
	irq = fs_lock_irqsave();
	if (!ret && !(mode & FALLOC_FL_KEEP_SIZE) && end > ino->i_size)
		ino->i_size = end;
	if (!ret)
		inode_touch_mtime(ino);
	fs_unlock_irqrestore(irq);
	inode_unlock(ino);
	return ret;
}
