/* SPDX-License-Identifier: BSD-2-Clause */
/* FAT12/16/32 on-disk structures (fs/fat/ondisk.c): freestanding, host-tested and fuzzed. */
#ifndef HARTIX_FAT_H
#define HARTIX_FAT_H

#include <hartix/types.h>

#define FAT_DIRENT_SIZE 32
#define FAT_ATTR_RO 0x01
#define FAT_ATTR_HIDDEN 0x02
#define FAT_ATTR_SYSTEM 0x04
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR 0x10
#define FAT_ATTR_ARCH 0x20
#define FAT_ATTR_LFN 0x0f /* RO | HIDDEN | SYSTEM | VOLUME: a long-name slot */
/* The NT byte's case flags (Windows NT, mtools): the short name reads in lower case. */
#define FAT_CASE_LOWER_BASE 0x08
#define FAT_CASE_LOWER_EXT 0x10

#define FAT_LFN_MAX 255 /* UTF-16 units in a long name */
#define FAT_LFN_SLOTS_MAX 20 /* 13 units each */
/* UTF-8 bytes of a decoded name: at most 3 per UTF-16 unit (a pair takes 4 for 2). */
#define FAT_NAME_BUF (FAT_LFN_MAX * 3 + 1)

/* Cluster values after decoding (the three FAT widths normalised). */
#define FAT_FREE 0
#define FAT_BAD 0x0ffffff7
#define FAT_EOC 0x0fffffff

#define FAT_UNKNOWN 0xffffffffU /* FSInfo's "not known" for the free count and hint */

enum fat_type { FAT12 = 12, FAT16 = 16, FAT32 = 32 };

/* A volume's layout from its boot sector. Sectors are logical ones of sector_size bytes. */
struct fat_geom {
	enum fat_type type;
	u32 sector_size; /* 512..4096, a power of two */
	u32 sec_per_clus; /* a power of two, 1..128 */
	u32 cluster_size; /* bytes */
	u32 reserved; /* sectors before the first FAT */
	u32 nr_fats;
	u32 fat_sectors; /* of each FAT */
	u32 active_fat; /* the FAT read (FAT32 without mirroring: the only one written) */
	bool mirror; /* writes go to every FAT */
	u32 root_entries; /* FAT12/16: the fixed root directory's slots */
	u32 root_sector, root_sectors; /* FAT12/16: where it is */
	u32 root_cluster; /* FAT32: the root directory's first cluster */
	u32 fsinfo_sector; /* FAT32: 0 for none */
	u64 data_sector; /* cluster 2's first sector */
	u64 total_sectors;
	u32 nr_clusters; /* data clusters: 2 .. nr_clusters + 1 are valid */
};

/*
 * Checks the boot sector bs (its first 512 bytes) of a volume of dev_bytes
 * bytes and fills g. -EINVAL: not a FAT volume; -EUCLEAN: a FAT volume
 * whose fields contradict each other or the device. *why says which check
 * failed.
 */
int fat_parse_boot(const u8 *bs, u64 dev_bytes, struct fat_geom *g, const char **why);

/*
 * A mounted volume as the FAT code sees it. map() returns sector's bytes
 * (sector_size of them; write: they will be modified and must reach the
 * disk) or NULL with *err set; the pointer stays valid until the next
 * map() of the same volume. The caller serialises every function below
 * on one volume (the kernel holds the volume's FAT mutex).
 */
struct fat_vol {
	struct fat_geom g;
	u8 *(*map)(void *ctx, u64 sector, bool write, int *err);
	void *ctx;
	u32 free_count; /* FAT_UNKNOWN until counted */
	u32 next_free; /* where the search for a free cluster starts */
	/*
	 * Optional: true if a new short entry must not go to ipos (the
	 * kernel's inodes are numbered by it, and an unlinked open file
	 * keeps its number until its last close).
	 */
	bool (*ipos_busy)(void *ctx, u64 ipos);
	/*
	 * Optional: writes everything mapped for writing so far to the disk
	 * before anything mapped later (the order a power cut must respect).
	 */
	int (*barrier)(void *ctx);
};

/* The decoded entry of a valid cluster (FAT_FREE, FAT_BAD, FAT_EOC or a cluster), or -errno. */
int fat_get(struct fat_vol *v, u32 clus, u32 *val);
/* Writes val (FAT_EOC, FAT_FREE or a cluster) into clus's entry of each FAT written. */
int fat_put(struct fat_vol *v, u32 clus, u32 val);
/* The cluster after clus in a chain, FAT_EOC at its end; -EUCLEAN if the link is no cluster. */
int fat_next(struct fat_vol *v, u32 clus, u32 *next);
/*
 * The n-th cluster (from 0) of the chain from start: 0, with FAT_EOC if
 * the chain is shorter; -EUCLEAN for a broken chain.
 */
int fat_walk(struct fat_vol *v, u32 start, u32 n, u32 *clus);
/* A place in a chain that fat_chain_sector() goes on from (zero it to start). */
struct fat_cursor {
	u32 start, index, clus; /* clus is the index-th cluster of the chain from start */
};

/*
 * The sector holding sector index of the chain from start (0: the FAT12/16
 * fixed root directory): -ENOENT past its end, -EUCLEAN if broken. c may
 * be NULL; it makes a walk forward cost only the clusters it passes.
 */
int fat_chain_sector(struct fat_vol *v, struct fat_cursor *c, u32 start, u64 index, u64 *sector);
/* Clusters in the chain from start (0 for start 0): -EUCLEAN past nr_clusters (a loop). */
int fat_chain_len(struct fat_vol *v, u32 start, u32 *len);
/* Counts free clusters into v->free_count. */
int fat_count_free(struct fat_vol *v);
/*
 * Allocates a free cluster, marks it the end of a chain and links prev
 * (0: none) to it. -ENOSPC when none is free. Keeps free_count and
 * next_free right (counting first if unknown).
 */
int fat_alloc(struct fat_vol *v, u32 prev, u32 *clus);
/* Frees the chain from start (0: nothing), counting free clusters first if unknown. */
int fat_free_chain(struct fat_vol *v, u32 start);
/* FAT[1]'s clean-shutdown bit (FAT16/32; FAT12 has none): set it clean or dirty. */
int fat_set_clean(struct fat_vol *v, bool clean);
/* Whether FAT[1] says the volume was unmounted cleanly (FAT12: always). */
int fat_is_clean(struct fat_vol *v, bool *clean);

/*
 * Sets up v (g, map and ctx filled) from its FSInfo sector (NULL: none):
 * the allocation hint is taken when it is a cluster; the free count is
 * not trusted but counted when first needed.
 */
void fat_vol_init(struct fat_vol *v, const u8 *fsinfo);
/* FSInfo (FAT32): its free count and hint if the signatures are right, else -EINVAL. */
int fat_fsinfo_read(const u8 *sec, u32 *free_count, u32 *next_free);
void fat_fsinfo_write(u8 *sec, u32 free_count, u32 next_free);

/* A directory entry with its name decoded (fat_dir_feed()). */
struct fat_dirent {
	u8 short_name[11];
	u8 attr;
	u8 nt_case;
	u32 cluster; /* first cluster, unchecked: 0 for an empty file */
	u32 size;
	u16 ctime, cdate, adate, mtime, mdate;
	u8 ctime_cs; /* 10 ms units, 0..199 */
	bool dot; /* "." or "..": the glue makes its own */
	u64 ipos; /* where its short entry is: sector * (sector_size / 32) + slot in it */
	u32 first_slot; /* its first slot's index in the directory (fat_dir_next()) */
	char sname[24]; /* the short name as shown, "NAME.EXT" (UTF-8) */
	u32 nslots; /* directory slots it spans, long-name ones included */
	u32 name_len;
	char name[FAT_NAME_BUF]; /* UTF-8, NUL-terminated, no '/' */
};

/* Long-name slots seen so far in a directory scan. */
struct fat_lfn_state {
	u16 units[FAT_LFN_SLOTS_MAX * 13];
	u8 csum;
	u8 next_seq; /* the sequence number expected next, 0: none pending */
	u8 nslots;
	u8 total; /* slots of the name being collected */
};

enum fat_de_kind {
	FAT_DE_END, /* no entries after this one */
	FAT_DE_NONE, /* free, a long-name slot, or the volume label */
	FAT_DE_ENTRY, /* *out filled */
	FAT_DE_BAD, /* a corrupt short entry: neither shown nor reused */
};

static inline void fat_lfn_reset(struct fat_lfn_state *st)
{
	st->next_seq = 0;
	st->nslots = 0;
}

/* Feeds the next 32-byte entry of a directory (in order; reset the state at the start). */
enum fat_de_kind fat_dir_feed(struct fat_lfn_state *st, const u8 *raw, struct fat_dirent *out);
/* The checksum a long name's slots carry of their short name. */
u8 fat_lfn_checksum(const u8 short_name[11]);

/* Directories: start is the first cluster, 0 for the FAT12/16 fixed root. */
#define FAT_DIR_MAX_SLOTS 65536 /* the spec's limit: 2 MiB of entries */

/*
 * The next entry from slot *pos on (FAT_DE_BAD ones skipped): 1 with *de
 * (its first_slot and ipos set) and *pos past it, 0 at the directory's end.
 */
int fat_dir_next(struct fat_vol *v, u32 start, u32 *pos, struct fat_dirent *de);
/* The entry called name (long or short name, without case; no dot entries): 0 or -ENOENT. */
int fat_dir_lookup(struct fat_vol *v, u32 start, const char *name, u32 len, struct fat_dirent *de);
/*
 * Adds an entry called name (checked by fat_check_name()) whose short
 * entry is raw (attr, cluster, size, times; the name is chosen here):
 * long-name slots and the short entry go to the first free run of slots,
 * or at the end, growing the directory by a zeroed cluster when needed
 * (-ENOSPC for a full fixed root or FAT_DIR_MAX_SLOTS). -EEXIST when no
 * short name is left. *de describes the entry written.
 */
int fat_dir_add(struct fat_vol *v, u32 start, const char *name, u32 len, const u8 *raw,
		struct fat_dirent *de);
/* Frees the nslots slots from first_slot (an entry and its long name). */
int fat_dir_remove(struct fat_vol *v, u32 start, u32 first_slot, u32 nslots);
/* 1 if the directory has no entry but "." and "..", 0 if it has, or -errno. */
int fat_dir_empty(struct fat_vol *v, u32 start);
/*
 * Fills cluster clus as a new directory's: "." (itself, with raw's times),
 * ".." (parent; 0 for the root, as the spec says) and zeroes.
 */
int fat_dir_init(struct fat_vol *v, u32 clus, u32 parent, const u8 *raw);
/* Points the ".." of the directory at start to parent (0: the root). */
int fat_dir_set_parent(struct fat_vol *v, u32 start, u32 parent);
/* The short entry at ipos, mapped (write: to be modified), or NULL with *err. */
u8 *fat_map_ipos(struct fat_vol *v, u64 ipos, bool write, int *err);

/*
 * Checks a name for a new entry, as Linux vfat does: trailing dots are
 * dropped (*len shrinks), control characters and * ? < > | " : / \ are
 * -EINVAL, and more than FAT_LFN_MAX UTF-16 units -ENAMETOOLONG.
 */
int fat_check_name(const char *name, u32 *len);
/* ASCII letters compare without case, as vfat's lookup does. */
bool fat_name_eq(const char *a, u32 alen, const char *b, u32 blen);

/*
 * The n-th short name to try (n from 0) for a new entry called name (a
 * checked name): the name itself when it is a valid upper-case 8.3 name,
 * else its basis name with a ~k tail. -ENOENT when none is left (then the
 * directory has too many similar names: -EEXIST). *need_lfn: a long name
 * must be written too.
 */
int fat_short_candidate(const char *name, u32 len, u32 n, u8 out[11], bool *need_lfn);
/*
 * Writes the long-name slots of name (a checked name) for a short entry
 * short_name, in disk order, into slots (FAT_LFN_SLOTS_MAX * 32 bytes):
 * their number, or -EINVAL for bad UTF-8.
 */
int fat_lfn_build(const char *name, u32 len, const u8 short_name[11], u8 *slots);
/* A short entry (32 bytes) with its fields. */
void fat_dirent_build(u8 *raw, const u8 short_name[11], u8 attr, u32 cluster, u32 size);
void fat_dirent_set_cluster(u8 *raw, u32 cluster);

/* FAT date and time (local time is UTC) and Unix time. */
s64 fat_time_to_unix(u16 date, u16 time, u8 cs, u32 *nsec);
/* Clamped to 1980..2107; *cs may be NULL. */
void fat_time_from_unix(s64 secs, u32 nsec, u16 *date, u16 *time, u8 *cs);

/* Little-endian fields. */
static inline u16 fat_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 fat_le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline void fat_put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline void fat_put_le32(u8 *p, u32 v)
{
	fat_put_le16(p, (u16)v);
	fat_put_le16(p + 2, (u16)(v >> 16));
}

#endif
