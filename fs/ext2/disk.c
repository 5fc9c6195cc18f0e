/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2's on-disk checks and parsers: super block, group descriptors, inodes, block map, directory blocks, bitmaps. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <abi/dirent.h>
#include <abi/stat.h>

#include "ext2_disk.h"

/*
 * Freestanding: the kernel, the host test and the fuzzer
 * (tools/testing/host/test_ext2.c, fuzz_ext2.c) run this same code. Nothing here trusts a field before
 * it was range-checked, divides by one, or loops on one unbounded.
 */

BUILD_BUG_ON(sizeof(struct ext2_super_block) != 1024);
BUILD_BUG_ON(sizeof(struct ext2_group_desc) != 32);
BUILD_BUG_ON(sizeof(struct ext2_inode) != 128);
BUILD_BUG_ON(sizeof(struct ext2_dir_entry_2) != 8);

static bool is_pow2(u32 v)
{
	return v && !(v & (v - 1));
}

static u32 div_round_up(u64 a, u32 b)
{
	return (u32)((a + b - 1) / b);
}

static int corrupt(const char **why, const char *msg)
{
	*why = msg;
	return -EUCLEAN;
}

/* Blocks a file can map: 12 direct, then one, two and three levels of indirection. */
static u64 mappable_blocks(u32 apb)
{
	return EXT2_NDIR_BLOCKS + (u64)apb + (u64)apb * apb + (u64)apb * apb * apb;
}

int ext2_parse_super(const struct ext2_super_block *es, u64 dev_bytes, struct ext2_geom *g,
		     const char **why)
{
	u32 incompat = 0, ro_compat = 0, ipb;
	u64 limit;

	*why = NULL;
	*g = (struct ext2_geom){ 0 };
	if (es->s_magic != EXT2_SUPER_MAGIC) {
		*why = "bad magic number: not an ext2 file system";
		return -EINVAL;
	}
	if (es->s_rev_level > EXT2_DYNAMIC_REV) {
		*why = "revision level too high";
		return -EINVAL;
	}
	g->rev = es->s_rev_level;
	if (es->s_log_block_size > EXT2_MAX_BLOCK_LOG) {
		*why = "bad block size";
		return -EINVAL;
	}
	g->log_block_size = 10 + es->s_log_block_size;
	g->block_size = 1U << g->log_block_size;
	if (g->rev == EXT2_GOOD_OLD_REV) {
		g->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		g->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		incompat = es->s_feature_incompat;
		ro_compat = es->s_feature_ro_compat;
		g->inode_size = es->s_inode_size;
		g->first_ino = es->s_first_ino;
		if (incompat & ~EXT2_INCOMPAT_SUPP) {
			*why = "couldn't mount because of unsupported optional features";
			return -EINVAL;
		}
		if (!is_pow2(g->inode_size) || g->inode_size < EXT2_GOOD_OLD_INODE_SIZE ||
		    g->inode_size > g->block_size)
			return corrupt(why, "unsupported inode size");
	}
	g->filetype = incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	g->large_file = ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
	g->sparse_super = ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER;

	g->blocks_count = es->s_blocks_count;
	g->inodes_count = es->s_inodes_count;
	g->first_data_block = es->s_first_data_block;
	g->blocks_per_group = es->s_blocks_per_group;
	g->inodes_per_group = es->s_inodes_per_group;
	if (g->first_data_block != (g->block_size == EXT2_MIN_BLOCK_SIZE ? 1U : 0U))
		return corrupt(why, "bad first data block");
	if ((u64)g->blocks_count * g->block_size > dev_bytes)
		return corrupt(why, "file system is larger than the device");
	if (g->blocks_per_group < 8 || g->blocks_per_group > 8 * g->block_size ||
	    g->blocks_per_group % 8)
		return corrupt(why, "bad blocks per group");
	ipb = g->block_size / g->inode_size;
	if (g->inodes_per_group < ipb || g->inodes_per_group > 8 * g->block_size)
		return corrupt(why, "bad inodes per group");
	if (g->blocks_count <= g->first_data_block + 1)
		return corrupt(why, "bad block count");
	g->groups = div_round_up(g->blocks_count - g->first_data_block, g->blocks_per_group);
	if ((u64)g->groups * g->inodes_per_group != g->inodes_count)
		return corrupt(why, "inode count does not match the groups");
	if (g->first_ino < EXT2_GOOD_OLD_FIRST_INO || g->first_ino > g->inodes_count)
		return corrupt(why, "bad first inode");
	g->itb_per_group = div_round_up(g->inodes_per_group, ipb);
	g->desc_per_block = g->block_size / sizeof(struct ext2_group_desc);
	g->gdt_blocks = div_round_up(g->groups, g->desc_per_block);
	g->addr_per_block = g->block_size / 4;
	/* The descriptors follow the super block's block and must lie in group 0. */
	if ((u64)g->first_data_block + 1 + g->gdt_blocks > g->blocks_count ||
	    1 + g->gdt_blocks + 2 + g->itb_per_group > g->blocks_per_group)
		return corrupt(why, "group descriptors do not fit");
	if (es->s_free_blocks_count > g->blocks_count || es->s_free_inodes_count > g->inodes_count ||
	    es->s_r_blocks_count > g->blocks_count)
		return corrupt(why, "free counts exceed the totals");

	/* A regular file's size: 2^32 - 1 without large_file; never past what the map reaches. */
	limit = mappable_blocks(g->addr_per_block) << g->log_block_size;
	g->max_size = g->large_file ? limit : min(limit, 0xffffffffULL);
	/* i_blocks counts 512-byte units in 32 bits: Linux caps the size with it too. */
	g->max_size = min(g->max_size, (0xffffffffULL << 9) - g->block_size);

	if (ro_compat & ~EXT2_RO_COMPAT_SUPP) {
		g->force_ro = true;
		*why = "unsupported read-only-compatible features: mounting read-only";
	} else if (!(es->s_state & EXT2_VALID_FS) || (es->s_state & EXT2_ERROR_FS)) {
		g->force_ro = true;
		*why = "not cleanly unmounted or with errors, run e2fsck: mounting read-only";
	}
	return 0;
}

u32 ext2_desc_block(const struct ext2_geom *g, u32 group, u32 *offset)
{
	*offset = (group % g->desc_per_block) * sizeof(struct ext2_group_desc);
	return g->first_data_block + 1 + group / g->desc_per_block;
}

u32 ext2_group_first_block(const struct ext2_geom *g, u32 group)
{
	return g->first_data_block + group * g->blocks_per_group;
}

u32 ext2_group_nr_blocks(const struct ext2_geom *g, u32 group)
{
	u32 first = ext2_group_first_block(g, group);

	return min(g->blocks_per_group, g->blocks_count - first);
}

int ext2_check_desc(const struct ext2_geom *g, const struct ext2_group_desc *gd, u32 group,
		    const char **why)
{
	u32 first = ext2_group_first_block(g, group), n = ext2_group_nr_blocks(g, group);

	if (gd->bg_block_bitmap < first || gd->bg_block_bitmap - first >= n)
		return corrupt(why, "block bitmap not in its group");
	if (gd->bg_inode_bitmap < first || gd->bg_inode_bitmap - first >= n)
		return corrupt(why, "inode bitmap not in its group");
	if (gd->bg_inode_table < first || gd->bg_inode_table - first >= n ||
	    n - (gd->bg_inode_table - first) < g->itb_per_group)
		return corrupt(why, "inode table not in its group");
	if (gd->bg_free_blocks_count > n || gd->bg_free_inodes_count > g->inodes_per_group ||
	    gd->bg_used_dirs_count > g->inodes_per_group)
		return corrupt(why, "group free counts exceed its size");
	return 0;
}

int ext2_inode_group(const struct ext2_geom *g, u64 ino, u32 *group, u32 *index)
{
	if (ino < 1 || ino > g->inodes_count)
		return -EUCLEAN;
	*group = (u32)((ino - 1) / g->inodes_per_group);
	*index = (u32)((ino - 1) % g->inodes_per_group);
	return 0;
}

u64 ext2_inode_size(const struct ext2_geom *g, const struct ext2_inode *raw)
{
	u64 size = raw->i_size;

	if (S_ISREG(raw->i_mode) && g->large_file)
		size |= (u64)raw->i_size_high << 32;
	return size;
}

bool ext2_fast_symlink(const struct ext2_geom *g, const struct ext2_inode *raw)
{
	/* An extended attribute block counts in i_blocks without holding the target. */
	u32 ea = raw->i_file_acl ? g->block_size >> 9 : 0;

	return S_ISLNK(raw->i_mode) && raw->i_blocks == ea;
}

int ext2_check_inode(const struct ext2_geom *g, const struct ext2_inode *raw, const char **why)
{
	u64 size = ext2_inode_size(g, raw);

	if (!raw->i_links_count)
		return *why = "deleted inode referenced", -ESTALE;
	switch (raw->i_mode & S_IFMT) {
	case S_IFREG:
		if (size > g->max_size)
			return corrupt(why, "file size too large");
		break;
	case S_IFDIR:
		/* Directories have no holes: each byte of the size is in a block it owns. */
		if (size % g->block_size || size > (u64)raw->i_blocks << 9)
			return corrupt(why, "bad directory size");
		break;
	case S_IFLNK:
		if (!size || size >= g->block_size ||
		    (ext2_fast_symlink(g, raw) && size >= sizeof(raw->i_block)))
			return corrupt(why, "bad symlink size");
		break;
	case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	default:
		return corrupt(why, "bad file type in mode");
	}
	return 0;
}

int ext2_block_path(const struct ext2_geom *g, u64 iblock, u32 offsets[4])
{
	u64 apb = g->addr_per_block;

	if (iblock < EXT2_NDIR_BLOCKS) {
		offsets[0] = (u32)iblock;
		return 1;
	}
	iblock -= EXT2_NDIR_BLOCKS;
	if (iblock < apb) {
		offsets[0] = EXT2_IND_BLOCK;
		offsets[1] = (u32)iblock;
		return 2;
	}
	iblock -= apb;
	if (iblock < apb * apb) {
		offsets[0] = EXT2_DIND_BLOCK;
		offsets[1] = (u32)(iblock / apb);
		offsets[2] = (u32)(iblock % apb);
		return 3;
	}
	iblock -= apb * apb;
	if (iblock < apb * apb * apb) {
		offsets[0] = EXT2_TIND_BLOCK;
		offsets[1] = (u32)(iblock / (apb * apb));
		offsets[2] = (u32)(iblock / apb % apb);
		offsets[3] = (u32)(iblock % apb);
		return 4;
	}
	return -EFBIG;
}

int ext2_bmap(const struct ext2_geom *g, const u32 i_block[EXT2_N_BLOCKS], u64 iblock,
	      ext2_read_entry_fn read_entry, void *ctx, u32 *pblock)
{
	u32 offsets[4], blk;
	int depth = ext2_block_path(g, iblock, offsets), i;

	if (depth < 0)
		return depth;
	blk = i_block[offsets[0]];
	for (i = 1; blk && i <= depth; i++) {
		int err;

		if (!ext2_block_valid(g, blk))
			return -EUCLEAN;
		if (i == depth)
			break;
		err = read_entry(ctx, blk, offsets[i], &blk);
		if (err)
			return err;
	}
	*pblock = blk;
	return 0;
}

int ext2_dirent_at(const struct ext2_geom *g, const u8 *blk, u32 off, struct ext2_dirent *de,
		   const char **why)
{
	const struct ext2_dir_entry_2 *raw;

	if (off % 4 || off > g->block_size - 12)
		return corrupt(why, "directory entry out of its block");
	raw = (const struct ext2_dir_entry_2 *)(blk + off);
	de->ino = raw->inode;
	/* 64 KiB blocks: a whole-block record's 65536 is stored as 65535 or 0, as Linux does. */
	de->rec_len = raw->rec_len;
	if (g->block_size == 65536 && (de->rec_len == 65535 || de->rec_len == 0))
		de->rec_len = 65536;
	de->name_len = raw->name_len;
	de->file_type = g->filetype ? raw->file_type : EXT2_FT_UNKNOWN;
	de->name = raw->name;
	if (de->rec_len < 12 || de->rec_len % 4)
		return corrupt(why, "bad directory entry length");
	if (de->rec_len > g->block_size - off)
		return corrupt(why, "directory entry crosses its block");
	if (ext2_rec_len(de->name_len) > de->rec_len)
		return corrupt(why, "directory entry name too long for its record");
	if (de->ino > g->inodes_count)
		return corrupt(why, "directory entry names an inode out of range");
	if (de->ino && !de->name_len)
		return corrupt(why, "directory entry with an empty name");
	if (de->file_type >= EXT2_FT_MAX)
		return corrupt(why, "bad file type in directory entry");
	return 0;
}

unsigned int ext2_ft_to_dt(u32 ft)
{
	static const u8 dt[EXT2_FT_MAX] = {
		[EXT2_FT_UNKNOWN] = DT_UNKNOWN, [EXT2_FT_REG_FILE] = DT_REG,
		[EXT2_FT_DIR] = DT_DIR, [EXT2_FT_CHRDEV] = DT_CHR,
		[EXT2_FT_BLKDEV] = DT_BLK, [EXT2_FT_FIFO] = DT_FIFO,
		[EXT2_FT_SOCK] = DT_SOCK, [EXT2_FT_SYMLINK] = DT_LNK,
	};

	return ft < EXT2_FT_MAX ? dt[ft] : DT_UNKNOWN;
}

u32 ext2_mode_to_ft(u32 mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return EXT2_FT_REG_FILE;
	case S_IFDIR: return EXT2_FT_DIR;
	case S_IFCHR: return EXT2_FT_CHRDEV;
	case S_IFBLK: return EXT2_FT_BLKDEV;
	case S_IFIFO: return EXT2_FT_FIFO;
	case S_IFSOCK: return EXT2_FT_SOCK;
	case S_IFLNK: return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

u32 ext2_find_zero_bit(const u8 *map, u32 nbits, u32 start)
{
	u32 i = start;

	while (i < nbits) {
		/* Full words of an aligned map (a block buffer) skipped at once, then full bytes. */
		if (!(i % 64) && nbits - i >= 64 && !((uintptr_t)map % 8) &&
		    *(const u64 *)(map + i / 8) == ~0ULL) {
			i += 64;
			continue;
		}
		if (!(i % 8) && map[i / 8] == 0xff && nbits - i >= 8) {
			i += 8;
			continue;
		}
		if (!ext2_test_bit(map, i))
			return i;
		i++;
	}
	return nbits;
}

static bool is_power_of(u32 n, u32 base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

bool ext2_group_has_super(const struct ext2_geom *g, u32 group)
{
	if (group <= 1 || !g->sparse_super)
		return true;
	if (!(group & 1))
		return false;
	return is_power_of(group, 3) || is_power_of(group, 5) || is_power_of(group, 7);
}
