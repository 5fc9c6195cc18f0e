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

/*
 * The path walk's step (vfs_namei.c): d_lookup(), and when the name is
 * cached, positive and not a symlink (*stepped), the caller's reference
 * on parent goes in the same dcache_lock section: the walk moves on
 * from parent for good. A symlink's walk goes on from parent after
 * reading it, so parent's reference stays then.
 */
struct dentry *d_lookup_step(struct dentry *parent, const char *name, u32 len,
			     bool *stepped);

/* Frees every unused dentry of sb (umount; its root's reference dropped first). */
void shrink_dcache_sb(struct super_block *sb);

#endif
