/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Open files (struct file and its lifetime) and per-task descriptor
 * tables, as Linux's fs/file.c and fs/file_table.c.
 *
 * A struct file is shared by every descriptor that dup() or fork() made
 * from the same open (Linux semantics: one offset); its refs count them
 * atomically. A descriptor table's slots change under its lock (threads
 * share it with CLONE_FILES). Inodes, data and f_pos are under
 * fs_lock (internal.h); user memory is only touched with it released,
 * through a kernel bounce buffer.
 */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/tty.h>

#include "internal.h"

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
int fd_alloc(struct files *fs, int from)
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

