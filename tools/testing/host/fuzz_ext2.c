/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: an ext2 image through fs/ext2/disk.c's checks, its tree, files and bitmaps. */
#include <hartix/compiler.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hartix/errno.h>
#include <sys/stat.h> /* the same S_IF* values as abi/stat.h */

#include "ext2_img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPECT(cond)                      \
	do {                              \
		if (!(cond))              \
			abort();          \
	} while (0)

/* Reads go through pointers into the image: every one is range-checked here first. */
static const u8 *block_ptr(struct ext2_img *img, u32 blk)
{
	u64 off = (u64)blk << img->g.log_block_size;

	if (blk >= img->g.blocks_count || off + img->g.block_size > img->len)
		return NULL;
	return img->data + off;
}

static int desc(struct ext2_img *img, u32 group, struct ext2_group_desc *gd)
{
	u32 offset, blk = ext2_desc_block(&img->g, group, &offset);
	const u8 *p = block_ptr(img, blk);

	if (!p)
		return -EIO;
	memcpy(gd, p + offset, sizeof(*gd));
	return ext2_check_desc(&img->g, gd, group, &img->why);
}

int ext2_img_open(struct ext2_img *img, const u8 *data, size_t len)
{
	struct ext2_super_block es;
	u32 group;
	int err;

	img->data = data;
	img->len = len;
	img->why = NULL;
	if (len < EXT2_SUPER_OFFSET + sizeof(es))
		return -EINVAL;
	memcpy(&es, data + EXT2_SUPER_OFFSET, sizeof(es));
	err = ext2_parse_super(&es, len, &img->g, &img->why);
	if (err)
		return err;
	EXPECT((u64)img->g.blocks_count * img->g.block_size <= len);
	EXPECT(img->g.groups >= 1 && img->g.addr_per_block >= 256);
	for (group = 0; group < img->g.groups; group++) {
		struct ext2_group_desc gd;

		err = desc(img, group, &gd);
		if (err)
			return err;
	}
	return 0;
}

int ext2_img_inode(struct ext2_img *img, u64 ino, struct ext2_inode *out)
{
	struct ext2_group_desc gd;
	u32 group, index, byte;
	const u8 *p;
	int err = ext2_inode_group(&img->g, ino, &group, &index);

	if (err)
		return err;
	EXPECT(group < img->g.groups);
	err = desc(img, group, &gd);
	if (err)
		return err;
	byte = index * img->g.inode_size;
	p = block_ptr(img, gd.bg_inode_table + (byte >> img->g.log_block_size));
	if (!p)
		return -EIO;
	memcpy(out, p + (byte & (img->g.block_size - 1)), sizeof(*out));
	return ext2_check_inode(&img->g, out, &img->why);
}

static int read_entry(void *ctx, u32 blk, u32 index, u32 *val)
{
	struct ext2_img *img = ctx;
	const u8 *p = block_ptr(img, blk);

	EXPECT(index < img->g.addr_per_block);
	if (!p)
		return -EIO;
	memcpy(val, p + 4 * index, 4);
	return 0;
}

long ext2_img_read(struct ext2_img *img, const struct ext2_inode *raw, u64 off, u8 *buf, u32 len)
{
	u64 size = ext2_inode_size(&img->g, raw);
	u32 done = 0, bs = img->g.block_size;

	if (off >= size)
		return 0;
	if (len > size - off)
		len = (u32)(size - off);
	while (done < len) {
		u64 pos = off + done;
		u32 in = (u32)(pos & (bs - 1)), n = min(bs - in, len - done), pblk;
		int err = ext2_bmap(&img->g, raw->i_block, pos >> img->g.log_block_size, read_entry,
				    img, &pblk);
		const u8 *p;

		if (err)
			return err;
		if (pblk) {
			p = block_ptr(img, pblk);
			if (!p)
				return -EIO;
			memcpy(buf + done, p + in, n);
		} else {
			memset(buf + done, 0, n);
		}
		done += n;
	}
	return done;
}

/* Calls fn on each used entry of directory dir until it returns nonzero. */
static int for_each_dirent(struct ext2_img *img, const struct ext2_inode *dir,
			   int (*fn)(void *arg, const struct ext2_dirent *de), void *arg)
{
	u64 size = ext2_inode_size(&img->g, dir), blk;
	u32 bs = img->g.block_size;
	u8 *buf = malloc(bs);
	int err = 0;

	EXPECT(buf);
	/* A corrupt size may claim millions of blocks of empty entries: the walk reads the first few. */
	for (blk = 0; !err && blk < size / bs && blk < 1024; blk++) {
		u32 off = 0;
		long n = ext2_img_read(img, dir, blk * bs, buf, bs);

		if (n < 0) {
			err = (int)n;
			break;
		}
		EXPECT(n == bs);
		while (!err && off < bs) {
			struct ext2_dirent de;

			err = ext2_dirent_at(&img->g, buf, off, &de, &img->why);
			if (err)
				break;
			EXPECT(de.rec_len >= 12 && off + de.rec_len <= bs);
			EXPECT(de.name + de.name_len <= (const char *)buf + bs);
			if (de.ino)
				err = fn(arg, &de);
			off += de.rec_len;
		}
	}
	free(buf);
	return err > 0 ? 0 : err;
}

struct lookup_arg {
	const char *name;
	u32 ino;
};

static int lookup_one(void *arg, const struct ext2_dirent *de)
{
	struct lookup_arg *l = arg;

	if (de->name_len == strlen(l->name) && !memcmp(de->name, l->name, de->name_len)) {
		l->ino = de->ino;
		return 1;
	}
	return 0;
}

int ext2_img_lookup(struct ext2_img *img, u32 dir, const char *name, u32 *ino)
{
	struct ext2_inode raw;
	struct lookup_arg l = { name, 0 };
	int err = ext2_img_inode(img, dir, &raw);

	if (err)
		return err;
	if (!S_ISDIR(raw.i_mode))
		return -ENOTDIR;
	err = for_each_dirent(img, &raw, lookup_one, &l);
	if (err)
		return err;
	*ino = l.ino;
	return l.ino ? 0 : -ENOENT;
}

struct walk_arg {
	struct ext2_img *img;
	const char *path;
	int depth, *max_entries, err;
	ext2_visit_fn visit;
	void *ctx;
};

static int walk_one(void *arg, const struct ext2_dirent *de)
{
	struct walk_arg *w = arg;
	struct ext2_inode raw;
	char path[512];
	int err;

	if ((de->name_len == 1 && de->name[0] == '.') ||
	    (de->name_len == 2 && !memcmp(de->name, "..", 2)))
		return 0;
	if (--*w->max_entries < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/%.*s", w->path, (int)de->name_len, de->name);
	err = ext2_img_inode(w->img, de->ino, &raw);
	if (err)
		return err;
	/* The entry's type must agree with the inode's. */
	if (de->file_type && de->file_type != ext2_mode_to_ft(raw.i_mode))
		return -EUCLEAN;
	w->visit(w->ctx, path, de->ino, &raw);
	if (S_ISDIR(raw.i_mode) && w->depth > 0)
		return ext2_img_walk(w->img, de->ino, path, w->depth - 1, w->max_entries, w->visit,
				     w->ctx);
	return 0;
}

int ext2_img_walk(struct ext2_img *img, u32 dir, const char *path, int depth, int *max_entries,
		  ext2_visit_fn visit, void *ctx)
{
	struct ext2_inode raw;
	struct walk_arg w = { img, path, depth, max_entries, 0, visit, ctx };
	int err = ext2_img_inode(img, dir, &raw);

	if (err)
		return err;
	if (!S_ISDIR(raw.i_mode))
		return -ENOTDIR;
	return for_each_dirent(img, &raw, walk_one, &w);
}

int ext2_img_check_bitmaps(struct ext2_img *img, u32 group)
{
	struct ext2_group_desc gd;
	const u8 *bmap, *imap;
	u32 nblocks = ext2_group_nr_blocks(&img->g, group), free = 0, i;
	int err = desc(img, group, &gd);

	if (err)
		return err;
	bmap = block_ptr(img, gd.bg_block_bitmap);
	imap = block_ptr(img, gd.bg_inode_bitmap);
	if (!bmap || !imap)
		return -EIO;
	for (i = ext2_find_zero_bit(bmap, nblocks, 0); i < nblocks;
	     i = ext2_find_zero_bit(bmap, nblocks, i + 1))
		free++;
	if (free != gd.bg_free_blocks_count)
		return -EUCLEAN;
	free = 0;
	for (i = ext2_find_zero_bit(imap, img->g.inodes_per_group, 0); i < img->g.inodes_per_group;
	     i = ext2_find_zero_bit(imap, img->g.inodes_per_group, i + 1))
		free++;
	return free == gd.bg_free_inodes_count ? 0 : -EUCLEAN;
}

/* Reads a little of each file, its end and symlink targets. */
static void fuzz_visit(void *ctx, const char *path, u32 ino, const struct ext2_inode *raw)
{
	struct ext2_img *img = ctx;
	u64 size = ext2_inode_size(&img->g, raw);
	u8 buf[4096];
	long n;

	(void)path;
	(void)ino;
	if (S_ISLNK(raw->i_mode) && ext2_fast_symlink(&img->g, raw)) {
		EXPECT(size < sizeof(raw->i_block));
		return;
	}
	if (!S_ISREG(raw->i_mode) && !S_ISLNK(raw->i_mode))
		return;
	n = ext2_img_read(img, raw, 0, buf, sizeof(buf));
	EXPECT(n < 0 || (u64)n == min(size, sizeof(buf)));
	if (size > sizeof(buf)) {
		n = ext2_img_read(img, raw, size - 100, buf, sizeof(buf));
		EXPECT(n < 0 || n == 100);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ext2_img img;
	int budget = 200;
	u32 group;

	/* Larger images only slow each run; mkfs.ext2's smallest fit. */
	if (size > (4U << 20))
		return 0;
	if (ext2_img_open(&img, data, size))
		return 0;
	for (group = 0; group < img.g.groups && group < 64; group++)
		ext2_img_check_bitmaps(&img, group);
	ext2_img_walk(&img, EXT2_ROOT_INO, "", 6, &budget, fuzz_visit, &img);
	return 0;
}
