/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs_test: the writable RAM file system through the Linux system calls:
 * trees of files with pseudo-random contents created, renamed and removed,
 * symlinks, hard links, truncation, O_APPEND from two processes, running
 * out of space, four processes changing one directory at once, and the
 * errno of every bad argument.
 *
 * Usage: tmpfs_test TOKEN [DIR]. The contents derive from TOKEN, which
 * is printed first (so no fixed text passes); then KTAP, one case per
 * group of checks (exit status 1 if any failed). DIR (default /tmp) gets
 * a scratch directory, removed by the last case. Under Linux
 * (qemu-riscv64, told by uname) the checks of free memory and of filling
 * the file system are skipped: the host's file system and memory are not
 * ours to fill.
 *
 * The libc has no wrappers for most of these calls yet: syscall() it is.
 * utest: smp=1,4 args="{token}" timeout=300
 */
#include <dirent.h> /* struct dirent: getdents64's records */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <abi/sysinfo.h>
#include <unistd.h>
#include "utest.h"

static int on_linux;
static unsigned long long seed;
/* DIR (or /tmp), the scratch directory in it, and its free blocks at the start. */
static const char *dir = "/tmp";
static char top[256];
static unsigned long top_fs_before;

/* A call that must fail with errno e. */
#define ERR(call, e) check_err((long)(call), e, #call, __LINE__)
/* A call that must return 0 (or, for OK_N, n). */
#define OK(call) check_ret((long)(call), 0, #call, __LINE__)
#define OK_N(call, n) check_ret((long)(call), (long)(n), #call, __LINE__)

static void check_err(long r, int e, const char *what, int line)
{
	if (r == -1 && errno == e) {
		passed++;
	} else {
		failed++;
		printf("FAIL line %d: %s: returned %ld errno %d, expected errno %d\n",
		       line, what, r, r == -1 ? errno : 0, e);
	}
}

static void check_ret(long r, long want, const char *what, int line)
{
	if (r == want) {
		passed++;
	} else {
		failed++;
		printf("FAIL line %d: %s: returned %ld (errno %d), expected %ld\n",
		       line, what, r, r == -1 ? errno : 0, want);
	}
}

/* ---------------------------------------------------------------------- */
/* System calls the libc does not wrap */

struct statfs {
	long f_type, f_bsize;
	unsigned long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int f_fsid[2];
	long f_namelen, f_frsize, f_flags, f_spare[4];
};

_Static_assert(sizeof(struct sysinfo) == 112, "struct sysinfo is 112 bytes");

static long t_mkdir(const char *p)
{
	return syscall(__NR_mkdirat, AT_FDCWD, p, 0755);
}

static long t_unlink(const char *p)
{
	return syscall(__NR_unlinkat, AT_FDCWD, p, 0);
}

static long t_rmdir(const char *p)
{
	return syscall(__NR_unlinkat, AT_FDCWD, p, AT_REMOVEDIR);
}

static long t_rename(const char *a, const char *b, unsigned int flags)
{
	return syscall(__NR_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static long t_link(const char *a, const char *b)
{
	return syscall(__NR_linkat, AT_FDCWD, a, AT_FDCWD, b, 0);
}

static long t_symlink(const char *target, const char *p)
{
	return syscall(__NR_symlinkat, target, AT_FDCWD, p);
}

static long t_readlink(const char *p, char *buf, long n)
{
	return syscall(__NR_readlinkat, AT_FDCWD, p, buf, n);
}

static long t_stat(const char *p, struct stat *st)
{
	return syscall(__NR_newfstatat, AT_FDCWD, p, st, 0);
}

static long t_lstat(const char *p, struct stat *st)
{
	return syscall(__NR_newfstatat, AT_FDCWD, p, st, AT_SYMLINK_NOFOLLOW);
}

static long t_fstat(int fd, struct stat *st)
{
	return syscall(__NR_fstat, fd, st);
}

static long t_ftruncate(int fd, long len)
{
	return syscall(__NR_ftruncate, fd, len);
}

static long t_truncate(const char *p, long len)
{
	return syscall(__NR_truncate, p, len);
}

static long t_chdir(const char *p)
{
	return syscall(__NR_chdir, p);
}

static unsigned long free_bytes(void)
{
	struct sysinfo si;

	if (syscall(__NR_sysinfo, &si))
		return 0;
	return si.freeram * si.mem_unit;
}

/* Free blocks of the file system holding p. */
static unsigned long fs_free(const char *p)
{
	struct statfs st;

	if (syscall(__NR_statfs, p, &st))
		return 0;
	return st.f_bfree;
}

/* ---------------------------------------------------------------------- */
/* Pseudo-random contents, from the token */

static unsigned long long mix(unsigned long long x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Byte off of the contents named by tag. */
static void fill(unsigned char *buf, size_t n, unsigned long long tag,
		 size_t off)
{
	size_t i;

	for (i = 0; i < n; i++, off++) {
		unsigned long long w = mix(seed ^ mix(tag) ^ (off >> 3));

		buf[i] = (unsigned char)(w >> (8 * (off & 7)));
	}
}

static unsigned char iobuf[65536], cmpbuf[65536];

/* Creates p with n bytes of contents tag, written in uneven pieces. */
static int put_file(const char *p, unsigned long long tag, size_t n)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < n) {
		size_t chunk = 1 + (size_t)(mix(tag + done) % 9000);

		if (chunk > n - done)
			chunk = n - done;
		fill(iobuf, chunk, tag, done);
		if (write(fd, iobuf, chunk) != (ssize_t)chunk) {
			close(fd);
			return -1;
		}
		done += chunk;
	}
	return close(fd);
}

/* Does p hold exactly n bytes of contents tag? */
static int file_is(const char *p, unsigned long long tag, size_t n)
{
	int fd = open(p, O_RDONLY);
	size_t done = 0;
	ssize_t got;
	int ok = fd >= 0;

	while (ok && (got = read(fd, iobuf, sizeof(iobuf))) > 0) {
		fill(cmpbuf, (size_t)got, tag, done);
		ok = done + (size_t)got <= n && !memcmp(iobuf, cmpbuf, (size_t)got);
		done += (size_t)got;
	}
	if (fd >= 0)
		close(fd);
	return ok && done == n;
}

#define MAX_NAMES 600

/*
 * The names in directory p (without . and ..), sorted, into names;
 * returns how many, or -1. dup: set when a name with a '_' came twice:
 * those are made once and removed once, so a listing has each at most
 * once (others are made again and may be seen before and after).
 */
static int list_dir(const char *p, char names[][32], int max, int *dup)
{
	char buf[1024];
	int fd = open(p, O_RDONLY | O_DIRECTORY), n = 0, got, off, i;

	if (fd < 0)
		return -1;
	if (dup)
		*dup = 0;
	while ((got = (int)syscall(__NR_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < got; off += ((struct dirent *)(buf + off))->d_reclen) {
			struct dirent *d = (struct dirent *)(buf + off);

			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			for (i = 0; i < n; i++)
				if (!strcmp(names[i], d->d_name) && dup &&
				    strchr(d->d_name, '_'))
					*dup = 1;
			if (n < max && strlen(d->d_name) < 32)
				strcpy(names[n++], d->d_name);
		}
	}
	close(fd);
	if (got < 0)
		return -1;
	qsort(names, (size_t)n, 32, (int (*)(const void *, const void *))strcmp);
	return n;
}

static char names[MAX_NAMES][32];

/* ---------------------------------------------------------------------- */

/* Files in a tree, renamed across directories, the tree moved, removed. */
static void test_tree(void)
{
	static const char *dirs[] = { "t", "t/a", "t/a/b", "t/c" };
	char p[64], q[64];
	int i, n, ok;

	for (i = 0; i < 4; i++)
		OK(t_mkdir(dirs[i]));
	for (i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "%s/f%d", dirs[i % 4], i);
		/* Sizes around page boundaries and up to a few pages. */
		OK(put_file(p, 100 + i, (size_t)(i * 997 % 20000) + (i & 1 ? 4096 : 1)));
	}
	ok = 1;
	for (i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "%s/f%d", dirs[i % 4], i);
		ok &= file_is(p, 100 + i, (size_t)(i * 997 % 20000) + (i & 1 ? 4096 : 1));
	}
	CHECK(ok);
	/* Every file to t/c under a new name. */
	for (i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "%s/f%d", dirs[i % 4], i);
		snprintf(q, sizeof(q), "t/c/g%d", i);
		if (i % 4 != 3)
			OK(t_rename(p, q, 0));
		else
			OK(t_rename(p, q, RENAME_NOREPLACE));
	}
	n = list_dir("t/c", names, MAX_NAMES, NULL);
	CHECK(n == 40);
	n = list_dir("t/a", names, MAX_NAMES, NULL);
	CHECK(n == 1 && !strcmp(names[0], "b"));
	/* The whole of t/c under t/a/b, then the contents checked there. */
	OK(t_rename("t/c", "t/a/b/moved", 0));
	ERR(open("t/c/g0", O_RDONLY), ENOENT);
	ok = 1;
	for (i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "t/a/b/moved/g%d", i);
		ok &= file_is(p, 100 + i, (size_t)(i * 997 % 20000) + (i & 1 ? 4096 : 1));
	}
	CHECK(ok);
	ERR(t_rmdir("t/a"), ENOTEMPTY);
	for (i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "t/a/b/moved/g%d", i);
		OK(t_unlink(p));
	}
	CHECK(list_dir("t/a/b/moved", names, MAX_NAMES, NULL) == 0);
	OK(t_rmdir("t/a/b/moved"));
	OK(t_rmdir("t/a/b/"));
	OK(t_rmdir("t/a"));
	OK(t_rmdir("t"));
	ERR(t_stat("t", &(struct stat){ 0 }), ENOENT);
}

static void test_links(void)
{
	struct stat st, st2;
	char buf[64];
	int fd, fd2;

	OK(t_mkdir("l"));
	OK(put_file("l/file", 7, 5000));
	/* Symlinks: relative to their directory, read back exactly. */
	OK(t_symlink("file", "l/sym"));
	OK(t_symlink("../l", "l/dirsym"));
	OK_N(t_readlink("l/sym", buf, sizeof(buf)), 4);
	CHECK(!memcmp(buf, "file", 4));
	OK_N(t_readlink("l/sym", buf, 2), 2); /* truncated, no NUL */
	CHECK(file_is("l/sym", 7, 5000));
	CHECK(file_is("l/dirsym/dirsym/sym", 7, 5000));
	OK(t_lstat("l/sym", &st));
	CHECK((st.st_mode & S_IFMT) == S_IFLNK && st.st_size == 4);
	OK(t_stat("l/sym", &st));
	CHECK((st.st_mode & S_IFMT) == S_IFREG && st.st_size == 5000);
	OK(t_stat("l/dirsym/", &st));
	CHECK((st.st_mode & S_IFMT) == S_IFDIR);
	ERR(t_readlink("l/file", buf, sizeof(buf)), EINVAL);
	ERR(t_readlink("l/sym", buf, 0), EINVAL);
	ERR(t_readlink("l/nosuch", buf, sizeof(buf)), ENOENT);
	ERR(t_readlink("l/sym", (char *)1, sizeof(buf)), EFAULT);
	ERR(open("l/sym", O_RDONLY | O_NOFOLLOW), ELOOP);
	ERR(open("l/sym", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	/* A dangling symlink: ENOENT, but O_CREAT makes its target. */
	OK(t_symlink("made", "l/dangling"));
	ERR(open("l/dangling", O_RDONLY), ENOENT);
	fd = open("l/dangling", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	close(fd);
	OK(t_stat("l/made", &st));
	/* Loops. */
	OK(t_symlink("loop2", "l/loop1"));
	OK(t_symlink("loop1", "l/loop2"));
	ERR(open("l/loop1", O_RDONLY), ELOOP);
	ERR(t_stat("l/loop1/x", &st), ELOOP);
	ERR(t_unlink("l/loop1/x"), ELOOP);
	OK(t_unlink("l/loop1")); /* the link itself, not followed */
	ERR(t_symlink("", "l/empty"), ENOENT);
	ERR(t_symlink("x", "l/sym"), EEXIST);
	ERR(t_symlink("x", "l/newdir/"), ENOENT);
	ERR(t_rmdir("l/dirsym"), ENOTDIR);
	OK(t_unlink("l/dirsym"));

	/* Hard links: one inode, nlink counts names. */
	OK(t_link("l/file", "l/hard"));
	OK(t_stat("l/file", &st));
	OK(t_stat("l/hard", &st2));
	CHECK(st.st_ino == st2.st_ino && st.st_nlink == 2 && st2.st_nlink == 2);
	fd = open("l/hard", O_WRONLY);
	CHECK(fd >= 0 && write(fd, "HARD", 4) == 4);
	close(fd);
	fd = open("l/file", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 4) == 4 && !memcmp(buf, "HARD", 4));
	close(fd);
	/* Through a symlink only with AT_SYMLINK_FOLLOW. */
	OK(syscall(__NR_linkat, AT_FDCWD, "l/sym", AT_FDCWD, "l/hard2", AT_SYMLINK_FOLLOW));
	OK(t_lstat("l/hard2", &st2));
	CHECK(st2.st_ino == st.st_ino && st2.st_nlink == 3);
	OK(t_link("l/sym", "l/symlink2"));
	OK(t_lstat("l/symlink2", &st2));
	CHECK((st2.st_mode & S_IFMT) == S_IFLNK && st2.st_nlink == 2);
	OK(t_unlink("l/symlink2"));
	/* Renaming one link onto another of the same file does nothing. */
	OK(t_rename("l/hard", "l/hard2", 0));
	OK(t_lstat("l/hard", &st2));
	OK(t_lstat("l/hard2", &st2));
	CHECK(st2.st_nlink == 3);
	ERR(t_link("l/file", "l/hard"), EEXIST);
	ERR(t_link("l", "l/dirlink"), EPERM);
	ERR(t_link("l/nosuch", "l/x"), ENOENT);
	ERR(t_link("l/file", "l/nosuch/x"), ENOENT);
	ERR(t_link("l/file", "l/newname/"), ENOENT);
	ERR(syscall(__NR_linkat, AT_FDCWD, "l/file", AT_FDCWD, "l/x", 0x8000), EINVAL);
	OK(t_unlink("l/hard"));
	OK(t_unlink("l/file"));
	OK(t_stat("l/hard2", &st2));
	CHECK(st2.st_nlink == 1 && st2.st_size == 5000);
	ERR(t_stat("l/sym", &st2), ENOENT); /* its target is gone */

	/* An unlinked file stays readable through a descriptor until closed. */
	fd = open("l/hard2", O_RDWR);
	fd2 = open("l/hard2", O_RDONLY);
	CHECK(fd >= 0 && fd2 >= 0);
	OK(t_unlink("l/hard2"));
	OK(t_fstat(fd, &st));
	CHECK(st.st_nlink == 0 && st.st_size == 5000);
	CHECK(lseek(fd, 4096, SEEK_SET) == 4096 && write(fd, "late", 4) == 4);
	CHECK(lseek(fd2, 4, SEEK_SET) == 4 && read(fd2, iobuf, 4092) == 4092);
	fill(cmpbuf, 4092, 7, 4);
	CHECK(!memcmp(iobuf, cmpbuf, 4092));
	CHECK(read(fd2, buf, 4) == 4 && !memcmp(buf, "late", 4));
	ERR(syscall(__NR_linkat, fd, "", AT_FDCWD, "l/back", 0), ENOENT);
	close(fd);
	close(fd2);
	OK(t_unlink("l/made"));
	OK(t_unlink("l/dangling"));
	OK(t_unlink("l/loop2"));
	OK(t_unlink("l/sym"));
	CHECK(list_dir("l", names, MAX_NAMES, NULL) == 0);
	OK(t_rmdir("l"));
}

static void test_truncate(void)
{
	static unsigned char zero[8192];
	struct stat st;
	long blocks;
	int fd, dfd;

	fd = open("trunc", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	fill(iobuf, 10000, 9, 0);
	CHECK(write(fd, iobuf, 10000) == 10000);
	/* Grow: zeroes after the data. */
	OK(t_ftruncate(fd, 20000));
	OK(t_fstat(fd, &st));
	CHECK(st.st_size == 20000);
	blocks = st.st_blocks;
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, cmpbuf, 30000) == 20000);
	CHECK(!memcmp(cmpbuf, iobuf, 10000) && !memcmp(cmpbuf + 10000, zero, 8192) &&
	      !memcmp(cmpbuf + 18192, zero, 1808));
	/* Shrink into a page, grow again: the cut bytes read as zeroes. */
	OK(t_ftruncate(fd, 5000));
	OK(t_fstat(fd, &st));
	CHECK(st.st_size == 5000);
	if (!on_linux) /* tmpfs pages: 3 before, 2 now */
		CHECK(st.st_blocks < blocks);
	OK(t_ftruncate(fd, 9000));
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, cmpbuf, 30000) == 9000);
	CHECK(!memcmp(cmpbuf, iobuf, 5000) && !memcmp(cmpbuf + 5000, zero, 4000));
	/* The offset is left alone; writing past the end leaves a hole. */
	CHECK(lseek(fd, 0, SEEK_CUR) == 9000);
	OK(t_ftruncate(fd, 0));
	CHECK(write(fd, "x", 1) == 1);
	OK(t_fstat(fd, &st));
	CHECK(st.st_size == 9001);
	OK(t_truncate("trunc", 3));
	OK(t_stat("trunc", &st));
	CHECK(st.st_size == 3);
	/* O_TRUNC, even with O_RDONLY (as Linux does). */
	close(fd);
	fd = open("trunc", O_RDONLY | O_TRUNC);
	OK(t_fstat(fd, &st));
	CHECK(st.st_size == 0);
	ERR(t_ftruncate(fd, 10), EINVAL); /* not open for writing */
	close(fd);
	fd = open("trunc", O_WRONLY);
	ERR(t_ftruncate(fd, -1), EINVAL);
	ERR(t_truncate("trunc", -1), EINVAL);
	close(fd);
	ERR(t_ftruncate(fd, 10), EBADF);
	ERR(t_ftruncate(-5, -1), EINVAL);
	dfd = open(".", O_RDONLY | O_DIRECTORY);
	ERR(t_ftruncate(dfd, 0), EINVAL);
	close(dfd);
	ERR(t_truncate(".", 0), EISDIR);
	ERR(t_truncate("nosuch", 0), ENOENT);
	ERR(t_truncate((const char *)1, 0), EFAULT);
	OK(t_unlink("trunc"));
}

/*
 * O_APPEND from two processes: each record (a header and a body of a
 * size up to 3 pages) lands whole at the end, never inside the other's.
 */
#define APPEND_RECORDS 60

struct rec_head {
	unsigned int magic, writer, seq, len;
};

static void append_writer(int writer)
{
	int fd = open("append", O_WRONLY | O_APPEND), i, bad = 0;

	for (i = 0; i < APPEND_RECORDS; i++) {
		struct rec_head *h = (struct rec_head *)iobuf;
		unsigned int len = 16 + (unsigned int)(mix(seed + writer * 1000 + i) % 12000);

		h->magic = 0x41505044;
		h->writer = (unsigned int)writer;
		h->seq = (unsigned int)i;
		h->len = len;
		fill(iobuf + sizeof(*h), len - sizeof(*h), writer * 1000 + i, 0);
		bad += write(fd, iobuf, len) != (ssize_t)len;
		if (i % 8 == 0)
			sched_yield();
	}
	close(fd);
	_exit(bad ? 1 : 0);
}

static void test_append(void)
{
	static unsigned char data[APPEND_RECORDS * 2 * 12100];
	unsigned int next[2] = { 0, 0 };
	int fd, w, status, ok = 1;
	pid_t pids[2];
	ssize_t size, off;

	fd = open("append", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	close(fd);
	for (w = 0; w < 2; w++) {
		pids[w] = fork();
		if (!pids[w])
			append_writer(w);
	}
	for (w = 0; w < 2; w++)
		CHECK(waitpid(pids[w], &status, 0) == pids[w] &&
		      WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fd = open("append", O_RDONLY);
	size = read(fd, data, sizeof(data));
	close(fd);
	for (off = 0; ok && off < size;) {
		struct rec_head h;

		memcpy(&h, data + off, sizeof(h));
		ok = h.magic == 0x41505044 && h.writer < 2 &&
		     h.seq == next[h.writer] && off + (ssize_t)h.len <= size;
		if (!ok)
			break;
		fill(cmpbuf, h.len - sizeof(h), h.writer * 1000 + h.seq, 0);
		ok = !memcmp(data + off + sizeof(h), cmpbuf, h.len - sizeof(h));
		next[h.writer]++;
		off += h.len;
	}
	CHECK(ok && off == size);
	CHECK(next[0] == APPEND_RECORDS && next[1] == APPEND_RECORDS);
	OK(t_unlink("append"));
}

static void test_rename(void)
{
	struct stat st, st2;

	OK(t_mkdir("r"));
	OK(t_mkdir("r/d1"));
	OK(t_mkdir("r/d2"));
	OK(t_mkdir("r/full"));
	OK(put_file("r/full/x", 1, 10));
	OK(put_file("r/f1", 11, 100));
	OK(put_file("r/f2", 12, 200));
	/* Replacing a file. */
	OK(t_rename("r/f1", "r/f2", 0));
	ERR(t_stat("r/f1", &st), ENOENT);
	CHECK(file_is("r/f2", 11, 100));
	/* Renaming to itself: nothing happens. */
	OK(t_rename("r/f2", "r/f2", 0));
	OK(t_rename("r/d1", "r/d1", 0));
	CHECK(file_is("r/f2", 11, 100));
	/* A directory over an empty directory; not over a full one. */
	OK(t_stat("r/d1", &st));
	OK(t_rename("r/d1", "r/d2", 0));
	OK(t_stat("r/d2", &st2));
	CHECK(st.st_ino == st2.st_ino);
	ERR(t_stat("r/d1", &st), ENOENT);
	ERR(t_rename("r/d2", "r/full", 0), ENOTEMPTY);
	/* Mismatched types. */
	ERR(t_rename("r/f2", "r/d2", 0), EISDIR);
	ERR(t_rename("r/d2", "r/f2", 0), ENOTDIR);
	ERR(t_rename("r/f2/", "r/f3", 0), ENOTDIR);
	ERR(t_rename("r/f2", "r/f3/", 0), ENOTDIR);
	OK(t_rename("r/d2/", "r/d3/", 0));
	/* Into its own subtree. */
	OK(t_mkdir("r/d3/sub"));
	ERR(t_rename("r/d3", "r/d3/sub/d3", 0), EINVAL);
	ERR(t_rename("r/d3", "r/d3/x", 0), EINVAL);
	ERR(t_rename("r/d3/sub", "r/d3/sub/x", 0), EINVAL);
	/* Its target an ancestor of the source. */
	ERR(t_rename("r/d3/sub", "r/d3", 0), ENOTEMPTY);
	OK(t_rename("r/d3/sub", "r/sub", 0));
	OK(t_stat("r/sub/..", &st));
	OK(t_stat("r", &st2));
	CHECK(st.st_ino == st2.st_ino); /* ".." follows the move */
	OK(t_stat("r/d3", &st));
	CHECK(st.st_nlink == 2);
	OK(t_stat("r", &st));
	CHECK(st.st_nlink == 5); /* 2 + d3, full, sub */
	/* RENAME_NOREPLACE */
	ERR(t_rename("r/f2", "r/full/x", RENAME_NOREPLACE), EEXIST);
	OK(t_rename("r/f2", "r/f4", RENAME_NOREPLACE));
	/* RENAME_EXCHANGE: files, and a file with a directory. */
	OK(put_file("r/f5", 15, 500));
	OK(t_rename("r/f4", "r/f5", RENAME_EXCHANGE));
	CHECK(file_is("r/f4", 15, 500) && file_is("r/f5", 11, 100));
	OK(t_rename("r/f4", "r/full", RENAME_EXCHANGE));
	CHECK(file_is("r/full", 15, 500) && file_is("r/f4/x", 1, 10));
	ERR(t_rename("r/f4", "r/nosuch", RENAME_EXCHANGE), ENOENT);
	ERR(t_rename("r/f4", "r/f4/x", RENAME_EXCHANGE), EINVAL);
	ERR(t_rename("r/f5", "r/f4", RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL);
	ERR(t_rename("r/f5", "r/f6", 8), EINVAL);
	ERR(t_rename("r/nosuch", "r/f6", 0), ENOENT);
	ERR(t_rename("r/f5", "r/nosuch/f6", 0), ENOENT);
	ERR(t_rename("r/f5/x", "r/f6", 0), ENOTDIR);
	ERR(t_rename("r/.", "r/f6", 0), EBUSY);
	ERR(t_rename("r/f5", "r/d3/..", 0), EBUSY);
	ERR(t_rename("r/f5", "r/d3/..", RENAME_NOREPLACE), EEXIST);
	OK(t_unlink("r/f4/x"));
	OK(t_rmdir("r/f4"));
	OK(t_unlink("r/f5"));
	OK(t_unlink("r/full"));
	OK(t_rmdir("r/d3"));
	OK(t_rmdir("r/sub"));
	OK(t_rmdir("r"));
}

/* A removed directory, someone's cwd: no new names, no entries. */
static void test_removed_cwd(void)
{
	char buf[256];
	int fd;

	OK(t_mkdir("gone"));
	fd = open("gone", O_RDONLY | O_DIRECTORY);
	OK(t_chdir("gone"));
	OK(t_rmdir("../gone"));
	ERR(syscall(__NR_getcwd, buf, sizeof(buf)), ENOENT);
	ERR(open("new", O_WRONLY | O_CREAT, 0644), ENOENT);
	ERR(t_mkdir("new"), ENOENT);
	ERR(t_symlink("x", "new"), ENOENT);
	ERR(syscall(__NR_getdents64, fd, buf, sizeof(buf)), ENOENT);
	OK(t_chdir(top));
	close(fd);
}

static void test_errors(void)
{
	char big[300], huge[4200];
	struct stat st;
	int fd;

	OK(t_mkdir("e"));
	OK(t_mkdir("e/dir"));
	OK(put_file("e/file", 3, 10));
	OK(put_file("e/dir/x", 3, 10));
	/* ENOENT */
	ERR(t_unlink("e/nosuch"), ENOENT);
	ERR(t_rmdir("e/nosuch"), ENOENT);
	ERR(t_unlink("e/nosuch/x"), ENOENT);
	ERR(t_unlink(""), ENOENT);
	ERR(t_mkdir("e/nosuch/x"), ENOENT);
	ERR(t_unlink("e/nosuch/"), ENOENT);
	ERR(syscall(__NR_faccessat, AT_FDCWD, "e/nosuch", F_OK), ENOENT);
	/* EEXIST */
	ERR(t_mkdir("e/dir"), EEXIST);
	ERR(t_mkdir("e/file"), EEXIST);
	ERR(t_mkdir("e/dir/.."), EEXIST);
	ERR(t_mkdir("/"), EEXIST);
	ERR(t_link("e/file", "e/dir"), EEXIST);
	ERR(t_symlink("x", "e/dir/.."), EEXIST);
	/* ENOTDIR */
	ERR(t_unlink("e/file/x"), ENOTDIR);
	ERR(t_unlink("e/file/"), ENOTDIR);
	ERR(t_rmdir("e/file"), ENOTDIR);
	ERR(t_mkdir("e/file/x"), ENOTDIR);
	ERR(t_symlink("x", "e/file/x"), ENOTDIR);
	fd = open("e/file", O_RDONLY);
	ERR(syscall(__NR_unlinkat, fd, "x", 0), ENOTDIR);
	close(fd);
	/* EISDIR */
	ERR(t_unlink("e/dir"), EISDIR);
	ERR(t_unlink("e/dir/"), EISDIR);
	ERR(t_unlink("e/."), EISDIR);
	ERR(t_unlink("e/.."), EISDIR);
	ERR(open("e/dir", O_WRONLY), EISDIR);
	ERR(open("e/newfile/", O_WRONLY | O_CREAT, 0644), EISDIR);
	/* ENOTEMPTY, EBUSY, EINVAL */
	ERR(t_rmdir("e/dir"), ENOTEMPTY);
	ERR(t_rmdir("e/dir/.."), ENOTEMPTY);
	ERR(t_rmdir("e/."), EINVAL);
	ERR(t_rmdir("."), EINVAL);
	ERR(t_rmdir("/"), EBUSY);
	ERR(syscall(__NR_unlinkat, AT_FDCWD, "e/file", 0x100), EINVAL);
	ERR(syscall(__NR_unlinkat, AT_FDCWD, "e/dir", AT_REMOVEDIR | 1), EINVAL);
	ERR(syscall(__NR_faccessat, AT_FDCWD, "e/file", 8), EINVAL);
	ERR(syscall(__NR_faccessat, AT_FDCWD, "e/file", X_OK), EACCES);
	OK(syscall(__NR_faccessat, AT_FDCWD, "e/file", R_OK | W_OK));
	OK(syscall(__NR_faccessat, AT_FDCWD, "e/dir", X_OK));
	/* EFAULT */
	ERR(t_unlink((const char *)1), EFAULT);
	ERR(t_rmdir((const char *)1), EFAULT);
	ERR(t_mkdir((const char *)1), EFAULT);
	ERR(t_rename((const char *)1, "e/y", 0), EFAULT);
	ERR(t_rename("e/file", (const char *)1, 0), EFAULT);
	ERR(t_symlink((const char *)1, "e/y"), EFAULT);
	ERR(t_symlink("x", (const char *)1), EFAULT);
	ERR(t_link("e/file", (const char *)1), EFAULT);
	ERR(syscall(__NR_sysinfo, (void *)1), EFAULT);
	ERR(syscall(__NR_statfs, "e", (void *)1), EFAULT);
	ERR(syscall(__NR_faccessat, AT_FDCWD, (const char *)1, F_OK), EFAULT);
	/* ENAMETOOLONG: a component over 255 bytes, a path over 4095 */
	memset(big, 'n', sizeof(big));
	memcpy(big, "e/", 2);
	big[sizeof(big) - 1] = '\0';
	ERR(t_unlink(big), ENAMETOOLONG);
	ERR(t_mkdir(big), ENAMETOOLONG);
	ERR(t_rmdir(big), ENAMETOOLONG);
	ERR(t_symlink("x", big), ENAMETOOLONG);
	ERR(t_rename("e/file", big, 0), ENAMETOOLONG);
	ERR(t_link("e/file", big), ENAMETOOLONG);
	ERR(open(big, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
	memset(huge, 'a', sizeof(huge));
	for (fd = 1; fd < (int)sizeof(huge); fd += 2)
		huge[fd] = '/';
	huge[sizeof(huge) - 1] = '\0';
	ERR(t_unlink(huge), ENAMETOOLONG);
	ERR(t_symlink(huge, "e/y"), ENAMETOOLONG);
	/* ELOOP */
	OK(t_symlink("self", "e/self"));
	ERR(t_mkdir("e/self/x"), ELOOP);
	ERR(t_rename("e/file", "e/self/x", 0), ELOOP);
	ERR(t_stat("e/self", &st), ELOOP);
	OK(t_lstat("e/self", &st));
	/* EBADF: a descriptor where a directory is needed */
	ERR(syscall(__NR_unlinkat, 99, "x", 0), EBADF);
	ERR(syscall(__NR_mkdirat, 99, "x", 0755), EBADF);
	ERR(syscall(__NR_renameat2, 99, "x", AT_FDCWD, "y", 0), EBADF);
	ERR(syscall(__NR_renameat2, AT_FDCWD, "e/file", 99, "y", 0), EBADF);
	ERR(syscall(__NR_symlinkat, "x", 99, "y"), EBADF);
	ERR(syscall(__NR_readlinkat, 99, "x", big, 10), EBADF);
	ERR(syscall(__NR_linkat, 99, "x", AT_FDCWD, "y", 0), EBADF);
	ERR(syscall(__NR_fstatfs, 99, big), EBADF);
	ERR(t_ftruncate(99, 0), EBADF);
	/* ... but not with an absolute path */
	OK(syscall(__NR_faccessat, 99, "/", F_OK));

	OK(t_unlink("e/self"));
	OK(t_unlink("e/dir/x"));
	OK(t_rmdir("e/dir"));
	OK(t_unlink("e/file"));
	OK(t_rmdir("e"));
}

/*
 * Fill a file until ENOSPC: short writes, then -1; what was written reads
 * back intact; the system goes on; removing the file returns every page.
 */
static void test_enospc(void)
{
	unsigned long before, fs_before, after;
	long total = 0, n, off;
	struct stat st;
	int fd, ok = 1, status;
	pid_t pid;

	if (on_linux) {
		utest_skip("on Linux: the host's file system and memory are not ours to fill");
		return;
	}
	fs_before = fs_free(".");
	before = free_bytes();
	CHECK(fs_before > 0 && before > 0);
	fd = open("big", O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	for (;;) {
		fill(iobuf, sizeof(iobuf), 77, (size_t)total);
		n = write(fd, iobuf, sizeof(iobuf));
		if (n <= 0)
			break;
		total += n;
		if (n < (long)sizeof(iobuf))
			break; /* a short write: the next one must fail */
	}
	ERR(write(fd, iobuf, 4096), ENOSPC);
	ERR(write(fd, iobuf, 1), ENOSPC);
	printf("tmpfs_test: filled %ld KiB before ENOSPC\n", total / 1024);
	CHECK(total > 0 && (unsigned long)total / 4096 <= fs_before);
	CHECK((unsigned long)total / 4096 + 64 >= fs_before);
	CHECK(fs_free(".") == 0);
	OK(t_fstat(fd, &st));
	CHECK(st.st_size == total);
	/* Still running: a process starts and ends, names can be made. */
	pid = fork();
	if (!pid)
		_exit(t_mkdir("dir-at-enospc") ? 3 : 0);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0);
	OK(t_rmdir("dir-at-enospc"));
	ERR(put_file("more", 5, 10), ENOSPC);
	OK(t_unlink("more"));
	/* Every byte as written. */
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	for (off = 0; ok && off < total; off += n) {
		n = read(fd, iobuf, sizeof(iobuf));
		fill(cmpbuf, (size_t)(n > 0 ? n : 0), 77, (size_t)off);
		ok = n > 0 && !memcmp(iobuf, cmpbuf, (size_t)n);
	}
	CHECK(ok);
	/* Unlinked but open: the pages stay; closed: they are back. */
	OK(t_unlink("big"));
	CHECK(fs_free(".") == 0);
	close(fd);
	CHECK(fs_free(".") == fs_before);
	after = free_bytes();
	printf("tmpfs_test: free memory %lu KiB before, %lu KiB after\n",
	       before / 1024, after / 1024);
	CHECK(after + 1024 * 1024 >= before);
}

/*
 * Four processes on four harts make, rename, link and remove names in
 * one directory, and list it, all at once. The tree at the end is
 * exactly what each one's own steps leave, every file intact.
 */
#define CONC_PROCS 4
#define CONC_STEPS 120

static unsigned long long conc_tag(int p, int k)
{
	return 1000000ULL + (unsigned long long)p * 10000 + (unsigned long long)k;
}

static size_t conc_size(int p, int k)
{
	return (size_t)(mix(conc_tag(p, k)) % 9000);
}

static void conc_child(int p)
{
	char a[64], b[64], own[32], away[32];
	int k, dup, n;

	passed = failed = 0;
	snprintf(own, sizeof(own), "c/d%d", p);
	snprintf(away, sizeof(away), "c/common/d%d", p);
	for (k = 0; k < CONC_STEPS; k++) {
		snprintf(a, sizeof(a), "c/p%d_%d.tmp", p, k);
		snprintf(b, sizeof(b), "c/p%d_%d", p, k);
		OK(put_file(a, conc_tag(p, k), conc_size(p, k)));
		OK(t_rename(a, b, RENAME_NOREPLACE));
		if (k % 3 == 1) {
			OK(t_unlink(b));
		} else if (k % 3 == 2) {
			snprintf(a, sizeof(a), "c/common/p%d_%d", p, k);
			OK(t_rename(b, a, 0));
		}
		/* One shared name everybody replaces. */
		snprintf(a, sizeof(a), "c/h%d_%d", p, k);
		OK(put_file(a, conc_tag(p, k) + 500000, 100 + (size_t)k));
		OK(t_rename(a, "c/hot", 0));
		/*
		 * Linux may say ENOENT when a rename replaced "hot" between
		 * the lookup and the link; Hartix does both at once.
		 */
		snprintf(a, sizeof(a), "c/hl%d", p);
		if (t_link("c/hot", a) == 0)
			OK(t_unlink(a));
		else
			CHECK(on_linux && errno == ENOENT);
		/* Its own directory moves back and forth under the others' feet. */
		if (k % 2 == 0)
			OK(t_rename(own, away, 0));
		else
			OK(t_rename(away, own, 0));
		ERR(t_rename("c/common", "c/common/x", 0), EINVAL);
		if (k % 10 == 0) {
			n = list_dir("c", names, MAX_NAMES, &dup);
			CHECK(n >= 2 && !dup);
		}
	}
	_exit(failed ? 1 : 0);
}

/* "p<P>_<K>" into P and K. */
static int parse_pk(const char *name, int *p, int *k)
{
	char *end;

	if (name[0] != 'p')
		return 0;
	*p = (int)strtol(name + 1, &end, 10);
	if (*end != '_')
		return 0;
	*k = (int)strtol(end + 1, &end, 10);
	return !*end && *p >= 0 && *p < CONC_PROCS && *k >= 0 && *k < CONC_STEPS;
}

static void test_concurrent(void)
{
	int p, k, status, n, i, ok = 1, found;
	pid_t pids[CONC_PROCS];
	char want[64];

	OK(t_mkdir("c"));
	OK(t_mkdir("c/common"));
	for (p = 0; p < CONC_PROCS; p++) {
		snprintf(want, sizeof(want), "c/d%d", p);
		OK(t_mkdir(want));
	}
	for (p = 0; p < CONC_PROCS; p++) {
		pids[p] = fork();
		if (!pids[p])
			conc_child(p);
	}
	for (p = 0; p < CONC_PROCS; p++) {
		CHECK(waitpid(pids[p], &status, 0) == pids[p]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			printf("FAIL: concurrent process %d: status 0x%x\n", p, status);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	/* c: p*_k for k % 3 == 0, d* (an even number of moves), hot, common. */
	n = list_dir("c", names, MAX_NAMES, NULL);
	CHECK(n == CONC_PROCS * (CONC_STEPS / 3 + 1) + 2);
	for (p = 0; p < CONC_PROCS; p++) {
		for (k = 0; k < CONC_STEPS; k += 3) {
			snprintf(want, sizeof(want), "c/p%d_%d", p, k);
			ok &= file_is(want, conc_tag(p, k), conc_size(p, k));
			OK(t_unlink(want));
		}
		snprintf(want, sizeof(want), "c/d%d", p);
		OK(t_rmdir(want));
	}
	CHECK(ok);
	/* hot: some process's last one. */
	found = 0;
	for (p = 0; p < CONC_PROCS; p++)
		found += file_is("c/hot", conc_tag(p, CONC_STEPS - 1) + 500000,
				 100 + CONC_STEPS - 1);
	CHECK(found == 1);
	OK(t_unlink("c/hot"));
	n = list_dir("c/common", names, MAX_NAMES, NULL);
	CHECK(n == CONC_PROCS * (CONC_STEPS / 3));
	ok = 1;
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "c/common/%s", names[i]);
		if (parse_pk(names[i], &p, &k))
			ok &= k % 3 == 2 && file_is(want, conc_tag(p, k), conc_size(p, k));
		else
			ok = 0;
		OK(t_unlink(want));
	}
	CHECK(ok);
	OK(t_rmdir("c/common"));
	CHECK(list_dir("c", names, MAX_NAMES, NULL) == 0);
	OK(t_rmdir("c"));
}

static void test_sysinfo(void)
{
	struct sysinfo si;
	struct statfs sf;

	memset(&si, 0xff, sizeof(si));
	OK(syscall(__NR_sysinfo, &si));
	CHECK(si.mem_unit == 1 && si.totalram > 0 && si.freeram > 0 &&
	      si.freeram <= si.totalram && si.procs >= 1 && si.uptime >= 0);
	OK(syscall(__NR_statfs, ".", &sf));
	CHECK(sf.f_namelen == 255 && sf.f_bsize > 0 && sf.f_bfree <= sf.f_blocks);
	if (!on_linux)
		CHECK(sf.f_type == 0x01021994 && sf.f_blocks * 4096 <= si.totalram);
	ERR(syscall(__NR_statfs, "nosuch", &sf), ENOENT);
}

/* Every page back, and the scratch directory gone. */
static void test_cleanup(void)
{
	if (!on_linux)
		CHECK(fs_free(".") == top_fs_before);
	OK(t_chdir(dir));
	OK(t_rmdir(top));
}

static const struct utest_case cases[] = {
	{ "sysinfo", test_sysinfo },
	{ "tree", test_tree },
	{ "links", test_links },
	{ "truncate", test_truncate },
	{ "append", test_append },
	{ "rename", test_rename },
	{ "removed-cwd", test_removed_cwd },
	{ "errors", test_errors },
	{ "concurrent", test_concurrent },
	{ "enospc", test_enospc },
	{ "cleanup", test_cleanup },
};

int main(int argc, char **argv)
{
	const char *t;
	struct utsname u;

	if (argc < 2) {
		printf("usage: tmpfs_test TOKEN [DIR]\n");
		return 2;
	}
	if (argc > 2)
		dir = argv[2];
	printf("# tmpfs_test: token %s\n", argv[1]);
	for (t = argv[1]; *t; t++)
		seed = mix(seed ^ (unsigned char)*t);
	on_linux = !uname(&u) && !strcmp(u.sysname, "Linux");
	snprintf(top, sizeof(top), "%s/tmpfs_test.%d", dir, getpid());
	if (t_mkdir(top) || t_chdir(top)) {
		printf("tmpfs_test: cannot make %s (errno %d)\n", top, errno);
		return 1;
	}
	if (!on_linux)
		top_fs_before = fs_free(".");
	return UTEST_RUN("tmpfs_test", cases);
}
