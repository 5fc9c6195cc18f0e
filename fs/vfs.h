/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the VFS core files: super.c, inode.c, dcache.c. */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <hartix/err.h>
#include <hartix/fs.h>

/* Frees every unused dentry of sb (umount; its root's reference dropped first). */
void shrink_dcache_sb(struct super_block *sb);

#endif
