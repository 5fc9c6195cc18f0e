/* SPDX-License-Identifier: BSD-2-Clause */
/* A read-only ext2 image reader on fs/ext2/disk.c, shared by test_ext2.c and fuzz_ext2.c. */
#ifndef HOST_EXT2_IMG_H
#define HOST_EXT2_IMG_H

#include <stddef.h>
#include "../../../fs/ext2/ext2_disk.h"

struct ext2_img {
	const u8 *data;
	size_t len;
	struct ext2_geom g;
	const char *why; /* the last parser message */
};

/* Visits each entry of a tree: path, inode number and its checked inode. */
typedef void (*ext2_visit_fn)(void *ctx, const char *path, u32 ino, const struct ext2_inode *raw);

int ext2_img_open(struct ext2_img *img, const u8 *data, size_t len);
int ext2_img_inode(struct ext2_img *img, u64 ino, struct ext2_inode *out);
/* len bytes of the file at off (holes read as zeroes, nothing past the size): bytes read or -errno. */
long ext2_img_read(struct ext2_img *img, const struct ext2_inode *raw, u64 off, u8 *buf, u32 len);
int ext2_img_lookup(struct ext2_img *img, u32 dir, const char *name, u32 *ino);
/* Walks dir's tree at most depth levels down and max_entries entries: 0 or the first -errno. */
int ext2_img_walk(struct ext2_img *img, u32 dir, const char *path, int depth, int *max_entries,
		  ext2_visit_fn visit, void *ctx);
/* Free bits of group's block and inode bitmaps, checked against its descriptor: 0 or -EUCLEAN. */
int ext2_img_check_bitmaps(struct ext2_img *img, u32 group);

#endif
