/* SPDX-License-Identifier: BSD-2-Clause */
/* The RAM file system (fs/ramfs.c), open files and per-task descriptor tables (fs/file.c). */
#ifndef HARTIX_FS_H
#define HARTIX_FS_H

#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/list.h>
#include <hartix/mutex.h>
#include <hartix/pagemap.h>
#include <hartix/sched.h>
#include <hartix/types.h>
#include <abi/fcntl.h>
#include <abi/limits.h>
#include <abi/stat.h>
#include <abi/time.h>

#define MAXSYMLINKS 40

/* Device numbers (old 8:8 encoding); drivers register theirs (include/hartix/chrdev.h). */
#define MKDEV(ma, mi)	(((u32)(ma) << 8) | (u32)(mi))

struct dentry;
struct inode;
struct mount;
struct dir_context;
struct super_block;
struct inode_operations;
struct address_space_operations;
struct vma;
struct poll_table;

/*
 * A directory whose entries are made up on demand (/proc, fs/proc.c)
 * instead of kept in children. Both run under fs_lock.
 */
struct proc_dir_operations {
	/* The child called name (len bytes), or NULL for -ENOENT. */
	struct inode *(*lookup)(struct inode *dir, const char *name, size_t len);
	/*
	 * The entry at position *pos or the first one after it (positions
	 * may skip): its name (into a NAME_MAX + 1 buffer), inode number and
	 * mode; *pos becomes its position. False past the end.
	 */
	bool (*readdir)(struct inode *dir, u64 *pos, char *name,
			unsigned long *ino, u32 *mode);
};

/*
 * Locking: one spinlock, fs_lock (fs/ramfs.c, taken with interrupts
 * masked), protects the whole tree and every inode: the fields below
 * (but write_locked), directory entry lists, file data pages and sizes,
 * inode reference counts, and every struct file's f_pos. Nothing sleeps
 * or touches user memory while holding it: data goes through a kernel
 * bounce buffer.
 *
 * Lifetime: an inode is freed when it has neither names (nlink) nor
 * references (refs: open files, cwds, lookups in progress, and each
 * directory's ".." on its parent), so an unlinked file stays readable
 * until its last close and a removed cwd's ".." still leads somewhere.
 */
struct inode {
	u32 i_mode; /* S_IF* type and permission bits */
	u32 i_nlink; /* names; a directory: 2 + subdirectories, 0 once removed */
	unsigned long i_ino;
	u32 i_rdev; /* character and block devices */
	/*
	 * Owner and times (Step 9 files): stored and shown by stat; every
	 * caller is root, so the ids decide nothing. Times are CLOCK_REALTIME.
	 */
	u32 i_uid, i_gid;
	struct timespec i_atime, i_mtime, i_ctime;
	u64 i_size; /* bytes; a symlink's target length */
	u64 i_blocks; /* 512-byte units, for st_blocks (file systems on a disk) */
	int refs; /* RAM inodes: changed atomically, as fs_hold_inode() does without fs_lock */
	/* The VFS (Documentation/filesystems.rst): its file system and methods. */
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop; /* what opening it gets */
	const struct address_space_operations *i_aops; /* a page-cached file's */
	void *i_private; /* the file system's own */
	unsigned long i_state; /* I_NEW, I_DIRTY, under the sb's inode lock */
	struct inode *i_hash_next; /* the sb's (ino -> inode) hash chain */
	/* On the sb's s_dirty since it was dirtied (next NULL: on none); the sb's inode lock. */
	struct list_head i_dirty_list;
	/*
	 * The path walk (fs/vfs_namei.c): a VFS directory's dentry, so a walk
	 * can start from it (cwd, dirfd) and go up; set by d_add/d_make_root,
	 * cleared when that dentry is freed. Under dcache_lock.
	 */
	struct dentry *i_dentry;
	/* Mounts (fs/namespace.c): the instance mounted on this directory, under fs_lock. */
	struct mount *i_mounted;
	/*
	 * ".." of a RAM file system or /proc directory (the root is its own
	 * parent); holds a reference. The RAM file system's other fields are
	 * its own (struct ramfs_inode, fs/internal.h).
	 */
	struct inode *parent;
	/*
	 * One writer (write, truncate) at a time, so a write is atomic
	 * with respect to other writes and O_APPEND writes never mix: a
	 * sleeping lock held while user memory is copied.
	 */
	struct mutex i_mutex;
	/* Symlinks: the target, NUL-terminated (kmalloc'd) */
	char *target;
	/* Set for /proc's inodes; NULL in the RAM file system. */
	const struct proc_dir_operations *dir_ops; /* directories */
	bool proc; /* /proc's, its root included: another file system */
	bool i_vfs; /* a VFS file system's (fs/inode.c): is_vfs_inode(), one load on the walk */
	/* File mappings: the regions mapping it, owned by mm/mmap.c (its lock). */
	struct vma *mappings;
	unsigned long trunc_seq; /* truncates begun on it (mm/mmap.c, file_fault()) */
	struct file_lock *locks; /* flock, POSIX and OFD locks (fs/locks.c) */
	struct pipe *pipe; /* a FIFO's while it is open (fs/pipe.c), under fs_lock */
	/* The page cache (mm/filemap.c): a disk file's cached pages. */
	struct address_space i_pages;
	/*
	 * ETXTBSY (CONFIG_EXEC_DENY_WRITE, get_write_access() below): > 0
	 * open files writing it, < 0 execve()s and programs running it.
	 */
	int i_writecount; /* atomic */
};

struct file;

struct file_operations {
	/* User buffers; return bytes or -errno. f_pos updates are theirs. */
	long (*read)(struct file *f, char *ubuf, size_t n);
	long (*write)(struct file *f, const char *ubuf, size_t n);
	/*
	 * Instead of read/write for files with a position: at *pos (moved
	 * on), or at f_pos for NULL. pread, pwrite and friends use these.
	 */
	long (*read_at)(struct file *f, char *ubuf, size_t n, u64 *pos);
	long (*write_at)(struct file *f, const char *ubuf, size_t n, u64 *pos);
	/* From a kernel buffer, at f_pos (sendfile's output); NULL: EINVAL. */
	long (*write_kernel)(struct file *f, const char *buf, size_t n);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* After the descriptor is set up, without fs_lock; 0 or -errno. */
	int (*open)(struct file *f);
	/*
	 * POLL* bits ready now, without sleeping; NULL: always readable and
	 * writable. It first calls poll_wait(f, wq, pt) (include/hartix/poll.h)
	 * for each wait queue it wakes after a change that can make f ready.
	 */
	unsigned int (*poll)(struct file *f, struct poll_table *pt);
	/* The last descriptor of f is gone (before its inode is put). */
	void (*release)(struct file *f);
	/* VFS file systems (Documentation/filesystems.rst): */
	int (*iterate)(struct file *f, struct dir_context *ctx); /* directories */
	int (*fsync)(struct file *f, bool datasync);
	u64 (*size)(struct file *f); /* SEEK_END's end when not i_size (a block device) */
	bool seekable;
};

struct file {
	int refs; /* descriptors (in any table) pointing at it; atomic */
	unsigned int flags; /* O_* as opened */
	u64 f_pos; /* under fs_lock */
	struct inode *inode; /* holds a reference */
	const struct file_operations *ops;
	void *private_data; /* the ops' own (set by open; a pipe's struct pipe) */
	/*
	 * Where it was opened, for /proc/<pid>/fd (fs/proc_fd.c): the
	 * directory (holds a reference) and the name in it (kmalloc'd), or
	 * NULL. Under fs_lock.
	 */
	struct inode *dir;
	char *name;
};

/*
 * The VFS objects a file system implements (Documentation/filesystems.rst,
 * the contract in /work/notes/vfs-contract.md), Linux-shaped.
 */

/* asm-generic/statfs.h on a 64-bit ABI: 120 bytes, what statfs() copies out. */
struct kstatfs {
	long f_type, f_bsize;
	unsigned long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int f_fsid[2];
	long f_namelen, f_frsize, f_flags, f_spare[4];
};

/* s_flags: the MS_* bits of mount(2) a super block keeps. */
#define SB_RDONLY	1
#define SB_NOSUID	2
#define SB_NODEV	4
#define SB_NOEXEC	8
/* MS_REMOUNT read-only under way (fs/namespace.c): new changes are EROFS, the fs still writes back. */
#define SB_REMOUNT_RO	16

/* i_state, under the super block's s_inode_lock. */
#define I_NEW		(1UL << 0) /* being read in: iget_locked() waiters sleep */
#define I_DIRTY		(1UL << 1) /* write_inode() is owed */
#define I_FREEING	(1UL << 2) /* evicting: iget_locked() waits for a fresh one */

struct block_device;
struct dir_context;
struct kstatfs;
struct iattr;

struct super_block {
	struct file_system_type *s_type;
	const struct super_operations *s_op;
	struct block_device *s_bdev; /* NULL for ramfs, proc, devtmpfs */
	unsigned long s_flags; /* SB_RDONLY, ... */
	u32 s_blocksize; /* bytes; a power of two, 512..65536 */
	u32 s_dev; /* st_dev of its inodes */
	struct dentry *s_root;
	void *s_fs_info; /* the file system's own */
	/*
	 * The VFS's own. s_inode_lock (a spinlock, never held across a
	 * sleep) guards the inode hash, i_state and the dirty list;
	 * s_umount serialises mount, remount and umount of it.
	 */
	spinlock_t s_inode_lock;
	struct inode **s_inode_hash; /* by i_ino, s_inode_hash_size chains */
	unsigned long s_inode_hash_size;
	struct wait_queue s_inode_wait; /* I_NEW and I_FREEING waiters */
	struct mutex s_umount;
	struct mutex s_rename_mutex; /* cross-directory renames, taken first */
	unsigned long s_nr_inodes; /* allocated, hashed or not; under s_inode_lock */
	struct list_head s_dirty; /* inodes owing a write_inode(), oldest first; s_inode_lock */
	int s_active; /* mounts of it; under s_umount */
	/*
	 * The path walk (fs/vfs_namei.c): references the namespace holds on
	 * its inodes (open files, cwds, walks in progress), so umount can say
	 * EBUSY; under s_inode_lock.
	 */
	unsigned long s_ns_refs;
	struct super_block *s_next; /* all super blocks (fs/super.c) */
};

/* Registered with DEFINE_FILESYSTEM(); fs_flags: */
#define FS_REQUIRES_DEV	1
/* The RAM file system's types (rootfs, tmpfs, ramfs): walked under fs_lock, not through i_op yet. */
#define FS_RAM		2

struct file_system_type {
	const char *name; /* "ext2", "vfat", "tmpfs", "proc" */
	int fs_flags; /* FS_REQUIRES_DEV */
	/*
	 * sb has s_bdev (FS_REQUIRES_DEV) and s_flags set; fills s_op,
	 * s_root, s_fs_info... 0 or -errno. A bad image: -EINVAL (not this
	 * fs) or -EUCLEAN/-EIO (corrupt), with a printk, never a crash.
	 */
	int (*fill_super)(struct super_block *sb, const char *options,
			  int silent);
	void (*kill_sb)(struct super_block *sb); /* after the last inode is gone */
};

/* Registration through a linker section, like initcalls. */
#define DEFINE_FILESYSTEM(var)                                          \
	static struct file_system_type *const __filesystem_##var __used \
		__section(".filesystems") __aligned(8) = &(var)

extern struct file_system_type *const __filesystems_start[];
extern struct file_system_type *const __filesystems_end[];

/* The type called name, or NULL (mount(2)'s -ENODEV). */
struct file_system_type *get_fs_type(const char *name);

struct super_operations {
	/* Embeds struct inode in the fs's own; NULL: the VFS kzallocs one. */
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*free_inode)(struct inode *inode);
	/* Metadata of a dirty inode to disk. */
	int (*write_inode)(struct inode *inode, bool sync);
	/* Last reference gone; i_nlink == 0: free its blocks. */
	void (*evict_inode)(struct inode *inode);
	void (*put_super)(struct super_block *sb); /* umount, after sync */
	int (*sync_fs)(struct super_block *sb, bool wait);
	int (*statfs)(struct super_block *sb, struct kstatfs *st);
	/*
	 * MS_REMOUNT (fs/namespace.c), called only when SB_RDONLY changes,
	 * with s_flags still the old ones; *flags: the new SB_RDONLY. Going
	 * read-only, SB_REMOUNT_RO is set (no change can start) and the
	 * dirty inodes were written: put the rest on the disk, mark it
	 * clean. Going read-write: may refuse (-EROFS: a disk found dirty
	 * or with errors), marks the disk in use. The VFS sets s_flags.
	 */
	int (*remount_fs)(struct super_block *sb, unsigned long *flags);
};

/*
 * iget_locked(): the cached inode (sb, ino) with a reference, or a new
 * one with I_NEW set (NULL without memory); the fs fills it and calls
 * unlock_new_inode(), or iget_failed() to drop it. iput() drops a
 * reference (the last evicts it when it has no cache reason to stay).
 * mark_inode_dirty() queues write_inode(). new_inode(): a fresh inode
 * for create/mkdir, I_NEW clear; the fs sets i_ino and hashes it with
 * insert_inode_hash().
 */
struct inode *iget_locked(struct super_block *sb, unsigned long ino);
void unlock_new_inode(struct inode *inode);
void iget_failed(struct inode *inode);
void iput(struct inode *inode);
void ihold(struct inode *inode);
/* A reference to inode unless it is being read in or evicted (then NULL). */
struct inode *igrab(struct inode *inode);
void mark_inode_dirty(struct inode *inode);
struct inode *new_inode(struct super_block *sb);
void insert_inode_hash(struct inode *inode);
/* Writes back sb's dirty inodes (sync, syncfs, umount): 0 or the first -errno. */
int sync_inodes_sb(struct super_block *sb, bool wait);

struct qstr {
	const char *name;
	u32 len;
	u32 hash;
};

/*
 * The dentry cache: name -> inode, negative when d_inode is NULL.
 * d_lock (the cache's spinlock, fs/dcache.c) guards d_count and the
 * hash and child links; d_inode changes with the parent's i_mutex held.
 */
struct dentry {
	struct dentry *d_parent; /* holds a reference; the root is its own */
	struct inode *d_inode; /* holds a reference, or NULL */
	struct qstr d_name; /* d_iname when short enough */
	struct super_block *d_sb;
	void *d_fsdata; /* the file system's own */
	int d_count;
	unsigned int d_flags; /* DCACHE_MOUNTED */
	struct dentry *d_hash_next; /* the (parent, name) hash chain */
	struct list_head d_lru; /* unused ones (d_count 0), DCACHE_LRU set */
	char d_iname[32];
};

#define DCACHE_MOUNTED	1 /* a mount point: the walk crosses it */

void d_add(struct dentry *dentry, struct inode *inode); /* inode NULL: negative */
void d_instantiate(struct dentry *dentry, struct inode *inode); /* after create/mkdir/symlink */
/* A root dentry for fill_super: takes over root's reference; NULL without memory. */
struct dentry *d_make_root(struct inode *root);
struct dentry *dget(struct dentry *dentry);
void dput(struct dentry *dentry); /* NULL is fine */
/* A new unhashed child of parent called name[len] (for lookup), or NULL. */
struct dentry *d_alloc(struct dentry *parent, const char *name, u32 len);
/* The cached child name[len] of parent with a reference (maybe negative), or NULL. */
struct dentry *d_lookup(struct dentry *parent, const char *name, u32 len);
void d_drop(struct dentry *dentry); /* out of the hash: lookups miss it */
/* A directory inode's dentry (i_dentry) with a reference, or NULL. */
struct dentry *d_find_alias(struct inode *inode);
/*
 * The child name[len] of parent from the cache or the fs's lookup (under
 * the parent's i_mutex), with a reference, maybe negative; ERR_PTR.
 */
struct dentry *lookup_one(struct dentry *parent, const char *name, u32 len);
/* The same with parent's i_mutex held by the caller (a name call about to change it). */
struct dentry *lookup_one_locked(struct dentry *parent, const char *name, u32 len);

/*
 * A mounted instance of type (CONFIG_VFS, fs/super.c): bdev for
 * FS_REQUIRES_DEV types, flags SB_*; the caller owns sb->s_root's
 * reference. ERR_PTR: -ENOTBLK (no device), -EACCES (writable mount of
 * a read-only device), fill_super's error. deactivate_super() syncs it,
 * frees its unused dentries and inodes, calls put_super and kill_sb.
 */
struct super_block *vfs_get_super(struct file_system_type *type,
				  struct block_device *bdev,
				  unsigned long flags, const char *options);
void deactivate_super(struct super_block *sb);

/* iattr's ia_valid */
#define ATTR_MODE	(1U << 0)
#define ATTR_UID	(1U << 1)
#define ATTR_GID	(1U << 2)
#define ATTR_SIZE	(1U << 3)
#define ATTR_ATIME	(1U << 4)
#define ATTR_MTIME	(1U << 5)
#define ATTR_CTIME	(1U << 6)

struct iattr {
	unsigned int ia_valid;
	u32 ia_mode, ia_uid, ia_gid;
	u64 ia_size;
	struct timespec ia_atime, ia_mtime, ia_ctime;
};

/* Each runs with dir's i_mutex held (rename: see filesystems.rst's lock order). */
struct inode_operations {
	/* Find dentry->d_name in dir: d_add(dentry, inode or NULL); return NULL or ERR_PTR. */
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry);
	int (*create)(struct inode *dir, struct dentry *dentry, u32 mode);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, u32 mode);
	int (*mknod)(struct inode *dir, struct dentry *dentry, u32 mode, u32 dev);
	int (*symlink)(struct inode *dir, struct dentry *dentry, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *dentry);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*rmdir)(struct inode *dir, struct dentry *dentry); /* VFS checked it is a dir */
	/* flags: RENAME_NOREPLACE, RENAME_EXCHANGE */
	int (*rename)(struct inode *old_dir, struct dentry *old,
		      struct inode *new_dir, struct dentry *new,
		      unsigned int flags);
	/* A symlink's target into buf (size bytes, NUL-terminated): length or -errno. */
	int (*get_link)(struct inode *inode, char *buf, size_t size);
	/* ATTR_SIZE (truncate), MODE, UID, GID, ATIME, MTIME */
	int (*setattr)(struct dentry *dentry, struct iattr *attr);
};

/* getdents: actor returns false when the user buffer is full. */
struct dir_context {
	bool (*actor)(struct dir_context *ctx, const char *name, int len,
		      u64 pos, u64 ino, unsigned int d_type);
	u64 pos; /* the fs's own cookie; the fs sets it past each entry it emitted */
};

/* get_block()'s create (mm/filemap.c's writes skip the zeroing of blocks they fill). */
#define GET_BLOCK_CREATE 1
#define GET_BLOCK_NOZERO 2

/* The page cache of a regular file (mm/filemap.c). */
struct address_space_operations {
	/*
	 * Map file block iblock (in s_blocksize units) to a disk block:
	 * *pblock, 0 = hole. create: GET_BLOCK_CREATE allocates it (zeroed)
	 * if missing; | GET_BLOCK_NOZERO: a data block need not be zeroed
	 * (the caller holds the page lock and fills the block's bytes of the
	 * page before anyone can read them; a file system may zero anyway).
	 * 0/-ENOSPC/-EIO. Generic readpage/writepage use it.
	 */
	int (*get_block)(struct inode *inode, u64 iblock, u64 *pblock,
			 int create);
	/*
	 * Optional, under i_mutex before a write of *n bytes at pos: may
	 * shorten *n or refuse (-EFBIG...). 0 or -errno.
	 */
	int (*prepare_write)(struct inode *inode, u64 pos, size_t *n);
};

/* read_at/write_at of regular files on the page cache (via i_aops). */
long generic_file_read(struct file *f, char *ubuf, size_t n, u64 *pos);
long generic_file_write(struct file *f, const char *ubuf, size_t n, u64 *pos);
/* write_kernel of the same files: from a kernel buffer at f_pos (sendfile's output). */
long generic_file_write_kernel(struct file *f, const char *buf, size_t n);

/* The sleeping lock of an inode (i_mutex): see Documentation/filesystems.rst. */
static inline void inode_lock(struct inode *inode)
{
	mutex_lock(&inode->i_mutex);
}

static inline void inode_unlock(struct inode *inode)
{
	mutex_unlock(&inode->i_mutex);
}

#define NR_OPEN 256

/*
 * A task's descriptor table, shared by the threads of CLONE_FILES (refs
 * counts them). lock makes finding a free slot and filling it, and
 * emptying one, atomic (two threads never get the same descriptor); the
 * struct files it points to are shared and reference-counted.
 * cwd is kept here too (Linux keeps it in fs_struct, shared by CLONE_FS:
 * here it goes with CLONE_FILES).
 */
struct files {
	struct file *fd[NR_OPEN];
	unsigned char cloexec[NR_OPEN];
	struct inode *cwd; /* holds a reference */
	int refs; /* atomic */
	spinlock_t lock;
	u32 umask; /* umask(): per process, copied by fork (Linux's fs_struct) */
};

/* Boot: the root directory, /dev (console, tty, null) and /tmp. */
void fs_init(void);

/*
 * A root file system on a disk (fs/do_mounts.c, CONFIG_ROOT_DISK):
 * root_from_disk() says whether root= asked for one; mount_root(), at
 * boot after fs_init(), mounts it as "/" or panics saying why;
 * root_poweroff(), when init has ended, remounts it read-only so the
 * disk is left clean (or syncs it when a file is still open for writing).
 */
#ifdef CONFIG_ROOT_DISK
bool root_from_disk(void);
void mount_root(void);
void root_poweroff(void);
#else
static inline bool root_from_disk(void)
{
	return false;
}
static inline void mount_root(void)
{
}
static inline void root_poweroff(void)
{
}
#endif

/*
 * Creates or replaces path (absolute, already normalised: no "." or ".."
 * components) as the initramfs unpacker does: missing parent directories
 * are made; an existing directory is kept; anything else is replaced.
 * type is S_IFREG, S_IFDIR, S_IFLNK or S_IFCHR. 0 or -errno.
 * A regular file's data must be reserved memory that is never freed (an
 * archive the boot loader or the image holds): its whole pages may become
 * the file's without a copy.
 */
int fs_install(const char *path, u32 mode, const void *data, size_t size,
	       u32 rdev, u32 mtime);

/*
 * The regular file at path (relative paths from the current task's cwd,
 * if it has files) for execve, read in pieces: a reference to it in
 * *ino (fs_put_inode() it after) and its size. fs_read_chunk() copies n
 * bytes at pos, within one page, into buf, or returns false for a hole
 * (zeroes; buf untouched). -ENOENT, -EACCES (not a regular executable
 * file), ...
 */
int fs_open_exec(const char *path, struct inode **ino, u64 *size);
/*
 * The absolute path with no symlinks, "." or ".." of the file path names
 * (relative paths from the current task's cwd), into buf (PATH_MAX
 * bytes), as Linux's d_path() shows it in /proc/<pid>/exe. 0 or -errno.
 */
int fs_real_path(const char *path, char *buf);
bool fs_read_chunk(struct inode *ino, u64 pos, void *buf, size_t n);
void fs_put_inode(struct inode *ino);

/*
 * A user path copied into a PATH_MAX kmalloc'd buffer (kfree it), or
 * NULL and *err: -EFAULT, -ENAMETOOLONG (PATH_MAX bytes or more), -ENOMEM.
 */
char *get_path(const char *upath, long *err);

/*
 * The interface file mappings (mm/mmap.c) use, kept small for the VFS
 * to come (Documentation/mm.rst):
 * fs_mmap_file(): the inode behind fd for mmap() of [off, off + len),
 * with a reference, and whether it was opened for reading and writing;
 * 1 for /dev/zero (no inode: anonymous memory is mapped instead); -EBADF, -EACCES (not open for reading; shared and writable but not open
 * for writing or append-only), -ENODEV (no pages to map: a pipe, a
 * device, /proc), -EOVERFLOW (past the largest file size).
 * fs_get_page(): data page index of ino (a hole gets a zeroed page) with
 * a reference for the caller (put_page() it): 0, -EIO past the end of
 * the file (SIGBUS) or -ENOSPC without memory or room in the budget.
 * A disk file's page comes from the page cache (filemap_fault_page():
 * it sleeps, so never under a spinlock; write: for a writable shared
 * mapping). fs_has_page(): whether ino has data page index in memory (mincore()).
 * fs_hold_inode() takes one more reference for a caller that holds one
 * (a region's): it takes no fs_lock, so mm->lock may be held.
 * fs_put_inode() drops one (the last may free the inode or write it back)
 * and the others take fs_lock or sleep: never under a spinlock.
 */
int fs_mmap_file(int fd, bool shared, unsigned int prot, u64 off, u64 len,
		 struct inode **ino, bool *writable);
int fs_get_page(struct inode *ino, unsigned long index, bool write, void **page);
bool fs_has_page(struct inode *ino, unsigned long index);
void fs_hold_inode(struct inode *ino);

/*
 * The WebAssembly code cache (kernel/wasm/cache.c) keeps its images in
 * unnamed RAM files: fs_new_image(size) makes one of size bytes, zeroed
 * (fs_put_inode() frees it with its last reference); the cache's hook
 * wasm_cache_forget() runs as a file's inode dies, the ramfs one under
 * fs_lock, where fs_put_inode_locked() drops a reference instead.
 */
struct inode *fs_new_image(u64 size);
void fs_put_inode_locked(struct inode *ino);

/*
 * Pages of file data in use and the most there may be
 * (CONFIG_TMPFS_SIZE_PERCENT of RAM): for sysinfo() and statfs().
 */
void fs_data_pages(unsigned long *used, unsigned long *max);

/* Descriptor tables. */
struct files *files_alloc_console(void); /* 0, 1, 2 on the console */
struct files *files_dup(struct files *f);
void files_close_all(struct files *f); /* and frees f */
struct files *files_get(struct files *f); /* CLONE_FILES: one more user */
void files_put(struct files *f); /* the last user closes them all; NULL is fine */
void files_exec(struct files *f); /* closes the O_CLOEXEC descriptors */

/*
 * ETXTBSY, as Linux's i_writecount: a regular file is either written
 * (opened for writing, or truncated by name: get_write_access(), one
 * count per open file until its last close) or run (from execve()
 * opening it until the last address space running it is gone:
 * deny_write_access()), never both; the other side gets -ETXTBSY.
 * Other file types always get 0. Any context (atomic, no lock).
 */
static inline int writecount_take(struct inode *ino, int delta)
{
	int c = __atomic_load_n(&ino->i_writecount, __ATOMIC_RELAXED);

	if (!IS_ENABLED(CONFIG_EXEC_DENY_WRITE) || !S_ISREG(ino->i_mode))
		return 0;
	do {
		if (delta > 0 ? c < 0 : c > 0)
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&ino->i_writecount, &c, c + delta, true,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}

static inline void writecount_drop(struct inode *ino, int delta)
{
	if (IS_ENABLED(CONFIG_EXEC_DENY_WRITE) && S_ISREG(ino->i_mode))
		__atomic_sub_fetch(&ino->i_writecount, delta, __ATOMIC_ACQ_REL);
}

static inline int get_write_access(struct inode *ino) { return writecount_take(ino, 1); }
static inline void put_write_access(struct inode *ino) { writecount_drop(ino, 1); }
static inline int deny_write_access(struct inode *ino) { return writecount_take(ino, -1); }
static inline void allow_write_access(struct inode *ino) { writecount_drop(ino, -1); }

#endif
