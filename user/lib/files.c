/* SPDX-License-Identifier: BSD-2-Clause */
/* Files and directories: stat, mkdir, unlink, rename, chdir/getcwd, directory streams, fcntl. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libc_internal.h"

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return __syscall_ret(__syscall4(__NR_newfstatat, dirfd, path, st, flags));
}

int stat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int fstat(int fd, struct stat *st)
{
	return __syscall_ret(__syscall2(__NR_fstat, fd, st));
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return __syscall_ret(__syscall3(__NR_mkdirat, dirfd, (long)path, mode));
}

int mkdir(const char *path, mode_t mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	return __syscall_ret(__syscall3(__NR_unlinkat, dirfd, (long)path, flags));
}

int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int renameat2(int olddirfd, const char *oldpath, int newdirfd,
	      const char *newpath, unsigned int flags)
{
	return __syscall_ret(__syscall5(__NR_renameat2, olddirfd, oldpath,
					newdirfd, newpath, flags));
}

int rename(const char *oldpath, const char *newpath)
{
	return renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

int chdir(const char *path)
{
	return __syscall_ret(__syscall1(__NR_chdir, path));
}

/* The system call returns the length; the libc function returns buf. */
char *getcwd(char *buf, size_t size)
{
	return __syscall_ret(__syscall2(__NR_getcwd, buf, size)) < 0 ? NULL : buf;
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__syscall3(__NR_fcntl, fd, cmd, arg));
}

/* ---------------------------------------------------------------------- */
/* Directory streams: one getdents64() buffer per open directory. */

#define DIR_BUF_SIZE 4096

struct __dirstream {
	int fd;
	size_t pos, len;	/* next record and end of the records in buf */
	struct dirent ent;	/* what readdir() returns */
	char buf[DIR_BUF_SIZE] __attribute__((aligned(8)));
};

DIR *fdopendir(int fd)
{
	struct stat st;
	DIR *d;

	if (fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	d = malloc(sizeof(*d));
	if (!d)
		return NULL;
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return d;
}

struct dirent *readdir(DIR *d)
{
	/* The record's header is the start of struct dirent; d_name varies. */
	struct dirent *rec;
	size_t namelen;

	if (d->pos >= d->len) {
		long n = __syscall3(__NR_getdents64, d->fd, (long)d->buf,
				    sizeof(d->buf));

		if (n <= 0) {
			if (n < 0)
				__syscall_ret(n);
			return NULL;
		}
		d->pos = 0;
		d->len = n;
	}
	rec = (struct dirent *)(d->buf + d->pos);
	d->pos += rec->d_reclen;
	d->ent.d_ino = rec->d_ino;
	d->ent.d_off = rec->d_off;
	d->ent.d_reclen = rec->d_reclen;
	d->ent.d_type = rec->d_type;
	namelen = strnlen(rec->d_name, rec->d_reclen - offsetof(struct dirent, d_name));
	if (namelen > NAME_MAX)
		namelen = NAME_MAX;
	memcpy(d->ent.d_name, rec->d_name, namelen);
	d->ent.d_name[namelen] = '\0';
	return &d->ent;
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}

int dirfd(DIR *d)
{
	return d->fd;
}
