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

#endif
