/* SPDX-License-Identifier: BSD-2-Clause */
/* ext2 names: lookup, create, mkdir, mknod, symlink, link, unlink, rmdir, rename, and regular files' operations. */
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/string.h>

#include "ext2.h"

static struct dentry *ext2_lookup(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = NULL;
	u32 ino;
	int err;

	if (dentry->d_name.len > EXT2_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	err = ext2_find_entry(dir, &dentry->d_name, &ino);
	if (err)
		return ERR_PTR(err);
	if (ino) {
		inode = ext2_iget(dir->i_sb, ino);
		if (inode == ERR_PTR(-ESTALE)) {
			ext2_error(dir->i_sb, __func__, "deleted inode referenced: %u", ino);
			return ERR_PTR(-EIO);
		}
		if (IS_ERR(inode))
			return ERR_PTR(PTR_ERR(inode));
	}
	d_add(dentry, inode);
	return NULL;
}

/* A new inode of mode named by dentry in dir; on failure it is dropped (and freed) again. */
static int add_nondir(struct inode *dir, struct dentry *dentry, struct inode *inode)
{
	int err = ext2_add_link(dir, &dentry->d_name, inode);

	if (err) {
		inode->i_nlink = 0;
		mark_inode_dirty(inode);
		iput(inode);
		return err;
	}
	d_instantiate(dentry, inode);
	return 0;
}

static int ext2_mknod(struct inode *dir, struct dentry *dentry, u32 mode, u32 dev)
{
	struct inode *inode = ext2_new_inode(dir, mode);

	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	inode->i_rdev = S_ISCHR(mode) || (mode & S_IFMT) == S_IFBLK ? dev : 0;
	ext2_set_inode_ops(inode);
	mark_inode_dirty(inode);
	return add_nondir(dir, dentry, inode);
}

static int ext2_create(struct inode *dir, struct dentry *dentry, u32 mode)
{
	return ext2_mknod(dir, dentry, S_IFREG | (mode & ~S_IFMT), 0);
}

static int ext2_symlink(struct inode *dir, struct dentry *dentry, const char *target)
{
	struct ext2_inode_info *ei;
	size_t len = strlen(target);
	struct inode *inode;
	int err = 0;

	if (len + 1 > dir->i_sb->s_blocksize)
		return -ENAMETOOLONG;
	inode = ext2_new_inode(dir, S_IFLNK | 0777);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	ext2_set_inode_ops(inode);
	ei = EXT2_I(inode);
	if (len < sizeof(ei->i_data)) {
		memcpy(ei->i_data, target, len);
	} else {
		struct buffer_head *bh = ext2_dir_bread(inode, 0, true);

		if (IS_ERR(bh)) {
			err = (int)PTR_ERR(bh);
		} else {
			memcpy(bh->b_data, target, len);
			mark_buffer_dirty(bh);
			brelse(bh);
		}
	}
	inode->i_size = len;
	mark_inode_dirty(inode);
	if (err) {
		inode->i_nlink = 0;
		iput(inode);
		return err;
	}
	return add_nondir(dir, dentry, inode);
}

static int ext2_get_link(struct inode *inode, char *buf, size_t size)
{
	size_t len = min((size_t)inode->i_size, size - 1);

	if (!size)
		return -EINVAL;
	if (ext2_inode_fast_symlink(inode)) {
		memcpy(buf, EXT2_I(inode)->i_data, min(len, sizeof(EXT2_I(inode)->i_data) - 1));
	} else {
		struct buffer_head *bh = ext2_dir_bread(inode, 0, false);

		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		memcpy(buf, bh->b_data, len);
		brelse(bh);
	}
	buf[len] = '\0';
	return (int)len;
}

static int ext2_link(struct dentry *old, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = old->d_inode;
	int err;

	if (inode->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	err = ext2_add_link(dir, &dentry->d_name, inode);
	if (err)
		return err;
	inode->i_nlink++;
	ext2_timespec_now(&inode->i_ctime);
	mark_inode_dirty(inode);
	ihold(inode);
	d_instantiate(dentry, inode);
	return 0;
}

static int ext2_mkdir(struct inode *dir, struct dentry *dentry, u32 mode)
{
	struct inode *inode;
	int err;

	if (dir->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	inode = ext2_new_inode(dir, S_IFDIR | (mode & ~S_IFMT));
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	ext2_set_inode_ops(inode);
	inode->i_nlink = 2;
	err = ext2_make_empty(inode, dir);
	if (!err)
		err = ext2_add_link(dir, &dentry->d_name, inode);
	if (err) {
		inode->i_nlink = 0;
		mark_inode_dirty(inode);
		iput(inode);
		return err;
	}
	dir->i_nlink++;
	mark_inode_dirty(dir);
	d_instantiate(dentry, inode);
	return 0;
}

static int ext2_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	int err = ext2_delete_entry(dir, &dentry->d_name);

	if (err)
		return err;
	inode->i_ctime = dir->i_ctime;
	if (inode->i_nlink)
		inode->i_nlink--;
	mark_inode_dirty(inode);
	return 0;
}

static int ext2_rmdir(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	int err = ext2_empty_dir(inode);

	if (err <= 0)
		return err ?: -ENOTEMPTY;
	err = ext2_unlink(dir, dentry);
	if (err)
		return err;
	inode->i_nlink = 0;
	inode->i_size = 0;
	mark_inode_dirty(inode);
	if (dir->i_nlink > 2)
		dir->i_nlink--;
	mark_inode_dirty(dir);
	return 0;
}

static const struct qstr dotdot = { "..", 2, 0 };

static int ext2_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
		       struct dentry *new, unsigned int flags)
{
	struct inode *inode = old->d_inode, *target = new->d_inode;
	bool is_dir = S_ISDIR(inode->i_mode);
	int err;

	/* As Linux's ext2: no RENAME_EXCHANGE or RENAME_WHITEOUT. */
	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	if (target && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	/* The VFS checks these too; a link count gone wrong would outlive it. */
	if (target && S_ISDIR(target->i_mode) != is_dir)
		return is_dir ? -ENOTDIR : -EISDIR;
	if (target) {
		if (is_dir) {
			err = ext2_empty_dir(target);
			if (err <= 0)
				return err ?: -ENOTEMPTY;
		}
		err = ext2_set_link(new_dir, &new->d_name, inode);
		if (err)
			return err;
		ext2_timespec_now(&target->i_ctime);
		target->i_nlink = is_dir ? 0 : target->i_nlink - 1;
		mark_inode_dirty(target);
	} else {
		if (is_dir && new_dir != old_dir && new_dir->i_nlink >= EXT2_LINK_MAX)
			return -EMLINK;
		err = ext2_add_link(new_dir, &new->d_name, inode);
		if (err)
			return err;
		if (is_dir)
			new_dir->i_nlink++;
	}
	err = ext2_delete_entry(old_dir, &old->d_name);
	if (err)
		return err;
	ext2_timespec_now(&inode->i_ctime);
	mark_inode_dirty(inode);
	if (is_dir) {
		if (new_dir != old_dir)
			err = ext2_set_link(inode, &dotdot, new_dir);
		/* old_dir loses the moved directory's "..", or the replaced one's. */
		old_dir->i_nlink--;
	}
	mark_inode_dirty(old_dir);
	mark_inode_dirty(new_dir);
	return err;
}

const struct inode_operations ext2_dir_inode_operations = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.mknod = ext2_mknod,
	.symlink = ext2_symlink,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
	.setattr = ext2_setattr,
};

const struct inode_operations ext2_symlink_inode_operations = {
	.get_link = ext2_get_link,
	.setattr = ext2_setattr,
};

const struct inode_operations ext2_file_inode_operations = {
	.setattr = ext2_setattr,
};

/* Writes the file's inode and everything dirty on the device: coarse, but all that fsync promises. */
static int ext2_fsync(struct file *file, bool datasync)
{
	int err = ext2_write_inode(file->inode, true);

	(void)datasync;
	return sync_blockdev(file->inode->i_sb->s_bdev) ?: err;
}

const struct file_operations ext2_file_operations = {
	.read_at = generic_file_read,
	.write_at = generic_file_write,
	.write_kernel = generic_file_write_kernel,
	.fsync = ext2_fsync,
	.seekable = true,
};

const struct address_space_operations ext2_aops = {
	.get_block = ext2_get_block,
};
