/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of fs/ext2/disk.c: images mkfs.ext2 -d makes at test time, corrupt and randomly mutated ones. */
#include <hartix/compiler.h> /* before any libc header, as the other tests do */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hartix/errno.h>

#include "ext2_img.h"
#include "htest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/test_ext2.XXXXXX";
static char tree[600];
static bool have_mkfs;

static int run(const char *cmd)
{
	int rc = system(cmd);

	if (rc)
		printf("# '%s' failed: %d\n", cmd, rc);
	return rc;
}

static u8 *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The source tree: small and medium files, a sparse one reaching the triple-indirect range, links. */
static void make_tree(void)
{
	char cmd[4096];

	snprintf(tree, sizeof(tree), "%s/tree", dir);
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd %s; mkdir -p tree/sub/deep tree/many; cd tree; echo hello > a.txt; : > empty;"
		 "head -c 300000 /dev/urandom > sub/big; head -c 5000 /dev/urandom > sub/deep/mid;"
		 "truncate -s 80M sparse; printf END | dd of=sparse bs=1 seek=83886077 conv=notrunc 2>/dev/null;"
		 "ln -s a.txt fast; ln -s %0100d slow; mkfifo fifo;"
		 "for i in $(seq 1 150); do echo $i > many/file-with-a-longish-name-$i; done",
		 dir, 0);
	have_mkfs = !run("command -v mkfs.ext2 >/dev/null") && !run(cmd);
}

static u8 *mkfs(int block_size, const char *extra, size_t *len)
{
	char cmd[2048], img[700];

	snprintf(img, sizeof(img), "%s/b%d.img", dir, block_size);
	snprintf(cmd, sizeof(cmd), "rm -f %s; mkfs.ext2 -q -F -b %d %s -d %s %s 8M >/dev/null", img,
		 block_size, extra, tree, img);
	if (run(cmd))
		return NULL;
	return slurp(img, len);
}

struct seen {
	int files, dirs, links, fifos, mismatches;
};

struct walk_ctx {
	struct seen s;
	struct ext2_img img;
};

/* Each file of the image equals the host file it was made from. */
static void compare(void *ctx, const char *path, u32 ino, const struct ext2_inode *raw)
{
	struct walk_ctx *c = ctx;
	struct seen *s = &c->s;
	struct ext2_img *img = &c->img;
	char host[1024], target[256];
	size_t len;
	u8 *want, *got;
	struct stat st;

	(void)ino;
	if (!strcmp(path, "/lost+found")) {
		s->dirs++;
		return;
	}
	snprintf(host, sizeof(host), "%s%s", tree, path);
	if (lstat(host, &st) || (st.st_mode & S_IFMT) != (raw->i_mode & S_IFMT) ||
	    (!S_ISDIR(st.st_mode) && ext2_inode_size(&img->g, raw) != (u64)st.st_size)) {
		printf("#   %s: type or size differs\n", path);
		s->mismatches++;
		return;
	}
	if (S_ISDIR(raw->i_mode)) {
		s->dirs++;
	} else if (S_ISFIFO(raw->i_mode)) {
		s->fifos++;
	} else if (S_ISLNK(raw->i_mode)) {
		ssize_t n = readlink(host, target, sizeof(target));

		s->links++;
		if (ext2_fast_symlink(&img->g, raw))
			got = (u8 *)raw->i_block;
		else if (!(got = malloc(st.st_size)) ||
			 ext2_img_read(img, raw, 0, got, (u32)st.st_size) != st.st_size)
			s->mismatches++;
		if (n != st.st_size || memcmp(got, target, (size_t)n))
			s->mismatches++;
		if (got != (u8 *)raw->i_block)
			free(got);
	} else if (st.st_size < (1 << 20)) {
		s->files++;
		want = slurp(host, &len);
		got = malloc(len + 1);
		if (!want || !got || ext2_img_read(img, raw, 0, got, (u32)len) != (long)len ||
		    memcmp(want, got, len)) {
			printf("#   %s: contents differ\n", path);
			s->mismatches++;
		}
		free(want);
		free(got);
	} else {
		/* The sparse file: zeroes, then its last three bytes past the triple-indirect boundary. */
		u8 buf[4096];

		s->files++;
		if (ext2_img_read(img, raw, 40 << 20, buf, sizeof(buf)) != sizeof(buf) || buf[0] ||
		    memcmp(buf, buf + 1, sizeof(buf) - 1) ||
		    ext2_img_read(img, raw, st.st_size - 3, buf, 10) != 3 || memcmp(buf, "END", 3))
			s->mismatches++;
	}
}

static void walk_block_size(int bs)
{
	struct walk_ctx c = { 0 };
	size_t len;
	u8 *data;
	int budget = 1000, err;
	u32 group, ino;

	if (!have_mkfs) {
		printf("# mkfs.ext2 missing: skipped\n");
		return;
	}
	data = mkfs(bs, "", &len);
	CHECK(data != NULL);
	if (!data)
		return;
	err = ext2_img_open(&c.img, data, len);
	CHECK_EQ(err, 0);
	if (err)
		goto out;
	CHECK_EQ(c.img.g.block_size, bs);
	CHECK(!c.img.g.force_ro);
	CHECK(c.img.g.filetype && c.img.g.sparse_super && c.img.g.large_file);
	for (group = 0; group < c.img.g.groups; group++)
		CHECK_EQ(ext2_img_check_bitmaps(&c.img, group), 0);
	CHECK_EQ(ext2_img_walk(&c.img, EXT2_ROOT_INO, "", 8, &budget, compare, &c), 0);
	CHECK_EQ(c.s.mismatches, 0);
	CHECK_EQ(c.s.files, 155);
	CHECK_EQ(c.s.dirs, 4); /* lost+found too */
	CHECK_EQ(c.s.links, 2);
	CHECK_EQ(c.s.fifos, 1);
	CHECK_EQ(ext2_img_lookup(&c.img, EXT2_ROOT_INO, "sub", &ino), 0);
	CHECK_EQ(ext2_img_lookup(&c.img, ino, "big", &ino), 0);
	CHECK_EQ(ext2_img_lookup(&c.img, EXT2_ROOT_INO, "nothere", &ino), -ENOENT);
	CHECK_EQ(ext2_img_lookup(&c.img, 12, "x", &ino), -ENOTDIR); /* 12 is a.txt */
	/* Every mutation of a good image is survived (ASan and UBSan watch). */
	LLVMFuzzerTestOneInput(data, len);
out:
	free(data);
}

static void mkfs_1k(void) { walk_block_size(1024); }
static void mkfs_2k(void) { walk_block_size(2048); }
static void mkfs_4k(void) { walk_block_size(4096); }

static void block_path(void)
{
	struct ext2_geom g = { .addr_per_block = 256 };
	u32 o[4];

	CHECK_EQ(ext2_block_path(&g, 0, o), 1);
	CHECK_EQ(ext2_block_path(&g, 11, o), 1);
	CHECK_EQ(o[0], 11);
	CHECK_EQ(ext2_block_path(&g, 12, o), 2);
	CHECK(o[0] == EXT2_IND_BLOCK && o[1] == 0);
	CHECK_EQ(ext2_block_path(&g, 12 + 255, o), 2);
	CHECK_EQ(ext2_block_path(&g, 12 + 256, o), 3);
	CHECK(o[0] == EXT2_DIND_BLOCK && o[1] == 0 && o[2] == 0);
	CHECK_EQ(ext2_block_path(&g, 12 + 256 + 65535, o), 3);
	CHECK(o[1] == 255 && o[2] == 255);
	CHECK_EQ(ext2_block_path(&g, 12 + 256 + 65536, o), 4);
	CHECK(o[0] == EXT2_TIND_BLOCK && o[1] == 0 && o[2] == 0 && o[3] == 0);
	CHECK_EQ(ext2_block_path(&g, 12 + 256 + 65536 + 256 * 65536 - 1, o), 4);
	CHECK(o[1] == 255 && o[2] == 255 && o[3] == 255);
	CHECK_EQ(ext2_block_path(&g, 12 + 256 + 65536 + 256 * 65536, o), -EFBIG);
	CHECK_EQ(ext2_block_path(&g, ~0ULL, o), -EFBIG);
}

static struct ext2_super_block *sb_of(u8 *data)
{
	return (struct ext2_super_block *)(data + EXT2_SUPER_OFFSET);
}

static void ignore(void *ctx, const char *path, u32 ino, const struct ext2_inode *raw)
{
	(void)ctx;
	(void)path;
	(void)ino;
	(void)raw;
}

/* Opens a copy of good with mutate() applied: the error. */
static int open_mutated(const u8 *good, size_t len, void (*mutate)(u8 *data, struct ext2_img *img),
			struct ext2_img *img)
{
	static u8 *copy;
	int budget = 1000, err;

	free(copy);
	copy = malloc(len);
	memcpy(copy, good, len);
	if (ext2_img_open(img, copy, len))
		return -1000; /* the good image must open */
	mutate(copy, img);
	err = ext2_img_open(img, copy, len);
	if (!err)
		err = ext2_img_walk(img, EXT2_ROOT_INO, "", 8, &budget, ignore, NULL) ? -EUCLEAN : 0;
	LLVMFuzzerTestOneInput(copy, len);
	return err;
}

static void m_magic(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_magic = 0xef54; }
static void m_logbs(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_log_block_size = 7; }
static void m_rev(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_rev_level = 2; }
static void m_blocks(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_blocks_count *= 2; }
static void m_bpg(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_blocks_per_group = 0; }
static void m_ipg(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_inodes_per_group = 0xffffffff; }
static void m_isize(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_inode_size = 100; }
static void m_incompat(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_feature_incompat |= 0x40; }
static void m_ro_compat(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_feature_ro_compat |= 0x4; }
static void m_dirty(u8 *d, struct ext2_img *i) { (void)i; sb_of(d)->s_state = 0; }

static struct ext2_group_desc *gd0(u8 *d, struct ext2_img *i)
{
	u32 off, blk = ext2_desc_block(&i->g, 0, &off);

	return (struct ext2_group_desc *)(d + ((size_t)blk << i->g.log_block_size) + off);
}

static void m_itable(u8 *d, struct ext2_img *i) { gd0(d, i)->bg_inode_table = i->g.blocks_count - 1; }
static void m_bitmap(u8 *d, struct ext2_img *i) { gd0(d, i)->bg_block_bitmap = 0; }

/* The root directory's first block: "." then "..", whose rec_len is mangled. */
static u8 *root_block(u8 *d, struct ext2_img *i)
{
	struct ext2_inode root;

	ext2_img_inode(i, EXT2_ROOT_INO, &root);
	return d + ((size_t)root.i_block[0] << i->g.log_block_size);
}

static void m_rec_len0(u8 *d, struct ext2_img *i) { ((struct ext2_dir_entry_2 *)(root_block(d, i) + 12))->rec_len = 0; }
static void m_rec_len_long(u8 *d, struct ext2_img *i) { ((struct ext2_dir_entry_2 *)(root_block(d, i) + 12))->rec_len = 0xfff0; }
static void m_name_len(u8 *d, struct ext2_img *i) { ((struct ext2_dir_entry_2 *)(root_block(d, i) + 12))->name_len = 255; }
static void m_dirent_ino(u8 *d, struct ext2_img *i) { ((struct ext2_dir_entry_2 *)(root_block(d, i) + 24))->inode = 0x7fffffff; }
static void m_ftype(u8 *d, struct ext2_img *i) { ((struct ext2_dir_entry_2 *)(root_block(d, i) + 24))->file_type = 9; }

static void corrupt_images(void)
{
	size_t len;
	u8 *good;
	struct ext2_img img;

	if (!have_mkfs) {
		printf("# mkfs.ext2 missing: skipped\n");
		return;
	}
	good = mkfs(1024, "", &len);
	CHECK(good != NULL);
	if (!good)
		return;
	CHECK_EQ(open_mutated(good, len, m_magic, &img), -EINVAL);
	CHECK_EQ(open_mutated(good, len, m_logbs, &img), -EINVAL);
	CHECK_EQ(open_mutated(good, len, m_rev, &img), -EINVAL);
	CHECK_EQ(open_mutated(good, len, m_incompat, &img), -EINVAL);
	CHECK_EQ(open_mutated(good, len, m_blocks, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_bpg, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_ipg, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_isize, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_itable, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_bitmap, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_ro_compat, &img), 0);
	CHECK(img.g.force_ro && img.why);
	CHECK_EQ(open_mutated(good, len, m_dirty, &img), 0);
	CHECK(img.g.force_ro && img.why);
	CHECK_EQ(open_mutated(good, len, m_rec_len0, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_rec_len_long, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_name_len, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_dirent_ino, &img), -EUCLEAN);
	CHECK_EQ(open_mutated(good, len, m_ftype, &img), -EUCLEAN);
	free(good);
}

/* Random byte flips in the metadata area of a 1 KiB-block image, under the sanitizers. */
static void random_mutations(void)
{
	size_t len;
	u8 *good, *copy;
	int i, j;

	if (!have_mkfs) {
		printf("# mkfs.ext2 missing: skipped\n");
		return;
	}
	good = mkfs(1024, "", &len);
	CHECK(good != NULL);
	if (!good)
		return;
	copy = malloc(len);
	srand(1234);
	for (i = 0; i < 3000; i++) {
		memcpy(copy, good, len);
		for (j = 0; j < 1 + rand() % 8; j++)
			copy[rand() % (600 * 1024)] ^= (u8)(1 + rand() % 255);
		LLVMFuzzerTestOneInput(copy, len);
	}
	free(copy);
	free(good);
}

int main(void)
{
	char cmd[700];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	make_tree();
	HTEST_RUN(block_path);
	HTEST_RUN(mkfs_1k);
	HTEST_RUN(mkfs_2k);
	HTEST_RUN(mkfs_4k);
	HTEST_RUN(corrupt_images);
	HTEST_RUN(random_mutations);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	run(cmd);
	return htest_done();
}
