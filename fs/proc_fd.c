/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /proc/<pid>/fd: a symlink per open descriptor, named by its number,
 * whose target says what is open as Linux's d_path() does: the path it
 * was opened by (" (deleted)" once unlinked), "pipe:[inode]" for a
 * pipe, or "anon_inode:[inode]" for anything with no name. A link is a
 * text, not Linux's magic link: opening it opens the path again, so a
 * pipe's link cannot be opened. A file renamed after it was opened shows
 * its old name (Hartix keeps no dentry per file to follow it).
 *
 * Locking: all of it runs under fs_lock (the lookup and readdir of
 * proc.c's directories do); another task's table is read under
 * tasklist_lock (so the table cannot leave the task: process_exit()
 * takes it away under that lock) and the table's own lock (so no file
 * in it is closed meanwhile), in that order after fs_lock.
 */
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>

#include "internal.h"
#include "proc_internal.h"

/* Caller holds fs_lock: name[len] of directory dir, NULL if none. */
static bool dir_path(struct inode *dir, char *buf, size_t size)
{
	size_t pos = size - 1, len;
	struct inode *d;

	buf[pos] = '\0';
	for (d = dir;; d = d->parent) {
		char num[24];
		const char *name = num;

		d = mnt_up(d); /* from a mounted instance's root to what it covers */
		if (!d)
			return false; /* detached */
		if (d == fs_root)
			break;
		if (RAMFS_I(d)->dentry) {
			name = RAMFS_I(d)->dentry->name;
			len = RAMFS_I(d)->dentry->len;
		} else if (d->proc && d->i_nlink) {
			/* /proc/<pid> and below: made on demand, no dentry */
			len = proc_dir_name(d, num, sizeof(num));
		} else {
			return false; /* removed */
		}
		if (pos < len + 1)
			return false;
		pos -= len;
		memcpy(buf + pos, name, len);
		buf[--pos] = '/';
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return true;
}

/* Caller holds fs_lock: f's link target into buf. */
static void file_target(struct file *f, char *buf, size_t size)
{
	struct inode *ino = f->inode;
	size_t len;

	if (f->dir && f->name && dir_path(f->dir, buf, size)) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s%s", len > 1 ? "/" : "",
			 f->name, ino->i_nlink ? "" : " (deleted)");
	} else if (S_ISDIR(ino->i_mode) && dir_path(ino, buf, size)) {
		return;
	} else if (S_ISFIFO(ino->i_mode)) {
		snprintf(buf, size, "pipe:[%lu]", ino->i_ino);
	} else {
		snprintf(buf, size, "anon_inode:[%lu]", ino->i_ino);
	}
}

/*
 * Caller holds fs_lock. The first open descriptor of pid from fd on
 * (-1: none), and its target into buf if buf, and its access in *acc.
 */
static int next_fd(int pid, int fd, char *buf, size_t size,
		   unsigned int *acc)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_task(pid);
	struct files *fs = t ? t->files : NULL;

	if (fs) {
		spin_lock(&fs->lock);
		for (; fd < NR_OPEN && !fs->fd[fd]; fd++)
			;
		if (fd < NR_OPEN) {
			if (buf)
				file_target(fs->fd[fd], buf, size);
			*acc = fs->fd[fd]->flags & O_ACCMODE;
		}
		spin_unlock(&fs->lock);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return fs && fd < NR_OPEN ? fd : -1;
}

/* Linux's modes: lr-x------ for reading, l-wx------ writing, lrwx------ both. */
static u32 link_mode(unsigned int acc)
{
	return S_IFLNK | 0100 | (acc != O_WRONLY ? 0400 : 0) |
	       (acc != O_RDONLY ? 0200 : 0);
}

static int parse_fd(const char *name, size_t len)
{
	int fd = 0;
	size_t i;

	if (!len || len > 3 || (name[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		fd = fd * 10 + (name[i] - '0');
	}
	return fd < NR_OPEN ? fd : -1;
}

static struct inode *fd_lookup(struct inode *dir, const char *name, size_t len)
{
	int pid = PROC_INO_PID(dir->i_ino), fd = parse_fd(name, len);
	struct inode **links, *ino;
	char *target;
	unsigned int acc;

	if (fd < 0 || !dir->i_nlink)
		return NULL;
	target = kmalloc(PATH_MAX, __GFP_NOWARN);
	if (!target)
		return NULL;
	links = next_fd(pid, fd, target, PATH_MAX, &acc) == fd ?
		proc_fd_links(pid) : NULL;
	if (links && !links[fd]) {
		links[fd] = proc_inode(S_IFLNK, PROC_FD_INO(pid, fd), NULL);
		if (links[fd])
			links[fd]->i_fop = NULL;
	}
	ino = links ? links[fd] : NULL;
	if (!ino) {
		kfree(target);
		return NULL;
	}
	/* The target as of this lookup: readlink and walks use it under fs_lock. */
	kfree(ino->target);
	ino->target = target;
	ino->i_size = strlen(target);
	ino->i_mode = link_mode(acc);
	return ino;
}

/* Positions: "." 0, ".." 1, then 2 + fd. */
static bool fd_readdir(struct inode *dir, u64 *pos, char *name,
		       unsigned long *ino, u32 *mode)
{
	int pid = PROC_INO_PID(dir->i_ino), fd;
	unsigned int acc;

	if (*pos < 2) {
		strscpy(name, *pos ? ".." : ".", NAME_MAX + 1);
		*ino = *pos ? dir->parent->i_ino : dir->i_ino;
		*mode = S_IFDIR | 0500;
		return true;
	}
	if (*pos - 2 >= NR_OPEN)
		return false;
	fd = next_fd(pid, (int)(*pos - 2), NULL, 0, &acc);
	if (fd < 0)
		return false;
	*pos = 2 + (u64)fd;
	snprintf(name, NAME_MAX + 1, "%d", fd);
	*ino = PROC_FD_INO(pid, fd);
	*mode = link_mode(acc);
	return true;
}

const struct proc_dir_operations proc_fd_iops = {
	.lookup = fd_lookup, .readdir = fd_readdir,
};

void file_set_path(struct file *f, struct inode *base, char *path)
{
	struct inode *dir, *child;
	char *buf = NULL;
	const char *last;
	unsigned int hops;
	size_t len;
	bool slash;

	for (hops = 0; hops <= MAXSYMLINKS; hops++) {
		if (fs_lookup_parent(base, path, &dir, &last, &len, &slash) ||
		    !len || (len <= 2 && last[0] == '.' && last[len - 1] == '.'))
			break; /* "/", ".", ".." name a directory: no name needed */
		child = fs_dir_lookup(dir, last, len);
		if (child == f->inode) {
			f->name = kmalloc(len + 1, __GFP_NOWARN);
			if (f->name) {
				memcpy(f->name, last, len);
				f->name[len] = '\0';
				inode_get(dir);
				f->dir = dir;
			}
			break;
		}
		if (!child || !S_ISLNK(child->i_mode) || !child->target[0])
			break;
		/* The last component was a symlink: on with its target. */
		if (!buf)
			buf = kmalloc(PATH_MAX, __GFP_NOWARN);
		if (!buf)
			break;
		strscpy(buf, child->target, PATH_MAX);
		path = buf;
		base = dir;
	}
	kfree(buf);
}

#ifdef CONFIG_MOUNT
void file_set_vfs_path(struct file *f, struct inode *base, const char *path)
{
	struct vpath dir;
	struct vlast l;
	unsigned long irq;

	if (is_vfs_inode(f->inode) ||
	    vfs_walk(base, path, VWALK_FOLLOW | VWALK_PARENT, &dir, &l))
		return;
	irq = fs_lock_irqsave();
	if (!dir.d && l.type == LAST_NORM && !f->name &&
	    fs_dir_lookup(dir.ino, l.name, l.len) == f->inode) {
		f->name = kmalloc(l.len + 1, __GFP_NOWARN);
		if (f->name) {
			memcpy(f->name, l.name, l.len + 1);
			inode_get(dir.ino);
			f->dir = dir.ino;
		}
	}
	fs_unlock_irqrestore(irq);
	vpath_put(&dir);
}
#endif

void file_clear_path(struct file *f)
{
	if (f->dir)
		inode_put(f->dir);
	kfree(f->name);
	f->dir = NULL;
	f->name = NULL;
}
