/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of block/partitions.c: MBR and GPT tables sfdisk writes, made-up, corrupt and random ones. */
#include <hartix/compiler.h> /* before any libc header, as the other tests do */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hartix/errno.h>
#include <hartix/partitions.h>

#include "htest.h"

#define DISK_SECTORS 8192 /* 4 MiB */

struct disk {
	u8 *data;
	u64 sectors;
	int reads;
	u64 bad_sector; /* its reads fail with -EIO; 0: none */
};

static int disk_read(void *ctx, u64 sector, void *buf)
{
	struct disk *d = ctx;

	d->reads++;
	CHECK(sector < d->sectors); /* the parser never reads past the disk's end */
	if (sector >= d->sectors || (d->bad_sector && sector == d->bad_sector))
		return -EIO;
	memcpy(buf, d->data + sector * 512, 512);
	return 0;
}

static int parse(struct disk *d, struct part_entry parts[PART_MAX])
{
	u8 buf[512];

	d->reads = 0;
	return part_parse(disk_read, d, d->sectors, parts, buf);
}

static void put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static void put_le64(u8 *p, u64 v)
{
	put_le32(p, (u32)v);
	put_le32(p + 4, (u32)(v >> 32));
}

static void mbr_entry(u8 *disk, int i, u8 type, u32 start, u32 nr)
{
	u8 *e = disk + 446 + 16 * i;

	e[4] = type;
	put_le32(e + 8, start);
	put_le32(e + 12, nr);
	disk[510] = 0x55;
	disk[511] = 0xaa;
}

/* A protective MBR and a GPT header at LBA 1 with entries at LBA 2. */
static void gpt_header(u8 *disk, u32 entries, u32 entry_size)
{
	mbr_entry(disk, 0, 0xee, 1, DISK_SECTORS - 1);
	memcpy(disk + 512, "EFI PART", 8);
	put_le32(disk + 512 + 12, 92);
	put_le64(disk + 512 + 72, 2);
	put_le32(disk + 512 + 80, entries);
	put_le32(disk + 512 + 84, entry_size);
}

static void gpt_entry(u8 *disk, int i, u64 first, u64 last)
{
	u8 *e = disk + 2 * 512 + 128 * i;

	memset(e, 0x11, 16); /* any non-zero type GUID */
	put_le64(e + 32, first);
	put_le64(e + 40, last);
}

static struct disk new_disk(void)
{
	struct disk d = { calloc(DISK_SECTORS, 512), DISK_SECTORS, 0, 0 };

	return d;
}

static void no_signature_is_a_whole_disk(void)
{
	struct disk d = new_disk();
	struct part_entry p[PART_MAX];

	mbr_entry(d.data, 0, 0x83, 2048, 100);
	d.data[511] = 0;
	CHECK_EQ(parse(&d, p), 0);
	CHECK_EQ(p[0].nr_sectors, 0);
	free(d.data);
}

static void mbr_primaries_and_bad_entries(void)
{
	struct disk d = new_disk();
	struct part_entry p[PART_MAX];

	mbr_entry(d.data, 0, 0x83, 2048, 1000);
	mbr_entry(d.data, 1, 0x05, 4000, 100); /* extended: not a partition */
	mbr_entry(d.data, 2, 0x0c, 5000, DISK_SECTORS); /* past the end */
	mbr_entry(d.data, 3, 0x83, 0, 10); /* covers the MBR */
	CHECK_EQ(parse(&d, p), 1);
	CHECK_EQ(p[0].start, 2048);
	CHECK_EQ(p[0].nr_sectors, 1000);
	CHECK_EQ(p[1].nr_sectors + p[2].nr_sectors + p[3].nr_sectors, 0);
	/* The last sector exactly: fits. */
	mbr_entry(d.data, 2, 0x0c, 5000, DISK_SECTORS - 5000);
	CHECK_EQ(parse(&d, p), 2);
	CHECK_EQ(p[2].nr_sectors, DISK_SECTORS - 5000);
	free(d.data);
}

static void gpt_entries_numbered_by_slot(void)
{
	struct disk d = new_disk();
	struct part_entry p[PART_MAX];

	gpt_header(d.data, 128, 128);
	gpt_entry(d.data, 0, 34, 99);
	gpt_entry(d.data, 5, 100, 199); /* slot 6: vda6 */
	gpt_entry(d.data, 7, 300, 200); /* last before first */
	gpt_entry(d.data, 8, 400, DISK_SECTORS); /* past the end */
	CHECK_EQ(parse(&d, p), 2);
	CHECK_EQ(p[0].start, 34);
	CHECK_EQ(p[0].nr_sectors, 66);
	CHECK_EQ(p[5].start, 100);
	CHECK_EQ(p[5].nr_sectors, 100);
	CHECK_EQ(p[7].nr_sectors + p[8].nr_sectors, 0);
	/* Only the entries that can be partitions are read: PART_MAX of them. */
	CHECK(d.reads <= 2 + (PART_MAX * 128 + 511) / 512);
	free(d.data);
}

static void gpt_malformed_headers(void)
{
	struct disk d = new_disk();
	struct part_entry p[PART_MAX];

	gpt_header(d.data, 128, 100); /* not a power of two */
	CHECK_EQ(parse(&d, p), -EINVAL);
	gpt_header(d.data, 1u << 31, 128); /* a corrupt count */
	CHECK_EQ(parse(&d, p), -EINVAL);
	gpt_header(d.data, 128, 128);
	put_le64(d.data + 512 + 72, DISK_SECTORS); /* entries past the end */
	CHECK_EQ(parse(&d, p), -EINVAL);
	gpt_header(d.data, 128, 128);
	memcpy(d.data + 512, "EFI PARX", 8);
	CHECK_EQ(parse(&d, p), -EINVAL);
	/* A read error is passed on. */
	gpt_header(d.data, 128, 128);
	d.bad_sector = 2;
	CHECK_EQ(parse(&d, p), -EIO);
	free(d.data);
}

/*
 * fuzz_partitions found these: a disk of no sectors had its sector 0 read,
 * and a protective MBR on a one-sector disk had its GPT header read past
 * the end.
 */
static void tiny_disks_are_not_read_past_their_end(void)
{
	struct disk d = new_disk();
	struct part_entry p[PART_MAX];

	gpt_header(d.data, 128, 128);
	d.sectors = 0;
	CHECK_EQ(parse(&d, p), 0);
	CHECK_EQ(d.reads, 0);
	d.sectors = 1;
	CHECK_EQ(parse(&d, p), -EINVAL);
	CHECK_EQ(d.reads, 1);
	free(d.data);
}

/* Random sectors behind valid and random headers: no crash, nothing outside the disk. */
static void random_tables(void)
{
	struct disk d = new_disk();
	struct part_entry p[PART_MAX];
	int round, i;

	srand(12345);
	for (round = 0; round < 20000; round++) {
		for (i = 0; i < 4 * 512; i++)
			d.data[i] = (u8)rand();
		if (round % 3 == 0)
			gpt_header(d.data, (u32)rand() % 300, 128u << (rand() % 3));
		else if (round % 3 == 1)
			mbr_entry(d.data, rand() % 4, (u8)rand(), (u32)rand() % 9000,
				  (u32)rand() % 9000);
		if (parse(&d, p) < 0)
			continue;
		for (i = 0; i < PART_MAX; i++)
			CHECK(!p[i].nr_sectors ||
			      (p[i].start && p[i].start + p[i].nr_sectors <= DISK_SECTORS));
	}
	free(d.data);
}

/* Runs sfdisk on a file: true if it wrote the table. */
static bool sfdisk(const char *path, const char *script)
{
	char cmd[512];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "sfdisk -q %s >/dev/null 2>&1", path);
	f = popen(cmd, "w");
	if (!f)
		return false;
	fputs(script, f);
	return pclose(f) == 0;
}

static void tables_sfdisk_writes(void)
{
	static const char *const scripts[] = {
		"label: dos\nstart=2048, size=2048, type=83\nstart=4096, size=2048, type=c\n",
		"label: gpt\nstart=2048, size=2048\nstart=4096, size=2048\n",
	};
	struct part_entry p[PART_MAX];
	unsigned int k;
	int fd;

	if (system("command -v sfdisk >/dev/null 2>&1")) {
		printf("# sfdisk not installed (Debian package fdisk): skipped\n");
		return;
	}
	for (k = 0; k < ARRAY_SIZE(scripts); k++) {
		char path[] = "/tmp/test_partitions.XXXXXX"; /* mkstemp's template */
		struct disk d = new_disk();

		fd = mkstemp(path);
		CHECK(fd >= 0);
		if (fd < 0) {
			free(d.data);
			return;
		}
		CHECK(ftruncate(fd, DISK_SECTORS * 512) == 0);
		close(fd);
		CHECK(sfdisk(path, scripts[k]));
		fd = open(path, O_RDONLY);
		CHECK(read(fd, d.data, DISK_SECTORS * 512) == DISK_SECTORS * 512);
		close(fd);
		unlink(path);
		CHECK_EQ(parse(&d, p), 2);
		CHECK_EQ(p[0].start, 2048);
		CHECK_EQ(p[0].nr_sectors, 2048);
		CHECK_EQ(p[1].start, 4096);
		CHECK_EQ(p[1].nr_sectors, 2048);
		free(d.data);
	}
}

int main(void)
{
	HTEST_RUN(no_signature_is_a_whole_disk);
	HTEST_RUN(mbr_primaries_and_bad_entries);
	HTEST_RUN(gpt_entries_numbered_by_slot);
	HTEST_RUN(gpt_malformed_headers);
	HTEST_RUN(tiny_disks_are_not_read_past_their_end);
	HTEST_RUN(random_tables);
	HTEST_RUN(tables_sfdisk_writes);
	return htest_done();
}
