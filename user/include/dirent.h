/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading directories: opendir()/readdir()/closedir() over getdents64(). */
#ifndef _DIRENT_H
#define _DIRENT_H

#include <sys/types.h>
#include <abi/dirent.h>
#include <abi/limits.h>

/* Linux's struct linux_dirent64, as getdents64() fills it in. */
struct dirent {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[NAME_MAX + 1];
};

typedef struct __dirstream DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
/* The next entry ("." and ".." included when the file system has them), or NULL at the end or on error (errno set). */
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
int dirfd(DIR *d);

#endif
