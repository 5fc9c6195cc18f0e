/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * file_attrs: owners, modes and times of files through glibc: utimensat
 * and futimens, stat/statx times, chmod/chown/lchown, umask, mknod.
 *
 * utest: smp=1,4
 *
 * Works in a directory it makes in its working directory (a scratch
 * directory under Linux, / on Hartix).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "scratch.h"
#include "utest.h"

static int make_file(const char *name)
{
	int fd = open(path(name), O_CREAT | O_TRUNC | O_RDWR, 0644);

	if (fd >= 0 && write(fd, "hello", 5) != 5) {
		close(fd);
		return -1;
	}
	return fd;
}

static long long ts_ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return ts_ns(t);
}

/* Within 20 ms of now (the clock may be coarser than the file times). */
static int recent(struct timespec t, long long since)
{
	return ts_ns(t) >= since - 20000000 && ts_ns(t) <= now_ns() + 20000000;
}

static void utimensat_sets_and_omits(void)
{
	struct timespec t[2] = { { 1000000000, 123456789 }, { 1500000000, 987654321 } };
	struct stat st;
	long long before;
	int fd = make_file("times");

	CHECK(fd >= 0);
	CHECK(utimensat(AT_FDCWD, path("times"), t, 0) == 0);
	CHECK(stat(path("times"), &st) == 0);
	CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
	CHECK(st.st_mtim.tv_sec == 1500000000 && st.st_mtim.tv_nsec == 987654321);
	/* ctime moved to now, not to either time given */
	CHECK(st.st_ctim.tv_sec > 1500000000 || st.st_ctim.tv_sec < 1000000000);
	/* UTIME_OMIT keeps atime; UTIME_NOW is now */
	t[0].tv_nsec = UTIME_OMIT;
	t[1].tv_nsec = UTIME_NOW;
	before = now_ns();
	CHECK(futimens(fd, t) == 0);
	CHECK(fstat(fd, &st) == 0);
	CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
	CHECK(recent(st.st_mtim, before));
	/* NULL: both now */
	CHECK(utimensat(AT_FDCWD, path("times"), NULL, 0) == 0);
	CHECK(stat(path("times"), &st) == 0);
	CHECK(recent(st.st_atim, before));
	/* bad nanoseconds, bad flags, missing file */
	t[0].tv_nsec = 1000000000;
	t[1].tv_nsec = 0;
	errno = 0;
	CHECK(utimensat(AT_FDCWD, path("times"), t, 0) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(utimensat(AT_FDCWD, path("times"), NULL, 0x8000) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(utimensat(AT_FDCWD, path("missing"), NULL, 0) == -1 && errno == ENOENT);
	/* two UTIME_OMITs do not even look at the path */
	t[0].tv_nsec = t[1].tv_nsec = UTIME_OMIT;
	CHECK(utimensat(AT_FDCWD, path("missing"), t, 0) == 0);
	close(fd);
}

static void symlink_nofollow_times(void)
{
	struct timespec t[2] = { { 111, 0 }, { 222, 0 } };
	struct stat st, lst;

	close(make_file("target"));
	unlink(path("link"));
	CHECK(symlink("target", path("link")) == 0);
	CHECK(utimensat(AT_FDCWD, path("link"), t, AT_SYMLINK_NOFOLLOW) == 0);
	CHECK(lstat(path("link"), &lst) == 0 && lst.st_mtim.tv_sec == 222);
	CHECK(stat(path("link"), &st) == 0 && st.st_mtim.tv_sec != 222);
}

static void writes_and_reads_move_times(void)
{
	struct timespec old[2] = { { 0, 1000 }, { 0, 1000 } };
	struct stat st;
	long long before;
	char buf[8];
	int fd = make_file("rw");

	CHECK(fd >= 0);
	CHECK(futimens(fd, old) == 0);
	before = now_ns();
	CHECK(pwrite(fd, "x", 1, 0) == 1);
	CHECK(fstat(fd, &st) == 0);
	CHECK(recent(st.st_mtim, before) && recent(st.st_ctim, before));
	CHECK(st.st_atim.tv_sec == 0 && st.st_atim.tv_nsec == 1000);
	/* relatime: atime older than mtime moves on a read */
	CHECK(pread(fd, buf, sizeof(buf), 0) == 5);
	CHECK(fstat(fd, &st) == 0 && recent(st.st_atim, before));
	CHECK(futimens(fd, old) == 0);
	before = now_ns();
	CHECK(ftruncate(fd, 2) == 0);
	CHECK(fstat(fd, &st) == 0 && recent(st.st_mtim, before));
	close(fd);
}

/* A listing is a read of the directory: atime moves (relatime). */
static void readdir_moves_atime(void)
{
	struct timespec old[2] = { { 0, 1000 }, { 0, 1000 } };
	struct dirent *de;
	struct stat st;
	long long before;
	DIR *d;
	int n = 0;

	CHECK(utimensat(AT_FDCWD, dir, old, 0) == 0);
	before = now_ns();
	d = opendir(dir);
	CHECK(d != NULL);
	while (d && (de = readdir(d)))
		n++;
	if (d)
		closedir(d);
	CHECK(n >= 2);
	CHECK(stat(dir, &st) == 0 && recent(st.st_atim, before));
	CHECK(st.st_mtim.tv_sec == 0 && st.st_mtim.tv_nsec == 1000);
}

static void chmod_and_umask(void)
{
	struct stat st;
	mode_t old;
	int fd;

	old = umask(027);
	CHECK(umask(027) == 027);
	unlink(path("masked"));
	fd = open(path("masked"), O_CREAT | O_WRONLY, 0666);
	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0640);
	CHECK(fchmod(fd, 04711) == 0);
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 07777) == 04711);
	CHECK(S_ISREG(st.st_mode));
	CHECK(chmod(path("masked"), 0600) == 0);
	CHECK(stat(path("masked"), &st) == 0 && (st.st_mode & 07777) == 0600);
	CHECK(fchmodat(AT_FDCWD, path("masked"), 0444, 0) == 0);
	CHECK(stat(path("masked"), &st) == 0 && (st.st_mode & 07777) == 0444);
	rmdir(path("mdir"));
	CHECK(mkdir(path("mdir"), 0777) == 0);
	CHECK(stat(path("mdir"), &st) == 0 && (st.st_mode & 07777) == 0750);
	CHECK(rmdir(path("mdir")) == 0);
	errno = 0;
	CHECK(fchmod(-1, 0600) == -1 && errno == EBADF);
	errno = 0;
	CHECK(chmod(path("missing"), 0600) == -1 && errno == ENOENT);
	close(fd);
	umask(old);
}

static void umask_inherited_by_fork(void)
{
	mode_t old = umask(077);
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(umask(0) == 077 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(umask(old) == 077);
}

static void chown_stored_and_clears_setuid(void)
{
	struct stat st;
	int fd = make_file("owned");

	CHECK(fd >= 0);
	CHECK(fchmod(fd, 06755) == 0);
	CHECK(fchown(fd, 123, 456) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_uid == 123 && st.st_gid == 456);
	/* setuid and (group-executable) setgid go */
	CHECK((st.st_mode & 07777) == 0755);
	CHECK(chown(path("owned"), (uid_t)-1, 789) == 0);
	CHECK(stat(path("owned"), &st) == 0 && st.st_uid == 123 && st.st_gid == 789);
	unlink(path("olink"));
	CHECK(symlink("owned", path("olink")) == 0);
	CHECK(lchown(path("olink"), 7, 8) == 0);
	CHECK(lstat(path("olink"), &st) == 0 && st.st_uid == 7 && st.st_gid == 8);
	CHECK(stat(path("olink"), &st) == 0 && st.st_uid == 123);
	CHECK(fchownat(AT_FDCWD, path("owned"), 0, 0, 0) == 0);
	CHECK(stat(path("owned"), &st) == 0 && st.st_uid == 0 && st.st_gid == 0);
	errno = 0;
	CHECK(fchownat(AT_FDCWD, path("owned"), 0, 0, 0x8000) == -1 && errno == EINVAL);
	close(fd);
}

static void statx_fields(void)
{
	struct statx sx;
	struct stat st;
	int fd = make_file("sx");

	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0);
	CHECK(statx(AT_FDCWD, path("sx"), 0, STATX_BASIC_STATS, &sx) == 0);
	CHECK((sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	CHECK(sx.stx_size == 5 && sx.stx_ino == st.st_ino);
	CHECK(sx.stx_mode == st.st_mode && sx.stx_nlink == 1);
	CHECK(sx.stx_mtime.tv_sec == st.st_mtim.tv_sec &&
	      sx.stx_mtime.tv_nsec == (unsigned int)st.st_mtim.tv_nsec);
	CHECK(statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx) == 0 && sx.stx_size == 5);
	CHECK(statx(AT_FDCWD, path("sx"), AT_STATX_DONT_SYNC, STATX_ALL, &sx) == 0);
	errno = 0;
	CHECK(statx(AT_FDCWD, path("sx"), AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC,
		    STATX_ALL, &sx) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(statx(AT_FDCWD, path("sx"), 0, 0x80000000U, &sx) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(statx(AT_FDCWD, path("nope"), 0, STATX_ALL, &sx) == -1 && errno == ENOENT);
	close(fd);
}

static void mknod_regular_and_devices(void)
{
	struct stat st;
	int fd;

	unlink(path("node"));
	CHECK(mknod(path("node"), S_IFREG | 0600, 0) == 0);
	CHECK(stat(path("node"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0);
	errno = 0;
	CHECK(mknod(path("node"), S_IFREG | 0600, 0) == -1 && errno == EEXIST);
	errno = 0;
	CHECK(mknod(path("dirnode"), S_IFDIR | 0700, 0) == -1 && errno == EPERM);
	/* as root: /dev/null's numbers make a working null device */
	unlink(path("null"));
	CHECK(mknod(path("null"), S_IFCHR | 0666, makedev(1, 3)) == 0);
	CHECK(stat(path("null"), &st) == 0 && S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 1 && minor(st.st_rdev) == 3);
	fd = open(path("null"), O_WRONLY);
	CHECK(fd >= 0 && write(fd, "abc", 3) == 3);
	close(fd);
	CHECK(unlink(path("null")) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(utimensat_sets_and_omits),
	UTEST_CASE(symlink_nofollow_times),
	UTEST_CASE(writes_and_reads_move_times),
	UTEST_CASE(readdir_moves_atime),
	UTEST_CASE(chmod_and_umask),
	UTEST_CASE(umask_inherited_by_fork),
	UTEST_CASE(chown_stored_and_clears_setuid),
	UTEST_CASE(statx_fields),
	UTEST_CASE(mknod_regular_and_devices),
};

int main(void)
{
	int ret;

	snprintf(dir, sizeof(dir), "file_attrs.%d", (int)getpid());
	mkdir(dir, 0755);
	ret = UTEST_RUN("file_attrs", cases);
	return ret;
}
