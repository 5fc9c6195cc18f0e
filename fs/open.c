/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Opening and closing files (openat, close), chdir, and changing what an
 * inode says about itself: fchmod*, fchown* and umask, and fallocate(),
 * as in Linux's fs/open.c. Every caller is root, so owners are stored
 * and shown, never checked.
 */
#include <hartix/blkdev.h>
#include <hartix/chrdev.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <asm/page.h>

#include "internal.h"

/* Caller holds fs_lock; the file holds a reference to ino. */
const struct file_operations *inode_fops(struct inode *ino)
{
	if (ino->i_fop)
		return ino->i_fop;
	if (S_ISDIR(ino->i_mode))
		return &generic_dir_fops; /* /proc's */
#ifdef CONFIG_FIFO
	if (S_ISFIFO(ino->i_mode))
		return &fifo_fops;
#endif
	if (S_ISCHR(ino->i_mode))
		return chrdev_fops(ino->i_rdev);
#ifdef CONFIG_BLOCK
	if ((ino->i_mode & S_IFMT) == S_IFBLK)
		return &blkdev_fops; /* fs/block_dev.c; ENXIO at open without a device */
#endif
	return NULL;
}

SYSCALL_DEFINE4(openat, int, dirfd, const char *, upath, int, flags, u32, mode)
{
	struct file *f = kzalloc(sizeof(*f), __GFP_NOWARN);
	struct file *bf __free(fput) = NULL;
	struct inode *base, *ino = NULL, *parent = NULL;
	char name[NAME_MAX + 1];
	struct files *fs = cur_files();
	unsigned long irq;
	long ret;
	char *path = get_path(upath, &ret);
	int fd = -1, acc = flags & O_ACCMODE;
	bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	bool trunc = false, writing = false;

	if (!f || !path) {
		kfree(path);
		kfree(f);
		return f ? ret : -ENOMEM;
	}
	/* EMFILE before the lookup, as Linux; the slot is taken at the end. */
	ret = fd_alloc(fs, 0);
	if (ret >= 0)
		ret = base_file(dirfd, path, &bf);
	if (ret < 0)
		goto out_free;

	irq = fs_lock_irqsave();
	base = base_locked(bf);
	/* O_CREAT | O_EXCL never follows a last symlink: it exists. */
	ret = fs_lookup(base, path, !(flags & O_NOFOLLOW) && !excl, &ino,
			flags & O_CREAT ? &parent : NULL, name);
	if (ret == -ENOENT && parent) {
		if (path[strlen(path) - 1] == '/')
			ret = -EISDIR;
		else
			ret = fs_create(parent, name, strlen(name),
					S_IFREG | (mode & 07777 & ~fs->umask), 0,
					&ino);
	} else if (!ret) {
		ret = may_open_existing(ino, flags);
		if (!ret && !inode_fops(ino))
			ret = -ENXIO;
		/* As Linux: O_TRUNC truncates even with O_RDONLY. */
		trunc = S_ISREG(ino->i_mode) && (flags & O_TRUNC);
	}
	if (!ret) {
		inode_get(ino);
		if (acc != O_RDONLY)
			mnt_writer(ino, 1); /* remount read-only waits for none */
		f->inode = ino;
		f->ops = inode_fops(ino);
		file_set_path(f, base, path);
	}
	base = evfs_base(ret, bf);
	fs_unlock_irqrestore(irq);
	if (ret == -EVFS) {
		ret = vfs_open(base, path, flags, mode & 07777 & ~fs->umask, &ino, &trunc);
		irq = fs_lock_irqsave();
		if (!ret && !inode_fops(ino)) {
			ret = -ENXIO;
			trunc = false;
		}
		/* Again with the writers counted: a remount read-only may have begun. */
		if (!ret && acc != O_RDONLY && S_ISREG(ino->i_mode) && inode_rdonly(ino)) {
			ret = -EROFS;
			trunc = false;
		}
		if (!ret) {
			if (acc != O_RDONLY)
				mnt_writer(ino, 1);
			f->inode = ino;
			f->ops = inode_fops(ino);
		}
		fs_unlock_irqrestore(irq);
		if (ret && ino)
			fs_put_inode(ino);
		if (!ret)
			file_set_vfs_path(f, base, path);
		fs_put_inode(base);
	}
	if (ret)
		goto out_free;
	/* ETXTBSY for a running program; O_RDONLY | O_TRUNC writes it too, for a while. */
	if (acc != O_RDONLY || trunc) {
		ret = get_write_access(ino);
		writing = !ret;
	}
	if (!ret && trunc && is_vfs_inode(ino)) {
		ret = vfs_truncate(ino, 0);
	} else if (!ret && trunc) {
		inode_lock(ino);
		irq = fs_lock_irqsave();
		ramfs_truncate(ino, 0);
		fs_unlock_irqrestore(irq);
		mm_truncate_file(ino, 0);
		inode_unlock(ino);
	}
	if (writing && acc == O_RDONLY) {
		put_write_access(ino);
		writing = false;
	}
	f->refs = 1;
	f->flags = (unsigned int)flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	if (!ret && f->ops->open)
		ret = f->ops->open(f);
	if (ret) {
		if (writing)
			put_write_access(ino);
		irq = fs_lock_irqsave();
		file_clear_path(f);
		if (acc != O_RDONLY)
			mnt_writer(ino, -1);
		fs_unlock_irqrestore(irq);
		fs_put_inode(ino);
		goto out_free;
	}
	kfree(path);
	fd = fd_install(f, flags & O_CLOEXEC);
	if (fd < 0)
		fput(f); /* another thread took the last slot meanwhile */
	return fd;

out_free:
	kfree(path);
	kfree(f);
	return ret;
}

SYSCALL_DEFINE1(close, int, fd)
{
	return fd_close(fd);
}

SYSCALL_DEFINE1(chdir, const char *, upath)
{
	struct files *fs = cur_files();
	struct inode *ino, *old, *base;
	unsigned long irq;
	long ret;
	char *path = get_path(upath, &ret);

	if (!path)
		return ret;
	if (!fs) {
		kfree(path);
		return -ENOENT;
	}
	irq = fs_lock_irqsave();
	base = fs->cwd;
	inode_get(base);
	ret = fs_lookup(base, path, true, &ino, NULL, NULL);
	if (!ret)
		inode_get(ino);
	fs_unlock_irqrestore(irq);
	if (ret == -EVFS)
		ret = vfs_lookup_inode(base, path, VWALK_FOLLOW, &ino);
	fs_put_inode(base);
	kfree(path);
	if (ret)
		return ret;
	if (!S_ISDIR(ino->i_mode)) {
		fs_put_inode(ino);
		return -ENOTDIR;
	}
	irq = fs_lock_irqsave();
	old = fs->cwd;
	fs->cwd = ino;
	fs_unlock_irqrestore(irq);
	fs_put_inode(old);
	return 0;
}

#ifdef CONFIG_FILE_ATTRS
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
#endif /* CONFIG_FILE_ATTRS */
