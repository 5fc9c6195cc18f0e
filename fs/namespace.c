// SPDX-License-Identifier: BSD-2-Clause
/* Mounts: mount(2) and umount2(2) of tmpfs instances and VFS file systems (ext2, vfat) on directories, and /proc/mounts. */
#include <hartix/blkdev.h>
#include <hartix/err.h>
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

/* mount(2)'s RAM file system instances: mnt_new() makes them, not fill_super. */
static struct file_system_type tmpfs_fs_type = { .name = "tmpfs", .fs_flags = FS_RAM };
static struct file_system_type ramfs_fs_type = { .name = "ramfs", .fs_flags = FS_RAM };
DEFINE_FILESYSTEM(tmpfs_fs_type);
DEFINE_FILESYSTEM(ramfs_fs_type);

void mnt_inode_new(struct inode *dir, struct inode *ino)
{
	struct mount *m = real_mount(dir);

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
	struct mount *m = is_vfs_inode(ino) ? vfs_mount_of(ino->i_sb) : real_mount(ino);

	if (m && S_ISREG(ino->i_mode))
		m->writers += delta;
}

static bool mnt_busy(const struct mount *m)
{
	if (m->vsb) /* s_active: a sync(2) is writing it */
		return READ_ONCE(m->vsb->s_ns_refs) || m->vsb->s_active || m->children;
	return READ_ONCE(m->refs) > m->dirs || m->children;
}

struct mount *vfs_mount_of(struct super_block *sb)
{
	struct mount *m;

	for (m = mounts; m; m = m->next)
		if (m->vsb == sb)
			return m;
	return NULL;
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

/*
 * Caller holds fs_lock: m leaves the tree; its inodes stay while
 * referenced. A mount point on a VFS file system is returned with its
 * reference, for the caller to fs_put_inode() after fs_lock (the last
 * one may write the inode back); NULL otherwise.
 */
static struct inode *mnt_detach(struct mount *m)
{
	struct inode *dir = m->mountpoint;
	struct mount *parent = real_mount(dir);

	dir->i_mounted = NULL;
	m->mountpoint = NULL;
	if (parent)
		parent->children--;
	m->detached = true;
	table_del(m);
	if (is_vfs_inode(dir))
		return dir;
	inode_put(dir);
	return NULL;
}

/*
 * Caller holds fs_lock: m is detached and unused; its whole tree goes.
 * A VFS instance's super block is deactivated by the caller, after
 * fs_lock (it syncs to the disk).
 */
static void mnt_free(struct mount *m)
{
	if (m->vsb)
		return;
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
 * below are freed once unused, as m is by the caller. The mounts below
 * are on m's RAM directories (a VFS instance inside keeps m from being
 * detached, vfs_below()): only m's mount point is returned, as by
 * mnt_detach().
 */
static struct inode *mnt_detach_tree(struct mount *m)
{
	struct inode *vdir = mnt_detach(m);
	struct mount *c;
	bool again = true;

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
	return vdir;
}

void mnt_put_ref(struct mount *m)
{
	__atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL);
	if (m->detached && !m->freeing && !mnt_busy(m))
		mnt_free(m);
}

/* Caller holds fs_lock: is a VFS instance mounted inside m (at any depth)? */
static bool vfs_below(struct mount *m)
{
	struct mount *c, *p;

	for (c = mounts; c; c = c->next)
		for (p = c->vsb ? real_mount(c->mountpoint) : NULL; p;
		     p = p->mountpoint ? real_mount(p->mountpoint) : NULL)
			if (p == m)
				return true;
	return false;
}

/* Caller holds fs_lock: m goes on dir (which it holds a reference to) and into the table. */
static void mnt_attach(struct mount *m, struct inode *dir)
{
	struct mount *parent = real_mount(dir);

	inode_get(dir);
	m->mountpoint = dir;
	dir->i_mounted = m;
	if (parent)
		parent->children++;
	table_add(m);
}

/* Caller holds fs_lock: a new instance of type (FS_RAM)'s root, mounted on dir. */
static long mnt_new(struct inode *dir, struct file_system_type *type,
		    const char *source, unsigned long flags)
{
	struct mount *m = kzalloc(sizeof(*m), __GFP_NOWARN);
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
	m->sb.s_type = type;
	m->sb.s_fs_info = m;
	m->sb.s_flags = flags & MS_RDONLY ? SB_RDONLY : 0;
	m->sb.s_blocksize = PAGE_SIZE;
	m->root->i_sb = &m->sb;
	m->dirs = 1;
	m->refs = 1; /* the mount's reference on its root */
	strscpy(m->source, source, sizeof(m->source));
	mnt_attach(m, dir);
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

/*
 * A VFS file system (FS_REQUIRES_DEV: on the block device node source
 * names) mounted on the directory target names, of either kind. The
 * super block is read with no lock held, then attached under fs_lock.
 */
static long vfs_mount(struct file_system_type *type, const char *source,
		      struct vpath *target, unsigned long flags, const char *options)
{
	struct block_device *bdev = NULL;
	struct inode *dir = target->ino;
	struct super_block *sb;
	struct vpath dev;
	struct mount *m, *o;
	unsigned long irq;
	long ret = 0;

	if (type->fs_flags & FS_REQUIRES_DEV) {
		ret = vfs_walk(NULL, source, VWALK_FOLLOW, &dev, NULL);
		if (!ret) {
			if ((dev.ino->i_mode & S_IFMT) != S_IFBLK)
				ret = -ENOTBLK;
			else if (!IS_ENABLED(CONFIG_BLOCK) ||
				 !(bdev = bdev_by_rdev(dev.ino->i_rdev)))
				ret = -ENXIO;
			vpath_put(&dev);
		}
	}
	m = ret ? NULL : kzalloc(sizeof(*m), __GFP_NOWARN);
	if (!ret && !m)
		ret = -ENOMEM;
	if (ret)
		return ret;
	irq = fs_lock_irqsave();
	for (o = mounts; o && bdev; o = o->next)
		if (o->vsb && o->vsb->s_bdev == bdev)
			ret = -EBUSY; /* one super block per device */
	fs_unlock_irqrestore(irq);
	sb = ret ? ERR_PTR(ret) :
	     vfs_get_super(type, bdev, flags & MS_RDONLY ? SB_RDONLY : 0, options);
	if (IS_ERR(sb)) {
		kfree(m);
		return PTR_ERR(sb);
	}
	m->vsb = sb;
	m->root = sb->s_root->d_inode;
	m->sb.s_flags = sb->s_flags;
	strscpy(m->source, source, sizeof(m->source));
	irq = fs_lock_irqsave();
	if (dir == ns_root() || dir->proc)
		ret = -EINVAL;
	else if (!dir->i_nlink)
		ret = -ENOENT;
	for (o = mounts; o && !ret; o = o->next)
		if (o != m && o->vsb && o->vsb->s_bdev == bdev && bdev)
			ret = -EBUSY; /* mounted meanwhile */
	if (!ret)
		mnt_attach(m, dir);
	fs_unlock_irqrestore(irq);
	if (ret) {
		deactivate_super(sb);
		kfree(m);
	}
	return ret;
}

/* umount2 of the VFS instance whose root is root (the walk's, dropped here). */
static long vfs_umount(struct vpath *root, int flags)
{
	struct super_block *sb = root->d->d_sb;
	struct inode *vdir = NULL;
	struct mount *m;
	unsigned long irq;
	long ret = 0;

	if (root->d != sb->s_root) {
		vpath_put(root);
		return -EINVAL; /* not a mount point */
	}
	irq = fs_lock_irqsave();
	m = vfs_mount_of(sb);
	if (!m)
		ret = -EINVAL;
	else if (flags & MNT_EXPIRE)
		ret = -EAGAIN;
	else if (mnt_busy(m))
		ret = -EBUSY; /* MNT_DETACH too: a VFS instance is not left behind detached */
	else
		vdir = mnt_detach(m);
	fs_unlock_irqrestore(irq);
	vpath_put(root);
	if (ret)
		return ret;
	if (vdir)
		fs_put_inode(vdir);
	/* Out of the tree, unused: nothing can reach sb any more. */
	deactivate_super(sb);
	kfree(m);
	return 0;
}

/*
 * MS_REMOUNT of a VFS instance, Linux's reconfigure_super(): SB_RDONLY
 * set or cleared. Going read-only is EBUSY while a file is open for
 * writing; SB_REMOUNT_RO makes new changes EROFS (open for writing
 * checks it under fs_lock, with the count of writers) while the inodes
 * are written back, then the file system puts the rest on the disk and
 * marks it clean. A read-only device cannot go read-write (EACCES, as
 * vfs_get_super()); the file system may refuse too (EROFS).
 */
static long vfs_remount(struct super_block *sb, unsigned long flags)
{
	unsigned long newflags = flags & MS_RDONLY ? SB_RDONLY : 0, irq;
	bool ro = newflags;
	struct mount *m;
	long ret = 0;

	mutex_lock(&sb->s_umount);
	if (ro == !!(sb->s_flags & SB_RDONLY))
		goto out;
	if (!ro && sb->s_bdev && sb->s_bdev->read_only) {
		ret = -EACCES;
		goto out;
	}
	irq = fs_lock_irqsave();
	m = vfs_mount_of(sb);
	if (ro && m && m->writers)
		ret = -EBUSY;
	else if (ro)
		sb->s_flags |= SB_REMOUNT_RO;
	fs_unlock_irqrestore(irq);
	if (ret)
		goto out;
	if (ro)
		sync_inodes_sb(sb, true);
	if (sb->s_op && sb->s_op->remount_fs)
		ret = sb->s_op->remount_fs(sb, &newflags);
	irq = fs_lock_irqsave();
	if (!ret)
		sb->s_flags = (sb->s_flags & ~(unsigned long)SB_RDONLY) | newflags;
	sb->s_flags &= ~(unsigned long)SB_REMOUNT_RO;
	m = vfs_mount_of(sb);
	if (m)
		m->sb.s_flags = sb->s_flags;
	fs_unlock_irqrestore(irq);
out:
	mutex_unlock(&sb->s_umount);
	return ret;
}

/* sync(2), syncfs(2): every mounted VFS instance, or the one of sb, to its disk. */
void vfs_sync_all(struct super_block *only)
{
	struct super_block *sbs[16];
	unsigned int n = 0, i;
	struct mount *m;
	unsigned long irq;

	irq = fs_lock_irqsave();
	for (m = mounts; m && n < ARRAY_SIZE(sbs); m = m->next)
		if (m->vsb && (!only || m->vsb == only) && !(m->vsb->s_flags & SB_RDONLY)) {
			sbs[n++] = m->vsb;
			m->vsb->s_active++; /* kept while synced: umount waits for it */
		}
	fs_unlock_irqrestore(irq);
	for (i = 0; i < n; i++) {
		sync_inodes_sb(sbs[i], true);
		if (sbs[i]->s_op && sbs[i]->s_op->sync_fs)
			sbs[i]->s_op->sync_fs(sbs[i], true); /* and its device */
		irq = fs_lock_irqsave();
		sbs[i]->s_active--;
		fs_unlock_irqrestore(irq);
	}
}

/*
 * Linux's do_mount() for what is here: a new tmpfs (or ramfs) instance
 * on a directory, a VFS file system (ext2, vfat) from a block device, or
 * MS_REMOUNT of either with MS_RDONLY set or clear. The directory may be
 * on either kind of file system (vfs_walk() finds it).
 */
SYSCALL_DEFINE5(mount, const char *, usource, const char *, utarget,
		const char *, ufstype, unsigned long, flags, const void *, udata)
{
	char source[64] = "none", fstype[32] = "", options[64] = "";
	struct file_system_type *type = NULL;
	struct inode *base = NULL, *dir;
	struct vpath target;
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
		if (udata && get_name(udata, options, sizeof(options)))
			return -EINVAL;
		type = get_fs_type(fstype);
		if (!type)
			return -ENODEV;
	}
	path = get_path(utarget, &ret);
	if (!path)
		return ret;
	ret = base_dir(AT_FDCWD, path, &base);
	if (!ret) {
		ret = vfs_walk(base, path, VWALK_FOLLOW, &target, NULL);
		fs_put_inode(base);
	}
	kfree(path);
	if (ret)
		return ret;
	dir = target.ino;
	if (!S_ISDIR(dir->i_mode)) {
		ret = -ENOTDIR;
	} else if (type && !(type->fs_flags & FS_RAM)) {
		ret = vfs_mount(type, source, &target, flags, options);
	} else if ((flags & MS_REMOUNT) && target.d) {
		/* Kept mounted meanwhile: the namespace's reference makes umount EBUSY. */
		irq = fs_lock_irqsave();
		if (target.d != target.d->d_sb->s_root)
			ret = -EINVAL; /* not the root of a mount */
		else
			inode_get(dir);
		fs_unlock_irqrestore(irq);
		if (!ret) {
			ret = vfs_remount(target.d->d_sb, flags);
			fs_put_inode(dir);
		}
	} else {
		irq = fs_lock_irqsave();
		m = real_mount(dir);
		if (!(flags & MS_REMOUNT)) {
			if (dir == ns_root() || dir->proc)
				ret = -EINVAL; /* over / or into /proc: not here */
			else if (!dir->i_nlink)
				ret = -ENOENT;
			else
				ret = mnt_new(dir, type, source, flags);
		} else if (!m || m->root != dir) {
			ret = -EINVAL; /* not the root of a mount */
		} else if ((flags & MS_RDONLY) && !(m->sb.s_flags & SB_RDONLY) && m->writers) {
			ret = -EBUSY;
		} else {
			m->sb.s_flags = (m->sb.s_flags & ~SB_RDONLY) |
					(flags & MS_RDONLY ? SB_RDONLY : 0);
		}
		fs_unlock_irqrestore(irq);
	}
	vpath_put(&target);
	return ret;
}

SYSCALL_DEFINE2(umount2, const char *, utarget, int, flags)
{
	struct inode *base = NULL, *dir, *vdir = NULL;
	struct vpath root;
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
	if (!ret) {
		ret = vfs_walk(base, path, flags & UMOUNT_NOFOLLOW ? 0 : VWALK_FOLLOW, &root, NULL);
		/* The walk's starting point is not a use of the mount (the cwd's own reference is). */
		fs_put_inode(base);
	}
	kfree(path);
	if (ret)
		return ret;
	if (root.d)
		return vfs_umount(&root, flags);
	dir = root.ino;
	irq = fs_lock_irqsave();
	m = real_mount(dir);
	if (!m || m->root != dir) {
		ret = -EINVAL; /* not a mount point */
	} else {
		/* Nor is the walk's reference (the mount's own keeps dir). */
		inode_put(dir);
		root.ino = NULL;
		if (flags & MNT_EXPIRE)
			ret = -EAGAIN; /* Linux's first MNT_EXPIRE only marks it */
		else if (!(flags & MNT_DETACH) && mnt_busy(m))
			ret = -EBUSY;
		else if (vfs_below(m))
			ret = -EBUSY; /* MNT_DETACH over a disk instance: it is not left detached */
	}
	if (!ret) {
		vdir = mnt_detach_tree(m);
		if (!mnt_busy(m))
			mnt_free(m);
	}
	fs_unlock_irqrestore(irq);
	vpath_put(&root);
	if (vdir)
		fs_put_inode(vdir);
	return ret;
}

#ifdef CONFIG_PROC_FS
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
		if (fs_dir_path(mnt->vsb ? mnt->mountpoint : mnt->root, buf, &pos))
			continue;
		seq_printf(m, "%s %s %s %s,relatime 0 0\n", mnt->source, buf + pos,
			   mnt->vsb ? mnt->vsb->s_type->name : mnt->fstype ? mnt->fstype : "tmpfs",
			   (mnt->vsb ? mnt->vsb->s_flags : mnt->sb.s_flags) & SB_RDONLY ?
			   "ro" : "rw");
	}
	fs_unlock_irqrestore(irq);
	kfree(buf);
	return 0;
}
#endif

#ifdef CONFIG_ROOT_DISK
/*
 * The RAM file system's /name mounted on the directory of that name on
 * the disk root sb, as Linux mounts devtmpfs on /dev: so the device
 * nodes the kernel makes and /proc stay where programs look.
 */
static void ram_dir_on_root(struct super_block *sb, const char *name,
			    const char *fstype)
{
	size_t len = strlen(name);
	struct dentry *d = lookup_one(sb->s_root, name, (u32)len);
	struct mount *m = kzalloc(sizeof(*m), __GFP_NOWARN);
	bool on_disk = !IS_ERR(d) && d->d_inode && S_ISDIR(d->d_inode->i_mode);
	struct inode *ram;
	unsigned long irq;

	irq = fs_lock_irqsave();
	ram = fs_dir_lookup(fs_root, name, len);
	if (ram && on_disk && m && !d->d_inode->i_mounted) {
		inode_get(ram); /* the mount's, as a tmpfs root's */
		m->root = ram;
		m->fstype = fstype;
		strscpy(m->source, fstype, sizeof(m->source));
		mnt_attach(m, d->d_inode);
		m = NULL;
	}
	fs_unlock_irqrestore(irq);
	if (ram && m)
		pr_warn("VFS: %s not mounted: the root file system has no directory /%s\n",
			fstype, name);
	kfree(m);
	if (!IS_ERR(d))
		dput(d);
}

int remount_root_ro(void)
{
	unsigned long irq = fs_lock_irqsave();
	struct mount *m = fs_root->i_mounted;
	struct super_block *sb = m ? m->vsb : NULL;
	long ret;

	if (sb)
		inode_get(m->root); /* umount EBUSY meanwhile */
	fs_unlock_irqrestore(irq);
	if (!sb)
		return 0;
	ret = vfs_remount(sb, MS_RDONLY);
	fs_put_inode(sb->s_root->d_inode);
	return (int)ret;
}

int mount_root_sb(struct super_block *sb)
{
	struct mount *m = kzalloc(sizeof(*m), __GFP_NOWARN);
	unsigned long irq;

	if (!m)
		return -ENOMEM;
	m->vsb = sb;
	m->root = sb->s_root->d_inode;
	m->sb.s_flags = sb->s_flags;
	strscpy(m->source, "/dev/root", sizeof(m->source)); /* what Linux shows */
	irq = fs_lock_irqsave();
	mnt_attach(m, fs_root);
	fs_unlock_irqrestore(irq);
	ram_dir_on_root(sb, "dev", "devtmpfs");
	ram_dir_on_root(sb, "proc", "proc");
	return 0;
}
#endif
