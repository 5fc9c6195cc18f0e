/* SPDX-License-Identifier: BSD-2-Clause */
/* stat() and mkdir(): Linux riscv64's struct stat (asm-generic/stat.h, 128 bytes). */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include <sys/types.h>
#include <time.h>
#include <abi/stat.h>

#define S_ISUID		04000
#define S_ISGID		02000
#define S_ISVTX		01000
#define S_IRWXU		00700
#define S_IRUSR		00400
#define S_IWUSR		00200
#define S_IXUSR		00100
#define S_IRWXG		00070
#define S_IRGRP		00040
#define S_IWGRP		00020
#define S_IXGRP		00010
#define S_IRWXO		00007
#define S_IROTH		00004
#define S_IWOTH		00002
#define S_IXOTH		00001
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)

struct stat {
	unsigned long st_dev;
	unsigned long st_ino;
	mode_t st_mode;
	unsigned int st_nlink;
	uid_t st_uid;
	gid_t st_gid;
	unsigned long st_rdev;
	unsigned long __pad1;
	off_t st_size;
	int st_blksize;
	int __pad2;
	long st_blocks;
	struct timespec st_atim;
	struct timespec st_mtim;
	struct timespec st_ctim;
	unsigned int __unused4;
	unsigned int __unused5;
};

_Static_assert(sizeof(struct stat) == 128, "riscv64's struct stat is 128 bytes");

#define st_atime st_atim.tv_sec
#define st_mtime st_mtim.tv_sec
#define st_ctime st_ctim.tv_sec

/* All four are newfstatat (riscv64 has no stat/lstat system call). */
int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int fstatat(int dirfd, const char *path, struct stat *st, int flags);
int mkdir(const char *path, mode_t mode);
int mkdirat(int dirfd, const char *path, mode_t mode);

#endif
