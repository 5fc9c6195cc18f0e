/* SPDX-License-Identifier: BSD-2-Clause */
/* Between /proc's core (proc.c) and its files in other files (proc_misc.c, proc_fd.c). */
#ifndef FS_PROC_INTERNAL_H
#define FS_PROC_INTERNAL_H

#include <hartix/compiler.h>
#include <hartix/fs.h>

/*
 * Inode numbers say what an inode is: PROC_INO_BASE | pid << 8 | index,
 * pid 0 for the files at the top (index into top_files), else index 0 for
 * /proc/<pid> and 1.. for its files (pid_files); PROC_FD_INO for the
 * links in /proc/<pid>/fd. The RAM file system counts its numbers up
 * from 1, far below.
 */
#define PROC_INO_BASE (1UL << 48)
#define PROC_INO(pid, idx) (PROC_INO_BASE | (unsigned long)(pid) << 8 | (idx))
#define PROC_INO_PID(ino) ((int)(((ino) & ~PROC_INO_BASE) >> 8))
#define PROC_INO_IDX(ino) ((unsigned int)((ino) & 0xff))
#define PROC_FD_INO(pid, fd) \
	(PROC_INO_BASE | 1UL << 46 | (unsigned long)(pid) << 9 | (unsigned long)(fd))
/* /proc/<pid>/task/<tid> (index 0) and its files: by tid, which no other task takes. */
#define PROC_TASK_INO(tid, idx) \
	(PROC_INO_BASE | 1UL << 45 | (unsigned long)(tid) << 8 | (idx))
#define PROC_INO_IS_TASK(ino) ((((ino) >> 45) & 3) == 1)
#define PROC_TASK_TID(ino) ((int)(((ino) & ((1UL << 45) - 1)) >> 8))

/* A file's text, made at open: a growing buffer like Linux's seq_file. */
struct seq {
	char *buf;
	size_t size, len; /* len > size: it did not fit */
};

__printf(2, 3) void seq_printf(struct seq *m, const char *fmt, ...);

/* Caller holds fs_lock. A new /proc inode with no reference yet. */
struct inode *proc_inode(u32 mode, unsigned long ino, struct inode *parent);
/*
 * Caller holds fs_lock: the NR_OPEN slots for the links of
 * /proc/<pid>/fd (made on first use, freed with /proc/<pid>), or NULL.
 */
struct inode **proc_fd_links(int pid);

/*
 * Caller holds fs_lock: the name of d, a directory of /proc made on
 * demand (<pid>, its fd and task, task/<tid>), into buf; its length.
 */
size_t proc_dir_name(const struct inode *d, char *buf, size_t size);

/* proc_misc.c: /proc/mounts (and /proc/<pid>/mounts), filesystems, loadavg. */
int show_mounts(struct seq *m, int pid, int tid);
#ifdef CONFIG_MOUNT
int show_mount_table(struct seq *m); /* namespace.c: mount(2)'s mounts */
#else
static inline int show_mount_table(struct seq *m)
{
	return 0;
}
#endif
int show_filesystems(struct seq *m, int pid, int tid);
int show_loadavg(struct seq *m, int pid, int tid);

/* proc_fd.c: the directory /proc/<pid>/fd. */
extern const struct proc_dir_operations proc_fd_iops;

#endif
