/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the RAM file system (ramfs.c) and the descriptor layer (file.c). */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include <hartix/fs.h>
#include <hartix/spinlock.h>

/*
 * fs_lock protects the tree, every inode and every file's f_pos (see
 * include/hartix/fs.h). Taken with interrupts masked: a holder is never
 * preempted, and it never sleeps or touches user memory.
 */
extern spinlock_t fs_lock;

static inline unsigned long fs_lock_irqsave(void)
{
	return spin_lock_irqsave(&fs_lock);
}

static inline void fs_unlock_irqrestore(unsigned long flags)
{
	spin_unlock_irqrestore(&fs_lock, flags);
}

extern struct inode *fs_root;

/* Linux's MAX_LFS_FILESIZE, tmpfs's s_maxbytes. */
#define FS_MAX_SIZE ((u64)0x7fffffffffffffffULL)

/* Caller holds fs_lock. */
void inode_get(struct inode *ino);
void inode_put(struct inode *ino); /* frees it at refs 0 and nlink 0 */

/*
 * Path lookup, caller holds fs_lock. Resolves path from base (absolute
 * paths from the root). follow_last: follow a symlink in the last
 * component. If only the last component is missing and create_name is
 * not NULL, returns -ENOENT with *parent set and the name in create_name
 * (NAME_MAX + 1 bytes); fs_create() refuses a parent in /proc.
 */
int fs_lookup(struct inode *base, const char *path, bool follow_last,
	      struct inode **res, struct inode **parent, char *create_name);

/*
 * Caller holds fs_lock: an inode in no directory (a pipe's), with no
 * reference yet; it goes away with the last one.
 */
struct inode *inode_new_anon(u32 mode);

/*
 * For calls that make or remove a name, caller holds fs_lock: looks up
 * the directory holding path's last component (following symlinks) into
 * *parent, and points *last (*len bytes, not NUL-terminated; 0 for "/")
 * at that component in path, which is modified and restored meanwhile.
 * *slash: path ends in a slash. The last component is not looked up and
 * may be "." or "..".
 */
int fs_lookup_parent(struct inode *base, char *path, struct inode **parent,
		     const char **last, size_t *len, bool *slash);

/*
 * Caller holds fs_lock: puts the absolute path of directory dir before
 * buf + *pos ("/" for the root, no trailing slash otherwise), moving *pos
 * down. -ENOENT if dir was removed, -ENAMETOOLONG if *pos would pass 0.
 */
int fs_dir_path(struct inode *dir, char *buf, size_t *pos);

/* Caller holds fs_lock. The entry name[len] in dir, or NULL. */
struct dentry *fs_dir_find(struct inode *dir, const char *name, size_t len);
/* The same for any directory, /proc's too: the inode, or NULL. */
struct inode *fs_dir_lookup(struct inode *dir, const char *name, size_t len);

/*
 * Caller holds fs_lock and found no entry name[len] in dir. These make
 * one: a new inode (*res), a new name for ino, a symlink. -ENOENT if dir
 * was removed, -ENOSPC without memory.
 */
int fs_create(struct inode *dir, const char *name, size_t len, u32 mode,
	      u32 rdev, struct inode **res);
int ramfs_link(struct inode *dir, const char *name, size_t len,
	       struct inode *ino);
int ramfs_symlink(struct inode *dir, const char *name, size_t len,
		  const char *target);

/* Caller holds fs_lock: removes d from dir (a directory must be empty). */
void ramfs_unlink(struct inode *dir, struct dentry *d);

/*
 * Caller holds fs_lock and checked the call: moves od from odir to the
 * name name[len] in ndir, replacing nd if not NULL (an empty directory,
 * if one); or with exchange swaps the inodes of od and nd. -ENOSPC
 * without memory, and nothing changed.
 */
int ramfs_rename(struct inode *odir, struct dentry *od, struct inode *ndir,
		 const char *name, size_t len, struct dentry *nd,
		 bool exchange);

/* Caller holds fs_lock. Data in kernel buffers; -ENOSPC without memory. */
long ramfs_read(struct inode *ino, u64 pos, char *buf, size_t n);
long ramfs_write(struct inode *ino, u64 pos, const char *buf, size_t n);
int ramfs_truncate(struct inode *ino, u64 size);

/*
 * The first entry of dir at getdents offset *pos or later ("." is 0,
 * ".." 1), its offset back in *pos; false past the end.
 */
bool ramfs_dir_entry(struct inode *dir, u64 *pos, const char **name,
		     size_t *len, struct inode **ino);

#ifdef CONFIG_PROC_FS
/* Boot, from fs_init(): mounts /proc. */
void proc_init(void);
#else
static inline void proc_init(void)
{
}
#endif

/*
 * Open files (file.c). file_init: caller holds fs_lock; f (zeroed) gets
 * one reference and takes one on ino. fd_install: the lowest free
 * descriptor of the current task now holds the caller's reference to f
 * (the descriptor, or -EMFILE: the reference is still the caller's).
 * fd_close: close(fd). fget: the current task's file at fd, or NULL (no
 * reference taken: only this task can close it).
 */
void file_init(struct file *f, struct inode *ino,
	       const struct file_operations *ops, unsigned int flags,
	       void *private_data);
void file_put(struct file *f);
int fd_install(struct file *f, bool cloexec);
int fd_close(int fd);
struct file *fget(int fd);

/* One writer per inode at a time (write, truncate); sleeps. */
void inode_lock_write(struct inode *ino);
void inode_unlock_write(struct inode *ino);

/* Where a relative path starts: the cwd, or dirfd's directory; -ENOENT for "". */
long base_dir(int dirfd, const char *path, struct inode **base);

#endif
