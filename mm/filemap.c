/* SPDX-License-Identifier: BSD-2-Clause */
/* Regular files of disk file systems: read and write through get_block() and the buffer cache, with readahead. */
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/time.h>
#include <hartix/uaccess.h>

/*
 * File data is cached as the file system's blocks in the buffer cache
 * (block/bcache.c), which evicts clean ones under its cap and writes
 * dirty ones back every 5 s, on sync and on unmount. A read that misses
 * the cache starts reading the next RA_BYTES of the file, so sequential
 * reads mostly find their blocks ready. The file system's get_block()
 * serialises its block map; writers and truncate hold i_mutex, so a
 * write's size change and data are atomic against other writes.
 */
#define RA_BYTES (128 * 1024)

static u32 block_shift(u32 bs)
{
	u32 shift = 9;

	while ((1U << shift) < bs)
		shift++;
	return shift;
}

static void readahead(struct inode *inode, u64 iblock, u64 end_block)
{
	struct super_block *sb = inode->i_sb;
	u64 n = RA_BYTES / sb->s_blocksize, pblock;

	for (; n && iblock < end_block; n--, iblock++)
		if (!inode->i_aops->get_block(inode, iblock, &pblock, false) && pblock)
			breadahead(sb->s_bdev, pblock, sb->s_blocksize);
}

long generic_file_read(struct file *f, char *ubuf, size_t n, u64 *pos)
{
	struct inode *inode = f->inode;
	struct super_block *sb = inode->i_sb;
	u32 bs = sb->s_blocksize, shift = block_shift(bs);
	u64 p = pos ? *pos : f->f_pos, size = inode->i_size;
	size_t done = 0;
	long err = 0;

	if (p >= size)
		return 0;
	n = min(n, (size_t)(size - p));
	while (done < n) {
		u64 iblock = p >> shift, pblock;
		u32 off = (u32)(p & (bs - 1)), chunk = (u32)min((size_t)(bs - off), n - done);
		size_t left;

		err = inode->i_aops->get_block(inode, iblock, &pblock, false);
		if (err)
			break;
		if (!pblock) {
			left = clear_user(ubuf + done, chunk);
		} else {
			struct buffer_head *bh = getblk(sb->s_bdev, pblock, bs);

			if (IS_ERR(bh)) {
				err = PTR_ERR(bh);
				break;
			}
			if (!buffer_uptodate(bh))
				readahead(inode, iblock + 1, (size + bs - 1) >> shift);
			brelse(bh);
			bh = bread(sb->s_bdev, pblock, bs);
			if (IS_ERR(bh)) {
				err = PTR_ERR(bh);
				break;
			}
			left = copy_to_user(ubuf + done, (u8 *)bh->b_data + off, chunk);
			brelse(bh);
		}
		done += chunk - left;
		p += chunk - left;
		if (left) {
			err = -EFAULT;
			break;
		}
	}
	if (pos)
		*pos = p;
	else
		f->f_pos = p;
	return done ? (long)done : err;
}

long generic_file_write(struct file *f, const char *ubuf, size_t n, u64 *pos)
{
	struct inode *inode = f->inode;
	struct super_block *sb = inode->i_sb;
	u32 bs = sb->s_blocksize, shift = block_shift(bs);
	size_t done = 0;
	long err = 0;
	u64 p;

	inode_lock(inode);
	p = (f->flags & O_APPEND) ? inode->i_size : pos ? *pos : f->f_pos;
	while (done < n) {
		u64 iblock = p >> shift, pblock;
		u32 off = (u32)(p & (bs - 1)), chunk = (u32)min((size_t)(bs - off), n - done);
		struct buffer_head *bh;
		size_t left;

		err = inode->i_aops->get_block(inode, iblock, &pblock, true);
		if (err)
			break;
		/* A whole block is overwritten without reading it; a new block is zeroed already. */
		bh = chunk == bs ? getblk(sb->s_bdev, pblock, bs) : bread(sb->s_bdev, pblock, bs);
		if (IS_ERR(bh)) {
			err = PTR_ERR(bh);
			break;
		}
		/* Locked: a readahead of this block must not land over the new data. */
		lock_buffer(bh);
		left = copy_from_user((u8 *)bh->b_data + off, ubuf + done, chunk);
		if (left && !buffer_uptodate(bh)) {
			/* Part of a buffer never read is not the block: drop the copy, it stays unread. */
			unlock_buffer(bh);
			brelse(bh);
		} else {
			mark_buffer_dirty(bh);
			unlock_buffer(bh);
			brelse(bh);
			done += chunk - left;
			p += chunk - left;
		}
		if (left) {
			err = -EFAULT;
			break;
		}
		if (p > inode->i_size)
			inode->i_size = p;
	}
	if (done) {
		s64 ns = ktime_get_real_ns();

		inode->i_mtime = (struct timespec){ (long)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC) };
		inode->i_ctime = inode->i_mtime;
		mark_inode_dirty(inode);
	}
	inode_unlock(inode);
	if (pos)
		*pos = p;
	else
		f->f_pos = p;
	return done ? (long)done : err;
}
