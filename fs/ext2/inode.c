/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2 inodes: reading and writing them, the block map (get_block, truncate), setattr and eviction. */
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/printk.h>
#include <hartix/string.h>

#include "ext2.h"

/* Hartix's device numbers are MKDEV(major, minor) with 8-bit parts; ext2 stores Linux's two encodings. */
static u32 decode_dev(const u32 *i_block)
{
	u32 dev;

	if (i_block[0])
		return MKDEV((i_block[0] >> 8) & 0xff, i_block[0] & 0xff);
	dev = i_block[1];
	return MKDEV((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));
}

static void encode_dev(u32 rdev, u32 *i_block)
{
	i_block[0] = ((rdev >> 8) & 0xff) << 8 | (rdev & 0xff);
	i_block[1] = 0;
}

/* The buffer holding ino's slot of the inode table and the slot's offset in it. */
static struct buffer_head *inode_buffer(struct super_block *sb, unsigned long ino, u32 *offset)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 group, index, byte;
	struct buffer_head *bh;

	if ((ino != EXT2_ROOT_INO && ino < sbi->g.first_ino) ||
	    ext2_inode_group(&sbi->g, ino, &group, &index)) {
		ext2_error(sb, __func__, "bad inode number: %lu", ino);
		return ERR_PTR(-EUCLEAN);
	}
	byte = index * sbi->g.inode_size;
	*offset = byte & (sbi->g.block_size - 1);
	bh = ext2_bread(sb, ext2_get_group_desc(sb, group, NULL)->bg_inode_table +
			    (byte >> sbi->g.log_block_size));
	if (IS_ERR(bh))
		ext2_error(sb, __func__, "unable to read inode block of inode %lu", ino);
	return bh;
}

bool ext2_inode_fast_symlink(struct inode *inode)
{
	u32 ea = EXT2_I(inode)->i_file_acl ? inode->i_sb->s_blocksize >> 9 : 0;

	return S_ISLNK(inode->i_mode) && inode->i_blocks == ea;
}

static bool has_map(const struct inode *inode)
{
	return S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) || S_ISLNK(inode->i_mode);
}

void ext2_set_inode_ops(struct inode *inode)
{
	switch (inode->i_mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &ext2_file_inode_operations;
		inode->i_fop = &ext2_file_operations;
		inode->i_aops = &ext2_aops;
		break;
	case S_IFDIR:
		inode->i_op = &ext2_dir_inode_operations;
		inode->i_fop = &ext2_dir_operations;
		break;
	case S_IFLNK:
		inode->i_op = &ext2_symlink_inode_operations;
		break;
	default:
		/* Devices, FIFOs and sockets: the VFS opens them by i_rdev and mode. */
		inode->i_op = &ext2_file_inode_operations;
		break;
	}
}

struct inode *ext2_iget(struct super_block *sb, unsigned long ino)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei;
	struct ext2_inode raw;
	struct buffer_head *bh;
	struct inode *inode;
	const char *why;
	u32 offset;
	int err;

	inode = iget_locked(sb, ino);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW))
		return inode;
	bh = inode_buffer(sb, ino, &offset);
	if (IS_ERR(bh)) {
		iget_failed(inode);
		return ERR_PTR(PTR_ERR(bh));
	}
	mutex_lock(&sbi->s_inode_lock);
	memcpy(&raw, (u8 *)bh->b_data + offset, sizeof(raw));
	mutex_unlock(&sbi->s_inode_lock);
	brelse(bh);
	err = ext2_check_inode(&sbi->g, &raw, &why);
	if (err) {
		if (err != -ESTALE)
			ext2_error(sb, __func__, "inode %lu: %s", ino, why);
		iget_failed(inode);
		return ERR_PTR(err);
	}
	ei = EXT2_I(inode);
	inode->i_mode = raw.i_mode;
	inode->i_uid = raw.i_uid | (u32)raw.i_uid_high << 16;
	inode->i_gid = raw.i_gid | (u32)raw.i_gid_high << 16;
	inode->i_nlink = raw.i_links_count;
	inode->i_size = ext2_inode_size(&sbi->g, &raw);
	inode->i_atime = (struct timespec){ (long)raw.i_atime, 0 };
	inode->i_mtime = (struct timespec){ (long)raw.i_mtime, 0 };
	inode->i_ctime = (struct timespec){ (long)raw.i_ctime, 0 };
	inode->i_blocks = raw.i_blocks;
	memcpy(ei->i_data, raw.i_block, sizeof(ei->i_data));
	ei->i_flags = raw.i_flags;
	ei->i_file_acl = raw.i_file_acl;
	ei->i_dtime = raw.i_dtime;
	ei->i_generation = raw.i_generation;
	ei->i_block_group = (u32)((ino - 1) / sbi->g.inodes_per_group);
	inode->i_rdev = 0;
	if (S_ISCHR(raw.i_mode) || (raw.i_mode & S_IFMT) == S_IFBLK)
		inode->i_rdev = decode_dev(raw.i_block);
	ext2_set_inode_ops(inode);
	unlock_new_inode(inode);
	return inode;
}

int ext2_write_inode(struct inode *inode, bool sync)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct ext2_inode *raw;
	struct buffer_head *bh;
	u32 offset;
	int err = 0;

	if (sb->s_flags & SB_RDONLY)
		return 0;
	bh = inode_buffer(sb, inode->i_ino, &offset);
	if (IS_ERR(bh))
		return PTR_ERR(bh);
	mutex_lock(&sbi->s_inode_lock);
	raw = (struct ext2_inode *)((u8 *)bh->b_data + offset);
	raw->i_mode = (u16)inode->i_mode;
	raw->i_uid = (u16)inode->i_uid;
	raw->i_uid_high = (u16)(inode->i_uid >> 16);
	raw->i_gid = (u16)inode->i_gid;
	raw->i_gid_high = (u16)(inode->i_gid >> 16);
	raw->i_links_count = (u16)inode->i_nlink;
	raw->i_size = (u32)inode->i_size;
	raw->i_size_high = S_ISREG(inode->i_mode) ? (u32)(inode->i_size >> 32) : 0;
	raw->i_atime = (u32)inode->i_atime.tv_sec;
	raw->i_mtime = (u32)inode->i_mtime.tv_sec;
	raw->i_ctime = (u32)inode->i_ctime.tv_sec;
	raw->i_dtime = ei->i_dtime;
	raw->i_blocks = (u32)inode->i_blocks;
	raw->i_flags = ei->i_flags;
	raw->i_file_acl = ei->i_file_acl;
	raw->i_generation = ei->i_generation;
	if (S_ISCHR(inode->i_mode) || (inode->i_mode & S_IFMT) == S_IFBLK)
		encode_dev(inode->i_rdev, raw->i_block);
	else
		memcpy(raw->i_block, ei->i_data, sizeof(raw->i_block));
	mark_buffer_dirty(bh);
	mutex_unlock(&sbi->s_inode_lock);
	if (sync)
		err = sync_dirty_buffer(bh);
	brelse(bh);
	return err;
}

/*
 * A zeroed block for the map (an indirect block, or data get_block
 * creates), or, with zero false, a data block the page cache fills
 * whole (GET_BLOCK_NOZERO): zeroing it would cost a block of memset and
 * a buffer just to be overwritten.
 */
static int new_zeroed_block(struct inode *inode, u32 goal, u32 *blk, bool zero)
{
	struct buffer_head *bh;
	int err = ext2_new_block(inode, goal, blk);

	if (err || !zero)
		return err;
	bh = getblk(inode->i_sb->s_bdev, *blk, inode->i_sb->s_blocksize);
	if (IS_ERR(bh)) {
		ext2_free_blocks(inode, *blk, 1);
		return PTR_ERR(bh);
	}
	lock_buffer(bh);
	memset(bh->b_data, 0, bh->b_size);
	unlock_buffer(bh);
	mark_buffer_dirty(bh);
	brelse(bh);
	return 0;
}

/* i_map_lock held: the walk of get_block, allocating what is missing when create. */
static int map_block(struct inode *inode, u64 iblock, u32 *pblock, int create)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei = EXT2_I(inode);
	u32 offsets[4], *slot = &ei->i_data[0], blk, goal;
	struct buffer_head *holder = NULL;
	int depth = ext2_block_path(&sbi->g, iblock, offsets), level, err = 0;

	if (depth < 0)
		return depth;
	if (create && (iblock << sbi->g.log_block_size) >= sbi->g.max_size)
		return -EFBIG;
	goal = ext2_group_first_block(&sbi->g, ei->i_block_group);
	for (level = 0; level < depth; level++) {
		slot = holder ? (u32 *)holder->b_data + offsets[level] : &ei->i_data[offsets[level]];
		blk = *slot;
		if (!blk) {
			if (!create) {
				*pblock = 0;
				break;
			}
			err = new_zeroed_block(inode, goal, &blk,
					       level < depth - 1 || !(create & GET_BLOCK_NOZERO));
			if (err)
				break;
			*slot = blk;
			if (holder)
				mark_buffer_dirty(holder);
			else
				mark_inode_dirty(inode);
		} else if (!ext2_block_valid(&sbi->g, blk)) {
			ext2_error(sb, __func__, "inode %lu: block %u out of range", inode->i_ino, blk);
			err = -EUCLEAN;
			break;
		}
		goal = blk + 1;
		brelse(holder);
		holder = NULL;
		if (level == depth - 1) {
			*pblock = blk;
			break;
		}
		holder = ext2_bread(sb, blk);
		if (IS_ERR(holder)) {
			holder = NULL;
			err = -EIO;
			break;
		}
	}
	brelse(holder);
	return err;
}

int ext2_get_block(struct inode *inode, u64 iblock, u64 *pblock, int create)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	u32 blk = 0;
	int err;

	mutex_lock(&ei->i_map_lock);
	err = map_block(inode, iblock, &blk, create);
	mutex_unlock(&ei->i_map_lock);
	*pblock = blk;
	return err;
}

struct buffer_head *ext2_dir_bread(struct inode *dir, u64 iblock, bool create)
{
	u64 pblock;
	int err = ext2_get_block(dir, iblock, &pblock, create);

	if (err)
		return ERR_PTR(err);
	if (!pblock) {
		ext2_error(dir->i_sb, __func__, "directory %lu has a hole at block %llu", dir->i_ino,
			   (unsigned long long)iblock);
		return ERR_PTR(-EUCLEAN);
	}
	return ext2_bread(dir->i_sb, (u32)pblock);
}

/*
 * Frees the tree under *slot (depth levels of indirection above the data)
 * for file blocks from first on; base is the first file block it maps and
 * span how many. *budget is how many more blocks the walk may visit: a
 * corrupt map whose indirect blocks point back at each other must not
 * keep it going for millions of blocks.
 */
static void trunc_tree(struct inode *inode, u32 *slot, struct buffer_head *holder, int depth,
		       u64 base, u64 span, u64 first, u64 *budget)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 sub = span / sbi->g.addr_per_block, i;
	struct buffer_head *bh;

	if (!*slot || base + span <= first || !*budget)
		return;
	if (!--*budget) {
		ext2_error(sb, __func__, "inode %lu: more blocks mapped than it owns", inode->i_ino);
		return;
	}
	if (!ext2_block_valid(&sbi->g, *slot)) {
		ext2_error(sb, __func__, "inode %lu: block %u out of range", inode->i_ino, *slot);
		return;
	}
	if (depth) {
		bh = ext2_bread(sb, *slot);
		if (IS_ERR(bh))
			return;
		for (i = 0; i < sbi->g.addr_per_block; i++)
			trunc_tree(inode, (u32 *)bh->b_data + i, bh, depth - 1, base + i * sub, sub,
				   first, budget);
		brelse(bh);
	}
	if (base >= first) {
		ext2_free_blocks(inode, *slot, 1);
		*slot = 0;
		if (holder)
			mark_buffer_dirty(holder);
	}
}

/* Drops every block from file block first on; i_map_lock held. */
static void truncate_blocks(struct inode *inode, u64 first)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	u64 apb = EXT2_SB(inode->i_sb)->g.addr_per_block, base = EXT2_NDIR_BLOCKS;
	/* Every block it has counts in i_blocks: the walk visits no more (and a few to spare). */
	u64 budget = inode->i_blocks / (inode->i_sb->s_blocksize >> 9) + 16;
	int i;

	for (i = 0; i < EXT2_NDIR_BLOCKS; i++)
		trunc_tree(inode, &ei->i_data[i], NULL, 0, (u64)i, 1, first, &budget);
	trunc_tree(inode, &ei->i_data[EXT2_IND_BLOCK], NULL, 1, base, apb, first, &budget);
	base += apb;
	trunc_tree(inode, &ei->i_data[EXT2_DIND_BLOCK], NULL, 2, base, apb * apb, first, &budget);
	base += apb * apb;
	trunc_tree(inode, &ei->i_data[EXT2_TIND_BLOCK], NULL, 3, base, apb * apb * apb, first,
		   &budget);
	mark_inode_dirty(inode);
}

/* The size becomes size: blocks past it are freed, the tail of its last block zeroed. */
static int ext2_truncate(struct inode *inode, u64 size)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	u32 bs = inode->i_sb->s_blocksize, blk = 0;
	int err = 0;

	if (size > EXT2_SB(inode->i_sb)->g.max_size)
		return -EFBIG;
	mutex_lock(&ei->i_map_lock);
	if (size < inode->i_size) {
		truncate_blocks(inode, (size + bs - 1) / bs);
		/* What a later extension exposes must read as zeroes. */
		if (size % bs)
			err = map_block(inode, size / bs, &blk, false);
		if (!err && blk) {
			struct buffer_head *bh = ext2_bread(inode->i_sb, blk);

			if (IS_ERR(bh)) {
				err = -EIO;
			} else {
				memset((u8 *)bh->b_data + size % bs, 0, bs - size % bs);
				mark_buffer_dirty(bh);
				brelse(bh);
			}
		}
	}
	inode->i_size = size;
	mutex_unlock(&ei->i_map_lock);
	ext2_timespec_now(&inode->i_mtime);
	inode->i_ctime = inode->i_mtime;
	mark_inode_dirty(inode);
	return err;
}

int ext2_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	int err;

	if (attr->ia_valid & ATTR_SIZE) {
		if (!S_ISREG(inode->i_mode))
			return -EINVAL;
		err = ext2_truncate(inode, attr->ia_size);
		if (err)
			return err;
	}
	if (attr->ia_valid & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) | (attr->ia_mode & ~S_IFMT);
	if (attr->ia_valid & ATTR_UID)
		inode->i_uid = attr->ia_uid;
	if (attr->ia_valid & ATTR_GID)
		inode->i_gid = attr->ia_gid;
	if (attr->ia_valid & ATTR_ATIME)
		inode->i_atime = attr->ia_atime;
	if (attr->ia_valid & ATTR_MTIME)
		inode->i_mtime = attr->ia_mtime;
	if (attr->ia_valid & ATTR_CTIME)
		inode->i_ctime = attr->ia_ctime;
	else
		ext2_timespec_now(&inode->i_ctime);
	mark_inode_dirty(inode);
	return 0;
}

void ext2_evict_inode(struct inode *inode)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	/* Never read or allocated (a failed new inode), or still linked: nothing on disk to free. */
	if (!inode->i_ino || inode->i_nlink || (inode->i_sb->s_flags & SB_RDONLY))
		return;
	if (has_map(inode) && !ext2_inode_fast_symlink(inode)) {
		mutex_lock(&ei->i_map_lock);
		truncate_blocks(inode, 0);
		mutex_unlock(&ei->i_map_lock);
	}
	inode->i_size = 0;
	ext2_timespec_now(&inode->i_ctime);
	ei->i_dtime = (u32)inode->i_ctime.tv_sec;
	ext2_write_inode(inode, false);
	ext2_free_inode(inode);
}
