// SPDX-License-Identifier: BSD-2-Clause
/* The VFS inode cache: inodes of mounted file systems by (super block, number), their references, dirtiness and eviction. */
#include <hartix/binfmt_wasm.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/slab.h>
#include <hartix/spinlock.h>

#include "vfs.h"

/*
 * Locking: sb->s_inode_lock guards the sb's hash chains, its dirty list,
 * every i_state and the refs of the sb's inodes (never held across a
 * sleep or a file system method). An inode is on the dirty list from
 * mark_inode_dirty() until sync takes it (or it is destroyed), so a sync
 * visits only the dirty ones, not every inode cached. An inode being read in (I_NEW) or evicted (I_FREEING)
 * stays hashed so a second iget_locked() of its number waits on
 * s_inode_wait instead of making a twin.
 */

static struct inode **chain(struct super_block *sb, unsigned long ino)
{
	return &sb->s_inode_hash[(ino ^ (ino >> 16)) & (sb->s_inode_hash_size - 1)];
}

/* Caller holds s_inode_lock. */
static struct inode *hash_find(struct super_block *sb, unsigned long ino)
{
	struct inode *i;

	for (i = *chain(sb, ino); i; i = i->i_hash_next)
		if (i->i_ino == ino)
			return i;
	return NULL;
}

/* Caller holds s_inode_lock. */
static void hash_del(struct inode *inode)
{
	struct inode **p = chain(inode->i_sb, inode->i_ino);

	for (; *p; p = &(*p)->i_hash_next)
		if (*p == inode) {
			*p = inode->i_hash_next;
			break;
		}
	inode->i_hash_next = NULL;
}

static struct inode *alloc_inode(struct super_block *sb)
{
	const struct super_operations *op = sb->s_op;
	struct inode *inode = op && op->alloc_inode ?
		op->alloc_inode(sb) : kzalloc(sizeof(*inode), __GFP_NOWARN);

	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_vfs = true;
	inode->refs = 1;
	inode->i_dirty_list = (struct list_head){ NULL, NULL };
	inode->i_nlink = 1;
	mutex_init(&inode->i_mutex);
	return inode;
}

static void free_inode(struct inode *inode)
{
	const struct super_operations *op = inode->i_sb->s_op;

	if (op && op->free_inode)
		op->free_inode(inode);
	else
		kfree(inode);
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = alloc_inode(sb);
	unsigned long flags;

	if (inode) {
		flags = spin_lock_irqsave(&sb->s_inode_lock);
		sb->s_nr_inodes++;
		spin_unlock_irqrestore(&sb->s_inode_lock, flags);
	}
	return inode;
}

void insert_inode_hash(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	unsigned long flags = spin_lock_irqsave(&sb->s_inode_lock);
	struct inode **c = chain(sb, inode->i_ino);

	inode->i_hash_next = *c;
	*c = inode;
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
}

struct iget_wait {
	struct super_block *sb;
	unsigned long ino;
};

/* Under s_inode_wait.lock (wait_event): nobody is reading ino in or evicting it. */
static bool iget_settled(void *arg)
{
	struct iget_wait *w = arg;
	unsigned long flags = spin_lock_irqsave(&w->sb->s_inode_lock);
	struct inode *i = hash_find(w->sb, w->ino);
	bool settled = !i || !(i->i_state & (I_NEW | I_FREEING));

	spin_unlock_irqrestore(&w->sb->s_inode_lock, flags);
	return settled;
}

struct inode *iget_locked(struct super_block *sb, unsigned long ino)
{
	struct iget_wait w = { sb, ino };
	struct inode *inode, *fresh = NULL;
	unsigned long flags;

	for (;;) {
		flags = spin_lock_irqsave(&sb->s_inode_lock);
		inode = hash_find(sb, ino);
		if (inode && !(inode->i_state & (I_NEW | I_FREEING))) {
			inode->refs++;
			spin_unlock_irqrestore(&sb->s_inode_lock, flags);
			if (fresh)
				free_inode(fresh); /* another task read it in meanwhile */
			return inode;
		}
		if (!inode && fresh) {
			fresh->i_ino = ino;
			fresh->i_state = I_NEW;
			fresh->i_hash_next = *chain(sb, ino);
			*chain(sb, ino) = fresh;
			sb->s_nr_inodes++;
			spin_unlock_irqrestore(&sb->s_inode_lock, flags);
			return fresh;
		}
		spin_unlock_irqrestore(&sb->s_inode_lock, flags);
		if (inode) {
			wait_event(&sb->s_inode_wait, iget_settled, &w);
			continue;
		}
		/* Allocated unlocked (alloc_inode may sleep); the hash is searched again. */
		fresh = alloc_inode(sb);
		if (!fresh)
			return NULL;
	}
}

void unlock_new_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	unsigned long flags = spin_lock_irqsave(&sb->s_inode_lock);

	inode->i_state &= ~I_NEW;
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
	wake_up(&sb->s_inode_wait);
}

/* Unhashes and frees inode, which nobody else can reach any more. */
static void destroy_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	unsigned long flags = spin_lock_irqsave(&sb->s_inode_lock);

	hash_del(inode);
	if (inode->i_dirty_list.next)
		list_del(&inode->i_dirty_list);
	sb->s_nr_inodes--;
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
	wake_up(&sb->s_inode_wait);
	free_inode(inode);
}

/* The fs could not read it in: no evict_inode (its blocks are not its to free). */
void iget_failed(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	unsigned long flags = spin_lock_irqsave(&sb->s_inode_lock);

	inode->i_state = I_FREEING;
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
	destroy_inode(inode);
}

void ihold(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	unsigned long flags = spin_lock_irqsave(&sb->s_inode_lock);

	inode->refs++;
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
}

struct inode *igrab(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	unsigned long flags = spin_lock_irqsave(&sb->s_inode_lock);
	bool ok = !(inode->i_state & (I_NEW | I_FREEING));

	if (ok)
		inode->refs++;
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
	return ok ? inode : NULL;
}

/*
 * The last reference: write it back if it still has names and is dirty,
 * then evict_inode (which frees its blocks when it has none) and free.
 * Unused inodes are not kept: the dentries that name them keep them.
 */
void iput(struct inode *inode)
{
	struct super_block *sb;
	const struct super_operations *op;
	unsigned long flags;
	bool dirty;

	if (!inode)
		return;
	sb = inode->i_sb;
	op = sb->s_op;
	flags = spin_lock_irqsave(&sb->s_inode_lock);
	if (--inode->refs) {
		spin_unlock_irqrestore(&sb->s_inode_lock, flags);
		return;
	}
	dirty = inode->i_state & I_DIRTY;
	inode->i_state = I_FREEING;
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
	/* Its cached pages: written back if it keeps a name, then dropped. */
	if (IS_ENABLED(CONFIG_FILEMAP))
		filemap_evict(inode);
	if (dirty && inode->i_nlink && op && op->write_inode)
		op->write_inode(inode, false);
	if (op && op->evict_inode)
		op->evict_inode(inode);
	if (S_ISREG(inode->i_mode))
		wasm_cache_forget(inode, false);
	destroy_inode(inode);
}

void mark_inode_dirty(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	unsigned long flags = spin_lock_irqsave(&sb->s_inode_lock);

	inode->i_state |= I_DIRTY;
	/* Not by I_DIRTY: iput() clears it on an inode still listed. */
	if (!inode->i_dirty_list.next)
		list_add_tail(&inode->i_dirty_list, &sb->s_dirty);
	spin_unlock_irqrestore(&sb->s_inode_lock, flags);
}

/*
 * Caller holds s_inode_lock: a dirty, settled inode of sb, with a
 * reference, I_DIRTY cleared and off the list. Inodes being read in or
 * evicted stay listed: destroy_inode() unlists them.
 */
static struct inode *grab_dirty(struct super_block *sb)
{
	struct inode *i;

	list_for_each_entry(i, &sb->s_dirty, i_dirty_list)
		if ((i->i_state & (I_DIRTY | I_NEW | I_FREEING)) == I_DIRTY) {
			list_del(&i->i_dirty_list);
			i->i_state &= ~I_DIRTY;
			i->refs++;
			return i;
		}
	return NULL;
}

int sync_inodes_sb(struct super_block *sb, bool wait)
{
	const struct super_operations *op = sb->s_op;
	unsigned long flags, left;
	struct inode *inode;
	int err = 0, e;

	/* File data first: the page cache copies it into buffers the file system's sync then writes. */
	if (IS_ENABLED(CONFIG_FILEMAP))
		err = filemap_write_back_sb(sb);
	/* At most one pass per inode: a write_inode that dirties again waits for the next sync. */
	for (left = READ_ONCE(sb->s_nr_inodes); left; left--) {
		flags = spin_lock_irqsave(&sb->s_inode_lock);
		inode = grab_dirty(sb);
		spin_unlock_irqrestore(&sb->s_inode_lock, flags);
		if (!inode)
			break;
		e = op && op->write_inode ? op->write_inode(inode, wait) : 0;
		if (e && !err)
			err = e;
		iput(inode);
	}
	return err;
}
