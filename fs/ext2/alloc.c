/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2 block and inode allocation: the groups' bitmaps and free counts, under the super block's s_lock. */
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/random.h>
#include <hartix/string.h>

#include "ext2.h"

/* A bitmap block, or NULL after reporting why. s_lock held. */
static struct buffer_head *read_bitmap(struct super_block *sb, u32 blk, u32 group)
{
	struct buffer_head *bh = ext2_bread(sb, blk);

	if (IS_ERR(bh)) {
		ext2_error(sb, __func__, "cannot read bitmap %u of group %u", blk, group);
		return NULL;
	}
	return bh;
}

/* blk is group metadata (super block copy, descriptors, bitmaps, inode table): never a file's. */
static bool is_metadata(struct super_block *sb, u32 group, u32 blk)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, NULL);
	u32 first = ext2_group_first_block(&sbi->g, group);

	if (ext2_group_has_super(&sbi->g, group) && blk - first <= sbi->g.gdt_blocks)
		return true;
	return blk == gd->bg_block_bitmap || blk == gd->bg_inode_bitmap ||
	       (blk >= gd->bg_inode_table && blk - gd->bg_inode_table < sbi->g.itb_per_group);
}

/* Takes a free block of group at or after start (then from the group's start): its number, or 0. */
static u32 take_block(struct super_block *sb, u32 group, u32 start)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct buffer_head *gbh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, &gbh);
	u32 n = ext2_group_nr_blocks(&sbi->g, group), bit, blk;
	struct buffer_head *bh;

	if (!gd->bg_free_blocks_count)
		return 0;
	bh = read_bitmap(sb, gd->bg_block_bitmap, group);
	if (!bh)
		return 0;
	bit = ext2_find_zero_bit(bh->b_data, n, start < n ? start : 0);
	if (bit == n)
		bit = ext2_find_zero_bit(bh->b_data, n, 0);
	if (bit == n) {
		ext2_error(sb, __func__, "group %u counts %u free blocks, its bitmap none", group,
			   gd->bg_free_blocks_count);
		brelse(bh);
		return 0;
	}
	blk = ext2_group_first_block(&sbi->g, group) + bit;
	if (!ext2_block_valid(&sbi->g, blk) || is_metadata(sb, group, blk)) {
		ext2_error(sb, __func__, "bitmap of group %u frees metadata block %u", group, blk);
		brelse(bh);
		return 0;
	}
	ext2_set_bit(bh->b_data, bit);
	mark_buffer_dirty(bh);
	brelse(bh);
	gd->bg_free_blocks_count--;
	mark_buffer_dirty(gbh);
	return blk;
}

int ext2_new_block(struct inode *inode, u32 goal, u32 *blk)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 group, start = 0, i;

	if (!ext2_block_valid(&sbi->g, goal))
		goal = ext2_group_first_block(&sbi->g, EXT2_I(inode)->i_block_group);
	group = (goal - sbi->g.first_data_block) / sbi->g.blocks_per_group;
	if (group >= sbi->g.groups)
		group = 0;
	else
		start = goal - ext2_group_first_block(&sbi->g, group);
	mutex_lock(&sbi->s_lock);
	for (i = 0; i < sbi->g.groups; i++) {
		*blk = take_block(sb, group, start);
		if (*blk) {
			mutex_unlock(&sbi->s_lock);
			inode->i_blocks += sbi->g.block_size >> 9;
			return 0;
		}
		group = (group + 1) % sbi->g.groups;
		start = 0;
	}
	mutex_unlock(&sbi->s_lock);
	return -ENOSPC;
}

void ext2_free_blocks(struct inode *inode, u32 blk, u32 count)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	mutex_lock(&sbi->s_lock);
	for (; count; count--, blk++) {
		u32 group = (blk - sbi->g.first_data_block) / sbi->g.blocks_per_group;
		u32 bit = blk - ext2_group_first_block(&sbi->g, group);
		struct buffer_head *gbh, *bh;
		struct ext2_group_desc *gd;

		if (!ext2_block_valid(&sbi->g, blk) || is_metadata(sb, group, blk)) {
			ext2_error(sb, __func__, "freeing block %u: not a data block", blk);
			continue;
		}
		gd = ext2_get_group_desc(sb, group, &gbh);
		bh = read_bitmap(sb, gd->bg_block_bitmap, group);
		if (!bh)
			continue;
		if (!ext2_test_bit(bh->b_data, bit)) {
			ext2_error(sb, __func__, "bit already cleared for block %u", blk);
		} else {
			ext2_clear_bit(bh->b_data, bit);
			mark_buffer_dirty(bh);
			gd->bg_free_blocks_count++;
			mark_buffer_dirty(gbh);
			if (inode->i_blocks >= sbi->g.block_size >> 9)
				inode->i_blocks -= sbi->g.block_size >> 9;
		}
		brelse(bh);
	}
	mutex_unlock(&sbi->s_lock);
}

/*
 * Where a new inode goes: a directory into the group with the most free
 * inodes among those with free blocks above average (spreading trees),
 * anything else next to its directory. s_lock held.
 */
static u32 pick_group(struct super_block *sb, struct inode *dir, bool is_dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 parent = EXT2_I(dir)->i_block_group, best = parent, best_free = 0, i;
	u32 avg_blocks = ext2_count_free_blocks(sb) / sbi->g.groups;

	if (!is_dir)
		return parent;
	for (i = 0; i < sbi->g.groups; i++) {
		struct ext2_group_desc *gd = ext2_get_group_desc(sb, i, NULL);

		if (gd->bg_free_inodes_count > best_free && gd->bg_free_blocks_count >= avg_blocks) {
			best = i;
			best_free = gd->bg_free_inodes_count;
		}
	}
	return best;
}

/* Takes a free inode of group: its number, or 0. s_lock held. */
static u32 take_inode(struct super_block *sb, u32 group, bool is_dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct buffer_head *gbh, *bh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, &gbh);
	u32 bit, ino;

	if (!gd->bg_free_inodes_count)
		return 0;
	bh = read_bitmap(sb, gd->bg_inode_bitmap, group);
	if (!bh)
		return 0;
	bit = ext2_find_zero_bit(bh->b_data, sbi->g.inodes_per_group, 0);
	/* Reserved inodes (below s_first_ino) are never handed out, whatever the bitmap says. */
	while (bit < sbi->g.inodes_per_group && group * sbi->g.inodes_per_group + bit + 1 < sbi->g.first_ino)
		bit = ext2_find_zero_bit(bh->b_data, sbi->g.inodes_per_group, bit + 1);
	if (bit == sbi->g.inodes_per_group) {
		ext2_error(sb, __func__, "group %u counts %u free inodes, its bitmap none", group,
			   gd->bg_free_inodes_count);
		brelse(bh);
		return 0;
	}
	ino = group * sbi->g.inodes_per_group + bit + 1;
	ext2_set_bit(bh->b_data, bit);
	mark_buffer_dirty(bh);
	brelse(bh);
	gd->bg_free_inodes_count--;
	if (is_dir) {
		gd->bg_used_dirs_count++;
		sbi->s_dir_count++;
	}
	mark_buffer_dirty(gbh);
	return ino;
}

/* Zeroes ino's slot in the inode table, so no field of a former user survives. */
static int clear_slot(struct super_block *sb, u32 ino)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 group, index, byte;
	struct buffer_head *bh;

	if (ext2_inode_group(&sbi->g, ino, &group, &index))
		return -EUCLEAN;
	byte = index * sbi->g.inode_size;
	bh = ext2_bread(sb, ext2_get_group_desc(sb, group, NULL)->bg_inode_table +
			    (byte >> sbi->g.log_block_size));
	if (IS_ERR(bh))
		return -EIO;
	mutex_lock(&sbi->s_inode_lock);
	memset((u8 *)bh->b_data + (byte & (sbi->g.block_size - 1)), 0, sbi->g.inode_size);
	mark_buffer_dirty(bh);
	mutex_unlock(&sbi->s_inode_lock);
	brelse(bh);
	return 0;
}

struct inode *ext2_new_inode(struct inode *dir, u32 mode)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei;
	struct inode *inode;
	u32 group, ino = 0, i;
	int err;

	inode = new_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&sbi->s_lock);
	group = pick_group(sb, dir, S_ISDIR(mode));
	for (i = 0; i < sbi->g.groups && !ino; i++, group = (group + 1) % sbi->g.groups)
		ino = take_inode(sb, group, S_ISDIR(mode));
	mutex_unlock(&sbi->s_lock);
	if (!ino) {
		iput(inode);
		return ERR_PTR(-ENOSPC);
	}
	group = (ino - 1) / sbi->g.inodes_per_group;
	err = clear_slot(sb, ino);
	ei = EXT2_I(inode);
	memset(ei->i_data, 0, sizeof(ei->i_data));
	ei->i_flags = ei->i_file_acl = ei->i_dtime = 0;
	ei->i_generation = (u32)get_random_u64();
	ei->i_block_group = group;
	inode->i_ino = ino;
	inode->i_mode = mode;
	inode->i_uid = inode->i_gid = 0;
	inode->i_nlink = 1;
	inode->i_size = inode->i_blocks = 0;
	ext2_timespec_now(&inode->i_mtime);
	inode->i_atime = inode->i_ctime = inode->i_mtime;
	insert_inode_hash(inode);
	mark_inode_dirty(inode);
	if (err) {
		inode->i_nlink = 0;
		iput(inode);
		return ERR_PTR(err);
	}
	return inode;
}

void ext2_free_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 group, bit;
	struct buffer_head *gbh, *bh;
	struct ext2_group_desc *gd;

	if (ext2_inode_group(&sbi->g, inode->i_ino, &group, &bit) || inode->i_ino < sbi->g.first_ino) {
		ext2_error(sb, __func__, "freeing reserved or nonexistent inode %lu", inode->i_ino);
		return;
	}
	mutex_lock(&sbi->s_lock);
	gd = ext2_get_group_desc(sb, group, &gbh);
	bh = read_bitmap(sb, gd->bg_inode_bitmap, group);
	if (bh) {
		if (!ext2_test_bit(bh->b_data, bit)) {
			ext2_error(sb, __func__, "bit already cleared for inode %lu", inode->i_ino);
		} else {
			ext2_clear_bit(bh->b_data, bit);
			mark_buffer_dirty(bh);
			gd->bg_free_inodes_count++;
			if (S_ISDIR(inode->i_mode) && gd->bg_used_dirs_count) {
				gd->bg_used_dirs_count--;
				sbi->s_dir_count--;
			}
			mark_buffer_dirty(gbh);
		}
		brelse(bh);
	}
	mutex_unlock(&sbi->s_lock);
}
