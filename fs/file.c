/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Open files, per-task descriptor tables and the file system calls.
 *
 * A struct file is shared by every descriptor that dup() or fork() made
 * from the same open (Linux semantics: one offset); its refs count them
 * atomically. A descriptor table's slots change under its lock (threads
 * share it with CLONE_FILES). Inodes, data and f_pos are under
 * fs_lock (internal.h); user memory is only touched with it released,
 * through a kernel bounce buffer.
 */
#include <hartix/blkdev.h>
#include <hartix/chrdev.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/init.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/preempt.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/tty.h>
#include <hartix/uaccess.h>
#include <asm/page.h>
#include <abi/dirent.h>
#include <abi/ioctls.h>
#include <abi/mman.h>

#include "internal.h"

/* Directories of the RAM file system and /proc: getdents, never read(). */
static long dir_read(struct file *f, char *ubuf, size_t n)
{
	return -EISDIR;
}

const struct file_operations generic_dir_fops = {
	.read = dir_read, .seekable = true,
};

/* ---------------------------------------------------------------------- */
/* struct file and descriptor tables */

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

void fput(struct file *f)
{
	unsigned long flags;
	bool vfs;

	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL))
		return;
	locks_remove_file(f);
	if (f->ops->release)
		f->ops->release(f);
	vfs = is_vfs_inode(f->inode);
	flags = fs_lock_irqsave();
	file_clear_path(f);
	if ((f->flags & O_ACCMODE) != O_RDONLY) {
		mnt_writer(f->inode, -1);
		put_write_access(f->inode);
	}
	if (!vfs)
		inode_put(f->inode);
	fs_unlock_irqrestore(flags);
	if (vfs)
		fs_put_inode(f->inode); /* the last may write it back: no fs_lock */
	kfree(f);
}

/* Caller holds fs_lock; the file holds a reference to ino. */
static const struct file_operations *inode_fops(struct inode *ino)
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

struct files *cur_files(void)
{
	return current_task()->files;
}

void file_init(struct file *f, struct inode *ino,
	       const struct file_operations *ops, unsigned int flags,
	       void *private_data)
{
	inode_get(ino);
	f->inode = ino;
	f->ops = ops;
	f->flags = flags;
	f->private_data = private_data;
	f->refs = 1;
}

struct file *fget(int fd)
{
	struct files *fs = cur_files();
	unsigned long flags;
	struct file *f;

	if (!fs || fd < 0 || fd >= NR_OPEN)
		return NULL;
	/* Under the table lock: a close() in another thread drops the slot's reference only after. */
	flags = spin_lock_irqsave(&fs->lock);
	f = fs->fd[fd];
	if (f)
		file_get(f);
	spin_unlock_irqrestore(&fs->lock, flags);
	return f;
}

/* Descriptors below this are allowed: the table's size, or RLIMIT_NOFILE. */
int fd_limit(void)
{
	return (int)min(rlimit(RLIMIT_NOFILE), (unsigned long)NR_OPEN);
}

/* The lowest free descriptor >= from, or -EMFILE. */
static int fd_alloc(struct files *fs, int from)
{
	int fd, limit = fd_limit();

	for (fd = from; fd < limit; fd++)
		if (!fs->fd[fd])
			return fd;
	return -EMFILE;
}

/* The lowest free slot >= from now holds f (the caller's reference), or -EMFILE. */
int fd_install_from(struct file *f, int from, bool cloexec)
{
	struct files *fs = cur_files();
	unsigned long flags = spin_lock_irqsave(&fs->lock);
	int fd = fd_alloc(fs, from);

	if (fd >= 0) {
		fs->fd[fd] = f;
		fs->cloexec[fd] = cloexec;
	}
	spin_unlock_irqrestore(&fs->lock, flags);
	return fd;
}

int fd_install(struct file *f, bool cloexec)
{
	return fd_install_from(f, 0, cloexec);
}

/* Slot fd becomes f (NULL: empty); returns what it held, for fput(). */
struct file *fd_replace(int fd, struct file *f, bool cloexec)
{
	struct files *fs = cur_files();
	unsigned long flags = spin_lock_irqsave(&fs->lock);
	struct file *old = fs->fd[fd];

	fs->fd[fd] = f;
	fs->cloexec[fd] = cloexec;
	spin_unlock_irqrestore(&fs->lock, flags);
	return old;
}

int fd_close(int fd)
{
	struct file *f;

	if (!cur_files() || fd < 0 || fd >= NR_OPEN)
		return -EBADF;
	f = fd_replace(fd, NULL, false);
	if (!f)
		return -EBADF;
	locks_remove_posix(cur_files(), f);
	fput(f);
	return 0;
}

struct files *files_alloc_console(void)
{
	char console_path[] = "dev/console"; /* from fs_root */
	struct files *fs = kzalloc(sizeof(*fs), 0);
	struct file *con = kzalloc(sizeof(*con), 0);
	unsigned long flags;
	struct inode *ino;

	if (!fs || !con) {
		kfree(fs);
		kfree(con);
		return NULL;
	}
	flags = fs_lock_irqsave();
	/* In the RAM tree: on a disk root its /dev is mounted on the disk's. */
	if (fs_lookup(fs_root, console_path, true, &ino, NULL, NULL) ||
	    inode_fops(ino) != &tty_fops)
		ino = fs_root; /* only if /dev/console was replaced */
	inode_get(ino);
	con->inode = ino;
	file_set_path(con, fs_root, console_path);
	con->ops = &tty_fops;
	con->flags = O_RDWR;
	con->refs = 3;
	fs->fd[0] = fs->fd[1] = fs->fd[2] = con;
	fs->refs = 1;
	fs->lock = (spinlock_t)SPINLOCK_UNLOCKED;
	fs->cwd = ns_root();
	inode_get(fs->cwd);
	fs->umask = 022; /* Linux's init starts with 0022 */
	fs_unlock_irqrestore(flags);
	return fs;
}

struct files *files_dup(struct files *old)
{
	struct files *fs = kmalloc(sizeof(*fs), 0);
	unsigned long flags;
	int fd;

	if (!fs)
		return NULL;
	flags = spin_lock_irqsave(&old->lock);
	memcpy(fs, old, sizeof(*fs));
	for (fd = 0; fd < NR_OPEN; fd++)
		if (fs->fd[fd])
			file_get(fs->fd[fd]);
	spin_unlock_irqrestore(&old->lock, flags);
	fs->refs = 1;
	fs->lock = (spinlock_t)SPINLOCK_UNLOCKED;
	flags = fs_lock_irqsave();
	fs->cwd = old->cwd; /* chdir changes it under fs_lock only */
	inode_get(fs->cwd);
	fs_unlock_irqrestore(flags);
	return fs;
}

void files_close_all(struct files *fs)
{
	int fd;

	if (!fs)
		return;
	for (fd = 0; fd < NR_OPEN; fd++) {
		if (fs->fd[fd]) {
			locks_remove_posix(fs, fs->fd[fd]);
			fput(fs->fd[fd]);
		}
	}
	fs_put_inode(fs->cwd);
	kfree(fs);
}

struct files *files_get(struct files *fs)
{
	__atomic_add_fetch(&fs->refs, 1, __ATOMIC_RELAXED);
	return fs;
}

void files_put(struct files *fs)
{
	if (fs && !__atomic_sub_fetch(&fs->refs, 1, __ATOMIC_ACQ_REL))
		files_close_all(fs);
}

void files_exec(struct files *fs)
{
	int fd;

	if (!fs)
		return;
	for (fd = 0; fd < NR_OPEN; fd++) {
		if (fs->fd[fd] && fs->cloexec[fd]) {
			locks_remove_posix(fs, fs->fd[fd]);
			fput(fs->fd[fd]);
			fs->fd[fd] = NULL;
			fs->cloexec[fd] = 0;
		}
	}
}

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
 * path_inode() and path_fill(): fill (not NULL) on the inode, or a
 * reference to it in *res. The base needs no reference of its own under
 * fs_lock (the cwd changes under it, f holds dirfd's); a walk that meets
 * a VFS file system takes one and starts over with vfs_walk().
 */
static long path_at(int dirfd, const char *path, bool follow,
		    void (*fill)(struct inode *ino, void *arg), void *arg,
		    struct inode **res)
{
	struct file *f __free(fput) = NULL;
	struct inode *base, *ino;
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
	/* An absolute path starts over from the root: no base to hold. */
	base = path[0] == '/' ? NULL : evfs_base(ret, f);
	fs_unlock_irqrestore(irq);
	if (ret == -EVFS && fill) {
		struct vpath p;

		/* The walk's own reference is enough for fill(). */
		ret = vfs_walk(base, path, follow ? VWALK_FOLLOW : 0, &p, NULL);
		if (!ret) {
			fill(p.ino, arg);
			vpath_put(&p);
		}
	} else if (ret == -EVFS) {
		ret = vfs_lookup_inode(base, path, follow, &ino);
	}
	if (base)
		fs_put_inode(base);
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

/* ---------------------------------------------------------------------- */
/* System calls */

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

long vfs_read(struct file *f, char *ubuf, size_t n, u64 *ppos)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if ((long)n < 0)
		return -EINVAL;
	if (!f->ops->read && !f->ops->read_at)
		return -EINVAL;
	if (n && !access_ok(ubuf, n))
		return -EFAULT;
	/* A file without a position (a device) reads the same at any. */
	if (!f->ops->read_at)
		return f->ops->read(f, ubuf, n);
	return f->ops->read_at(f, ubuf, n, ppos);
}

/* read() and write() are the pipe round trip's: no reference when the table is ours alone. */
SYSCALL_DEFINE3(read, int, fd, char *, ubuf, size_t, n)
{
	bool ref;
	struct file *f = fget_light(fd, &ref);
	long ret;

	if (!f)
		return -EBADF;
	ret = vfs_read(f, ubuf, n, NULL);
	fput_light(f, ref);
	return ret;
}

long vfs_write(struct file *f, const char *ubuf, size_t n, u64 *ppos)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if ((long)n < 0)
		return -EINVAL;
	if (!f->ops->write && !f->ops->write_at)
		return -EINVAL;
	/* A write of 0 bytes is the file's to answer too (/proc/<pid>/comm, /dev/full), as Linux. */
	if (n && !access_ok(ubuf, n))
		return -EFAULT;
	if (!f->ops->write_at)
		return f->ops->write(f, ubuf, n);
	return f->ops->write_at(f, ubuf, n, ppos);
}

SYSCALL_DEFINE3(write, int, fd, const char *, ubuf, size_t, n)
{
	bool ref;
	struct file *f = fget_light(fd, &ref);
	long ret;

	if (!f)
		return -EBADF;
	ret = vfs_write(f, ubuf, n, NULL);
	fput_light(f, ref);
	return ret;
}

struct iovec {
	unsigned long base;
	unsigned long len;
};

#define IOV_MAX 1024

/* Each buffer in turn; stops at a short transfer or an error. */
long file_iov(struct file *f, const void *uiov, unsigned long iovcnt,
	      bool write, u64 *ppos)
{
	struct iovec iov;
	unsigned long i;
	long done = 0, n;

	if (iovcnt > IOV_MAX)
		return -EINVAL;
	for (i = 0; i < iovcnt; i++) {
		if (done && fatal_signal_pending(current_task()))
			break;
		if (copy_from_user(&iov, (const char *)uiov + i * sizeof(iov),
				   sizeof(iov)))
			return done ? done : -EFAULT;
		if ((long)iov.len < 0)
			return done ? done : -EINVAL;
		if (!iov.len)
			continue; /* as Linux's vectored I/O: an empty buffer reaches no file */
		n = write ? vfs_write(f, (const char *)iov.base, iov.len, ppos) :
			    vfs_read(f, (char *)iov.base, iov.len, ppos);
		if (n < 0)
			return done ? done : n;
		done += n;
		if ((unsigned long)n < iov.len)
			break;
	}
	return done;
}

SYSCALL_DEFINE3(readv, int, fd, const void *, uiov, unsigned long, iovcnt)
{
	struct file *f __free(fput) = fget(fd);

	return f ? file_iov(f, uiov, iovcnt, false, NULL) : -EBADF;
}

SYSCALL_DEFINE3(writev, int, fd, const void *, uiov, unsigned long, iovcnt)
{
	struct file *f __free(fput) = fget(fd);

	return f ? file_iov(f, uiov, iovcnt, true, NULL) : -EBADF;
}

SYSCALL_DEFINE3(lseek, int, fd, long, off, int, whence)
{
	struct file *f __free(fput) = fget(fd);
	unsigned long irq;
	long pos;

	if (!f)
		return -EBADF;
	if (!f->ops->seekable)
		return -ESPIPE;
	irq = fs_lock_irqsave();
	switch (whence) {
	case SEEK_SET:
		pos = off;
		break;
	case SEEK_CUR:
		pos = (long)f->f_pos + off;
		break;
	case SEEK_END:
		pos = (long)(f->ops->size ? f->ops->size(f) : f->inode->i_size) + off;
		break;
	default:
		pos = -1;
		break;
	}
	if (whence >= SEEK_SET && whence <= SEEK_END && pos >= 0)
		f->f_pos = (u64)pos;
	fs_unlock_irqrestore(irq);
	return pos < 0 ? -EINVAL : pos;
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
		ret = vfs_lookup_inode(base, path, true, &ino);
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

/* As Linux's do_mmap(): access first, then whether the file can be mapped. */
int fs_mmap_file(int fd, bool shared, unsigned int prot, u64 off, u64 len,
		 struct inode **ino, bool *writable)
{
	struct file *f __free(fput) = fget(fd);
	unsigned int acc;

	if (!f)
		return -EBADF;
	acc = f->flags & O_ACCMODE;
	if (off >= FS_MAX_SIZE || len > FS_MAX_SIZE - off)
		return -EOVERFLOW;
	if (shared && (prot & PROT_WRITE) &&
	    (acc != O_RDWR || (f->flags & O_APPEND)))
		return -EACCES;
	if (acc == O_WRONLY)
		return -EACCES;
	if (f->ops == &zero_fops)
		return 1;
	/* RAM files, and disk files through the page cache. */
	if (f->ops != &ramfs_file_fops &&
	    !(IS_ENABLED(CONFIG_FILEMAP) && is_vfs_inode(f->inode) &&
	      S_ISREG(f->inode->i_mode) && f->inode->i_aops))
		return -ENODEV;
	fs_hold_inode(f->inode);
	*ino = f->inode;
	*writable = acc == O_RDWR;
	return 0;
}
