/* SPDX-License-Identifier: BSD-2-Clause */
/* vfat directories: lookup without case, readdir, create, mkdir, unlink, rmdir and rename. */
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <abi/dirent.h>

#include "fat.h"

/*
 * Each operation runs with the directories' i_mutex held by the VFS and
 * takes sbi->lock for the on-disk part only: fat_iget() and the dcache
 * calls come after it is dropped.
 */

static void dir_changed(struct inode *dir)
{
	s64 ns = ktime_get_real_ns();

	dir->i_mtime.tv_sec = (long)(ns / 1000000000) & ~1L;
	dir->i_mtime.tv_nsec = 0;
	dir->i_ctime = dir->i_mtime;
	mark_inode_dirty(dir);
}

static struct dentry *fat_lookup(struct inode *dir, struct dentry *dentry)
{
	struct fat_sb *sbi = FAT_SB(dir->i_sb);
	struct fat_dirent *de = kmalloc(sizeof(*de), GFP_KERNEL);
	struct inode *inode = NULL;
	int err;

	if (!de)
		return ERR_PTR(-ENOMEM);
	fat_lock(sbi);
	err = fat_dir_lookup(&sbi->v, FAT_I(dir)->start, dentry->d_name.name, dentry->d_name.len,
			     de);
	fat_unlock(sbi);
	if (!err)
		inode = fat_iget(dir->i_sb, de, dir);
	kfree(de);
	if (err && err != -ENOENT)
		return ERR_PTR(fat_error(dir->i_sb, err, "bad directory"));
	if (IS_ERR(inode))
		return ERR_PTR(PTR_ERR(inode));
	d_add(dentry, inode);
	return NULL;
}

/* The entry of dentry (an inode of ours) in dir, re-read under sbi->lock. */
static int find_entry(struct fat_sb *sbi, struct inode *dir, struct dentry *dentry,
		      struct fat_dirent *de)
{
	int err = fat_dir_lookup(&sbi->v, FAT_I(dir)->start, dentry->d_name.name,
				 dentry->d_name.len, de);

	if (!err && de->ipos != FAT_I(dentry->d_inode)->ipos)
		err = -EUCLEAN; /* the dcache and the disk disagree */
	return err;
}

/* create and mkdir: a new entry (and a directory's first cluster). */
static int fat_add(struct inode *dir, struct dentry *dentry, bool isdir)
{
	struct fat_sb *sbi = FAT_SB(dir->i_sb);
	struct fat_inode *fd = FAT_I(dir);
	u32 len = dentry->d_name.len, clus = 0;
	u8 raw[FAT_DIRENT_SIZE];
	struct fat_dirent *de;
	struct inode *inode;
	int err = fat_check_name(dentry->d_name.name, &len);

	if (err)
		return err;
	de = kmalloc(sizeof(*de), GFP_KERNEL);
	if (!de)
		return -ENOMEM;
	fat_dirent_build(raw, (const u8 *)"           ", isdir ? FAT_ATTR_DIR : FAT_ATTR_ARCH, 0, 0);
	fat_raw_now(raw);
	fat_lock(sbi);
	if (isdir) {
		/* ".." of a directory in the root says 0, FAT32 or not. */
		err = fat_alloc(&sbi->v, 0, &clus);
		if (!err)
			err = fat_dir_init(&sbi->v, clus,
					   dir->i_ino == FAT_ROOT_INO ? 0 : fd->start, raw);
		fat_dirent_set_cluster(raw, clus);
	}
	if (!err)
		err = fat_dir_add(&sbi->v, fd->start, dentry->d_name.name, len, raw, de);
	if (err && clus)
		fat_free_chain(&sbi->v, clus);
	fat_unlock(sbi);
	inode = err ? ERR_PTR(err) : fat_iget(dir->i_sb, de, dir);
	kfree(de);
	if (IS_ERR(inode))
		return err == -EUCLEAN ? fat_error(dir->i_sb, err, "bad directory") :
					 (int)PTR_ERR(inode);
	if (isdir)
		dir->i_nlink++;
	dir_changed(dir);
	d_instantiate(dentry, inode);
	return 0;
}

static int fat_create(struct inode *dir, struct dentry *dentry, u32 mode)
{
	(void)mode; /* modes are the mount's */
	return fat_add(dir, dentry, false);
}

static int fat_mkdir(struct inode *dir, struct dentry *dentry, u32 mode)
{
	(void)mode;
	return fat_add(dir, dentry, true);
}

/* unlink and rmdir: the entry goes now, the clusters when the inode does. */
static int fat_remove(struct inode *dir, struct dentry *dentry, bool isdir)
{
	struct fat_sb *sbi = FAT_SB(dir->i_sb);
	struct inode *inode = dentry->d_inode;
	struct fat_detached *spare = kmalloc(sizeof(*spare), GFP_KERNEL);
	struct fat_dirent *de = kmalloc(sizeof(*de), GFP_KERNEL);
	int err = 0;

	if (!spare || !de) {
		kfree(spare);
		kfree(de);
		return -ENOMEM;
	}
	fat_lock(sbi);
	if (isdir) {
		err = fat_dir_empty(&sbi->v, FAT_I(inode)->start);
		err = err < 0 ? err : err ? 0 : -ENOTEMPTY;
	}
	if (!err)
		err = find_entry(sbi, dir, dentry, de);
	if (!err)
		err = fat_dir_remove(&sbi->v, FAT_I(dir)->start, de->first_slot, de->nslots);
	if (!err)
		fat_detach(sbi, inode, 0, &spare);
	fat_unlock(sbi);
	kfree(spare);
	kfree(de);
	if (err)
		return err == -EUCLEAN ? fat_error(dir->i_sb, err, "bad directory") : err;
	inode->i_nlink = 0;
	if (isdir)
		dir->i_nlink--;
	dir_changed(dir);
	return 0;
}

static int fat_unlink(struct inode *dir, struct dentry *dentry)
{
	return fat_remove(dir, dentry, false);
}

static int fat_rmdir(struct inode *dir, struct dentry *dentry)
{
	return fat_remove(dir, dentry, true);
}

/* A copy of the short entry at ipos. */
static int read_raw(struct fat_sb *sbi, u64 ipos, u8 *raw)
{
	int err;
	u8 *p = fat_map_ipos(&sbi->v, ipos, false, &err);

	if (p)
		memcpy(raw, p, FAT_DIRENT_SIZE);
	return p ? 0 : err;
}

/*
 * The old entry and the target's are removed first and the new one added
 * with the old short entry's fields (a rename that only changes case must
 * find its own short name free). If the add fails, the old entries are
 * put back.
 */
static int fat_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
		      struct dentry *new, unsigned int flags)
{
	struct fat_sb *sbi = FAT_SB(old_dir->i_sb);
	struct inode *inode = old->d_inode, *target = new->d_inode;
	struct fat_detached *spare[2];
	struct fat_dirent *de, *tde, *nde;
	bool isdir = S_ISDIR(inode->i_mode);
	u32 len = new->d_name.len, olen = old->d_name.len;
	u8 raw[FAT_DIRENT_SIZE], traw[FAT_DIRENT_SIZE];
	bool removed = false, removed_target = false, renamed = false;
	int err, i;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL; /* no RENAME_EXCHANGE or WHITEOUT, as Linux's vfat */
	if (target == inode)
		target = NULL; /* the same entry under another case */
	if (target && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (target && S_ISDIR(target->i_mode) != isdir)
		return isdir ? -ENOTDIR : -EISDIR;
	err = fat_check_name(new->d_name.name, &len);
	if (err)
		return err;
	de = kmalloc(3 * sizeof(*de), GFP_KERNEL);
	spare[0] = kmalloc(sizeof(**spare), GFP_KERNEL);
	spare[1] = kmalloc(sizeof(**spare), GFP_KERNEL);
	if (!de || !spare[0] || !spare[1]) {
		err = -ENOMEM;
		goto out_free;
	}
	tde = de + 1;
	nde = de + 2;
	fat_check_name(old->d_name.name, &olen);

	fat_lock(sbi);
	if (target && isdir) {
		err = fat_dir_empty(&sbi->v, FAT_I(target)->start);
		err = err < 0 ? err : err ? 0 : -ENOTEMPTY;
	}
	if (!err)
		err = find_entry(sbi, old_dir, old, de);
	if (!err && target)
		err = find_entry(sbi, new_dir, new, tde);
	if (!err)
		err = read_raw(sbi, de->ipos, raw);
	if (!err && target)
		err = read_raw(sbi, tde->ipos, traw);
	/* Both names go first, so neither's short name stands in the new one's way. */
	if (!err) {
		err = fat_dir_remove(&sbi->v, FAT_I(old_dir)->start, de->first_slot, de->nslots);
		removed = !err;
	}
	if (!err && target) {
		err = fat_dir_remove(&sbi->v, FAT_I(new_dir)->start, tde->first_slot, tde->nslots);
		removed_target = !err;
	}
	if (!err)
		err = fat_dir_add(&sbi->v, FAT_I(new_dir)->start, new->d_name.name, len, raw, nde);
	renamed = !err;
	if (renamed) {
		FAT_I(inode)->ipos = nde->ipos;
		fat_detach(sbi, inode, nde->ipos, &spare[0]);
		if (target)
			fat_detach(sbi, target, 0, &spare[1]);
		if (isdir && old_dir != new_dir)
			err = fat_dir_set_parent(&sbi->v, FAT_I(inode)->start,
						 new_dir->i_ino == FAT_ROOT_INO ? 0 :
						 FAT_I(new_dir)->start);
	} else {
		/* Their slots were just freed: the old names fit again. */
		if (removed &&
		    !fat_dir_add(&sbi->v, FAT_I(old_dir)->start, old->d_name.name, olen, raw, de)) {
			FAT_I(inode)->ipos = de->ipos;
			fat_detach(sbi, inode, de->ipos, &spare[0]);
		}
		if (removed_target &&
		    !fat_dir_add(&sbi->v, FAT_I(new_dir)->start, new->d_name.name, len, traw, tde)) {
			FAT_I(target)->ipos = tde->ipos;
			fat_detach(sbi, target, tde->ipos, &spare[1]);
		}
	}
	fat_unlock(sbi);
	if (!renamed)
		goto out_free;
	/* Renamed, even if ".." could not follow (err says so). */
	if (target) {
		target->i_nlink = 0;
		if (isdir)
			new_dir->i_nlink--;
	}
	if (isdir && old_dir != new_dir) {
		old_dir->i_nlink--;
		new_dir->i_nlink++;
		FAT_I(inode)->parent_ino = new_dir->i_ino;
	}
	dir_changed(old_dir);
	if (new_dir != old_dir)
		dir_changed(new_dir);
	mark_inode_dirty(inode);
out_free:
	for (i = 0; i < 2; i++)
		kfree(spare[i]);
	kfree(de);
	return err == -EUCLEAN ? fat_error(old_dir->i_sb, err, "bad directory") : err;
}

/* Positions: 0 ".", 1 "..", then 2 + the slot an entry starts at. */
static int fat_iterate(struct file *f, struct dir_context *ctx)
{
	struct inode *inode = f->inode;
	struct fat_sb *sbi = FAT_SB(inode->i_sb);
	struct fat_dirent *de;
	int ret = 0;

	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 1, inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 2, FAT_I(inode)->parent_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	if (ctx->pos - 2 >= FAT_DIR_MAX_SLOTS)
		return 0;
	de = kmalloc(sizeof(*de), GFP_KERNEL);
	if (!de)
		return -ENOMEM;
	for (;;) {
		u32 slot = (u32)(ctx->pos - 2);
		u64 ino = 0;

		fat_lock(sbi);
		ret = fat_dir_next(&sbi->v, FAT_I(inode)->start, &slot, de);
		if (ret > 0)
			ino = fat_ino_of(sbi, de->ipos);
		fat_unlock(sbi);
		if (ret <= 0)
			break;
		/* The user copy happens here, without the volume's lock. */
		if (!de->dot && !ctx->actor(ctx, de->name, (int)de->name_len, slot + 2, ino,
					    de->attr & FAT_ATTR_DIR ? DT_DIR : DT_REG))
			break;
		ctx->pos = slot + 2;
	}
	kfree(de);
	return ret < 0 ? fat_error(inode->i_sb, ret, "bad directory") : 0;
}

const struct inode_operations fat_dir_iops = {
	.lookup = fat_lookup,
	.create = fat_create,
	.mkdir = fat_mkdir,
	.unlink = fat_unlink,
	.rmdir = fat_rmdir,
	.rename = fat_rename,
	.setattr = fat_setattr,
};

const struct file_operations fat_dir_fops = {
	.iterate = fat_iterate,
	.seekable = true,
};
