/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2's on-disk format and its freestanding, host-tested and fuzzed checks (fs/ext2/disk.c). */
#ifndef FS_EXT2_DISK_H
#define FS_EXT2_DISK_H

#include <hartix/types.h>

/*
 * On-disk fields are little-endian; Hartix runs on little-endian RISC-V
 * and is host-tested on little-endian machines, so they are read as
 * they lie. Every struct sits at a multiple of its alignment in a block.
 */
#define EXT2_SUPER_MAGIC 0xef53
#define EXT2_SUPER_OFFSET 1024 /* bytes from the device's start */
#define EXT2_MIN_BLOCK_SIZE 1024
#define EXT2_MAX_BLOCK_LOG 6 /* 64 KiB */
#define EXT2_GOOD_OLD_REV 0
#define EXT2_DYNAMIC_REV 1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_ROOT_INO 2
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15
#define EXT2_NAME_LEN 255
#define EXT2_LINK_MAX 32000

/* s_state */
#define EXT2_VALID_FS 0x0001 /* cleanly unmounted */
#define EXT2_ERROR_FS 0x0002

#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_INCOMPAT_SUPP EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPP (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

/* Directory entry file types */
enum {
	EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV,
	EXT2_FT_BLKDEV, EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK, EXT2_FT_MAX
};

struct ext2_super_block {
	u32 s_inodes_count;
	u32 s_blocks_count;
	u32 s_r_blocks_count;
	u32 s_free_blocks_count;
	u32 s_free_inodes_count;
	u32 s_first_data_block;
	u32 s_log_block_size;
	u32 s_log_frag_size;
	u32 s_blocks_per_group;
	u32 s_frags_per_group;
	u32 s_inodes_per_group;
	u32 s_mtime;
	u32 s_wtime;
	u16 s_mnt_count;
	u16 s_max_mnt_count;
	u16 s_magic;
	u16 s_state;
	u16 s_errors;
	u16 s_minor_rev_level;
	u32 s_lastcheck;
	u32 s_checkinterval;
	u32 s_creator_os;
	u32 s_rev_level;
	u16 s_def_resuid;
	u16 s_def_resgid;
	/* EXT2_DYNAMIC_REV: */
	u32 s_first_ino;
	u16 s_inode_size;
	u16 s_block_group_nr;
	u32 s_feature_compat;
	u32 s_feature_incompat;
	u32 s_feature_ro_compat;
	u8 s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	u32 s_algorithm_usage_bitmap;
	u8 s_rest[1024 - 204];
};

struct ext2_group_desc {
	u32 bg_block_bitmap;
	u32 bg_inode_bitmap;
	u32 bg_inode_table;
	u16 bg_free_blocks_count;
	u16 bg_free_inodes_count;
	u16 bg_used_dirs_count;
	u16 bg_pad;
	u32 bg_reserved[3];
};

struct ext2_inode {
	u16 i_mode;
	u16 i_uid;
	u32 i_size;
	u32 i_atime;
	u32 i_ctime;
	u32 i_mtime;
	u32 i_dtime;
	u16 i_gid;
	u16 i_links_count;
	u32 i_blocks; /* 512-byte units */
	u32 i_flags;
	u32 i_osd1;
	u32 i_block[EXT2_N_BLOCKS];
	u32 i_generation;
	u32 i_file_acl;
	u32 i_size_high; /* regular files with large_file */
	u32 i_faddr;
	u8 i_frag, i_fsize;
	u16 i_pad1;
	u16 i_uid_high;
	u16 i_gid_high;
	u32 i_reserved2;
};

struct ext2_dir_entry_2 {
	u32 inode;
	u16 rec_len;
	u8 name_len;
	u8 file_type;
	char name[];
};

/* The space an entry with a name of len bytes takes: header and name, 4-aligned. */
static inline u32 ext2_rec_len(u32 len)
{
	return (8 + len + 3) & ~3U;
}

/* What a checked super block says, in host order and with derived sizes. */
struct ext2_geom {
	u32 block_size, log_block_size; /* log2 of block_size */
	u32 blocks_count, inodes_count, first_data_block;
	u32 blocks_per_group, inodes_per_group, groups;
	u32 inode_size, first_ino;
	u32 desc_per_block, gdt_blocks; /* group descriptors: after the super block */
	u32 itb_per_group; /* inode table blocks of a group */
	u32 addr_per_block; /* block numbers in an indirect block */
	u32 rev;
	bool filetype, large_file, sparse_super;
	bool force_ro; /* unsupported read-only-compatible features, or not cleanly unmounted */
	u64 max_size; /* the largest file size */
};

/*
 * Checks the super block of a device of dev_bytes: 0 and *g, or -EINVAL
 * (not ext2, or features Hartix cannot read) or -EUCLEAN (corrupt), with
 * *why saying what is wrong. *why is also set (and g->force_ro) when the
 * file system must be mounted read-only.
 */
int ext2_parse_super(const struct ext2_super_block *es, u64 dev_bytes, struct ext2_geom *g,
		     const char **why);

/* The block holding group's descriptor and its byte offset there. */
u32 ext2_desc_block(const struct ext2_geom *g, u32 group, u32 *offset);

/* A group's bitmaps and inode table lie inside the group: 0 or -EUCLEAN. */
int ext2_check_desc(const struct ext2_geom *g, const struct ext2_group_desc *gd, u32 group,
		    const char **why);

/* The first block of group and the number of blocks it has. */
u32 ext2_group_first_block(const struct ext2_geom *g, u32 group);
u32 ext2_group_nr_blocks(const struct ext2_geom *g, u32 group);

/* ino's group and its index there: 0, or -EUCLEAN when ino is not an inode number of g. */
int ext2_inode_group(const struct ext2_geom *g, u64 ino, u32 *group, u32 *index);

/* A block number a file or directory may point to (0 is a hole, checked by the caller). */
static inline bool ext2_block_valid(const struct ext2_geom *g, u32 blk)
{
	return blk > g->first_data_block && blk < g->blocks_count;
}

/* The size of a file, with the high word when it counts: regular files of large_file file systems. */
u64 ext2_inode_size(const struct ext2_geom *g, const struct ext2_inode *raw);

/*
 * An in-use inode's fields are consistent (type, size, fast symlink
 * length): 0 or -EUCLEAN. A free inode (no links) is -ESTALE.
 */
int ext2_check_inode(const struct ext2_geom *g, const struct ext2_inode *raw, const char **why);

/* A symlink whose target lies in i_block. */
bool ext2_fast_symlink(const struct ext2_geom *g, const struct ext2_inode *raw);

/*
 * The path to file block iblock through the block map: the depth
 * (1 direct, 2 indirect, 3 double, 4 triple) and the index at each level;
 * -EFBIG past the triple-indirect range.
 */
int ext2_block_path(const struct ext2_geom *g, u64 iblock, u32 offsets[4]);

/* Reads entry index of indirect block blk: 0 or -errno. */
typedef int (*ext2_read_entry_fn)(void *ctx, u32 blk, u32 index, u32 *val);

/*
 * Maps file block iblock with i_block[] and read_entry: 0 with *pblock
 * (0 for a hole), -EFBIG, -EUCLEAN for a pointer out of the file system,
 * or read_entry's error.
 */
int ext2_bmap(const struct ext2_geom *g, const u32 i_block[EXT2_N_BLOCKS], u64 iblock,
	      ext2_read_entry_fn read_entry, void *ctx, u32 *pblock);

/* One directory entry as found in a block. */
struct ext2_dirent {
	u32 ino; /* 0: an unused slot */
	u32 rec_len;
	u32 name_len;
	u32 file_type; /* EXT2_FT_* (0 without the filetype feature) */
	const char *name; /* not NUL-terminated */
};

/*
 * The entry at off of a directory block of g->block_size bytes: 0, or
 * -EUCLEAN for a record that does not fit, is misaligned, or names an
 * inode or a type out of range.
 */
int ext2_dirent_at(const struct ext2_geom *g, const u8 *blk, u32 off, struct ext2_dirent *de,
		   const char **why);

/* DT_* of an EXT2_FT_* type (DT_UNKNOWN for 0); EXT2_FT_* of an S_IF* mode. */
unsigned int ext2_ft_to_dt(u32 ft);
u32 ext2_mode_to_ft(u32 mode);

/* The first clear bit of map[0..nbits) at or after start, else nbits. */
u32 ext2_find_zero_bit(const u8 *map, u32 nbits, u32 start);

static inline bool ext2_test_bit(const u8 *map, u32 bit)
{
	return map[bit / 8] & (1U << (bit % 8));
}

static inline void ext2_set_bit(u8 *map, u32 bit)
{
	map[bit / 8] |= (u8)(1U << (bit % 8));
}

static inline void ext2_clear_bit(u8 *map, u32 bit)
{
	map[bit / 8] &= (u8)~(1U << (bit % 8));
}

/* Groups holding a backup super block and descriptors: 0, 1 and powers of 3, 5, 7 with sparse_super. */
bool ext2_group_has_super(const struct ext2_geom *g, u32 group);

#endif
