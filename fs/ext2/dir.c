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

/* The inverse: a record length as stored, in bytes. */
static u32 rec_len_from_disk(u16 len)
{
	return len == 65535 || !len ? 65536 : len;
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

/* What every record of a walk is checked against, loaded once per walk. */
struct walk_limits {
	unsigned long last; /* the last offset a record may start at: block size - 12 */
	u32 inodes; /* the largest inode number */
	u32 types; /* file types below this are valid: 256 without the filetype feature */
};

static struct walk_limits walk_limits(struct inode *dir)
{
	const struct ext2_geom *g = &EXT2_SB(dir->i_sb)->g;

	return (struct walk_limits){ g->block_size - 12, g->inodes_count,
				     g->filetype ? EXT2_FT_MAX : 256 };
}

/*
 * The length of the record at off of a directory block if it passes the
 * checks of ext2_dirent_at(), made inline because every walk of a
 * directory runs them for each entry (len - 12 > last - off: shorter
 * than 12 or past the block; a multiple of 4 holds its name when
 * name_len + 8 does not exceed it); else 0, and rec_at() says why (or
 * accepts a 64 KiB block's whole-block length).
 */
static __always_inline unsigned long rec_ok(const u8 *data, struct walk_limits lim,
					    unsigned long off)
{
	const struct ext2_dir_entry_2 *raw = (const struct ext2_dir_entry_2 *)(data + off);
	unsigned long len = raw->rec_len, nl = raw->name_len;
	u32 ino = raw->inode;

	if (unlikely(off > lim.last || len - 12 > lim.last - off || (len & 3) || nl + 8 > len ||
		     ino > lim.inodes || (ino && !nl) || raw->file_type >= lim.types))
		return 0;
	return len;
}

/* The record at off, with its length in *rec_len; NULL after reporting a corrupt one. */
static __always_inline struct ext2_dir_entry_2 *
rec_at(struct inode *dir, struct walk_limits lim, struct buffer_head *bh, u8 *data, u64 iblock,
       unsigned long off, unsigned long *rec_len)
{
	unsigned long len = rec_ok(data, lim, off);

	if (unlikely(!len)) {
		struct ext2_dirent de;

		if (entry_at(dir, bh, iblock, (u32)off, &de))
			return NULL;
		len = de.rec_len;
	}
	*rec_len = len;
	return (struct ext2_dir_entry_2 *)(data + off);
}

/*
 * A name looked for, with its first bytes as a word: a record's name
 * starts 4-aligned and its record holds at least 4 bytes of it, so one
 * load and compare rejects most records of the same name length.
 */
struct name_key {
	const char *name;
	unsigned long len;
	u32 first, mask;
};

static struct name_key name_key(const struct qstr *name)
{
	struct name_key k = { name->name, name->len, 0,
			      name->len >= 4 ? ~0U : (1U << (8 * name->len)) - 1 };
	u32 i;

	for (i = 0; i < min(name->len, 4U); i++)
		k.first |= (u32)(u8)name->name[i] << (8 * i);
	return k;
}

static __always_inline bool name_is(const struct ext2_dir_entry_2 *raw, struct name_key k)
{
	unsigned long i;

	if (raw->name_len != k.len || ((*(const u32 *)raw->name ^ k.first) & k.mask) || !raw->inode)
		return false;
	/* Inline, not memcmp(): a call in the walk's loop would spill what it keeps in registers. */
	for (i = 4; i < k.len; i++)
		if (raw->name[i] != k.name[i])
			return false;
	return true;
}

static int ext2_iterate(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->inode;
	const struct walk_limits lim = walk_limits(dir);
	u32 bs = dir->i_sb->s_blocksize, nblocks = dir_blocks(dir);
	u64 iblock = ctx->pos / bs;

	for (; iblock < nblocks; iblock++) {
		struct buffer_head *bh = ext2_dir_bread(dir, iblock, false);
		unsigned long off = 0, want = ctx->pos % bs, len;

		if (IS_ERR(bh))
			return PTR_ERR(bh);
		while (off < bs) {
			struct ext2_dir_entry_2 *raw = rec_at(dir, lim, bh, bh->b_data, iblock, off,
							      &len);

			if (!raw) {
				brelse(bh);
				return -EUCLEAN;
			}
			/* A position inside a record (an old cookie) resumes at the next one. */
			if (off >= want && raw->inode) {
				u64 next = iblock * bs + off + len;
				u32 ft = lim.types == EXT2_FT_MAX ? raw->file_type : EXT2_FT_UNKNOWN;

				if (!ctx->actor(ctx, raw->name, (int)raw->name_len, next, raw->inode,
						ext2_ft_to_dt(ft))) {
					brelse(bh);
					return 0;
				}
			}
			off += len;
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
 * Looks for k in a directory block from the record at off on, with no
 * call in the loop (it keeps all it needs in registers): the offset of
 * k's record with the previous one's in *prev (~0: none), the block size
 * when k is not there, or the offset of a record rec_ok() rejects
 * (*bad).
 */
static unsigned long block_find(const u8 *data, unsigned long bs, struct walk_limits lim,
				struct name_key k, unsigned long off, unsigned long *prev, bool *bad)
{
	unsigned long p = *prev, len;

	*bad = false;
	for (; off < bs; p = off, off += len) {
		len = rec_ok(data, lim, off);
		if (unlikely(!len)) {
			*bad = true;
			break;
		}
		if (name_is((const struct ext2_dir_entry_2 *)(data + off), k))
			break;
	}
	*prev = p;
	return off;
}

/*
 * Finds name in dir: its block (a reference) with the entry, its block
 * number and the previous entry in the same block (or NULL), or NULL
 * and *err (-ENOENT, -EUCLEAN, -EIO).
 */
static struct buffer_head *find(struct inode *dir, const struct qstr *name, u32 *blkp,
				struct ext2_dir_entry_2 **prev, struct ext2_dir_entry_2 **found,
				int *err)
{
	const struct walk_limits lim = walk_limits(dir);
	const struct name_key key = name_key(name);
	u32 bs = dir->i_sb->s_blocksize, nblocks = dir_blocks(dir), iblock;

	for (iblock = 0; iblock < nblocks; iblock++) {
		struct buffer_head *bh = ext2_dir_bread(dir, iblock, false);
		unsigned long off = 0, p = ~0UL, len;
		struct ext2_dir_entry_2 *raw;
		bool bad;
		u8 *data;

		if (IS_ERR(bh)) {
			*err = (int)PTR_ERR(bh);
			return NULL;
		}
		data = bh->b_data;
		for (;;) {
			off = block_find(data, bs, lim, key, off, &p, &bad);
			if (off >= bs)
				break;
			raw = (struct ext2_dir_entry_2 *)(data + off);
			/* A record the fast checks rejected: corrupt, or a 64 KiB block's whole-block one. */
			if (bad) {
				if (!rec_at(dir, lim, bh, data, iblock, off, &len)) {
					brelse(bh);
					*err = -EUCLEAN;
					return NULL;
				}
				if (!name_is(raw, key)) {
					p = off;
					off += len;
					continue;
				}
			}
			*blkp = iblock;
			*prev = p == ~0UL ? NULL : (struct ext2_dir_entry_2 *)(data + p);
			*found = raw;
			return bh;
		}
		brelse(bh);
	}
	*err = -ENOENT;
	return NULL;
}

int ext2_find_entry(struct inode *dir, const struct qstr *name, u32 *ino)
{
	struct ext2_dir_entry_2 *raw, *prev;
	u32 iblock;
	int err;
	struct buffer_head *bh = find(dir, name, &iblock, &prev, &raw, &err);

	*ino = 0;
	if (!bh)
		return err == -ENOENT ? 0 : err;
	*ino = raw->inode;
	brelse(bh);
	return 0;
}

static void touch_dir(struct inode *dir)
{
	ext2_timespec_now(&dir->i_mtime);
	dir->i_ctime = dir->i_mtime;
	mark_inode_dirty(dir);
}

/* Block iblock of dir gained free space: ext2_add_link() looks there again. */
static void room_made(struct inode *dir, u32 iblock)
{
	struct ext2_inode_info *ei = EXT2_I(dir);

	if (iblock <= ei->i_dir_room_blk) {
		ei->i_dir_room_blk = iblock;
		ei->i_dir_room_off = 0; /* the records there may have merged */
	}
}

int ext2_add_link(struct inode *dir, const struct qstr *name, struct inode *inode)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	struct ext2_inode_info *ei = EXT2_I(dir);
	u32 bs = sbi->g.block_size, nblocks = dir_blocks(dir), need = ext2_rec_len(name->len);
	const struct walk_limits lim = walk_limits(dir);
	const struct name_key key = name_key(name);
	u32 iblock = 0, gap = 0;
	unsigned long start = 0;
	struct buffer_head *bh;

	if (name->len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	/*
	 * The records the hint says are too full are skipped: the caller
	 * looked the name up under the directory's i_mutex, so it is not
	 * there either. gap becomes the largest free space seen before the
	 * record that takes the entry, the hint's next bound.
	 */
	if (need > ei->i_dir_room_gap && ei->i_dir_room_blk < nblocks) {
		iblock = ei->i_dir_room_blk;
		start = ei->i_dir_room_off;
		gap = ei->i_dir_room_gap;
	}
	for (; iblock < nblocks; iblock++, start = 0) {
		unsigned long off = start, len;

		bh = ext2_dir_bread(dir, iblock, false);
		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		while (off < bs) {
			struct ext2_dir_entry_2 *raw = rec_at(dir, lim, bh, bh->b_data, iblock, off,
							      &len);
			u32 used;

			if (!raw) {
				brelse(bh);
				return -EUCLEAN;
			}
			if (name_is(raw, key)) {
				brelse(bh);
				return -EEXIST;
			}
			used = raw->inode ? ext2_rec_len(raw->name_len) : 0;
			if (len >= used + need) {
				/* Room in this record: after its entry, or in place of an unused one. */
				if (used) {
					raw->rec_len = rec_len_to_disk(used);
					raw = (struct ext2_dir_entry_2 *)((u8 *)raw + used);
				}
				set_entry(sbi, raw, (u32)len - used, name->name, name->len, inode);
				mark_buffer_dirty(bh);
				brelse(bh);
				ei->i_dir_room_blk = iblock;
				ei->i_dir_room_off = (u32)off;
				ei->i_dir_room_gap = gap;
				touch_dir(dir);
				return 0;
			}
			gap = max(gap, (u32)len - used);
			off += len;
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
	ei->i_dir_room_blk = nblocks;
	ei->i_dir_room_off = 0;
	ei->i_dir_room_gap = gap;
	touch_dir(dir);
	return 0;
}

int ext2_delete_entry(struct inode *dir, const struct qstr *name)
{
	struct ext2_dir_entry_2 *raw, *prev;
	u32 iblock;
	int err;
	struct buffer_head *bh = find(dir, name, &iblock, &prev, &raw, &err);

	if (!bh)
		return err;
	if (prev) {
		/* The previous record swallows this one. */
		prev->rec_len = rec_len_to_disk(rec_len_from_disk(prev->rec_len) +
						rec_len_from_disk(raw->rec_len));
	} else {
		raw->inode = 0;
	}
	mark_buffer_dirty(bh);
	brelse(bh);
	room_made(dir, iblock);
	touch_dir(dir);
	return 0;
}

int ext2_set_link(struct inode *dir, const struct qstr *name, struct inode *inode)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	struct ext2_dir_entry_2 *raw, *prev;
	u32 iblock;
	int err;
	struct buffer_head *bh = find(dir, name, &iblock, &prev, &raw, &err);

	if (!bh)
		return err;
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
	const struct walk_limits lim = walk_limits(dir);
	u32 bs = dir->i_sb->s_blocksize, nblocks = dir_blocks(dir), iblock;

	for (iblock = 0; iblock < nblocks; iblock++) {
		struct buffer_head *bh = ext2_dir_bread(dir, iblock, false);
		unsigned long off = 0, len;

		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		while (off < bs) {
			struct ext2_dir_entry_2 *raw = rec_at(dir, lim, bh, bh->b_data, iblock, off,
							      &len);

			if (!raw) {
				brelse(bh);
				return -EUCLEAN;
			}
			if (raw->inode && !(raw->name_len == 1 && raw->name[0] == '.') &&
			    !(raw->name_len == 2 && raw->name[0] == '.' && raw->name[1] == '.')) {
				brelse(bh);
				return 0;
			}
			off += len;
		}
		brelse(bh);
	}
	return 1;
}
