/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * initramfs_test: a file unpacked from the initramfs behaves as any RAM
 * file, though its whole pages are the archive's own, taken without a copy
 * (fs/ramfs.c, install_data()): read() and a shared mapping see the same
 * bytes, writes through either reach the other, truncating and growing it
 * again gives zeroes, and the name can be removed and made again.
 *
 * Usage: initramfs_test TOKEN. The bytes written derive from TOKEN, so no
 * fixed text passes. Changes /tests/hello_token, which no other test of
 * the same boot runs.
 * utest: smp=1,4 args="{token}"
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "utest.h"

#define PAGE 4096
#define VICTIM "/tests/hello_token"

static unsigned long long seed;
static unsigned char orig[64 * 1024], now[64 * 1024];

static unsigned char next_byte(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned char)(seed >> 56);
}

static long file_size(int fd)
{
	return lseek(fd, 0, SEEK_END);
}

static long pread_all(int fd, void *buf, size_t n, long off)
{
	return syscall(__NR_pread64, fd, buf, n, off);
}

static void test_pages(void)
{
	unsigned char pat[300];
	unsigned char *map;
	long size, i;
	int fd = open(VICTIM, O_RDWR);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	size = file_size(fd);
	/* Three whole pages at least, so some of it is the archive's. */
	CHECK(size > 3 * PAGE && size <= (long)sizeof(orig));
	if (size <= 3 * PAGE || size > (long)sizeof(orig))
		return;
	CHECK(pread_all(fd, orig, (size_t)size, 0) == size);
	CHECK(!memcmp(orig, "\177ELF", 4));

	map = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED);
	if (map == MAP_FAILED)
		return;
	CHECK(!memcmp(map, orig, (size_t)size));

	/* write() into page 1: the mapping sees it, and nothing else changed. */
	for (i = 0; i < (long)sizeof(pat); i++)
		pat[i] = next_byte();
	CHECK(syscall(__NR_pwrite64, fd, pat, sizeof(pat), PAGE + 50) == (long)sizeof(pat));
	memcpy(orig + PAGE + 50, pat, sizeof(pat));
	CHECK(!memcmp(map, orig, (size_t)size));

	/* A store through the mapping into page 2: read() sees it. */
	for (i = 0; i < (long)sizeof(pat); i++)
		map[2 * PAGE + 7 + i] = orig[2 * PAGE + 7 + i] = next_byte();
	CHECK(pread_all(fd, now, (size_t)size, 0) == size);
	CHECK(!memcmp(now, orig, (size_t)size));
	CHECK(munmap(map, (size_t)size) == 0);

	/* Cut inside page 1 and grow again: the rest of it reads as zeroes. */
	CHECK(syscall(__NR_ftruncate, fd, PAGE + 200) == 0);
	CHECK(syscall(__NR_ftruncate, fd, size) == 0);
	memset(orig + PAGE + 200, 0, (size_t)(size - PAGE - 200));
	CHECK(pread_all(fd, now, (size_t)size, 0) == size);
	CHECK(!memcmp(now, orig, (size_t)size));
	CHECK(close(fd) == 0);

	/* Removed and made again under the same name: a new, empty file. */
	CHECK(unlink(VICTIM) == 0);
	fd = open(VICTIM, O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK(file_size(fd) == 0);
	CHECK(write(fd, pat, sizeof(pat)) == (long)sizeof(pat));
	CHECK(pread_all(fd, now, sizeof(pat), 0) == (long)sizeof(pat));
	CHECK(!memcmp(now, pat, sizeof(pat)));
	CHECK(close(fd) == 0);
}

/* Another file of the archive, untouched: read() and a private mapping agree. */
static void test_untouched(void)
{
	int fd = open("/tests/busy_token", O_RDONLY);
	unsigned char *map;
	long size;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	size = file_size(fd);
	CHECK(size > PAGE && size <= (long)sizeof(now));
	if (size <= PAGE || size > (long)sizeof(now))
		return;
	CHECK(pread_all(fd, now, (size_t)size, 0) == size);
	map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(map != MAP_FAILED);
	if (map != MAP_FAILED) {
		CHECK(!memcmp(map, now, (size_t)size));
		CHECK(munmap(map, (size_t)size) == 0);
	}
	CHECK(close(fd) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(test_pages),
	UTEST_CASE(test_untouched),
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: initramfs_test TOKEN\n");
		return 2;
	}
	for (const char *p = argv[1]; *p; p++)
		seed = seed * 131 + (unsigned char)*p;
	printf("initramfs_test: token %s\n", argv[1]);
	return UTEST_RUN("initramfs_test", cases);
}
