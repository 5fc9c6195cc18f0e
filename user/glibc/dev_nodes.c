/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dev_nodes: the character devices drivers register (fs/char_dev.c):
 * their /dev nodes and numbers, and what the memory devices do.
 *
 * utest: smp=1
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "utest.h"

static int is_chr(const char *path, unsigned int ma, unsigned int mi)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISCHR(st.st_mode) &&
	       major(st.st_rdev) == ma && minor(st.st_rdev) == mi;
}

static void numbers_as_linux(void)
{
	CHECK(is_chr("/dev/null", 1, 3));
	CHECK(is_chr("/dev/zero", 1, 5));
	CHECK(is_chr("/dev/full", 1, 7));
	CHECK(is_chr("/dev/random", 1, 8));
	CHECK(is_chr("/dev/urandom", 1, 9));
	CHECK(is_chr("/dev/tty", 5, 0));
	CHECK(is_chr("/dev/console", 5, 1));
}

static void memory_devices(void)
{
	char buf[64];
	int fd, i, zeroes = 1;

	fd = open("/dev/full", O_RDWR);
	CHECK(fd >= 0);
	errno = 0;
	CHECK(write(fd, "x", 1) == -1 && errno == ENOSPC);
	/* Even a write of nothing: the driver answers, not the VFS (as Linux). */
	errno = 0;
	CHECK(write(fd, "x", 0) == -1 && errno == ENOSPC);
	memset(buf, 'x', sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)) == (long)sizeof(buf));
	for (i = 0; i < (int)sizeof(buf); i++)
		zeroes &= buf[i] == 0;
	CHECK(zeroes);
	close(fd);
	fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 0);
	CHECK(write(fd, buf, sizeof(buf)) == (long)sizeof(buf));
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == (long)sizeof(buf));
	close(fd);
}

/* A node whose number no driver registered opens with ENXIO. */
static void no_driver_is_enxio(void)
{
	char name[64];

	snprintf(name, sizeof(name), "/tmp/dev_nodes.%d", (int)getpid());
	if (mknod(name, S_IFCHR | 0600, makedev(1, 2)) != 0) {
		CHECK(errno == EPERM);
		utest_skip("mknod needs root");
		return;
	}
	errno = 0;
	CHECK(open(name, O_RDONLY) == -1 && errno == ENXIO);
	CHECK(unlink(name) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(numbers_as_linux),
	UTEST_CASE(memory_devices),
	UTEST_CASE(no_driver_is_enxio),
};

int main(void)
{
	return UTEST_RUN("dev_nodes", cases);
}
