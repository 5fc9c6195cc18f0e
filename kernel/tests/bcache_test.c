/* SPDX-License-Identifier: BSD-2-Clause */
/* Buffer cache tests on the runner's disks: hits, sizes, write-back (merged), sync, eviction, concurrent readers. */
#include <hartix/blkdev.h>
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/ktest.h>
#include <hartix/mm.h>
#include <hartix/sched.h>
#include <hartix/string.h>
#include <hartix/timer.h>

#include "block_test.h"

/* Block n of size bytes on vda2 starts with the number of its first sector. */
static bool block_ok(const struct buffer_head *bh)
{
	return blk_test_sector_ok(bh->b_data, P2_START + bh->b_blocknr * (bh->b_size / SECTOR_SIZE));
}

static void do_read_hits(struct ktest *t)
{
	struct block_device *p2 = blk_lookup("vda2");
	struct buffer_head *a, *b, *c;
	struct bcache_stats s0, s1;

	bcache_get_stats(&s0);
	a = bread(p2, 3, 1024);
	KT_ASSERT(t, !IS_ERR(a));
	KT_EXPECT(t, block_ok(a));
	KT_EXPECT(t, blk_test_sector_ok((u8 *)a->b_data + SECTOR_SIZE, P2_START + 7));
	b = bread(p2, 3, 1024);
	KT_EXPECT(t, b == a);
	/* The same bytes at another block size are another buffer. */
	c = bread(p2, 1, 2048);
	KT_EXPECT(t, !IS_ERR(c) && c != a && block_ok(c));
	bcache_get_stats(&s1);
	KT_EXPECT(t, s1.hits >= s0.hits + 1);
	KT_EXPECT(t, s1.misses >= s0.misses + 2);
	brelse(a);
	brelse(b);
	brelse(c);
	brelse(NULL);
}

static void read_hits(struct ktest *t)
{
	blk_test_in_thread(t, do_read_hits);
}

static void do_bad_requests(struct ktest *t)
{
	struct block_device *p2 = blk_lookup("vda2");
	u64 last = p2->nr_sectors / 8 - 1;
	struct buffer_head *bh;

	KT_EXPECT_EQ(t, PTR_ERR(bread(p2, last + 1, 4096)), -EIO);
	KT_EXPECT_EQ(t, PTR_ERR(bread(p2, ~0ULL, 4096)), -EIO);
	KT_EXPECT_EQ(t, PTR_ERR(getblk(p2, 0, 1000)), -EINVAL);
	KT_EXPECT_EQ(t, PTR_ERR(getblk(p2, 0, 256)), -EINVAL);
	KT_EXPECT_EQ(t, PTR_ERR(getblk(p2, 0, 131072)), -EINVAL);
	bh = bread(p2, last, 4096);
	KT_ASSERT(t, !IS_ERR(bh));
	KT_EXPECT(t, block_ok(bh));
	brelse(bh);
}

static void bad_requests(struct ktest *t)
{
	blk_test_in_thread(t, do_bad_requests);
}

/* Fills bh with a marker, writes it with how(), and reads the disk past the cache. */
static void write_and_check(struct ktest *t, u64 block, int (*how)(struct buffer_head *bh))
{
	struct block_device *p2 = blk_lookup("vda2");
	struct buffer_head *bh = getblk(p2, block, 4096);
	u8 *raw = alloc_page(GFP_KERNEL);
	u64 sector = P2_START + block * 8, i;

	KT_ASSERT(t, raw && !IS_ERR(bh));
	for (i = 0; i < 4096 / 8; i++)
		((u64 *)bh->b_data)[i] = 0xb0ca000000000000ULL + block * 4096 + i;
	mark_buffer_dirty(bh);
	KT_EXPECT(t, buffer_dirty(bh) && buffer_uptodate(bh));
	KT_EXPECT_EQ(t, how(bh), 0);
	KT_EXPECT(t, !buffer_dirty(bh));
	KT_EXPECT_EQ(t, blk_rw(blk_lookup("vda"), BIO_READ, sector, raw, 8), 0);
	KT_EXPECT(t, !memcmp(raw, bh->b_data, 4096));
	/* Put the runner's pattern back for the other cases. */
	for (i = 0; i < 8; i++) {
		memset((u8 *)bh->b_data + i * SECTOR_SIZE, 0, SECTOR_SIZE);
		memcpy((u8 *)bh->b_data + i * SECTOR_SIZE, &(u64){ sector + i }, 8);
	}
	mark_buffer_dirty(bh);
	KT_EXPECT_EQ(t, sync_dirty_buffer(bh), 0);
	brelse(bh);
	free_page(raw);
}

static int sync_one(struct buffer_head *bh)
{
	return sync_dirty_buffer(bh);
}

static int sync_partition(struct buffer_head *bh)
{
	return sync_blockdev(bh->b_bdev);
}

/* Syncing the whole disk writes its partitions' buffers too. */
static int sync_disk(struct buffer_head *bh)
{
	return sync_blockdev(bh->b_bdev->disk);
}

/* No sync at all: the writeback thread writes it within its 5 s period. */
static int wait_writeback(struct buffer_head *bh)
{
	int waited;

	for (waited = 0; waited < 12000 && buffer_dirty(bh); waited += 100)
		msleep(100);
	return buffer_dirty(bh) ? -ETIMEDOUT : 0;
}

static void do_write_back(struct ktest *t)
{
	write_and_check(t, 10, sync_one);
	write_and_check(t, 11, sync_partition);
	write_and_check(t, 12, sync_disk);
	write_and_check(t, 13, wait_writeback);
}

static void write_back(struct ktest *t)
{
	blk_test_in_thread(t, do_write_back);
}

#define RUN_BLOCKS 20
#define RUN_FIRST 100

static u64 marker(u64 block, u64 i)
{
	return 0x3e6e000000000000ULL + block * 4096 + i;
}

/*
 * Neighbouring dirty blocks go out in few requests (at most BIO_MAX_SEGS
 * blocks each), a block after a gap in another; every byte lands in its
 * own block on the disk.
 */
static void do_merged_write_back(struct ktest *t)
{
	struct block_device *p2 = blk_lookup("vda2");
	struct buffer_head *bhs[RUN_BLOCKS + 1];
	u8 *raw = alloc_page(GFP_KERNEL);
	struct bcache_stats s0, s1;
	u64 i, b;

	KT_ASSERT(t, raw);
	KT_EXPECT_EQ(t, sync_blockdev(p2), 0);
	for (b = 0; b <= RUN_BLOCKS; b++) {
		/* The last one past a gap of one block. */
		u64 block = RUN_FIRST + b + (b == RUN_BLOCKS);

		bhs[b] = getblk(p2, block, 4096);
		KT_ASSERT(t, !IS_ERR(bhs[b]));
		for (i = 0; i < 4096 / 8; i++)
			((u64 *)bhs[b]->b_data)[i] = marker(block, i);
		mark_buffer_dirty(bhs[b]);
	}
	bcache_get_stats(&s0);
	KT_EXPECT_EQ(t, sync_blockdev(p2), 0);
	bcache_get_stats(&s1);
	/* 2 + 1 requests, or a few more if the writeback thread took some meanwhile; not 21. */
	KT_EXPECT(t, s1.write_requests - s0.write_requests >= 3);
	KT_EXPECT(t, s1.write_requests - s0.write_requests <= 6);
	for (b = 0; b <= RUN_BLOCKS; b++) {
		u64 sector = P2_START + bhs[b]->b_blocknr * 8;

		KT_EXPECT(t, !buffer_dirty(bhs[b]));
		KT_EXPECT_EQ(t, blk_rw(blk_lookup("vda"), BIO_READ, sector, raw, 8), 0);
		KT_EXPECT(t, !memcmp(raw, bhs[b]->b_data, 4096));
		/* The runner's pattern back for the other cases. */
		for (i = 0; i < 8; i++) {
			memset((u8 *)bhs[b]->b_data + i * SECTOR_SIZE, 0, SECTOR_SIZE);
			memcpy((u8 *)bhs[b]->b_data + i * SECTOR_SIZE, &(u64){ sector + i }, 8);
		}
		mark_buffer_dirty(bhs[b]);
	}
	KT_EXPECT_EQ(t, sync_blockdev(p2), 0);
	for (b = 0; b <= RUN_BLOCKS; b++)
		brelse(bhs[b]);
	free_page(raw);
}

static void merged_write_back(struct ktest *t)
{
	blk_test_in_thread(t, do_merged_write_back);
}

/* Reading more than the cap of distinct blocks evicts clean ones and stays under it. */
static void do_eviction(struct ktest *t)
{
	struct block_device *vda = blk_lookup("vda");
	u32 size = 65536;
	u64 n = (u64)CONFIG_BCACHE_MAX_KB * 1024 / size + 8, i, blocks = vda->nr_sectors / (size / SECTOR_SIZE);
	struct bcache_stats s0, s1;

	bcache_get_stats(&s0);
	for (i = 0; i < n; i++) {
		/* Two sizes when the disk is smaller than the cap. */
		struct buffer_head *bh = bread(vda, i % blocks, i < blocks ? size : size / 2);

		KT_ASSERT(t, !IS_ERR(bh));
		KT_EXPECT(t, i % blocks == 0 ||
			  blk_test_sector_ok(bh->b_data, (i % blocks) * (bh->b_size / SECTOR_SIZE)));
		brelse(bh);
	}
	bcache_get_stats(&s1);
	KT_EXPECT(t, s1.evictions > s0.evictions);
	KT_EXPECT(t, s1.bytes <= (u64)CONFIG_BCACHE_MAX_KB * 1024);
	invalidate_bdev(vda);
}

static void eviction(struct ktest *t)
{
	blk_test_in_thread(t, do_eviction);
}

#define READERS 4

static struct buffer_head *seen[READERS][16];
static int readers_done;
static struct wait_queue readers_wq = WAIT_QUEUE_INIT;

static void reader(void *arg)
{
	long id = (long)arg;
	int i;

	for (i = 0; i < 16; i++)
		seen[id][i] = bread(blk_lookup("vda2"), 200 + i, 1024);
	__atomic_fetch_add(&readers_done, 1, __ATOMIC_RELEASE);
	wake_up(&readers_wq);
}

static bool all_read(void *arg)
{
	(void)arg;
	return __atomic_load_n(&readers_done, __ATOMIC_ACQUIRE) == READERS;
}

/* Readers racing for the same uncached blocks share one buffer each, read once. */
static void do_concurrent_readers(struct ktest *t)
{
	long r;
	int i;

	invalidate_bdev(blk_lookup("vda2"));
	readers_done = 0;
	for (r = 0; r < READERS; r++)
		KT_ASSERT(t, kthread_run(reader, (void *)r, "ktest-bh", -1));
	wait_event(&readers_wq, all_read, NULL);
	for (i = 0; i < 16; i++) {
		KT_EXPECT(t, !IS_ERR(seen[0][i]) && block_ok(seen[0][i]));
		for (r = 0; r < READERS; r++) {
			KT_EXPECT(t, seen[r][i] == seen[0][i]);
			brelse(seen[r][i]);
		}
	}
}

static void concurrent_readers(struct ktest *t)
{
	blk_test_in_thread(t, do_concurrent_readers);
}

KTEST_SUITE(block_bcache,
	    KTEST_CASE(read_hits),
	    KTEST_CASE(bad_requests),
	    KTEST_CASE(write_back),
	    KTEST_CASE(merged_write_back),
	    KTEST_CASE(eviction),
	    KTEST_CASE(concurrent_readers));
