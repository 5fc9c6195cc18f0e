/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fs_test: files through the Linux system calls: open/read of this
 * program's own ELF file, O_CREAT/O_EXCL/O_TRUNC/O_APPEND, lseek,
 * getdents64, fstat/newfstatat, ioctl, dup, getcwd/chdir, and the errors
 * (EBADF, EFAULT, ENOENT, ENOTDIR, EEXIST, EISDIR, ENOTTY, ESPIPE,
 * ENAMETOOLONG). KTAP, one case per group of calls, after the token
 * argv[1] (so no fixed text passes); exit status 1 if any failed.
 *
 * On Linux (qemu-riscv64): fs_test [TOKEN] SCRATCH-DIR TESTS-DIR, run as
 * TESTS-DIR/fs_test; the console case is then skipped unless fd 1 is a tty.
 *
 * Raw system calls for what the libc does not wrap yet.
 * utest: smp=1,4 args="{token}"
 */
#include <dirent.h> /* struct dirent: getdents64's records */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "utest.h"

#define __NR_newfstatat 79

static long raw(long n, long a, long b, long c, long d)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3)
			 : "memory");
	return a0;
}

/* The riscv64 struct stat (asm-generic/stat.h). */
#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413

static char tmpdir[256] = "/tmp";
static char testsdir[256] = "/tests"; /* the directory holding fs_test */
static int console_required = 1; /* fd 1 must be a tty (not so on a host) */
static const char *self; /* argv[0] */

static void test_read_self(void)
{
	unsigned char buf[64];
	struct stat st;
	int fd = open(self, O_RDONLY);

	CHECK(fd >= 3);
	CHECK(read(fd, buf, 4) == 4);
	CHECK(buf[0] == 0x7f && buf[1] == 'E' && buf[2] == 'L' && buf[3] == 'F');
	CHECK(read(fd, buf, 1) == 1 && buf[0] == 2); /* ELFCLASS64 */
	CHECK(raw(__NR_fstat, fd, (long)&st, 0, 0) == 0);
	CHECK((st.st_mode & S_IFMT) == S_IFREG);
	CHECK(st.st_size > 1000);
	CHECK(lseek(fd, 0, SEEK_END) == st.st_size);
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	CHECK(lseek(fd, 1, SEEK_SET) == 1);
	CHECK(read(fd, buf, 3) == 3 && !memcmp(buf, "ELF", 3));
	CHECK(lseek(fd, -2, SEEK_CUR) == 2);
	CHECK(lseek(fd, -10, SEEK_SET) == -1 && errno == EINVAL);
	CHECK(lseek(fd, 0, 7) == -1 && errno == EINVAL);
	/* A bad buffer: EFAULT, the offset unchanged. */
	CHECK(read(fd, (void *)1, 4) == -1 && errno == EFAULT);
	CHECK(lseek(fd, 0, SEEK_CUR) == 2);
	/* Read-only: no writing. */
	CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
	CHECK(raw(__NR_ioctl, fd, TCGETS, (long)buf, 0) == -ENOTTY);
	CHECK(close(fd) == 0);
	CHECK(close(fd) == -1 && errno == EBADF);
	/* Through a regular file: ENOTDIR. */
	snprintf((char *)buf, sizeof(buf), "%s/x", self);
	CHECK(open((char *)buf, O_RDONLY) == -1 && errno == ENOTDIR);
	CHECK(open(self, O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR);
}

static void test_create(void)
{
	char path[300], buf[64];
	struct stat st;
	int fd, fd2;

	snprintf(path, sizeof(path), "%s/fs_test.%d", tmpdir, getpid());
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK(open(path, O_RDWR | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
	CHECK(write(fd, "hello, world", 12) == 12);
	CHECK(raw(__NR_fstat, fd, (long)&st, 0, 0) == 0 && st.st_size == 12 &&
	      (st.st_mode & S_IFMT) == S_IFREG && st.st_nlink == 1);
	CHECK(lseek(fd, 7, SEEK_SET) == 7);
	CHECK(write(fd, "WORLD", 5) == 5);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	memset(buf, 0, sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)) == 12 && !strcmp(buf, "hello, WORLD"));
	/* A hole reads as zeroes. */
	CHECK(lseek(fd, 8192, SEEK_SET) == 8192 && write(fd, "!", 1) == 1);
	CHECK(lseek(fd, 4000, SEEK_SET) == 4000 && read(fd, buf, 4) == 4 &&
	      !buf[0] && !buf[1] && !buf[2] && !buf[3]);
	CHECK(write(fd, (void *)1, 4) == -1 && errno == EFAULT);
	CHECK(close(fd) == 0);

	/* O_APPEND: every write at the end. */
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0);
	CHECK(raw(__NR_fstat, fd, (long)&st, 0, 0) == 0 && st.st_size == 0);
	CHECK(write(fd, "abc", 3) == 3);
	close(fd);
	fd = open(path, O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && lseek(fd, 0, SEEK_SET) == 0);
	CHECK(write(fd, "def", 3) == 3);
	CHECK(read(fd, buf, 1) == -1 && errno == EBADF);
	close(fd);
	fd = open(path, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)) == 6 && !strcmp(buf, "abcdef"));
	/* dup shares the offset. */
	CHECK(lseek(fd, 1, SEEK_SET) == 1);
	fd2 = dup(fd);
	CHECK(fd2 > fd);
	CHECK(read(fd2, buf, 2) == 2 && !memcmp(buf, "bc", 2));
	CHECK(lseek(fd, 0, SEEK_CUR) == 3);
	CHECK(dup2(fd, 100) == 100 && lseek(100, 0, SEEK_CUR) == 3);
	close(100);
	close(fd2);
	close(fd);
	CHECK(raw(__NR_newfstatat, AT_FDCWD, (long)path, (long)&st, 0) == 0 &&
	      st.st_size == 6 && (st.st_mode & 0777) == 0644);
	/* Trailing slash on a file: ENOTDIR. */
	snprintf(path + strlen(path), 8, "/");
	CHECK(open(path, O_RDONLY) == -1 && errno == ENOTDIR);
}

static void test_dirs(void)
{
	char buf[1024], cwd[256], big[300];
	int fd, n, found_dot = 0, found_test = 0, off;
	struct stat st;

	fd = open(testsdir, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	CHECK(raw(__NR_fstat, fd, (long)&st, 0, 0) == 0 &&
	      (st.st_mode & S_IFMT) == S_IFDIR);
	CHECK(read(fd, buf, sizeof(buf)) == -1 && errno == EISDIR);
	while ((n = (int)raw(__NR_getdents64, fd, (long)buf, sizeof(buf), 0)) > 0) {
		for (off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);

			CHECK(d->d_reclen % 8 == 0 && d->d_reclen > 19);
			found_dot += !strcmp(d->d_name, ".");
			if (!strcmp(d->d_name, "fs_test"))
				found_test += d->d_type == 8; /* DT_REG */
			off += d->d_reclen;
		}
	}
	CHECK(n == 0);
	CHECK(found_dot == 1);
	CHECK(found_test == 1);
	CHECK(raw(__NR_getdents64, fd, (long)buf, 8, 0) == 0); /* at the end */
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(raw(__NR_getdents64, fd, (long)buf, 8, 0) == -EINVAL);
	CHECK(raw(__NR_getdents64, fd, 1, sizeof(buf), 0) == -EFAULT);
	CHECK(open(testsdir, O_WRONLY) == -1 && errno == EISDIR);
	close(fd);
	snprintf(big, sizeof(big), "%s/fs_test", testsdir);
	fd = open(big, O_RDONLY);
	CHECK(raw(__NR_getdents64, fd, (long)buf, sizeof(buf), 0) == -ENOTDIR);
	close(fd);

	/* Relative paths, ".", "..", repeated slashes. */
	CHECK(raw(__NR_chdir, (long)testsdir, 0, 0, 0) == 0);
	CHECK(raw(__NR_getcwd, (long)cwd, sizeof(cwd), 0, 0) ==
		      (long)strlen(testsdir) + 1 && !strcmp(cwd, testsdir));
	CHECK(raw(__NR_getcwd, (long)cwd, 3, 0, 0) == -ERANGE);
	fd = open("fs_test", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	snprintf(big, sizeof(big), ".//..//%s/./fs_test", strrchr(testsdir, '/') + 1);
	fd = open(big, O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK(raw(__NR_chdir, (long)"fs_test", 0, 0, 0) == -ENOTDIR);
	CHECK(raw(__NR_chdir, (long)"/", 0, 0, 0) == 0);
	fd = open("..", O_RDONLY | O_DIRECTORY); /* the root's parent is itself */
	CHECK(fd >= 0);
	close(fd);
	/* openat from a directory descriptor. */
	fd = open(testsdir, O_RDONLY | O_DIRECTORY);
	n = openat(fd, "fs_test", O_RDONLY);
	CHECK(n >= 0);
	close(n);
	close(fd);

	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = 0;
	CHECK(open(big, O_RDONLY) == -1 && errno == ENAMETOOLONG);
}

static void test_errors(void)
{
	char buf[64];
	struct stat st;

	CHECK(open("/nonexistent", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(open("/nonexistent/x", O_RDONLY | O_CREAT, 0644) == -1 &&
	      errno == ENOENT);
	CHECK(open("", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(open((const char *)1, O_RDONLY) == -1 && errno == EFAULT);
	CHECK(read(99, buf, 1) == -1 && errno == EBADF);
	CHECK(read(-1, buf, 1) == -1 && errno == EBADF);
	CHECK(raw(__NR_fstat, 99, (long)&st, 0, 0) == -EBADF);
	CHECK(raw(__NR_fstat, 1, 1, 0, 0) == -EFAULT);
	CHECK(raw(__NR_newfstatat, AT_FDCWD, (long)"/nonexistent", (long)&st, 0) ==
	      -ENOENT);
	CHECK(lseek(99, 0, SEEK_SET) == -1 && errno == EBADF);
	CHECK(raw(__NR_ioctl, 99, TCGETS, (long)buf, 0) == -EBADF);
	CHECK(openat(99, "x", O_RDONLY) == -1 && errno == EBADF);
	CHECK(dup(99) == -1 && errno == EBADF);
}

/* The console: a tty, not seekable. */
static void test_console(void)
{
	char buf[64];
	struct stat st;
	unsigned short ws[4];

	if (!console_required && raw(__NR_ioctl, 1, TCGETS, (long)buf, 0) != 0) {
		utest_skip("fd 1 is not a tty");
		return;
	}
	CHECK(raw(__NR_ioctl, 1, TCGETS, (long)buf, 0) == 0);
	CHECK(raw(__NR_ioctl, 1, TIOCGWINSZ, (long)ws, 0) == 0);
	if (console_required) /* Hartix's console says 24x80 */
		CHECK(ws[0] == 24 && ws[1] == 80);
	CHECK(raw(__NR_ioctl, 1, TCGETS, 1, 0) == -EFAULT);
	CHECK(lseek(1, 0, SEEK_CUR) == -1 && errno == ESPIPE);
	CHECK(raw(__NR_fstat, 1, (long)&st, 0, 0) == 0 &&
	      (st.st_mode & S_IFMT) == S_IFCHR);
}

static const struct utest_case cases[] = {
	UTEST_CASE(test_read_self),
	UTEST_CASE(test_create),
	UTEST_CASE(test_dirs),
	UTEST_CASE(test_errors),
	UTEST_CASE(test_console),
};

int main(int argc, char **argv)
{
	/* [TOKEN] [SCRATCH-DIR TESTS-DIR]: the token comes first when given. */
	int dirs = argc == 3 ? 1 : argc == 4 ? 2 : 0;

	self = argv[0];
	if (dirs) {
		snprintf(tmpdir, sizeof(tmpdir), "%s", argv[dirs]);
		snprintf(testsdir, sizeof(testsdir), "%s", argv[dirs + 1]);
		console_required = 0;
	}
	printf("# fs_test: token %s\n", argc == 2 || argc == 4 ? argv[1] : "-");
	return UTEST_RUN("fs_test", cases);
}
