/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2 on the runner's disks: host-made files read, a tree written and read back after a remount, bad images refused. */
#include <hartix/blkdev.h>
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/ktest.h>
#include <hartix/slab.h>
#include <hartix/string.h>

#include "block_test.h"

/*
 * The runner's ext2 disks (tools/testing/run_tests.py, ext2_test_images):
 * vdc is made by mkfs.ext2 -b 1024 -d from a tree with hello.txt, sub/big
 * (EXT2_BIG bytes of pattern()), a 70 MiB sparse file ending in "END",
 * fast and slow symlinks and many/ with 40 files; vdd has a group
 * descriptor pointing out of its group, vde was not cleanly unmounted.
 * After the run the runner checks vdc with e2fsck -fn and debugfs.
 */
#define EXT2_BIG 200000
#define SPARSE_SIZE (70ULL << 20)

static u8 pattern(u64 i)
{
	return (u8)(i * 7 + i / 251);
}

static struct super_block *mount(const char *dev, unsigned long flags)
{
	struct file_system_type *type = get_fs_type("ext2");

	if (!type || !blk_lookup(dev))
		return ERR_PTR(-ENODEV);
	return vfs_get_super(type, blk_lookup(dev), flags, "");
}

static struct dentry *walk(struct super_block *sb, const char *path)
{
	struct dentry *d = dget(sb->s_root);

	while (*path) {
		const char *end = strchr(path, '/');
		u32 len = end ? (u32)(end - path) : (u32)strlen(path);
		struct dentry *next = lookup_one(d, path, len);

		dput(d);
		if (IS_ERR(next))
			return next;
		d = next;
		path += len + (end ? 1 : 0);
	}
	return d;
}

/* Reads through get_block and the buffer cache, as the page cache does: bytes read or -errno. */
static long kread(struct inode *inode, u64 pos, void *buf, size_t len)
{
	u32 bs = inode->i_sb->s_blocksize;
	size_t done = 0;

	if (pos >= inode->i_size)
		return 0;
	len = min(len, (size_t)(inode->i_size - pos));
	while (done < len) {
		u64 p = pos + done, pblock;
		u32 off = (u32)(p % bs), n = (u32)min((size_t)(bs - off), len - done);
		int err = inode->i_aops->get_block(inode, p / bs, &pblock, false);
		struct buffer_head *bh;

		if (err)
			return err;
		if (!pblock) {
			memset((u8 *)buf + done, 0, n);
		} else {
			bh = bread(inode->i_sb->s_bdev, pblock, bs);
			if (IS_ERR(bh))
				return PTR_ERR(bh);
			memcpy((u8 *)buf + done, (u8 *)bh->b_data + off, n);
			brelse(bh);
		}
		done += n;
	}
	return (long)done;
}

static int kwrite(struct inode *inode, u64 pos, const void *buf, size_t len)
{
	u32 bs = inode->i_sb->s_blocksize;
	size_t done = 0;

	while (done < len) {
		u64 p = pos + done, pblock;
		u32 off = (u32)(p % bs), n = (u32)min((size_t)(bs - off), len - done);
		int err = inode->i_aops->get_block(inode, p / bs, &pblock, true);
		struct buffer_head *bh;

		if (err)
			return err;
		bh = bread(inode->i_sb->s_bdev, pblock, bs);
		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		memcpy((u8 *)bh->b_data + off, (const u8 *)buf + done, n);
		mark_buffer_dirty(bh);
		brelse(bh);
		done += n;
		if (p + n > inode->i_size)
			inode->i_size = p + n;
	}
	mark_inode_dirty(inode);
	return 0;
}

struct names {
	struct dir_context ctx;
	int count, dots;
};

static bool count_name(struct dir_context *ctx, const char *name, int len, u64 pos, u64 ino,
		       unsigned int type)
{
	struct names *n = container_of(ctx, struct names, ctx);

	(void)pos;
	(void)type;
	if (!ino)
		return false;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		n->dots++;
	else
		n->count++;
	return true;
}

static int count_entries(struct inode *dir)
{
	struct file f = { .inode = dir };
	struct names n = { .ctx = { .actor = count_name } };
	int err = dir->i_fop->iterate(&f, &n.ctx);

	return err ? err : n.dots == 2 ? n.count : -EUCLEAN;
}

static bool file_is(struct super_block *sb, const char *path, const char *want)
{
	struct dentry *d = walk(sb, path);
	char buf[64];
	long n;

	if (IS_ERR(d) || !d->d_inode) {
		dput(IS_ERR(d) ? NULL : d);
		return false;
	}
	n = kread(d->d_inode, 0, buf, sizeof(buf));
	dput(d);
	return n == (long)strlen(want) && !memcmp(buf, want, (size_t)n);
}

static bool link_is(struct super_block *sb, const char *path, const char *want)
{
	struct dentry *d = walk(sb, path);
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
		long n = kread(inode, pos, buf, 4096), i;

		ok = n == (long)min((u64)4096, size - pos);
		for (i = 0; ok && i < n; i++)
			ok = buf[i] == pattern(pos + (u64)i);
	}
	kfree(buf);
	return ok;
}

static void do_reads_host_files(struct ktest *t)
{
	struct super_block *sb = mount("vdc", SB_RDONLY);
	struct dentry *d;
	char buf[16];

	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, file_is(sb, "hello.txt", "hello from the host\n"));
	KT_EXPECT(t, link_is(sb, "fast", "hello.txt"));
	KT_EXPECT(t, link_is(sb, "slow", "sub/../sub/../sub/../sub/../sub/../sub/../sub/../sub/../sub/../hello.txt"));
	d = walk(sb, "sub/big");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && big_ok(d->d_inode, EXT2_BIG));
	dput(IS_ERR(d) ? NULL : d);
	d = walk(sb, "sparse");
	KT_ASSERT(t, !IS_ERR(d) && d->d_inode);
	KT_EXPECT_EQ(t, d->d_inode->i_size, SPARSE_SIZE);
	KT_EXPECT(t, kread(d->d_inode, 1 << 20, buf, 8) == 8 && !memcmp(buf, "\0\0\0\0\0\0\0\0", 8));
	KT_EXPECT(t, kread(d->d_inode, SPARSE_SIZE - 3, buf, 16) == 3 && !memcmp(buf, "END", 3));
	dput(d);
	d = walk(sb, "many");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && count_entries(d->d_inode) == 40);
	dput(IS_ERR(d) ? NULL : d);
	d = walk(sb, "nothere");
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

/* Runs a namespace operation on the negative or positive dentries of path and path2 (may be NULL). */
static int op(struct super_block *sb, int (*fn)(struct inode *dir, struct dentry *d, struct inode *dir2,
						 struct dentry *d2, const void *arg),
	      const char *dirpath, const char *name, const char *dir2path, const char *name2, const void *arg)
{
	struct dentry *dir = walk(sb, dirpath), *d = NULL, *dir2 = NULL, *d2 = NULL;
	int err = -ENOENT;

	if (IS_ERR(dir))
		return (int)PTR_ERR(dir);
	d = lookup_one(dir, name, (u32)strlen(name));
	if (dir2path) {
		dir2 = walk(sb, dir2path);
		if (!IS_ERR(dir2))
			d2 = lookup_one(dir2, name2, (u32)strlen(name2));
	}
	if (!IS_ERR(d) && (!dir2path || (!IS_ERR(dir2) && !IS_ERR(d2)))) {
		inode_lock(dir->d_inode);
		if (dir2 && dir2->d_inode != dir->d_inode)
			inode_lock(dir2->d_inode);
		err = fn(dir->d_inode, d, dir2 ? dir2->d_inode : NULL, d2, arg);
		if (dir2 && dir2->d_inode != dir->d_inode)
			inode_unlock(dir2->d_inode);
		inode_unlock(dir->d_inode);
		/* The names changed under these dentries: let the next walk ask ext2 again. */
		d_drop(d);
		if (d2 && !IS_ERR(d2))
			d_drop(d2);
	}
	if (!IS_ERR(d))
		dput(d);
	if (d2 && !IS_ERR(d2))
		dput(d2);
	if (dir2 && !IS_ERR(dir2))
		dput(dir2);
	dput(dir);
	return err;
}

static int do_mkdir(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2, const void *arg)
{
	(void)dir2, (void)d2, (void)arg;
	return d->d_inode ? -EEXIST : dir->i_op->mkdir(dir, d, 0755);
}

/* Creates the file and writes arg's (struct blob) bytes at its offset. */
struct blob {
	u64 pos;
	const void *data;
	size_t len;
};

static int do_create_write(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
			   const void *arg)
{
	const struct blob *b = arg;
	int err;

	(void)dir2, (void)d2;
	if (!d->d_inode) {
		err = dir->i_op->create(dir, d, 0644);
		if (err)
			return err;
	}
	inode_lock(d->d_inode);
	err = kwrite(d->d_inode, b->pos, b->data, b->len);
	inode_unlock(d->d_inode);
	return err;
}

static int do_symlink(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2, const void *arg)
{
	(void)dir2, (void)d2;
	return dir->i_op->symlink(dir, d, arg);
}

static int do_link(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2, const void *arg)
{
	(void)dir, (void)arg;
	return dir2->i_op->link(d, dir2, d2);
}

static int do_rename(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2, const void *arg)
{
	(void)arg;
	return dir->i_op->rename(dir, d, dir2, d2, 0);
}

static int do_unlink(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2, const void *arg)
{
	(void)dir2, (void)d2, (void)arg;
	return d->d_inode ? dir->i_op->unlink(dir, d) : -ENOENT;
}

static int do_rmdir(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2, const void *arg)
{
	(void)dir2, (void)d2, (void)arg;
	return d->d_inode ? dir->i_op->rmdir(dir, d) : -ENOENT;
}

static int do_truncate(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2, const void *arg)
{
	struct iattr attr = { .ia_valid = ATTR_SIZE, .ia_size = *(const u64 *)arg };
	int err;

	(void)dir, (void)dir2, (void)d2;
	inode_lock(d->d_inode);
	err = d->d_inode->i_op->setattr(d, &attr);
	inode_unlock(d->d_inode);
	return err;
}

static u64 free_blocks(struct super_block *sb)
{
	struct kstatfs st;

	return sb->s_op->statfs(sb, &st) ? 0 : st.f_bfree;
}

#define GUEST_BIG 300000
#define SLOW_TARGET "a-slow-symlink-target-that-does-not-fit-in-the-inode/and-so-takes-a-block-of-its-own"

static unsigned long ino_of(struct super_block *sb, const char *path)
{
	struct dentry *d = walk(sb, path);
	unsigned long ino = !IS_ERR(d) && d->d_inode ? d->d_inode->i_ino : 0;

	dput(IS_ERR(d) ? NULL : d);
	return ino;
}

static u64 nlink_of(struct super_block *sb, const char *path)
{
	struct dentry *d = walk(sb, path);
	u64 n = !IS_ERR(d) && d->d_inode ? d->d_inode->i_nlink : 0;

	dput(IS_ERR(d) ? NULL : d);
	return n;
}

static void do_writes_tree(struct ktest *t)
{
	struct super_block *sb = mount("vdc", 0);
	u8 *big = kmalloc(GUEST_BIG, GFP_KERNEL);
	struct blob b = { 0, big, GUEST_BIG }, hello = { 0, "written by the guest\n", 21 };
	struct blob far = { 20 << 20, "FAR", 3 }, huge = { 5ULL << 30, "HUGE", 4 };
	u64 before, cut = 5000, i;
	struct dentry *d;
	char buf[8];

	KT_ASSERT(t, big && !IS_ERR(sb));
	KT_EXPECT(t, !(sb->s_flags & SB_RDONLY));
	for (i = 0; i < GUEST_BIG; i++)
		big[i] = pattern(i);
	before = free_blocks(sb);
	KT_EXPECT_EQ(t, op(sb, do_mkdir, "", "guest", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, op(sb, do_mkdir, "", "guest2", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, op(sb, do_mkdir, "guest", "subdir", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, op(sb, do_create_write, "guest", "big", NULL, NULL, &b), 0);
	KT_EXPECT_EQ(t, op(sb, do_create_write, "guest", "hello", NULL, NULL, &hello), 0);
	KT_EXPECT_EQ(t, op(sb, do_create_write, "guest", "sparse", NULL, NULL, &far), 0);
	/* Past 4 GiB: the size's high word (large_file), through the triple-indirect block. */
	KT_EXPECT_EQ(t, op(sb, do_create_write, "guest", "huge", NULL, NULL, &huge), 0);
	KT_EXPECT_EQ(t, op(sb, do_create_write, "guest", "cut", NULL, NULL, &b), 0);
	KT_EXPECT_EQ(t, op(sb, do_create_write, "guest", "gone", NULL, NULL, &b), 0);
	KT_EXPECT_EQ(t, op(sb, do_symlink, "guest", "fast", NULL, NULL, "hello"), 0);
	KT_EXPECT_EQ(t, op(sb, do_symlink, "guest", "slow", NULL, NULL, SLOW_TARGET), 0);
	KT_EXPECT_EQ(t, op(sb, do_link, "guest", "hello", "guest2", "hello-link", NULL), 0);
	KT_EXPECT_EQ(t, nlink_of(sb, "guest/hello"), 2);
	/* At ext2's link limit: EMLINK for one more name, or one more subdirectory. */
	d = walk(sb, "guest/hello");
	KT_ASSERT(t, !IS_ERR(d) && d->d_inode);
	d->d_inode->i_nlink = 32000;
	KT_EXPECT_EQ(t, op(sb, do_link, "guest", "hello", "guest2", "one-too-many", NULL), -EMLINK);
	d->d_inode->i_nlink = 2;
	dput(d);
	d = walk(sb, "guest2");
	KT_ASSERT(t, !IS_ERR(d) && d->d_inode);
	d->d_inode->i_nlink = 32000;
	KT_EXPECT_EQ(t, op(sb, do_mkdir, "guest2", "one-too-many", NULL, NULL, NULL), -EMLINK);
	d->d_inode->i_nlink = 2;
	dput(d);
	/* Across directories: a file, and a directory whose ".." must follow. */
	KT_EXPECT_EQ(t, op(sb, do_rename, "guest", "big", "guest2", "big-moved", NULL), 0);
	KT_EXPECT_EQ(t, op(sb, do_rename, "guest", "subdir", "guest2", "subdir", NULL), 0);
	KT_EXPECT_EQ(t, nlink_of(sb, "guest"), 2);
	KT_EXPECT_EQ(t, nlink_of(sb, "guest2"), 3);
	/* Replacing: victim names gone's inode, and victim's own inode is freed. */
	KT_EXPECT_EQ(t, op(sb, do_create_write, "guest2", "victim", NULL, NULL, &hello), 0);
	KT_EXPECT_EQ(t, op(sb, do_rename, "guest", "gone", "guest2", "victim", NULL), 0);
	KT_EXPECT_EQ(t, op(sb, do_rmdir, "", "guest2", NULL, NULL, NULL), -ENOTEMPTY);
	KT_EXPECT_EQ(t, op(sb, do_truncate, "guest", "cut", NULL, NULL, &cut), 0);
	KT_EXPECT_EQ(t, op(sb, do_create_write, "", "tmpfile", NULL, NULL, &b), 0);
	KT_EXPECT_EQ(t, op(sb, do_unlink, "", "tmpfile", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, op(sb, do_mkdir, "", "tmpdir", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, op(sb, do_rmdir, "", "tmpdir", NULL, NULL, NULL), 0);
	KT_EXPECT(t, free_blocks(sb) < before);
	deactivate_super(sb);

	/* Everything is there after a remount, read back from the disk. */
	invalidate_bdev(blk_lookup("vdc"));
	sb = mount("vdc", 0);
	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, file_is(sb, "guest/hello", "written by the guest\n"));
	KT_EXPECT(t, file_is(sb, "guest2/hello-link", "written by the guest\n"));
	KT_EXPECT(t, link_is(sb, "guest/fast", "hello"));
	KT_EXPECT(t, link_is(sb, "guest/slow", SLOW_TARGET));
	d = walk(sb, "guest2/big-moved");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && big_ok(d->d_inode, GUEST_BIG));
	dput(IS_ERR(d) ? NULL : d);
	d = walk(sb, "guest2/victim");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && big_ok(d->d_inode, GUEST_BIG));
	dput(IS_ERR(d) ? NULL : d);
	d = walk(sb, "guest/cut");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && big_ok(d->d_inode, cut));
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && d->d_inode->i_blocks <= 2 * (cut / 1024 + 2));
	dput(IS_ERR(d) ? NULL : d);
	d = walk(sb, "guest/sparse");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && d->d_inode->i_size == (20 << 20) + 3 &&
		  d->d_inode->i_blocks <= 2 * 5);
	dput(IS_ERR(d) ? NULL : d);
	d = walk(sb, "guest/huge");
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && d->d_inode->i_size == (5ULL << 30) + 4);
	KT_EXPECT(t, !IS_ERR(d) && d->d_inode && kread(d->d_inode, 5ULL << 30, buf, 8) == 4 &&
		  !memcmp(buf, "HUGE", 4));
	dput(IS_ERR(d) ? NULL : d);
	KT_EXPECT(t, ino_of(sb, "guest2/subdir/..") && ino_of(sb, "guest2/subdir/..") == ino_of(sb, "guest2"));
	d = walk(sb, "tmpfile");
	KT_EXPECT(t, !IS_ERR(d) && !d->d_inode);
	dput(IS_ERR(d) ? NULL : d);
	deactivate_super(sb);
	kfree(big);
}

static void writes_tree(struct ktest *t)
{
	ext2_in_thread(t, do_writes_tree);
}

/* Filling the disk ends in -ENOSPC; deleting the file gives every block back. */
static void do_enospc(struct ktest *t)
{
	struct super_block *sb = mount("vdc", 0);
	static const char zero[1024];
	struct blob b = { 0, zero, sizeof(zero) };
	u64 before, i;
	int err = 0;
	struct dentry *d;

	KT_ASSERT(t, !IS_ERR(sb));
	before = free_blocks(sb);
	KT_EXPECT_EQ(t, op(sb, do_create_write, "", "filler", NULL, NULL, &b), 0);
	d = walk(sb, "filler");
	KT_ASSERT(t, !IS_ERR(d) && d->d_inode);
	inode_lock(d->d_inode);
	for (i = 1; !err && i < 100000; i++)
		err = kwrite(d->d_inode, i * 1024, zero, sizeof(zero));
	inode_unlock(d->d_inode);
	dput(d);
	KT_EXPECT_EQ(t, err, -ENOSPC);
	KT_EXPECT_EQ(t, free_blocks(sb), 0);
	KT_EXPECT_EQ(t, op(sb, do_unlink, "", "filler", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, free_blocks(sb), before);
	deactivate_super(sb);
}

static void enospc(struct ktest *t)
{
	ext2_in_thread(t, do_enospc);
}

static void do_bad_images(struct ktest *t)
{
	struct super_block *sb;

	/* Not ext2 at all (the block tests' pattern disk). */
	KT_EXPECT_EQ(t, PTR_ERR(mount("vdb", SB_RDONLY)), -EINVAL);
	KT_EXPECT_EQ(t, PTR_ERR(mount("vdd", SB_RDONLY)), -EUCLEAN);
	/* Not cleanly unmounted: read-only, with a message. */
	sb = mount("vde", 0);
	KT_ASSERT(t, !IS_ERR(sb));
	KT_EXPECT(t, sb->s_flags & SB_RDONLY);
	KT_EXPECT(t, file_is(sb, "hello.txt", "hello from the host\n"));
	deactivate_super(sb);
}

static void bad_images(struct ktest *t)
{
	ext2_in_thread(t, do_bad_images);
}

KTEST_SUITE(block_ext2,
	    KTEST_CASE(reads_host_files),
	    KTEST_CASE(writes_tree),
	    KTEST_CASE(enospc),
	    KTEST_CASE(bad_images));
