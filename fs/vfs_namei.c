// SPDX-License-Identifier: BSD-2-Clause
/* The path walk through VFS file systems mounted in the namespace, and the name calls on their directories. */
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/slab.h>
#include <hartix/string.h>

#include "internal.h"
#include "vfs.h"

/*
 * Locks: the walk never holds fs_lock across a VFS call. A run of RAM
 * file system components is walked in one fs_lock section (struct walk:
 * no reference per component, one on where the run ends); a VFS
 * directory's component with lookup_one(), which finds a cached name
 * under dcache_lock alone and otherwise takes the directory's i_mutex
 * and may read the disk. The name calls take the directory's i_mutex (two of them for a
 * rename: the super block's s_rename_mutex first, then the directories
 * in address order) around the file system's inode operation.
 */

void vfs_ns_get(struct inode *ino)
{
	struct super_block *sb = ino->i_sb;
	unsigned long flags = spin_lock_irqsave(&sb->s_inode_lock);

	ino->refs++;
	sb->s_ns_refs++;
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
}

/* The last reference may evict: never under fs_lock (callers drop theirs outside it). */
void vfs_ns_put(struct inode *ino)
{
	struct super_block *sb = ino->i_sb;
	unsigned long flags = spin_lock_irqsave(&sb->s_inode_lock);

	sb->s_ns_refs--;
	if (ino->refs > 1) {
		ino->refs--;
		spin_unlock_irqrestore(&sb->s_inode_lock, flags);
		return;
	}
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
	iput(ino);
}

void vpath_put(struct vpath *p)
{
	if (p->d)
		dput(p->d);
	else if (p->ino)
		fs_put_inode(p->ino);
	p->d = NULL;
	p->ino = NULL;
}

/* Caller holds fs_lock: a reference to ino as a vpath (a VFS root by its dentry). */
static void to_vpath(struct inode *ino, struct vpath *p)
{
	if (is_vfs_inode(ino)) {
		p->d = dget(ino->i_sb->s_root);
		p->ino = ino;
	} else {
		inode_get(ino);
		p->ino = ino;
		p->d = NULL;
	}
}

/*
 * ".." from dir, a referenced vpath in next. Out of the root of a mount
 * it goes to the covered directory's parent; that directory may be on a
 * VFS file system (a tmpfs or a disk mounted on a disk's directory), and
 * be a mount's root in turn. A detached mount's root is its own "..".
 */
static int step_up(struct vpath *dir, struct vpath *next)
{
	struct inode *ino = dir->ino, *up;
	struct dentry *d = dir->d, *held = NULL;
	unsigned long irq;
	int ret = 0;

	for (;;) {
		if (d && d != d->d_sb->s_root) {
			next->d = dget(d->d_parent);
			next->ino = next->d->d_inode;
			break;
		}
		irq = fs_lock_irqsave();
		if (d) {
			struct mount *m = vfs_mount_of(d->d_sb);

			up = m ? m->mountpoint : NULL;
		} else {
			up = mnt_up(ino);
		}
		if (!up || !is_vfs_inode(up)) {
			to_vpath(up ? mnt_down(up->parent) : ino, next);
			fs_unlock_irqrestore(irq);
			break;
		}
		/* A directory on a VFS file system: on with its own "..". */
		ino = up;
		d = d_find_alias(up);
		fs_unlock_irqrestore(irq);
		dput(held);
		held = d;
		if (!d) {
			ret = -ENOENT; /* removed */
			break;
		}
	}
	dput(held);
	return ret;
}

/*
 * One component from dir, a VFS directory (name[len], maybe "." or
 * ".."): a referenced vpath. A cached name takes dir's reference over
 * (d_lookup_step()): then dir is emptied, for the caller not to drop it.
 */
static int step(struct vpath *dir, const char *name, size_t len,
		struct vpath *next)
{
	bool stepped = false;
	unsigned long irq;
	struct dentry *d;

	if (len == 1 && name[0] == '.') {
		next->d = dget(dir->d);
		next->ino = dir->ino;
		return 0;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return step_up(dir, next);
	if (dir->ino->i_op && dir->ino->i_op->lookup)
		d = d_lookup_step(dir->d, name, (u32)len, &stepped);
	else
		d = NULL; /* lookup_one() says ENOTDIR */
	if (stepped)
		*dir = (struct vpath){ NULL, NULL };
	else if (!d)
		d = lookup_one(dir->d, name, (u32)len);
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	if (!d->d_inode) {
		dput(d);
		return -ENOENT;
	}
	/*
	 * Mounts change under fs_lock; a name with nothing mounted on it
	 * needs no lock: a mount racing this walk is ordered after it.
	 */
	if (READ_ONCE(d->d_inode->i_mounted)) {
		irq = fs_lock_irqsave();
		if (d->d_inode->i_mounted) {
			to_vpath(mnt_down(d->d_inode), next);
			fs_unlock_irqrestore(irq);
			dput(d);
			return 0;
		}
		fs_unlock_irqrestore(irq);
	}
	next->d = d;
	next->ino = d->d_inode;
	return 0;
}

/* A RAM file system symlink's target into buf, caller holds fs_lock. */
static int ram_link(struct inode *ino, char *buf)
{
	int n = (int)min((size_t)ino->i_size, (size_t)PATH_MAX - 1);

	memcpy(buf, ino->target, (size_t)n);
	buf[n] = '\0';
	return n;
}

/* A symlink's target into buf (PATH_MAX bytes): its length, or -errno. */
static int read_link(struct vpath *p, char *buf)
{
	struct inode *ino = p->ino;
	unsigned long irq;
	int n;

	if (!p->d) {
		irq = fs_lock_irqsave();
		n = ram_link(ino, buf);
		fs_unlock_irqrestore(irq);
		return n;
	}
	if (!ino->i_op || !ino->i_op->get_link)
		return -EINVAL;
	n = ino->i_op->get_link(ino, buf, PATH_MAX);
	return n < 0 ? n : (int)strnlen(buf, PATH_MAX - 1);
}

static int last_type(const char *name, size_t len)
{
	if (!len)
		return LAST_ROOT;
	if (name[0] != '.' || len > 2)
		return LAST_NORM;
	if (len == 1)
		return LAST_DOT;
	return name[1] == '.' ? LAST_DOTDOT : LAST_NORM;
}

/*
 * A walk in progress. Runs of RAM file system components are walked
 * under one fs_lock section (locked) without a reference per component:
 * while locked, a cur with no dentry is borrowed (fs_lock keeps it) and
 * anchor holds the reference cur had when the lock was taken (or none).
 * A VFS cur always holds its dentry's reference, and VFS components are
 * walked unlocked (lookup_one() may sleep).
 */
struct walk {
	struct vpath cur, anchor;
	unsigned long irq;
	bool locked;
};

static void walk_lock(struct walk *w)
{
	if (w->locked)
		return;
	w->irq = fs_lock_irqsave();
	w->locked = true;
	w->anchor = w->cur;
}

/* Drops fs_lock: cur gets a reference of its own, the anchor's goes. */
static void walk_unlock(struct walk *w)
{
	struct vpath a = w->anchor;

	if (!w->locked)
		return;
	if (a.ino == w->cur.ino && a.d == w->cur.d)
		a = (struct vpath){ NULL, NULL }; /* the same reference */
	else if (w->cur.ino && !w->cur.d)
		inode_get(w->cur.ino);
	if (a.ino && !a.d) {
		inode_put(a.ino); /* a RAM inode's goes under fs_lock */
		a.ino = NULL;
	}
	fs_unlock_irqrestore(w->irq);
	w->locked = false;
	vpath_put(&a); /* a dentry's last reference may sleep */
}

/* Locked, cur borrowed or empty: ino becomes cur (a mounted VFS root by its dentry). */
static void walk_set(struct walk *w, struct inode *ino)
{
	if (is_vfs_inode(ino)) {
		w->cur.d = dget(ino->i_sb->s_root);
		w->cur.ino = ino;
	} else {
		w->cur = (struct vpath){ ino, NULL };
	}
}

/*
 * One component from cur, a RAM directory, under fs_lock: the inode (no
 * reference), or -EVFS for ".." into a VFS directory (step_up()'s job).
 */
static int ram_step(struct walk *w, const char *name, size_t len,
		    struct inode **res)
{
	struct inode *dir = w->cur.ino, *ino;

	if (len == 1 && name[0] == '.') {
		*res = dir;
		return 0;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		/* Up out of a mounted instance's root to the directory it covers. */
		ino = mnt_up(dir);
		if (ino && is_vfs_inode(ino))
			return -EVFS;
		*res = ino ? mnt_down(ino->parent) : dir;
		return 0;
	}
	ino = fs_dir_lookup(dir, name, len);
	if (!ino)
		return -ENOENT;
	*res = mnt_down(ino);
	return 0;
}

/*
 * vfs_walk(), and path_fill()'s: with fill, fill(ino, arg) is called on
 * where the walk ends instead of returning it, under the walk's own
 * fs_lock section with no reference taken for a RAM inode, with the
 * walk's reference and no lock for a VFS one.
 */
static int walk_path(struct inode *base, const char *upath, int flags,
		     struct vpath *res, struct vlast *last,
		     void (*fill)(struct inode *ino, void *arg), void *arg)
{
	/* The path is walked in place; buf holds it once a symlink is met. */
	char *buf = NULL, *target = NULL;
	struct walk w = { .locked = false };
	struct vpath next = { NULL, NULL };
	bool follow = flags & VWALK_FOLLOW, want_dir = false;
	unsigned int links = 0;
	const char *p = upath;
	int ret = 0;

	/* No length check: get_path() made every user path shorter than PATH_MAX. */
	if (*p != '/' && (flags & VWALK_CWD)) {
		walk_lock(&w);
		base = cur_files()->cwd; /* chdir changes it under fs_lock */
	}
	if (*p == '/' || !base || !is_vfs_inode(base)) {
		walk_lock(&w);
		walk_set(&w, *p == '/' || !base ? ns_root() : base);
	} else {
		/* A VFS directory: walk on from its dentry (dcache_lock nests in fs_lock) */
		w.cur.d = d_find_alias(base);
		w.cur.ino = base;
		if (!w.cur.d)
			ret = -ENOENT; /* removed */
	}
	while (!ret) {
		struct inode *ino;
		const char *name;
		size_t len, restlen;
		bool slash, is_last;

		if (*p == '/') {
			if (w.cur.d) {
				walk_unlock(&w);
				vpath_put(&w.cur);
			}
			walk_lock(&w);
			walk_set(&w, ns_root());
		}
		while (*p == '/')
			p++;
		if (!*p) {
			/* "/", or a target of slashes: cur itself */
			if (want_dir && !S_ISDIR(w.cur.ino->i_mode))
				ret = -ENOTDIR;
			if (!ret && last)
				*last = (struct vlast){ .len = 0, .type = LAST_ROOT };
			break;
		}
		name = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - name);
		slash = *p == '/';
		while (*p == '/')
			p++;
		is_last = !*p;
		if (len > NAME_MAX) {
			ret = -ENAMETOOLONG;
			break;
		}
		if (!S_ISDIR(w.cur.ino->i_mode)) {
			ret = -ENOTDIR;
			break;
		}
		if (is_last && (flags & VWALK_PARENT)) {
			memcpy(last->name, name, len);
			last->name[len] = '\0';
			last->len = len;
			last->slash = slash || want_dir;
			last->type = last_type(name, len);
			break;
		}
		ino = NULL;
		if (!w.cur.d) {
			walk_lock(&w);
			ret = ram_step(&w, name, len, &ino);
			if (ret == -EVFS) {
				walk_unlock(&w);
				ret = step_up(&w.cur, &next);
				ino = NULL;
			}
		} else {
			walk_unlock(&w);
			ret = step(&w.cur, name, len, &next);
		}
		if (ret)
			break;
		if (S_ISLNK((ino ? ino : next.ino)->i_mode) && (!is_last || follow || slash)) {
			/* The target, then what followed the symlink, in place of both. */
			if (++links > MAXSYMLINKS)
				ret = -ELOOP;
			if (!ret && !buf)
				buf = kmalloc(PATH_MAX, __GFP_NOWARN);
			if (!ret && !target)
				target = kmalloc(PATH_MAX, __GFP_NOWARN);
			if (!ret && (!buf || !target))
				ret = -ENOMEM;
			if (!ret)
				ret = ino ? ram_link(ino, target) : read_link(&next, target);
			vpath_put(&next);
			if (ret < 0)
				break;
			if (!ret) {
				ret = -ENOENT;
				break;
			}
			restlen = strlen(p);
			len = (size_t)ret;
			ret = 0;
			if (len + 1 + restlen >= PATH_MAX) {
				ret = -ENAMETOOLONG;
				break;
			}
			memmove(buf + len + 1, p, restlen + 1);
			memcpy(buf, target, len);
			buf[len] = '/';
			if (is_last) {
				buf[len] = '\0';
				want_dir |= slash;
				follow = true;
			}
			p = buf;
			continue;
		}
		if (is_last && (slash || want_dir) &&
		    !S_ISDIR((ino ? ino : next.ino)->i_mode)) {
			vpath_put(&next);
			ret = -ENOTDIR;
			break;
		}
		if (ino) {
			walk_set(&w, ino); /* a borrowed RAM inode, or a VFS root */
		} else {
			/* next is referenced: cur's reference goes (unlocked) */
			vpath_put(&w.cur);
			w.cur = next;
			next = (struct vpath){ NULL, NULL };
		}
		if (is_last)
			break;
	}
	if (!ret && fill && !w.cur.d) {
		/* A RAM inode's fields are under fs_lock; borrowed there, nothing to hold. */
		walk_lock(&w);
		fill(w.cur.ino, arg);
		w.cur = (struct vpath){ NULL, NULL };
	}
	walk_unlock(&w);
	if (buf || target) { /* a symlink was met: not on the path most walks take */
		kfree(buf);
		kfree(target);
	}
	if (!ret && !fill) {
		*res = w.cur;
	} else if (w.cur.ino) {
		if (!ret)
			fill(w.cur.ino, arg); /* a VFS inode, with the walk's reference */
		vpath_put(&w.cur);
	}
	return ret;
}

int vfs_walk(struct inode *base, const char *upath, int flags,
	     struct vpath *res, struct vlast *last)
{
	return walk_path(base, upath, flags, res, last, NULL, NULL);
}

int vfs_walk_fill(struct inode *base, const char *path, int flags,
		  void (*fill)(struct inode *ino, void *arg), void *arg)
{
	return walk_path(base, path, flags, NULL, NULL, fill, arg);
}

int vfs_dir_path(struct inode *dir, char *buf, size_t *pos)
{
	struct mount *m;
	size_t end = *pos;
	int ret = d_dir_path(dir, buf, pos);

	if (ret)
		return ret;
	m = vfs_mount_of(dir->i_sb);
	if (!m || !m->mountpoint)
		return -ENOENT; /* not in the tree */
	if (m->mountpoint == fs_root && *pos != end)
		return 0; /* the root on a disk: "/" is already there */
	return fs_dir_path(m->mountpoint, buf, pos);
}

int vfs_real_path(struct inode *base, const char *path, char *buf)
{
	size_t pos = PATH_MAX - 1;
	unsigned long irq;
	struct vpath p;
	int ret = vfs_walk(base, path, VWALK_FOLLOW, &p, NULL);

	if (ret)
		return ret;
	buf[pos] = '\0';
	irq = fs_lock_irqsave();
	if (!p.d)
		ret = S_ISDIR(p.ino->i_mode) ? fs_dir_path(p.ino, buf, &pos) : -ENOENT;
	else if (S_ISDIR(p.ino->i_mode))
		ret = vfs_dir_path(p.ino, buf, &pos);
	else if (!(ret = fs_prepend(buf, &pos, p.d->d_name.name, p.d->d_name.len)) &&
		 !(ret = fs_prepend(buf, &pos, "/", 1)))
		/* A dentry's name and parent never change (rename drops it). */
		ret = vfs_dir_path(p.d->d_parent->d_inode, buf, &pos);
	fs_unlock_irqrestore(irq);
	vpath_put(&p);
	if (!ret && buf[pos] == '/' && buf[pos + 1] == '/')
		pos++; /* a file in "/": its directory's path is "/" itself */
	if (!ret)
		memmove(buf, buf + pos, PATH_MAX - pos);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* The calls on VFS directories, after the RAM walk said -EVFS. */

/*
 * The parent directory of path's last component, which must be on a VFS
 * file system: a name made or removed back in the RAM file system by a
 * walk that passed through a VFS one (a symlink on ext2 to /tmp) is not
 * done here, EXDEV.
 */
static int walk_parent(struct inode *base, const char *path, struct vpath *dir,
		       struct vlast *l)
{
	int ret = vfs_walk(base, path, VWALK_FOLLOW | VWALK_PARENT, dir, l);

	if (!ret && !dir->d) {
		vpath_put(dir);
		ret = -EXDEV;
	}
	return ret;
}

/* A dentry on the stack for setattr on an inode reached by a file. */
static int setattr(struct inode *ino, struct iattr *attr)
{
	struct dentry d = { .d_inode = ino, .d_sb = ino->i_sb };
	u64 old = ino->i_size;
	int ret;

	if (!ino->i_op || !ino->i_op->setattr)
		return -EPERM;
	ret = ino->i_op->setattr(&d, attr);
	/* Even a failed truncate may have moved the end: the cache follows it. */
	if (IS_ENABLED(CONFIG_FILEMAP) && (attr->ia_valid & ATTR_SIZE))
		filemap_size_changed(ino, old, ino->i_size);
	return ret;
}

int vfs_truncate(struct inode *ino, u64 size)
{
	struct iattr attr = { .ia_valid = ATTR_SIZE, .ia_size = size };
	int ret;

	if (inode_rdonly(ino))
		return -EROFS;
	inode_lock(ino);
	ret = setattr(ino, &attr);
	inode_unlock(ino);
	return ret;
}

int vfs_setattr(struct inode *ino, struct iattr *attr)
{
	int ret;

	if (inode_rdonly(ino))
		return -EROFS;
	inode_lock(ino);
	ret = setattr(ino, attr);
	inode_unlock(ino);
	return ret;
}

/* The walk's result as a reference of the namespace's (inode_get's). */
static struct inode *hold(struct vpath *p)
{
	struct inode *ino = p->ino;
	unsigned long irq;

	if (!p->d)
		return ino; /* a RAM inode: the walk's reference is one already */
	irq = fs_lock_irqsave();
	inode_get(ino);
	fs_unlock_irqrestore(irq);
	vpath_put(p);
	return ino;
}

int vfs_lookup_inode(struct inode *base, const char *path, int flags,
		     struct inode **res)
{
	struct vpath p;
	int ret = vfs_walk(base, path, flags, &p, NULL);

	if (!ret)
		*res = hold(&p);
	return ret;
}

int vfs_open(struct inode *base, const char *path, int flags, u32 mode,
	     struct inode **res, bool *trunc)
{
	bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	int ret;
	struct vpath p, dir;
	struct vlast l;
	struct inode *ino;

	ret = vfs_walk(base, path, !(flags & O_NOFOLLOW) && !excl ? VWALK_FOLLOW : 0,
		       &p, NULL);
	if (ret == -ENOENT && (flags & O_CREAT)) {
		struct dentry *d;

		ret = walk_parent(base, path, &dir, &l);
		if (ret)
			return ret;
		if (l.slash || l.type != LAST_NORM) {
			vpath_put(&dir);
			return -EISDIR;
		}
		inode_lock(dir.ino);
		d = lookup_one_locked(dir.d, l.name, (u32)l.len);
		ret = IS_ERR(d) ? (int)PTR_ERR(d) : 0;
		if (!ret && !d->d_inode) {
			if (inode_rdonly(dir.ino))
				ret = -EROFS;
			else if (!dir.ino->i_nlink)
				ret = -ENOENT;
			else if (!dir.ino->i_op->create)
				ret = -EACCES;
			else
				ret = dir.ino->i_op->create(dir.ino, d, S_IFREG | mode);
			excl = false; /* made here */
		}
		inode_unlock(dir.ino);
		vpath_put(&dir);
		if (ret) {
			if (!IS_ERR(d))
				dput(d);
			return ret;
		}
		p = (struct vpath){ d->d_inode, d };
	} else if (ret) {
		return ret;
	}
	ino = p.ino;
	ret = may_open_existing(ino, (unsigned int)flags & ~(excl ? 0U : (unsigned int)O_EXCL));
	*trunc = !ret && S_ISREG(ino->i_mode) && (flags & O_TRUNC);
	if (ret)
		vpath_put(&p);
	else
		*res = hold(&p);
	return ret;
}

/* With dir's i_mutex held: the dentry of l in it (a reference), maybe negative. */
static struct dentry *locked_last(struct vpath *dir, struct vlast *l)
{
	inode_lock(dir->ino);
	return lookup_one_locked(dir->d, l->name, (u32)l->len);
}

/* Linux's filename_create() checks, with dir locked and d looked up. */
static int may_create(struct vpath *dir, struct vlast *l, struct dentry *d)
{
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	if (d->d_inode)
		return -EEXIST;
	if (!dir->ino->i_nlink)
		return -ENOENT;
	if (l->slash)
		return -ENOENT;
	return inode_rdonly(dir->ino) ? -EROFS : 0;
}

static void unlock_last(struct vpath *dir, struct dentry *d)
{
	inode_unlock(dir->ino);
	if (!IS_ERR(d))
		dput(d);
	vpath_put(dir);
}

/*
 * For the calls that make a name: the parent of path locked and the
 * dentry of its last name looked up in it. False (with *ret) when nothing
 * was locked; else *ret is may_create()'s verdict and the caller ends
 * with unlock_last(). slash_ok: "name/" may be made (mkdir).
 */
static bool lock_new_name(struct inode *base, const char *path, bool slash_ok,
			  struct vpath *dir, struct dentry **d, int *ret)
{
	struct vlast l;

	*ret = walk_parent(base, path, dir, &l);
	if (*ret)
		return false;
	if (l.type != LAST_NORM) {
		vpath_put(dir);
		*ret = -EEXIST;
		return false;
	}
	*d = locked_last(dir, &l);
	*ret = may_create(dir, &l, *d);
	if (*ret == -ENOENT && l.slash && slash_ok)
		*ret = 0; /* "mkdir foo/" makes foo */
	return true;
}

int vfs_mkdir(struct inode *base, const char *path, u32 mode)
{
	struct vpath dir;
	struct dentry *d;
	int ret;

	if (!lock_new_name(base, path, true, &dir, &d, &ret))
		return ret;
	if (!ret)
		ret = dir.ino->i_op->mkdir ? dir.ino->i_op->mkdir(dir.ino, d, S_IFDIR | mode) :
		      -EPERM;
	unlock_last(&dir, d);
	return ret;
}

int vfs_mknod(struct inode *base, const char *path, u32 mode, u32 dev)
{
	struct vpath dir;
	struct dentry *d;
	int ret;

	if (!lock_new_name(base, path, false, &dir, &d, &ret))
		return ret;
	if (!ret && S_ISREG(mode))
		ret = dir.ino->i_op->create ? dir.ino->i_op->create(dir.ino, d, mode) : -EPERM;
	else if (!ret)
		ret = dir.ino->i_op->mknod ? dir.ino->i_op->mknod(dir.ino, d, mode, dev) : -EPERM;
	unlock_last(&dir, d);
	return ret;
}

int vfs_symlink(const char *target, struct inode *base, const char *path)
{
	struct vpath dir;
	struct dentry *d;
	int ret;

	if (!lock_new_name(base, path, false, &dir, &d, &ret))
		return ret;
	if (!ret)
		ret = dir.ino->i_op->symlink ? dir.ino->i_op->symlink(dir.ino, d, target) : -EPERM;
	unlock_last(&dir, d);
	return ret;
}

int vfs_link(struct inode *obase, const char *opath, bool follow,
	     struct inode *nbase, const char *npath)
{
	struct vpath src, dir;
	struct dentry *d;
	int ret = vfs_walk(obase, opath, follow ? VWALK_FOLLOW : 0, &src, NULL);

	if (ret)
		return ret;
	if (!lock_new_name(nbase, npath, false, &dir, &d, &ret)) {
		vpath_put(&src);
		return ret;
	}
	if (!ret && (!src.d || src.ino->i_sb != dir.ino->i_sb))
		ret = -EXDEV;
	else if (!ret && S_ISDIR(src.ino->i_mode))
		ret = -EPERM;
	else if (!ret && !src.ino->i_nlink)
		ret = -ENOENT;
	if (!ret)
		ret = dir.ino->i_op->link ? dir.ino->i_op->link(src.d, dir.ino, d) : -EPERM;
	unlock_last(&dir, d);
	vpath_put(&src);
	return ret;
}

int vfs_unlink(struct inode *base, const char *path, bool rmdir)
{
	struct vpath dir;
	struct vlast l;
	struct dentry *d;
	struct inode *ino;
	int ret = walk_parent(base, path, &dir, &l);

	if (ret)
		return ret;
	switch (l.type) {
	case LAST_NORM:
		break;
	case LAST_DOTDOT:
		ret = rmdir ? -ENOTEMPTY : -EISDIR;
		break;
	case LAST_DOT:
		ret = rmdir ? -EINVAL : -EISDIR;
		break;
	default:
		ret = rmdir ? -EBUSY : -EISDIR;
	}
	if (!ret && inode_rdonly(dir.ino))
		ret = -EROFS;
	if (ret) {
		vpath_put(&dir);
		return ret;
	}
	d = locked_last(&dir, &l);
	ret = IS_ERR(d) ? (int)PTR_ERR(d) : 0;
	ino = ret ? NULL : d->d_inode;
	if (!ret && !ino)
		ret = -ENOENT;
	else if (!ret && rmdir && !S_ISDIR(ino->i_mode))
		ret = -ENOTDIR;
	else if (!ret && !rmdir && S_ISDIR(ino->i_mode))
		ret = -EISDIR;
	else if (!ret && !rmdir && l.slash)
		ret = -ENOTDIR;
	else if (!ret && READ_ONCE(ino->i_mounted))
		ret = -EBUSY;
	if (!ret) {
		inode_lock(ino);
		ret = rmdir ? (dir.ino->i_op->rmdir ? dir.ino->i_op->rmdir(dir.ino, d) : -EPERM) :
			      (dir.ino->i_op->unlink ? dir.ino->i_op->unlink(dir.ino, d) : -EPERM);
		inode_unlock(ino);
	}
	if (!ret)
		d_drop(d); /* the name is gone; the inode lives while open */
	unlock_last(&dir, d);
	return ret;
}

/* Is dentry a at d or above it (up to its file system's root)? */
static bool d_ancestor(struct dentry *a, struct dentry *d)
{
	for (;; d = d->d_parent) {
		if (d == a)
			return true;
		if (d == d->d_parent)
			return false;
	}
}

int vfs_rename(struct inode *obase, const char *opath, struct inode *nbase,
	       const char *npath, unsigned int flags)
{
	bool exchange = flags & RENAME_EXCHANGE, cross;
	struct dentry *od = NULL, *nd = NULL;
	struct inode *src, *dst;
	struct vpath o, n;
	struct vlast ol, nl;
	int ret = walk_parent(obase, opath, &o, &ol);

	if (ret)
		return ret;
	ret = walk_parent(nbase, npath, &n, &nl);
	if (ret) {
		vpath_put(&o);
		return ret;
	}
	if (o.ino->i_sb != n.ino->i_sb)
		ret = -EXDEV;
	else if (ol.type != LAST_NORM)
		ret = -EBUSY;
	else if (nl.type != LAST_NORM)
		ret = flags & RENAME_NOREPLACE ? -EEXIST : -EBUSY;
	else if (inode_rdonly(o.ino))
		ret = -EROFS;
	if (ret) {
		vpath_put(&o);
		vpath_put(&n);
		return ret;
	}
	/* Lock order: the super block's rename mutex, then the directories by address. */
	cross = o.ino != n.ino;
	if (cross) {
		mutex_lock(&o.ino->i_sb->s_rename_mutex);
		inode_lock(o.ino < n.ino ? o.ino : n.ino);
		inode_lock(o.ino < n.ino ? n.ino : o.ino);
	} else {
		inode_lock(o.ino);
	}
	od = lookup_one_locked(o.d, ol.name, (u32)ol.len);
	if (IS_ERR(od)) {
		ret = (int)PTR_ERR(od);
		od = NULL;
	}
	if (!ret) {
		nd = lookup_one_locked(n.d, nl.name, (u32)nl.len);
		if (IS_ERR(nd)) {
			ret = (int)PTR_ERR(nd);
			nd = NULL;
		}
	}
	src = od ? od->d_inode : NULL;
	dst = nd ? nd->d_inode : NULL;
	if (ret)
		;
	else if (!src)
		ret = -ENOENT;
	else if (!n.ino->i_nlink)
		ret = -ENOENT;
	else if (exchange && !dst)
		ret = -ENOENT;
	else if ((flags & RENAME_NOREPLACE) && dst)
		ret = -EEXIST;
	else if (exchange && !S_ISDIR(dst->i_mode) && nl.slash)
		ret = -ENOTDIR;
	else if (!S_ISDIR(src->i_mode) && (ol.slash || (!exchange && nl.slash)))
		ret = -ENOTDIR;
	else if (cross && S_ISDIR(src->i_mode) && d_ancestor(od, n.d))
		ret = -EINVAL;
	else if (cross && dst && S_ISDIR(dst->i_mode) && d_ancestor(nd, o.d))
		ret = exchange ? -EINVAL : -ENOTEMPTY;
	else if (src == dst)
		ret = 1; /* the same name, or two links of one file */
	else if (dst && !exchange && S_ISDIR(src->i_mode) && !S_ISDIR(dst->i_mode))
		ret = -ENOTDIR;
	else if (dst && !exchange && !S_ISDIR(src->i_mode) && S_ISDIR(dst->i_mode))
		ret = -EISDIR;
	else if (READ_ONCE(src->i_mounted) || (dst && READ_ONCE(dst->i_mounted)))
		ret = -EBUSY;
	else if (!o.ino->i_op->rename)
		ret = -EPERM;
	if (!ret)
		ret = o.ino->i_op->rename(o.ino, od, n.ino, nd, flags);
	if (!ret) {
		/* Both names are looked up afresh: the dentries do not move. */
		d_drop(od);
		d_drop(nd);
	}
	if (ret == 1)
		ret = 0;
	inode_unlock(o.ino);
	if (cross) {
		inode_unlock(n.ino);
		mutex_unlock(&o.ino->i_sb->s_rename_mutex);
	}
	dput(od);
	dput(nd);
	vpath_put(&o);
	vpath_put(&n);
	return ret;
}

int vfs_readlink(struct inode *base, const char *path, char *buf)
{
	struct vpath p;
	int ret = vfs_walk(base, path, 0, &p, NULL);

	if (ret)
		return ret;
	ret = S_ISLNK(p.ino->i_mode) ? read_link(&p, buf) : -EINVAL;
	vpath_put(&p);
	return ret;
}

bool vfs_read_chunk(struct inode *ino, u64 pos, void *buf, size_t n)
{
	long got;

	if (!IS_ENABLED(CONFIG_FILEMAP) || !ino->i_aops)
		return false;
	got = filemap_read_kernel(ino, pos, buf, n);
	if (got < 0)
		return false;
	memset((char *)buf + got, 0, n - (size_t)got);
	return true;
}
