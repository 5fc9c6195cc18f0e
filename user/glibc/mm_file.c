/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm_file: mmap() of files: MAP_PRIVATE copy-on-write, MAP_SHARED seen by read(), write() and other mappings, SIGBUS past the end, truncate, fork, PROT_EXEC, errnos, no leak.
 *
 * utest: smp=1,4
 *
 * Every file lives in /tmp (tmpfs on Linux, the RAM file system on
 * Hartix). The leak check (free memory back after mapping, touching and
 * unmapping, with forks) runs on Hartix only: under qemu-riscv64
 * /proc/meminfo is the host's.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fault_probe.h"
#include "meminfo.h"
#include "utest.h"

#define PAGE 4096L

static char path[64];
/* A new file of size bytes: byte i is 'a' + (i / PAGE) % 26. */
static int make_file(off_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[PAGE];
	off_t done;

	if (fd < 0)
		return -1;
	for (done = 0; done < size; done += PAGE) {
		size_t n = size - done < PAGE ? (size_t)(size - done) : PAGE;

		memset(buf, 'a' + (int)(done / PAGE) % 26, n);
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* lseek() and read()/write(), not read_at()/write_at(): other calls, other tests. */
static ssize_t read_at(int fd, void *buf, size_t n, off_t off)
{
	return lseek(fd, off, SEEK_SET) == off ? read(fd, buf, n) : -1;
}

static ssize_t write_at(int fd, const void *buf, size_t n, off_t off)
{
	return lseek(fd, off, SEEK_SET) == off ? write(fd, buf, n) : -1;
}

static char file_byte(int fd, off_t off)
{
	char c = 0;

	return read_at(fd, &c, 1, off) == 1 ? c : -1;
}

static void private_read_and_copy_on_write(void)
{
	int fd = make_file(3 * PAGE);
	char *p;

	CHECK(fd >= 0);
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		goto out;
	CHECK(p[0] == 'a' && p[PAGE] == 'b' && p[3 * PAGE - 1] == 'c');
	p[PAGE] = 'X'; /* the private copy only */
	CHECK(p[PAGE] == 'X' && file_byte(fd, PAGE) == 'b');
	/* A page not written yet is the file's: write() shows through. */
	CHECK(write_at(fd, "Z", 1, 2 * PAGE) == 1);
	CHECK(p[2 * PAGE] == 'Z');
	/* A written one is not. */
	CHECK(write_at(fd, "Y", 1, PAGE + 1) == 1);
	CHECK(p[PAGE + 1] == 'b');
	CHECK(munmap(p, 3 * PAGE) == 0);
	CHECK(file_byte(fd, PAGE) == 'b');
out:
	close(fd);
}

static void offset_and_alignment(void)
{
	int fd = make_file(4 * PAGE);
	char *p;

	CHECK(fd >= 0);
	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 2 * PAGE);
	CHECK(p != MAP_FAILED && p[0] == 'c' && p[PAGE] == 'd');
	if (p != MAP_FAILED)
		munmap(p, 2 * PAGE);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED &&
	      errno == EINVAL);
	errno = 0;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED &&
	      errno == EINVAL);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd + 100, 0) ==
		      MAP_FAILED && errno == EBADF);
	close(fd);
}

static void partial_page_and_sigbus_past_end(void)
{
	int fd = make_file(PAGE + 100);
	char *p, c = 1;
	int i, zero = 1;

	CHECK(fd >= 0);
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		goto out;
	CHECK(touch(p + PAGE + 99, 0, &c) == 0 && c == 'b');
	for (i = 100; i < PAGE; i++)
		zero &= p[PAGE + i] == 0;
	CHECK(zero);
	CHECK(touch(p + 2 * PAGE, 0, NULL) == SIGBUS);
	CHECK(fault_code == BUS_ADRERR);
	CHECK(touch(p + 2 * PAGE + 5, 1, NULL) == SIGBUS);
	munmap(p, 3 * PAGE);
out:
	close(fd);
}

static void shared_seen_by_read_write_and_mappings(void)
{
	int fd = make_file(2 * PAGE);
	char *p, *q, buf[4] = "";

	CHECK(fd >= 0);
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	CHECK(p != MAP_FAILED && q != MAP_FAILED);
	if (p == MAP_FAILED || q == MAP_FAILED)
		goto out;
	memcpy(p + PAGE, "abc", 3);
	CHECK(read_at(fd, buf, 3, PAGE) == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK(memcmp(q, "abc", 3) == 0);
	CHECK(write_at(fd, "xyz", 3, PAGE + 10) == 3);
	CHECK(memcmp(p + PAGE + 10, "xyz", 3) == 0 &&
	      memcmp(q + 10, "xyz", 3) == 0);
	CHECK(msync(p, 2 * PAGE, MS_SYNC) == 0);
	CHECK(munmap(p, 2 * PAGE) == 0);
	/* Written through a mapping now gone: still the file's data. */
	CHECK(file_byte(fd, PAGE + 1) == 'b');
out:
	if (q != MAP_FAILED)
		munmap(q, PAGE);
	close(fd);
}

static void truncate_drops_pages(void)
{
	int fd = make_file(3 * PAGE);
	char *p, *r, c = 1;

	CHECK(fd >= 0);
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	r = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && r != MAP_FAILED);
	if (p == MAP_FAILED || r == MAP_FAILED)
		goto out;
	CHECK(p[2 * PAGE] == 'c' && r[2 * PAGE] == 'c' && r[PAGE] == 'b');
	r[2 * PAGE] = 'P'; /* a private copy past the new end goes too */
	CHECK(ftruncate(fd, PAGE + 10) == 0);
	CHECK(touch(p + 2 * PAGE, 0, NULL) == SIGBUS);
	CHECK(touch(r + 2 * PAGE, 0, NULL) == SIGBUS);
	CHECK(touch(p + PAGE + 9, 0, &c) == 0 && c == 'b');
	CHECK(touch(p + PAGE + 10, 0, &c) == 0 && c == 0);
	CHECK(ftruncate(fd, 3 * PAGE) == 0);
	CHECK(touch(p + 2 * PAGE, 0, &c) == 0 && c == 0);
	CHECK(touch(r + 2 * PAGE, 0, &c) == 0 && c == 0);
	/* O_TRUNC is a truncate too. */
	close(open(path, O_RDWR | O_TRUNC));
	CHECK(touch(p, 0, NULL) == SIGBUS);
out:
	if (p != MAP_FAILED)
		munmap(p, 3 * PAGE);
	if (r != MAP_FAILED)
		munmap(r, 3 * PAGE);
	close(fd);
}

static void fork_shares_and_copies(void)
{
	int fd = make_file(2 * PAGE), status = -1;
	char *s, *pr;
	pid_t pid;

	CHECK(fd >= 0);
	s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pr = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(s != MAP_FAILED && pr != MAP_FAILED);
	if (s == MAP_FAILED || pr == MAP_FAILED)
		goto out;
	pr[0] = 'P';
	CHECK(pr[PAGE] == 'b');
	pid = fork();
	if (pid == 0) {
		int ok = pr[0] == 'P' && pr[PAGE] == 'b';

		s[0] = 'C';
		pr[0] = 'c';
		pr[PAGE] = 'd';
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	CHECK(s[0] == 'C' && file_byte(fd, 0) == 'C');
	CHECK(pr[0] == 'P' && pr[PAGE] == 'b' && file_byte(fd, PAGE) == 'b');
out:
	if (s != MAP_FAILED)
		munmap(s, PAGE);
	if (pr != MAP_FAILED)
		munmap(pr, 2 * PAGE);
	close(fd);
}

static void exec_mapping_runs(void)
{
	/* li a0, 42; ret */
	static const unsigned int code[] = { 0x02a00513, 0x00008067 };
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0755);
	int (*fn)(void);
	void *p;

	CHECK(fd >= 0 && write(fd, code, sizeof(code)) == sizeof(code));
	p = mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		fn = (int (*)(void))p;
		__builtin___clear_cache((char *)p, (char *)p + sizeof(code));
		CHECK(fn() == 42);
		/* ld.so's way: part of it made writable, then back. */
		CHECK(mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0);
		((unsigned int *)p)[0] = 0x00700513; /* li a0, 7 */
		CHECK(mprotect(p, PAGE, PROT_READ | PROT_EXEC) == 0);
		__builtin___clear_cache((char *)p, (char *)p + sizeof(code));
		CHECK(fn() == 7);
		CHECK(file_byte(fd, 0) == 0x13 && file_byte(fd, 2) == (char)0xa0);
		munmap(p, PAGE);
	}
	close(fd);
}

static int on_hartix(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "hartix");
}

static void errnos_as_linux(void)
{
	int fd = make_file(PAGE), ro, wo, pfd[2];
	char *p;

	CHECK(fd >= 0);
	close(fd);
	ro = open(path, O_RDONLY);
	wo = open(path, O_WRONLY);
	CHECK(ro >= 0 && wo >= 0);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wo, 0) == MAP_FAILED &&
	      errno == EACCES);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) ==
		      MAP_FAILED && errno == EACCES);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[0] = 'q'; /* private: allowed on a read-only file */
		CHECK(file_byte(ro, 0) == 'a');
		munmap(p, PAGE);
	}
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		errno = 0;
		CHECK(mprotect(p, PAGE, PROT_READ | PROT_WRITE) == -1 &&
		      errno == EACCES);
		munmap(p, PAGE);
	}
	CHECK(pipe(pfd) == 0);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pfd[0], 0) ==
		      MAP_FAILED && errno == ENODEV);
	close(pfd[0]);
	close(pfd[1]);
	/* /dev/zero maps anonymous memory, shared across fork with MAP_SHARED. */
	fd = open("/dev/zero", O_RDWR);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(fd >= 0 && p != MAP_FAILED);
	if (p != MAP_FAILED) {
		int status = -1;
		pid_t pid;

		CHECK(p[0] == 0 && p[PAGE - 1] == 0);
		pid = fork();
		if (pid == 0) {
			p[7] = 'z';
			_exit(0);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && p[7] == 'z');
		munmap(p, PAGE);
	}
	close(fd);
	fd = open("/proc/self/status", O_RDONLY);
	errno = 0;
	CHECK(fd >= 0 && mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0) ==
				 MAP_FAILED && errno == ENODEV);
	close(fd);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED &&
	      errno == ENODEV);
	close(fd);
	/* Past the largest file offset. */
	errno = 0;
	CHECK(mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, ro,
		   0x7ffffffffffff000L) == MAP_FAILED && errno == EOVERFLOW);
	/*
	 * MAP_SHARED_VALIDATE refuses flags it does not know (Linux;
	 * qemu-riscv64 refuses MAP_SHARED_VALIDATE itself).
	 */
	if (!on_hartix())
		goto out;
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | 0x80000000, ro,
		   0) == MAP_FAILED && errno == EOPNOTSUPP);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED)
		munmap(p, PAGE);
out:
	close(ro);
	close(wo);
}

/* Files mapped, touched, copied, forked over and unmapped: all comes back. */
static void nothing_leaks(void)
{
	long before = -1, after;
	int i, fd;

	if (!on_hartix()) {
		utest_skip("/proc/meminfo is the host's under qemu-riscv64");
		return;
	}
	fd = make_file(16 * PAGE);
	CHECK(fd >= 0);
	/* Once first, so lazily grown structures (slab, tables) are there. */
	for (i = 0; i < 2; i++) {
		char *s = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
			       MAP_SHARED, fd, 0);
		char *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE, fd, 0);
		int j, status;
		pid_t pid;

		if (i == 1)
			before = free_kib();
		if (s == MAP_FAILED || p == MAP_FAILED) {
			CHECK(0);
			return;
		}
		for (j = 0; j < 16; j++) {
			s[j * PAGE] = 's';
			p[j * PAGE + 1] = 'p';
		}
		pid = fork();
		if (pid == 0) {
			p[0] = 'c';
			s[1] = 'c';
			_exit(0);
		}
		waitpid(pid, &status, 0);
		CHECK(munmap(p + 3 * PAGE, 5 * PAGE) == 0);
		CHECK(ftruncate(fd, 8 * PAGE) == 0 && ftruncate(fd, 16 * PAGE) == 0);
		munmap(s, 16 * PAGE);
		munmap(p, 16 * PAGE);
	}
	after = free_kib();
	printf("# mm_file: free %ld KiB before, %ld after\n", before, after);
	CHECK(before > 0 && after >= before);
	close(fd);
}

static const struct utest_case cases[] = {
	UTEST_CASE(private_read_and_copy_on_write),
	UTEST_CASE(offset_and_alignment),
	UTEST_CASE(partial_page_and_sigbus_past_end),
	UTEST_CASE(shared_seen_by_read_write_and_mappings),
	UTEST_CASE(truncate_drops_pages),
	UTEST_CASE(fork_shares_and_copies),
	UTEST_CASE(exec_mapping_runs),
	UTEST_CASE(errnos_as_linux),
	UTEST_CASE(nothing_leaks),
};

int main(void)
{
	int ret;

	snprintf(path, sizeof(path), "/tmp/mm_file.%d", (int)getpid());
	ret = UTEST_RUN("mm_file", cases);

	unlink(path);
	return ret;
}
