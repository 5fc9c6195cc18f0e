/* SPDX-License-Identifier: BSD-2-Clause */
/* Partition tables (MBR and GPT): the parser is freestanding, host-tested and fuzzed. */
#ifndef HARTIX_PARTITIONS_H
#define HARTIX_PARTITIONS_H

#include <hartix/types.h>

/* Linux numbers MBR logical partitions from 5; Hartix reads primaries and GPT. */
#define PART_MAX 16

struct part_entry {
	u64 start, nr_sectors;
};

/*
 * Reads one 512-byte sector into buf: 0, or -errno (the parse stops with
 * it).
 */
typedef int (*part_read_fn)(void *ctx, u64 sector, void *buf);

/*
 * Fills parts[0..PART_MAX) (nr_sectors 0: no partition at that number)
 * from the disk's MBR, or from its GPT when the MBR is protective.
 * Entries past the disk's end or overlapping sector 0 are dropped.
 * Returns the number found, or -errno from read, or -EINVAL for a GPT
 * whose header is malformed. buf is one sector of scratch space.
 */
int part_parse(part_read_fn read, void *ctx, u64 disk_sectors,
	       struct part_entry parts[PART_MAX], void *buf);

#endif
