/* SPDX-License-Identifier: BSD-2-Clause */
/* vfat: mounting, inodes, and regular files' data through the buffer cache. */
#include <hartix/blkdev.h>
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/preempt.h>
#include <hartix/printk.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/uaccess.h>

#include "fat.h"

/*
 * Data goes through the buffer cache in sectors, like the metadata: a
 * cluster freed from a directory and given to a file is then one set of
 * buffers, never two copies that could be written back over each other.
 */

void fat_lock(struct fat_sb *sbi)
{
	mutex_lock(&sbi->lock);
}

/* Dirtied only now: the writeback thread must not write a buffer half changed and clean it. */
static void map_release_dirty(struct fat_sb *sbi)
{
	if (sbi->map_dirty)
		mark_buffer_dirty(sbi->map_bh);
	sbi->map_dirty = false;
}

void fat_unlock(struct fat_sb *sbi)
{
	map_release_dirty(sbi);
	mutex_unlock(&sbi->lock);
}

/* struct fat_vol's map(), under sbi->lock: one buffer held at a time. */
static u8 *fat_map(void *ctx, u64 sector, bool write, int *err)
{
	struct fat_sb *sbi = ctx;
	struct buffer_head *bh = sbi->map_bh;

	if (!bh || bh->b_blocknr != sector) {
		if (bh) {
			map_release_dirty(sbi);
			brelse(bh);
		}
		sbi->map_bh = NULL;
		bh = bread(sbi->sb->s_bdev, sector, sbi->v.g.sector_size);
		if (IS_ERR(bh)) {
			*err = (int)PTR_ERR(bh);
			return NULL;
		}
		sbi->map_bh = bh;
	}
	sbi->map_dirty |= write;
	return bh->b_data;
}

/* struct fat_vol's barrier(), under sbi->lock: the buffer still mapped counts as written. */
static int fat_barrier(void *ctx)
{
	struct fat_sb *sbi = ctx;

	map_release_dirty(sbi);
	return sync_blockdev(sbi->sb->s_bdev);
}

static bool fat_ipos_busy(void *ctx, u64 ipos)
{
	struct fat_sb *sbi = ctx;
	struct fat_detached *d;

	for (d = sbi->detached; d; d = d->next)
		if (d->ino == ipos)
			return true;
	return false;
}

int fat_error(struct super_block *sb, int err, const char *what)
{
	if (err == -EUCLEAN || err == -EIO)
		pr_err("vfat: %s: %s (error %d): run fsck.vfat\n", sb->s_bdev->name, what, err);
	return err;
}

u64 fat_ino_of(struct fat_sb *sbi, u64 ipos)
{
	struct fat_detached *d;

	for (d = sbi->detached; d; d = d->next)
		if (d->cur == ipos)
			return d->ino;
	return ipos;
}

/*
 * inode's entry moved to cur (0: removed). *spare is a record allocated
 * beforehand (the on-disk change is made by then); it is used or left.
 */
void fat_detach(struct fat_sb *sbi, struct inode *inode, u64 cur, struct fat_detached **spare)
{
	struct fat_detached *d, **pp;

	for (pp = &sbi->detached; (d = *pp); pp = &d->next)
		if (d->ino == inode->i_ino)
			break;
	if (d && cur == inode->i_ino) { /* back where it started */
		*pp = d->next;
		kfree(d);
		return;
	}
	if (!d && cur == inode->i_ino)
		return;
	if (!d) {
		d = *spare;
		*spare = NULL;
		d->ino = inode->i_ino;
		d->next = sbi->detached;
		sbi->detached = d;
	}
	d->cur = cur;
}

/* FAT keeps mtime to 2 s and atime to the day (Linux's fat_truncate_time()). */
static void fat_round_times(struct inode *inode)
{
	inode->i_mtime.tv_sec &= ~1L;
	inode->i_mtime.tv_nsec = 0;
	inode->i_ctime = inode->i_mtime;
	inode->i_atime.tv_sec -= inode->i_atime.tv_sec % 86400;
	inode->i_atime.tv_nsec = 0;
}

static void fat_touch(struct inode *inode)
{
	s64 ns = ktime_get_real_ns();

	inode->i_mtime.tv_sec = (long)(ns / 1000000000);
	inode->i_mtime.tv_nsec = 0;
	fat_round_times(inode);
	mark_inode_dirty(inode);
}

void fat_raw_now(u8 *raw)
{
	s64 ns = ktime_get_real_ns();
	u16 date, time;
	u8 cs;

	fat_time_from_unix(ns / 1000000000, (u32)(ns % 1000000000), &date, &time, &cs);
	raw[13] = cs;
	fat_put_le16(raw + 14, time);
	fat_put_le16(raw + 16, date);
	fat_put_le16(raw + 18, date);
	fat_put_le16(raw + 22, time);
	fat_put_le16(raw + 24, date);
}

static const struct inode_operations fat_file_iops;
static const struct file_operations fat_file_fops;
static const struct address_space_operations fat_aops;

static void fat_fill(struct inode *inode, const struct fat_dirent *de, u64 dir_size, u32 nsub)
{
	struct fat_inode *fi = FAT_I(inode);
	struct fat_sb *sbi = FAT_SB(inode->i_sb);
	u32 csize = sbi->v.g.cluster_size;

	fi->start = de->cluster;
	fi->ipos = de->ipos;
	fi->attr = de->attr;
	fi->nclus = FAT_UNKNOWN;
	if (de->attr & FAT_ATTR_DIR) {
		inode->i_mode = S_IFDIR | (0777 & ~FAT_MODE_MASK);
		inode->i_nlink = 2 + nsub;
		inode->i_size = dir_size;
		inode->i_op = &fat_dir_iops;
		inode->i_fop = &fat_dir_fops;
	} else {
		inode->i_mode = S_IFREG | (0777 & ~FAT_MODE_MASK);
		inode->i_nlink = 1;
		inode->i_size = de->size;
		inode->i_op = &fat_file_iops;
		inode->i_fop = &fat_file_fops;
		inode->i_aops = &fat_aops;
	}
	if (de->attr & FAT_ATTR_RO)
		inode->i_mode &= ~0222U;
	inode->i_uid = inode->i_gid = 0;
	inode->i_mtime.tv_sec = (long)fat_time_to_unix(de->mdate, de->mtime, 0, NULL);
	inode->i_atime.tv_sec = (long)fat_time_to_unix(de->adate, 0, 0, NULL);
	fat_round_times(inode);
	inode->i_blocks = (inode->i_size + csize - 1) / csize * (csize / 512);
}

/* Under sbi->lock: the directory's size (its clusters) and subdirectories. */
static int fat_dir_stats(struct fat_sb *sbi, u32 start, u64 *size, u32 *nsub)
{
	struct fat_dirent de;
	u32 pos = 0, nclus;
	int ret;

	*nsub = 0;
	if (start) {
		ret = fat_chain_len(&sbi->v, start, &nclus);
		if (ret)
			return ret;
		*size = (u64)nclus * sbi->v.g.cluster_size;
	} else {
		*size = (u64)sbi->v.g.root_sectors * sbi->v.g.sector_size;
	}
	while ((ret = fat_dir_next(&sbi->v, start, &pos, &de)) > 0)
		*nsub += (de.attr & FAT_ATTR_DIR) && !de.dot;
	return ret;
}

struct inode *fat_iget(struct super_block *sb, const struct fat_dirent *de, struct inode *dir)
{
	struct fat_sb *sbi = FAT_SB(sb);
	struct fat_dirent d = *de;
	struct inode *inode;
	u64 ino, size = 0;
	u32 nsub = 0;
	int err = 0;

	if (sbi->v.g.type != FAT32)
		d.cluster &= 0xffff; /* FAT12/16 keep something else in the high half */
	fat_lock(sbi);
	ino = fat_ino_of(sbi, d.ipos);
	fat_unlock(sbi);
	inode = iget_locked(sb, ino);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW))
		return inode;
	if (d.attr & FAT_ATTR_DIR) {
		fat_lock(sbi);
		/* Cluster 0 would be the fixed root: a directory without one is corrupt. */
		err = d.cluster ? fat_dir_stats(sbi, d.cluster, &size, &nsub) : -EUCLEAN;
		fat_unlock(sbi);
	}
	if (err) {
		iget_failed(inode);
		return ERR_PTR(fat_error(sb, err, "bad directory"));
	}
	fat_fill(inode, &d, size, nsub);
	FAT_I(inode)->parent_ino = dir->i_ino;
	unlock_new_inode(inode);
	return inode;
}

/* Under sbi->lock: nclus and last known. */
static int fat_chain_known(struct fat_sb *sbi, struct fat_inode *fi)
{
	int err;

	if (fi->nclus != FAT_UNKNOWN)
		return 0;
	err = fat_chain_len(&sbi->v, fi->start, &fi->nclus);
	if (!err && fi->nclus)
		err = fat_walk(&sbi->v, fi->start, fi->nclus - 1, &fi->last);
	if (err)
		fi->nclus = FAT_UNKNOWN;
	return err;
}

/* Zeroes cluster clus's buffers (it was free: its old contents must not show). */
static int fat_zero_cluster(struct fat_sb *sbi, u32 clus)
{
	u64 first = sbi->v.g.data_sector + (u64)(clus - 2) * sbi->v.g.sec_per_clus;
	u32 k;

	for (k = 0; k < sbi->v.g.sec_per_clus; k++) {
		struct buffer_head *bh = getblk(sbi->sb->s_bdev, first + k, sbi->v.g.sector_size);

		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		lock_buffer(bh);
		memset(bh->b_data, 0, bh->b_size);
		set_buffer_uptodate(bh);
		unlock_buffer(bh);
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	return 0;
}

/* Makes sure the file has clusters for bytes [0, size), zeroed. */
static int fat_extend(struct inode *inode, u64 size)
{
	struct fat_sb *sbi = FAT_SB(inode->i_sb);
	struct fat_inode *fi = FAT_I(inode);
	u32 csize = sbi->v.g.cluster_size;
	u64 need = (size + csize - 1) / csize;
	int err;

	fat_lock(sbi);
	err = fat_chain_known(sbi, fi);
	while (!err && fi->nclus < need) {
		u32 clus;

		err = fat_alloc(&sbi->v, fi->nclus ? fi->last : 0, &clus);
		if (err)
			break;
		err = fat_zero_cluster(sbi, clus);
		if (err) { /* give it back */
			if (fi->nclus)
				fat_put(&sbi->v, fi->last, FAT_EOC);
			fat_free_chain(&sbi->v, clus);
			break;
		}
		if (!fi->nclus) {
			fi->start = clus;
			mark_inode_dirty(inode);
		}
		fi->last = clus;
		fi->nclus++;
		inode->i_blocks = (u64)fi->nclus * (csize / 512);
	}
	fat_unlock(sbi);
	return err == -EUCLEAN ? fat_error(inode->i_sb, err, "broken cluster chain") : err;
}

/* Frees the clusters past size and sets i_size (shrinking only). */
static int fat_shrink(struct inode *inode, u64 size)
{
	struct fat_sb *sbi = FAT_SB(inode->i_sb);
	struct fat_inode *fi = FAT_I(inode);
	u32 csize = sbi->v.g.cluster_size, keep = (u32)((size + csize - 1) / csize), last, next;
	int err = 0;

	fat_lock(sbi);
	/* First: a reader's get_block() past the shorter chain then sees the new size. */
	inode->i_size = size;
	if (!keep) {
		err = fat_free_chain(&sbi->v, fi->start);
		fi->start = 0;
	} else if (fi->start) {
		err = fat_walk(&sbi->v, fi->start, keep - 1, &last);
		if (!err && last != FAT_EOC)
			err = fat_next(&sbi->v, last, &next);
		if (!err && last != FAT_EOC && next != FAT_EOC) {
			err = fat_put(&sbi->v, last, FAT_EOC);
			if (!err)
				err = fat_free_chain(&sbi->v, next);
		}
	}
	fi->nclus = FAT_UNKNOWN;
	fi->cur = (struct fat_cursor){ 0 }; /* it may sit on a freed cluster */
	fat_unlock(sbi);
	inode->i_blocks = (u64)keep * (csize / 512);
	mark_inode_dirty(inode);
	return err == -EUCLEAN ? fat_error(inode->i_sb, err, "broken cluster chain") : err;
}

/*
 * The disk sector of file block iblock (sector_size units), 0 past the
 * chain. create: clusters up to it are added (zeroed).
 */
static int fat_get_block(struct inode *inode, u64 iblock, u64 *pblock, int create)
{
	struct fat_sb *sbi = FAT_SB(inode->i_sb);
	struct fat_inode *fi = FAT_I(inode);
	int err = -ENOENT;

	*pblock = 0;
	fat_lock(sbi);
	if (fi->start)
		err = fat_chain_sector(&sbi->v, &fi->cur, fi->start, iblock, pblock);
	/* Past the chain: nothing, unless the size says the file goes on. */
	if (err == -ENOENT && !create && iblock * sbi->v.g.sector_size < inode->i_size)
		err = -EUCLEAN;
	fat_unlock(sbi);
	if (err == -ENOENT && create) {
		err = fat_extend(inode, (iblock + 1) * sbi->v.g.sector_size);
		if (!err)
			return fat_get_block(inode, iblock, pblock, false);
	}
	if (err == -ENOENT)
		err = 0;
	return err == -EUCLEAN ? fat_error(inode->i_sb, err, "cluster chain broken or shorter than the file") : err;
}

/*
 * Bytes past i_size in the last cluster read back as zeroes once the file
 * grows over them: they are zeroed before it does (other systems leave
 * anything there), and new clusters come zeroed. Under i_mutex.
 */
static int fat_zero_tail(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	u32 ss = FAT_SB(sb)->v.g.sector_size, csize = FAT_SB(sb)->v.g.cluster_size;
	u64 pos = inode->i_size, end = (pos + csize - 1) / csize * csize;

	while (pos < end) {
		struct buffer_head *bh;
		u64 blk;
		int err = fat_get_block(inode, pos / ss, &blk, false);

		if (err || !blk)
			return err;
		bh = bread(sb->s_bdev, blk, ss);
		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		lock_buffer(bh);
		memset((u8 *)bh->b_data + pos % ss, 0, ss - pos % ss);
		mark_buffer_dirty(bh);
		unlock_buffer(bh);
		brelse(bh);
		pos = (pos / ss + 1) * ss;
	}
	return 0;
}

/* Truncate up: zeroes to the new size, in the clusters it takes. Under i_mutex. */
static int fat_grow(struct inode *inode, u64 size)
{
	int err = fat_zero_tail(inode);

	if (!err)
		err = fat_extend(inode, size);
	if (!err)
		inode->i_size = size;
	return err;
}

/* Before generic_file_write(): FAT's limit of 4 GiB - 1 bytes, and no holes. Under i_mutex. */
static int fat_prepare_write(struct inode *inode, u64 pos, size_t *n)
{
	int err = 0;

	if (pos >= FAT_MAX_SIZE && *n)
		return -EFBIG;
	if (pos > inode->i_size)
		err = fat_zero_tail(inode);
	if (!err) {
		FAT_I(inode)->attr |= FAT_ATTR_ARCH;
		*n = (size_t)min((u64)*n, FAT_MAX_SIZE - pos);
	}
	return err;
}

static int fat_write_inode(struct inode *inode, bool sync)
{
	struct fat_sb *sbi = FAT_SB(inode->i_sb);
	struct fat_inode *fi = FAT_I(inode);
	u16 date, time;
	u8 *p;
	int err;

	(void)sync; /* fsync and sync_fs write the device's buffers */
	if (inode->i_ino == FAT_ROOT_INO || !inode->i_nlink)
		return 0;
	fat_lock(sbi);
	p = fat_map_ipos(&sbi->v, fi->ipos, true, &err);
	if (p) {
		fi->attr = (u8)((fi->attr & ~FAT_ATTR_RO) | (inode->i_mode & 0222 ? 0 : FAT_ATTR_RO));
		p[11] = fi->attr;
		fat_dirent_set_cluster(p, fi->start);
		fat_put_le32(p + 28, S_ISDIR(inode->i_mode) ? 0 : (u32)inode->i_size);
		fat_time_from_unix(inode->i_mtime.tv_sec, 0, &date, &time, NULL);
		fat_put_le16(p + 22, time);
		fat_put_le16(p + 24, date);
		fat_time_from_unix(inode->i_atime.tv_sec, 0, &date, &time, NULL);
		fat_put_le16(p + 18, date);
	}
	fat_unlock(sbi);
	return p ? 0 : fat_error(inode->i_sb, err, "cannot write a directory entry");
}

static void fat_evict_inode(struct inode *inode)
{
	struct fat_sb *sbi = FAT_SB(inode->i_sb);
	struct fat_detached *d, **pp;
	int err = 0;

	if (inode->i_nlink)
		return; /* only dropped from the cache: its number stays its entry's */
	fat_lock(sbi);
	err = fat_free_chain(&sbi->v, FAT_I(inode)->start);
	for (pp = &sbi->detached; (d = *pp); pp = &d->next) {
		if (d->ino == inode->i_ino) {
			*pp = d->next;
			kfree(d);
			break;
		}
	}
	fat_unlock(sbi);
	if (err)
		fat_error(inode->i_sb, err, "cannot free a removed file's clusters");
}

static struct inode *fat_alloc_inode(struct super_block *sb)
{
	struct fat_inode *fi = kzalloc(sizeof(*fi), GFP_KERNEL);

	(void)sb;
	return fi ? &fi->vfs_inode : NULL;
}

static void fat_free_inode(struct inode *inode)
{
	kfree(FAT_I(inode));
}

/* FSInfo's count and hint (FAT32), then FAT[1]'s clean bit: the last writes of a umount. */
static int fat_write_super(struct fat_sb *sbi, bool clean)
{
	int err = 0;

	fat_lock(sbi);
	if (sbi->v.g.fsinfo_sector && sbi->v.free_count != FAT_UNKNOWN) {
		u8 *p = fat_map(sbi, sbi->v.g.fsinfo_sector, true, &err);
		u32 free_count, next;

		if (p && !fat_fsinfo_read(p, &free_count, &next))
			fat_fsinfo_write(p, sbi->v.free_count, sbi->v.next_free);
	}
	if (!err)
		err = fat_set_clean(&sbi->v, clean);
	fat_unlock(sbi);
	return err;
}

static int fat_sync_fs(struct super_block *sb, bool wait)
{
	int err = 0;

	if (!(sb->s_flags & SB_RDONLY))
		err = fat_write_super(FAT_SB(sb), false);
	if (wait) {
		int err2 = sync_blockdev(sb->s_bdev);

		err = err ? err : err2;
	}
	return err;
}

static void fat_put_super(struct super_block *sb)
{
	struct fat_sb *sbi = FAT_SB(sb);

	if (!(sb->s_flags & SB_RDONLY) && fat_write_super(sbi, true))
		pr_err("vfat: %s: cannot mark the volume clean\n", sb->s_bdev->name);
	fat_lock(sbi);
	map_release_dirty(sbi);
	brelse(sbi->map_bh);
	sbi->map_bh = NULL;
	fat_unlock(sbi);
	sync_blockdev(sb->s_bdev);
}

static int fat_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct fat_sb *sbi = FAT_SB(sb);
	int err = 0;

	fat_lock(sbi);
	if (sbi->v.free_count == FAT_UNKNOWN)
		err = fat_count_free(&sbi->v);
	memset(st, 0, sizeof(*st));
	st->f_type = FAT_MSDOS_MAGIC;
	st->f_bsize = st->f_frsize = sbi->v.g.cluster_size;
	st->f_blocks = sbi->v.g.nr_clusters;
	st->f_bfree = st->f_bavail = err ? 0 : sbi->v.free_count;
	st->f_namelen = FAT_LFN_MAX * 6; /* Linux's, with NLS_MAX_CHARSET_SIZE */
	fat_unlock(sbi);
	return err;
}

/* The VFS calls it only for a change of SB_RDONLY, the inodes written (include/hartix/fs.h). */
static int fat_remount(struct super_block *sb, unsigned long *flags)
{
	struct fat_sb *sbi = FAT_SB(sb);
	int err;

	/* Going read-only: the rest out, then clean; going read-write: dirty. */
	if (*flags & SB_RDONLY) {
		err = fat_write_super(sbi, true);
		return sync_blockdev(sb->s_bdev) ?: err;
	}
	if (sbi->unclean) {
		pr_warn("vfat: %s: cannot remount read-write: run fsck.vfat\n", sb->s_bdev->name);
		return -EROFS;
	}
	err = fat_write_super(sbi, false);
	/* On the disk now, as at mount: a power cut must find it dirty. */
	return err ?: sync_blockdev(sb->s_bdev);
}

static const struct super_operations fat_sops = {
	.alloc_inode = fat_alloc_inode,
	.free_inode = fat_free_inode,
	.write_inode = fat_write_inode,
	.evict_inode = fat_evict_inode,
	.put_super = fat_put_super,
	.sync_fs = fat_sync_fs,
	.statfs = fat_statfs,
	.remount_fs = fat_remount,
};

/* Linux's fat_sanitize_mode_change() with fmask = dmask = 022 and no rodir. */
static int fat_mode_ok(struct inode *inode, u32 mode, u32 *out)
{
	u32 perm = mode & 0777 & ~FAT_MODE_MASK;

	if (mode & ~(S_IFMT | 0777))
		return -EPERM;
	if ((perm & 0555) != (inode->i_mode & 0555))
		return -EPERM;
	/* A file's write bits are all or none (the RO attribute); a directory's all. */
	if (S_ISREG(inode->i_mode) ? (perm & 0222) && (perm & 0222) != (0222 & ~FAT_MODE_MASK) :
				     (perm & 0222) != (0222 & ~FAT_MODE_MASK))
		return -EPERM;
	*out = (inode->i_mode & S_IFMT) | perm;
	return 0;
}

int fat_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	u32 mode = inode->i_mode;
	int err = 0;

	/* Owners and modes are the mount's: changes to them are refused as by Linux. */
	if (((attr->ia_valid & ATTR_UID) && attr->ia_uid != inode->i_uid) ||
	    ((attr->ia_valid & ATTR_GID) && attr->ia_gid != inode->i_gid))
		return -EPERM;
	if ((attr->ia_valid & ATTR_MODE) && fat_mode_ok(inode, attr->ia_mode, &mode))
		return -EPERM;
	if (attr->ia_valid & ATTR_SIZE) {
		if (!S_ISREG(inode->i_mode))
			return -EISDIR;
		if (attr->ia_size > FAT_MAX_SIZE)
			return -EFBIG;
		if (attr->ia_size < inode->i_size)
			err = fat_shrink(inode, attr->ia_size);
		else
			err = fat_grow(inode, attr->ia_size);
		if (err)
			return err;
		fat_touch(inode);
	}
	inode->i_mode = mode;
	if (attr->ia_valid & ATTR_MTIME)
		inode->i_mtime = attr->ia_mtime;
	if (attr->ia_valid & ATTR_ATIME)
		inode->i_atime = attr->ia_atime;
	fat_round_times(inode);
	mark_inode_dirty(inode);
	return 0;
}

static int fat_fsync(struct file *f, bool datasync)
{
	struct inode *inode = f->inode;
	int err = 0;

	(void)datasync;
	if (!(inode->i_sb->s_flags & SB_RDONLY))
		err = fat_write_inode(inode, true);
	return err ? err : sync_blockdev(inode->i_sb->s_bdev);
}

static const struct inode_operations fat_file_iops = {
	.setattr = fat_setattr,
};

static const struct address_space_operations fat_aops = {
	.get_block = fat_get_block,
	.prepare_write = fat_prepare_write,
};

static const struct file_operations fat_file_fops = {
	.read_at = generic_file_read,
	.write_at = generic_file_write,
	.write_kernel = generic_file_write_kernel,
	.fsync = fat_fsync,
	.seekable = true,
};

static int fat_fill_root(struct super_block *sb)
{
	struct fat_sb *sbi = FAT_SB(sb);
	struct fat_dirent de = { .attr = FAT_ATTR_DIR };
	struct inode *root = iget_locked(sb, FAT_ROOT_INO);
	u64 size = 0;
	u32 nsub = 0;
	int err;

	if (!root)
		return -ENOMEM;
	de.cluster = sbi->v.g.type == FAT32 ? sbi->v.g.root_cluster : 0;
	fat_lock(sbi);
	err = fat_dir_stats(sbi, de.cluster, &size, &nsub);
	fat_unlock(sbi);
	if (err) {
		iget_failed(root);
		return fat_error(sb, err, "bad root directory");
	}
	fat_fill(root, &de, size, nsub);
	FAT_I(root)->parent_ino = FAT_ROOT_INO;
	root->i_mtime.tv_sec = root->i_atime.tv_sec = root->i_ctime.tv_sec = 0;
	unlock_new_inode(root);
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static int fat_fill_super(struct super_block *sb, const char *options, int silent)
{
	struct buffer_head *bh = bread(sb->s_bdev, 0, 512);
	struct fat_sb *sbi;
	const char *why;
	bool clean;
	u8 *p = NULL;
	int err;

	(void)options; /* Linux's defaults: utf8, shortname=mixed, umask 022 */
	if (IS_ERR(bh)) {
		pr_err("vfat: %s: cannot read the boot sector\n", sb->s_bdev->name);
		return (int)PTR_ERR(bh);
	}
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi) {
		brelse(bh);
		return -ENOMEM;
	}
	err = fat_parse_boot(bh->b_data, sb->s_bdev->nr_sectors * SECTOR_SIZE, &sbi->v.g, &why);
	brelse(bh);
	if (err) {
		if (!silent || err != -EINVAL)
			pr_err("vfat: %s: %s\n", sb->s_bdev->name, why);
		kfree(sbi);
		return err;
	}
	mutex_init(&sbi->lock);
	sbi->sb = sb;
	sbi->v.map = fat_map;
	sbi->v.ctx = sbi;
	sbi->v.ipos_busy = fat_ipos_busy;
	sbi->v.barrier = fat_barrier;
	sb->s_fs_info = sbi;
	sb->s_blocksize = sbi->v.g.sector_size;
	sb->s_op = &fat_sops;

	fat_lock(sbi);
	if (sbi->v.g.fsinfo_sector)
		p = fat_map(sbi, sbi->v.g.fsinfo_sector, false, &err);
	fat_vol_init(&sbi->v, p);
	err = fat_is_clean(&sbi->v, &clean);
	sbi->unclean = !err && !clean;
	/* As ext2 here (and the power-cut test): the damage stays as it is until fsck. */
	if (!err && !clean && !(sb->s_flags & SB_RDONLY)) {
		pr_warn("vfat: %s: not unmounted cleanly: mounting read-only, run fsck.vfat\n",
			sb->s_bdev->name);
		sb->s_flags |= SB_RDONLY;
	}
	/* Dirty while mounted read-write: a power cut leaves it for fsck to see. */
	if (!err && !(sb->s_flags & SB_RDONLY))
		err = fat_set_clean(&sbi->v, false);
	fat_unlock(sbi);
	/* On the disk now: a power cut before the first writeback must find it dirty. */
	if (!err && !(sb->s_flags & SB_RDONLY))
		err = sync_blockdev(sb->s_bdev);
	if (!err)
		err = fat_fill_root(sb);
	if (err) {
		fat_error(sb, err, "cannot mount");
		brelse(sbi->map_bh);
		kfree(sbi);
		sb->s_fs_info = NULL;
	}
	return err;
}

static void fat_kill_sb(struct super_block *sb)
{
	struct fat_sb *sbi = FAT_SB(sb);

	while (sbi && sbi->detached) {
		struct fat_detached *d = sbi->detached;

		sbi->detached = d->next;
		kfree(d);
	}
	kfree(sbi);
	sb->s_fs_info = NULL;
}

static struct file_system_type vfat_fs_type = {
	.name = "vfat",
	.fs_flags = FS_REQUIRES_DEV,
	.fill_super = fat_fill_super,
	.kill_sb = fat_kill_sb,
};
DEFINE_FILESYSTEM(vfat_fs_type);
