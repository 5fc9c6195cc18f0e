/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * blockdev: the /dev/vd* block device files (fs/block_dev.c) on the
 * runner's disk images (tools/testing/run_tests.py, block_disk_image():
 * 8 MiB, every sector but the MBR starts with its number as a u64,
 * partitions at 2048 (4096 sectors) and 6144 (8192); vdb read-only).
 * Numbers, sizes and errors as Linux's virtio-blk.
 *
 * utest: smp=1,4 disks=block linux=no
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/fs.h>
#include "utest.h"

static int is_blk(const char *path, unsigned int ma, unsigned int mi)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISBLK(st.st_mode) &&
	       major(st.st_rdev) == ma && minor(st.st_rdev) == mi;
}

static void nodes_and_numbers(void)
{
	struct dirent *de;
	DIR *d;
	int blk = 0;

	CHECK(is_blk("/dev/vda", 254, 0));
	CHECK(is_blk("/dev/vda1", 254, 1));
	CHECK(is_blk("/dev/vda2", 254, 2));
	CHECK(is_blk("/dev/vdb", 254, 16));
	d = opendir("/dev");
	CHECK(d != NULL);
	while (d && (de = readdir(d)))
		if (!strcmp(de->d_name, "vda"))
			blk = de->d_type == DT_BLK;
	if (d)
		closedir(d);
	CHECK(blk);
}

static uint64_t sector_tag(int fd, uint64_t sector)
{
	uint64_t v = ~0ULL;

	if (pread(fd, &v, sizeof(v), (off_t)(sector * 512)) != sizeof(v))
		return ~0ULL;
	return v;
}

static void read_sizes_seek(void)
{
	int fd = open("/dev/vda", O_RDONLY), p1 = open("/dev/vda1", O_RDONLY);
	uint64_t size = 0;
	unsigned char b[4];
	long sectors = 0;
	int ssz = 0;

	CHECK(fd >= 0 && p1 >= 0);
	CHECK(ioctl(fd, BLKGETSIZE64, &size) == 0 && size == 16384 * 512ULL);
	CHECK(ioctl(p1, BLKGETSIZE, &sectors) == 0 && sectors == 4096);
	CHECK(ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz == 512);
	CHECK(lseek(fd, 0, SEEK_END) == 16384 * 512L);
	CHECK(sector_tag(fd, 5) == 5 && sector_tag(fd, 16383) == 16383);
	CHECK(sector_tag(p1, 0) == 2048 && sector_tag(p1, 4095) == 6143);
	/* not sector-aligned: bytes 1..4 of sector 0x0102's little-endian tag */
	CHECK(pread(fd, b, 4, 0x102 * 512 + 1) == 4 && b[0] == 1 && b[1] == 0);
	/* at the end: nothing to read; a partition ends where its size says */
	CHECK(pread(p1, b, 4, 4096 * 512) == 0);
	CHECK(pread(p1, b, 4, 4096 * 512 - 2) == 2);
	/* read() moves the position */
	CHECK(lseek(fd, 7 * 512, SEEK_SET) == 7 * 512);
	CHECK(read(fd, &size, 8) == 8 && size == 7);
	CHECK(lseek(fd, 0, SEEK_CUR) == 7 * 512 + 8);
	close(fd);
	close(p1);
}

static void write_and_flush(void)
{
	int fd = open("/dev/vda2", O_RDWR);
	char buf[16] = "";

	CHECK(fd >= 0);
	/* "hello, " ends sector 1, "disk" starts sector 2: the rest of both stays */
	CHECK(pwrite(fd, "hello, disk", 11, 512 + 505) == 11);
	CHECK(pread(fd, buf, 11, 512 + 505) == 11 && !memcmp(buf, "hello, disk", 11));
	CHECK(sector_tag(fd, 1) == 6145 && sector_tag(fd, 3) == 6147);
	CHECK(pread(fd, buf, 8, 1024) == 8 && !memcmp(buf, "disk\0\0\0\0", 8));
	CHECK(fsync(fd) == 0);
	errno = 0;
	CHECK(pwrite(fd, "x", 1, 8192 * 512L) == -1 && errno == ENOSPC);
	close(fd);
	/* the same bytes through the whole disk */
	fd = open("/dev/vda", O_RDONLY);
	CHECK(fd >= 0 && pread(fd, buf, 11, (6144 + 1) * 512L + 505) == 11 &&
	      !memcmp(buf, "hello, disk", 11));
	close(fd);
}

static void read_only_disk(void)
{
	int fd = open("/dev/vdb", O_RDWR);
	uint64_t v = 0;

	CHECK(fd >= 0);
	errno = 0;
	CHECK(pwrite(fd, &v, 8, 512) == -1 && errno == EPERM);
	CHECK(sector_tag(fd, 1) == 1);
	close(fd);
}

static void no_device_is_enxio(void)
{
	errno = 0;
	CHECK(mknod("/tmp/blk-none", S_IFBLK | 0600, makedev(254, 200)) == 0);
	CHECK(open("/tmp/blk-none", O_RDONLY) == -1 && errno == ENXIO);
	CHECK(unlink("/tmp/blk-none") == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(nodes_and_numbers),
	UTEST_CASE(read_sizes_seek),
	UTEST_CASE(write_and_flush),
	UTEST_CASE(read_only_disk),
	UTEST_CASE(no_device_is_enxio),
};

int main(void)
{
	struct stat st;
	int i;

	/* Partitions are read by a kernel thread after boot, as udev settles on Linux. */
	for (i = 0; i < 500 && (stat("/dev/vda2", &st) || stat("/dev/vdb", &st)); i++)
		usleep(10000);
	return UTEST_RUN("blockdev", cases);
}
