/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the disk file system suites (kernel/tests/fs_test.h). */
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/kernel.h>
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
