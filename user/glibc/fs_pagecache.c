/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fs_pagecache: file data through the page cache of a disk file system:
 * MAP_SHARED stores seen by read() and written back (msync, umount),
 * write() seen by a mapping, MAP_PRIVATE copies never written back,
 * SIGBUS past the end after truncate, execve of a program copied onto
 * the disk with sendfile and copy_file_range, write() from mappings of
 * the file and from a partly unmapped buffer, and all of it read back
 * after a remount.
 *
 * utest: smp=1,4
 *
 * fs_pagecache [DEVICE MOUNTPOINT FSTYPE]: with a device, mounts it
 * first, unmounts and mounts it again to check what persisted, and
 * leaves pc/note (written through a shared mapping) for the host's check
 * (tools/testing/run_tests.py, phase fs). Without arguments it works in
 * a directory it makes in its working directory (tmpfs under Hartix, the
 * host's under qemu-riscv64), and the remount cases are skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fault_probe.h"
#include "scratch.h"
#include "utest.h"

#define PAGE 4096L
#define NOTE "written through mmap\n"

static const char *dev, *mnt, *fstype, *self;

/* Byte i of the test files. */
static char pat(long i)
{
	return (char)('a' + (i * 7 + i / 4093) % 26);
}

/* A new file name of size bytes of pat(); its descriptor (O_RDWR) or -1. */
static int make_file(const char *name, long size)
{
	int fd = open(path(name), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[PAGE];
	long done, i;

	if (fd < 0)
		return -1;
	for (done = 0; done < size; done += PAGE) {
		long n = size - done < PAGE ? size - done : PAGE;

		for (i = 0; i < n; i++)
			buf[i] = pat(done + i);
		if (write(fd, buf, (size_t)n) != n) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Whether name holds size bytes of pat(), but for the bytes at the offsets in alt (value 'X'). */
static int file_is(const char *name, long size, const long *alt, int nalt)
{
	int fd = open(path(name), O_RDONLY), ok = fd >= 0, j;
	static char buf[4 * PAGE];
	long done, i;
	ssize_t n;

	for (done = 0; ok && done < size; done += n) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			char want = pat(done + i);

			for (j = 0; j < nalt; j++)
				if (alt[j] == done + i)
					want = 'X';
			ok &= buf[i] == want;
		}
	}
	ok &= done == size && (fd < 0 || read(fd, buf, 1) == 0);
	if (fd >= 0)
		close(fd);
	return ok;
}

static void mount_it(void)
{
	if (!dev) {
		utest_skip("no device");
		return;
	}
	mkdir(mnt, 0755);
	CHECK(mount(dev, mnt, fstype, 0, NULL) == 0);
	snprintf(dir, sizeof(dir), "%s/pc", mnt);
	CHECK(mkdir(dir, 0755) == 0 || errno == EEXIST);
}

static const long shared_alt[] = { 5, PAGE + 7, PAGE * 2 + 99, PAGE * 3 + 1 };

/* Stores through MAP_SHARED are the file's: read() sees them, msync writes them. */
static void shared_write(void)
{
	long size = 3 * PAGE + 100;
	int fd = make_file("shared", size);
	char *m, buf[8];

	CHECK(fd >= 0);
	m = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	CHECK(m[0] == pat(0) && m[PAGE * 3 + 99] == pat(PAGE * 3 + 99));
	m[5] = m[PAGE * 2 + 99] = m[PAGE * 3 + 1] = 'X';
	CHECK(pread(fd, buf, 1, 5) == 1 && buf[0] == 'X');
	CHECK(pread(fd, buf, 1, PAGE * 3 + 1) == 1 && buf[0] == 'X');
	/* write() is seen by the mapping. */
	CHECK(pwrite(fd, "Y", 1, PAGE + 7) == 1 && m[PAGE + 7] == 'Y');
	CHECK(pwrite(fd, buf, 1, PAGE + 7) == 1 && buf[0] == 'X'); /* puts X there */
	CHECK(msync(m, (size_t)size, MS_SYNC) == 0);
	/* The bytes past the end in the last page read as zeroes. */
	CHECK(m[size] == 0 && m[PAGE * 4 - 1] == 0);
	CHECK(munmap(m, (size_t)size) == 0);
	CHECK(close(fd) == 0);
	CHECK(file_is("shared", size, shared_alt, 4));
}

/* A note written only through a shared mapping of a file grown by ftruncate (a hole). */
static void shared_note(void)
{
	int fd = open(path("note"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	size_t len = strlen(NOTE);
	char *m, buf[64] = { 0 };

	CHECK(fd >= 0 && ftruncate(fd, (off_t)len) == 0);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	CHECK(m[0] == 0); /* the hole reads as zeroes */
	memcpy(m, NOTE, len);
	CHECK(munmap(m, len) == 0);
	/* Unmapped, not synced: the stores are the file's all the same. */
	CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)len && !strcmp(buf, NOTE));
	CHECK(fsync(fd) == 0 && close(fd) == 0);
}

/* MAP_PRIVATE: stores are copies, never the file's; a read-only touch first is copied too. */
static void private_cow(void)
{
	long size = 2 * PAGE;
	int fd = make_file("private", size);
	char *m, buf[4];

	CHECK(fd >= 0);
	m = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	CHECK(m[PAGE + 1] == pat(PAGE + 1)); /* read first: the cache's page, read-only */
	m[PAGE + 1] = 'X';
	m[3] = 'X';
	CHECK(m[PAGE + 1] == 'X' && m[3] == 'X');
	CHECK(pread(fd, buf, 1, PAGE + 1) == 1 && buf[0] == pat(PAGE + 1));
	CHECK(pread(fd, buf, 1, 3) == 1 && buf[0] == pat(3));
	CHECK(msync(m, (size_t)size, MS_SYNC) == 0);
	CHECK(munmap(m, (size_t)size) == 0);
	CHECK(fsync(fd) == 0 && close(fd) == 0);
	CHECK(file_is("private", size, NULL, 0));
}

/* Truncate drops what is mapped past the new end: SIGBUS there, zeroes after the end in the last page. */
static void sigbus_truncate(void)
{
	long size = 3 * PAGE;
	int fd = make_file("trunc", size);
	char *m, v = 1;

	CHECK(fd >= 0);
	m = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	CHECK(touch(m + 2 * PAGE + 5, 0, &v) == 0 && v == pat(2 * PAGE + 5));
	m[PAGE + 20] = 'X';
	CHECK(ftruncate(fd, PAGE + 10) == 0);
	CHECK(touch(m + PAGE + 9, 0, &v) == 0 && v == pat(PAGE + 9));
	CHECK(touch(m + PAGE + 20, 0, &v) == 0 && v == 0);
	CHECK(touch(m + 2 * PAGE + 5, 0, &v) == SIGBUS && fault_code == BUS_ADRERR);
	/* Grown again: what was cut reads as zeroes, through the mapping and read(). */
	CHECK(ftruncate(fd, size) == 0);
	CHECK(touch(m + 2 * PAGE + 5, 0, &v) == 0 && v == 0);
	CHECK(touch(m + PAGE + 20, 0, &v) == 0 && v == 0);
	CHECK(pread(fd, &v, 1, PAGE + 20) == 1 && v == 0);
	CHECK(munmap(m, (size_t)size) == 0);
	CHECK(close(fd) == 0);
}

/* A program put on the disk by sendfile (from where it runs) and copy_file_range, then run. */
static void exec_copied(void)
{
	int in = open(self, O_RDONLY), out, out2, status;
	struct stat st;
	off_t off = 0;
	loff_t o1 = 0, o2 = 0;
	ssize_t n = 1;
	pid_t pid;

	CHECK(in >= 0 && fstat(in, &st) == 0);
	out = open(path("prog"), O_CREAT | O_TRUNC | O_WRONLY, 0755);
	CHECK(out >= 0);
	while (n > 0 && off < st.st_size)
		n = sendfile(out, in, &off, (size_t)(st.st_size - off));
	CHECK(off == st.st_size);
	close(in);
	close(out);
	in = open(path("prog"), O_RDONLY);
	out2 = open(path("prog2"), O_CREAT | O_TRUNC | O_WRONLY, 0755);
	CHECK(in >= 0 && out2 >= 0);
	for (n = 1; n > 0 && o1 < st.st_size;)
		n = copy_file_range(in, &o1, out2, &o2, (size_t)(st.st_size - o1), 0);
	CHECK(o1 == st.st_size && o2 == st.st_size);
	close(in);
	close(out2);
	/* Under qemu-riscv64 the host kernel would be asked to run a RISC-V program. */
	if (!dev) {
		utest_skip("no device");
		return;
	}
	pid = fork();
	if (!pid) {
		execl(path("prog2"), "prog2", "--exit-42", (char *)NULL);
		_exit(1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42);
}

/* sendfile from a disk file at an offset into another; copy_file_range out of the instance is EXDEV. */
static void sendfile_disk(void)
{
	long size = 5 * PAGE + 33;
	int in = make_file("src", size), out, tmp;
	off_t off = 100;
	loff_t o = 0;
	char buf[8];

	CHECK(in >= 0);
	out = open(path("dst"), O_CREAT | O_TRUNC | O_RDWR, 0644);
	CHECK(out >= 0);
	CHECK(sendfile(out, in, &off, (size_t)size) == size - 100 && off == size);
	CHECK(pread(out, buf, 1, 0) == 1 && buf[0] == pat(100));
	CHECK(pread(out, buf, 1, size - 101) == 1 && buf[0] == pat(size - 1));
	close(in);
	close(out);
	if (!dev) {
		utest_skip("one file system");
		return;
	}
	in = open(path("src"), O_RDONLY);
	tmp = open("/tmp/fs_pagecache.x", O_CREAT | O_TRUNC | O_WRONLY, 0644);
	CHECK(copy_file_range(in, &o, tmp, NULL, 10, 0) == -1 && errno == EXDEV);
	close(in);
	close(tmp);
	unlink("/tmp/fs_pagecache.x");
}

/*
 * write() copies straight into the page cache page, under its lock:
 * from a mapping of that very page while it is not cached yet (the
 * fault that fills it needs the lock: this hung if the copy resolved
 * its faults there), from a mapping of the page before, and from a
 * buffer whose second half is not mapped: Linux writes what can be read
 * (a short count; qemu-riscv64 checks the whole buffer first: EFAULT),
 * and nothing past it.
 */
static void write_sources(void)
{
	int fd = open(path("wsrc"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *m, *buf, c;
	long i, bad = 0, n;

	CHECK(fd >= 0 && ftruncate(fd, 2 * PAGE) == 0);
	m = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	buf = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED && buf != MAP_FAILED);
	if (m == MAP_FAILED || buf == MAP_FAILED)
		return;
	CHECK(pwrite(fd, m + PAGE, PAGE, PAGE) == PAGE); /* the hole onto itself */
	for (i = 0; i < PAGE; i++)
		buf[i] = pat(i);
	CHECK(pwrite(fd, buf, PAGE, 0) == PAGE);
	CHECK(pwrite(fd, m, PAGE, PAGE) == PAGE); /* page 0 onto page 1 */
	for (i = 0; i < PAGE; i++)
		bad += m[PAGE + i] != pat(i);
	CHECK(bad == 0);
	CHECK(munmap(buf + PAGE, PAGE) == 0);
	memset(buf, 'Q', PAGE);
	n = pwrite(fd, buf + PAGE - 100, 200, 10);
	CHECK(n == 100 || (n == -1 && errno == EFAULT));
	CHECK(m[10] == (n == 100 ? 'Q' : pat(10)) && m[109] == (n == 100 ? 'Q' : pat(109)) &&
	      m[110] == pat(110) && m[9] == pat(9));
	CHECK(pwrite(fd, buf + PAGE, 10, 0) == -1 && errno == EFAULT);
	CHECK(pread(fd, &c, 1, 2 * PAGE - 1) == 1 && c == pat(PAGE - 1));
	munmap(buf, PAGE);
	munmap(m, 2 * PAGE);
	close(fd);
}

/* Everything above, read back from the disk after a remount. */
static void remount_verify(void)
{
	struct stat st, prog;
	char buf[64] = { 0 };
	int fd;

	if (!dev) {
		utest_skip("no device");
		return;
	}
	CHECK(umount2(mnt, 0) == 0);
	CHECK(mount(dev, mnt, fstype, 0, NULL) == 0);
	CHECK(file_is("shared", 3 * PAGE + 100, shared_alt, 4));
	CHECK(file_is("private", 2 * PAGE, NULL, 0));
	fd = open(path("note"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == (ssize_t)strlen(NOTE) && !strcmp(buf, NOTE));
	close(fd);
	CHECK(stat(path("trunc"), &st) == 0 && st.st_size == 3 * PAGE);
	CHECK(stat(path("prog2"), &prog) == 0 && stat(self, &st) == 0 &&
	      prog.st_size == st.st_size);
	CHECK(umount2(mnt, 0) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(mount_it), UTEST_CASE(shared_write), UTEST_CASE(shared_note),
	UTEST_CASE(private_cow), UTEST_CASE(sigbus_truncate), UTEST_CASE(exec_copied),
	UTEST_CASE(sendfile_disk), UTEST_CASE(write_sources), UTEST_CASE(remount_verify),
};

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc == 2 && !strcmp(argv[1], "--exit-42"))
		return 42; /* exec_copied's child */
	if (argc >= 4) {
		dev = argv[1];
		mnt = argv[2];
		fstype = argv[3];
	} else {
		snprintf(dir, sizeof(dir), "fs_pagecache.%d", (int)getpid());
		if (mkdir(dir, 0755)) {
			perror("mkdir");
			return 1;
		}
	}
	return UTEST_RUN("fs_pagecache", cases);
}
