/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RAM file system: inodes for regular files, directories, symlinks and
 * character devices, kept in memory only. Regular file data lives in
 * whole pages in a radix tree per file: a hole costs nothing and reads as
 * zeroes, so a file may be sparse up to FS_MAX_SIZE, and it grows as long
 * as there are free pages in the budget: a write that finds none returns
 * -ENOSPC. Directories keep their entries in a list (getdents order) and
 * in a hash table (lookups), so neither grows quadratically.
 *
 * Nothing here recurses on what the input decides (tree depth, symlink
 * chains): the stack is small and has nothing below it to protect.
 *
 * Locking: everything here runs under fs_lock (see internal.h), taken
 * with interrupts masked, but the file operations (ramfs_file_fops),
 * which take it around each page and copy to and from user memory
 * without it, and hold the inode's i_mutex across a whole write.
 * Allocations under fs_lock use kmalloc/alloc_page, which never sleep.
 */
#include <hartix/blkdev.h>
#include <hartix/chrdev.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/uaccess.h>
#include <hartix/vmalloc.h>
#include <asm/page.h>

#include "internal.h"

/* A radix tree node is a page of pointers: RADIX_SHIFT index bits a level. */
#define RADIX_SHIFT (PAGE_SHIFT - 3)
#define RADIX_SLOTS (1UL << RADIX_SHIFT)

/* Directory hash tables stop doubling here (256 KiB of chain heads). */
#define DIR_HASH_MAX (1UL << 15)
#define DIR_HASH_MIN 8UL

DEFINE_SPINLOCK(fs_lock);
struct inode *fs_root;
static unsigned long next_ino = 1; /* under fs_lock */
/* File data pages in use, and the budget (CONFIG_TMPFS_SIZE_PERCENT); under fs_lock. */
static unsigned long data_pages, data_pages_max;

void inode_get(struct inode *ino)
{
	if (is_vfs_inode(ino)) {
		vfs_ns_get(ino);
		return;
	}
	/* Atomic: fs_hold_inode() adds to a held count without fs_lock. */
	__atomic_add_fetch(&ino->refs, 1, __ATOMIC_RELAXED);
	mnt_ref(ino, 1);
}

void fs_time_now(struct timespec *ts)
{
	/* CLOCK_REALTIME's value (kernel/time/clock.c); never before 1970 here. */
	s64 ns = ktime_get_real_ns();

	if (ns < 0)
		ns = 0;
	ts->tv_sec = (long)(ns / (s64)NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % (s64)NSEC_PER_SEC);
}

void inode_touch_mtime(struct inode *ino)
{
	fs_time_now(&ino->i_mtime);
	ino->i_ctime = ino->i_mtime;
}

void inode_touch_ctime(struct inode *ino)
{
	fs_time_now(&ino->i_ctime);
}

static bool ts_before_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

/* Linux's relatime: once after each change, else once a day. */
void inode_touch_atime(struct inode *ino)
{
	struct timespec now;

	fs_time_now(&now);
	if (ts_before_eq(&ino->i_atime, &ino->i_mtime) ||
	    ts_before_eq(&ino->i_atime, &ino->i_ctime) ||
	    now.tv_sec - ino->i_atime.tv_sec >= 24 * 60 * 60)
		ino->i_atime = now;
}

/*
 * A page of file data, or NULL when the budget or memory is out. Zeroed,
 * unless the caller fills all of it at once (whole): the initramfs's files
 * are written that way, and zeroing their pages first was a tenth of the
 * boot.
 */
static void *data_page_alloc(bool whole)
{
	void *p;

	if (data_pages >= data_pages_max)
		return NULL;
	p = alloc_page((whole ? 0 : __GFP_ZERO) | __GFP_NOWARN);
	if (p) {
		data_pages++;
		/* The file's reference; mappings take more (fs_get_page()). */
		virt_to_page(p)->refcount = 1;
	}
	return p;
}

/*
 * The slot of data page idx in ino's tree, or NULL. With grow, the tree
 * is made tall enough and the nodes on the way are allocated (NULL
 * without memory; nodes already made stay for the next try).
 */
static void **page_slot(struct inode *ino, unsigned long idx, bool grow)
{
	struct ramfs_inode *ri = RAMFS_I(ino);
	unsigned int h;
	void **node;

	while (!ri->pages_height ||
	       (ri->pages_height * RADIX_SHIFT < 64 &&
		idx >> (ri->pages_height * RADIX_SHIFT))) {
		void **top;

		if (!grow)
			return NULL;
		top = alloc_page(__GFP_ZERO | __GFP_NOWARN);
		if (!top)
			return NULL;
		top[0] = ri->pages;
		ri->pages = top;
		ri->pages_height++;
	}
	node = ri->pages;
	for (h = ri->pages_height; h > 1; h--) {
		void **slot = &node[(idx >> ((h - 1) * RADIX_SHIFT)) &
				    (RADIX_SLOTS - 1)];

		if (!*slot) {
			if (!grow)
				return NULL;
			*slot = alloc_page(__GFP_ZERO | __GFP_NOWARN);
			if (!*slot)
				return NULL;
		}
		node = *slot;
	}
	return &node[idx & (RADIX_SLOTS - 1)];
}

/* ino's data pages went up or down by delta: nr_pages and stat's i_blocks. */
static void count_pages(struct inode *ino, long delta)
{
	RAMFS_I(ino)->nr_pages += (unsigned long)delta;
	ino->i_blocks = RAMFS_I(ino)->nr_pages * (PAGE_SIZE / 512);
}

/*
 * Frees the data pages with index first..last under node, a level-h node
 * whose first index is base, and the child nodes left with nothing. The
 * recursion is as deep as the tree: at most 64 / RADIX_SHIFT levels.
 */
static void free_subtree(struct inode *ino, void **node, unsigned int h,
			 unsigned long base, unsigned long first,
			 unsigned long last)
{
	unsigned long i, step = 1UL << ((h - 1) * RADIX_SHIFT);

	for (i = 0; i < RADIX_SLOTS; i++) {
		unsigned long lo = base + i * step;

		if (!node[i] || lo + step - 1 < first || lo > last)
			continue;
		if (h > 1) {
			free_subtree(ino, node[i], h - 1, lo, first, last);
			if (lo < first || lo + step - 1 > last)
				continue; /* it still holds pages outside */
			free_page(node[i]);
		} else {
			count_pages(ino, -1);
			data_pages--;
			put_page(node[i]); /* mappings may still hold it */
		}
		node[i] = NULL;
	}
}

/* Frees the data pages from index first on (and the whole tree for 0). */
static void free_data(struct inode *ino, unsigned long first)
{
	struct ramfs_inode *ri = RAMFS_I(ino);

	if (!ri->pages_height)
		return;
	free_subtree(ino, ri->pages, ri->pages_height, 0, first, ~0UL);
	if (!first) {
		free_page(ri->pages);
		ri->pages = NULL;
		ri->pages_height = 0;
	}
}

/* Frees ino, then its parent if ino held the last reference, and so on up. */
static void inode_free(struct inode *ino)
{
	while (ino) {
		struct inode *parent = S_ISDIR(ino->i_mode) ? ino->parent : NULL;

		if (S_ISDIR(ino->i_mode))
			mnt_dir_freed(ino);
		free_data(ino, 0);
		kfree(RAMFS_I(ino)->hash);
		kfree(ino->target);
		kfree(RAMFS_I(ino));
		/* With the directory gone from dirs, refs - dirs (its use) stays. */
		if (parent)
			mnt_ref(parent, -1);
		ino = parent && !__atomic_sub_fetch(&parent->refs, 1, __ATOMIC_ACQ_REL) &&
		      parent->i_nlink == 0 ? parent : NULL;
	}
}

void inode_put(struct inode *ino)
{
	struct mount *m = real_mount(ino);

	if (is_vfs_inode(ino)) {
		vfs_ns_put(ino);
		return;
	}
	if (!__atomic_sub_fetch(&ino->refs, 1, __ATOMIC_ACQ_REL) && ino->i_nlink == 0)
		inode_free(ino);
	if (m)
		mnt_put_ref(m); /* may free a detached instance now unused */
}

struct inode *ramfs_alloc_inode(void)
{
	struct ramfs_inode *ri = kzalloc(sizeof(*ri), __GFP_NOWARN);

	return ri ? &ri->vfs_inode : NULL;
}

static struct inode *inode_new(u32 mode, u32 rdev)
{
	struct inode *ino = ramfs_alloc_inode();

	if (!ino)
		return NULL;
	if (S_ISREG(mode))
		ino->i_fop = &ramfs_file_fops;
	else if (S_ISDIR(mode))
		ino->i_fop = &generic_dir_fops;
	ino->i_mode = mode;
	ino->i_rdev = rdev;
	ino->i_ino = next_ino++;
	ino->i_nlink = S_ISDIR(mode) ? 2 : 1;
	RAMFS_I(ino)->next_off = 2; /* after "." and ".." */
	fs_time_now(&ino->i_mtime);
	ino->i_atime = ino->i_ctime = ino->i_mtime;
	mutex_init(&ino->i_mutex);
	return ino;
}

struct inode *inode_new_anon(u32 mode)
{
	struct inode *ino = inode_new(mode, 0);

	if (ino)
		ino->i_nlink = 0;
	return ino;
}

/* FNV-1a: names are short; any spread will do, the chains are short. */
static unsigned long name_hash(const char *name, size_t len)
{
	unsigned long h = 0xcbf29ce484222325UL;

	while (len--)
		h = (h ^ (u8)*name++) * 0x100000001b3UL;
	return h ^ (h >> 29);
}

static struct ramfs_dirent **hash_chain(struct inode *dir, const char *name,
				  size_t len)
{
	return &RAMFS_I(dir)->hash[name_hash(name, len) & (RAMFS_I(dir)->hash_size - 1)];
}

struct ramfs_dirent *fs_dir_find(struct inode *dir, const char *name, size_t len)
{
	struct ramfs_dirent *d;

	if (!RAMFS_I(dir)->hash)
		return NULL;
	for (d = *hash_chain(dir, name, len); d; d = d->hnext)
		if (d->len == len && !memcmp(d->name, name, len))
			return d;
	return NULL;
}

struct inode *fs_dir_lookup(struct inode *dir, const char *name, size_t len)
{
	struct ramfs_dirent *d;

	if (dir->dir_ops)
		return dir->dir_ops->lookup(dir, name, len);
	d = fs_dir_find(dir, name, len);
	return d ? d->inode : NULL;
}

/*
 * Room in dir's hash table for one more entry: the table doubles when
 * the entries outnumber the chains. Only the first table is a must: a
 * failed doubling leaves longer chains, not a failure.
 */
static int hash_reserve(struct inode *dir)
{
	struct ramfs_inode *ri = RAMFS_I(dir);
	unsigned long size = ri->hash_size;
	struct ramfs_dirent **t, *d;

	if (size && (ri->nr_children < size || size >= DIR_HASH_MAX))
		return 0;
	size = size ? size * 2 : DIR_HASH_MIN;
	t = kzalloc(size * sizeof(*t), __GFP_NOWARN);
	if (!t)
		return ri->hash ? 0 : -ENOSPC;
	kfree(ri->hash);
	ri->hash = t;
	ri->hash_size = size;
	for (d = ri->children; d; d = d->next) {
		struct ramfs_dirent **chain = hash_chain(dir, d->name, d->len);

		d->hnext = *chain;
		*chain = d;
	}
	return 0;
}

static struct ramfs_dirent *dentry_alloc(const char *name, size_t len)
{
	struct ramfs_dirent *d = kmalloc(sizeof(*d) + len + 1, __GFP_NOWARN);

	if (d) {
		memcpy(d->name, name, len);
		d->name[len] = '\0';
		d->len = len;
	}
	return d;
}

/*
 * Appends d naming ino to dir (the list stays in off order); the caller
 * made room with hash_reserve().
 */
static void dir_add(struct inode *dir, struct ramfs_dirent *d, struct inode *ino)
{
	struct ramfs_dirent **chain = hash_chain(dir, d->name, d->len);
	struct ramfs_inode *ri = RAMFS_I(dir);

	d->inode = ino;
	d->off = ri->next_off++;
	d->next = NULL;
	d->prev = ri->children_tail;
	if (ri->children_tail)
		ri->children_tail->next = d;
	else
		ri->children = d;
	ri->children_tail = d;
	d->hnext = *chain;
	*chain = d;
	ri->nr_children++;
	inode_touch_mtime(dir);
	if (S_ISDIR(ino->i_mode))
		RAMFS_I(ino)->dentry = d;
}

/* Takes d out of dir's list and frees it; its inode is the caller's business. */
static void dir_detach(struct inode *dir, struct ramfs_dirent *d)
{
	struct ramfs_inode *ri = RAMFS_I(dir);
	struct ramfs_dirent **pp;

	for (pp = hash_chain(dir, d->name, d->len); *pp != d; pp = &(*pp)->hnext)
		;
	*pp = d->hnext;
	if (d->prev)
		d->prev->next = d->next;
	else
		ri->children = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		ri->children_tail = d->prev;
	if (ri->readdir_hint == d)
		ri->readdir_hint = d->prev;
	ri->nr_children--;
	inode_touch_mtime(dir);
	kfree(d);
}

/* Makes dir the parent of the directory ino (its ".." and the link counts). */
static void set_parent(struct inode *ino, struct inode *dir)
{
	struct inode *old = ino->parent;

	if (old == dir)
		return;
	inode_get(dir);
	dir->i_nlink++;
	ino->parent = dir;
	old->i_nlink--;
	inode_put(old);
}

int fs_create(struct inode *dir, const char *name, size_t len, u32 mode,
	      u32 rdev, struct inode **res)
{
	struct ramfs_dirent *d;
	struct inode *ino;

	if (dir->proc)
		return -EACCES; /* open(O_CREAT) in /proc, as Linux */
	if (inode_rdonly(dir))
		return -EROFS;
	if (!dir->i_nlink)
		return -ENOENT; /* a removed directory takes no new names */
	if (hash_reserve(dir))
		return -ENOSPC;
	d = dentry_alloc(name, len);
	ino = d ? inode_new(mode, rdev) : NULL;
	if (!ino) {
		kfree(d);
		return -ENOSPC;
	}
	dir_add(dir, d, ino);
	mnt_inode_new(dir, ino);
	if (S_ISDIR(mode)) {
		ino->parent = dir;
		inode_get(dir);
		dir->i_nlink++;
	}
	*res = ino;
	return 0;
}

int ramfs_link(struct inode *dir, const char *name, size_t len,
	       struct inode *ino)
{
	struct ramfs_dirent *d;

	if (!dir->i_nlink)
		return -ENOENT;
	if (hash_reserve(dir))
		return -ENOSPC;
	d = dentry_alloc(name, len);
	if (!d)
		return -ENOSPC;
	dir_add(dir, d, ino);
	ino->i_nlink++;
	inode_touch_ctime(ino);
	return 0;
}

void ramfs_unlink(struct inode *dir, struct ramfs_dirent *d)
{
	struct inode *ino = d->inode;

	dir_detach(dir, d);
	if (S_ISDIR(ino->i_mode)) {
		ino->i_nlink = 0;
		RAMFS_I(ino)->dentry = NULL;
		dir->i_nlink--;
	} else {
		ino->i_nlink--;
		inode_touch_ctime(ino);
	}
	if (!READ_ONCE(ino->refs) && !ino->i_nlink)
		inode_free(ino);
}

int ramfs_rename(struct inode *odir, struct ramfs_dirent *od, struct inode *ndir,
		 const char *name, size_t len, struct ramfs_dirent *nd,
		 bool exchange)
{
	struct inode *ino = od->inode;
	struct ramfs_dirent *d;

	if (exchange) {
		struct inode *other = nd->inode;

		od->inode = other;
		nd->inode = ino;
		if (S_ISDIR(ino->i_mode)) {
			RAMFS_I(ino)->dentry = nd;
			set_parent(ino, ndir);
		}
		if (S_ISDIR(other->i_mode)) {
			RAMFS_I(other)->dentry = od;
			set_parent(other, odir);
		}
		return 0;
	}
	d = hash_reserve(ndir) ? NULL : dentry_alloc(name, len);
	if (!d)
		return -ENOSPC;
	/* The moved inode keeps its link: nothing below may free it. */
	dir_detach(odir, od);
	if (nd)
		ramfs_unlink(ndir, nd);
	dir_add(ndir, d, ino);
	if (S_ISDIR(ino->i_mode))
		set_parent(ino, ndir);
	inode_touch_ctime(ino);
	return 0;
}

/*
 * Removes d and, for a directory, everything under it (boot-time
 * replacement): depth first, climbing back up through each directory's
 * dentry and parent instead of recursing, so any depth takes no stack.
 */
static void remove_tree(struct inode *top, struct ramfs_dirent *d)
{
	struct inode *dir = top;

	for (;;) {
		struct inode *up;
		struct ramfs_dirent *e;

		while (S_ISDIR(d->inode->i_mode) && RAMFS_I(d->inode)->children) {
			dir = d->inode;
			d = RAMFS_I(dir)->children;
		}
		if (dir == top) {
			ramfs_unlink(top, d);
			return;
		}
		/* dir is below top: still linked, so its dentry and parent stay. */
		up = dir->parent;
		e = RAMFS_I(dir)->dentry;
		ramfs_unlink(dir, d);
		if (RAMFS_I(dir)->children) {
			d = RAMFS_I(dir)->children;
		} else {
			d = e;
			dir = up;
		}
	}
}

#ifdef CONFIG_MOUNT
struct inode *ramfs_new_root(u32 mode)
{
	struct inode *root = inode_new(mode, 0);

	if (root)
		root->refs = 1; /* the mount's; its ".." is the walk's (no parent) */
	return root;
}

void ramfs_clear_dir(struct inode *dir)
{
	while (RAMFS_I(dir)->children)
		remove_tree(dir, RAMFS_I(dir)->children);
}
#endif

/* Where a walk resumes after a symlink met before the last component. */
struct walk_rest {
	const char *path; /* the components after the symlink */
	bool follow; /* follow a symlink in its last component */
	bool want_dir; /* its result must be a directory (a trailing slash) */
};

/*
 * The walk behind fs_lookup(). A symlink's target is walked in place of
 * its component; when components follow the symlink, they are saved on
 * rest[] (at most MAXSYMLINKS: each symlink followed counts) and resumed
 * from where the target led, so the stack use is fixed. Only a name
 * missing at the very end (nothing saved) sets parent and create_name.
 */
static int walk(struct inode *dir, const char *path, bool follow,
		struct inode **res, struct inode **parent, char *create_name)
{
	struct walk_rest rest[MAXSYMLINKS];
	unsigned int depth = 0, links = 0;
	bool want_dir = false;

	for (;;) {
		const char *name;
		struct inode *next;
		size_t len;
		bool last, slash;

		if (*path == '/')
			dir = ns_root();
		if (is_vfs_inode(dir))
			return -EVFS; /* the caller starts over with vfs_walk() */
		while (*path == '/')
			path++;
		if (!*path) {
			/* "/", or a target of slashes: it names dir itself. */
			next = dir;
			slash = false;
			goto resolved;
		}
		name = path;
		while (*path && *path != '/')
			path++;
		len = (size_t)(path - name);
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		slash = *path == '/';
		while (*path == '/')
			path++;
		last = !*path;
		if (!S_ISDIR(dir->i_mode))
			return -ENOTDIR;
		if (len == 1 && name[0] == '.') {
			next = dir;
		} else if (len == 2 && name[0] == '.' && name[1] == '.') {
			/* Up out of a mounted instance's root to the directory it covers. */
			next = mnt_up(dir);
			if (next && is_vfs_inode(next))
				return -EVFS; /* it covers a VFS directory */
			next = next ? mnt_down(next->parent) : dir;
		} else {
			next = fs_dir_lookup(dir, name, len);
			if (!next) {
				if (last && !depth && parent) {
					*parent = dir;
					memcpy(create_name, name, len);
					create_name[len] = '\0';
				}
				return -ENOENT;
			}
			next = mnt_down(next);
		}
		if (is_vfs_inode(next))
			return -EVFS;
		if (S_ISLNK(next->i_mode) && (!last || follow || slash)) {
			if (++links > MAXSYMLINKS)
				return -ELOOP;
			if (!next->target[0])
				return -ENOENT;
			if (!last) {
				rest[depth++] = (struct walk_rest){ path, follow,
								    want_dir };
				want_dir = false;
			} else {
				want_dir |= slash;
			}
			/* A relative target starts in the symlink's directory. */
			path = next->target;
			follow = true;
			continue;
		}
		if (!last) {
			dir = next;
			continue;
		}
resolved:
		if ((slash || want_dir) && !S_ISDIR(next->i_mode))
			return -ENOTDIR;
		if (!depth) {
			*res = next;
			return 0;
		}
		/* The symlink is resolved: on with what followed it. */
		depth--;
		path = rest[depth].path;
		follow = rest[depth].follow;
		want_dir = rest[depth].want_dir;
		dir = next;
	}
}

int fs_lookup(struct inode *base, const char *path, bool follow_last,
	      struct inode **res, struct inode **parent, char *create_name)
{
	/* No length check: get_path() made every user path shorter than PATH_MAX. */
	if (!*path)
		return -ENOENT;
	return walk(base ? base : fs_root, path, follow_last, res, parent,
		    create_name);
}

int fs_lookup_parent(struct inode *base, char *path, struct inode **parent,
		     const char **last, size_t *len, bool *slash)
{
	size_t end = strnlen(path, PATH_MAX), start;
	int ret = 0;

	if (!end)
		return -ENOENT;
	if (end >= PATH_MAX)
		return -ENAMETOOLONG;
	*slash = path[end - 1] == '/';
	while (end && path[end - 1] == '/')
		end--;
	for (start = end; start && path[start - 1] != '/'; start--)
		;
	*parent = base ? base : fs_root;
	if (start) {
		char save = path[start];

		path[start] = '\0'; /* path up to and with the last slash */
		ret = fs_lookup(base, path, true, parent, NULL, NULL);
		path[start] = save;
		if (!ret && !S_ISDIR((*parent)->i_mode))
			ret = -ENOTDIR;
	}
	if (!ret && is_vfs_inode(*parent))
		ret = -EVFS;
	if (!ret && end - start > NAME_MAX)
		ret = -ENAMETOOLONG;
	*last = path + start;
	*len = end - start;
	return ret;
}

long ramfs_read(struct inode *ino, u64 pos, char *buf, size_t n)
{
	size_t done = 0;

	if (pos >= ino->i_size)
		return 0;
	n = min(n, (size_t)(ino->i_size - pos));
	while (done < n) {
		unsigned long idx = (unsigned long)(pos / PAGE_SIZE);
		size_t off = (size_t)(pos % PAGE_SIZE);
		size_t chunk = min(n - done, PAGE_SIZE - off);

		void **slot = page_slot(ino, idx, false);

		if (slot && *slot)
			memcpy(buf + done, (char *)*slot + off, chunk);
		else
			memset(buf + done, 0, chunk);
		done += chunk;
		pos += chunk;
	}
	return (long)done;
}

long ramfs_write(struct inode *ino, u64 pos, const char *buf, size_t n)
{
	size_t done = 0;

	/* As Linux's generic_write_check_limits(): short up to the limit. */
	if (pos >= FS_MAX_SIZE)
		return n ? -EFBIG : 0;
	n = (size_t)min((u64)n, FS_MAX_SIZE - pos);
	while (done < n) {
		unsigned long idx = (unsigned long)(pos / PAGE_SIZE);
		size_t off = (size_t)(pos % PAGE_SIZE);
		size_t chunk = min(n - done, PAGE_SIZE - off);
		void **slot = page_slot(ino, idx, true);

		if (!slot)
			break;
		if (!*slot) {
			*slot = data_page_alloc(chunk == PAGE_SIZE);
			if (!*slot)
				break;
			count_pages(ino, 1);
		}
		memcpy((char *)*slot + off, buf + done, chunk);
		done += chunk;
		pos += chunk;
		if (pos > ino->i_size)
			ino->i_size = pos;
	}
	if (done)
		inode_touch_mtime(ino);
	return done ? (long)done : -ENOSPC;
}

int ramfs_truncate(struct inode *ino, u64 size)
{
	unsigned long keep = (unsigned long)((size + PAGE_SIZE - 1) / PAGE_SIZE);

	if (size > FS_MAX_SIZE)
		return -EFBIG;
	if (size < ino->i_size) {
		free_data(ino, keep);
		/* Bytes past the end in the last page must read as zeroes later. */
		if (size % PAGE_SIZE) {
			void **slot = page_slot(ino, keep - 1, false);

			if (slot && *slot)
				memset((char *)*slot + size % PAGE_SIZE, 0,
				       PAGE_SIZE - size % PAGE_SIZE);
		}
	}
	ino->i_size = size;
	inode_touch_mtime(ino); /* even at the same size, as Linux's truncate */
	return 0;
}

void ramfs_punch(struct inode *ino, u64 pos, u64 len)
{
	u64 end = pos + len; /* the caller checked it does not wrap */
	unsigned long first = (unsigned long)((pos + PAGE_SIZE - 1) / PAGE_SIZE);
	unsigned long stop = (unsigned long)(end / PAGE_SIZE);

	/* The pages partly in the range are zeroed, the others freed. */
	while (pos < end && pos % PAGE_SIZE) {
		void **slot = page_slot(ino, (unsigned long)(pos / PAGE_SIZE), false);
		size_t off = pos % PAGE_SIZE, n = min(PAGE_SIZE - off, end - pos);

		if (slot && *slot)
			memset((char *)*slot + off, 0, n);
		pos += n;
	}
	if (end % PAGE_SIZE && end - end % PAGE_SIZE >= pos) {
		void **slot = page_slot(ino, stop, false);

		if (slot && *slot)
			memset(*slot, 0, end % PAGE_SIZE);
	}
	if (first < stop && RAMFS_I(ino)->pages_height)
		free_subtree(ino, RAMFS_I(ino)->pages, RAMFS_I(ino)->pages_height,
			     0, first,
			     stop - 1);
	inode_touch_mtime(ino);
}

long ramfs_allocate(struct inode *ino, u64 pos, u64 end, size_t max_pages)
{
	unsigned long idx = (unsigned long)(pos / PAGE_SIZE);
	size_t done = 0;

	for (; (u64)idx * PAGE_SIZE < end && done < max_pages; idx++, done++) {
		void **slot = page_slot(ino, idx, true);

		if (!slot)
			return -ENOSPC;
		if (!*slot) {
			*slot = data_page_alloc(false);
			if (!*slot)
				return -ENOSPC;
			count_pages(ino, 1);
		}
	}
	return (long)done;
}

bool ramfs_room_for(u64 pages)
{
	return pages <= data_pages_max - data_pages;
}

bool ramfs_dir_entry(struct inode *dir, u64 *pos, const char **name,
		     size_t *len, struct inode **ino)
{
	struct ramfs_inode *ri = RAMFS_I(dir);
	struct ramfs_dirent *d;

	if (*pos < 2) {
		*name = *pos ? ".." : ".";
		*len = (size_t)*pos + 1;
		/* A mounted instance's root is its own "..", as Linux's. */
		*ino = *pos && dir->parent ? dir->parent : dir;
		return true;
	}
	/* Sequential reads resume at the last entry returned, not the start. */
	d = ri->readdir_hint;
	if (!d || d->off > *pos)
		d = ri->children;
	for (; d && d->off < *pos; d = d->next)
		;
	if (!d)
		return false;
	ri->readdir_hint = d;
	*pos = d->off;
	*name = d->name;
	*len = d->len;
	*ino = d->inode;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Regular files: what opening one gets (i_fop) */

/* At *ppos, or at the file's position (read and moved chunk by chunk) for NULL. */
static long reg_read_at(struct file *f, char *ubuf, size_t n, u64 *ppos)
{
	char *kbuf = alloc_page(__GFP_NOWARN);
	unsigned long flags;
	size_t done = 0, left = 0;

	if (!kbuf)
		return -ENOMEM;
	while (done < n) {
		u64 pos;
		long got;

		if (done && fatal_signal_pending(current_task()))
			break;
		cond_resched();
		flags = fs_lock_irqsave();
		pos = ppos ? *ppos : f->f_pos;
		got = ramfs_read(f->inode, pos, kbuf, min(n - done, PAGE_SIZE));
		fs_unlock_irqrestore(flags);
		if (got <= 0)
			break;
		left = copy_to_user(ubuf + done, kbuf, (size_t)got);
		flags = fs_lock_irqsave();
		*(ppos ? ppos : &f->f_pos) = pos + (size_t)got - left;
		fs_unlock_irqrestore(flags);
		done += (size_t)got - left;
		if (left)
			break;
	}
	flags = fs_lock_irqsave();
	inode_touch_atime(f->inode);
	fs_unlock_irqrestore(flags);
	free_page(kbuf);
	return done || !left ? (long)done : -EFAULT;
}

/*
 * At *ppos or the file's position as reg_read_at(); O_APPEND writes at
 * the end whatever the position (pwrite() too, as Linux). src is a user
 * buffer, or a kernel one with kernel (sendfile, copy_file_range).
 */
static long reg_write_core(struct file *f, const char *src, size_t n,
			   u64 *ppos, bool kernel)
{
	char *kbuf = alloc_page(__GFP_NOWARN);
	size_t done = 0;
	long err = 0;

	if (!kbuf)
		return -ENOSPC;
	inode_lock(f->inode);
	/* Linux's rw_verify_area(): the end must be a valid (signed) offset. */
	if (!(f->flags & O_APPEND)) {
		unsigned long flags = fs_lock_irqsave();

		if ((s64)((ppos ? *ppos : f->f_pos) + n) < 0)
			err = -EINVAL;
		fs_unlock_irqrestore(flags);
	}
	while (!err && done < n) {
		size_t chunk = min(n - done, PAGE_SIZE), left = 0, want;
		unsigned long flags;
		long put;
		u64 pos;

		if (done && fatal_signal_pending(current_task()))
			break;
		cond_resched();
		if (kernel)
			memcpy(kbuf, src + done, chunk);
		else
			left = copy_from_user(kbuf, src + done, chunk);
		want = chunk - left;
		if (!want) {
			err = -EFAULT;
			break;
		}
		/* With the write lock, appended chunks follow each other. */
		flags = fs_lock_irqsave();
		pos = f->flags & O_APPEND ? f->inode->i_size :
		      ppos ? *ppos : f->f_pos;
		put = ramfs_write(f->inode, pos, kbuf, want);
		if (put > 0)
			*(ppos ? ppos : &f->f_pos) = pos + (u64)put;
		fs_unlock_irqrestore(flags);
		if (put <= 0) {
			err = put;
			break;
		}
		done += (size_t)put;
		if ((size_t)put < want || left) {
			err = left ? -EFAULT : -ENOSPC;
			break;
		}
	}
	inode_unlock(f->inode);
	free_page(kbuf);
	return done ? (long)done : err;
}

static long reg_write_at(struct file *f, const char *ubuf, size_t n, u64 *ppos)
{
	return reg_write_core(f, ubuf, n, ppos, false);
}

static long reg_write_kernel(struct file *f, const char *buf, size_t n)
{
	return reg_write_core(f, buf, n, NULL, true);
}

const struct file_operations ramfs_file_fops = {
	.read_at = reg_read_at, .write_at = reg_write_at,
	.write_kernel = reg_write_kernel, .seekable = true,
};

/* Sets a symlink's target (shorter than PATH_MAX); under fs_lock. */
static int set_target(struct inode *ino, const void *data, size_t size)
{
	char *t = kmalloc(size + 1, __GFP_NOWARN);

	if (!t)
		return -ENOMEM;
	memcpy(t, data, size);
	t[size] = '\0';
	kfree(ino->target);
	ino->target = t;
	ino->i_size = strlen(t);
	return 0;
}

int ramfs_symlink(struct inode *dir, const char *name, size_t len,
		  const char *target)
{
	size_t n = strlen(target);
	char *t = kmalloc(n + 1, __GFP_NOWARN);
	struct inode *ino;
	int ret;

	if (!t)
		return -ENOSPC;
	memcpy(t, target, n + 1);
	ret = fs_create(dir, name, len, S_IFLNK | 0777, 0, &ino);
	if (ret) {
		kfree(t);
		return ret;
	}
	ino->target = t;
	ino->i_size = n;
	return 0;
}

/*
 * A new file's data from an archive in memory that is never freed (the
 * initramfs in the kernel image, the boot loader's initrd; both reserved,
 * never the allocator's). The whole pages of data that starts on a page
 * boundary (gen_initramfs.py puts files of a page or more there) become
 * the file's pages as they are, through the direct map: copying them was
 * a quarter of the boot. The archive keeps a reference of its own on each,
 * so no put_page() ever hands one to the allocator; a page dropped from
 * the file is lost until reboot, as the archive always was. Only a page
 * no one has used yet (no flags, no references) is taken. The partial
 * last page is copied: the bytes after a file's end must read as zeroes.
 * Returns the bytes stored, or an error.
 */
static long install_data(struct inode *ino, const char *data, size_t size)
{
	size_t done = 0;
	long n;

	for (; !((unsigned long)data % PAGE_SIZE) && size - done >= PAGE_SIZE;
	     done += PAGE_SIZE) {
		void *kva = phys_to_virt(virt_to_phys(data + done));
		struct page *pg = virt_to_page(kva);
		void **slot;

		if (!pg || pg->flags || pg->refcount || data_pages >= data_pages_max)
			break;
		slot = page_slot(ino, done / PAGE_SIZE, true);
		if (!slot)
			break;
		pg->refcount = 2; /* the file's and the archive's */
		*slot = kva;
		data_pages++;
		count_pages(ino, 1);
		ino->i_size = done + PAGE_SIZE;
	}
	if (done == size)
		return (long)size;
	n = ramfs_write(ino, done, data + done, size - done);
	return n < 0 ? n : (long)done + n;
}

int fs_install(const char *path, u32 mode, const void *data, size_t size,
	       u32 rdev, u32 mtime)
{
	unsigned long flags;
	struct inode *dir = fs_root, *ino = NULL;
	int ret = 0;

	/* Linux's symlink() limit: a target must fit a path. */
	if (S_ISLNK(mode) && size >= PATH_MAX)
		return -ENAMETOOLONG;
	flags = fs_lock_irqsave();
	while (*path == '/')
		path++;
	while (*path) {
		const char *name = path;
		struct ramfs_dirent *d;
		size_t len;

		while (*path && *path != '/')
			path++;
		len = (size_t)(path - name);
		while (*path == '/')
			path++;
		if (len > NAME_MAX) {
			ret = -ENAMETOOLONG;
			break;
		}
		d = fs_dir_find(dir, name, len);
		if (d && d->inode->proc && !*path) {
			/* /proc is mounted here: kept as it is, never replaced. */
			ret = S_ISDIR(mode) ? 0 : -EBUSY;
			break;
		}
		if (*path) {
			/* An intermediate directory: made if missing or not one. */
			if (d && !S_ISDIR(d->inode->i_mode)) {
				remove_tree(dir, d);
				d = NULL;
			}
			if (d)
				ino = d->inode;
			else if ((ret = fs_create(dir, name, len, S_IFDIR | 0755, 0, &ino)))
				break;
			dir = ino;
			continue;
		}
		if (d && S_ISDIR(mode) && S_ISDIR(d->inode->i_mode)) {
			ino = d->inode; /* kept, as Linux's unpacker does */
		} else {
			if (d)
				remove_tree(dir, d);
			ret = fs_create(dir, name, len, mode, rdev, &ino);
			if (ret)
				break;
		}
		ino->i_mode = mode;
		if (S_ISREG(mode) && size) {
			long n = install_data(ino, data, size);

			if (n != (long)size)
				ret = n < 0 ? (int)n : -ENOSPC;
		} else if (S_ISLNK(mode)) {
			ret = set_target(ino, data, size);
		}
		/* As Linux's unpacker: atime and mtime from the archive. */
		ino->i_mtime = (struct timespec){ (long)mtime, 0 };
		ino->i_atime = ino->i_mtime;
		break;
	}
	fs_unlock_irqrestore(flags);
	return ret;
}

int fs_open_exec(const char *path, struct inode **res, u64 *size)
{
	unsigned long flags = fs_lock_irqsave();
	struct files *files = current_task()->files;
	struct inode *base = files ? files->cwd : fs_root, *ino;
	int ret = fs_lookup(base, path, true, &ino, NULL, NULL);

	if (!ret || ret == -EVFS)
		inode_get(ret ? base : ino);
	fs_unlock_irqrestore(flags);
	if (ret == -EVFS) {
		/* A program on a disk file system: read through vfs_read_chunk() */
		ret = vfs_lookup_inode(base, path, true, &ino);
		fs_put_inode(base);
	}
	if (ret)
		return ret;
	if (!S_ISREG(ino->i_mode) || !(ino->i_mode & 0111) ||
	    (is_vfs_inode(ino) && !ino->i_aops)) {
		fs_put_inode(ino);
		return -EACCES;
	}
	*res = ino;
	*size = ino->i_size;
	return 0;
}

int fs_prepend(char *buf, size_t *pos, const char *s, size_t len)
{
	if (*pos < len)
		return -ENAMETOOLONG;
	*pos -= len;
	memcpy(buf + *pos, s, len);
	return 0;
}

int fs_dir_path(struct inode *dir, char *buf, size_t *pos)
{
	size_t end = *pos;
	int ret = 0;

	if (is_vfs_inode(dir))
		return vfs_dir_path(dir, buf, pos);
	for (; !ret; dir = dir->parent) {
		dir = mnt_up(dir);
		if (!dir)
			return -ENOENT; /* in a detached mount */
		if (is_vfs_inode(dir))
			return vfs_dir_path(dir, buf, pos); /* mounted on a VFS directory */
		if (dir == fs_root)
			break;
		if (!RAMFS_I(dir)->dentry)
			return -ENOENT; /* removed */
		ret = fs_prepend(buf, pos, RAMFS_I(dir)->dentry->name,
				 RAMFS_I(dir)->dentry->len);
		if (!ret)
			ret = fs_prepend(buf, pos, "/", 1);
	}
	if (!ret && *pos == end)
		ret = fs_prepend(buf, pos, "/", 1);
	return ret;
}

/* The last component is followed while it is a symlink: its directory's path, then its name. */
int fs_real_path(const char *path, char *buf)
{
	struct files *files = current_task()->files;
	char *p = kmalloc(PATH_MAX, __GFP_NOWARN);
	struct inode *dir, *base, *ino = NULL;
	unsigned int links = 0;
	unsigned long flags;
	const char *last;
	size_t len, pos = PATH_MAX - 1;
	bool slash;
	int ret;

	if (!p)
		return -ENOMEM;
	strscpy(p, path, PATH_MAX);
	flags = fs_lock_irqsave();
	base = files ? files->cwd : fs_root;
	for (;;) {
		ret = fs_lookup_parent(base, p, &dir, &last, &len, &slash);
		ino = ret ? NULL : fs_dir_lookup(dir, last, len);
		if (!ino) {
			ret = ret ? ret : -ENOENT;
			break;
		}
		if (!S_ISLNK(ino->i_mode))
			break;
		if (++links > MAXSYMLINKS) {
			ret = -ELOOP;
			break;
		}
		/* A relative target is looked up from the symlink's directory. */
		base = dir;
		strscpy(p, ino->target, PATH_MAX);
	}
	buf[pos] = '\0';
	if (!ret && S_ISDIR(ino->i_mode))
		ret = fs_dir_path(ino, buf, &pos);
	else if (!ret)
		ret = fs_prepend(buf, &pos, last, len);
	if (!ret && !S_ISDIR(ino->i_mode)) {
		ret = fs_prepend(buf, &pos, "/", 1);
		if (!ret && dir != fs_root)
			ret = fs_dir_path(dir, buf, &pos);
	}
	if (ret == -EVFS)
		inode_get(base); /* the walk through a VFS file system sleeps */
	fs_unlock_irqrestore(flags);
	kfree(p);
	if (ret == -EVFS) {
		ret = vfs_real_path(base, path, buf);
		fs_put_inode(base);
		return ret;
	}
	if (!ret)
		memmove(buf, buf + pos, PATH_MAX - pos);
	return ret;
}

bool fs_read_chunk(struct inode *ino, u64 pos, void *buf, size_t n)
{
	unsigned long flags;
	void **slot;
	bool data;

	if (is_vfs_inode(ino))
		return vfs_read_chunk(ino, pos, buf, n);
	flags = fs_lock_irqsave();
	slot = page_slot(ino, (unsigned long)(pos / PAGE_SIZE), false);
	data = slot && *slot;

	if (data)
		memcpy(buf, (char *)*slot + pos % PAGE_SIZE, n);
	fs_unlock_irqrestore(flags);
	return data;
}

int fs_get_page(struct inode *ino, unsigned long index, bool write, void **page)
{
	unsigned long flags;
	void **slot = NULL;
	int ret = 0;

	if (is_vfs_inode(ino))
		return IS_ENABLED(CONFIG_FILEMAP) && ino->i_aops ?
		       filemap_fault_page(ino, index, write, page) : -EIO;
	flags = fs_lock_irqsave();
	if (index >= (ino->i_size + PAGE_SIZE - 1) / PAGE_SIZE)
		ret = -EIO;
	else if (!(slot = page_slot(ino, index, true)))
		ret = -ENOSPC;
	else if (!*slot && (*slot = data_page_alloc(false)))
		count_pages(ino, 1);
	if (!ret && !*slot)
		ret = -ENOSPC;
	if (!ret) {
		get_page(*slot);
		*page = *slot;
	}
	fs_unlock_irqrestore(flags);
	return ret;
}

bool fs_has_page(struct inode *ino, unsigned long index)
{
	unsigned long flags;
	void **slot;
	bool ret;

	if (is_vfs_inode(ino))
		return IS_ENABLED(CONFIG_FILEMAP) && ino->i_aops && filemap_has_page(ino, index);
	flags = fs_lock_irqsave();
	slot = page_slot(ino, index, false);
	ret = slot && *slot;

	fs_unlock_irqrestore(flags);
	return ret;
}

/*
 * No fs_lock (mm/mmap.c calls it under mm->lock): the caller's reference
 * keeps refs above 0, so no inode_put() under fs_lock can free the inode
 * meanwhile, and inode_get()'s counts are atomic.
 */
void fs_hold_inode(struct inode *ino)
{
	inode_get(ino);
}

void fs_put_inode(struct inode *ino)
{
	unsigned long flags;

	if (is_vfs_inode(ino)) {
		vfs_ns_put(ino);
		return;
	}
	flags = fs_lock_irqsave();
	inode_put(ino);
	fs_unlock_irqrestore(flags);
}

void fs_data_pages(unsigned long *used, unsigned long *max)
{
	unsigned long flags = fs_lock_irqsave();

	*used = data_pages;
	*max = data_pages_max;
	fs_unlock_irqrestore(flags);
}

void fs_init(void)
{
	struct page_alloc_stats st;
	unsigned long flags;

	if (fs_root)
		return;
	page_alloc_get_stats(&st);
	flags = fs_lock_irqsave();
	data_pages_max = (unsigned long)(st.total_pages *
					 CONFIG_TMPFS_SIZE_PERCENT / 100);
	fs_root = inode_new(S_IFDIR | 0755, 0);
	if (!fs_root)
		panic("fs: no memory for the root directory");
	fs_root->parent = fs_root;
	fs_root->refs = 1; /* never freed */
	fs_unlock_irqrestore(flags);
	fs_install("/dev", S_IFDIR | 0755, NULL, 0, 0, 0);
	chrdev_make_nodes();
	if (IS_ENABLED(CONFIG_BLOCK))
		blkdev_make_nodes();
	fs_install("/tmp", S_IFDIR | 01777, NULL, 0, 0, 0);
	proc_init();
}
