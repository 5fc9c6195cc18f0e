/* SPDX-License-Identifier: BSD-2-Clause */
/* vfat on the runner's disks: host-made files read, a tree written and read back after a remount, bad images refused. */
#include <hartix/blkdev.h>
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/ktest.h>
#include <hartix/slab.h>
#include <hartix/string.h>

#include "block_test.h"
#include "fs_test.h"

/*
 * The runner's vfat disks (tools/testing/run_tests.py, vfat_test_images),
 * attached after vda and vdb in a run of their own (ktest.filter=vfat):
 * vdc is mkfs.vfat -F 32 and vdd -F 16 -s 1, both with hello.txt,
 * "naïve café.txt", "Sub
 * Dir/A long file name.bin" (VFAT_BIG bytes of fs_pattern()), many/ with 40
 * files, written by mcopy; vde has its root cluster out of range, vdf a
 * root directory whose chain loops, vdg random bytes over a copy of vdd's
 * metadata, and vdh is vdd with FAT[1] saying it was not unmounted cleanly. After the run the runner checks vdc and vdd with
 * fsck.vfat -n and mtools.
 */
#define VFAT_BIG 200000

/* size bytes of fs_pattern() from offset 0, zeroes from zero_from on. */
static bool data_ok(struct super_block *sb, const char *path, u64 size, u64 zero_from)
{
	struct dentry *d = fs_walk(sb, path);
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	bool ok = buf && !IS_ERR(d) && d->d_inode && d->d_inode->i_size == size;
	u64 pos;

	for (pos = 0; ok && pos < size; pos += 4096) {
		long n = fs_kread(d->d_inode, pos, buf, 4096), i;

		ok = n == (long)min((u64)4096, size - pos);
		for (i = 0; ok && i < n; i++)
			ok = buf[i] == (pos + (u64)i >= zero_from ? 0 : fs_pattern(pos + (u64)i));
	}
	kfree(buf);
	dput(IS_ERR(d) ? NULL : d);
	return ok;
}

/* Skipped without the runner's vfat disks (mkfs.vfat and mtools missing, or another run). */
static void vfat_in_thread(struct ktest *t, void (*fn)(struct ktest *t))
{
	struct super_block *sb;

	if (!blk_lookup("vdd"))
		ktest_skip(t, "no vfat disks: make test attaches them when mkfs.vfat is installed");
	else if (IS_ERR(sb = fs_mount("vfat", "vdc", SB_RDONLY)))
		ktest_skip(t, "vdc is no vfat disk: another run's disks");
	else {
		deactivate_super(sb);
		blk_test_in_thread(t, fn);
	}
}

static void check_host_files(struct ktest *t, const char *dev)
{
	struct super_block *sb = fs_mount("vfat", dev, SB_RDONLY);
	struct dentry *d;

	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, fs_file_is(sb, "hello.txt", "hello from the host\n"));
	KT_EXPECT(t, fs_file_is(sb, "HELLO.TXT", "hello from the host\n")); /* no case */
	KT_EXPECT(t, fs_file_is(sb, "NA\xc3\xafVE CAF\xc3\xa9.txt", "latin\n"));
	KT_EXPECT(t, data_ok(sb, "Sub Dir/A long file name.bin", VFAT_BIG, VFAT_BIG));
	KT_EXPECT(t, data_ok(sb, "sub dir/a LONG file name.BIN", VFAT_BIG, VFAT_BIG));
	KT_EXPECT(t, data_ok(sb, "SUBDIR~1/ALONGF~1.BIN", VFAT_BIG, VFAT_BIG)); /* short names */
	d = fs_walk(sb, "many");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && fs_count_entries(d->d_inode) == 40);
	dput(IS_ERR(d) ? NULL : d);
	d = fs_walk(sb, "nothere");
	KT_EXPECT(t, !IS_ERR(d) && !d->d_inode);
	dput(IS_ERR(d) ? NULL : d);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "hello.txt").mode, S_IFREG | 0755); /* Linux's umask 022 */
	KT_EXPECT_EQ(t, fs_attr_of(sb, "").nlink, 4); /* "Sub Dir" and many */
	deactivate_super(sb);
}

static void do_reads_host_files(struct ktest *t)
{
	check_host_files(t, "vdc");
	check_host_files(t, "vdd");
}

static void reads_host_files(struct ktest *t)
{
	vfat_in_thread(t, do_reads_host_files);
}

#define LONG_NAME "Long Name With Spaces And \xc3\xbcnicode \xe2\x99\xa5.txt"

static void writes_tree(struct ktest *t, const char *dev)
{
	struct super_block *sb = fs_mount("vfat", dev, 0);
	struct fs_blob none = { 0, NULL, 0 }, small;
	static const unsigned int noreplace = RENAME_NOREPLACE, exchange = RENAME_EXCHANGE;
	struct fs_guest g;
	unsigned long ino;
	struct dentry *held;
	u64 before;

	KT_ASSERT(t, !IS_ERR(sb));
	before = fs_free_blocks(sb);
	KT_ASSERT(t, fs_guest_tree(t, sb, &g, 1 << 20));
	small = (struct fs_blob){ 0, g.big, 10 };
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest", LONG_NAME, NULL, NULL, &g.hello), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest", "grow", NULL, NULL, &small), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest", "bad:name", NULL, NULL, &none), -EINVAL);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest").nlink, 3);
	/* No hard links, symlinks or device nodes on FAT: the VFS answers EPERM, as Linux's. */
	held = fs_walk(sb, "guest");
	KT_EXPECT(t, !IS_ERR(held) && held->d_inode && !held->d_inode->i_op->link &&
		  !held->d_inode->i_op->symlink && !held->d_inode->i_op->mknod);
	dput(IS_ERR(held) ? NULL : held);

	/* Across directories: a file keeps its inode number, a directory's ".." follows. */
	ino = fs_attr_of(sb, "guest/big").ino;
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rename, "guest", "big", "guest2", "big-moved", NULL), 0);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest2/big-moved").ino, ino);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rename, "guest", "subdir", "guest2", "subdir", NULL), 0);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest").nlink, 2);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest2").nlink, 3);
	/* Replacing a file; NOREPLACE and EXCHANGE. */
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest2", "victim", NULL, NULL, &g.hello), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rename, "guest", "gone", "guest2", "victim", &noreplace), -EEXIST);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rename, "guest", "gone", "guest2", "victim", &exchange), -EINVAL);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rename, "guest", "gone", "guest2", "victim", NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rmdir, "", "guest2", NULL, NULL, NULL), -ENOTEMPTY);
	/* Only the case changes: the same entry, renamed. */
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest", "CaseTest.txt", NULL, NULL, &g.hello), 0);
	ino = fs_attr_of(sb, "guest/casetest.TXT").ino;
	KT_EXPECT(t, ino && ino == fs_attr_of(sb, "guest/CaseTest.txt").ino);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rename, "guest", "CaseTest.txt", "guest", "CASETEST.txt", NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest", "casetest.txt", NULL, NULL, &none), 0);
	/* Truncate down and up (zeroes), a write past the end (zeroes between). */
	KT_EXPECT_EQ(t, fs_truncate(sb, "guest", "cut", 5000), 0);
	KT_EXPECT_EQ(t, fs_truncate(sb, "guest", "grow", 100000), 0);
	/* Modes: all write bits or none (the RO attribute); anything else EPERM, as Linux. */
	KT_EXPECT_EQ(t, fs_chmod(sb, "guest", "hello", 0555), 0);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest/hello").mode, S_IFREG | 0555);
	KT_EXPECT_EQ(t, fs_chmod(sb, "guest", "hello", 0444), -EPERM); /* r and x bits stay */
	KT_EXPECT_EQ(t, fs_chmod(sb, "guest", "hello", 0600), -EPERM);
	KT_EXPECT_EQ(t, fs_chmod(sb, "guest", "hello", 04755), -EPERM);
	/* An unlinked file still held keeps its number: a new entry in its slots gets another. */
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "", "tmpfile", NULL, NULL, &g.b), 0);
	held = fs_walk(sb, "tmpfile");
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_unlink, "", "tmpfile", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "", "tmpfil2", NULL, NULL, &g.hello), 0);
	KT_EXPECT(t, !IS_ERR(held) && held->d_inode && fs_attr_of(sb, "tmpfil2").ino != held->d_inode->i_ino);
	dput(IS_ERR(held) ? NULL : held);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_unlink, "", "tmpfil2", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_mkdir, "", "tmpdir", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_rmdir, "", "tmpdir", NULL, NULL, NULL), 0);
	KT_EXPECT(t, fs_free_blocks(sb) < before);
	deactivate_super(sb);

	/* Everything is there after a remount, read back from the disk. */
	invalidate_bdev(blk_lookup(dev));
	sb = fs_mount("vfat", dev, 0);
	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, fs_file_is(sb, "guest/hello", GUEST_HELLO));
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest/hello").mode, S_IFREG | 0555);
	KT_EXPECT(t, fs_file_is(sb, "GUEST/" LONG_NAME, GUEST_HELLO));
	KT_EXPECT(t, fs_file_is(sb, "guest/CASETEST.TXT", GUEST_HELLO));
	KT_EXPECT(t, data_ok(sb, "guest2/big-moved", GUEST_BIG, GUEST_BIG));
	KT_EXPECT(t, data_ok(sb, "guest2/victim", GUEST_BIG, GUEST_BIG));
	KT_EXPECT(t, data_ok(sb, "guest/cut", 5000, 5000));
	KT_EXPECT(t, data_ok(sb, "guest/grow", 100000, 10));
	{
		struct dentry *d = fs_walk(sb, "guest/sparse");
		char buf[8];

		KT_EXPECT(t, !IS_ERR(d) && d->d_inode && d->d_inode->i_size == (1 << 20) + 3);
		KT_EXPECT(t, !IS_ERR(d) && d->d_inode && fs_kread(d->d_inode, 4096, buf, 8) == 8 &&
			  !memcmp(buf, "\0\0\0\0\0\0\0\0", 8));
		KT_EXPECT(t, !IS_ERR(d) && d->d_inode && fs_kread(d->d_inode, 1 << 20, buf, 8) == 3 &&
			  !memcmp(buf, "FAR", 3));
		dput(IS_ERR(d) ? NULL : d);
	}
	KT_EXPECT_EQ(t, fs_attr_of(sb, "guest2").nlink, 3);
	KT_EXPECT_EQ(t, fs_attr_of(sb, "tmpfile").mode, 0);
	deactivate_super(sb);
	kfree(g.big);
}

static void do_writes(struct ktest *t)
{
	writes_tree(t, "vdc");
	writes_tree(t, "vdd");
}

static void writes(struct ktest *t)
{
	vfat_in_thread(t, do_writes);
}

/* Filling FAT16's vdd ends in -ENOSPC; unlinking gives every cluster back. */
static void do_enospc(struct ktest *t)
{
	fs_check_enospc(t, "vfat", "vdd", 10000);
}

static void enospc(struct ktest *t)
{
	vfat_in_thread(t, do_enospc);
}

struct walk_ctx {
	struct dir_context ctx;
	char names[8][64];
	int n;
};

static bool collect(struct dir_context *ctx, const char *name, int len, u64 pos, u64 ino,
		    unsigned int type)
{
	struct walk_ctx *w = container_of(ctx, struct walk_ctx, ctx);

	(void)pos, (void)ino, (void)type;
	if (w->n == 8 || len >= 64)
		return w->n < 8;
	memcpy(w->names[w->n], name, (size_t)len);
	w->names[w->n++][len] = 0;
	return true;
}

/* Its first MiB, up to the first error. */
static void read_file(struct inode *inode, char *buf)
{
	u64 pos;

	for (pos = 0; pos < inode->i_size && pos < (1 << 20); pos += 4096)
		if (fs_kread(inode, pos, buf, 4096) < 0)
			break;
}

/* The first 8 entries of each directory only: enough to reach corrupt ones, bounded. */
static void read_all(struct dentry *dir, int depth, int *budget)
{
	struct file f = { .inode = dir->d_inode };
	struct walk_ctx *w = kzalloc(sizeof(*w), GFP_KERNEL);
	int i;

	if (w)
		w->ctx.actor = collect;
	char *buf = kmalloc(4096, GFP_KERNEL);

	if (w && buf && !dir->d_inode->i_fop->iterate(&f, &w->ctx)) {
		for (i = 0; i < w->n && *budget > 0; i++, --*budget) {
			struct dentry *d;

			if (!strcmp(w->names[i], ".") || !strcmp(w->names[i], ".."))
				continue;
			d = lookup_one(dir, w->names[i], (u32)strlen(w->names[i]));
			if (IS_ERR(d))
				continue;
			if (d->d_inode && S_ISDIR(d->d_inode->i_mode) && depth > 0)
				read_all(d, depth - 1, budget);
			else if (d->d_inode && S_ISREG(d->d_inode->i_mode))
				read_file(d->d_inode, buf);
			dput(d);
		}
	}
	kfree(w);
	kfree(buf);
}

static void do_bad_images(struct ktest *t)
{
	struct super_block *sb;

	KT_EXPECT_EQ(t, PTR_ERR(fs_mount("vfat", "vdb", SB_RDONLY)), -EINVAL); /* the pattern disk */
	KT_EXPECT_EQ(t, PTR_ERR(fs_mount("vfat", "vde", SB_RDONLY)), -EUCLEAN); /* root cluster */
	KT_EXPECT_EQ(t, PTR_ERR(fs_mount("vfat", "vdf", SB_RDONLY)), -EUCLEAN); /* root chain loops */
	/* Not cleanly unmounted: read-only, with a message, and readable. */
	sb = fs_mount("vfat", "vdh", 0);
	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, sb->s_flags & SB_RDONLY);
	KT_EXPECT(t, fs_file_is(sb, "hello.txt", "hello from the host\n"));
	deactivate_super(sb);
	/* Random damage: mounted or refused, then walked, but never a crash or a hang. */
	sb = fs_mount("vfat", "vdg", 0);
	if (IS_ERR(sb)) {
		KT_EXPECT(t, PTR_ERR(sb) == -EINVAL || PTR_ERR(sb) == -EUCLEAN || PTR_ERR(sb) == -EIO);
	} else {
		int budget = 200;

		read_all(sb->s_root, 4, &budget);
		deactivate_super(sb);
	}
}

static void bad_images(struct ktest *t)
{
	vfat_in_thread(t, do_bad_images);
}

KTEST_SUITE(vfat,
	    KTEST_CASE(reads_host_files),
	    KTEST_CASE(writes),
	    KTEST_CASE(enospc),
	    KTEST_CASE(bad_images));
