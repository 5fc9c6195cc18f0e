// SPDX-License-Identifier: BSD-2-Clause
/* Super blocks: the registered file system types, making a mounted instance with fill_super and taking it down. */
#include <hartix/blkdev.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/printk.h>
#include <hartix/slab.h>
#include <hartix/string.h>

#include "vfs.h"

#define INODE_HASH_SIZE 256 /* chains per super block */
#define NR_ANON_DEVS 256

/* Anonymous device numbers (0, n) for file systems without a disk, as Linux's get_anon_bdev(). */
static DEFINE_SPINLOCK(anon_lock);
static unsigned long anon_used[NR_ANON_DEVS / (8 * sizeof(unsigned long))];

int get_anon_dev(u32 *dev)
{
	unsigned long bits = 8 * sizeof(unsigned long);
	unsigned int n;
	int ret = -EMFILE;

	spin_lock(&anon_lock);
	/* (0, 0) is no device, (0, 1) the root file system's and /proc's. */
	for (n = 2; n < NR_ANON_DEVS; n++)
		if (!(anon_used[n / bits] & (1UL << (n % bits)))) {
			anon_used[n / bits] |= 1UL << (n % bits);
			*dev = MKDEV(0, n);
			ret = 0;
			break;
		}
	spin_unlock(&anon_lock);
	return ret;
}

void put_anon_dev(u32 dev)
{
	unsigned long bits = 8 * sizeof(unsigned long);
	unsigned int n = dev & 0xff;

	spin_lock(&anon_lock);
	anon_used[n / bits] &= ~(1UL << (n % bits));
	spin_unlock(&anon_lock);
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *const *t;

	for (t = __filesystems_start; t < __filesystems_end; t++)
		if (!strcmp((*t)->name, name))
			return *t;
	return NULL;
}

static void free_super(struct super_block *sb)
{
	if (sb->s_dev)
		put_anon_dev(sb->s_dev);
	kfree(sb->s_inode_hash);
	kfree(sb);
}

void deactivate_super(struct super_block *sb)
{
	const struct super_operations *op = sb->s_op;

	dput(sb->s_root);
	shrink_dcache_sb(sb);
	if (!(sb->s_flags & SB_RDONLY)) {
		sync_inodes_sb(sb, true);
		if (op && op->sync_fs)
			op->sync_fs(sb, true);
	}
	if (sb->s_root && op && op->put_super)
		op->put_super(sb);
	if (READ_ONCE(sb->s_nr_inodes))
		pr_err("VFS: busy inodes on unmount of %s (%lu)\n",
		       sb->s_type->name, sb->s_nr_inodes);
	else if (sb->s_type->kill_sb)
		sb->s_type->kill_sb(sb);
	/* With busy inodes sb must outlive them: leaked, as a bug report. */
	if (!READ_ONCE(sb->s_nr_inodes))
		free_super(sb);
}

struct super_block *vfs_get_super(struct file_system_type *type,
				  struct block_device *bdev,
				  unsigned long flags, const char *options)
{
	struct super_block *sb;
	int err;

	if ((type->fs_flags & FS_REQUIRES_DEV) && !bdev)
		return ERR_PTR(-ENOTBLK);
	if (bdev && bdev->read_only && !(flags & SB_RDONLY))
		return ERR_PTR(-EACCES); /* as Linux: mount(8) retries read-only */
	sb = kzalloc(sizeof(*sb), __GFP_NOWARN);
	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_inode_hash = kzalloc(INODE_HASH_SIZE * sizeof(*sb->s_inode_hash),
				   __GFP_NOWARN);
	if (!sb->s_inode_hash) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	sb->s_inode_hash_size = INODE_HASH_SIZE;
	sb->s_inode_lock = (spinlock_t)SPINLOCK_UNLOCKED;
	sb->s_inode_wait = (struct wait_queue)WAIT_QUEUE_INIT;
	sb->s_dirty = (struct list_head)LIST_HEAD_INIT(sb->s_dirty);
	mutex_init(&sb->s_umount);
	mutex_init(&sb->s_rename_mutex);
	sb->s_type = type;
	sb->s_bdev = bdev;
	sb->s_flags = flags & (SB_RDONLY | SB_NOSUID | SB_NODEV | SB_NOEXEC);
	sb->s_blocksize = 512;
	/* Block devices have no numbers yet: every instance gets an anonymous one. */
	err = get_anon_dev(&sb->s_dev);
	if (err) {
		free_super(sb);
		return ERR_PTR(err);
	}
	err = type->fill_super(sb, options, 0);
	if (!err && !sb->s_root)
		err = -ENOMEM; /* fill_super's d_make_root() failed */
	if (err) {
		deactivate_super(sb);
		return ERR_PTR(err);
	}
	return sb;
}
