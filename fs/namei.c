/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The system calls that change names in the RAM file system (unlinkat,
 * renameat2, linkat, symlinkat) or look at one (readlinkat, faccessat,
 * statfs), and truncate. Checks and errors come in the order of Linux's
 * fs/namei.c, so a call that is wrong in two ways fails as there.
 *
 * Each call looks everything up and changes the tree in one fs_lock
 * section: a concurrent rename or unlink is either wholly before or
 * wholly after it. Paths and results go through kernel buffers outside it.
 */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <asm/page.h>

#include "internal.h"

/* The last component of a path, as fs_lookup_parent() found it. */
struct last {
	struct inode *dir;
	const char *name;
	size_t len;
	bool slash; /* a trailing slash: only a directory may be meant */
};

enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

static int last_type(const struct last *l)
{
	if (!l->len)
		return LAST_ROOT;
	if (l->name[0] != '.' || l->len > 2)
		return LAST_NORM;
	if (l->len == 1)
		return LAST_DOT;
	return l->name[1] == '.' ? LAST_DOTDOT : LAST_NORM;
}

/* The user path copied in and its starting directory; kfree(*path) after. */
static long user_path(int dirfd, const char *upath, char **path,
		      struct inode **base)
{
	long ret;

	*path = get_path(upath, &ret);
	if (!*path)
		return ret;
	ret = base_dir(dirfd, *path, base);
	if (ret) {
		kfree(*path);
		*path = NULL;
	}
	return ret;
}

/* Caller holds fs_lock: path's parent and last component. */
static int lookup_last(struct inode *base, char *path, struct last *l)
{
	return fs_lookup_parent(base, path, &l->dir, &l->name, &l->len,
				&l->slash);
}

/* Is the directory a the directory d or above it? Caller holds fs_lock. */
static bool is_ancestor(struct inode *a, struct inode *d)
{
	for (;; d = d->parent) {
		if (d == a)
			return true;
		if (d == fs_root)
			return false;
	}
}

/*
 * Where a new name goes (mkdir excepted): Linux's filename_create().
 * Caller holds fs_lock.
 */
static int may_create(const struct last *l)
{
	if (last_type(l) != LAST_NORM)
		return -EEXIST;
	if (!l->dir->i_nlink)
		return -ENOENT; /* a removed directory */
	if (fs_dir_lookup(l->dir, l->name, l->len))
		return -EEXIST;
	if (l->dir->proc)
		return -ENOENT; /* /proc's lookup finds no new name */
	/* "foo/" asks for a directory that is not there */
	return l->slash ? -ENOENT : 0;
}

/* Caller holds fs_lock. */
static long do_unlink(const struct last *l, bool rmdir)
{
	struct inode *ino;

	switch (last_type(l)) {
	case LAST_NORM:
		break;
	case LAST_DOTDOT:
		return rmdir ? -ENOTEMPTY : -EISDIR;
	case LAST_DOT:
		return rmdir ? -EINVAL : -EISDIR;
	default:
		return rmdir ? -EBUSY : -EISDIR;
	}
	ino = fs_dir_lookup(l->dir, l->name, l->len);
	if (!ino)
		return -ENOENT;
	if (rmdir) {
		if (!S_ISDIR(ino->i_mode))
			return -ENOTDIR;
	} else if (S_ISDIR(ino->i_mode)) {
		return -EISDIR;
	} else if (l->slash) {
		return -ENOTDIR;
	}
	if (l->dir->proc)
		return -EPERM; /* /proc has no unlink or rmdir */
	if (ino->proc)
		return -EBUSY; /* /proc's mount point */
	if (rmdir && ino->children)
		return -ENOTEMPTY;
	ramfs_unlink(l->dir, fs_dir_find(l->dir, l->name, l->len));
	return 0;
}

SYSCALL_DEFINE3(unlinkat, int, dirfd, const char *, upath, int, flags)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct last l;
	unsigned long irq;
	char *path;
	long ret;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	ret = user_path(dirfd, upath, &path, &base);
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = lookup_last(base, path, &l);
	if (!ret)
		ret = do_unlink(&l, flags & AT_REMOVEDIR);
	fs_unlock_irqrestore(irq);
	kfree(path);
	return ret;
}

/* Caller holds fs_lock: renameat2 between two looked-up names. */
static long do_rename(const struct last *o, const struct last *n,
		      unsigned int flags)
{
	bool exchange = flags & RENAME_EXCHANGE;
	struct inode *src, *dst;

	/* /proc is another mount: Linux checks that first. */
	if (o->dir->proc != n->dir->proc)
		return -EXDEV;
	if (last_type(o) != LAST_NORM)
		return -EBUSY;
	if (last_type(n) != LAST_NORM)
		return flags & RENAME_NOREPLACE ? -EEXIST : -EBUSY;
	src = fs_dir_lookup(o->dir, o->name, o->len);
	if (!src)
		return -ENOENT;
	if (!n->dir->i_nlink)
		return -ENOENT;
	dst = fs_dir_lookup(n->dir, n->name, n->len);
	if ((exchange || n->dir->proc) && !dst)
		return -ENOENT;
	if ((flags & RENAME_NOREPLACE) && dst)
		return -EEXIST;
	if (exchange && !S_ISDIR(dst->i_mode) && n->slash)
		return -ENOTDIR;
	if (!S_ISDIR(src->i_mode) && (o->slash || (!exchange && n->slash)))
		return -ENOTDIR;
	/* A directory cannot move into itself or below. */
	if (o->dir != n->dir) {
		if (S_ISDIR(src->i_mode) && is_ancestor(src, n->dir))
			return -EINVAL;
		if (dst && S_ISDIR(dst->i_mode) && is_ancestor(dst, o->dir))
			return exchange ? -EINVAL : -ENOTEMPTY;
	}
	if (src == dst)
		return 0; /* the same name, or two links of one file */
	if (dst && !exchange) {
		if (S_ISDIR(src->i_mode) && !S_ISDIR(dst->i_mode))
			return -ENOTDIR;
		if (!S_ISDIR(src->i_mode) && S_ISDIR(dst->i_mode))
			return -EISDIR;
	}
	if (o->dir->proc)
		return -EPERM; /* /proc has no rename */
	if (src->proc || (dst && dst->proc))
		return -EBUSY; /* /proc's mount point */
	if (dst && !exchange && dst->children)
		return -ENOTEMPTY;
	return ramfs_rename(o->dir, fs_dir_find(o->dir, o->name, o->len),
			    n->dir, n->name, n->len,
			    dst ? fs_dir_find(n->dir, n->name, n->len) : NULL,
			    exchange);
}

SYSCALL_DEFINE5(renameat2, int, olddirfd, const char *, uold, int, newdirfd,
		const char *, unew, unsigned int, flags)
{
	struct inode *obase __free(fs_put_inode) = NULL;
	struct inode *nbase __free(fs_put_inode) = NULL;
	char *opath, *npath = NULL;
	struct last o, n;
	unsigned long irq;
	long ret;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) &&
	    (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL; /* no overlay file systems here to need one */
	ret = user_path(olddirfd, uold, &opath, &obase);
	if (!ret)
		ret = user_path(newdirfd, unew, &npath, &nbase);
	if (!ret) {
		irq = fs_lock_irqsave();
		ret = lookup_last(obase, opath, &o);
		if (!ret)
			ret = lookup_last(nbase, npath, &n);
		if (!ret)
			ret = do_rename(&o, &n, flags);
		fs_unlock_irqrestore(irq);
	}
	kfree(opath);
	kfree(npath);
	return ret;
}

SYSCALL_DEFINE5(linkat, int, olddirfd, const char *, uold, int, newdirfd,
		const char *, unew, int, flags)
{
	struct inode *obase __free(fs_put_inode) = NULL;
	struct inode *nbase __free(fs_put_inode) = NULL;
	struct inode *ino;
	char *opath, *npath = NULL;
	unsigned long irq;
	struct last n;
	long ret;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	opath = get_path(uold, &ret);
	if (!opath)
		return ret;
	if (!opath[0] && (flags & AT_EMPTY_PATH) && olddirfd != AT_FDCWD) {
		/* olddirfd's own inode, which may have no name left */
		struct file *f __free(fput) = fget(olddirfd);

		ret = f ? 0 : -EBADF;
		if (f) {
			obase = f->inode;
			fs_hold_inode(obase);
		}
	} else if (!opath[0] && !(flags & AT_EMPTY_PATH)) {
		ret = -ENOENT;
	} else {
		ret = base_dir(olddirfd, opath[0] ? opath : ".", &obase);
	}
	if (!ret)
		ret = user_path(newdirfd, unew, &npath, &nbase);
	if (!ret) {
		irq = fs_lock_irqsave();
		ino = obase; /* the AT_EMPTY_PATH case */
		if (opath[0] || !(flags & AT_EMPTY_PATH))
			ret = fs_lookup(obase, opath, flags & AT_SYMLINK_FOLLOW,
					&ino, NULL, NULL);
		if (!ret)
			ret = lookup_last(nbase, npath, &n);
		if (!ret)
			ret = may_create(&n);
		if (!ret && ino->proc != n.dir->proc)
			ret = -EXDEV;
		if (!ret && S_ISDIR(ino->i_mode))
			ret = -EPERM;
		if (!ret && !ino->i_nlink)
			ret = -ENOENT;
		if (!ret)
			ret = ramfs_link(n.dir, n.name, n.len, ino);
		fs_unlock_irqrestore(irq);
	}
	kfree(opath);
	kfree(npath);
	return ret;
}

SYSCALL_DEFINE3(symlinkat, const char *, utarget, int, newdirfd,
		const char *, unew)
{
	struct inode *nbase __free(fs_put_inode) = NULL;
	char *target, *npath;
	unsigned long irq;
	struct last n;
	long ret;

	target = get_path(utarget, &ret);
	if (!target)
		return ret;
	if (!target[0]) {
		kfree(target);
		return -ENOENT;
	}
	ret = user_path(newdirfd, unew, &npath, &nbase);
	if (!ret) {
		irq = fs_lock_irqsave();
		ret = lookup_last(nbase, npath, &n);
		if (!ret)
			ret = may_create(&n);
		if (!ret)
			ret = ramfs_symlink(n.dir, n.name, n.len, target);
		fs_unlock_irqrestore(irq);
		kfree(npath);
	}
	kfree(target);
	return ret;
}

/*
 * Linux's do_mknodat(). Everyone is root (CAP_MKNOD), so any node can be
 * made: a character device opens if the kernel has a driver for its
 * number (/dev/null, zero, random, urandom, tty, console: fs/file.c),
 * else, like a block device or a socket, it fails to open with ENXIO.
 */
SYSCALL_DEFINE4(mknodat, int, dirfd, const char *, upath, u32, mode, u32, dev)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct inode *ino;
	unsigned long irq;
	struct last n;
	char *path;
	long ret;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	if (!IS_ENABLED(CONFIG_FIFO) && S_ISFIFO(mode))
		return -EPERM; /* no FIFOs in this kernel */
	ret = user_path(dirfd, upath, &path, &base);
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = lookup_last(base, path, &n);
	if (!ret)
		ret = may_create(&n);
	if (!ret)
		ret = fs_create(n.dir, n.name, n.len,
				(mode & S_IFMT) |
				(mode & 07777 & ~current_task()->files->umask),
				(mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == S_IFBLK ? dev : 0, &ino);
	fs_unlock_irqrestore(irq);
	kfree(path);
	return ret;
}

SYSCALL_DEFINE4(readlinkat, int, dirfd, const char *, upath, char *, ubuf,
		int, bufsiz)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct inode *ino;
	unsigned long irq;
	char *path;
	long ret;

	if (bufsiz <= 0)
		return -EINVAL;
	ret = user_path(dirfd, upath, &path, &base);
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = fs_lookup(base, path, false, &ino, NULL, NULL);
	if (!ret && !S_ISLNK(ino->i_mode))
		ret = -EINVAL;
	if (!ret) {
		/* Targets are shorter than PATH_MAX, the size of path. */
		ret = (long)min(min((size_t)bufsiz, (size_t)ino->i_size),
				(size_t)PATH_MAX);
		memcpy(path, ino->target, (size_t)ret);
	}
	fs_unlock_irqrestore(irq);
	if (ret > 0 && copy_to_user(ubuf, path, (size_t)ret))
		ret = -EFAULT;
	kfree(path);
	return ret;
}

/* Sets a regular file's size; the caller holds a reference to ino. */
static long truncate_inode(struct inode *ino, long length)
{
	unsigned long irq;
	long ret;

	inode_lock(ino);
	irq = fs_lock_irqsave();
	ret = ramfs_truncate(ino, (u64)length);
	fs_unlock_irqrestore(irq);
	if (!ret)
		mm_truncate_file(ino, (u64)length);
	inode_unlock(ino);
	return ret;
}

SYSCALL_DEFINE2(ftruncate, int, fd, long, length)
{
	struct file *f __free(fput) = fget(fd);

	if (length < 0)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (!S_ISREG(f->inode->i_mode) || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return truncate_inode(f->inode, length);
}

SYSCALL_DEFINE2(truncate, const char *, upath, long, length)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct inode *ino;
	unsigned long irq;
	char *path;
	long ret;

	if (length < 0)
		return -EINVAL;
	ret = user_path(AT_FDCWD, upath, &path, &base);
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = fs_lookup(base, path, true, &ino, NULL, NULL);
	if (!ret && S_ISDIR(ino->i_mode))
		ret = -EISDIR;
	else if (!ret && !S_ISREG(ino->i_mode))
		ret = -EINVAL;
	if (!ret)
		inode_get(ino);
	fs_unlock_irqrestore(irq);
	kfree(path);
	if (ret)
		return ret;
	ret = truncate_inode(ino, length);
	irq = fs_lock_irqsave();
	inode_put(ino);
	fs_unlock_irqrestore(irq);
	return ret;
}

/* Every caller is root: only X_OK can fail, on a file nobody may execute. */
SYSCALL_DEFINE3(faccessat, int, dirfd, const char *, upath, int, mode)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct inode *ino;
	unsigned long irq;
	char *path;
	long ret;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	ret = user_path(dirfd, upath, &path, &base);
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = fs_lookup(base, path, true, &ino, NULL, NULL);
	if (!ret && (mode & X_OK) && !S_ISDIR(ino->i_mode) && !(ino->i_mode & 0111))
		ret = -EACCES;
	fs_unlock_irqrestore(irq);
	kfree(path);
	return ret;
}

#define TMPFS_MAGIC 0x01021994
#define ST_VALID 0x0020

BUILD_BUG_ON(sizeof(struct kstatfs) != 120);

#define PROC_SUPER_MAGIC 0x9fa0
#define ST_RELATIME 0x1000

/*
 * The RAM file system: its size is the data page budget. /proc (proc
 * true): no blocks at all, as Linux's, so df leaves it out.
 */
static long put_statfs(void *ubuf, bool proc)
{
	struct kstatfs st = {
		.f_type = proc ? PROC_SUPER_MAGIC : TMPFS_MAGIC,
		.f_bsize = PAGE_SIZE, .f_namelen = NAME_MAX,
		.f_frsize = PAGE_SIZE,
		.f_flags = ST_VALID | (proc ? ST_RELATIME : 0),
	};
	unsigned long used, max;

	fs_data_pages(&used, &max);
	if (!proc) {
		st.f_blocks = max;
		st.f_bfree = st.f_bavail = max > used ? max - used : 0;
	}
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, const char *, upath, void *, ubuf)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct inode *ino;
	unsigned long irq;
	char *path;
	long ret;
	bool proc;

	ret = user_path(AT_FDCWD, upath, &path, &base);
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = fs_lookup(base, path, true, &ino, NULL, NULL);
	proc = !ret && ino->proc;
	fs_unlock_irqrestore(irq);
	kfree(path);
	return ret ? ret : put_statfs(ubuf, proc);
}

SYSCALL_DEFINE2(fstatfs, int, fd, void *, ubuf)
{
	struct file *f __free(fput) = fget(fd);

	return f ? put_statfs(ubuf, f->inode->proc) : -EBADF;
}
