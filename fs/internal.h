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

/* Caller holds fs_lock. */
void inode_get(struct inode *ino);
void inode_put(struct inode *ino); /* frees it at refs 0 and nlink 0 */

/*
 * Path lookup, caller holds fs_lock. Resolves path from base (absolute
 * paths from the root). follow_last: follow a symlink in the last
 * component. If only the last component is missing and create_name is
 * not NULL, returns -ENOENT with *parent set and the name in create_name
 * (NAME_MAX + 1 bytes).
 */
int fs_lookup(struct inode *base, const char *path, bool follow_last,
	      struct inode **res, struct inode **parent, char *create_name);

/*
 * Caller holds fs_lock: an inode in no directory (a pipe's), with no
 * reference yet; it goes away with the last one.
 */
struct inode *inode_new_anon(u32 mode);

/* Caller holds fs_lock: a new child of dir (which must not have name). */
struct inode *fs_create(struct inode *dir, const char *name, size_t len,
			u32 mode, u32 rdev);

/* Caller holds fs_lock. Data in kernel buffers; -ENOSPC without memory. */
long ramfs_read(struct inode *ino, u64 pos, char *buf, size_t n);
long ramfs_write(struct inode *ino, u64 pos, const char *buf, size_t n);
int ramfs_truncate(struct inode *ino, u64 size);

/* The directory's entry number idx ("." is 0, ".." 1); false past the end. */
bool ramfs_dir_entry(struct inode *dir, u64 idx, const char **name,
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

#endif
