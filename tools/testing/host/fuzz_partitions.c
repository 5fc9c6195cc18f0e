/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: part_parse() on a disk of any size whose first sectors are the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hartix/partitions.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPECT(cond)                      \
	do {                              \
		if (!(cond))              \
			abort();          \
	} while (0)

/*
 * The MBR, the GPT header, and the sectors of PART_MAX entries of up to
 * 512 bytes: reading more means the parser trusted a count it should not.
 */
#define MAX_READS (2 + PART_MAX)

struct fuzz_disk {
	const uint8_t *data;
	size_t size;
	uint64_t sectors;
	int reads;
};

/* Sectors past the input read as zeros; past the disk's end is a finding. */
static int fuzz_read(void *ctx, u64 sector, void *buf)
{
	struct fuzz_disk *d = ctx;
	size_t off;

	EXPECT(sector < d->sectors);
	EXPECT(++d->reads <= MAX_READS);
	memset(buf, 0, 512);
	if (sector < d->size / 512 + 1) {
		off = (size_t)sector * 512;
		if (off < d->size)
			memcpy(buf, d->data + off, d->size - off < 512 ? d->size - off : 512);
	}
	return 0;
}

/*
 * The first 8 bytes are the disk's size in sectors (little-endian, any
 * value, so sizes near 0 and near 2^64 are tried), the rest its first
 * sectors.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_disk d = { 0 };
	struct part_entry parts[PART_MAX];
	uint8_t *buf;
	int n, i, found = 0;

	if (size < 8)
		return 0;
	for (i = 7; i >= 0; i--)
		d.sectors = d.sectors << 8 | data[i];
	d.data = data + 8;
	d.size = size - 8;
	/* A heap buffer of exactly one sector, so ASan sees any overrun. */
	buf = malloc(512);
	EXPECT(buf);
	n = part_parse(fuzz_read, &d, d.sectors, parts, buf);
	free(buf);
	EXPECT(n >= -4095 && n <= PART_MAX);
	if (n < 0)
		return 0;
	for (i = 0; i < PART_MAX; i++) {
		if (!parts[i].nr_sectors)
			continue;
		found++;
		/* Inside the disk, and never over sector 0. */
		EXPECT(parts[i].start > 0 && parts[i].start < d.sectors);
		EXPECT(parts[i].nr_sectors <= d.sectors - parts[i].start);
	}
	EXPECT(found == n);
	return 0;
}
