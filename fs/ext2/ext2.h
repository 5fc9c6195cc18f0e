/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2 in memory: the super block's and inodes' private parts, and what the ext2 files share. */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include <hartix/buffer_head.h>
#include <hartix/fs.h>
#include <hartix/mutex.h>

#include "ext2_disk.h"

/*
 * Locks, outermost first: the VFS's i_mutex of directories and files
 * (namespace operations, writes, truncate); an inode's i_map_lock (its
 * block map: get_block and truncate); the super block's s_lock (bitmaps,
 * group descriptors, the super block's free counts, s_dirs_counter).
 * Buffers' contents are covered by the lock of what they hold: a
 * directory block by its directory's i_mutex, an inode table block by
 * s_inode_lock below (several inodes share one), bitmaps by s_lock.
 */
struct ext2_sb_info {
	struct ext2_geom g;
	struct buffer_head *sbh; /* the super block's buffer, held while mounted */
	struct ext2_super_block *es; /* in sbh */
	struct buffer_head **gd_bh; /* the descriptor blocks, held */
	u32 s_dir_count; /* directories, for spreading them over groups; s_lock */
	struct mutex s_lock;
	struct mutex s_inode_lock; /* inode table buffers' contents */
	struct super_block *sb;
	struct bcache_flusher flusher; /* the periodic writeback of its inodes, while read-write */
	bool flushing; /* flusher is registered */
};

struct ext2_inode_info {
	u32 i_data[EXT2_N_BLOCKS]; /* the block map, in disk order; i_map_lock */
	u32 i_flags, i_file_acl, i_dtime, i_generation;
	u32 i_block_group; /* where its blocks go first */
	/*
	 * A directory's free-space hint (i_mutex): no record before offset
	 * i_dir_room_off of block i_dir_room_blk, nor in a block before it,
	 * has a free gap larger than i_dir_room_gap bytes, so
	 * ext2_add_link() starts there for a longer entry.
	 */
	u32 i_dir_room_blk, i_dir_room_off, i_dir_room_gap;
	struct mutex i_map_lock;
	struct inode vfs_inode;
};

static inline struct ext2_sb_info *EXT2_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline struct ext2_inode_info *EXT2_I(struct inode *inode)
{
	return container_of(inode, struct ext2_inode_info, vfs_inode);
}

/* Reads one block of the file system: a buffer or ERR_PTR(-EIO). */
static inline struct buffer_head *ext2_bread(struct super_block *sb, u32 blk)
{
	return sb_bread(sb, blk);
}

/* super.c */
__printf(3, 4) void ext2_error(struct super_block *sb, const char *where, const char *fmt, ...);
struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, u32 group,
					    struct buffer_head **bh);
void ext2_sync_super(struct super_block *sb, bool wait);
void ext2_timespec_now(struct timespec *ts);

/* alloc.c: blocks and inodes; s_lock inside */
int ext2_new_block(struct inode *inode, u32 goal, u32 *blk);
void ext2_free_blocks(struct inode *inode, u32 blk, u32 count);
struct inode *ext2_new_inode(struct inode *dir, u32 mode);
void ext2_free_inode(struct inode *inode);
u32 ext2_count_free_blocks(struct super_block *sb);
u32 ext2_count_free_inodes(struct super_block *sb);

/* inode.c */
struct inode *ext2_iget(struct super_block *sb, unsigned long ino);
int ext2_write_inode(struct inode *inode, bool sync);
void ext2_evict_inode(struct inode *inode);
int ext2_get_block(struct inode *inode, u64 iblock, u64 *pblock, int create);
int ext2_setattr(struct dentry *dentry, struct iattr *attr);
void ext2_set_inode_ops(struct inode *inode);
/* A symlink whose target is in i_data, not in a block. */
bool ext2_inode_fast_symlink(struct inode *inode);
/* Block iblock of a directory or slow symlink: its buffer, allocated (zeroed) when create. */
struct buffer_head *ext2_dir_bread(struct inode *dir, u64 iblock, bool create);

/* dir.c */
extern const struct file_operations ext2_dir_operations;
/* The inode number name names in dir, 0 if none; -EUCLEAN for a corrupt block. */
int ext2_find_entry(struct inode *dir, const struct qstr *name, u32 *ino);
int ext2_add_link(struct inode *dir, const struct qstr *name, struct inode *inode);
int ext2_delete_entry(struct inode *dir, const struct qstr *name);
/* Points name in dir at inode (rename over an existing name, "..") */
int ext2_set_link(struct inode *dir, const struct qstr *name, struct inode *inode);
int ext2_make_empty(struct inode *inode, struct inode *parent);
/* 1 if dir holds only "." and "..", 0 if not, or -errno. */
int ext2_empty_dir(struct inode *dir);

/* namei.c */
extern const struct inode_operations ext2_dir_inode_operations;
extern const struct inode_operations ext2_symlink_inode_operations;
extern const struct inode_operations ext2_file_inode_operations;
extern const struct file_operations ext2_file_operations;
extern const struct address_space_operations ext2_aops;

#endif
