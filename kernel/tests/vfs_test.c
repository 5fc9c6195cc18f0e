// SPDX-License-Identifier: BSD-2-Clause
/* The VFS core (fs/super.c, inode.c, dcache.c) on a toy file system: the inode cache, negative dentries, eviction, unmount. */
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/ktest.h>
#include <hartix/slab.h>
#include <hartix/string.h>

/*
 * toyfs: its root (ino 1) holds the one-letter names "a".."z" (ino 'a'..
 * 'z'); everything else is missing. It counts what the VFS asks of it.
 */
static struct {
	int allocs, frees, evicts, writes, lookups, put_supers, kill_sbs;
	int fill_error;
} toy;

static struct inode *toy_alloc(struct super_block *sb)
{
	toy.allocs++;
	return kzalloc(sizeof(struct inode), 0);
}

static void toy_free(struct inode *inode)
{
	toy.frees++;
	kfree(inode);
}

static void toy_evict(struct inode *inode)
{
	toy.evicts++;
}

static int toy_write_inode(struct inode *inode, bool sync)
{
	toy.writes++;
	return 0;
}

static void toy_put_super(struct super_block *sb)
{
	toy.put_supers++;
}

static const struct super_operations toy_sops = {
	.alloc_inode = toy_alloc, .free_inode = toy_free,
	.evict_inode = toy_evict, .write_inode = toy_write_inode,
	.put_super = toy_put_super,
};

static struct inode *toy_iget(struct super_block *sb, unsigned long ino,
			      u32 mode);

static struct dentry *toy_lookup(struct inode *dir, struct dentry *d)
{
	struct inode *inode = NULL;

	toy.lookups++;
	if (d->d_name.len == 1 && d->d_name.name[0] >= 'a' &&
	    d->d_name.name[0] <= 'z') {
		inode = toy_iget(dir->i_sb, (u8)d->d_name.name[0], S_IFREG | 0644);
		if (!inode)
			return ERR_PTR(-ENOMEM);
	}
	d_add(d, inode);
	return NULL;
}

static const struct inode_operations toy_dir_iops = { .lookup = toy_lookup };

static struct inode *toy_iget(struct super_block *sb, unsigned long ino,
			      u32 mode)
{
	struct inode *inode = iget_locked(sb, ino);

	if (inode && (inode->i_state & I_NEW)) {
		inode->i_mode = mode;
		if (S_ISDIR(mode))
			inode->i_op = &toy_dir_iops;
		unlock_new_inode(inode);
	}
	return inode;
}

static int toy_fill_super(struct super_block *sb, const char *options,
			  int silent)
{
	sb->s_op = &toy_sops;
	if (toy.fill_error)
		return toy.fill_error;
	sb->s_root = d_make_root(toy_iget(sb, 1, S_IFDIR | 0755));
	return sb->s_root ? 0 : -ENOMEM;
}

static void toy_kill_sb(struct super_block *sb)
{
	toy.kill_sbs++;
}

static struct file_system_type toy_type = {
	.name = "toyfs", .fill_super = toy_fill_super, .kill_sb = toy_kill_sb,
};

static struct super_block *toy_mount(struct ktest *t)
{
	struct super_block *sb;

	memset(&toy, 0, sizeof(toy));
	sb = vfs_get_super(&toy_type, NULL, 0, "");
	if (IS_ERR(sb)) {
		ktest_fail(t, __FILE__, __LINE__, "mount: %ld", PTR_ERR(sb));
		return NULL;
	}
	return sb;
}

/* Unmounts; every inode the fs allocated must be freed and the fs told. */
static void toy_umount(struct ktest *t, struct super_block *sb)
{
	deactivate_super(sb);
	KT_EXPECT_EQ(t, toy.frees, toy.allocs);
	KT_EXPECT_EQ(t, toy.put_supers, 1);
	KT_EXPECT_EQ(t, toy.kill_sbs, 1);
}

static void inode_cache(struct ktest *t)
{
	struct super_block *sb = toy_mount(t);
	struct inode *a, *b;

	KT_ASSERT(t, sb);
	a = iget_locked(sb, 5);
	KT_ASSERT(t, a && (a->i_state & I_NEW) && a->i_ino == 5);
	unlock_new_inode(a);
	b = iget_locked(sb, 5);
	KT_EXPECT(t, b == a && !(b->i_state & I_NEW));
	iput(b);
	KT_EXPECT_EQ(t, toy.evicts, 0);
	iput(a);
	KT_EXPECT_EQ(t, toy.evicts, 1);
	/* A failed read-in is dropped without evict_inode; the number reads in afresh. */
	a = iget_locked(sb, 7);
	KT_ASSERT(t, a && (a->i_state & I_NEW));
	iget_failed(a);
	KT_EXPECT_EQ(t, toy.evicts, 1);
	a = iget_locked(sb, 7);
	KT_ASSERT(t, a && (a->i_state & I_NEW));
	unlock_new_inode(a);
	iput(a);
	toy_umount(t, sb);
}

static void dirty_inodes_written_once(struct ktest *t)
{
	struct super_block *sb = toy_mount(t);
	struct inode *a;

	KT_ASSERT(t, sb);
	a = new_inode(sb);
	KT_ASSERT(t, a);
	a->i_ino = 9;
	insert_inode_hash(a);
	KT_EXPECT(t, iget_locked(sb, 9) == a);
	iput(a);
	mark_inode_dirty(a);
	KT_EXPECT_EQ(t, sync_inodes_sb(sb, true), 0);
	KT_EXPECT_EQ(t, toy.writes, 1);
	KT_EXPECT_EQ(t, sync_inodes_sb(sb, true), 0);
	KT_EXPECT_EQ(t, toy.writes, 1);
	/* Dirty at the last iput: written before it goes. */
	mark_inode_dirty(a);
	iput(a);
	KT_EXPECT_EQ(t, toy.writes, 2);
	toy_umount(t, sb);
}

static void negative_dentries_cached(struct ktest *t)
{
	struct super_block *sb = toy_mount(t);
	struct dentry *a, *a2, *miss, *miss2;

	KT_ASSERT(t, sb);
	a = lookup_one(sb->s_root, "a", 1);
	KT_ASSERT(t, !IS_ERR(a) && a->d_inode && a->d_inode->i_ino == 'a');
	a2 = lookup_one(sb->s_root, "a", 1);
	KT_EXPECT(t, a2 == a);
	KT_EXPECT_EQ(t, toy.lookups, 1);
	miss = lookup_one(sb->s_root, "nope", 4);
	KT_ASSERT(t, !IS_ERR(miss) && !miss->d_inode);
	dput(miss);
	miss2 = lookup_one(sb->s_root, "nope", 4);
	KT_EXPECT(t, miss2 == miss && !miss2->d_inode);
	KT_EXPECT_EQ(t, toy.lookups, 2);
	KT_EXPECT(t, PTR_ERR(lookup_one(a, "x", 1)) == -ENOTDIR);
	dput(miss2);
	dput(a2);
	dput(a);
	/* Cached, unused: the dentry keeps its inode until unmount. */
	KT_EXPECT_EQ(t, toy.evicts, 0);
	toy_umount(t, sb);
	KT_EXPECT_EQ(t, toy.evicts, 2);
}

static void fill_super_error(struct ktest *t)
{
	struct super_block *sb;

	memset(&toy, 0, sizeof(toy));
	toy.fill_error = -EIO;
	sb = vfs_get_super(&toy_type, NULL, 0, "");
	KT_EXPECT_EQ(t, PTR_ERR(sb), -EIO);
	KT_EXPECT_EQ(t, toy.kill_sbs, 1);
	KT_EXPECT_EQ(t, toy.put_supers, 0);
	KT_EXPECT(t, vfs_get_super(&toy_type, NULL, 0, "") ==
		     ERR_PTR(-EIO));
	KT_EXPECT(t, !get_fs_type("no-such-fs"));
}

KTEST_SUITE(vfs,
	    KTEST_CASE(inode_cache),
	    KTEST_CASE(dirty_inodes_written_once),
	    KTEST_CASE(negative_dentries_cached),
	    KTEST_CASE(fill_super_error));
