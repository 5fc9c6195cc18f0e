/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2's super block: mount (checks, descriptors, root), statfs, sync, remount and unmount. */
#include <hartix/blkdev.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/printk.h>
#include <hartix/slab.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <hartix/time.h>

#include "ext2.h"

#include <stdarg.h>

void ext2_timespec_now(struct timespec *ts)
{
	s64 ns = ktime_get_real_ns();

	if (ns < 0)
		ns = 0;
	ts->tv_sec = (long)(ns / (s64)NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % (s64)NSEC_PER_SEC);
}

static u32 now_sec(void)
{
	struct timespec ts;

	ext2_timespec_now(&ts);
	return (u32)ts.tv_sec;
}

/*
 * A corrupt structure found while mounted: logged like Linux's and
 * recorded in s_state, so the next mount is read-only until e2fsck.
 */
void ext2_error(struct super_block *sb, const char *where, const char *fmt, ...)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("EXT2-fs error (device %s): %s: %s\n", sb->s_bdev->name, where, msg);
	if (!(sb->s_flags & SB_RDONLY)) {
		sbi->es->s_state |= EXT2_ERROR_FS;
		mark_buffer_dirty(sbi->sbh);
	}
}

/* A group's descriptor in its held buffer (*bh if asked), checked at mount. */
struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, u32 group,
					    struct buffer_head **bh)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 offset, blk = ext2_desc_block(&sbi->g, group, &offset);
	struct buffer_head *b = sbi->gd_bh[blk - sbi->g.first_data_block - 1];

	if (bh)
		*bh = b;
	return (struct ext2_group_desc *)((u8 *)b->b_data + offset);
}

u32 ext2_count_free_blocks(struct super_block *sb)
{
	u32 group, n = 0;

	for (group = 0; group < EXT2_SB(sb)->g.groups; group++)
		n += ext2_get_group_desc(sb, group, NULL)->bg_free_blocks_count;
	return n;
}

u32 ext2_count_free_inodes(struct super_block *sb)
{
	u32 group, n = 0;

	for (group = 0; group < EXT2_SB(sb)->g.groups; group++)
		n += ext2_get_group_desc(sb, group, NULL)->bg_free_inodes_count;
	return n;
}

/* The super block's free counts from the descriptors, then the super block to disk. */
void ext2_sync_super(struct super_block *sb, bool wait)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	mutex_lock(&sbi->s_lock);
	sbi->es->s_free_blocks_count = ext2_count_free_blocks(sb);
	sbi->es->s_free_inodes_count = ext2_count_free_inodes(sb);
	sbi->es->s_wtime = now_sec();
	mark_buffer_dirty(sbi->sbh);
	mutex_unlock(&sbi->s_lock);
	if (wait)
		sync_dirty_buffer(sbi->sbh);
}

static int ext2_sync_fs(struct super_block *sb, bool wait)
{
	if (sb->s_flags & SB_RDONLY)
		return 0;
	ext2_sync_super(sb, wait);
	return wait ? sync_blockdev(sb->s_bdev) : 0;
}

/* The writeback thread's periodic call: dirty inodes into their buffers, which it then writes. */
static void ext2_flush(struct bcache_flusher *f)
{
	struct ext2_sb_info *sbi = container_of(f, struct ext2_sb_info, flusher);

	sync_inodes_sb(sbi->sb, false);
}

static void start_flusher(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (sbi->flushing)
		return;
	sbi->sb = sb;
	sbi->flusher.flush = ext2_flush;
	bcache_add_flusher(&sbi->flusher);
	sbi->flushing = true;
}

static void stop_flusher(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sbi->flushing)
		return;
	bcache_remove_flusher(&sbi->flusher);
	sbi->flushing = false;
}

/* Mounted read-write: not clean until unmounted (e2fsck checks it otherwise). */
static void mark_mounted(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	start_flusher(sb);
	sbi->es->s_state &= (u16)~EXT2_VALID_FS;
	sbi->es->s_mnt_count++;
	sbi->es->s_mtime = now_sec();
	ext2_sync_super(sb, true);
}

static void mark_clean(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	stop_flusher(sb);
	sbi->es->s_state |= EXT2_VALID_FS;
	ext2_sync_super(sb, true);
	sync_blockdev(sb->s_bdev);
}

static void release_sbi(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 i;

	stop_flusher(sb);
	for (i = 0; sbi->gd_bh && i < sbi->g.gdt_blocks; i++)
		brelse(sbi->gd_bh[i]);
	kfree(sbi->gd_bh);
	brelse(sbi->sbh);
	kfree(sbi);
	sb->s_fs_info = NULL;
	invalidate_bdev(sb->s_bdev);
}

static void ext2_put_super(struct super_block *sb)
{
	if (!(sb->s_flags & SB_RDONLY))
		mark_clean(sb);
}

static int ext2_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 bfree, r = sbi->es->s_r_blocks_count;

	mutex_lock(&sbi->s_lock);
	bfree = ext2_count_free_blocks(sb);
	st->f_ffree = ext2_count_free_inodes(sb);
	mutex_unlock(&sbi->s_lock);
	st->f_type = EXT2_SUPER_MAGIC;
	st->f_bsize = st->f_frsize = sbi->g.block_size;
	st->f_blocks = sbi->g.blocks_count - sbi->g.first_data_block;
	st->f_bfree = bfree;
	st->f_bavail = bfree > r ? bfree - r : 0;
	st->f_files = sbi->g.inodes_count;
	st->f_namelen = EXT2_NAME_LEN;
	st->f_fsid[0] = (int)(sbi->es->s_uuid[0] | sbi->es->s_uuid[1] << 8 | sbi->es->s_uuid[2] << 16 |
			      (u32)sbi->es->s_uuid[3] << 24);
	st->f_fsid[1] = (int)(sbi->es->s_uuid[4] | sbi->es->s_uuid[5] << 8 | sbi->es->s_uuid[6] << 16 |
			      (u32)sbi->es->s_uuid[7] << 24);
	return 0;
}

/* The VFS calls it only for a change of SB_RDONLY (include/hartix/fs.h). */
static int ext2_remount(struct super_block *sb, unsigned long *flags)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (*flags & SB_RDONLY) {
		mark_clean(sb);
		return 0;
	}
	/* As Linux refuses unsupported features; a disk with errors stays read-only too. */
	if (sbi->g.force_ro || (sbi->es->s_state & EXT2_ERROR_FS)) {
		pr_warn("EXT2-fs (%s): cannot remount read-write: run e2fsck or mount a supported image\n",
			sb->s_bdev->name);
		return -EROFS;
	}
	mark_mounted(sb);
	return 0;
}

static struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei), GFP_KERNEL);

	(void)sb;
	if (!ei)
		return NULL;
	mutex_init(&ei->i_map_lock);
	return &ei->vfs_inode;
}

static void ext2_free_inode_mem(struct inode *inode)
{
	kfree(EXT2_I(inode));
}

static const struct super_operations ext2_sops = {
	.alloc_inode = ext2_alloc_inode,
	.free_inode = ext2_free_inode_mem,
	.write_inode = ext2_write_inode,
	.evict_inode = ext2_evict_inode,
	.put_super = ext2_put_super,
	.sync_fs = ext2_sync_fs,
	.statfs = ext2_statfs,
	.remount_fs = ext2_remount,
};

static int mount_error(struct super_block *sb, int err, const char *why, bool silent)
{
	if (!silent || err != -EINVAL)
		pr_err("EXT2-fs (%s): error: %s\n", sb->s_bdev->name, why);
	return err;
}

/* Reads and checks every group descriptor block; they stay held while mounted. */
static int read_descriptors(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	const char *why;
	u32 i, group;

	sbi->gd_bh = kzalloc(sbi->g.gdt_blocks * sizeof(*sbi->gd_bh), GFP_KERNEL);
	if (!sbi->gd_bh)
		return -ENOMEM;
	for (i = 0; i < sbi->g.gdt_blocks; i++) {
		struct buffer_head *bh = ext2_bread(sb, sbi->g.first_data_block + 1 + i);

		if (IS_ERR(bh))
			return mount_error(sb, -EIO, "unable to read group descriptors", false);
		sbi->gd_bh[i] = bh;
	}
	for (group = 0; group < sbi->g.groups; group++) {
		struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, NULL);
		int err = ext2_check_desc(&sbi->g, gd, group, &why);

		if (err) {
			pr_err("EXT2-fs (%s): error: group descriptor %u: %s\n", sb->s_bdev->name,
			       group, why);
			return err;
		}
		sbi->s_dir_count += gd->bg_used_dirs_count;
	}
	return 0;
}

static int ext2_fill_super(struct super_block *sb, const char *options, int silent)
{
	struct block_device *bdev = sb->s_bdev;
	struct ext2_sb_info *sbi;
	struct buffer_head *bh;
	struct inode *root;
	const char *why;
	u32 sb_block, offset;
	int err;

	(void)options;
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi)
		return -ENOMEM;
	mutex_init(&sbi->s_lock);
	mutex_init(&sbi->s_inode_lock);
	sb->s_fs_info = sbi;

	/* First at 1 KiB, the smallest block size: 1 KiB in from the start. */
	bh = bread(bdev, 1, EXT2_MIN_BLOCK_SIZE);
	if (IS_ERR(bh)) {
		err = mount_error(sb, -EINVAL, "unable to read the super block", silent);
		goto fail;
	}
	err = ext2_parse_super(bh->b_data, bdev->nr_sectors << SECTOR_SHIFT, &sbi->g, &why);
	brelse(bh);
	if (err) {
		mount_error(sb, err, why, silent);
		goto fail;
	}
	/* Now at its own block size: the 1 KiB buffers are not needed again. */
	invalidate_bdev(bdev);
	sb->s_blocksize = sbi->g.block_size;
	sb_block = EXT2_SUPER_OFFSET / sbi->g.block_size;
	offset = EXT2_SUPER_OFFSET % sbi->g.block_size;
	sbi->sbh = ext2_bread(sb, sb_block);
	if (IS_ERR(sbi->sbh)) {
		sbi->sbh = NULL;
		err = mount_error(sb, -EIO, "unable to read the super block", false);
		goto fail;
	}
	sbi->es = (struct ext2_super_block *)((u8 *)sbi->sbh->b_data + offset);
	/* Checked again: the buffer read at the real block size is the one used from now on. */
	err = ext2_parse_super(sbi->es, bdev->nr_sectors << SECTOR_SHIFT, &sbi->g, &why);
	if (err) {
		mount_error(sb, err, why, silent);
		goto fail;
	}
	err = read_descriptors(sb);
	if (err)
		goto fail;
	if (sbi->g.force_ro && !(sb->s_flags & SB_RDONLY)) {
		pr_warn("EXT2-fs (%s): warning: %s\n", bdev->name, why);
		sb->s_flags |= SB_RDONLY;
	}
	sb->s_op = &ext2_sops;
	root = ext2_iget(sb, EXT2_ROOT_INO);
	if (IS_ERR(root)) {
		err = mount_error(sb, -EUCLEAN, "unable to read the root inode", false);
		goto fail;
	}
	if (!S_ISDIR(root->i_mode) || !root->i_size) {
		iput(root);
		err = mount_error(sb, -EUCLEAN, "corrupt root inode, run e2fsck", false);
		goto fail;
	}
	sb->s_root = d_make_root(root);
	if (!sb->s_root) {
		err = -ENOMEM;
		goto fail;
	}
	if (!(sb->s_flags & SB_RDONLY))
		mark_mounted(sb);
	return 0;
fail:
	/* The VFS still syncs and puts a failed super block: nothing of ext2's is left to call. */
	sb->s_op = NULL;
	release_sbi(sb);
	return err;
}

/* The last inodes were evicted after put_super (freeing blocks maybe): clean again, then let go. */
static void ext2_kill_sb(struct super_block *sb)
{
	if (!sb->s_fs_info)
		return;
	if (!(sb->s_flags & SB_RDONLY))
		mark_clean(sb);
	release_sbi(sb);
}

static struct file_system_type ext2_fs_type = {
	.name = "ext2",
	.fs_flags = FS_REQUIRES_DEV,
	.fill_super = ext2_fill_super,
	.kill_sb = ext2_kill_sb,
};
DEFINE_FILESYSTEM(ext2_fs_type);
