/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the VFS core files: super.c, inode.c, dcache.c. */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <hartix/err.h>
#include <hartix/fs.h>

/* Anonymous device numbers (0, n) for instances without a disk: 0 or -EMFILE. */
int get_anon_dev(u32 *dev);
void put_anon_dev(u32 dev);

/*
 * The names from directory dir's dentry up to its file system's root,
 * each after a "/", put before buf + *pos (moving *pos down): -ENOENT
 * for a removed directory, -ENAMETOOLONG past 0. Any context.
 */
int d_dir_path(struct inode *dir, char *buf, size_t *pos);

/* Frees every unused dentry of sb (umount; its root's reference dropped first). */
void shrink_dcache_sb(struct super_block *sb);

#endif
