/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Paths from user space (get_path(), the base of a *at() call), open(2)'s
 * checks and mkdirat; with CONFIG_TMPFS the
 * system calls that change names in the RAM file system (unlinkat,
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
#include <hartix/init.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <asm/page.h>

#include "internal.h"

/* ---------------------------------------------------------------------- */
/* Paths from user space */

/*
 * Path buffers, as Linux's names_cache: PATH_MAX is past kmalloc's
 * caches, and the page allocator's round trip cost a path call more
 * than its walk. kfree() returns them (it finds the cache).
 */
static struct kmem_cache *names_cache;

static void names_cache_init(void)
{
	names_cache = kmem_cache_create("names_cache", PATH_MAX, 8);
	if (!names_cache)
		panic("fs: no memory for the path buffer cache");
}
late_initcall(names_cache_init);

char *get_path(const char *upath, long *err)
{
	char *path = kmem_cache_alloc(names_cache, __GFP_NOWARN);
	long len;

	if (!path) {
		*err = -ENOMEM;
		return NULL;
	}
	len = strncpy_from_user(path, upath, PATH_MAX);
	if (len < 0 || len >= PATH_MAX) {
		*err = len < 0 ? len : -ENAMETOOLONG;
		kfree(path);
		return NULL;
	}
	*err = 0;
	return path;
}

char *get_path_short(const char *upath, char *buf, long *err)
{
	long len = strncpy_from_user(buf, upath, PATH_BUF_SHORT);

	if (len < 0) {
		*err = len;
		return NULL;
	}
	if (len < PATH_BUF_SHORT) {
		*err = 0;
		return buf;
	}
	return get_path(upath, err);
}

long base_file(int dirfd, const char *path, struct file **f)
{
	*f = NULL;
	if (!cur_files())
		return -EBADF;
	if (!path[0])
		return -ENOENT; /* before dirfd is looked at, as Linux */
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		*f = fget(dirfd);
		if (!*f)
			return -EBADF;
		if (!S_ISDIR((*f)->inode->i_mode)) {
			fput(*f);
			*f = NULL;
			return -ENOTDIR;
		}
	}
	return 0;
}

long base_dir(int dirfd, const char *path, struct inode **base)
{
	struct file *f __free(fput) = NULL;
	unsigned long irq;
	long ret = base_file(dirfd, path, &f);

	if (ret)
		return ret;
	/* A reference: another thread may close dirfd or chdir meanwhile. */
	irq = fs_lock_irqsave();
	*base = f ? f->inode : cur_files()->cwd;
	inode_get(*base);
	fs_unlock_irqrestore(irq);
	return 0;
}

/*
 * Linux's may_open() for a name that exists (RAM or VFS inode): whether
 * open(2) with flags may open ino.
 */
int may_open_existing(const struct inode *ino, unsigned int flags)
{
	int acc = flags & O_ACCMODE;

	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (S_ISLNK(ino->i_mode))
		return -ELOOP; /* O_NOFOLLOW */
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->i_mode))
		return -ENOTDIR;
	if (S_ISDIR(ino->i_mode) && (acc != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
		return -EISDIR;
	if (S_ISREG(ino->i_mode) && inode_rdonly(ino) && (acc != O_RDONLY || (flags & O_TRUNC)))
		return -EROFS;
	return 0;
}

SYSCALL_DEFINE3(mkdirat, int, dirfd, const char *, upath, u32, mode)
{
	struct file *bf __free(fput) = NULL;
	struct inode *base, *ino, *parent = NULL;
	char name[NAME_MAX + 1];
	unsigned long irq;
	long ret;
	char *path = get_path(upath, &ret);

	if (!path)
		return ret;
	ret = base_file(dirfd, path, &bf);
	if (!ret) {
		irq = fs_lock_irqsave();
		ret = fs_lookup(base_locked(bf), path, false, &ino, &parent, name);
		if (!ret)
			ret = -EEXIST;
		else if (ret == -ENOENT && parent && !parent->proc)
			/* Linux: mkdir in /proc finds no name, ENOENT. */
			ret = fs_create(parent, name, strlen(name),
					S_IFDIR | (mode & 01777 & ~cur_files()->umask), 0,
					&ino);
		base = evfs_base(ret, bf);
		fs_unlock_irqrestore(irq);
		if (base) {
			ret = vfs_mkdir(base, path, mode & 01777 & ~cur_files()->umask);
			fs_put_inode(base);
		}
	}
	kfree(path);
	return ret;
}

#ifdef CONFIG_TMPFS
/* The last component of a path, as fs_lookup_parent() found it. */
struct last {
	struct inode *dir;
	const char *name;
	size_t len;
	bool slash; /* a trailing slash: only a directory may be meant */
};

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

/*
 * The user path copied in and dirfd's file for base_locked() (NULL: the
 * cwd); kfree(*path) and fput(*f) after.
 */
static long user_path(int dirfd, const char *upath, char **path,
		      struct file **f)
{
	long ret;

	*path = get_path(upath, &ret);
	if (!*path)
		return ret;
	ret = base_file(dirfd, *path, f);
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
		if (d == fs_root || !d->parent)
			return false; /* the top of the tree or of a mounted instance */
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
	if (l->slash)
		return -ENOENT;
	return inode_rdonly(l->dir) ? -EROFS : 0;
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
	if (inode_rdonly(l->dir))
		return -EROFS;
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
	if (ino->proc || ino->i_mounted)
		return -EBUSY; /* a mount point */
	if (rmdir && RAMFS_I(ino)->children)
		return -ENOTEMPTY;
	ramfs_unlink(l->dir, fs_dir_find(l->dir, l->name, l->len));
	return 0;
}

SYSCALL_DEFINE3(unlinkat, int, dirfd, const char *, upath, int, flags)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct file *bf __free(fput) = NULL;
	struct last l;
	unsigned long irq;
	char *path;
	long ret;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	ret = user_path(dirfd, upath, &path, &bf);
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = lookup_last(base_locked(bf), path, &l);
	if (!ret)
		ret = do_unlink(&l, flags & AT_REMOVEDIR);
	base = evfs_base(ret, bf);
	fs_unlock_irqrestore(irq);
	if (ret == -EVFS)
		ret = vfs_unlink(base, path, flags & AT_REMOVEDIR);
	kfree(path);
	return ret;
}

/* Caller holds fs_lock: renameat2 between two looked-up names. */
static long do_rename(const struct last *o, const struct last *n,
		      unsigned int flags)
{
	bool exchange = flags & RENAME_EXCHANGE;
	struct inode *src, *dst;

	/* /proc and mounts are other instances: Linux checks that first. */
	if (o->dir->proc != n->dir->proc || o->dir->i_sb != n->dir->i_sb)
		return -EXDEV;
	if (last_type(o) != LAST_NORM)
		return -EBUSY;
	if (last_type(n) != LAST_NORM)
		return flags & RENAME_NOREPLACE ? -EEXIST : -EBUSY;
	if (inode_rdonly(o->dir))
		return -EROFS;
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
	if (src->proc || (dst && dst->proc) || src->i_mounted ||
	    (dst && dst->i_mounted))
		return -EBUSY; /* a mount point */
	if (dst && !exchange && RAMFS_I(dst)->children)
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
	struct file *obf __free(fput) = NULL;
	struct file *nbf __free(fput) = NULL;
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
	ret = user_path(olddirfd, uold, &opath, &obf);
	if (!ret)
		ret = user_path(newdirfd, unew, &npath, &nbf);
	if (!ret) {
		irq = fs_lock_irqsave();
		ret = lookup_last(base_locked(obf), opath, &o);
		if (!ret)
			ret = lookup_last(base_locked(nbf), npath, &n);
		if (!ret)
			ret = do_rename(&o, &n, flags);
		obase = evfs_base(ret, obf);
		nbase = evfs_base(ret, nbf);
		fs_unlock_irqrestore(irq);
		if (ret == -EVFS)
			ret = vfs_rename(obase, opath, nbase, npath, flags);
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
	struct file *obf __free(fput) = NULL;
	struct file *nbf __free(fput) = NULL;
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
		obf = fget(olddirfd);
		ret = obf ? 0 : -EBADF;
	} else if (!opath[0] && !(flags & AT_EMPTY_PATH)) {
		ret = -ENOENT;
	} else {
		ret = base_file(olddirfd, opath[0] ? opath : ".", &obf);
	}
	if (!ret)
		ret = user_path(newdirfd, unew, &npath, &nbf);
	if (!ret) {
		irq = fs_lock_irqsave();
		ino = base_locked(obf); /* the AT_EMPTY_PATH case */
		if (opath[0] || !(flags & AT_EMPTY_PATH))
			ret = fs_lookup(ino, opath, flags & AT_SYMLINK_FOLLOW,
					&ino, NULL, NULL);
		if (!ret)
			ret = lookup_last(base_locked(nbf), npath, &n);
		if (!ret)
			ret = may_create(&n);
		if (!ret && (ino->proc != n.dir->proc || ino->i_sb != n.dir->i_sb))
			ret = -EXDEV;
		if (!ret && S_ISDIR(ino->i_mode))
			ret = -EPERM;
		if (!ret && !ino->i_nlink)
			ret = -ENOENT;
		if (!ret)
			ret = ramfs_link(n.dir, n.name, n.len, ino);
		obase = evfs_base(ret, obf);
		nbase = evfs_base(ret, nbf);
		fs_unlock_irqrestore(irq);
		/* An fd's own inode (AT_EMPTY_PATH) linked across: EXDEV. */
		if (ret == -EVFS)
			ret = opath[0] || !(flags & AT_EMPTY_PATH) ?
			      vfs_link(obase, opath, flags & AT_SYMLINK_FOLLOW, nbase, npath) :
			      -EXDEV;
	}
	kfree(opath);
	kfree(npath);
	return ret;
}

SYSCALL_DEFINE3(symlinkat, const char *, utarget, int, newdirfd,
		const char *, unew)
{
	struct inode *nbase __free(fs_put_inode) = NULL;
	struct file *nbf __free(fput) = NULL;
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
	ret = user_path(newdirfd, unew, &npath, &nbf);
	if (!ret) {
		irq = fs_lock_irqsave();
		ret = lookup_last(base_locked(nbf), npath, &n);
		if (!ret)
			ret = may_create(&n);
		if (!ret)
			ret = ramfs_symlink(n.dir, n.name, n.len, target);
		nbase = evfs_base(ret, nbf);
		fs_unlock_irqrestore(irq);
		if (ret == -EVFS)
			ret = vfs_symlink(target, nbase, npath);
		kfree(npath);
	}
	kfree(target);
	return ret;
}

/*
 * Linux's do_mknodat(). Everyone is root (CAP_MKNOD), so any node can be
 * made: a character device opens if the kernel has a driver for its
 * number (/dev/null, zero, random, urandom, tty, console: fs/char_dev.c),
 * else, like a block device or a socket, it fails to open with ENXIO.
 */
SYSCALL_DEFINE4(mknodat, int, dirfd, const char *, upath, u32, mode, u32, dev)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct file *bf __free(fput) = NULL;
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
	ret = user_path(dirfd, upath, &path, &bf);
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = lookup_last(base_locked(bf), path, &n);
	if (!ret)
		ret = may_create(&n);
	if (!ret)
		ret = fs_create(n.dir, n.name, n.len,
				(mode & S_IFMT) |
				(mode & 07777 & ~current_task()->files->umask),
				(mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == S_IFBLK ? dev : 0, &ino);
	base = evfs_base(ret, bf);
	fs_unlock_irqrestore(irq);
	if (ret == -EVFS)
		ret = vfs_mknod(base, path, (mode & S_IFMT) |
				(mode & 07777 & ~current_task()->files->umask),
				(mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == S_IFBLK ? dev : 0);
	kfree(path);
	return ret;
}

SYSCALL_DEFINE4(readlinkat, int, dirfd, const char *, upath, char *, ubuf,
		int, bufsiz)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct file *bf __free(fput) = NULL;
	struct inode *ino;
	unsigned long irq;
	char *path;
	long ret;

	if (bufsiz <= 0)
		return -EINVAL;
	ret = user_path(dirfd, upath, &path, &bf);
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	ret = fs_lookup(base_locked(bf), path, false, &ino, NULL, NULL);
	if (!ret && !S_ISLNK(ino->i_mode))
		ret = -EINVAL;
	if (!ret) {
		/* Targets are shorter than PATH_MAX, the size of path. */
		ret = (long)min(min((size_t)bufsiz, (size_t)ino->i_size),
				(size_t)PATH_MAX);
		memcpy(path, ino->target, (size_t)ret);
	}
	base = evfs_base(ret, bf);
	fs_unlock_irqrestore(irq);
	if (ret == -EVFS) {
		char *buf = kmalloc(PATH_MAX, __GFP_NOWARN);

		ret = buf ? vfs_readlink(base, path, buf) : -ENOMEM;
		if (ret > 0) {
			ret = min(ret, (long)bufsiz);
			memcpy(path, buf, (size_t)ret);
		}
		kfree(buf);
	}
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

	if (is_vfs_inode(ino))
		return vfs_truncate(ino, (u64)length);
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
	struct inode *ino;
	char *path;
	long ret;

	if (length < 0)
		return -EINVAL;
	path = get_path(upath, &ret);
	if (!path)
		return ret;
	ret = path_inode(AT_FDCWD, path, true, &ino);
	kfree(path);
	if (ret)
		return ret;
	if (S_ISDIR(ino->i_mode))
		ret = -EISDIR;
	else if (!S_ISREG(ino->i_mode))
		ret = -EINVAL;
	else if (inode_rdonly(ino))
		ret = -EROFS;
	else
		ret = get_write_access(ino); /* ETXTBSY: a program running */
	if (!ret) {
		ret = truncate_inode(ino, length);
		put_write_access(ino);
	}
	fs_put_inode(ino);
	return ret;
}

/* Every caller is root: only X_OK can fail, on a file nobody may execute. */
SYSCALL_DEFINE3(faccessat, int, dirfd, const char *, upath, int, mode)
{
	struct inode *ino;
	char *path;
	long ret;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	path = get_path(upath, &ret);
	if (!path)
		return ret;
	ret = path_inode(dirfd, path, true, &ino);
	kfree(path);
	if (ret)
		return ret;
	if ((mode & X_OK) && !S_ISDIR(ino->i_mode) && !(ino->i_mode & 0111))
		ret = -EACCES;
	else if ((mode & W_OK) && inode_rdonly(ino) &&
		 (S_ISREG(ino->i_mode) || S_ISDIR(ino->i_mode) || S_ISLNK(ino->i_mode)))
		ret = -EROFS;
	fs_put_inode(ino);
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
#define ST_RDONLY 0x0001

/* ino's file system, as statfs() shows it; the caller holds a reference to ino. */
static long put_statfs(void *ubuf, struct inode *ino)
{
	bool proc = ino->proc, rdonly = inode_rdonly(ino);
	struct kstatfs st = {
		.f_type = proc ? PROC_SUPER_MAGIC : TMPFS_MAGIC,
		.f_bsize = PAGE_SIZE, .f_namelen = NAME_MAX,
		.f_frsize = PAGE_SIZE,
		.f_flags = ST_VALID | (proc ? ST_RELATIME : 0) |
			   (rdonly ? ST_RDONLY : 0),
	};
	unsigned long used, max;

	if (is_vfs_inode(ino)) {
		struct super_block *sb = ino->i_sb;
		long ret;

		memset(&st, 0, sizeof(st));
		ret = sb->s_op && sb->s_op->statfs ? sb->s_op->statfs(sb, &st) : -ENOSYS;
		if (ret)
			return ret;
		st.f_flags |= ST_VALID | (rdonly ? ST_RDONLY : 0);
		st.f_fsid[0] = (int)sb->s_dev;
	} else if (!proc) {
		fs_data_pages(&used, &max);
		st.f_blocks = max;
		st.f_bfree = st.f_bavail = max > used ? max - used : 0;
	}
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, const char *, upath, void *, ubuf)
{
	struct inode *ino;
	char *path;
	long ret;

	path = get_path(upath, &ret);
	if (!path)
		return ret;
	ret = path_inode(AT_FDCWD, path, true, &ino);
	kfree(path);
	if (ret)
		return ret;
	ret = put_statfs(ubuf, ino);
	fs_put_inode(ino);
	return ret;
}

SYSCALL_DEFINE2(fstatfs, int, fd, void *, ubuf)
{
	struct file *f __free(fput) = fget(fd);

	if (!f)
		return -EBADF;
	return put_statfs(ubuf, f->inode);
}
#endif /* CONFIG_TMPFS */
