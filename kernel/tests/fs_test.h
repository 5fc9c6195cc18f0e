/* SPDX-License-Identifier: BSD-2-Clause */
/* What the disk file system suites can share: paths, reads and writes through get_block, namespace calls. */
#ifndef KTEST_FS_TEST_H
#define KTEST_FS_TEST_H

#include <hartix/fs.h>

/* The dentry of path (relative to sb's root, '/'-separated): a reference, negative if missing, or ERR_PTR. */
struct dentry *fs_walk(struct super_block *sb, const char *path);
/* Reads through get_block and the buffer cache, as mm/filemap.c does: bytes read or -errno. */
long fs_kread(struct inode *inode, u64 pos, void *buf, size_t len);
/* Writes the same way (the caller holds i_mutex): 0 or -errno. */
int fs_kwrite(struct inode *inode, u64 pos, const void *buf, size_t len);
/* Entries of a directory but "." and "..", both of which must be there: the count or -errno. */
int fs_count_entries(struct inode *dir);

/*
 * A namespace operation on the dentries of dirpath/name and, if dir2path
 * is not NULL, dir2path/name2 (negative or not), with the directories'
 * i_mutex held as the VFS holds them. The dentries are dropped after, so
 * the next walk asks the file system again.
 */
typedef int (*fs_op_fn)(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
			const void *arg);
int fs_op(struct super_block *sb, fs_op_fn fn, const char *dirpath, const char *name,
	  const char *dir2path, const char *name2, const void *arg);

/* The test files' contents: byte i of a file. */
u8 fs_pattern(u64 i);
/* A super block of type on the block device called dev, or ERR_PTR (-ENODEV without either). */
struct super_block *fs_mount(const char *type, const char *dev, unsigned long flags);
/* path is a file holding exactly want (a short string). */
bool fs_file_is(struct super_block *sb, const char *path, const char *want);
/* path's inode number, link count and mode: all 0 when it is missing. */
struct fs_attr {
	unsigned long ino;
	u32 nlink, mode;
};
struct fs_attr fs_attr_of(struct super_block *sb, const char *path);
/* Free blocks as statfs counts them (0 if statfs fails). */
u64 fs_free_blocks(struct super_block *sb);

/* fs_op() callbacks: the i_op call on d (and d2 in dir2), with arg as each says. */
int fs_do_mkdir(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		const void *arg);
/* Creates the file if missing and writes arg's (struct fs_blob) bytes at its offset. */
struct fs_blob {
	u64 pos;
	const void *data;
	size_t len;
};
int fs_do_create_write(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		       const void *arg);

/*
 * The tree both write suites start from (and the host checks after them):
 * guest/{subdir,big,hello,cut,gone,sparse} and an empty guest2. big, cut
 * and gone hold GUEST_BIG bytes of fs_pattern(), hello GUEST_HELLO, sparse
 * "FAR" at sparse_pos. g->b and g->hello are those writes, for more of the
 * same; the caller kfree()s g->big. false if g->big could not be allocated.
 */
#define GUEST_BIG 300000
#define GUEST_HELLO "written by the guest\n"
struct fs_guest {
	u8 *big;
	struct fs_blob b, hello;
};
struct ktest;
bool fs_guest_tree(struct ktest *t, struct super_block *sb, struct fs_guest *g, u64 sparse_pos);
int fs_do_symlink(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		  const void *arg); /* arg: the target */
int fs_do_link(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
	       const void *arg); /* d's inode gets the name d2 */
int fs_do_rename(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		 const void *arg); /* arg: the RENAME_* flags (unsigned int), or NULL */
int fs_do_unlink(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		 const void *arg);
int fs_do_rmdir(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		const void *arg);
int fs_do_setattr(struct inode *dir, struct dentry *d, struct inode *dir2, struct dentry *d2,
		  const void *arg); /* arg: a struct iattr */
/* setattr of dir/name's size or mode. */
int fs_truncate(struct super_block *sb, const char *dir, const char *name, u64 size);
int fs_chmod(struct super_block *sb, const char *dir, const char *name, u32 mode);

struct ktest;
/*
 * Fills type's disk dev with one file (at most chunks writes of 4 KiB)
 * until ENOSPC, checks statfs says nothing is free, unlinks it and checks
 * every block came back.
 */
void fs_check_enospc(struct ktest *t, const char *type, const char *dev, u64 chunks);

#endif
