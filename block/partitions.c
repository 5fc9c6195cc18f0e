/* SPDX-License-Identifier: BSD-2-Clause */
/* Partition tables: the MBR's four primary entries, or a GPT behind a protective MBR. */
#include <hartix/errno.h>
#include <hartix/partitions.h>
#include <hartix/string.h>

#define MBR_SIGNATURE_OFF 510
#define MBR_TABLE_OFF 446
#define MBR_TYPE_EMPTY 0x00
#define MBR_TYPE_EXTENDED 0x05
#define MBR_TYPE_EXTENDED_LBA 0x0f
#define MBR_TYPE_LINUX_EXTENDED 0x85
#define MBR_TYPE_GPT 0xee

#define GPT_SIGNATURE "EFI PART"
#define GPT_HEADER_MIN 92
/* More entries than this are refused: a corrupt count must not read a whole disk. */
#define GPT_MAX_ENTRIES 1024

/* Fields are little-endian and may be unaligned. */
static u32 get_le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 get_le64(const u8 *p)
{
	return get_le32(p) | (u64)get_le32(p + 4) << 32;
}

static bool part_fits(u64 start, u64 nr, u64 disk_sectors)
{
	return start && nr && start < disk_sectors && nr <= disk_sectors - start;
}

static int gpt_parse(part_read_fn read, void *ctx, u64 disk_sectors,
		     struct part_entry parts[PART_MAX], u8 *buf)
{
	u32 entries, entry_size, i, per_sector;
	u64 lba = 0;
	int err, found = 0;

	if (disk_sectors < 2) /* no room for the header the MBR promises */
		return -EINVAL;
	err = read(ctx, 1, buf);
	if (err)
		return err;
	if (memcmp(buf, GPT_SIGNATURE, 8) || get_le32(buf + 12) < GPT_HEADER_MIN)
		return -EINVAL;
	lba = get_le64(buf + 72);
	entries = get_le32(buf + 80);
	entry_size = get_le32(buf + 84);
	/* Entries are 128 << n bytes (UEFI 2.10, 5.3.2) and must tile a sector. */
	if (entry_size < 128 || entry_size > 512 || (entry_size & (entry_size - 1)) ||
	    entries > GPT_MAX_ENTRIES || lba < 2 || lba >= disk_sectors)
		return -EINVAL;
	per_sector = 512 / entry_size;
	for (i = 0; i < entries && i < PART_MAX; i++) {
		const u8 *e;

		if (i % per_sector == 0) {
			if (lba + i / per_sector >= disk_sectors)
				return -EINVAL;
			err = read(ctx, lba + i / per_sector, buf);
			if (err)
				return err;
		}
		e = buf + (i % per_sector) * entry_size;
		/* An all-zero type GUID marks an unused entry. */
		if (!get_le64(e) && !get_le64(e + 8))
			continue;
		{
			u64 first = get_le64(e + 32), last = get_le64(e + 40);

			if (last < first || !part_fits(first, last - first + 1, disk_sectors))
				continue;
			parts[i] = (struct part_entry){ first, last - first + 1 };
			found++;
		}
	}
	return found;
}

int part_parse(part_read_fn read, void *ctx, u64 disk_sectors,
	       struct part_entry parts[PART_MAX], void *scratch)
{
	u8 *buf = scratch;
	int i, err, found = 0;

	memset(parts, 0, PART_MAX * sizeof(*parts));
	if (!disk_sectors) /* an empty disk: nothing to read, no table */
		return 0;
	err = read(ctx, 0, buf);
	if (err)
		return err;
	if (buf[MBR_SIGNATURE_OFF] != 0x55 || buf[MBR_SIGNATURE_OFF + 1] != 0xaa)
		return 0; /* no table: the disk is used whole */
	for (i = 0; i < 4; i++) {
		const u8 *e = buf + MBR_TABLE_OFF + 16 * i;

		if (e[4] == MBR_TYPE_GPT)
			return gpt_parse(read, ctx, disk_sectors, parts, buf);
	}
	for (i = 0; i < 4; i++) {
		const u8 *e = buf + MBR_TABLE_OFF + 16 * i;
		u64 start = get_le32(e + 8), nr = get_le32(e + 12);

		if (e[4] == MBR_TYPE_EMPTY || e[4] == MBR_TYPE_EXTENDED ||
		    e[4] == MBR_TYPE_EXTENDED_LBA || e[4] == MBR_TYPE_LINUX_EXTENDED)
			continue;
		if (!part_fits(start, nr, disk_sectors))
			continue;
		parts[i] = (struct part_entry){ start, nr };
		found++;
	}
	return found;
}
