/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the disk file system suites (kernel/tests/fs_test.h). */
#include <hartix/blkdev.h>
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/ktest.h>
#include <hartix/slab.h>
#include <hartix/string.h>

#include "fs_test.h"

struct dentry *fs_walk(struct super_block *sb, const char *path)
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

long fs_kread(struct inode *inode, u64 pos, void *buf, size_t len)
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

int fs_kwrite(struct inode *inode, u64 pos, const void *buf, size_t len)
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

int fs_count_entries(struct inode *dir)
{
	struct file f = { .inode = dir };
	struct names n = { .ctx = { .actor = count_name } };
	int err = dir->i_fop->iterate(&f, &n.ctx);

	return err ? err : n.dots == 2 ? n.count : -EUCLEAN;
}

int fs_op(struct super_block *sb, fs_op_fn fn, const char *dirpath, const char *name,
	  const char *dir2path, const char *name2, const void *arg)
{
	struct dentry *dir = fs_walk(sb, dirpath), *d = NULL, *dir2 = NULL, *d2 = NULL;
	int err = -ENOENT;

	if (IS_ERR(dir))
		return (int)PTR_ERR(dir);
	d = lookup_one(dir, name, (u32)strlen(name));
	if (dir2path) {
		dir2 = fs_walk(sb, dir2path);
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

u8 fs_pattern(u64 i)
{
	return (u8)(i * 7 + i / 251);
}

struct super_block *fs_mount(const char *type, const char *dev, unsigned long flags)
{
	struct file_system_type *fst = get_fs_type(type);

	if (!fst || !blk_lookup(dev))
		return ERR_PTR(-ENODEV);
	return vfs_get_super(fst, blk_lookup(dev), flags, "");
}

bool fs_file_is(struct super_block *sb, const char *path, const char *want)
{
	struct dentry *d = fs_walk(sb, path);
	char buf[64];
	long n;

	if (IS_ERR(d) || !d->d_inode) {
		dput(IS_ERR(d) ? NULL : d);
		return false;
	}
	n = fs_kread(d->d_inode, 0, buf, sizeof(buf));
	dput(d);
	return n == (long)strlen(want) && !memcmp(buf, want, (size_t)n);
}

struct fs_attr fs_attr_of(struct super_block *sb, const char *path)
{
	struct dentry *d = fs_walk(sb, path);
	struct fs_attr a = { 0, 0, 0 };

	if (IS_ERR(d))
		return a;
	if (d->d_inode)
		a = (struct fs_attr){ d->d_inode->i_ino, d->d_inode->i_nlink,
				      d->d_inode->i_mode };
	dput(d);
	return a;
}

bool fs_guest_tree(struct ktest *t, struct super_block *sb, struct fs_guest *g, u64 sparse_pos)
{
	static const char *const copies[] = { "big", "cut", "gone" };
	struct fs_blob far = { sparse_pos, "FAR", 3 };
	u64 i;

	g->big = kmalloc(GUEST_BIG, GFP_KERNEL);
	if (!g->big)
		return false;
	for (i = 0; i < GUEST_BIG; i++)
		g->big[i] = fs_pattern(i);
	g->b = (struct fs_blob){ 0, g->big, GUEST_BIG };
	g->hello = (struct fs_blob){ 0, GUEST_HELLO, sizeof(GUEST_HELLO) - 1 };
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_mkdir, "", "guest", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_mkdir, "", "guest2", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_mkdir, "guest", "subdir", NULL, NULL, NULL), 0);
	for (i = 0; i < ARRAY_SIZE(copies); i++)
		KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest", copies[i], NULL, NULL, &g->b), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest", "hello", NULL, NULL, &g->hello), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "guest", "sparse", NULL, NULL, &far), 0);
	return true;
}

u64 fs_free_blocks(struct super_block *sb)
{
	struct kstatfs st;

	return sb->s_op->statfs(sb, &st) ? 0 : st.f_bfree;
}

int fs_do_mkdir(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		const void *arg)
{
	(void)dir2, (void)d2, (void)arg;
	return d->d_inode ? -EEXIST : dir->i_op->mkdir(dir, d, 0755);
}

int fs_do_create_write(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		       const void *arg)
{
	const struct fs_blob *b = arg;
	int err;

	(void)dir2, (void)d2;
	if (!d->d_inode) {
		err = dir->i_op->create(dir, d, 0644);
		if (err)
			return err;
	}
	inode_lock(d->d_inode);
	err = b->len ? fs_kwrite(d->d_inode, b->pos, b->data, b->len) : 0;
	inode_unlock(d->d_inode);
	return err;
}

int fs_do_symlink(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		  const void *arg)
{
	(void)dir2, (void)d2;
	return dir->i_op->symlink(dir, d, arg);
}

int fs_do_link(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
	       const void *arg)
{
	(void)dir, (void)arg;
	return dir2->i_op->link(d, dir2, d2);
}

int fs_do_rename(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		 const void *arg)
{
	return dir->i_op->rename(dir, d, dir2, d2, arg ? *(const unsigned int *)arg : 0);
}

int fs_do_unlink(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		 const void *arg)
{
	(void)dir2, (void)d2, (void)arg;
	return d->d_inode ? dir->i_op->unlink(dir, d) : -ENOENT;
}

int fs_do_rmdir(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		const void *arg)
{
	(void)dir2, (void)d2, (void)arg;
	return d->d_inode ? dir->i_op->rmdir(dir, d) : -ENOENT;
}

int fs_do_setattr(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		  const void *arg)
{
	struct iattr attr = *(const struct iattr *)arg;
	int err;

	(void)dir, (void)dir2, (void)d2;
	if (!d->d_inode)
		return -ENOENT;
	inode_lock(d->d_inode);
	err = d->d_inode->i_op->setattr(d, &attr);
	inode_unlock(d->d_inode);
	return err;
}

int fs_truncate(struct super_block *sb, const char *dir, const char *name, u64 size)
{
	struct iattr a = { .ia_valid = ATTR_SIZE, .ia_size = size };

	return fs_op(sb, fs_do_setattr, dir, name, NULL, NULL, &a);
}

int fs_chmod(struct super_block *sb, const char *dir, const char *name, u32 mode)
{
	struct iattr a = { .ia_valid = ATTR_MODE, .ia_mode = mode };

	return fs_op(sb, fs_do_setattr, dir, name, NULL, NULL, &a);
}

void fs_check_enospc(struct ktest *t, const char *type, const char *dev, u64 chunks)
{
	struct super_block *sb = fs_mount(type, dev, 0);
	static const char zero[4096];
	struct fs_blob b = { 0, zero, sizeof(zero) };
	struct dentry *d;
	u64 before, i;
	int err = 0;

	KT_ASSERT(t, !IS_ERR(sb));
	before = fs_free_blocks(sb);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_create_write, "", "filler", NULL, NULL, &b), 0);
	d = fs_walk(sb, "filler");
	KT_ASSERT(t, !IS_ERR(d) && d->d_inode);
	inode_lock(d->d_inode);
	for (i = 1; !err && i < chunks; i++)
		err = fs_kwrite(d->d_inode, i * sizeof(zero), zero, sizeof(zero));
	inode_unlock(d->d_inode);
	dput(d);
	KT_EXPECT_EQ(t, err, -ENOSPC);
	KT_EXPECT_EQ(t, fs_free_blocks(sb), 0);
	KT_EXPECT_EQ(t, fs_op(sb, fs_do_unlink, "", "filler", NULL, NULL, NULL), 0);
	KT_EXPECT_EQ(t, fs_free_blocks(sb), before);
	deactivate_super(sb);
}
