/* SPDX-License-Identifier: BSD-2-Clause */
/* What the block and buffer cache tests share: the runner's disks and a thread to do I/O in. */
#ifndef KTEST_BLOCK_TEST_H
#define KTEST_BLOCK_TEST_H

#include <hartix/ktest.h>
#include <hartix/types.h>

/*
 * The runner's disk images (tools/testing/run_tests.py, block_disk_image):
 * every sector but the MBR starts with its own number (u64), partition 1
 * covers sectors 2048..6143 and partition 2 6144..14335 of 16384.
 */
#define DISK_SECTORS 16384
#define P2_START 6144

/* Runs fn(t) in a kernel thread once the disks are scanned; skips t without vda and vdb. */
void blk_test_in_thread(struct ktest *t, void (*fn)(struct ktest *t));
/* buf starts with the number of sector, as the runner wrote it. */
bool blk_test_sector_ok(const u8 *buf, u64 sector);

#endif
