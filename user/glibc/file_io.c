/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * file_io: reads and writes at positions and between files through
 * glibc: pread/pwrite/preadv/pwritev, sendfile, copy_file_range, the
 * fsync family, fallocate, and FIFOs made with mknod/mkfifo.
 *
 * utest: smp=1,4
 *
 * Works in a directory it makes in its working directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "scratch.h"
#include "utest.h"

#define TMPFS_MAGIC 0x01021994

/* A new file holding len bytes 'a'.. 'z' repeated. */
static int make_file(const char *name, size_t len)
{
	int fd = open(path(name), O_CREAT | O_TRUNC | O_RDWR, 0644);
	char c;
	size_t i;

	for (i = 0; fd >= 0 && i < len; i++) {
		c = (char)('a' + i % 26);
		if (write(fd, &c, 1) != 1)
			return -1;
	}
	return fd;
}

static void pread_pwrite_keep_position(void)
{
	char buf[16] = "";
	int fd = make_file("p", 26), p[2];

	CHECK(fd >= 0);
	CHECK(lseek(fd, 3, SEEK_SET) == 3);
	CHECK(pread(fd, buf, 4, 10) == 4 && memcmp(buf, "klmn", 4) == 0);
	CHECK(pwrite(fd, "XY", 2, 0) == 2);
	CHECK(lseek(fd, 0, SEEK_CUR) == 3);
	CHECK(read(fd, buf, 2) == 2 && memcmp(buf, "de", 2) == 0);
	CHECK(pread(fd, buf, 3, 0) == 3 && memcmp(buf, "XYc", 3) == 0);
	CHECK(pread(fd, buf, 16, 100) == 0);
	/* writing past the end leaves a hole of zeroes */
	CHECK(pwrite(fd, "Z", 1, 40) == 1);
	CHECK(pread(fd, buf, 3, 26) == 3 && buf[0] == 0 && buf[2] == 0);
	errno = 0;
	CHECK(pread(fd, buf, 1, -1) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(pread(-1, buf, 1, 0) == -1 && errno == EBADF);
	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(pread(p[0], buf, 1, 0) == -1 && errno == ESPIPE);
	errno = 0;
	CHECK(pwrite(p[1], buf, 1, 0) == -1 && errno == ESPIPE);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void preadv_pwritev(void)
{
	char a[3], b[5];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iovec out[2] = { { "123", 3 }, { "4567", 4 } };
	int fd = make_file("v", 26), p[2];

	CHECK(fd >= 0);
	CHECK(preadv(fd, iov, 2, 5) == 8);
	CHECK(memcmp(a, "fgh", 3) == 0 && memcmp(b, "ijklm", 5) == 0);
	CHECK(pwritev(fd, out, 2, 20) == 7);
	CHECK(lseek(fd, 0, SEEK_CUR) == 26);
	CHECK(preadv(fd, iov, 2, 22) == 5); /* short at the end */
	CHECK(memcmp(a, "345", 3) == 0 && memcmp(b, "67", 2) == 0);
	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(preadv(p[0], iov, 2, 0) == -1 && errno == ESPIPE);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void sendfile_to_file_and_pipe(void)
{
	int in = make_file("sin", 10000), out = make_file("sout", 0), p[2];
	char buf[100];
	off_t off = 9990;

	CHECK(in >= 0 && out >= 0);
	CHECK(lseek(in, 0, SEEK_SET) == 0);
	CHECK(sendfile(out, in, NULL, 20000) == 10000);
	CHECK(lseek(in, 0, SEEK_CUR) == 10000);
	CHECK(lseek(out, 0, SEEK_CUR) == 10000);
	CHECK(pread(out, buf, 26, 26 * 10) == 26 && memcmp(buf, "abcdefghij", 10) == 0);
	/* with an offset: read there, the input's position stays */
	CHECK(pipe(p) == 0);
	CHECK(sendfile(p[1], in, &off, 100) == 10);
	CHECK(off == 10000 && lseek(in, 0, SEEK_CUR) == 10000);
	CHECK(read(p[0], buf, sizeof(buf)) == 10 && memcmp(buf, "ghijklmnop", 10) == 0);
	/* from a pipe (no splice here or in Linux 6.1's sendfile... EINVAL), bad fds */
	errno = 0;
	CHECK(sendfile(out, -1, NULL, 1) == -1 && errno == EBADF);
	errno = 0;
	CHECK(sendfile(-1, in, NULL, 1) == -1 && errno == EBADF);
	errno = 0;
	CHECK(sendfile(out, p[0], &off, 1) == -1 && errno == ESPIPE);
	close(p[0]);
	close(p[1]);
	close(in);
	close(out);
}

static void copy_file_range_between_files(void)
{
	int in = make_file("cin", 5000), out = make_file("cout", 0), app, p[2];
	off_t oin = 100, oout = 7;
	char buf[16];

	CHECK(in >= 0 && out >= 0);
	CHECK(copy_file_range(in, &oin, out, &oout, 26, 0) == 26);
	CHECK(oin == 126 && oout == 33);
	CHECK(lseek(in, 0, SEEK_CUR) == 5000 && lseek(out, 0, SEEK_CUR) == 0);
	CHECK(pread(out, buf, 4, 7) == 4 && memcmp(buf, "wxyz", 4) == 0);
	CHECK(pread(out, buf, 7, 0) == 7 && buf[0] == 0 && buf[6] == 0);
	/* NULL offsets: the files' positions, which move */
	CHECK(lseek(in, 4990, SEEK_SET) == 4990);
	CHECK(copy_file_range(in, NULL, out, NULL, 100, 0) == 10);
	CHECK(lseek(in, 0, SEEK_CUR) == 5000 && lseek(out, 0, SEEK_CUR) == 10);
	CHECK(copy_file_range(in, NULL, out, NULL, 100, 0) == 0); /* at EOF */
	errno = 0;
	CHECK(copy_file_range(in, NULL, out, NULL, 1, 1) == -1 && errno == EINVAL);
	/* overlapping ranges of one file */
	oin = 0;
	oout = 10;
	errno = 0;
	CHECK(copy_file_range(in, &oin, in, &oout, 100, 0) == -1 && errno == EINVAL);
	app = open(path("cout"), O_WRONLY | O_APPEND);
	errno = 0;
	CHECK(app >= 0 && copy_file_range(in, &oin, app, NULL, 1, 0) == -1 && errno == EBADF);
	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(copy_file_range(in, &oin, p[1], NULL, 1, 0) == -1 && errno == EINVAL);
	close(p[0]);
	close(p[1]);
	close(app);
	close(in);
	close(out);
}

static void fsync_family(void)
{
	int fd = make_file("sync", 10), p[2], d = open(dir, O_RDONLY | O_DIRECTORY);

	CHECK(fd >= 0 && d >= 0);
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0 && fsync(d) == 0);
	CHECK(syncfs(fd) == 0);
	sync();
	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(fsync(p[0]) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(fdatasync(p[1]) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(fsync(-1) == -1 && errno == EBADF);
	errno = 0;
	CHECK(syncfs(-1) == -1 && errno == EBADF);
	close(p[0]);
	close(p[1]);
	close(d);
	close(fd);
}

static void fallocate_modes(void)
{
	int fd = make_file("falloc", 0), ro, p[2];
	struct statfs sfs;
	struct stat st;
	char buf[8192];
	blkcnt_t blocks;

	CHECK(fd >= 0);
	CHECK(fallocate(fd, 0, 0, 3 * 4096) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 3 * 4096);
	blocks = st.st_blocks;
	CHECK(blocks >= 3 * 4096 / 512);
	CHECK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 3 * 4096, 4096) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 3 * 4096 && st.st_blocks > blocks);
	memset(buf, 'q', sizeof(buf));
	CHECK(pwrite(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf));
	CHECK(fstat(fd, &st) == 0);
	blocks = st.st_blocks;
	/* a hole over bytes 100 .. 100 + 4096 + 4096 - 1 */
	CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 100, 8192) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 3 * 4096 && st.st_blocks < blocks);
	CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf));
	CHECK(buf[99] == 'q' && buf[100] == 0 && buf[4096] == 0 && buf[8191] == 0);
	errno = 0;
	CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10) == -1 && errno == EOPNOTSUPP);
	/* tmpfs has no ZERO_RANGE (a disk file system under Linux may) */
	if (fstatfs(fd, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC) {
		errno = 0;
		CHECK(fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 10) == -1 &&
		      errno == EOPNOTSUPP);
	}
	errno = 0;
	CHECK(fallocate(fd, 0, -1, 10) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(fallocate(fd, 0, 0, 0) == -1 && errno == EINVAL);
	ro = open(path("falloc"), O_RDONLY);
	errno = 0;
	CHECK(ro >= 0 && fallocate(ro, 0, 0, 10) == -1 && errno == EBADF);
	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(fallocate(p[1], 0, 0, 10) == -1 && errno == ESPIPE);
	close(p[0]);
	close(p[1]);
	close(ro);
	close(fd);
}

static void alarm_handler(int sig)
{
	(void)sig;
}

static void fifo_open_and_data(void)
{
	struct stat st;
	char buf[16] = "";
	int status = -1, r, w;
	pid_t pid;

	unlink(path("fifo"));
	CHECK(mkfifo(path("fifo"), 0600) == 0);
	CHECK(stat(path("fifo"), &st) == 0 && S_ISFIFO(st.st_mode));
	/* no reader: a non-blocking writer gets ENXIO, a reader does not wait */
	errno = 0;
	CHECK(open(path("fifo"), O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO);
	r = open(path("fifo"), O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0);
	CHECK(read(r, buf, sizeof(buf)) == 0); /* no writer: end of file */
	w = open(path("fifo"), O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0 && write(w, "ping", 4) == 4);
	CHECK(read(r, buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0);
	errno = 0;
	CHECK(lseek(r, 0, SEEK_SET) == -1 && errno == ESPIPE);
	close(w);
	close(r);
	/* blocking opens wait for the other end */
	pid = fork();
	if (pid == 0) {
		int fd = open(path("fifo"), O_WRONLY);

		_exit(fd >= 0 && write(fd, "from child", 10) == 10 ? 0 : 1);
	}
	CHECK(pid > 0);
	r = open(path("fifo"), O_RDONLY);
	CHECK(r >= 0);
	CHECK(read(r, buf, sizeof(buf)) == 10 && memcmp(buf, "from child", 10) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	CHECK(read(r, buf, sizeof(buf)) == 0);
	close(r);
	/* a blocked open ends with EINTR on a signal without SA_RESTART */
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = alarm_handler;
		CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
		/* again and again: one sent before the open sleeps is lost */
		pid = fork();
		if (pid == 0) {
			for (;;) {
				usleep(50000);
				kill(getppid(), SIGALRM);
			}
		}
		errno = 0;
		CHECK(open(path("fifo"), O_RDONLY) == -1 && errno == EINTR);
		kill(pid, SIGKILL);
		CHECK(waitpid(pid, &status, 0) == pid);
		signal(SIGALRM, SIG_DFL);
	}
	/* O_RDWR never waits */
	r = open(path("fifo"), O_RDWR);
	CHECK(r >= 0 && write(r, "x", 1) == 1 && read(r, buf, 1) == 1);
	close(r);
	CHECK(unlink(path("fifo")) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(pread_pwrite_keep_position),
	UTEST_CASE(preadv_pwritev),
	UTEST_CASE(sendfile_to_file_and_pipe),
	UTEST_CASE(copy_file_range_between_files),
	UTEST_CASE(fsync_family),
	UTEST_CASE(fallocate_modes),
	UTEST_CASE(fifo_open_and_data),
};

int main(void)
{
	snprintf(dir, sizeof(dir), "file_io.%d", (int)getpid());
	mkdir(dir, 0755);
	return UTEST_RUN("file_io", cases);
}
