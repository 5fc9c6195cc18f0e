/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The inode a path names (path_inode(), path_fill(): here, so stat's
 * fill is a direct call), fstat and newfstatat; with CONFIG_FILE_ATTRS
 * statx() and finding the inode a *at() call names (AT_EMPTY_PATH,
 * AT_SYMLINK_NOFOLLOW).
 */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <asm/page.h>

#include "internal.h"

/*
 * path_inode() and path_fill(): fill (not NULL) on the inode, or a
 * reference to it in *res. The base needs no reference of its own: the
 * walks read the cwd under fs_lock (chdir changes it under it), and f
 * holds dirfd's. The RAM walk first: a RAM path is one fs_lock section,
 * fill included. A path that meets a VFS inode is walked again by
 * vfs_walk(): walking it once (vfs_walk() alone) made a disk stat cheaper
 * but a RAM one dearer (Documentation/filesystems.rst, stage (b)).
 */
static long path_at(int dirfd, const char *path, bool follow,
		    void (*fill)(struct inode *ino, void *arg), void *arg,
		    struct inode **res)
{
	struct file *f __free(fput) = NULL;
	int flags = follow ? VWALK_FOLLOW : 0;
	struct inode *ino;
	unsigned long irq;
	long ret = base_file(dirfd, path, &f);

	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = fs_lookup(base_locked(f), path, follow, &ino, NULL, NULL);
	if (!ret && fill)
		fill(ino, arg);
	else if (!ret)
		inode_get(ino);
	fs_unlock_irqrestore(irq);
	if (ret == -EVFS) {
		if (!f)
			flags |= VWALK_CWD;
		if (fill)
			return vfs_walk_fill(f ? f->inode : NULL, path, flags, fill, arg);
		return vfs_lookup_inode(f ? f->inode : NULL, path, flags, res);
	}
	if (!ret && !fill)
		*res = ino;
	return ret;
}

long path_inode(int dirfd, const char *path, bool follow, struct inode **res)
{
	return path_at(dirfd, path, follow, NULL, NULL, res);
}

long path_fill(int dirfd, const char *path, bool follow,
	       void (*fill)(struct inode *ino, void *arg), void *arg)
{
	return path_at(dirfd, path, follow, fill, arg, NULL);
}

/* The riscv64 struct stat (asm-generic/stat.h): 128 bytes. */
struct kstat {
	u64 st_dev, st_ino;
	u32 st_mode, st_nlink, st_uid, st_gid;
	u64 st_rdev, __pad1;
	s64 st_size;
	s32 st_blksize, __pad2;
	s64 st_blocks;
	s64 st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime,
		st_ctime_nsec;
	u32 __unused4, __unused5;
};

BUILD_BUG_ON(sizeof(struct kstat) != 128);

/* Caller holds fs_lock for a RAM file system inode (path_fill()). */
static void fill_stat(struct inode *ino, void *arg)
{
	struct kstat *st = arg;

	memset(st, 0, sizeof(*st));
	st->st_dev = inode_dev(ino);
	st->st_ino = ino->i_ino;
	st->st_mode = ino->i_mode;
	st->st_nlink = ino->i_nlink;
	st->st_uid = ino->i_uid;
	st->st_gid = ino->i_gid;
	st->st_rdev = ino->i_rdev;
	st->st_size = (s64)ino->i_size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (s64)ino->i_blocks;
	if (is_vfs_inode(ino))
		st->st_blksize = ino->i_sb->s_blocksize;
	st->st_atime = ino->i_atime.tv_sec;
	st->st_atime_nsec = ino->i_atime.tv_nsec;
	st->st_mtime = ino->i_mtime.tv_sec;
	st->st_mtime_nsec = ino->i_mtime.tv_nsec;
	st->st_ctime = ino->i_ctime.tv_sec;
	st->st_ctime_nsec = ino->i_ctime.tv_nsec;
}

static long file_fstat(int fd, void *ustat)
{
	struct file *f __free(fput) = fget(fd);
	struct kstat st;
	unsigned long irq;

	if (!f)
		return -EBADF;
	irq = fs_lock_irqsave();
	fill_stat(f->inode, &st);
	fs_unlock_irqrestore(irq);
	return copy_to_user(ustat, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(fstat, int, fd, void *, ustat)
{
	return file_fstat(fd, ustat);
}

SYSCALL_DEFINE4(newfstatat, int, dirfd, const char *, upath, void *, ustat,
		int, flags)
{
	char buf[PATH_BUF_SHORT];
	struct kstat st;
	long ret;
	char *path;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	path = get_path_short(upath, buf, &ret);
	if (!path)
		return ret;
	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		put_path(path, buf);
		return dirfd == AT_FDCWD ? -EBADF /* not reached in Linux */ :
					   file_fstat(dirfd, ustat);
	}
	ret = path_fill(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), fill_stat, &st);
	put_path(path, buf);
	if (ret)
		return ret;
	return copy_to_user(ustat, &st, sizeof(st)) ? -EFAULT : 0;
}

#ifdef CONFIG_FILE_ATTRS
long at_inode(int dirfd, const char *upath, int flags, struct inode **res)
{
	unsigned long irq;
	long ret = 0;
	char *path = NULL;

	if (upath) {
		path = get_path(upath, &ret);
		if (!path)
			return ret;
	}
	if ((!path || !path[0]) && (flags & AT_EMPTY_PATH)) {
		/* dirfd's own inode (the cwd's for AT_FDCWD), as Linux */
		struct file *f __free(fput) =
			dirfd == AT_FDCWD ? NULL : fget(dirfd);

		kfree(path);
		if (dirfd != AT_FDCWD && !f)
			return -EBADF;
		if (!current_task()->files)
			return -ENOENT;
		irq = fs_lock_irqsave();
		*res = f ? f->inode : current_task()->files->cwd;
		inode_get(*res);
		fs_unlock_irqrestore(irq);
		return 0;
	}
	if (!path)
		return -EFAULT;
	ret = path_inode(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), res);
	kfree(path);
	return ret;
}

struct statx_timestamp {
	s64 tv_sec;
	u32 tv_nsec;
	s32 __reserved;
};

/* Linux's struct statx (include/uapi/linux/stat.h): 256 bytes. */
struct statx {
	u32 stx_mask, stx_blksize;
	u64 stx_attributes;
	u32 stx_nlink, stx_uid, stx_gid;
	u16 stx_mode, __spare0;
	u64 stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	u32 stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	u64 stx_mnt_id;
	u32 stx_dio_mem_align, stx_dio_offset_align;
	u64 __spare3[12];
};

BUILD_BUG_ON(sizeof(struct statx) != 256);

#define STATX_BASIC_STATS	0x7ffU
#define STATX_MNT_ID		0x1000U
#define STATX__RESERVED		0x80000000U
#define AT_NO_AUTOMOUNT		0x800
#define AT_STATX_SYNC_TYPE	0x6000

static struct statx_timestamp stx_time(const struct timespec *ts)
{
	return (struct statx_timestamp){ ts->tv_sec, (u32)ts->tv_nsec, 0 };
}

/* Caller holds fs_lock for a RAM file system inode (path_fill()). */
static void fill_statx(struct inode *ino, void *arg)
{
	struct statx *st = arg;

	memset(st, 0, sizeof(*st));
	st->stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	st->stx_blksize = PAGE_SIZE;
	st->stx_nlink = ino->i_nlink;
	st->stx_uid = ino->i_uid;
	st->stx_gid = ino->i_gid;
	st->stx_mode = (u16)ino->i_mode;
	st->stx_ino = ino->i_ino;
	st->stx_size = ino->i_size;
	st->stx_blocks = ino->i_blocks;
	if (is_vfs_inode(ino))
		st->stx_blksize = ino->i_sb->s_blocksize;
	st->stx_atime = stx_time(&ino->i_atime);
	st->stx_mtime = stx_time(&ino->i_mtime);
	st->stx_ctime = stx_time(&ino->i_ctime);
	/* Linux's new_decode_dev(): rdev as mknod stored it */
	st->stx_rdev_major = (ino->i_rdev & 0xfff00) >> 8;
	st->stx_rdev_minor = (ino->i_rdev & 0xff) | ((ino->i_rdev >> 12) & 0xfff00);
	/* st_dev's 8:8 encoding (inode_dev()) */
	st->stx_dev_major = inode_dev(ino) >> 8;
	st->stx_dev_minor = inode_dev(ino) & 0xff;
	/* 1 the root, 2 /proc, then one per mounted instance */
	st->stx_mnt_id = ino->proc ? 2 : ino->i_sb && ino->i_sb != &root_sb ? 1 + inode_dev(ino) : 1;
}

/*
 * Everything there is, whatever was asked (Linux may return more than
 * the mask asks for); no birth time is kept, so STATX_BTIME is not set.
 * The AT_STATX_* sync flags change nothing: there is no remote file
 * system here to ask.
 */
SYSCALL_DEFINE5(statx, int, dirfd, const char *, upath, int, flags,
		unsigned int, mask, void *, ubuf)
{
	char buf[PATH_BUF_SHORT];
	struct statx st;
	struct inode *ino;
	unsigned long irq;
	char *path = NULL;
	long ret;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	if (upath) {
		path = get_path_short(upath, buf, &ret);
		if (!path)
			return ret;
	}
	if (!path || (!path[0] && (flags & AT_EMPTY_PATH))) {
		/* No path, or dirfd's own inode: at_inode() knows how. */
		put_path(path, buf);
		ret = at_inode(dirfd, upath, flags, &ino);
		if (ret)
			return ret;
		irq = fs_lock_irqsave();
		fill_statx(ino, &st);
		fs_unlock_irqrestore(irq);
		fs_put_inode(ino);
	} else {
		ret = path_fill(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), fill_statx, &st);
		put_path(path, buf);
		if (ret)
			return ret;
	}
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}
#endif /* CONFIG_FILE_ATTRS */
