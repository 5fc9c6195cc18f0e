// SPDX-License-Identifier: BSD-2-Clause
/* The dentry cache: names in mounted file systems, hashed by (parent, name), negative ones included, unused ones on an LRU. */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/slab.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>

#include "vfs.h"

/*
 * dcache_lock guards the hash chains, every d_count, d_flags and the LRU
 * of unused dentries. A dentry holds a reference on its parent and on
 * its inode, so the tree stays connected while any descendant is in use.
 * A hashed dentry whose count drops to 0 stays cached (a negative one
 * too, so a miss is not asked of the file system again) on the LRU; past
 * DCACHE_MAX_UNUSED the oldest is freed, so hostile lookups of random
 * names cannot fill memory.
 */
static spinlock_t dcache_lock = SPINLOCK_UNLOCKED;

#define DHASH_SIZE 1024
#define DCACHE_MAX_UNUSED 4096

static struct dentry *dentry_hash[DHASH_SIZE];
static LIST_HEAD(lru_list); /* unused dentries, least recently used first */
static unsigned long nr_unused;

#define DCACHE_HASHED	2
#define DCACHE_LRU	4

static u32 name_hash(const char *name, u32 len)
{
	u32 h = 2166136261u; /* FNV-1a */

	while (len--)
		h = (h ^ (u8)*name++) * 16777619u;
	return h;
}

static struct dentry **d_chain(const struct dentry *parent, u32 hash)
{
	unsigned long p = (unsigned long)parent;

	return &dentry_hash[(hash ^ (u32)(p >> 4)) & (DHASH_SIZE - 1)];
}

/* Caller holds dcache_lock. */
static void lru_del(struct dentry *d)
{
	if (!(d->d_flags & DCACHE_LRU))
		return;
	list_del(&d->d_lru);
	d->d_flags &= ~DCACHE_LRU;
	nr_unused--;
}

/* Caller holds dcache_lock. */
static void lru_add(struct dentry *d)
{
	list_add_tail(&d->d_lru, &lru_list);
	d->d_flags |= DCACHE_LRU;
	nr_unused++;
}

/* Caller holds dcache_lock. */
static void unhash(struct dentry *d)
{
	struct dentry **p;

	if (!(d->d_flags & DCACHE_HASHED))
		return;
	for (p = d_chain(d->d_parent, d->d_name.hash); *p; p = &(*p)->d_hash_next)
		if (*p == d) {
			*p = d->d_hash_next;
			break;
		}
	d->d_hash_next = NULL;
	d->d_flags &= ~DCACHE_HASHED;
}

static struct dentry *alloc_dentry(struct super_block *sb, const char *name,
				   u32 len)
{
	struct dentry *d = kzalloc(sizeof(*d), __GFP_NOWARN);
	char *n = d ? d->d_iname : NULL;

	if (d && len >= sizeof(d->d_iname)) {
		n = kmalloc(len + 1, __GFP_NOWARN);
		if (!n) {
			kfree(d);
			return NULL;
		}
	}
	if (!d)
		return NULL;
	memcpy(n, name, len);
	n[len] = '\0';
	d->d_name = (struct qstr){ n, len, name_hash(name, len) };
	d->d_sb = sb;
	d->d_count = 1;
	return d;
}

struct dentry *d_alloc(struct dentry *parent, const char *name, u32 len)
{
	struct dentry *d = alloc_dentry(parent->d_sb, name, len);

	if (d)
		d->d_parent = dget(parent);
	return d;
}

struct dentry *d_make_root(struct inode *root)
{
	struct dentry *d;

	if (!root)
		return NULL;
	d = alloc_dentry(root->i_sb, "/", 1);
	if (!d) {
		iput(root);
		return NULL;
	}
	d->d_parent = d;
	d->d_inode = root;
	root->i_dentry = d;
	return d;
}

struct dentry *dget(struct dentry *d)
{
	spin_lock(&dcache_lock);
	lru_del(d);
	d->d_count++;
	spin_unlock(&dcache_lock);
	return d;
}

static void d_rehash(struct dentry *d)
{
	struct dentry **c = d_chain(d->d_parent, d->d_name.hash);

	spin_lock(&dcache_lock);
	d->d_hash_next = *c;
	*c = d;
	d->d_flags |= DCACHE_HASHED;
	spin_unlock(&dcache_lock);
}

void d_add(struct dentry *d, struct inode *inode)
{
	/* Published filled in: lookup_one() finds cached names without i_mutex. */
	__atomic_store_n(&d->d_inode, inode, __ATOMIC_RELEASE);
	if (inode && S_ISDIR(inode->i_mode)) {
		spin_lock(&dcache_lock);
		inode->i_dentry = d; /* a directory has one name */
		spin_unlock(&dcache_lock);
	}
	if (!(READ_ONCE(d->d_flags) & DCACHE_HASHED))
		d_rehash(d);
}

void d_instantiate(struct dentry *d, struct inode *inode)
{
	d_add(d, inode);
}

/* Caller holds dcache_lock: the hashed child name[len] of parent with a reference, or NULL. */
static struct dentry *__d_lookup(struct dentry *parent, const char *name, u32 len)
{
	u32 hash = name_hash(name, len);
	struct dentry *d;

	for (d = *d_chain(parent, hash); d; d = d->d_hash_next)
		if (d->d_parent == parent && d->d_name.hash == hash &&
		    d->d_name.len == len && !memcmp(d->d_name.name, name, len)) {
			lru_del(d);
			d->d_count++;
			break;
		}
	return d;
}

struct dentry *d_lookup(struct dentry *parent, const char *name, u32 len)
{
	struct dentry *d;

	spin_lock(&dcache_lock);
	d = __d_lookup(parent, name, len);
	spin_unlock(&dcache_lock);
	return d;
}

struct dentry *d_lookup_step(struct dentry *parent, const char *name, u32 len,
			     bool *stepped)
{
	struct dentry *d;

	spin_lock(&dcache_lock);
	d = __d_lookup(parent, name, len);
	/* d holds a reference on parent, so this is never its last. */
	*stepped = d && d->d_inode && !S_ISLNK(d->d_inode->i_mode);
	if (*stepped)
		parent->d_count--;
	spin_unlock(&dcache_lock);
	return d;
}

void d_drop(struct dentry *d)
{
	spin_lock(&dcache_lock);
	unhash(d);
	spin_unlock(&dcache_lock);
}

/* d is unreachable: frees it and returns its parent's reference to drop (NULL for a root). */
static struct dentry *d_free(struct dentry *d)
{
	struct dentry *parent = d->d_parent == d ? NULL : d->d_parent;

	if (d->d_inode) {
		spin_lock(&dcache_lock);
		if (d->d_inode->i_dentry == d)
			d->d_inode->i_dentry = NULL;
		spin_unlock(&dcache_lock);
	}
	iput(d->d_inode);
	if (d->d_name.name != d->d_iname)
		kfree((void *)d->d_name.name);
	kfree(d);
	return parent;
}

/*
 * Caller holds dcache_lock: takes the oldest unused dentry (of sb, or any
 * for NULL) off the cache. Trimming the cache (NULL) spares a directory
 * whose inode someone else holds (a cwd, an open directory): the walk
 * starts from its i_dentry.
 */
static struct dentry *take_unused(struct super_block *sb)
{
	struct dentry *d;

	list_for_each_entry(d, &lru_list, d_lru)
		if (sb ? d->d_sb == sb :
		    !d->d_inode || d->d_inode->i_dentry != d ||
		    READ_ONCE(d->d_inode->refs) <= 1) {
			lru_del(d);
			unhash(d);
			return d;
		}
	return NULL;
}

void dput(struct dentry *d)
{
	struct dentry *victim;

	while (d) {
		spin_lock(&dcache_lock);
		if (--d->d_count) {
			spin_unlock(&dcache_lock);
			return;
		}
		if (d->d_flags & DCACHE_HASHED) {
			lru_add(d);
			victim = nr_unused > DCACHE_MAX_UNUSED ? take_unused(NULL) : NULL;
			spin_unlock(&dcache_lock);
			d = victim ? d_free(victim) : NULL;
			continue;
		}
		spin_unlock(&dcache_lock);
		d = d_free(d);
	}
}

void shrink_dcache_sb(struct super_block *sb)
{
	struct dentry *d;

	for (;;) {
		spin_lock(&dcache_lock);
		d = take_unused(sb);
		spin_unlock(&dcache_lock);
		if (!d)
			return;
		dput(d_free(d)); /* the parent may join the LRU: found next round */
	}
}

/* Under dcache_lock: a dentry on the way up is not freed (d_free clears i_dentry under it first). */
int d_dir_path(struct inode *dir, char *buf, size_t *pos)
{
	struct dentry *d;
	int ret = 0;

	spin_lock(&dcache_lock);
	d = dir->i_dentry;
	for (; !ret && d && d != d->d_parent; d = d->d_parent) {
		if (!(d->d_flags & DCACHE_HASHED) || *pos < d->d_name.len + 1) {
			ret = d->d_flags & DCACHE_HASHED ? -ENAMETOOLONG : -ENOENT;
			break;
		}
		*pos -= d->d_name.len;
		memcpy(buf + *pos, d->d_name.name, d->d_name.len);
		buf[--*pos] = '/';
	}
	if (!d)
		ret = -ENOENT; /* removed */
	spin_unlock(&dcache_lock);
	return ret;
}

struct dentry *d_find_alias(struct inode *inode)
{
	struct dentry *d;

	spin_lock(&dcache_lock);
	d = inode->i_dentry;
	if (d) {
		lru_del(d);
		d->d_count++;
	}
	spin_unlock(&dcache_lock);
	return d;
}

struct dentry *lookup_one_locked(struct dentry *parent, const char *name, u32 len)
{
	struct inode *dir = parent->d_inode;
	struct dentry *d, *r;

	d = d_lookup(parent, name, len);
	if (d)
		return d;
	d = d_alloc(parent, name, len);
	if (!d)
		return ERR_PTR(-ENOMEM);
	r = dir->i_op->lookup(dir, d);
	if (r) {
		dput(d);
		return r;
	}
	if (!(READ_ONCE(d->d_flags) & DCACHE_HASHED))
		d_add(d, NULL); /* the fs left it: a miss */
	return d;
}

struct dentry *lookup_one(struct dentry *parent, const char *name, u32 len)
{
	struct inode *dir = parent->d_inode;
	struct dentry *d;

	if (!dir || !S_ISDIR(dir->i_mode))
		return ERR_PTR(-ENOTDIR);
	if (!dir->i_op || !dir->i_op->lookup)
		return ERR_PTR(-ENOTDIR);
	/*
	 * A cached name needs no lock but dcache_lock, as Linux's RCU walk:
	 * a name call changing it holds the directory's i_mutex, and this
	 * lookup is ordered before or after it.
	 */
	d = d_lookup(parent, name, len);
	if (d)
		return d;
	/* A miss under the directory's lock: two misses never make two dentries. */
	inode_lock(dir);
	d = lookup_one_locked(parent, name, len);
	inode_unlock(dir);
	return d;
}
