/* SPDX-License-Identifier: BSD-2-Clause */
/* FAT12/16/32 on disk: boot sector, FAT chains, FSInfo, directory entries and long names. */
#include <hartix/errno.h>
#include <hartix/fat.h>
#include <hartix/string.h>
#include <hartix/time64.h>

/*
 * Everything read from the disk is checked before it is used: this code
 * runs in the kernel on any image and in tools/testing/host/fuzz_fat.c.
 */

#define FAT12_MAX_CLUSTERS 4084 /* fewer than 4085: FAT12 (the spec's rule) */
#define FAT16_MAX_CLUSTERS 65524 /* fewer than 65525: FAT16 */
#define FAT32_MAX_CLUSTERS 0x0ffffff5 /* the highest cluster, 0x0ffffff6, stays below FAT_BAD */

#define FSINFO_LEAD 0x41615252
#define FSINFO_STRUCT 0x61417272
#define FSINFO_TRAIL 0xaa550000

static int fail(const char **why, const char *msg, int err)
{
	*why = msg;
	return err;
}

int fat_parse_boot(const u8 *bs, u64 dev_bytes, struct fat_geom *g, const char **why)
{
	u32 ss = fat_le16(bs + 11), spc = bs[13], rsv = fat_le16(bs + 14);
	u32 nfats = bs[16], root_entries = fat_le16(bs + 17), media = bs[21];
	u32 fat16_size = fat_le16(bs + 22);
	u64 total = fat_le16(bs + 19) ? fat_le16(bs + 19) : fat_le32(bs + 32);
	u64 fat_size, meta, nclus, entries;
	u32 bits, max;

	memset(g, 0, sizeof(*g));
	/* What Linux checks before it calls a volume FAT at all. */
	if (ss < 512 || ss > 4096 || (ss & (ss - 1)))
		return fail(why, "bytes per sector not a power of two in 512..4096", -EINVAL);
	if (!spc || (spc & (spc - 1)))
		return fail(why, "sectors per cluster not a power of two", -EINVAL);
	if (!rsv)
		return fail(why, "no reserved sectors", -EINVAL);
	if (!nfats)
		return fail(why, "no FAT", -EINVAL);
	if (media != 0xf0 && media < 0xf8)
		return fail(why, "bad media byte", -EINVAL);
	fat_size = fat16_size ? fat16_size : fat_le32(bs + 36);
	if (!fat_size)
		return fail(why, "no FAT size", -EINVAL);

	/*
	 * The layout is FAT32's when the 16-bit FAT size is 0, as Linux and
	 * dosfstools decide: mkfs.vfat -F 32 makes volumes with fewer
	 * clusters than the spec's FAT32 minimum, and both mount them. Between
	 * FAT12 and FAT16 the cluster count decides, as the spec says.
	 */
	g->sector_size = ss;
	g->sec_per_clus = spc;
	g->cluster_size = ss * spc;
	g->reserved = rsv;
	g->nr_fats = nfats;
	g->mirror = true;
	if (!fat16_size) {
		u32 ext_flags = fat_le16(bs + 40);

		if (root_entries)
			return fail(why, "FAT32 with a fixed root directory", -EUCLEAN);
		/* Bit 7: only the active FAT (bits 0-3) is in use. */
		if (ext_flags & 0x80) {
			g->mirror = false;
			g->active_fat = ext_flags & 0xf;
			if (g->active_fat >= nfats)
				return fail(why, "active FAT does not exist", -EUCLEAN);
		}
	} else if (!root_entries) {
		return fail(why, "no root directory", -EUCLEAN);
	} else if (root_entries * 32 % ss) {
		return fail(why, "root directory not a whole number of sectors", -EUCLEAN);
	}
	g->fat_sectors = (u32)fat_size;
	g->root_entries = root_entries;
	g->root_sectors = root_entries * 32 / ss;
	g->root_sector = (u32)(rsv + nfats * fat_size);
	meta = rsv + nfats * fat_size + g->root_sectors;
	if (!total || total <= meta)
		return fail(why, "no data area", -EUCLEAN);
	if (total > dev_bytes / ss)
		return fail(why, "volume larger than its device", -EUCLEAN);
	g->total_sectors = total;
	g->data_sector = meta;
	nclus = (total - meta) / spc;
	if (!nclus)
		return fail(why, "no data clusters", -EUCLEAN);
	if (!fat16_size) {
		g->type = FAT32;
		max = FAT32_MAX_CLUSTERS;
		bits = 32;
	} else if (nclus <= FAT12_MAX_CLUSTERS) {
		g->type = FAT12;
		max = FAT12_MAX_CLUSTERS;
		bits = 12;
	} else {
		g->type = FAT16;
		max = FAT16_MAX_CLUSTERS;
		bits = 16;
	}
	/* Clusters the FAT has no entry for are not used (Linux does the same). */
	entries = fat_size * ss * 8 / bits;
	if (entries < 3)
		return fail(why, "FAT too small", -EUCLEAN);
	if (nclus > entries - 2)
		nclus = entries - 2;
	if (nclus > max)
		nclus = max;
	g->nr_clusters = (u32)nclus;
	if (g->type == FAT32) {
		u32 fsinfo = fat_le16(bs + 48);

		g->root_cluster = fat_le32(bs + 44);
		if (g->root_cluster < 2 || g->root_cluster > g->nr_clusters + 1)
			return fail(why, "root cluster out of range", -EUCLEAN);
		/* An FSInfo sector outside the reserved area is ignored, as "none". */
		g->fsinfo_sector = fsinfo && fsinfo < rsv ? fsinfo : 0;
	}
	*why = NULL;
	return 0;
}

/*
 * FAT access: byte off of FAT copy fatno, through map(). A FAT12 entry
 * can straddle two sectors, so bytes are handled one sector at a time.
 */
static int fat_bytes(struct fat_vol *v, u32 fatno, u64 off, u8 *buf, u32 n, bool write)
{
	u32 ss = v->g.sector_size;

	while (n) {
		u64 sector = v->g.reserved + (u64)fatno * v->g.fat_sectors + off / ss;
		u32 in = (u32)(off % ss), chunk = ss - in < n ? ss - in : n;
		int err = 0;
		u8 *p = v->map(v->ctx, sector, write, &err);

		if (!p)
			return err ? err : -EIO;
		if (write)
			memcpy(p + in, buf, chunk);
		else
			memcpy(buf, p + in, chunk);
		buf += chunk;
		off += chunk;
		n -= chunk;
	}
	return 0;
}

static u64 entry_offset(const struct fat_vol *v, u32 clus)
{
	if (v->g.type == FAT12)
		return clus + clus / 2;
	return (u64)clus * (v->g.type / 8);
}

static u32 entry_bytes(const struct fat_vol *v)
{
	return v->g.type == FAT12 ? 2 : v->g.type / 8;
}

/* The raw entry (no masking) of clus from the active FAT. */
static int raw_get(struct fat_vol *v, u32 clus, u32 *raw)
{
	u8 b[4] = { 0 };
	int err = fat_bytes(v, v->g.active_fat, entry_offset(v, clus), b, entry_bytes(v), false);

	if (err)
		return err;
	*raw = fat_le32(b);
	if (v->g.type == FAT12)
		*raw = clus & 1 ? *raw >> 4 : *raw & 0xfff;
	return 0;
}

/* Writes raw into clus's entry of each FAT in use (FAT12: its 12 bits only). */
static int raw_put(struct fat_vol *v, u32 clus, u32 raw)
{
	u32 i, n = entry_bytes(v);
	u64 off = entry_offset(v, clus);

	for (i = 0; i < v->g.nr_fats; i++) {
		u8 b[4];
		int err;

		if (!v->g.mirror && i != v->g.active_fat)
			continue;
		if (v->g.type == FAT12) {
			u32 old;

			err = fat_bytes(v, i, off, b, 2, false);
			if (err)
				return err;
			old = fat_le16(b);
			old = clus & 1 ? (old & 0x000f) | (raw & 0xfff) << 4 :
					 (old & 0xf000) | (raw & 0xfff);
			fat_put_le16(b, (u16)old);
		} else {
			fat_put_le32(b, raw);
		}
		err = fat_bytes(v, i, off, b, n, true);
		if (err)
			return err;
	}
	return 0;
}

static u32 max_cluster(const struct fat_vol *v)
{
	return v->g.nr_clusters + 1;
}

static bool valid_cluster(const struct fat_vol *v, u32 clus)
{
	return clus >= 2 && clus <= max_cluster(v);
}

int fat_get(struct fat_vol *v, u32 clus, u32 *val)
{
	u32 raw, eoc_min;
	int err;

	if (!valid_cluster(v, clus))
		return -EUCLEAN;
	err = raw_get(v, clus, &raw);
	if (err)
		return err;
	switch (v->g.type) {
	case FAT12:
		eoc_min = 0xff8;
		break;
	case FAT16:
		eoc_min = 0xfff8;
		break;
	default:
		raw &= 0x0fffffff; /* the top four bits are reserved */
		eoc_min = 0x0ffffff8;
		break;
	}
	if (raw >= eoc_min)
		*val = FAT_EOC;
	else if (raw == eoc_min - 1)
		*val = FAT_BAD;
	else
		*val = raw;
	return 0;
}

int fat_put(struct fat_vol *v, u32 clus, u32 val)
{
	u32 raw = val;

	if (!valid_cluster(v, clus) || (val != FAT_EOC && val != FAT_FREE && !valid_cluster(v, val)))
		return -EUCLEAN;
	if (v->g.type == FAT12)
		raw = val == FAT_EOC ? 0xfff : val;
	else if (v->g.type == FAT16)
		raw = val == FAT_EOC ? 0xffff : val;
	if (v->g.type == FAT32) {
		u32 old;
		int err = raw_get(v, clus, &old);

		if (err)
			return err;
		raw |= old & 0xf0000000;
	}
	return raw_put(v, clus, raw);
}

int fat_next(struct fat_vol *v, u32 clus, u32 *next)
{
	int err = fat_get(v, clus, next);

	if (err)
		return err;
	if (*next != FAT_EOC && !valid_cluster(v, *next))
		return -EUCLEAN; /* free, bad or out of range inside a chain */
	return 0;
}

int fat_walk(struct fat_vol *v, u32 start, u32 n, u32 *clus)
{
	u32 i;

	if (!valid_cluster(v, start))
		return -EUCLEAN;
	*clus = start;
	/* A chain of more than nr_clusters links loops. */
	for (i = 0; i < n; i++) {
		int err;

		if (i >= v->g.nr_clusters)
			return -EUCLEAN;
		err = fat_next(v, *clus, clus);
		if (err)
			return err;
		if (*clus == FAT_EOC)
			return 0;
	}
	return 0;
}

int fat_chain_sector(struct fat_vol *v, struct fat_cursor *c, u32 start, u64 index, u64 *sector)
{
	u64 nclus = index / v->g.sec_per_clus;
	u32 from = 0, clus = start;
	int err;

	if (!start) { /* FAT12/16's fixed root directory */
		if (v->g.type == FAT32 || index >= v->g.root_sectors)
			return -ENOENT;
		*sector = v->g.root_sector + index;
		return 0;
	}
	if (nclus >= v->g.nr_clusters)
		return -ENOENT; /* no chain is that long */
	/* Forward from where the last call ended, as files are mostly read in order. */
	if (c && c->start == start && c->index <= nclus && c->clus) {
		from = c->index;
		clus = c->clus;
	}
	err = fat_walk(v, clus, (u32)nclus - from, &clus);
	if (err)
		return err;
	if (clus == FAT_EOC)
		return -ENOENT;
	if (c) {
		c->start = start;
		c->index = (u32)nclus;
		c->clus = clus;
	}
	*sector = v->g.data_sector + (u64)(clus - 2) * v->g.sec_per_clus + index % v->g.sec_per_clus;
	return 0;
}

int fat_chain_len(struct fat_vol *v, u32 start, u32 *len)
{
	u32 clus = start;

	*len = 0;
	if (!start)
		return 0;
	if (!valid_cluster(v, start))
		return -EUCLEAN;
	while (clus != FAT_EOC) {
		int err;

		if (*len >= v->g.nr_clusters)
			return -EUCLEAN;
		++*len;
		err = fat_next(v, clus, &clus);
		if (err)
			return err;
	}
	return 0;
}

int fat_count_free(struct fat_vol *v)
{
	u32 clus, val, count = 0;

	for (clus = 2; clus <= max_cluster(v); clus++) {
		int err = fat_get(v, clus, &val);

		if (err)
			return err;
		count += val == FAT_FREE;
	}
	v->free_count = count;
	return 0;
}

int fat_alloc(struct fat_vol *v, u32 prev, u32 *clus)
{
	u32 i, c, val;
	int err;

	if (v->free_count == FAT_UNKNOWN || v->free_count > v->g.nr_clusters) {
		err = fat_count_free(v);
		if (err)
			return err;
	}
	if (!v->free_count)
		return -ENOSPC;
	c = valid_cluster(v, v->next_free) ? v->next_free : 2;
	for (i = 0; i < v->g.nr_clusters; i++, c = c < max_cluster(v) ? c + 1 : 2) {
		err = fat_get(v, c, &val);
		if (err)
			return err;
		if (val != FAT_FREE)
			continue;
		err = fat_put(v, c, FAT_EOC);
		if (!err && prev)
			err = fat_put(v, prev, c);
		if (err)
			return err;
		v->free_count--;
		v->next_free = c < max_cluster(v) ? c + 1 : 2;
		*clus = c;
		return 0;
	}
	v->free_count = 0; /* the count was wrong */
	return -ENOSPC;
}

int fat_free_chain(struct fat_vol *v, u32 start)
{
	u32 clus = start, next;

	if (!start)
		return 0;
	if (v->free_count == FAT_UNKNOWN) {
		int err = fat_count_free(v);

		if (err)
			return err;
	}
	/* Each pass frees a cluster, so a loop ends at one already freed. */
	while (clus != FAT_EOC) {
		int err = fat_next(v, clus, &next);

		if (err)
			return err;
		err = fat_put(v, clus, FAT_FREE);
		if (err)
			return err;
		v->free_count++;
		clus = next;
	}
	return 0;
}

static u32 clean_bit(const struct fat_vol *v)
{
	return v->g.type == FAT16 ? 0x8000 : v->g.type == FAT32 ? 0x08000000 : 0;
}

int fat_set_clean(struct fat_vol *v, bool clean)
{
	u32 raw;
	int err;

	if (!clean_bit(v))
		return 0;
	err = raw_get(v, 1, &raw);
	if (err)
		return err;
	raw = clean ? raw | clean_bit(v) : raw & ~clean_bit(v);
	return raw_put(v, 1, raw);
}

int fat_is_clean(struct fat_vol *v, bool *clean)
{
	u32 raw;
	int err;

	*clean = true;
	if (!clean_bit(v))
		return 0;
	err = raw_get(v, 1, &raw);
	if (!err)
		*clean = raw & clean_bit(v);
	return err;
}

void fat_vol_init(struct fat_vol *v, const u8 *fsinfo)
{
	u32 free_count, next;

	v->free_count = FAT_UNKNOWN;
	v->next_free = 2;
	if (fsinfo && !fat_fsinfo_read(fsinfo, &free_count, &next) && valid_cluster(v, next))
		v->next_free = next;
}

int fat_fsinfo_read(const u8 *sec, u32 *free_count, u32 *next_free)
{
	if (fat_le32(sec) != FSINFO_LEAD || fat_le32(sec + 484) != FSINFO_STRUCT ||
	    fat_le32(sec + 508) != FSINFO_TRAIL)
		return -EINVAL;
	*free_count = fat_le32(sec + 488);
	*next_free = fat_le32(sec + 492);
	return 0;
}

void fat_fsinfo_write(u8 *sec, u32 free_count, u32 next_free)
{
	fat_put_le32(sec + 488, free_count);
	fat_put_le32(sec + 492, next_free);
}

/* Directory entries */

u8 fat_lfn_checksum(const u8 short_name[11])
{
	u8 sum = 0;
	int i;

	for (i = 0; i < 11; i++)
		sum = (u8)(((sum & 1) << 7) + (sum >> 1) + short_name[i]);
	return sum;
}

/* Where a long-name slot keeps its 13 UTF-16 units. */
static const u8 lfn_unit_off[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };

static u32 put_utf8(char *out, u32 cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The next code point of UTF-8 s[*i..len), advancing *i; -1 for a bad,
 * overlong or surrogate sequence.
 */
static s32 get_utf8(const char *s, u32 len, u32 *i)
{
	const u8 *p = (const u8 *)s + *i;
	u32 avail = len - *i, n, cp, k;

	if (p[0] < 0x80) {
		++*i;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return -1;
	}
	if (avail < n)
		return -1;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[k] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*i += n;
	return (s32)cp;
}

/* Linux vfat's vfat_bad_char(): never in a long name. */
static bool bad_long_char(u32 cp)
{
	return cp < 0x20 || cp == '*' || cp == '?' || cp == '<' || cp == '>' || cp == '|' ||
	       cp == '"' || cp == ':' || cp == '/' || cp == '\\';
}

/* A long name's units (to the first 0) as UTF-8: false if unusable, then the short name is. */
static bool lfn_to_utf8(const u16 *units, u32 n, struct fat_dirent *out)
{
	u32 i, len = 0;

	for (i = 0; i < n && units[i]; i++) {
		u32 cp = units[i];

		if (cp >= 0xdc00 && cp <= 0xdfff)
			return false;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (i + 1 >= n || units[i + 1] < 0xdc00 || units[i + 1] > 0xdfff)
				return false;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (units[++i] - 0xdc00);
		}
		if (bad_long_char(cp) || i >= FAT_LFN_MAX)
			return false;
		len += put_utf8(out->name + len, cp);
	}
	out->name[len] = 0;
	out->name_len = len;
	/* Names the VFS gives its own meaning to are not taken from a disk. */
	return len && strcmp(out->name, ".") && strcmp(out->name, "..");
}

/* "NAME.EXT" with the NT case flags into buf (24 bytes); false for a name that is none. */
static bool short_to_utf8(const u8 *short_name, u8 nt_case, char *buf)
{
	u32 i, len = 0, base = 8, ext = 3;

	while (base && short_name[base - 1] == ' ')
		base--;
	while (ext && short_name[8 + ext - 1] == ' ')
		ext--;
	if (!base)
		return false;
	for (i = 0; i < base + ext; i++) {
		u32 k = i < base ? i : 8 + i - base;
		u8 c = short_name[k];
		bool lower = nt_case & (i < base ? FAT_CASE_LOWER_BASE : FAT_CASE_LOWER_EXT);

		if (k == 0 && c == 0x05)
			c = 0xe5; /* 0xe5 would mean a free entry */
		if (c < 0x20 || c == '/' || c == 0x7f)
			return false;
		if (i == base)
			buf[len++] = '.';
		if (lower && c >= 'A' && c <= 'Z')
			c = (u8)(c - 'A' + 'a');
		/*
		 * Bytes above ASCII are code page characters; without code page
		 * tables they read as the Latin-1 ones, one to one.
		 */
		len += put_utf8(buf + len, c);
	}
	buf[len] = 0;
	return true;
}

enum fat_de_kind fat_dir_feed(struct fat_lfn_state *st, const u8 *raw, struct fat_dirent *out)
{
	u8 attr = raw[11];
	bool lfn_ok;

	if (raw[0] == 0x00) {
		fat_lfn_reset(st);
		return FAT_DE_END;
	}
	if (raw[0] == 0xe5) {
		fat_lfn_reset(st);
		return FAT_DE_NONE;
	}
	if ((attr & 0x3f) == FAT_ATTR_LFN) {
		u32 seq = raw[0] & 0x1f, i;

		if (raw[12] || fat_le16(raw + 26)) {
			fat_lfn_reset(st); /* not a long-name slot we understand */
			return FAT_DE_NONE;
		}
		if (raw[0] & 0x40) {
			if (seq < 1 || seq > FAT_LFN_SLOTS_MAX) {
				fat_lfn_reset(st);
				return FAT_DE_NONE;
			}
			st->total = (u8)seq;
			st->nslots = 0;
			st->csum = raw[13];
		} else if (!st->nslots || !st->next_seq || seq != st->next_seq ||
			   raw[13] != st->csum) {
			fat_lfn_reset(st); /* an orphan: its name is lost */
			return FAT_DE_NONE;
		}
		for (i = 0; i < 13; i++)
			st->units[(seq - 1) * 13 + i] = fat_le16(raw + lfn_unit_off[i]);
		st->nslots++;
		st->next_seq = (u8)(seq - 1);
		return FAT_DE_NONE;
	}
	if (attr & FAT_ATTR_VOLUME) {
		fat_lfn_reset(st);
		return FAT_DE_NONE;
	}

	memset(out, 0, sizeof(*out));
	memcpy(out->short_name, raw, 11);
	out->attr = attr;
	out->nt_case = raw[12];
	out->ctime_cs = raw[13];
	out->ctime = fat_le16(raw + 14);
	out->cdate = fat_le16(raw + 16);
	out->adate = fat_le16(raw + 18);
	out->mtime = fat_le16(raw + 22);
	out->mdate = fat_le16(raw + 24);
	out->cluster = (u32)fat_le16(raw + 20) << 16 | fat_le16(raw + 26);
	out->size = fat_le32(raw + 28);
	lfn_ok = st->nslots && st->nslots == st->total && !st->next_seq &&
		 st->csum == fat_lfn_checksum(out->short_name);
	out->nslots = 1;
	if (!memcmp(raw, ".          ", 11) || !memcmp(raw, "..         ", 11)) {
		out->dot = true;
		out->name_len = raw[1] == '.' ? 2 : 1;
		memcpy(out->name, "..", out->name_len);
		memcpy(out->sname, "..", out->name_len);
		fat_lfn_reset(st);
		return FAT_DE_ENTRY;
	}
	if (!short_to_utf8(out->short_name, out->nt_case, out->sname)) {
		fat_lfn_reset(st);
		return FAT_DE_BAD;
	}
	if (lfn_ok && lfn_to_utf8(st->units, st->total * 13u, out)) {
		out->nslots += st->nslots;
	} else {
		out->name_len = (u32)strlen(out->sname);
		memcpy(out->name, out->sname, out->name_len + 1);
	}
	fat_lfn_reset(st);
	return FAT_DE_ENTRY;
}

/* Directories */

/* Slot index of directory start, mapped; *ipos says where it is. -ENOENT past the end. */
static u8 *dir_slot(struct fat_vol *v, struct fat_cursor *c, u32 start, u32 index, bool write,
		    int *err, u64 *ipos)
{
	u32 per = v->g.sector_size / FAT_DIRENT_SIZE;
	u64 sector;
	u8 *p;

	if (index >= FAT_DIR_MAX_SLOTS) {
		*err = -ENOENT;
		return NULL;
	}
	*err = fat_chain_sector(v, c, start, index / per, &sector);
	if (*err)
		return NULL;
	p = v->map(v->ctx, sector, write, err);
	if (!p) {
		*err = *err ? *err : -EIO;
		return NULL;
	}
	if (ipos)
		*ipos = sector * per + index % per;
	return p + (index % per) * FAT_DIRENT_SIZE;
}

/* The next entry from *pos: FAT_DE_ENTRY or FAT_DE_BAD (with *pos past it), FAT_DE_END, or -errno. */
static int dir_scan(struct fat_vol *v, u32 start, u32 *pos, struct fat_dirent *de)
{
	struct fat_lfn_state st;
	struct fat_cursor c = { 0 };
	u32 i;

	fat_lfn_reset(&st);
	for (i = *pos;; i++) {
		int err;
		u64 ipos;
		const u8 *p = dir_slot(v, &c, start, i, false, &err, &ipos);
		enum fat_de_kind kind;

		if (!p) {
			*pos = i;
			return err == -ENOENT ? FAT_DE_END : err;
		}
		kind = fat_dir_feed(&st, p, de);
		if (kind == FAT_DE_END) {
			*pos = i;
			return kind;
		}
		if (kind == FAT_DE_NONE)
			continue;
		*pos = i + 1;
		if (kind == FAT_DE_ENTRY) {
			de->ipos = ipos;
			de->first_slot = i + 1 - de->nslots;
		}
		return kind;
	}
}

int fat_dir_next(struct fat_vol *v, u32 start, u32 *pos, struct fat_dirent *de)
{
	for (;;) {
		int kind = dir_scan(v, start, pos, de);

		if (kind < 0)
			return kind;
		if (kind == FAT_DE_END)
			return 0;
		if (kind == FAT_DE_ENTRY)
			return 1;
	}
}

int fat_dir_lookup(struct fat_vol *v, u32 start, const char *name, u32 len, struct fat_dirent *de)
{
	u32 pos = 0;
	int ret;

	while (len && name[len - 1] == '.')
		len--; /* "foo." is "foo", as for a new name */
	while (len && (ret = fat_dir_next(v, start, &pos, de)) > 0) {
		if (de->dot)
			continue;
		if (fat_name_eq(name, len, de->name, de->name_len) ||
		    fat_name_eq(name, len, de->sname, (u32)strlen(de->sname)))
			return 0;
	}
	return len && ret < 0 ? ret : -ENOENT;
}

int fat_dir_empty(struct fat_vol *v, u32 start)
{
	struct fat_dirent de;
	u32 pos = 0;
	int kind;

	while ((kind = dir_scan(v, start, &pos, &de)) == FAT_DE_ENTRY && de.dot)
		;
	/* A corrupt entry is something: the directory is not removed over it. */
	return kind < 0 ? kind : kind == FAT_DE_END;
}

/* 1 if a short entry of the directory is called short_name, 0 if none is, or -errno. */
static int short_exists(struct fat_vol *v, u32 start, const u8 *short_name)
{
	struct fat_cursor c = { 0 };
	u32 i;

	for (i = 0;; i++) {
		int err;
		const u8 *p = dir_slot(v, &c, start, i, false, &err, NULL);

		if (!p)
			return err == -ENOENT ? 0 : err;
		if (!p[0])
			return 0;
		if (p[0] != 0xe5 && !(p[11] & FAT_ATTR_VOLUME) && !memcmp(p, short_name, 11))
			return 1;
	}
}

/*
 * Appends a zeroed cluster to the directory at start. The link to it is
 * made last, after a barrier: a power cut in between leaves a lost
 * cluster for fsck, never a chain through a free or stale cluster that
 * would make the directory's older entries unreadable.
 */
static int dir_grow(struct fat_vol *v, u32 start)
{
	u32 len, last, clus, k;
	int err = fat_chain_len(v, start, &len);

	if (!err)
		err = fat_walk(v, start, len - 1, &last);
	if (!err)
		err = fat_alloc(v, 0, &clus);
	if (err)
		return err;
	for (k = 0; !err && k < v->g.sec_per_clus; k++) {
		u8 *p = v->map(v->ctx, v->g.data_sector + (u64)(clus - 2) * v->g.sec_per_clus + k,
			       true, &err);

		if (p)
			memset(p, 0, v->g.sector_size);
		else
			err = err ? err : -EIO;
	}
	if (!err && v->barrier)
		err = v->barrier(v->ctx);
	if (!err)
		err = fat_put(v, last, clus);
	if (err)
		fat_free_chain(v, clus);
	return err;
}

int fat_dir_add(struct fat_vol *v, u32 start, const char *name, u32 len, const u8 *raw,
		struct fat_dirent *de)
{
	u8 slots[(FAT_LFN_SLOTS_MAX + 1) * FAT_DIRENT_SIZE], short_name[11];
	struct fat_lfn_state st;
	struct fat_cursor c = { 0 };
	u32 cand, need, i, run, run_start, k;
	bool need_lfn, past_end;
	int err, nl = 0;

	for (cand = 0;; cand++) {
		err = fat_short_candidate(name, len, cand, short_name, &need_lfn);
		if (err)
			return err == -ENOENT ? -EEXIST : err;
		err = short_exists(v, start, short_name);
		if (err <= 0)
			break;
	}
	if (err)
		return err;
	if (need_lfn) {
		nl = fat_lfn_build(name, len, short_name, slots);
		if (nl < 0)
			return nl;
	}
	need = (u32)nl + 1;
	memcpy(slots + nl * FAT_DIRENT_SIZE, raw, FAT_DIRENT_SIZE);
	memcpy(slots + nl * FAT_DIRENT_SIZE, short_name, 11);

again:
	/* First fit; every slot after the end marker is free too. */
	run = run_start = 0;
	past_end = false;
	for (i = 0;; i++) {
		u64 ipos;
		const u8 *p = dir_slot(v, &c, start, i, false, &err, &ipos);

		if (!p) {
			if (err != -ENOENT)
				return err;
			/* Full: grow it (the fixed root cannot), then look again. */
			if (!start || i + need > FAT_DIR_MAX_SLOTS)
				return -ENOSPC;
			err = dir_grow(v, start);
			if (err)
				return err;
			c.start = 0; /* the chain changed */
			goto again;
		}
		past_end |= !p[0];
		if (!past_end && p[0] != 0xe5) {
			run = 0;
			continue;
		}
		if (!run++)
			run_start = i;
		if (run < need)
			continue;
		if (v->ipos_busy && v->ipos_busy(v->ctx, ipos)) {
			run = 0;
			continue;
		}
		break;
	}
	for (k = 0; k < need; k++) {
		u8 *p = dir_slot(v, &c, start, run_start + k, true, &err, NULL);

		if (!p)
			return err;
		memcpy(p, slots + k * FAT_DIRENT_SIZE, FAT_DIRENT_SIZE);
	}
	/* Slots after the old end marker may hold anything: end the directory again. */
	if (past_end) {
		u8 *p = dir_slot(v, &c, start, run_start + need, false, &err, NULL);

		if (p && p[0]) {
			p = dir_slot(v, &c, start, run_start + need, true, &err, NULL);
			if (p)
				p[0] = 0;
		}
		if (!p && err != -ENOENT)
			return err;
	}
	fat_lfn_reset(&st);
	for (k = 0; k < need; k++)
		if (fat_dir_feed(&st, slots + k * FAT_DIRENT_SIZE, de) == FAT_DE_BAD)
			return -EINVAL; /* not from a checked name */
	de->first_slot = run_start;
	return dir_slot(v, &c, start, run_start + need - 1, false, &err, &de->ipos) ? 0 : err;
}

int fat_dir_remove(struct fat_vol *v, u32 start, u32 first_slot, u32 nslots)
{
	struct fat_cursor c = { 0 };
	u32 k;

	for (k = 0; k < nslots; k++) {
		int err;
		u8 *p = dir_slot(v, &c, start, first_slot + k, true, &err, NULL);

		if (!p)
			return err;
		p[0] = 0xe5;
	}
	return 0;
}

int fat_dir_init(struct fat_vol *v, u32 clus, u32 parent, const u8 *raw)
{
	u32 k;

	if (!valid_cluster(v, clus) || (parent && !valid_cluster(v, parent)))
		return -EUCLEAN;
	for (k = 0; k < v->g.sec_per_clus; k++) {
		int err = 0;
		u8 *p = v->map(v->ctx, v->g.data_sector + (u64)(clus - 2) * v->g.sec_per_clus + k,
			       true, &err);

		if (!p)
			return err ? err : -EIO;
		memset(p, 0, v->g.sector_size);
		if (k)
			continue;
		memcpy(p, raw, FAT_DIRENT_SIZE);
		memcpy(p, ".          ", 11);
		p[11] = FAT_ATTR_DIR;
		fat_dirent_set_cluster(p, clus);
		fat_put_le32(p + 28, 0);
		memcpy(p + FAT_DIRENT_SIZE, p, FAT_DIRENT_SIZE);
		memcpy(p + FAT_DIRENT_SIZE, "..         ", 11);
		fat_dirent_set_cluster(p + FAT_DIRENT_SIZE, parent);
	}
	return 0;
}

int fat_dir_set_parent(struct fat_vol *v, u32 start, u32 parent)
{
	int err;
	u8 *p = dir_slot(v, NULL, start, 1, false, &err, NULL);

	if (!p)
		return err;
	if (memcmp(p, "..         ", 11))
		return -EUCLEAN;
	p = dir_slot(v, NULL, start, 1, true, &err, NULL);
	if (!p)
		return err;
	fat_dirent_set_cluster(p, parent);
	return 0;
}

u8 *fat_map_ipos(struct fat_vol *v, u64 ipos, bool write, int *err)
{
	u32 per = v->g.sector_size / FAT_DIRENT_SIZE;
	u8 *p;

	*err = 0;
	if (ipos / per >= v->g.total_sectors) {
		*err = -EUCLEAN;
		return NULL;
	}
	p = v->map(v->ctx, ipos / per, write, err);
	if (!p)
		*err = *err ? *err : -EIO;
	return p ? p + (ipos % per) * FAT_DIRENT_SIZE : NULL;
}

int fat_check_name(const char *name, u32 *len)
{
	u32 i = 0, units = 0;

	while (*len && name[*len - 1] == '.')
		--*len;
	if (!*len)
		return -ENOENT; /* only dots: Linux's answer too */
	while (i < *len) {
		s32 cp = get_utf8(name, *len, &i);

		if (cp < 0 || bad_long_char((u32)cp))
			return -EINVAL;
		units += cp >= 0x10000 ? 2 : 1;
	}
	return units > FAT_LFN_MAX ? -ENAMETOOLONG : 0;
}

static u8 ascii_lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? (u8)(c - 'A' + 'a') : c;
}

bool fat_name_eq(const char *a, u32 alen, const char *b, u32 blen)
{
	u32 i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++)
		if (ascii_lower((u8)a[i]) != ascii_lower((u8)b[i]))
			return false;
	return true;
}

/* Short names take these besides letters and digits; [ ] ; , + = become '_'. */
static bool short_char_ok(u8 c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'()-@^_`{}~", c));
}

/*
 * Upper-cases and filters name[from..to) into out (at most max bytes,
 * spaces and dots dropped): its length. *lossy: something was dropped
 * or replaced; *truncated: more did not fit.
 */
static u32 basis_part(const char *name, u32 from, u32 to, u8 *out, u32 max, bool *lossy,
		      bool *truncated)
{
	u32 i = from, n = 0;

	while (i < to) {
		s32 cp = get_utf8(name, to, &i);
		u8 c;

		if (cp == ' ' || cp == '.') {
			*lossy = true;
			continue;
		}
		c = cp >= 0 && cp < 0x80 ? (u8)cp : 0;
		if (c >= 'a' && c <= 'z')
			c = (u8)(c - 'a' + 'A');
		if (!short_char_ok(c)) {
			*lossy = true;
			c = '_';
		}
		if (n == max) {
			*truncated = true;
			break;
		}
		out[n++] = c;
	}
	return n;
}

/* FNV-1a of the name, for the tails after ~4 (Linux uses the time instead). */
static u32 name_hash(const char *name, u32 len)
{
	u32 h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ ascii_lower((u8)name[i])) * 16777619u;
	return h ^ h >> 16;
}

int fat_short_candidate(const char *name, u32 len, u32 n, u8 out[11], bool *need_lfn)
{
	static const char hex[] = "0123456789ABCDEF";
	u8 base[8], ext[3];
	u32 start = 0, dot = len, i, blen, elen, keep, tail;
	bool lossy = false, truncated = false;
	char digits[8];
	int nd;

	while (start < len && (name[start] == '.' || name[start] == ' ')) {
		lossy = true;
		start++;
	}
	for (i = start; i < len; i++)
		if (name[i] == '.')
			dot = i;
	blen = basis_part(name, start, dot, base, 8, &lossy, &truncated);
	elen = dot < len ? basis_part(name, dot + 1, len, ext, 3, &lossy, &truncated) : 0;
	if (!blen)
		return -EINVAL;
	memset(out, ' ', 11);
	memcpy(out + 8, ext, elen);
	if (!lossy && !truncated) {
		/* A valid 8.3 name: itself, with a long name unless it is all upper case. */
		if (n)
			return -ENOENT;
		memcpy(out, base, blen);
		*need_lfn = false;
		for (i = 0; i < len; i++)
			if (name[i] >= 'a' && name[i] <= 'z')
				*need_lfn = true;
		return 0;
	}
	*need_lfn = true;
	if (n < 4) {
		tail = n + 1;
		keep = blen;
	} else if (n < 13) {
		/* Two characters, four hex digits of the name's hash, ~1..~9. */
		u32 h = name_hash(name, len);

		tail = n - 3;
		keep = blen < 2 ? blen : 2;
		for (i = 0; i < 4; i++)
			base[keep + i] = (u8)hex[(h >> (12 - 4 * i)) & 0xf];
		keep += 4;
	} else {
		return -ENOENT;
	}
	nd = 0;
	while (tail) {
		digits[nd++] = (char)('0' + tail % 10);
		tail /= 10;
	}
	if (keep > 7 - (u32)nd)
		keep = 7 - (u32)nd;
	memcpy(out, base, keep);
	out[keep] = '~';
	for (i = 0; i < (u32)nd; i++)
		out[keep + 1 + i] = (u8)digits[nd - 1 - i];
	return 0;
}

int fat_lfn_build(const char *name, u32 len, const u8 short_name[11], u8 *slots)
{
	u16 units[FAT_LFN_SLOTS_MAX * 13];
	u32 n = 0, i = 0, nslots, s, k;
	u8 csum = fat_lfn_checksum(short_name);

	while (i < len) {
		s32 cp = get_utf8(name, len, &i);

		if (cp < 0)
			return -EINVAL;
		if (n + 2 > FAT_LFN_MAX + 1)
			return -ENAMETOOLONG;
		if (cp >= 0x10000) {
			units[n++] = (u16)(0xd800 + ((cp - 0x10000) >> 10));
			units[n++] = (u16)(0xdc00 + ((cp - 0x10000) & 0x3ff));
		} else {
			units[n++] = (u16)cp;
		}
	}
	if (!n || n > FAT_LFN_MAX)
		return n ? -ENAMETOOLONG : -EINVAL;
	nslots = (n + 12) / 13;
	/* A 0 ends a name that does not fill its last slot; 0xffff pads after it. */
	for (i = n; i < nslots * 13; i++)
		units[i] = i == n ? 0 : 0xffff;
	for (s = 0; s < nslots; s++) {
		u32 seq = nslots - s; /* disk order: the last part first */
		u8 *e = slots + s * FAT_DIRENT_SIZE;

		memset(e, 0, FAT_DIRENT_SIZE);
		e[0] = (u8)(seq | (s == 0 ? 0x40 : 0));
		e[11] = FAT_ATTR_LFN;
		e[13] = csum;
		for (k = 0; k < 13; k++)
			fat_put_le16(e + lfn_unit_off[k], units[(seq - 1) * 13 + k]);
	}
	return (int)nslots;
}

void fat_dirent_set_cluster(u8 *raw, u32 cluster)
{
	fat_put_le16(raw + 20, (u16)(cluster >> 16));
	fat_put_le16(raw + 26, (u16)cluster);
}

void fat_dirent_build(u8 *raw, const u8 short_name[11], u8 attr, u32 cluster, u32 size)
{
	memset(raw, 0, FAT_DIRENT_SIZE);
	memcpy(raw, short_name, 11);
	raw[11] = attr;
	fat_dirent_set_cluster(raw, cluster);
	fat_put_le32(raw + 28, size);
}

/* Times */

#define FAT_EPOCH 315532800 /* 1980-01-01 00:00:00 UTC */
#define FAT_LAST 4354819198LL /* 2107-12-31 23:59:58 UTC */

s64 fat_time_to_unix(u16 date, u16 time, u8 cs, u32 *nsec)
{
	struct tm_utc tm = { 0 };
	int dim;

	tm.year = 1980 + (date >> 9);
	tm.mon = (date >> 5) & 0xf;
	tm.mday = date & 0x1f;
	tm.hour = time >> 11;
	tm.min = (time >> 5) & 0x3f;
	tm.sec = (time & 0x1f) * 2;
	/* Out-of-range fields of a corrupt entry are clamped, not trusted. */
	tm.mon = tm.mon < 1 ? 1 : tm.mon > 12 ? 12 : tm.mon;
	dim = days_in_month(tm.year, tm.mon);
	tm.mday = tm.mday < 1 ? 1 : tm.mday > dim ? dim : tm.mday;
	tm.hour = tm.hour > 23 ? 23 : tm.hour;
	tm.min = tm.min > 59 ? 59 : tm.min;
	tm.sec = tm.sec > 59 ? 59 : tm.sec;
	if (cs > 199)
		cs = 0;
	if (nsec)
		*nsec = (u32)(cs % 100) * 10000000u;
	return tm_to_time64(&tm) + cs / 100;
}

void fat_time_from_unix(s64 secs, u32 nsec, u16 *date, u16 *time, u8 *cs)
{
	struct tm_utc tm;

	if (secs < FAT_EPOCH) {
		secs = FAT_EPOCH;
		nsec = 0;
	} else if (secs > FAT_LAST) {
		secs = FAT_LAST;
		nsec = 0;
	}
	time64_to_tm(secs, &tm);
	*date = (u16)((tm.year - 1980) << 9 | tm.mon << 5 | tm.mday);
	*time = (u16)(tm.hour << 11 | tm.min << 5 | tm.sec / 2);
	if (cs)
		*cs = (u8)((tm.sec & 1) * 100 + nsec / 10000000u);
}
