/* SPDX-License-Identifier: BSD-2-Clause */
/* The RAM file system (fs/ramfs.c), open files and per-task descriptor tables (fs/file.c). */
#ifndef HARTIX_FS_H
#define HARTIX_FS_H

#include <hartix/compiler.h>
#include <hartix/sched.h>
#include <hartix/types.h>
#include <abi/fcntl.h>
#include <abi/limits.h>
#include <abi/stat.h>
#include <abi/time.h>

#define MAXSYMLINKS 40

/* Device numbers of the character devices the kernel provides. */
#define MKDEV(ma, mi)	(((u32)(ma) << 8) | (u32)(mi))
#define DEV_NULL	MKDEV(1, 3)
#define DEV_ZERO	MKDEV(1, 5)
#define DEV_RANDOM	MKDEV(1, 8)
#define DEV_URANDOM	MKDEV(1, 9)
#define DEV_TTY		MKDEV(5, 0)
#define DEV_CONSOLE	MKDEV(5, 1)
#define DEV_RTC0	MKDEV(254, 0) /* where Linux's rtc class usually lands */

struct dentry;
struct inode;
struct vma;

/*
 * A directory whose entries are made up on demand (/proc, fs/proc.c)
 * instead of kept in children. Both run under fs_lock.
 */
struct inode_operations {
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
	u32 mode; /* S_IF* type and permission bits */
	u32 nlink; /* names; a directory: 2 + subdirectories, 0 once removed */
	unsigned long ino;
	u32 rdev; /* character devices */
	/*
	 * Owner and times (Step 9 files): stored and shown by stat; every
	 * caller is root, so the ids decide nothing. Times are CLOCK_REALTIME.
	 */
	u32 uid, gid;
	struct timespec atime, mtime, ctime;
	u64 size; /* bytes; a symlink's target length */
	int refs;
	/* Directories */
	struct dentry *dentry; /* the entry naming it (NULL for / or removed) */
	struct dentry *children, *children_tail; /* in ascending off order */
	/*
	 * The same entries by name: hash_size (a power of two) chains, so
	 * lookups and inserts stay cheap in a directory of any size.
	 */
	struct dentry **hash;
	unsigned long hash_size, nr_children;
	struct dentry *readdir_hint; /* last entry getdents returned, or NULL */
	struct inode *parent; /* ".." (the root is its own parent); holds a ref */
	u64 next_off; /* getdents offset of the next entry added */
	/*
	 * Regular files: a radix tree of data pages (pages_height levels of
	 * page-sized nodes, 0: no tree) by page index; a missing page is a
	 * hole and reads as zeroes. nr_pages counts the data pages present.
	 */
	void *pages;
	unsigned int pages_height;
	unsigned long nr_pages;
	/*
	 * One writer (write, truncate) at a time, so a write is atomic
	 * with respect to other writes and O_APPEND writes never mix: a
	 * sleeping lock held while user memory is copied; write_locked is
	 * under write_wait.lock.
	 */
	struct wait_queue write_wait;
	bool write_locked;
	/* Symlinks: the target, NUL-terminated (kmalloc'd) */
	char *target;
	/* Set for /proc's inodes; NULL in the RAM file system. */
	const struct inode_operations *iop; /* directories */
	bool proc; /* /proc's, its root included: another file system */
	const struct file_operations *fop; /* files */
	/* File mappings: the regions mapping it, owned by mm/mmap.c (its lock). */
	struct vma *mappings;
	struct file_lock *locks; /* flock, POSIX and OFD locks (fs/locks.c) */
	struct pipe *pipe; /* a FIFO's while it is open (fs/pipe.c), under fs_lock */
};

struct dentry {
	struct dentry *next, *prev; /* the directory's list, in off order */
	struct dentry *hnext; /* its hash chain */
	struct inode *inode;
	u64 off; /* its position for getdents64: unique in the directory, never reused */
	size_t len;
	char name[]; /* NUL-terminated */
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
	 * writable. A file whose readiness changes calls poll_wake() after.
	 */
	unsigned int (*poll)(struct file *f);
	/* The last descriptor of f is gone (before its inode is put). */
	void (*release)(struct file *f);
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
 * Creates or replaces path (absolute, already normalised: no "." or ".."
 * components) as the initramfs unpacker does: missing parent directories
 * are made; an existing directory is kept; anything else is replaced.
 * type is S_IFREG, S_IFDIR, S_IFLNK or S_IFCHR. 0 or -errno.
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
 * Wakes every ppoll()/pselect6() sleeper to look again (fs/select.c):
 * called after any change that can make a file ready. Any context.
 */
void poll_wake(void);

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
 * fs_has_page(): whether ino has data page index in memory (mincore()).
 * fs_hold_inode() takes one more reference; fs_put_inode() drops one.
 * Any context that may take fs_lock (never under it).
 */
int fs_mmap_file(int fd, bool shared, unsigned int prot, u64 off, u64 len,
		 struct inode **ino, bool *writable);
int fs_get_page(struct inode *ino, unsigned long index, void **page);
bool fs_has_page(struct inode *ino, unsigned long index);
void fs_hold_inode(struct inode *ino);

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

#endif
