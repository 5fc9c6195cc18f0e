/* SPDX-License-Identifier: BSD-2-Clause */
/* FAT images in memory for test_fat.c and fuzz_fat.c: mounting them and walking their trees. */
#ifndef FAT_IMG_H
#define FAT_IMG_H

#include <hartix/errno.h>
#include <hartix/fat.h>

struct fat_img {
	u8 *data;
	size_t size;
	struct fat_vol v;
};

static u8 *img_map(void *ctx, u64 sector, bool write, int *err)
{
	struct fat_img *im = ctx;
	u32 ss = im->v.g.sector_size;

	(void)write;
	if (sector >= im->size / ss) {
		*err = -EIO;
		return NULL;
	}
	return im->data + sector * ss;
}

/* fat_parse_boot() and fat_vol_init() as the kernel's fill_super does them. */
static int img_mount(struct fat_img *im, const char **why)
{
	int err;

	*why = "image shorter than a sector";
	if (im->size < 512)
		return -EINVAL;
	err = fat_parse_boot(im->data, im->size, &im->v.g, why);
	if (err)
		return err;
	im->v.map = img_map;
	im->v.ctx = im;
	im->v.ipos_busy = NULL;
	fat_vol_init(&im->v, im->v.g.fsinfo_sector ?
				     im->data + (size_t)im->v.g.fsinfo_sector * im->v.g.sector_size :
				     NULL);
	return 0;
}

/* What a walk found: entries, bytes of files read, and errors met. */
struct img_walk {
	u32 entries, dirs, errors;
	u64 bytes;
	u32 budget; /* entries still to visit: a corrupt tree can be huge */
};

/* Reads a file's chain as the kernel's get_block would, size bytes of it. */
static int img_read_file(struct fat_img *im, const struct fat_dirent *de, u8 *out, u64 max)
{
	struct fat_cursor c = { 0 };
	u32 ss = im->v.g.sector_size;
	u64 i, sectors = ((u64)de->size + ss - 1) / ss, sector;
	int err;

	if (!de->cluster)
		return de->size ? -EUCLEAN : 0;
	for (i = 0; i < sectors; i++) {
		u8 *p;
		u64 n = de->size - i * ss < ss ? de->size - i * ss : ss;

		err = fat_chain_sector(&im->v, &c, de->cluster, i, &sector);
		if (err)
			return err == -ENOENT ? -EUCLEAN : err; /* shorter than its size */
		p = img_map(im, sector, false, &err);
		if (!p)
			return err;
		if (out && i * ss + n <= max)
			memcpy(out + i * ss, p, n);
	}
	return 0;
}

/* Visits every entry under the directory at start, to depth levels, reading every file. */
static void img_walk_dir(struct fat_img *im, u32 start, int depth, struct img_walk *w)
{
	struct fat_dirent de;
	u32 pos = 0, len;
	int ret = 0;

	w->dirs++;
	while (w->budget && (ret = fat_dir_next(&im->v, start, &pos, &de)) > 0) {
		w->budget--;
		w->entries++;
		if (de.dot)
			continue;
		if (fat_chain_len(&im->v, de.cluster, &len))
			w->errors++;
		if (de.attr & FAT_ATTR_DIR) {
			if (depth > 0 && de.cluster && de.cluster != start)
				img_walk_dir(im, de.cluster, depth - 1, w);
			continue;
		}
		if (img_read_file(im, &de, NULL, 0))
			w->errors++;
		else
			w->bytes += de.size;
	}
	if (ret < 0)
		w->errors++;
}

static u32 img_root(const struct fat_img *im)
{
	return im->v.g.type == FAT32 ? im->v.g.root_cluster : 0;
}

#endif
