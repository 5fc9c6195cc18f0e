/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of fs/fat/ondisk.c: images mkfs.vfat and mcopy make, written back and checked by fsck.vfat and mtype. */
#include <hartix/compiler.h> /* before any libc header, as the other tests do */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fat_img.h"
#include "htest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmpdir[] = "/tmp/test_fat.XXXXXX"; /* mkdtemp's template */

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool have_tools(void)
{
	return !run("command -v mkfs.vfat >/dev/null 2>&1 && command -v mcopy >/dev/null 2>&1 && "
		    "command -v fsck.vfat >/dev/null 2>&1");
}

/* Deterministic contents for a file: its name's bytes mixed with the offset. */
static void fill(u8 *buf, size_t n, const char *name)
{
	u32 h = 2166136261u;
	size_t i;

	for (i = 0; name[i]; i++)
		h = (h ^ (u8)name[i]) * 16777619u;
	for (i = 0; i < n; i++) {
		h = h * 1103515245u + 12345u;
		buf[i] = (u8)(h >> 16);
	}
}

static bool load(struct fat_img *im, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	im->data = malloc((size_t)n);
	im->size = (size_t)n;
	if (!im->data || fread(im->data, 1, im->size, f) != im->size) {
		fclose(f);
		return false;
	}
	fclose(f);
	return true;
}

static bool save(const struct fat_img *im, const char *path)
{
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(im->data, 1, im->size, f) == im->size;

	if (f)
		fclose(f);
	return ok;
}

struct file_spec {
	const char *path; /* in the image, '/'-separated */
	size_t size;
};

/* Long, short, mixed-case, Latin-1, BMP and astral names; empty, one-cluster and many-cluster files. */
static const struct file_spec files[] = {
	{ "README", 100 },
	{ "hello.txt", 5000 },
	{ "A long file name with spaces.txt", 70000 },
	{ "na\xc3\xafve caf\xc3\xa9.txt", 1 },
	{ "\xe2\x99\xa5 heart \xe2\x98\xba.dat", 513 }, /* mtools drops astral characters */
	{ "empty", 0 },
	{ "x.tar.gz", 4096 },
	{ "Sub Dir/inner file.bin", 3000 },
	{ "Sub Dir/deeper/leaf", 200000 },
};

static const char *const dirs[] = { "Sub Dir", "Sub Dir/deeper" };

struct image_kind {
	const char *mkfs; /* options */
	const char *size;
	enum fat_type type;
	bool mtools; /* mtools reads it: 512-byte sectors, the spec's cluster counts */
};

static const struct image_kind kinds[] = {
	{ "-F 12", "1440K", FAT12, true },
	{ "-F 16", "16M", FAT16, true },
	{ "-F 32", "40M", FAT32, true },
	{ "-F 32 -S 4096", "64M", FAT32, false },
	{ "-F 32 -s 8", "36M", FAT32, false }, /* fewer clusters than the spec's FAT32 minimum */
};

/* mkfs.vfat, then every file and directory above with mmd and mcopy. */
static bool make_image(const struct image_kind *k, const char *img)
{
	char cmd[1024], host[128];
	unsigned int i;

	snprintf(cmd, sizeof(cmd), "rm -f %s && truncate -s %s %s && mkfs.vfat %s %s >/dev/null 2>&1",
		 img, k->size, img, k->mkfs, img);
	if (run(cmd))
		return false;
	for (i = 0; k->mtools && i < ARRAY_SIZE(dirs); i++) {
		snprintf(cmd, sizeof(cmd), "mmd -i %s '::/%s'", img, dirs[i]);
		if (run(cmd))
			return false;
	}
	for (i = 0; k->mtools && i < ARRAY_SIZE(files); i++) {
		u8 *buf = malloc(files[i].size + 1);
		FILE *f;

		snprintf(host, sizeof(host), "%s/src", tmpdir);
		fill(buf, files[i].size, files[i].path);
		f = fopen(host, "wb");
		fwrite(buf, 1, files[i].size, f);
		fclose(f);
		free(buf);
		snprintf(cmd, sizeof(cmd), "mcopy -i %s %s '::/%s'", img, host, files[i].path);
		if (run(cmd))
			return false;
	}
	return true;
}

/* Follows path from the root, each component looked up in upper case (vfat ignores case). */
static int lookup_path(struct fat_img *im, const char *path, struct fat_dirent *de)
{
	char comp[256];
	u32 dir = img_root(im);
	const char *p = path;

	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p), i;
		int err;

		for (i = 0; i < n; i++)
			comp[i] = p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 32) : p[i];
		err = fat_dir_lookup(&im->v, dir, comp, (u32)n, de);
		if (err || !slash)
			return err;
		dir = de->cluster;
		p = slash + 1;
	}
}

static void check_files(struct fat_img *im, const struct file_spec *fs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct fat_dirent de;
		u8 *want = malloc(fs[i].size + 1), *got = malloc(fs[i].size + 1);
		const char *base = strrchr(fs[i].path, '/');
		u32 len;

		CHECK_EQ(lookup_path(im, fs[i].path, &de), 0);
		CHECK_STR(de.name, base ? base + 1 : fs[i].path);
		CHECK_EQ(de.size, fs[i].size);
		fill(want, fs[i].size, fs[i].path);
		CHECK_EQ(img_read_file(im, &de, got, fs[i].size), 0);
		CHECK(!memcmp(want, got, fs[i].size));
		CHECK_EQ(fat_chain_len(&im->v, de.cluster, &len), 0);
		CHECK_EQ(len, (fs[i].size + im->v.g.cluster_size - 1) / im->v.g.cluster_size);
		free(want);
		free(got);
	}
}

/* Images mkfs.vfat and mcopy made: type, names, contents, chains, free count. */
static void read_mtools_images(void)
{
	char img[128];
	unsigned int k;

	if (!have_tools()) {
		printf("# mkfs.vfat, mcopy or fsck.vfat missing (dosfstools, mtools): skipped\n");
		return;
	}
	snprintf(img, sizeof(img), "%s/read.img", tmpdir);
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct fat_img im = { 0 };
		struct fat_dirent de;
		struct img_walk w = { .budget = 1000 };
		const char *why;
		u32 fsinfo_free, hint;

		printf("# mkfs.vfat %s, %s\n", kinds[k].mkfs, kinds[k].size);
		CHECK(make_image(&kinds[k], img));
		CHECK(load(&im, img));
		CHECK_EQ(img_mount(&im, &why), 0);
		CHECK_EQ(im.v.g.type, kinds[k].type);
		if (!kinds[k].mtools) {
			free(im.data);
			continue;
		}
		check_files(&im, files, ARRAY_SIZE(files));
		/* The short name finds it too, and a missing name is -ENOENT. */
		CHECK_EQ(fat_dir_lookup(&im.v, img_root(&im), "ALONGF~1.TXT", 12, &de), 0);
		CHECK_STR(de.name, "A long file name with spaces.txt");
		CHECK_EQ(fat_dir_lookup(&im.v, img_root(&im), "nothing", 7, &de), -ENOENT);
		img_walk_dir(&im, img_root(&im), 8, &w);
		CHECK_EQ(w.errors, 0);
		CHECK_EQ(w.entries, ARRAY_SIZE(files) + ARRAY_SIZE(dirs) + 4); /* 2 dirs' dots */
		/* mtools keeps FSInfo's free count: ours must agree. */
		CHECK_EQ(fat_count_free(&im.v), 0);
		if (im.v.g.fsinfo_sector &&
		    !fat_fsinfo_read(im.data + im.v.g.fsinfo_sector * im.v.g.sector_size,
				     &fsinfo_free, &hint))
			CHECK_EQ(im.v.free_count, fsinfo_free);
		free(im.data);
	}
}

/* Writes FSInfo (if any) and the clean bit, as umount does. */
static void img_umount(struct fat_img *im)
{
	if (im->v.g.fsinfo_sector)
		fat_fsinfo_write(im->data + im->v.g.fsinfo_sector * im->v.g.sector_size,
				 im->v.free_count, im->v.next_free);
	CHECK_EQ(fat_set_clean(&im->v, true), 0);
}

/* A file of size bytes called name in dir, its data written cluster by cluster. */
static int img_create(struct fat_img *im, u32 dir, const char *name, size_t size, u8 attr,
		      struct fat_dirent *de)
{
	u8 raw[FAT_DIRENT_SIZE], *buf = malloc(size + 1);
	u32 first = 0, prev = 0, clus, len = (u32)strlen(name);
	size_t off;
	int err = fat_check_name(name, &len);

	fill(buf, size, name);
	for (off = 0; !err && off < size; off += im->v.g.cluster_size) {
		size_t n = size - off < im->v.g.cluster_size ? size - off : im->v.g.cluster_size;
		u64 sector;

		err = fat_alloc(&im->v, prev, &clus);
		if (err)
			break;
		first = first ? first : clus;
		prev = clus;
		sector = im->v.g.data_sector + (u64)(clus - 2) * im->v.g.sec_per_clus;
		memcpy(im->data + sector * im->v.g.sector_size, buf + off, n);
	}
	free(buf);
	if (err)
		return err;
	if (attr & FAT_ATTR_DIR) {
		CHECK_EQ(fat_alloc(&im->v, 0, &first), 0);
	}
	fat_dirent_build(raw, (const u8 *)"           ", attr, first, attr & FAT_ATTR_DIR ? 0 : (u32)size);
	fat_time_from_unix(1700000000, 0, (u16 *)&raw[24], (u16 *)&raw[22], NULL);
	err = fat_dir_add(&im->v, dir, name, len, raw, de);
	if (!err && (attr & FAT_ATTR_DIR))
		err = fat_dir_init(&im->v, first, dir == img_root(im) ? 0 : dir, raw);
	return err;
}

static bool mtype_equals(const char *img, const char *path, const char *name, size_t size)
{
	char cmd[1024], out[128];
	u8 *want = malloc(size + 1), *got = malloc(size + 1);
	FILE *f;
	bool ok;

	snprintf(out, sizeof(out), "%s/out", tmpdir);
	snprintf(cmd, sizeof(cmd), "mcopy -n -o -i %s '::/%s' %s", img, path, out);
	ok = !run(cmd);
	fill(want, size, name);
	f = fopen(out, "rb");
	ok = ok && f && fread(got, 1, size + 1, f) == size && !memcmp(want, got, size);
	if (f)
		fclose(f);
	free(want);
	free(got);
	return ok;
}

/*
 * Creates, removes and renames entries with the on-disk layer alone, as
 * the kernel does, then asks fsck.vfat -n and mtools what they see.
 */
static void write_then_fsck(void)
{
	char img[128], cmd[1024], name[64];
	unsigned int k, i;

	if (!have_tools())
		return;
	snprintf(img, sizeof(img), "%s/write.img", tmpdir);
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct fat_img im = { 0 };
		struct fat_dirent de, sub, old;
		const char *why;
		bool clean;
		u32 root, before;

		printf("# write: mkfs.vfat %s, %s\n", kinds[k].mkfs, kinds[k].size);
		CHECK(make_image(&kinds[k], img));
		CHECK(load(&im, img));
		CHECK_EQ(img_mount(&im, &why), 0);
		root = img_root(&im);
		CHECK_EQ(fat_is_clean(&im.v, &clean), 0);
		CHECK(clean);
		CHECK_EQ(fat_set_clean(&im.v, false), 0);

		CHECK_EQ(img_create(&im, root, "Hartix wrote this.txt", 12345, FAT_ATTR_ARCH, &de), 0);
		CHECK_STR(de.name, "Hartix wrote this.txt");
		CHECK_EQ(img_create(&im, root, "UPPER.TXT", 10, FAT_ATTR_ARCH, &de), 0);
		CHECK_EQ(de.nslots, 1); /* an upper-case 8.3 name needs no long name */
		CHECK_EQ(img_create(&im, root, "new dir", 0, FAT_ATTR_DIR, &sub), 0);
		/* Enough similar names to use every ~n tail and grow the directory. */
		for (i = 0; i < 60; i++) {
			snprintf(name, sizeof(name), "Report number %u.txt", i);
			CHECK_EQ(img_create(&im, sub.cluster, name, i * 37, FAT_ATTR_ARCH, &de), 0);
		}
		CHECK_EQ(img_create(&im, sub.cluster, "report NUMBER 7.TXT", 1, 0, &de), 0);
		CHECK_EQ(fat_dir_lookup(&im.v, sub.cluster, "REPORT NUMBER 7.txt", 19, &de), 0);
		CHECK_EQ(de.size, 7 * 37); /* the first one of that name (the VFS refuses doubles) */
		CHECK_EQ(img_create(&im, root, "\xf0\x9f\x98\x80 astral", 1, 0, &de), 0);
		CHECK_EQ(fat_dir_lookup(&im.v, root, "\xf0\x9f\x98\x80 ASTRAL", 11, &de), 0);
		if (!kinds[k].mtools)
			goto umount;
		/* Unlink a file mcopy wrote: its entry and chain. */
		CHECK_EQ(fat_dir_lookup(&im.v, root, "x.tar.gz", 8, &old), 0);
		CHECK_EQ(fat_dir_remove(&im.v, root, old.first_slot, old.nslots), 0);
		CHECK_EQ(fat_free_chain(&im.v, old.cluster), 0);
		CHECK_EQ(fat_dir_lookup(&im.v, root, "x.tar.gz", 8, &old), -ENOENT);
		/* Rename a directory into another: a new entry, the old one gone, ".." moved. */
		CHECK_EQ(lookup_path(&im, "Sub Dir/deeper", &old), 0);
		{
			u8 raw[FAT_DIRENT_SIZE];
			struct fat_dirent moved, parent;
			u32 len = 9;

			CHECK_EQ(lookup_path(&im, "Sub Dir", &parent), 0);
			memcpy(raw, im.data + old.ipos * FAT_DIRENT_SIZE, FAT_DIRENT_SIZE);
			CHECK_EQ(fat_check_name("moved dir", &len), 0);
			CHECK_EQ(fat_dir_add(&im.v, sub.cluster, "moved dir", len, raw, &moved), 0);
			CHECK_EQ(fat_dir_remove(&im.v, parent.cluster, old.first_slot, old.nslots), 0);
			CHECK_EQ(fat_dir_set_parent(&im.v, old.cluster, sub.cluster), 0);
			CHECK_EQ(fat_dir_empty(&im.v, parent.cluster), 0); /* "inner file.bin" */
			CHECK_EQ(fat_dir_empty(&im.v, moved.cluster), 0);
		}
umount:
		before = im.v.free_count;
		img_umount(&im);
		CHECK(save(&im, img));
		snprintf(cmd, sizeof(cmd), "fsck.vfat -n %s >%s/fsck.log 2>&1 || cat %s/fsck.log", img,
			 tmpdir, tmpdir);
		CHECK_EQ(run(cmd), 0);
		snprintf(cmd, sizeof(cmd), "fsck.vfat -n %s >/dev/null 2>&1", img);
		CHECK_EQ(run(cmd), 0);
		if (!kinds[k].mtools)
			goto dirty;
		CHECK(mtype_equals(img, "Hartix wrote this.txt", "Hartix wrote this.txt", 12345));
		CHECK(mtype_equals(img, "new dir/Report number 59.txt", "Report number 59.txt", 59 * 37));
		CHECK(mtype_equals(img, "new dir/moved dir/leaf", "Sub Dir/deeper/leaf", 200000));
		snprintf(cmd, sizeof(cmd), "mdir -i %s -b '::/new dir' | grep -ci 'Report number' | grep -qx 61",
			 img);
		CHECK_EQ(run(cmd), 0);
dirty:
		/* The dirty bit is where fsck.vfat looks for it. */
		if (im.v.g.type != FAT12) {
			CHECK_EQ(fat_set_clean(&im.v, false), 0);
			CHECK(save(&im, img));
			snprintf(cmd, sizeof(cmd), "fsck.vfat -n %s 2>&1 | grep -q 'Dirty bit'", img);
			CHECK_EQ(run(cmd), 0);
		}
		/* The free count we kept is the one a fresh count finds. */
		CHECK_EQ(fat_count_free(&im.v), 0);
		CHECK_EQ(im.v.free_count, before);
		free(im.data);
	}
}

/* A full volume: ENOSPC, and the fixed root's limit. */
static void full_volume(void)
{
	char img[128];
	struct fat_img im = { 0 };
	struct fat_dirent de;
	const char *why;
	int err = 0, i;
	char name[32];

	if (!have_tools())
		return;
	snprintf(img, sizeof(img), "%s/full.img", tmpdir);
	CHECK(!run("true"));
	{
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), "rm -f %s && truncate -s 200K %s && mkfs.vfat -F 12 -r 16 %s >/dev/null 2>&1",
			 img, img, img);
		CHECK_EQ(run(cmd), 0);
	}
	CHECK(load(&im, img));
	CHECK_EQ(img_mount(&im, &why), 0);
	for (i = 0; i < 100 && !err; i++) {
		snprintf(name, sizeof(name), "F%d", i);
		err = img_create(&im, 0, name, 0, 0, &de);
	}
	CHECK_EQ(err, -ENOSPC);
	CHECK_EQ(i, 17); /* 16 root slots */
	err = img_create(&im, 0, "big", 400000, 0, &de);
	CHECK_EQ(err, -ENOSPC);
	free(im.data);
}

/* Hand-made FAT16 volume in memory for the corrupt cases. */
static void make_fat16(struct fat_img *im)
{
	u8 *b;

	im->size = 8u << 20;
	im->data = calloc(1, im->size);
	b = im->data;
	b[0] = 0xeb;
	fat_put_le16(b + 11, 512);
	b[13] = 4;
	fat_put_le16(b + 14, 1);
	b[16] = 2;
	fat_put_le16(b + 17, 512);
	fat_put_le16(b + 19, 16384);
	b[21] = 0xf8;
	fat_put_le16(b + 22, 64);
	b[510] = 0x55;
	b[511] = 0xaa;
}

static void boot_sector_checks(void)
{
	struct fat_img im = { 0 };
	struct fat_geom g;
	const char *why;
	u8 *b;

	make_fat16(&im);
	b = im.data;
	CHECK_EQ(img_mount(&im, &why), 0);
	CHECK_EQ(im.v.g.type, FAT12); /* 4085 > (16384 - 161) / 4 clusters */
	b[13] = 1;
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), 0);
	CHECK_EQ(g.type, FAT16);
	CHECK_EQ(g.nr_clusters, 16384 - 1 - 2 * 64 - 32);
	fat_put_le16(b + 11, 256);
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), -EINVAL);
	fat_put_le16(b + 11, 8192);
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), -EINVAL);
	fat_put_le16(b + 11, 512);
	b[13] = 3;
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), -EINVAL);
	b[13] = 1;
	b[21] = 0x12;
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), -EINVAL);
	b[21] = 0xf8;
	b[16] = 0;
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), -EINVAL);
	b[16] = 2;
	fat_put_le16(b + 17, 10); /* 320 bytes of root: not whole sectors */
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), -EUCLEAN);
	fat_put_le16(b + 17, 512);
	CHECK_EQ(fat_parse_boot(b, 4u << 20, &g, &why), -EUCLEAN); /* larger than its device */
	fat_put_le16(b + 22, 2); /* too small a FAT: clusters without entries are not used */
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), 0);
	CHECK_EQ(g.nr_clusters, 2 * 512 / 2 - 2);
	/* FAT32 layout: a bad root cluster, a missing active FAT, a fixed root. */
	fat_put_le16(b + 22, 0);
	fat_put_le32(b + 36, 128);
	fat_put_le16(b + 17, 0);
	fat_put_le32(b + 44, 2);
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), 0);
	CHECK_EQ(g.type, FAT32);
	fat_put_le32(b + 44, 0x0fffffff);
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), -EUCLEAN);
	fat_put_le32(b + 44, 2);
	fat_put_le16(b + 40, 0x80 | 5);
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), -EUCLEAN);
	fat_put_le16(b + 40, 0x80 | 1);
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), 0);
	CHECK(!g.mirror && g.active_fat == 1);
	fat_put_le16(b + 17, 16);
	CHECK_EQ(fat_parse_boot(b, im.size, &g, &why), -EUCLEAN);
	free(im.data);
}

static void corrupt_chains(void)
{
	struct fat_img im = { 0 };
	const char *why;
	u32 len, clus;

	make_fat16(&im);
	im.data[13] = 1;
	CHECK_EQ(img_mount(&im, &why), 0);
	/* 2 -> 3 -> 4 -> 2: a loop. */
	CHECK_EQ(fat_put(&im.v, 2, 3), 0);
	CHECK_EQ(fat_put(&im.v, 3, 4), 0);
	CHECK_EQ(fat_put(&im.v, 4, 2), 0);
	CHECK_EQ(fat_chain_len(&im.v, 2, &len), -EUCLEAN);
	CHECK_EQ(fat_walk(&im.v, 2, 5, &clus), 0);
	CHECK_EQ(clus, 4);
	CHECK_EQ(fat_walk(&im.v, 2, 0xffffffff, &clus), -EUCLEAN);
	CHECK_EQ(fat_free_chain(&im.v, 2), -EUCLEAN); /* stops where it freed already */
	/* Into a free cluster, past the last one, a bad cluster. */
	CHECK_EQ(fat_put(&im.v, 10, 11), 0);
	CHECK_EQ(fat_chain_len(&im.v, 10, &len), -EUCLEAN);
	CHECK_EQ(fat_put(&im.v, 11, im.v.g.nr_clusters + 1), 0);
	CHECK_EQ(fat_put(&im.v, im.v.g.nr_clusters + 1, FAT_EOC), 0);
	CHECK_EQ(fat_chain_len(&im.v, 10, &len), 0);
	CHECK_EQ(len, 3);
	/* Both FATs are written. */
	CHECK(!memcmp(im.data + 512, im.data + 512 + 64 * 512, 64 * 512));
	fat_put_le16(im.data + 512 + 2 * 11, 0xfff7);
	CHECK_EQ(fat_chain_len(&im.v, 10, &len), -EUCLEAN);
	CHECK_EQ(fat_put(&im.v, 11, im.v.g.nr_clusters + 2), -EUCLEAN);
	CHECK_EQ(fat_chain_len(&im.v, im.v.g.nr_clusters + 2, &len), -EUCLEAN);
	free(im.data);
}

/* One long-name slot (seq, with 0x40 on the first) holding units from name. */
static void lfn_slot(u8 *e, u8 seq, u8 csum, const u16 *units)
{
	static const u8 off[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
	int i;

	memset(e, 0, 32);
	e[0] = seq;
	e[11] = FAT_ATTR_LFN;
	e[13] = csum;
	for (i = 0; i < 13; i++)
		fat_put_le16(e + off[i], units[i]);
}

/* Feeds n slots; the kind of the last. */
static enum fat_de_kind feed(const u8 *slots, int n, struct fat_dirent *de)
{
	struct fat_lfn_state st;
	enum fat_de_kind kind = FAT_DE_NONE;
	int i;

	fat_lfn_reset(&st);
	for (i = 0; i < n; i++)
		kind = fat_dir_feed(&st, slots + 32 * i, de);
	return kind;
}

static void long_names(void)
{
	static const u16 part1[13] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm' };
	static const u16 part2[13] = { 'n', 0xd83d, 0xde00, 0, 0xffff, 0xffff, 0xffff, 0xffff,
				       0xffff, 0xffff, 0xffff, 0xffff, 0xffff };
	static const u16 slash[13] = { 'a', '/', 'b', 0, 0xffff, 0xffff, 0xffff, 0xffff,
				       0xffff, 0xffff, 0xffff, 0xffff, 0xffff };
	static const u16 lone[13] = { 'a', 0xdc00, 0, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
				      0xffff, 0xffff, 0xffff, 0xffff, 0xffff };
	const u8 *sn = (const u8 *)"ABCDEF~1   ";
	u8 csum = fat_lfn_checksum(sn), s[4 * 32];
	struct fat_dirent de;

	lfn_slot(s, 0x42, csum, part2);
	lfn_slot(s + 32, 1, csum, part1);
	fat_dirent_build(s + 64, sn, 0, 5, 7);
	CHECK_EQ(feed(s, 3, &de), FAT_DE_ENTRY);
	CHECK_STR(de.name, "abcdefghijklmn\xf0\x9f\x98\x80");
	CHECK_EQ(de.nslots, 3);
	CHECK_STR(de.sname, "ABCDEF~1");
	/* A wrong checksum, a missing slot, slots out of order: the short name. */
	s[32 + 13] ^= 1;
	CHECK_EQ(feed(s, 3, &de), FAT_DE_ENTRY);
	CHECK_STR(de.name, "ABCDEF~1");
	CHECK_EQ(de.nslots, 1);
	s[32 + 13] ^= 1;
	CHECK_EQ(feed(s + 32, 2, &de), FAT_DE_ENTRY);
	CHECK_STR(de.name, "ABCDEF~1");
	lfn_slot(s, 0x42, csum, part1);
	lfn_slot(s + 32, 2, csum, part2);
	CHECK_EQ(feed(s, 3, &de), FAT_DE_ENTRY);
	CHECK_STR(de.name, "ABCDEF~1");
	/* A slot numbered 0 after slot 1 (its units would go before the buffer). */
	lfn_slot(s, 0x41, csum, part1);
	lfn_slot(s + 32, 0, csum, part1);
	fat_dirent_build(s + 64, sn, 0, 5, 7);
	CHECK_EQ(feed(s, 3, &de), FAT_DE_ENTRY);
	CHECK_STR(de.name, "ABCDEF~1");
	/* '/' and a lone surrogate cannot be names here. */
	lfn_slot(s + 32, 0x41, csum, slash);
	CHECK_EQ(feed(s + 32, 2, &de), FAT_DE_ENTRY);
	CHECK_STR(de.name, "ABCDEF~1");
	lfn_slot(s + 32, 0x41, csum, lone);
	CHECK_EQ(feed(s + 32, 2, &de), FAT_DE_ENTRY);
	CHECK_STR(de.name, "ABCDEF~1");
	/* NT case flags, 0x05 for 0xe5, and short names that are none. */
	fat_dirent_build(s, (const u8 *)"README  TXT", 0, 0, 0);
	s[12] = FAT_CASE_LOWER_EXT;
	CHECK_EQ(feed(s, 1, &de), FAT_DE_ENTRY);
	CHECK_STR(de.name, "README.txt");
	fat_dirent_build(s, (const u8 *)"\x05X         ", 0, 0, 0);
	CHECK_EQ(feed(s, 1, &de), FAT_DE_ENTRY);
	CHECK_STR(de.name, "\xc3\xa5X");
	fat_dirent_build(s, (const u8 *)"A/B        ", 0, 0, 0);
	CHECK_EQ(feed(s, 1, &de), FAT_DE_BAD);
	fat_dirent_build(s, (const u8 *)"        TXT", 0, 0, 0);
	CHECK_EQ(feed(s, 1, &de), FAT_DE_BAD);
	/* End, free, volume label. */
	s[0] = 0;
	CHECK_EQ(feed(s, 1, &de), FAT_DE_END);
	s[0] = 0xe5;
	CHECK_EQ(feed(s, 1, &de), FAT_DE_NONE);
	fat_dirent_build(s, (const u8 *)"LABEL      ", FAT_ATTR_VOLUME, 0, 0);
	CHECK_EQ(feed(s, 1, &de), FAT_DE_NONE);
}

static void check_short(const char *name, u32 n, const char *want, bool lfn)
{
	u8 out[11];
	bool need_lfn = !lfn;
	u32 len = (u32)strlen(name);

	CHECK_EQ(fat_check_name(name, &len), 0);
	CHECK_EQ(fat_short_candidate(name, len, n, out, &need_lfn), 0);
	if (memcmp(out, want, 11))
		printf("#   %s (%u): \"%.11s\", expected \"%s\"\n", name, n, (const char *)out, want);
	CHECK(!memcmp(out, want, 11));
	CHECK_EQ(need_lfn, lfn);
}

static void short_names_and_checks(void)
{
	u8 out[11], slots[21 * 32];
	bool lfn;
	char big[300];
	u32 len;

	check_short("README", 0, "README     ", false);
	check_short("HELLO.TXT", 0, "HELLO   TXT", false);
	check_short("hello.txt", 0, "HELLO   TXT", true);
	check_short("foo.tar.gz", 0, "FOOTAR~1GZ ", true);
	check_short("foo.tar.gz", 3, "FOOTAR~4GZ ", true);
	check_short(".bashrc", 0, "BASHRC~1   ", true);
	check_short("A long file name.txt", 1, "ALONGF~2TXT", true);
	check_short("x+y[1].c", 0, "X_Y_1_~1C  ", true);
	check_short("na\xc3\xafve", 0, "NA_VE~1    ", true);
	check_short("abc.defg", 0, "ABC~1   DEF", true);
	/* After ~4: two letters, a hash, ~1..~9; then none. */
	CHECK_EQ(fat_short_candidate("A long file name.txt", 20, 4, out, &lfn), 0);
	CHECK(!memcmp(out, "AL", 2) && !memcmp(out + 6, "~1TXT", 5));
	CHECK_EQ(fat_short_candidate("A long file name.txt", 20, 13, out, &lfn), -ENOENT);
	CHECK_EQ(fat_short_candidate("HELLO.TXT", 9, 1, out, &lfn), -ENOENT);
	/* Linux vfat's name rules. */
	len = 7;
	CHECK_EQ(fat_check_name("foo....", &len), 0);
	CHECK_EQ(len, 3);
	len = 3;
	CHECK_EQ(fat_check_name("...", &len), -ENOENT);
	len = 3;
	CHECK_EQ(fat_check_name("a:b", &len), -EINVAL);
	len = 3;
	CHECK_EQ(fat_check_name("a\\b", &len), -EINVAL);
	len = 2;
	CHECK_EQ(fat_check_name("\xc3(", &len), -EINVAL);
	len = 3;
	CHECK_EQ(fat_check_name("\xed\xa0\x80", &len), -EINVAL); /* a surrogate in UTF-8 */
	memset(big, 'a', sizeof(big));
	len = 255;
	CHECK_EQ(fat_check_name(big, &len), 0);
	CHECK_EQ(fat_lfn_build(big, 255, (const u8 *)"AAAAAA~1   ", slots), 20);
	len = 256;
	CHECK_EQ(fat_check_name(big, &len), -ENAMETOOLONG);
	CHECK(fat_name_eq("Hello.TXT", 9, "hELLO.txt", 9));
	CHECK(!fat_name_eq("\xc3\xa9", 2, "\xc3\x89", 2)); /* ASCII only, as Linux's utf8 vfat */
}

static void times(void)
{
	u16 date, time;
	u8 cs;
	u32 ns;

	fat_time_from_unix(1700000001, 500000000, &date, &time, &cs);
	CHECK_EQ(fat_time_to_unix(date, time, cs, &ns), 1700000001);
	CHECK_EQ(ns, 500000000);
	CHECK_EQ(fat_time_to_unix(date, time, 0, NULL), 1700000000); /* 2 s resolution */
	fat_time_from_unix(0, 0, &date, &time, NULL);
	CHECK_EQ(fat_time_to_unix(date, time, 0, NULL), 315532800); /* 1980 at the earliest */
	fat_time_from_unix(1LL << 40, 0, &date, &time, NULL);
	CHECK_EQ(fat_time_to_unix(date, time, 0, NULL), 4354819198LL);
	/* Month 0, day 31 of February, hour 31: clamped. */
	CHECK_EQ(fat_time_to_unix((u16)(44 << 9 | 2 << 5 | 31), 31 << 11, 0, NULL), 1709247600);
	CHECK_EQ(fat_time_to_unix(44 << 9, 0, 0, NULL), 1704067200);
}

/* Mutated images through the fuzz target: no sanitizer report, no abort. */
static void mutated_images(void)
{
	char img[128];
	struct fat_img im = { 0 };
	int round, i;

	if (!have_tools())
		return;
	snprintf(img, sizeof(img), "%s/fuzz.img", tmpdir);
	CHECK(make_image(&kinds[0], img));
	CHECK(load(&im, img));
	srand(4242);
	for (round = 0; round < 300; round++) {
		u8 *copy = malloc(im.size);

		memcpy(copy, im.data, im.size);
		for (i = 0; i < 40; i++) {
			/* Mostly the metadata at the start: boot sector, FATs, root. */
			size_t off = (size_t)rand() % (i & 1 ? im.size : 40 * 512);

			copy[off] = (u8)rand();
		}
		LLVMFuzzerTestOneInput(copy, im.size);
		free(copy);
	}
	free(im.data);
}

/* The order of writes and barriers one directory growth makes (dir_growth_order). */
static struct {
	u64 sector[4096];
	u32 n;
	u32 barrier_at; /* log length at the last barrier */
	u32 barriers;
} wlog;

static u8 *log_map(void *ctx, u64 sector, bool write, int *err)
{
	if (write && wlog.n < ARRAY_SIZE(wlog.sector))
		wlog.sector[wlog.n++] = sector;
	return img_map(ctx, sector, write, err);
}

static int log_barrier(void *ctx)
{
	(void)ctx;
	wlog.barrier_at = wlog.n;
	wlog.barriers++;
	return 0;
}

/* The first (or last) position in the log at which sector was mapped for writing, or -1. */
static int write_at(u64 sector, bool last)
{
	int i, found = -1;

	for (i = 0; i < (int)wlog.n; i++)
		if (wlog.sector[i] == sector && (found < 0 || last))
			found = i;
	return found;
}

/* The sector of the active FAT that holds clus's entry (FAT32: four bytes each). */
static u64 fat32_entry_sector(const struct fat_img *im, u32 clus)
{
	return im->v.g.reserved + (u64)im->v.g.active_fat * im->v.g.fat_sectors +
	       (u64)clus * 4 / im->v.g.sector_size;
}

/*
 * A power cut while a directory grows must not leave the old cluster
 * linked to a free or unwritten one (the whole directory would become
 * unreadable): the new cluster and its end-of-chain mark go out before
 * a barrier, the link after it.
 */
static void dir_growth_order(void)
{
	char img[128], name[64];
	struct fat_img im = { 0 };
	struct fat_dirent sub, de;
	const char *why;
	u32 len = 1, i, first, grown, k;

	if (!have_tools())
		return;
	snprintf(img, sizeof(img), "%s/grow.img", tmpdir);
	CHECK(make_image(&kinds[2], img));
	CHECK(load(&im, img));
	CHECK_EQ(img_mount(&im, &why), 0);
	CHECK_EQ(img_create(&im, img_root(&im), "growing dir", 0, FAT_ATTR_DIR, &sub), 0);
	im.v.map = log_map;
	im.v.barrier = log_barrier;
	for (i = 0; len == 1 && i < 10000; i++) {
		wlog.n = wlog.barriers = wlog.barrier_at = 0;
		snprintf(name, sizeof(name), "a long file name number %u", i);
		CHECK_EQ(img_create(&im, sub.cluster, name, 0, FAT_ATTR_ARCH, &de), 0);
		CHECK_EQ(fat_chain_len(&im.v, sub.cluster, &len), 0);
	}
	CHECK_EQ(len, 2);
	CHECK_EQ(fat_walk(&im.v, sub.cluster, 0, &first), 0);
	CHECK_EQ(fat_walk(&im.v, sub.cluster, 1, &grown), 0);
	CHECK(wlog.barriers >= 1);
	/* Zeroed and marked as a chain's end before the barrier, linked after it. */
	for (k = 0; k < im.v.g.sec_per_clus; k++) {
		int at = write_at(im.v.g.data_sector + (u64)(grown - 2) * im.v.g.sec_per_clus + k,
				  false);

		CHECK(at >= 0 && at < (int)wlog.barrier_at);
	}
	CHECK(write_at(fat32_entry_sector(&im, grown), false) < (int)wlog.barrier_at);
	CHECK(write_at(fat32_entry_sector(&im, first), true) >= (int)wlog.barrier_at);
	free(im.data);
}

int main(void)
{
	char cmd[600];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	HTEST_RUN(boot_sector_checks);
	HTEST_RUN(corrupt_chains);
	HTEST_RUN(long_names);
	HTEST_RUN(short_names_and_checks);
	HTEST_RUN(times);
	HTEST_RUN(read_mtools_images);
	HTEST_RUN(write_then_fsck);
	HTEST_RUN(dir_growth_order);
	HTEST_RUN(full_volume);
	HTEST_RUN(mutated_images);
	if (!getenv("KEEP_TMP"))
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	else
		snprintf(cmd, sizeof(cmd), "echo kept %s", tmpdir);
	run(cmd);
	return htest_done();
}
