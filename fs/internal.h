/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the RAM file system (ramfs.c) and the descriptor layer (file.c). */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include <hartix/cleanup.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/slab.h>
#include <hartix/spinlock.h>

/*
 * fs_lock protects the tree, every inode and every file's f_pos (see
 * include/hartix/fs.h). Taken with interrupts masked: a holder is never
 * preempted, and it never sleeps or touches user memory. Every path call
 * takes it, so it is the unfair kind (spin_lock_irqsave_unfair()): with
 * a ticket lock, 4 harts of a loaded host waited minutes on harts whose
 * turn had come but which the host did not run (user/glibc/tmpfs_race).
 */
extern spinlock_t fs_lock;

static inline unsigned long fs_lock_irqsave(void)
{
	return spin_lock_irqsave_unfair(&fs_lock);
}

static inline void fs_unlock_irqrestore(unsigned long flags)
{
	spin_unlock_irqrestore(&fs_lock, flags);
}

extern struct inode *fs_root;
/*
 * The root RAM file system's super block (ramfs.c): st_dev 0:1, never
 * read-only, no struct mount. Every inode made in a RAM directory takes
 * its directory's i_sb.
 */
extern struct super_block root_sb;

/* A name in a RAM file system directory (fs/ramfs.c). */
struct ramfs_dirent {
	struct ramfs_dirent *next, *prev; /* the directory's list, in off order */
	struct ramfs_dirent *hnext; /* its hash chain */
	struct inode *inode;
	u64 off; /* its position for getdents64: unique in the directory, never reused */
	size_t len;
	char name[]; /* NUL-terminated */
};


/*
 * A RAM file system inode (ramfs.c): the VFS inode and what only ramfs
 * keeps, as Linux's shmem_inode_info. Every inode that is not a VFS file
 * system's (is_vfs_inode()) is one: tmpfs instances', the root file
 * system's, pipes', and /proc's too (ramfs_alloc_inode(); their ramfs
 * fields stay zero) until /proc is a file system of its own. Under
 * fs_lock, as the tree.
 */
struct ramfs_inode {
	struct inode vfs_inode; /* first: freeing the inode frees it all */
	/* Directories */
	struct ramfs_dirent *dentry; /* the entry naming it (NULL for / or removed) */
	struct ramfs_dirent *children, *children_tail; /* in ascending off order */
	/*
	 * The same entries by name: hash_size (a power of two) chains, so
	 * lookups and inserts stay cheap in a directory of any size.
	 */
	struct ramfs_dirent **hash;
	unsigned long hash_size, nr_children;
	struct ramfs_dirent *readdir_hint; /* last entry getdents returned, or NULL */
	u64 next_off; /* getdents offset of the next entry added */
	/*
	 * Regular files: a radix tree of data pages (pages_height levels of
	 * page-sized nodes, 0: no tree) by page index; a missing page is a
	 * hole and reads as zeroes. nr_pages counts the data pages present
	 * (i_blocks says the same in 512-byte units, for stat).
	 */
	void *pages;
	unsigned int pages_height;
	unsigned long nr_pages;
};

static inline struct ramfs_inode *RAMFS_I(struct inode *ino)
{
	return container_of(ino, struct ramfs_inode, vfs_inode);
}

/*
 * What opening a RAM file system regular file or directory gets (ramfs.c:
 * a directory's iterate() lists its entry list); generic_dir_fops
 * (readdir.c) is /proc's directories': read() is EISDIR, getdents goes
 * through their dir_ops. generic_read_dir: read() on any directory.
 */
extern const struct file_operations ramfs_file_fops;
extern const struct file_operations ramfs_dir_fops;
extern const struct file_operations generic_dir_fops;
long generic_read_dir(struct file *f, char *ubuf, size_t n);

/* A getdents64 d_type for an inode mode, as Linux's fs_umode_to_dtype(). */
static inline unsigned int fs_umode_to_dtype(u32 mode)
{
	unsigned int t = (mode & S_IFMT) >> 12; /* DT_* are the S_IF* type bits */

	/* FIFO 1, CHR 2, DIR 4, BLK 6, REG 8, LNK 10, SOCK 12; else DT_UNKNOWN */
	return (0x1556U >> t) & 1 ? t : 0;
}

/* A zeroed RAM file system inode, no more (/proc's, fs/proc.c); NULL without memory. */
struct inode *ramfs_alloc_inode(void);

/* Linux's MAX_LFS_FILESIZE, tmpfs's s_maxbytes. */
#define FS_MAX_SIZE ((u64)0x7fffffffffffffffULL)

/* Caller holds fs_lock. */
void inode_get(struct inode *ino);

/*
 * Inode times (ramfs.c), caller holds fs_lock. fs_time_now: the time
 * they are stamped with. mtime: the data or entries changed (ctime too);
 * ctime: the inode changed; atime: read, under relatime's rule.
 */
void fs_time_now(struct timespec *ts);
void inode_touch_mtime(struct inode *ino);
void inode_touch_ctime(struct inode *ino);
void inode_touch_atime(struct inode *ino);
void inode_put(struct inode *ino); /* frees it at refs 0 and nlink 0 */

/*
 * Path lookup, caller holds fs_lock. Resolves path (shorter than
 * PATH_MAX, as get_path() makes it) from base (absolute paths from the root). follow_last: follow a symlink in the last
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
struct ramfs_dirent *fs_dir_find(struct inode *dir, const char *name, size_t len);
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
void ramfs_unlink(struct inode *dir, struct ramfs_dirent *d);

/*
 * Caller holds fs_lock and checked the call: moves od from odir to the
 * name name[len] in ndir, replacing nd if not NULL (an empty directory,
 * if one); or with exchange swaps the inodes of od and nd. -ENOSPC
 * without memory, and nothing changed.
 */
int ramfs_rename(struct inode *odir, struct ramfs_dirent *od, struct inode *ndir,
		 const char *name, size_t len, struct ramfs_dirent *nd,
		 bool exchange);

/* Caller holds fs_lock. Data in kernel buffers; -ENOSPC without memory. */
long ramfs_read(struct inode *ino, u64 pos, char *buf, size_t n);
long ramfs_write(struct inode *ino, u64 pos, const char *buf, size_t n);
int ramfs_truncate(struct inode *ino, u64 size);
/*
 * fallocate() (fs/open.c), caller holds fs_lock. ramfs_punch: bytes
 * [pos, pos + len) read as zeroes, whole pages freed. ramfs_allocate:
 * the data pages of [pos, end) from pos on exist, at most max_pages of
 * them looked at: how many, or -ENOSPC. ramfs_room_for: whether the
 * budget has pages more pages free.
 */
void ramfs_punch(struct inode *ino, u64 pos, u64 len);
long ramfs_allocate(struct inode *ino, u64 pos, u64 end, size_t max_pages);
bool ramfs_room_for(u64 pages);

#ifdef CONFIG_PROC_FS
/* Boot, from fs_init(): mounts /proc. */
void proc_init(void);
/*
 * fs/proc_fd.c, caller holds fs_lock. file_set_path: records in f where
 * the path (a writable copy; from base) that opened f->inode names it.
 * file_clear_path: forgets it.
 */
void file_set_path(struct file *f, struct inode *base, char *path);
void file_clear_path(struct file *f);
#else
static inline void proc_init(void)
{
}
static inline void file_set_path(struct file *f, struct inode *base,
				 char *path)
{
}
static inline void file_clear_path(struct file *f)
{
}
#endif

#if defined(CONFIG_PROC_FS) && defined(CONFIG_MOUNT)
/*
 * fs/proc_fd.c, no lock held: file_set_path() for a RAM file system
 * inode a walk through a disk reached (/dev/null on a disk root).
 */
void file_set_vfs_path(struct file *f, struct inode *base, const char *path);
#else
static inline void file_set_vfs_path(struct file *f, struct inode *base,
				     const char *path)
{
}
#endif

/*
 * Open files (file.c). file_init: caller holds fs_lock; f (zeroed) gets
 * one reference and takes one on ino. fd_install: the lowest free
 * descriptor of the current task now holds the caller's reference to f
 * (the descriptor, or -EMFILE: the reference is still the caller's).
 * fd_close: close(fd). fget: the current task's file at fd with a
 * reference (fput() it), or NULL: a thread sharing the table may close
 * fd meanwhile, and f lives on until the last fput().
 */
void file_init(struct file *f, struct inode *ino,
	       const struct file_operations *ops, unsigned int flags,
	       void *private_data);
void fput(struct file *f);
int fd_install(struct file *f, bool cloexec);
int fd_close(int fd);
struct file *fget(int fd);

/*
 * fget() for a caller that puts the file back (fput_light()) before it
 * returns: when no other thread shares the table, nothing can close fd
 * meanwhile, so it takes no lock and no reference, as Linux's fdget().
 * *ref says whether it took one. Inline: select and poll call it for
 * every descriptor they scan.
 */
static inline struct file *fget_light(int fd, bool *ref)
{
	struct files *fs = current_task()->files;

	*ref = !fs || __atomic_load_n(&fs->refs, __ATOMIC_RELAXED) != 1;
	if (*ref)
		return fget(fd);
	return (unsigned int)fd < NR_OPEN ? fs->fd[fd] : NULL;
}

static inline void fput_light(struct file *f, bool ref)
{
	if (ref)
		fput(f);
}
/*
 * The descriptor table (file.c), for fcntl.c: file_get takes one more
 * reference; fd_limit is RLIMIT_NOFILE within NR_OPEN; fd_install_from
 * puts the caller's reference in the lowest free slot >= from (or
 * -EMFILE); fd_replace swaps slot fd's file, returning the old one.
 */
struct files *cur_files(void);
void file_get(struct file *f);
int fd_limit(void);
int fd_install_from(struct file *f, int from, bool cloexec);
struct file *fd_replace(int fd, struct file *f, bool cloexec);
/* For openat (open.c): the lowest free descriptor >= from, or -EMFILE. */
int fd_alloc(struct files *fs, int from);
/*
 * The operations a file opened on ino gets (open.c): ino's i_fop, or by
 * its type (a /proc directory, a FIFO, a device); NULL: none (ENXIO).
 * Caller holds fs_lock; the file holds a reference to ino.
 */
const struct file_operations *inode_fops(struct inode *ino);
/* `struct file *f __free(fput) = fget(fd);` puts it at every return. */
DEFINE_FREE(fput, struct file *, if (_T) fput(_T))

/*
 * read/write on f (read_write.c), with the checks of the system calls: at *pos
 * (moved on), or at the file's position for NULL. file_iov: readv/writev
 * the same way.
 */
long vfs_read(struct file *f, char *ubuf, size_t n, u64 *pos);
long vfs_write(struct file *f, const char *ubuf, size_t n, u64 *pos);
long file_iov(struct file *f, const void *uiov, unsigned long iovcnt,
	      bool write, u64 *pos);

/*
 * The inode a *at() call names (fs/stat.c), with a reference taken
 * (fs_put_inode() it): upath from dirfd, following a last symlink unless
 * flags has AT_SYMLINK_NOFOLLOW; with AT_EMPTY_PATH, an empty path names
 * dirfd's own inode (the cwd's for AT_FDCWD).
 */
long at_inode(int dirfd, const char *upath, int flags, struct inode **res);
/*
 * The inode path (a kernel copy) names from dirfd (fs/stat.c).
 * path_inode: with a reference (fs_put_inode() it). path_fill (stat):
 * fill(ino, arg) on it, for a RAM file system inode under fs_lock with
 * no reference taken (one lock section in all), for a VFS one with a
 * reference and no lock held.
 */
long path_inode(int dirfd, const char *path, bool follow, struct inode **res);
/*
 * For the calls made most (stat): a user path copied into the caller's
 * buf (PATH_BUF_SHORT bytes, on its stack) when it fits, else
 * get_path()'s. put_path() frees it if it is not buf.
 */
#define PATH_BUF_SHORT 256
char *get_path_short(const char *upath, char *buf, long *err);
static inline void put_path(char *path, const char *buf)
{
	if (path != buf)
		kfree(path);
}
long path_fill(int dirfd, const char *path, bool follow,
	       void (*fill)(struct inode *ino, void *arg), void *arg);

/* Named pipes (pipe.c): what opening a FIFO inode gets. */
extern const struct file_operations fifo_fops;

/*
 * Mounts (namespace.c, CONFIG_MOUNT): RAM file system instances (tmpfs)
 * mounted on directories of the tree. Each has its own super block
 * (i_sb of its inodes: st_dev, SB_RDONLY; type tmpfs_fs_type or
 * ramfs_fs_type), as the root file system has root_sb (rootfs_fs_type);
 * /proc's and pipes' inodes have none. All under fs_lock.
 */
#ifdef CONFIG_MOUNT
struct mount {
	struct super_block sb; /* s_fs_info points back here */
	struct inode *root; /* its root directory: one reference */
	struct inode *mountpoint; /* the covered directory (a reference); NULL once detached */
	struct mount *next; /* the mount table, in mount order */
	char source[64];
	/*
	 * refs: references to its inodes (inode_get); dirs: its directory
	 * inodes, each holding one on its parent (the root on none), so it
	 * is in use while refs > dirs (the root's is the mount's own).
	 */
	unsigned long refs, dirs;
	unsigned int children; /* mounts on its directories */
	unsigned int writers; /* files open for writing on it */
	bool detached, freeing;
	/* A VFS file system's instance (ext2, vfat; fs/vfs_namei.c): root is its s_root's inode. */
	struct super_block *vsb;
	/*
	 * A root on a disk (root=, fs/do_mounts.c): the type /proc/mounts
	 * shows for the RAM file system's /dev and /proc mounted on the
	 * disk's ("devtmpfs", "proc"); NULL for the others.
	 */
	const char *fstype;
};

/*
 * A tmpfs instance's inode: its super block is the struct mount's own
 * (FS_RAM; the root file system's, root_sb, has no struct mount).
 */
static inline struct mount *real_mount(const struct inode *ino)
{
	return ino->i_sb && (ino->i_sb->s_type->fs_flags & FS_RAM) ?
		       ino->i_sb->s_fs_info : NULL;
}

/* Follows mounts down from a directory: the root of what is mounted on it. */
static inline struct inode *mnt_down(struct inode *ino)
{
	while (ino->i_mounted)
		ino = ino->i_mounted->root;
	return ino;
}

/*
 * From the root of a mounted instance up to the directory it covers
 * (repeatedly: stacked mounts); NULL for a detached one's root.
 */
static inline struct inode *mnt_up(struct inode *ino)
{
	struct mount *m;

	while ((m = real_mount(ino)) && m->root == ino) {
		if (!m->mountpoint)
			return NULL;
		ino = m->mountpoint;
	}
	return ino;
}

/*
 * ramfs.c: a new instance's root directory (one reference, the mount's),
 * and emptying a directory of everything under it.
 */
struct inode *ramfs_new_root(u32 mode);
void ramfs_clear_dir(struct inode *dir);
/* Counts a reference to ino taken (1) or dropped without mnt_put_ref() (-1). */
static inline void mnt_ref(struct inode *ino, int delta)
{
	struct mount *m = real_mount(ino);

	if (m) /* atomic: fs_hold_inode() counts without fs_lock */
		__atomic_add_fetch(&m->refs, (unsigned long)(long)delta, __ATOMIC_RELAXED);
}

/* A reference to one of m's inodes went (frees a detached m once unused). */
void mnt_put_ref(struct mount *m);
/* ino joins dir's instance (a new inode made in dir). */
void mnt_inode_new(struct inode *dir, struct inode *ino);
void mnt_dir_freed(struct inode *dir);
/* A file on ino opened for writing, or closed: remount ro waits for none. */
void mnt_writer(struct inode *ino, int delta);
#else
static inline struct mount *real_mount(const struct inode *ino)
{
	return NULL;
}
static inline struct inode *mnt_down(struct inode *ino)
{
	return ino;
}
static inline struct inode *mnt_up(struct inode *ino)
{
	return ino;
}
static inline void mnt_ref(struct inode *ino, int delta)
{
}
static inline void mnt_put_ref(struct mount *m)
{
}
static inline void mnt_inode_new(struct inode *dir, struct inode *ino)
{
}
static inline void mnt_dir_freed(struct inode *dir)
{
}
static inline void mnt_writer(struct inode *ino, int delta)
{
}
#endif

/*
 * What "/" names, caller holds fs_lock: the RAM file system's root, or
 * the disk file system mounted over it at boot (root=, fs/do_mounts.c).
 * The RAM root stays the top of that tree (fs_install(), ".." from its
 * /dev and /proc), and ".." from it leads here too.
 */
static inline struct inode *ns_root(void)
{
	return mnt_down(fs_root);
}

/*
 * Boot (fs/do_mounts.c, CONFIG_ROOT_DISK): the disk instance sb becomes
 * "/", mounted over the RAM root, with the RAM /dev and /proc mounted on
 * its /dev and /proc (namespace.c). 0 or -ENOMEM.
 */
int mount_root_sb(struct super_block *sb);
/* The disk root read-only (namespace.c): 0, or why not (EBUSY: open for writing). */
int remount_root_ro(void);

/*
 * st_dev: its instance's, or 0:1 for the root file system and /proc.
 * Without CONFIG_MOUNT no inode a system call reaches has a super block.
 */
static inline u32 inode_dev(const struct inode *ino)
{
	return IS_ENABLED(CONFIG_MOUNT) && ino->i_sb ? ino->i_sb->s_dev : 1;
}

/* EROFS: ino is on a read-only mount. */
static inline bool inode_rdonly(const struct inode *ino)
{
	return IS_ENABLED(CONFIG_MOUNT) && ino->i_sb &&
	       (READ_ONCE(ino->i_sb->s_flags) & (SB_RDONLY | SB_REMOUNT_RO));
}

/* open(2)'s checks of an existing inode against its flags (fs/namei.c): 0 or -errno. */
int may_open_existing(const struct inode *ino, unsigned int flags);

#ifdef CONFIG_FILE_LOCKING
/*
 * fs/locks.c. fcntl_lock: F_GETLK, F_SETLK(W) and the F_OFD_ ones.
 * locks_remove_posix: a process (its table) closes a descriptor of f.
 * locks_remove_file: f's last descriptor is gone.
 */
long fcntl_lock(struct file *f, unsigned int cmd, void *uarg);
void locks_remove_posix(struct files *owner, struct file *f);
void locks_remove_file(struct file *f);
#else
static inline long fcntl_lock(struct file *f, unsigned int cmd, void *uarg)
{
	return -EINVAL; /* Linux's answer without CONFIG_FILE_LOCKING */
}
static inline void locks_remove_posix(struct files *owner, struct file *f)
{
}
static inline void locks_remove_file(struct file *f)
{
}
#endif

DEFINE_FREE(fs_put_inode, struct inode *, if (_T) fs_put_inode(_T))

/*
 * VFS file systems in the namespace (fs/vfs_namei.c, CONFIG_MOUNT): a
 * disk file system mounted on a RAM file system directory. The RAM walk
 * (fs_lookup, under fs_lock) stops with -EVFS as soon as it would step
 * into a VFS inode; the call then starts over, without fs_lock, with
 * vfs_walk(), which goes through both kinds of directory (RAM ones one
 * component at a time under fs_lock, VFS ones with lookup_one(), which
 * sleeps) and with the vfs_* variant of the call.
 */
#define EVFS 530 /* never seen by user space */

#ifdef CONFIG_MOUNT
static inline bool is_vfs_inode(const struct inode *ino)
{
	return ino->i_vfs; /* not a RAM instance's (FS_RAM), not /proc's or a pipe's */
}
#else
static inline bool is_vfs_inode(const struct inode *ino)
{
	return false;
}
#endif

/*
 * Where a walk ended: ino with a reference (fs_put_inode() drops it),
 * and for a VFS inode the dentry naming it (a reference too, or NULL).
 * A walk for a new name ends at the directory, with the name in last.
 */
struct vpath {
	struct inode *ino;
	struct dentry *d;
};

#define VWALK_FOLLOW	1 /* follow a symlink in the last component */
#define VWALK_PARENT	2 /* stop at the directory of the last component */
#define VWALK_CWD	4 /* a relative path starts at the cwd (base unused), read under fs_lock */

struct vlast {
	char name[NAME_MAX + 1];
	size_t len; /* 0: the path names "/" (or only dots) */
	bool slash; /* a trailing slash */
	int type; /* LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT */
};

enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

#ifdef CONFIG_MOUNT
void vpath_put(struct vpath *p);
int vfs_walk(struct inode *base, const char *path, int flags, struct vpath *res,
	     struct vlast *last);
/*
 * path_fill()'s walk: fill(ino, arg) on where path leads instead of a
 * reference to it; a RAM inode under the walk's fs_lock section, a VFS
 * one with no lock held.
 */
int vfs_walk_fill(struct inode *base, const char *path, int flags,
		  void (*fill)(struct inode *ino, void *arg), void *arg);
/* The namespace's references to VFS inodes (inode_get/fs_put_inode). */
void vfs_ns_get(struct inode *ino);
void vfs_ns_put(struct inode *ino);
int vfs_dir_path(struct inode *dir, char *buf, size_t *pos);
/*
 * The calls' VFS variants (vfs_namei.c), from base (the caller's
 * reference) and a kernel path, no lock held. vfs_lookup_inode: the
 * inode path names (VWALK_ flags) with a reference (fs_put_inode() it). vfs_open: the
 * inode to open with one, made for O_CREAT (mode with the umask applied);
 * *trunc: O_TRUNC is owed (vfs_truncate()). vfs_readlink: into buf
 * (PATH_MAX bytes), the length.
 */
int vfs_lookup_inode(struct inode *base, const char *path, int flags,
		     struct inode **res);
int vfs_open(struct inode *base, const char *path, int flags, u32 mode,
	     struct inode **res, bool *trunc);
int vfs_truncate(struct inode *ino, u64 size);
int vfs_setattr(struct inode *ino, struct iattr *attr);
int vfs_mkdir(struct inode *base, const char *path, u32 mode);
int vfs_mknod(struct inode *base, const char *path, u32 mode, u32 dev);
int vfs_symlink(const char *target, struct inode *base, const char *path);
int vfs_link(struct inode *obase, const char *opath, bool follow,
	     struct inode *nbase, const char *npath);
int vfs_unlink(struct inode *base, const char *path, bool rmdir);
int vfs_rename(struct inode *obase, const char *opath, struct inode *nbase,
	       const char *npath, unsigned int flags);
int vfs_readlink(struct inode *base, const char *path, char *buf);
/* fs_real_path() through a VFS file system, from base: 0 or -errno. */
int vfs_real_path(struct inode *base, const char *path, char *buf);
/*
 * execve's reads of a program on a VFS file system: n bytes at pos
 * (within one page) into buf through the buffer cache; false for a
 * hole or an unreadable block (the caller's zeroes).
 */
bool vfs_read_chunk(struct inode *ino, u64 pos, void *buf, size_t n);
/* sync(2) and syncfs(2) (namespace.c): every VFS instance, or only's. */
void vfs_sync_all(struct super_block *only);
/* Caller holds fs_lock: the mount of VFS super block sb, or NULL (namespace.c). */
struct mount *vfs_mount_of(struct super_block *sb);
#else
/* Without mounts no walk meets a VFS inode: -EVFS never comes, these are never called. */
static inline void vpath_put(struct vpath *p)
{
}
static inline int vfs_walk(struct inode *base, const char *path, int flags,
			   struct vpath *res, struct vlast *last)
{
	return -ENOENT;
}
static inline int vfs_walk_fill(struct inode *base, const char *path, int flags,
				void (*fill)(struct inode *ino, void *arg), void *arg)
{
	return -ENOENT;
}
static inline int vfs_lookup_inode(struct inode *base, const char *path, int flags,
				   struct inode **res)
{
	return -ENOENT;
}
static inline int vfs_open(struct inode *base, const char *path, int flags, u32 mode,
			   struct inode **res, bool *trunc)
{
	return -ENOENT;
}
static inline int vfs_truncate(struct inode *ino, u64 size)
{
	return -EINVAL;
}
static inline int vfs_setattr(struct inode *ino, struct iattr *attr)
{
	return -EINVAL;
}
static inline int vfs_mkdir(struct inode *base, const char *path, u32 mode)
{
	return -ENOENT;
}
static inline int vfs_mknod(struct inode *base, const char *path, u32 mode, u32 dev)
{
	return -ENOENT;
}
static inline int vfs_symlink(const char *target, struct inode *base, const char *path)
{
	return -ENOENT;
}
static inline int vfs_link(struct inode *obase, const char *opath, bool follow,
			   struct inode *nbase, const char *npath)
{
	return -ENOENT;
}
static inline int vfs_unlink(struct inode *base, const char *path, bool rmdir)
{
	return -ENOENT;
}
static inline int vfs_rename(struct inode *obase, const char *opath, struct inode *nbase,
			     const char *npath, unsigned int flags)
{
	return -ENOENT;
}
static inline int vfs_readlink(struct inode *base, const char *path, char *buf)
{
	return -ENOENT;
}
static inline int vfs_real_path(struct inode *base, const char *path, char *buf)
{
	return -ENOENT;
}
static inline void vfs_sync_all(struct super_block *only)
{
}
static inline bool vfs_read_chunk(struct inode *ino, u64 pos, void *buf, size_t n)
{
	return false;
}
static inline void vfs_ns_get(struct inode *ino)
{
}
static inline void vfs_ns_put(struct inode *ino)
{
}
static inline int vfs_dir_path(struct inode *dir, char *buf, size_t *pos)
{
	return -ENOENT;
}
#endif
/* s before buf + *pos, moving *pos down (ramfs.c): -ENAMETOOLONG past 0. */
int fs_prepend(char *buf, size_t *pos, const char *s, size_t len);

/*
 * Where a relative path starts: the cwd, or dirfd's directory, with a
 * reference (fs_put_inode() it); -ENOENT for "".
 */
long base_dir(int dirfd, const char *path, struct inode **base);
/*
 * base_dir()'s checks without the reference: dirfd's file in *f (fput()
 * it) for a relative path from a descriptor, else NULL (the cwd's or the
 * root's, which the caller reads under fs_lock).
 */
long base_file(int dirfd, const char *path, struct file **f);

/*
 * Caller holds fs_lock: the directory a path from base_file()'s f starts
 * from. It needs no reference while fs_lock is held: the cwd changes
 * under it, and f holds dirfd's.
 */
static inline struct inode *base_locked(struct file *f)
{
	return f ? f->inode : cur_files()->cwd;
}

/*
 * Caller holds fs_lock and the RAM walk said ret: for -EVFS, a reference
 * to base_locked(f) (fs_put_inode() it) for the vfs_* call that starts
 * over unlocked; else NULL.
 */
static inline struct inode *evfs_base(long ret, struct file *f)
{
	struct inode *base = ret == -EVFS ? base_locked(f) : NULL;

	if (base)
		inode_get(base);
	return base;
}

#endif
