// SPDX-License-Identifier: BSD-2-Clause
/* Mounts: mount(2) and umount2(2) of RAM file system instances (tmpfs) on directories, and /proc/mounts. */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <asm/page.h>

#include "internal.h"
#include "proc_internal.h"
#include "vfs.h"

/* mount(2)'s flags (include/uapi/linux/mount.h) that mean something here. */
#define MS_RDONLY	1
#define MS_REMOUNT	32
#define MS_SILENT	32768
#define MS_MGC_MSK	0xffff0000UL /* the old magic in the high bits, ignored */
#define MNT_FORCE	1
#define MNT_DETACH	2
#define MNT_EXPIRE	4
#define UMOUNT_NOFOLLOW	8

/* The mount table, in mount order, under fs_lock. */
static struct mount *mounts;

void mnt_inode_new(struct inode *dir, struct inode *ino)
{
	struct mount *m = real_mount(dir);

	ino->i_sb = dir->i_sb;
	if (m && S_ISDIR(ino->i_mode))
		m->dirs++;
}

void mnt_dir_freed(struct inode *dir)
{
	struct mount *m = real_mount(dir);

	if (m)
		m->dirs--;
}

void mnt_writer(struct inode *ino, int delta)
{
	struct mount *m = real_mount(ino);

	if (m && S_ISREG(ino->i_mode))
		m->writers += delta;
}

static bool mnt_busy(const struct mount *m)
{
	return m->refs > m->dirs || m->children;
}

static void table_add(struct mount *m)
{
	struct mount **p = &mounts;

	while (*p)
		p = &(*p)->next;
	m->next = NULL;
	*p = m;
}

static void table_del(struct mount *m)
{
	struct mount **p;

	for (p = &mounts; *p; p = &(*p)->next)
		if (*p == m) {
			*p = m->next;
			break;
		}
}

/* Caller holds fs_lock: m leaves the tree; its inodes stay while referenced. */
static void mnt_detach(struct mount *m)
{
	struct mount *parent = real_mount(m->mountpoint);

	m->mountpoint->i_mounted = NULL;
	inode_put(m->mountpoint);
	m->mountpoint = NULL;
	if (parent)
		parent->children--;
	m->detached = true;
	table_del(m);
}

/* Caller holds fs_lock: m is detached and unused; its whole tree goes. */
static void mnt_free(struct mount *m)
{
	m->freeing = true; /* the inode_put()s below come back to mnt_put_ref() */
	ramfs_clear_dir(m->root);
	m->root->i_nlink = 0;
	inode_put(m->root);
	put_anon_dev(m->sb.s_dev);
	kfree(m);
}

/*
 * Caller holds fs_lock: m and every mount below it leave the tree
 * (MNT_DETACH; a plain umount only gets here without children). Those
 * below are freed once unused, as m is by the caller.
 */
static void mnt_detach_tree(struct mount *m)
{
	struct mount *c;
	bool again = true;

	mnt_detach(m);
	while (again) {
		again = false;
		for (c = mounts; c; c = c->next) {
			struct mount *parent = real_mount(c->mountpoint);

			if (parent && parent->detached) {
				mnt_detach(c);
				if (!mnt_busy(c))
					mnt_free(c);
				again = true;
				break;
			}
		}
	}
}

void mnt_put_ref(struct mount *m)
{
	m->refs--;
	if (m->detached && !m->freeing && !mnt_busy(m))
		mnt_free(m);
}

/* Caller holds fs_lock: a new instance's root, mounted on dir. */
static long mnt_new(struct inode *dir, const char *source, unsigned long flags)
{
	struct mount *m = kzalloc(sizeof(*m), __GFP_NOWARN), *parent;
	long err;

	if (!m)
		return -ENOMEM;
	err = get_anon_dev(&m->sb.s_dev);
	if (err) {
		kfree(m);
		return err;
	}
	m->root = ramfs_new_root(S_IFDIR | 01777);
	if (!m->root) {
		put_anon_dev(m->sb.s_dev);
		kfree(m);
		return -ENOMEM;
	}
	m->sb.s_fs_info = m;
	m->sb.s_flags = flags & MS_RDONLY ? SB_RDONLY : 0;
	m->sb.s_blocksize = PAGE_SIZE;
	m->root->i_sb = &m->sb;
	m->dirs = 1;
	m->refs = 1; /* the mount's reference on its root */
	strscpy(m->source, source, sizeof(m->source));
	inode_get(dir);
	m->mountpoint = dir;
	dir->i_mounted = m;
	parent = real_mount(dir);
	if (parent)
		parent->children++;
	table_add(m);
	return 0;
}

/* A user string of at most size - 1 bytes into buf: 0, -EFAULT, or -ENAMETOOLONG. */
static long get_name(const char *ustr, char *buf, size_t size)
{
	long n = strncpy_from_user(buf, ustr, (long)size);

	if (n < 0)
		return -EFAULT;
	return (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Caller holds fs_lock: the directory path names, for mount/umount. */
static long target_dir(struct inode *base, char *path, bool follow,
		       struct inode **res)
{
	long ret = fs_lookup(base, path, follow, res, NULL, NULL);

	if (!ret && !S_ISDIR((*res)->i_mode))
		ret = -ENOTDIR;
	return ret;
}

/*
 * Linux's do_mount() for what is here: a new tmpfs (or ramfs) instance
 * on a directory, or MS_REMOUNT of one with MS_RDONLY set or clear.
 * Other file system types: ENODEV (those registered on the VFS cannot
 * be walked into by path yet).
 */
SYSCALL_DEFINE5(mount, const char *, usource, const char *, utarget,
		const char *, ufstype, unsigned long, flags, const void *, udata)
{
	struct inode *base __free(fs_put_inode) = NULL;
	char source[64] = "none", fstype[32] = "";
	struct inode *dir;
	struct mount *m;
	unsigned long irq;
	char *path;
	long ret;

	if ((flags & MS_MGC_MSK) == 0xc0ed0000UL)
		flags &= ~MS_MGC_MSK;
	if (flags & ~(unsigned long)(MS_RDONLY | MS_REMOUNT | MS_SILENT))
		return -EINVAL; /* bind, move, propagation...: not here */
	if (!(flags & MS_REMOUNT)) {
		if (!ufstype)
			return -EFAULT;
		ret = get_name(ufstype, fstype, sizeof(fstype));
		if (ret)
			return ret == -ENAMETOOLONG ? -ENODEV : ret;
		if (usource && get_name(usource, source, sizeof(source)))
			return -EFAULT;
	}
	path = get_path(utarget, &ret);
	if (!path)
		return ret;
	ret = base_dir(AT_FDCWD, path, &base);
	if (ret) {
		kfree(path);
		return ret;
	}
	irq = fs_lock_irqsave();
	ret = target_dir(base, path, true, &dir);
	if (!ret && (flags & MS_REMOUNT)) {
		m = real_mount(dir);
		if (!m || m->root != dir)
			ret = -EINVAL; /* not the root of a mount */
		else if ((flags & MS_RDONLY) && !(m->sb.s_flags & SB_RDONLY) &&
			 m->writers)
			ret = -EBUSY;
		else
			m->sb.s_flags = (m->sb.s_flags & ~SB_RDONLY) |
					(flags & MS_RDONLY ? SB_RDONLY : 0);
	} else if (!ret) {
		if (strcmp(fstype, "tmpfs") && strcmp(fstype, "ramfs"))
			ret = -ENODEV;
		else if (dir == fs_root || dir->proc)
			ret = -EINVAL; /* over / or into /proc: not here */
		else if (!dir->i_nlink)
			ret = -ENOENT;
		else
			ret = mnt_new(dir, source, flags);
	}
	fs_unlock_irqrestore(irq);
	kfree(path);
	return ret;
}

SYSCALL_DEFINE2(umount2, const char *, utarget, int, flags)
{
	struct inode *base __free(fs_put_inode) = NULL;
	struct inode *dir;
	struct mount *m;
	unsigned long irq;
	char *path;
	long ret;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	path = get_path(utarget, &ret);
	if (!path)
		return ret;
	ret = base_dir(AT_FDCWD, path, &base);
	if (ret) {
		kfree(path);
		return ret;
	}
	irq = fs_lock_irqsave();
	ret = target_dir(base, path, !(flags & UMOUNT_NOFOLLOW), &dir);
	/* The walk's starting point is not a use of the mount (the cwd's own reference is). */
	inode_put(no_free_ptr(base));
	m = ret ? NULL : real_mount(dir);
	if (!ret && (!m || m->root != dir))
		ret = -EINVAL; /* not a mount point */
	else if (!ret && (flags & MNT_EXPIRE))
		ret = -EAGAIN; /* Linux's first MNT_EXPIRE only marks it */
	else if (!ret && !(flags & MNT_DETACH) && mnt_busy(m))
		ret = -EBUSY;
	if (!ret) {
		mnt_detach_tree(m);
		if (!mnt_busy(m))
			mnt_free(m);
	}
	fs_unlock_irqrestore(irq);
	kfree(path);
	return ret;
}

/* /proc/mounts after the root and /proc: the mounts made since, in mount order. */
int show_mount_table(struct seq *m)
{
	char *buf = kmalloc(PATH_MAX, __GFP_NOWARN);
	struct mount *mnt;
	unsigned long irq;

	if (!buf)
		return -ENOMEM;
	irq = fs_lock_irqsave();
	for (mnt = mounts; mnt; mnt = mnt->next) {
		size_t pos = PATH_MAX - 1;

		buf[pos] = '\0';
		if (fs_dir_path(mnt->root, buf, &pos))
			continue;
		seq_printf(m, "%s %s tmpfs %s,relatime 0 0\n", mnt->source,
			   buf + pos, mnt->sb.s_flags & SB_RDONLY ? "ro" : "rw");
	}
	fs_unlock_irqrestore(irq);
	kfree(buf);
	return 0;
}
