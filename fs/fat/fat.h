/* SPDX-License-Identifier: BSD-2-Clause */
/* vfat's private objects: the mounted volume and its inodes (fs/fat/inode.c, namei.c). */
#ifndef FS_FAT_FAT_H
#define FS_FAT_FAT_H

#include <hartix/fat.h>
#include <hartix/fs.h>
#include <hartix/mutex.h>

#define FAT_ROOT_INO 1 /* entries' numbers are their positions, far above */
#define FAT_MSDOS_MAGIC 0x4d44 /* statfs's f_type, Linux's MSDOS_SUPER_MAGIC */
#define FAT_MAX_SIZE 0xffffffffULL /* a file's size is 32 bits */
/* Linux's default fmask and dmask: the mounting task's umask, 022 as a rule. */
#define FAT_MODE_MASK 0022

/*
 * An inode whose number is no longer the position of its entry: unlinked
 * while open (cur 0, until evicted), or renamed (cur is where its entry
 * is now, for as long as that entry lives). Lookups of cur find the inode
 * numbered ino, and no new entry goes to position ino meanwhile.
 */
struct fat_detached {
	u64 ino, cur;
	struct fat_detached *next;
};

struct fat_sb {
	struct fat_vol v; /* v.map and v.ctx: fat_map() on this */
	struct super_block *sb;
	/*
	 * lock serialises everything on the disk's metadata: the FAT, FSInfo's
	 * counts in v, every directory's slots, map_bh, the detached list and
	 * each inode's start, nclus, last and cursor. Taken inside i_mutex,
	 * never around iget_locked() or a user copy.
	 */
	struct mutex lock;
	struct buffer_head *map_bh; /* the buffer fat_map() returned last */
	bool map_dirty; /* it was mapped for writing: dirty it when done */
	struct fat_detached *detached;
	bool unclean; /* found not unmounted cleanly: read-only until fsck.vfat */
};

struct fat_inode {
	u32 start; /* first cluster; 0: none yet (and the fixed root) */
	u64 ipos; /* its short entry (fat_dirent.ipos); 0 for the root */
	u64 parent_ino; /* for readdir's ".." */
	u8 attr;
	u32 nclus; /* clusters in the chain, FAT_UNKNOWN until walked */
	u32 last; /* the last one when nclus is known and not 0 */
	struct fat_cursor cur; /* where the last block lookup ended */
	struct inode vfs_inode;
};

static inline struct fat_inode *FAT_I(struct inode *inode)
{
	return container_of(inode, struct fat_inode, vfs_inode);
}

static inline struct fat_sb *FAT_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

void fat_lock(struct fat_sb *sbi);
void fat_unlock(struct fat_sb *sbi);
/* Logs a corrupt volume (once per call site's error) and passes err on. */
int fat_error(struct super_block *sb, int err, const char *what);
/* The inode of the entry de in directory dir (a reference), or ERR_PTR. */
struct inode *fat_iget(struct super_block *sb, const struct fat_dirent *de, struct inode *dir);
/* Stamps the entry template raw with the current time (create, mkdir). */
void fat_raw_now(u8 *raw);
/*
 * Detached inodes (struct fat_detached), under sbi->lock: inode's entry
 * is now at cur (0: removed); *spare is a record kmalloc'd beforehand,
 * taken (set to NULL) if needed. fat_ino_of(): the number of the inode
 * whose entry is at ipos.
 */
void fat_detach(struct fat_sb *sbi, struct inode *inode, u64 cur, struct fat_detached **spare);
u64 fat_ino_of(struct fat_sb *sbi, u64 ipos);
int fat_setattr(struct dentry *dentry, struct iattr *attr);

extern const struct inode_operations fat_dir_iops;
extern const struct file_operations fat_dir_fops;

#endif
