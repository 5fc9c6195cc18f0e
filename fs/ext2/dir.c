/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2 directories: readdir, and finding, adding, removing and repointing entries in their blocks. */
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/string.h>

#include "ext2.h"

/*
 * Every function here runs with the directory's i_mutex held (the VFS
 * takes it for namespace operations and readdir), which covers the
 * contents of its blocks.
 */

static u32 dir_blocks(struct inode *dir)
{
	return (u32)(dir->i_size >> EXT2_SB(dir->i_sb)->g.log_block_size);
}

static u16 rec_len_to_disk(u32 len)
{
	/* 64 KiB blocks: a record spanning the block does not fit in 16 bits. */
	return len == 65536 ? 65535 : (u16)len;
}

static void set_entry(struct ext2_sb_info *sbi, struct ext2_dir_entry_2 *de, u32 rec_len,
		      const char *name, u32 len, struct inode *inode)
{
	de->rec_len = rec_len_to_disk(rec_len);
	de->name_len = (u8)len;
	de->inode = inode ? (u32)inode->i_ino : 0;
	de->file_type = inode && sbi->g.filetype ? (u8)ext2_mode_to_ft(inode->i_mode) : 0;
	memcpy(de->name, name, len);
}

/* The entry at off, checked; reports a corrupt one. */
static int entry_at(struct inode *dir, struct buffer_head *bh, u64 iblock, u32 off,
		    struct ext2_dirent *de)
{
	const char *why;
	int err = ext2_dirent_at(&EXT2_SB(dir->i_sb)->g, bh->b_data, off, de, &why);

	if (err)
		ext2_error(dir->i_sb, "ext2_dir", "directory %lu, block %llu, offset %u: %s",
			   dir->i_ino, (unsigned long long)iblock, off, why);
	return err;
}

static int ext2_iterate(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->inode;
	u32 bs = dir->i_sb->s_blocksize, nblocks = dir_blocks(dir);
	u64 iblock = ctx->pos / bs;

	for (; iblock < nblocks; iblock++) {
		struct buffer_head *bh = ext2_dir_bread(dir, iblock, false);
		u32 off = 0, want = (u32)(ctx->pos % bs);

		if (IS_ERR(bh))
			return PTR_ERR(bh);
		while (off < bs) {
			struct ext2_dirent de;
			int err = entry_at(dir, bh, iblock, off, &de);

			if (err) {
				brelse(bh);
				return err;
			}
			/* A position inside a record (an old cookie) resumes at the next one. */
			if (off >= want && de.ino) {
				u64 next = iblock * bs + off + de.rec_len;

				if (!ctx->actor(ctx, de.name, (int)de.name_len, next, de.ino,
						ext2_ft_to_dt(de.file_type))) {
					brelse(bh);
					return 0;
				}
			}
			off += de.rec_len;
			if (off > want)
				ctx->pos = iblock * bs + off;
		}
		brelse(bh);
		ctx->pos = (iblock + 1) * bs;
	}
	return 0;
}

static int ext2_dir_fsync(struct file *file, bool datasync)
{
	struct inode *dir = file->inode;
	int err = ext2_write_inode(dir, true);

	(void)datasync;
	return sync_blockdev(dir->i_sb->s_bdev) ?: err;
}

const struct file_operations ext2_dir_operations = {
	.iterate = ext2_iterate,
	.fsync = ext2_dir_fsync,
	.seekable = true,
};

/*
 * Finds name in dir: its block (a reference) with the entry's offset and
 * the previous entry's in the same block (or ~0), or NULL and *err
 * (-ENOENT, -EUCLEAN, -EIO).
 */
static struct buffer_head *find(struct inode *dir, const struct qstr *name, u32 *off, u32 *prev,
				struct ext2_dirent *found, int *err)
{
	u32 bs = dir->i_sb->s_blocksize, nblocks = dir_blocks(dir), iblock;

	for (iblock = 0; iblock < nblocks; iblock++) {
		struct buffer_head *bh = ext2_dir_bread(dir, iblock, false);
		u32 o = 0, p = ~0U;

		if (IS_ERR(bh)) {
			*err = (int)PTR_ERR(bh);
			return NULL;
		}
		while (o < bs) {
			struct ext2_dirent de;

			*err = entry_at(dir, bh, iblock, o, &de);
			if (*err) {
				brelse(bh);
				return NULL;
			}
			if (de.ino && de.name_len == name->len && !memcmp(de.name, name->name, name->len)) {
				*off = o;
				*prev = p;
				*found = de;
				return bh;
			}
			p = o;
			o += de.rec_len;
		}
		brelse(bh);
	}
	*err = -ENOENT;
	return NULL;
}

int ext2_find_entry(struct inode *dir, const struct qstr *name, u32 *ino)
{
	struct ext2_dirent de;
	u32 off, prev;
	int err;
	struct buffer_head *bh = find(dir, name, &off, &prev, &de, &err);

	*ino = 0;
	if (!bh)
		return err == -ENOENT ? 0 : err;
	*ino = de.ino;
	brelse(bh);
	return 0;
}

static void touch_dir(struct inode *dir)
{
	ext2_timespec_now(&dir->i_mtime);
	dir->i_ctime = dir->i_mtime;
	mark_inode_dirty(dir);
}

int ext2_add_link(struct inode *dir, const struct qstr *name, struct inode *inode)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	u32 bs = sbi->g.block_size, nblocks = dir_blocks(dir), need = ext2_rec_len(name->len), iblock;
	struct buffer_head *bh;

	if (name->len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	for (iblock = 0; iblock < nblocks; iblock++) {
		u32 off = 0;

		bh = ext2_dir_bread(dir, iblock, false);
		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		while (off < bs) {
			struct ext2_dirent de;
			struct ext2_dir_entry_2 *raw = (struct ext2_dir_entry_2 *)((u8 *)bh->b_data + off);
			int err = entry_at(dir, bh, iblock, off, &de);
			u32 used = de.ino ? ext2_rec_len(de.name_len) : 0;

			if (err) {
				brelse(bh);
				return err;
			}
			if (de.ino && de.name_len == name->len && !memcmp(de.name, name->name, name->len)) {
				brelse(bh);
				return -EEXIST;
			}
			if (de.rec_len >= used + need) {
				/* Room in this record: after its entry, or in place of an unused one. */
				if (used) {
					raw->rec_len = rec_len_to_disk(used);
					raw = (struct ext2_dir_entry_2 *)((u8 *)raw + used);
				}
				set_entry(sbi, raw, de.rec_len - used, name->name, name->len, inode);
				mark_buffer_dirty(bh);
				brelse(bh);
				touch_dir(dir);
				return 0;
			}
			off += de.rec_len;
		}
		brelse(bh);
	}
	/* Full: one more block, one record spanning it. */
	bh = ext2_dir_bread(dir, nblocks, true);
	if (IS_ERR(bh))
		return (int)PTR_ERR(bh);
	set_entry(sbi, bh->b_data, bs, name->name, name->len, inode);
	mark_buffer_dirty(bh);
	/*
	 * The block goes to disk before i_size says it exists: a power cut
	 * must not leave the directory ending in a block of stale bytes,
	 * which would make its older entries unreadable. A write error is
	 * reported by the buffer cache as any writeback's.
	 */
	sync_dirty_buffer(bh);
	brelse(bh);
	dir->i_size += bs;
	touch_dir(dir);
	return 0;
}

int ext2_delete_entry(struct inode *dir, const struct qstr *name)
{
	struct ext2_dirent de;
	u32 off, prev;
	int err;
	struct buffer_head *bh = find(dir, name, &off, &prev, &de, &err);

	if (!bh)
		return err;
	if (prev != ~0U) {
		/* The previous record swallows this one. */
		struct ext2_dir_entry_2 *p = (struct ext2_dir_entry_2 *)((u8 *)bh->b_data + prev);
		u32 plen = (p->rec_len == 65535 || !p->rec_len) ? 65536 : p->rec_len;

		p->rec_len = rec_len_to_disk(plen + de.rec_len);
	} else {
		((struct ext2_dir_entry_2 *)((u8 *)bh->b_data + off))->inode = 0;
	}
	mark_buffer_dirty(bh);
	brelse(bh);
	touch_dir(dir);
	return 0;
}

int ext2_set_link(struct inode *dir, const struct qstr *name, struct inode *inode)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	struct ext2_dir_entry_2 *raw;
	struct ext2_dirent de;
	u32 off, prev;
	int err;
	struct buffer_head *bh = find(dir, name, &off, &prev, &de, &err);

	if (!bh)
		return err;
	raw = (struct ext2_dir_entry_2 *)((u8 *)bh->b_data + off);
	raw->inode = (u32)inode->i_ino;
	raw->file_type = sbi->g.filetype ? (u8)ext2_mode_to_ft(inode->i_mode) : 0;
	mark_buffer_dirty(bh);
	brelse(bh);
	touch_dir(dir);
	return 0;
}

int ext2_make_empty(struct inode *inode, struct inode *parent)
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
	struct buffer_head *bh = ext2_dir_bread(inode, 0, true);
	u8 *b;

	if (IS_ERR(bh))
		return (int)PTR_ERR(bh);
	b = bh->b_data;
	set_entry(sbi, (struct ext2_dir_entry_2 *)b, 12, ".", 1, inode);
	set_entry(sbi, (struct ext2_dir_entry_2 *)(b + 12), sbi->g.block_size - 12, "..", 2, parent);
	mark_buffer_dirty(bh);
	brelse(bh);
	inode->i_size = sbi->g.block_size;
	mark_inode_dirty(inode);
	return 0;
}

int ext2_empty_dir(struct inode *dir)
{
	u32 bs = dir->i_sb->s_blocksize, nblocks = dir_blocks(dir), iblock;

	for (iblock = 0; iblock < nblocks; iblock++) {
		struct buffer_head *bh = ext2_dir_bread(dir, iblock, false);
		u32 off = 0;

		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		while (off < bs) {
			struct ext2_dirent de;
			int err = entry_at(dir, bh, iblock, off, &de);

			if (err) {
				brelse(bh);
				return err;
			}
			if (de.ino && !(de.name_len == 1 && de.name[0] == '.') &&
			    !(de.name_len == 2 && de.name[0] == '.' && de.name[1] == '.')) {
				brelse(bh);
				return 0;
			}
			off += de.rec_len;
		}
		brelse(bh);
	}
	return 1;
}
