/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2 on the runner's disks: host-made files read, a tree written and read back after a remount, bad images refused. */
#include <hartix/blkdev.h>
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/ktest.h>
#include <hartix/printk.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/timer.h>

#include "block_test.h"
#include "fs_test.h"

/*
 * The runner's ext2 disks (tools/testing/run_tests.py, ext2_test_images):
 * vdc is made by mkfs.ext2 -b 1024 -d from a tree with hello.txt, sub/big
 * (EXT2_BIG bytes of fs_pattern()), a 70 MiB sparse file ending in "END",
 * fast and slow symlinks and many/ with 40 files; vdd has a group
 * descriptor pointing out of its group, vde was not cleanly unmounted.
 * After the run the runner checks vdc with e2fsck -fn and debugfs.
 */
#define EXT2_BIG 200000
#define SPARSE_SIZE (70ULL << 20)

static bool link_is(struct super_block *sb, const char *path, const char *want)
{
	struct dentry *d = fs_walk(sb, path);
	char buf[256];
	bool ok;

	if (IS_ERR(d) || !d->d_inode) {
		dput(IS_ERR(d) ? NULL : d);
		return false;
	}
	ok = S_ISLNK(d->d_inode->i_mode) && d->d_inode->i_op->get_link(d->d_inode, buf, sizeof(buf)) ==
		(int)strlen(want) && !strcmp(buf, want);
	dput(d);
	return ok;
}

static bool big_ok(struct inode *inode, u64 size)
{
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	u64 pos;
	bool ok = buf && inode->i_size == size;

	for (pos = 0; ok && pos < size; pos += 4096) {
		long n = fs_kread(inode, pos, buf, 4096), i;

		ok = n == (long)min((u64)4096, size - pos);
		for (i = 0; ok && i < n; i++)
			ok = buf[i] == fs_pattern(pos + (u64)i);
	}
	kfree(buf);
	return ok;
}

static void do_reads_host_files(struct ktest *t)
{
	struct super_block *sb = fs_mount("ext2", "vdc", SB_RDONLY);
	struct dentry *d;
	char buf[16];

	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, fs_file_is(sb, "hello.txt", "hello from the host\n"));
	KT_EXPECT(t, link_is(sb, "fast", "hello.txt"));
	KT_EXPECT(t, link_is(sb, "slow", "sub/../sub/../sub/../sub/../sub/../sub/../sub/../sub/../sub/../hello.txt"));
	d = fs_walk(sb, "sub/big");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && big_ok(d->d_inode, EXT2_BIG));
	dput(IS_ERR(d) ? NULL : d);
	d = fs_walk(sb, "sparse");
	KT_ASSERT(t, !IS_ERR(d) && d->d_inode);
	KT_EXPECT_EQ(t, d->d_inode->i_size, SPARSE_SIZE);
	KT_EXPECT(t, fs_kread(d->d_inode, 1 << 20, buf, 8) == 8 && !memcmp(buf, "\0\0\0\0\0\0\0\0", 8));
	KT_EXPECT(t, fs_kread(d->d_inode, SPARSE_SIZE - 3, buf, 16) == 3 && !memcmp(buf, "END", 3));
	dput(d);
	d = fs_walk(sb, "many");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && fs_count_entries(d->d_inode) == 40);
	dput(IS_ERR(d) ? NULL : d);
	d = fs_walk(sb, "nothere");
	KT_EXPECT(t, !IS_ERR(d) && !d->d_inode);
	dput(IS_ERR(d) ? NULL : d);
	deactivate_super(sb);
}

/* The ext2 disks come after vda and vdb: without e2fsprogs the runner makes none. */
static void ext2_in_thread(struct ktest *t, void (*fn)(struct ktest *t))
{
	if (!blk_lookup("vde"))
		ktest_skip(t, "no ext2 disks: make test attaches them when mkfs.ext2 is installed");
	else
		blk_test_in_thread(t, fn);
}

static void reads_host_files(struct ktest *t)
{
	ext2_in_thread(t, do_reads_host_files);
}

#define SLOW_TARGET "a-slow-symlink-target-that-does-not-fit-in-the-inode/and-so-takes-a-block-of-its-own"

static void do_writes_tree(struct ktest *t)
{
	struct super_block *sb = fs_mount("ext2", "vdc", 0);
	struct fs_blob huge = { 5ULL << 30, "HUGE", 4 };
	struct fs_guest g;
	u64 before, cut = 5000;
	struct dentry *d;
	char buf[8];

	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, !(sb->s_flags & SB_RDONLY));
	before = fs_free_blocks(sb);
	KT_ASSERT(t, fs_guest_tree(t, sb, &g, 20 << 20));
	/* Past 4 GiB: the size's high word (large_file), through the triple-indirect block. */
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest", "huge", NULL, NULL, &huge), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_symlink, "guest", "fast", NULL, NULL, "hello"), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_symlink, "guest", "slow", NULL, NULL, SLOW_TARGET), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_link, "guest", "hello", "guest2", "hello-link", NULL), 0);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest/hello").nlink, 2);
	/* At ext2's link limit: EMLINK for one more name, or one more subdirectory. */
	d = fs_walk(sb, "guest/hello");
	KT_ASSERT(t, !IS_ERR(d) && d->d_inode);
	d->d_inode->i_nlink = 32000;
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_link, "guest", "hello", "guest2", "one-too-many", NULL), -EMLINK);
	d->d_inode->i_nlink = 2;
	dput(d);
	d = fs_walk(sb, "guest2");
	KT_ASSERT(t, !IS_ERR(d) && d->d_inode);
	d->d_inode->i_nlink = 32000;
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_mkdir, "guest2", "one-too-many", NULL, NULL, NULL), -EMLINK);
	d->d_inode->i_nlink = 2;
	dput(d);
	/* Across directories: a file, and a directory whose ".." must follow. */
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rename, "guest", "big", "guest2", "big-moved", NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rename, "guest", "subdir", "guest2", "subdir", NULL), 0);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest").nlink, 2);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest2").nlink, 3);
	/* Replacing: victim names gone's inode, and victim's own inode is freed. */
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest2", "victim", NULL, NULL, &g.hello), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rename, "guest", "gone", "guest2", "victim", NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rmdir, "", "guest2", NULL, NULL, NULL), -ENOTEMPTY);
	KT_EXPECT_EQ(t, fs_truncate(sb, "guest", "cut", cut), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "", "tmpfile", NULL, NULL, &g.b), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_unlink, "", "tmpfile", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_mkdir, "", "tmpdir", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rmdir, "", "tmpdir", NULL, NULL, NULL), 0);
	KT_EXPECT(t, fs_free_blocks(sb) < before);
	deactivate_super(sb);

	/* Everything is there after a remount, read back from the disk. */
	invalidate_bdev(blk_lookup("vdc"));
	sb = fs_mount("ext2", "vdc", 0);
	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, fs_file_is(sb, "guest/hello", GUEST_HELLO));
	KT_EXPECT(t, fs_file_is(sb, "guest2/hello-link", GUEST_HELLO));
	KT_EXPECT(t, link_is(sb, "guest/fast", "hello"));
	KT_EXPECT(t, link_is(sb, "guest/slow", SLOW_TARGET));
	d = fs_walk(sb, "guest2/big-moved");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && big_ok(d->d_inode, GUEST_BIG));
	dput(IS_ERR(d) ? NULL : d);
	d = fs_walk(sb, "guest2/victim");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && big_ok(d->d_inode, GUEST_BIG));
	dput(IS_ERR(d) ? NULL : d);
	d = fs_walk(sb, "guest/cut");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && big_ok(d->d_inode, cut));
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && d->d_inode->i_blocks <= 2 * (cut / 1024 + 2));
	dput(IS_ERR(d) ? NULL : d);
	d = fs_walk(sb, "guest/sparse");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && d->d_inode->i_size == (20 << 20) + 3 &&
		  d->d_inode->i_blocks <= 2 * 5);
	dput(IS_ERR(d) ? NULL : d);
	d = fs_walk(sb, "guest/huge");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && d->d_inode->i_size == (5ULL << 30) + 4);
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && fs_kread(d->d_inode, 5ULL << 30, buf, 8) == 4 &&
		  !memcmp(buf, "HUGE", 4));
	dput(IS_ERR(d) ? NULL : d);
	KT_EXPECT(t, fs_attr_of(sb, "guest2/subdir/..").ino && fs_attr_of(sb, "guest2/subdir/..").ino == fs_attr_of(sb, "guest2").ino);
	d = fs_walk(sb, "tmpfile");
	KT_EXPECT(t, !IS_ERR(d) && !d->d_inode);
	dput(IS_ERR(d) ? NULL : d);
	deactivate_super(sb);
	kfree(g.big);
}

static void writes_tree(struct ktest *t)
{
	ext2_in_thread(t, do_writes_tree);
}

/* Filling the disk ends in -ENOSPC; deleting the file gives every block back. */
static void do_enospc(struct ktest *t)
{
	fs_check_enospc(t, "ext2", "vdc", 100000);
}

static void enospc(struct ktest *t)
{
	ext2_in_thread(t, do_enospc);
}

static void do_bad_images(struct ktest *t)
{
	struct super_block *sb;

	/* Not ext2 at all (the block tests' pattern disk). */
	KT_EXPECT_EQ(t, PTR_ERR(fs_mount("ext2", "vdb", SB_RDONLY)), -EINVAL);
	KT_EXPECT_EQ(t, PTR_ERR(fs_mount("ext2", "vdd", SB_RDONLY)), -EUCLEAN);
	/* Not cleanly unmounted: read-only, with a message. */
	sb = fs_mount("ext2", "vde", 0);
	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, sb->s_flags & SB_RDONLY);
	KT_EXPECT(t, fs_file_is(sb, "hello.txt", "hello from the host\n"));
	deactivate_super(sb);
}

static void bad_images(struct ktest *t)
{
	ext2_in_thread(t, do_bad_images);
}

static bool written_back(struct inode *inode)
{
	struct bcache_stats st;

	bcache_get_stats(&st);
	return !(READ_ONCE(inode->i_state) & I_DIRTY) && !st.dirty;
}

/* With no sync at all, the writeback thread writes a dirty inode and its buffers within its period. */
static void do_periodic_writeback(struct ktest *t)
{
	struct super_block *sb = fs_mount("ext2", "vdc", 0);
	struct fs_blob b = { 0, "periodic\n", 9 };
	struct dentry *d;
	int waited;

	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "", "periodic", NULL, NULL, &b), 0);
	d = fs_walk(sb, "periodic");
	KT_ASSERT(t, !IS_ERR(d) && d->d_inode);
	mark_inode_dirty(d->d_inode);
	KT_EXPECT(t, !written_back(d->d_inode));
	for (waited = 0; waited < 12000 && !written_back(d->d_inode); waited += 100)
		msleep(100);
	KT_EXPECT(t, written_back(d->d_inode));
	dput(d);
	deactivate_super(sb);
}

static void periodic_writeback(struct ktest *t)
{
	ext2_in_thread(t, do_periodic_writeback);
}

/* Names of a directory, for the walk of a mutated image. */
struct listing {
	struct dir_context ctx;
	int n;
	char names[16][32];
};

static bool list_name(struct dir_context *ctx, const char *name, int len, u64 pos, u64 ino,
		      unsigned int type)
{
	struct listing *l = container_of(ctx, struct listing, ctx);

	(void)pos, (void)ino, (void)type;
	if (l->n == 16)
		return false;
	if (len >= 32 || (len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)))
		return true;
	memcpy(l->names[l->n], name, (size_t)len);
	l->names[l->n++][len] = '\0';
	return true;
}

/* Lists, looks up and reads what it can below d; errors are expected, crashes are not. */
static void walk_tree(struct dentry *d, int depth, int *budget)
{
	struct inode *inode = d->d_inode;
	struct listing *l;
	char buf[64];
	int i;

	if (!inode || --*budget < 0)
		return;
	if (S_ISLNK(inode->i_mode) && inode->i_op->get_link)
		inode->i_op->get_link(inode, buf, sizeof(buf));
	if (S_ISREG(inode->i_mode)) {
		fs_kread(inode, 0, buf, sizeof(buf));
		if (inode->i_size > sizeof(buf))
			fs_kread(inode, inode->i_size - sizeof(buf), buf, sizeof(buf));
	}
	if (!S_ISDIR(inode->i_mode) || depth == 0)
		return;
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return;
	l->ctx.actor = list_name;
	{
		struct file f = { .inode = inode };

		inode_lock(inode);
		inode->i_fop->iterate(&f, &l->ctx);
		inode_unlock(inode);
	}
	for (i = 0; i < l->n; i++) {
		struct dentry *c = lookup_one(d, l->names[i], (u32)strlen(l->names[i]));

		if (!IS_ERR(c)) {
			walk_tree(c, depth - 1, budget);
			dput(c);
		}
	}
	kfree(l);
}

/* 1 KiB blocks: super block, descriptors, bitmaps, inode tables, the root and most files. */
#define MUTATE_BYTES (1024 * 1024)
#define MUTATE_METADATA (600 * 1024)
#define MUTATE_ROUNDS 60

/* The first MUTATE_BYTES of bdev, 64 KiB a request (a request's pages must fit the virtqueue). */
static int copy_disk(struct block_device *bdev, enum bio_op op, u8 *buf)
{
	u32 off;
	int err = 0;

	for (off = 0; !err && off < MUTATE_BYTES; off += 65536)
		err = blk_rw(bdev, op, off / SECTOR_SIZE, buf + off, 65536 / SECTOR_SIZE);
	return err;
}

/*
 * vde's first MiB (the runner's tree, unmounted) copied to vdd with a
 * few random bytes changed, marked clean, then mounted read-write, walked,
 * written to and unmounted, round after round.
 */
static void do_mutated_images(struct ktest *t)
{
	struct block_device *src = blk_lookup("vde"), *dst = blk_lookup("vdd");
	u8 *orig = kmalloc(MUTATE_BYTES, GFP_KERNEL), *img = kmalloc(MUTATE_BYTES, GFP_KERNEL);
	int round, mounted = 0;
	u64 seed = 0x5eed;

	KT_ASSERT(t, orig && img && src && dst);
	KT_ASSERT(t, copy_disk(src, BIO_READ, orig) == 0);
	((struct { u8 pad[1024 + 58]; u16 state; } *)orig)->state = 1;
	for (round = 0; round < MUTATE_ROUNDS; round++) {
		static const char data[3000];
		struct fs_blob b = { 0, data, sizeof(data) };
		struct super_block *sb;
		int k, budget = 200;

		memcpy(img, orig, MUTATE_BYTES);
		for (k = 0; k < 1 + round % 8; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			/* In the super block, the descriptors and bitmaps, or anywhere in the metadata. */
			u32 span = k % 3 == 0 ? 1024 : k % 3 == 1 ? 8192 : MUTATE_METADATA;

			img[(k % 3 == 0 ? 1024 : 0) + (seed >> 33) % span] ^= (u8)(1 + (seed >> 20) % 255);
		}
		KT_ASSERT(t, copy_disk(dst, BIO_WRITE, img) == 0);
		sb = fs_mount("ext2", "vdd", 0);
		if (IS_ERR(sb)) {
			KT_EXPECT(t, PTR_ERR(sb) == -EINVAL || PTR_ERR(sb) == -EUCLEAN ||
				  PTR_ERR(sb) == -EIO);
			continue;
		}
		mounted++;
		walk_tree(sb->s_root, 4, &budget);
		if (!(sb->s_flags & SB_RDONLY)) {
			fs_op(sb, fs_do_create_write, "", "new-file", NULL, NULL, &b);
			fs_op(sb, fs_do_mkdir, "", "new-dir", NULL, NULL, NULL);
			fs_op(sb, fs_do_unlink, "", "hello.txt", NULL, NULL, NULL);
		}
		deactivate_super(sb);
	}
	pr_info("    # mutated_images: %d of %d mounted\n", mounted, MUTATE_ROUNDS);
	kfree(orig);
	kfree(img);
}

static void mutated_images(struct ktest *t)
{
	ext2_in_thread(t, do_mutated_images);
}

KTEST_SUITE(block_ext2,
	    KTEST_CASE(reads_host_files),
	    KTEST_CASE(writes_tree),
	    KTEST_CASE(enospc),
	    KTEST_CASE(periodic_writeback),
	    KTEST_CASE(bad_images),
	    KTEST_CASE(mutated_images));
