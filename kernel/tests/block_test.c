/* SPDX-License-Identifier: BSD-2-Clause */
/* Block layer and virtio-blk tests on the disks make test attaches (vda writable, vdb read-only). */
#include <hartix/blkdev.h>
#include <hartix/errno.h>
#include <hartix/ktest.h>
#include <hartix/mm.h>
#include <hartix/random.h>
#include <hartix/sched.h>
#include <hartix/string.h>

#include "block_test.h"

/* The ktest runner is the boot hart's idle task, which must not sleep: I/O runs in a thread. */
struct io_case {
	void (*fn)(struct ktest *t);
	struct ktest *t;
};

static void io_thread(void *arg)
{
	struct io_case *c = arg;

	blk_wait_scanned();
	if (!blk_lookup("vda") || !blk_lookup("vdb"))
		ktest_skip(c->t, "no disks: make test attaches them (ktest run 'block')");
	else
		c->fn(c->t);
}

void blk_test_in_thread(struct ktest *t, void (*fn)(struct ktest *t))
{
	struct io_case c = { fn, t };
	struct task *task;

	task = kthread_run(io_thread, &c, "ktest-blk", -1);
	KT_ASSERT(t, task != NULL);
	task_reap(task);
}

bool blk_test_sector_ok(const u8 *buf, u64 sector)
{
	u64 v;

	memcpy(&v, buf, sizeof(v));
	return v == sector;
}

static void do_read_pattern(struct ktest *t)
{
	struct block_device *vda = blk_lookup("vda");
	/* 64 sectors over 8 pages: one request, many descriptors. */
	u8 *buf = alloc_pages(3, GFP_KERNEL);
	u64 base[] = { 1, 100, DISK_SECTORS - 64 };
	unsigned int i, k;

	KT_ASSERT(t, buf != NULL);
	KT_EXPECT_EQ(t, vda->nr_sectors, DISK_SECTORS);
	for (k = 0; k < ARRAY_SIZE(base); k++) {
		memset(buf, 0xee, 64 * SECTOR_SIZE);
		KT_EXPECT_EQ(t, blk_rw(vda, BIO_READ, base[k], buf, 64), 0);
		for (i = 0; i < 64; i++)
			KT_EXPECT(t, blk_test_sector_ok(buf + i * SECTOR_SIZE, base[k] + i));
	}
	free_pages(buf, 3);
}

static void read_pattern(struct ktest *t)
{
	blk_test_in_thread(t, do_read_pattern);
}

static void do_partitions(struct ktest *t)
{
	struct block_device *p1 = blk_lookup("vda1"), *p2 = blk_lookup("vda2");
	u8 *buf = alloc_page(GFP_KERNEL);

	KT_ASSERT(t, buf != NULL);
	KT_ASSERT(t, p1 && p2);
	KT_EXPECT_EQ(t, p1->start_sector, 2048);
	KT_EXPECT_EQ(t, p1->nr_sectors, 4096);
	KT_EXPECT_EQ(t, p2->start_sector, P2_START);
	KT_EXPECT(t, !blk_lookup("vda3") && !blk_lookup("vda4"));
	KT_EXPECT_EQ(t, blk_rw(p2, BIO_READ, 0, buf, 1), 0);
	KT_EXPECT(t, blk_test_sector_ok(buf, P2_START));
	KT_EXPECT_EQ(t, blk_rw(p2, BIO_READ, p2->nr_sectors - 1, buf, 1), 0);
	KT_EXPECT(t, blk_test_sector_ok(buf, P2_START + p2->nr_sectors - 1));
	/* One past a partition's end, and straddling it, are refused. */
	KT_EXPECT_EQ(t, blk_rw(p1, BIO_READ, p1->nr_sectors, buf, 1), -EINVAL);
	KT_EXPECT_EQ(t, blk_rw(p1, BIO_READ, p1->nr_sectors - 1, buf, 2), -EINVAL);
	KT_EXPECT_EQ(t, blk_rw(p1, BIO_READ, ~0ULL, buf, 1), -EINVAL);
	free_page(buf);
}

static void partitions(struct ktest *t)
{
	blk_test_in_thread(t, do_partitions);
}

static void do_write_read_back(struct ktest *t)
{
	struct block_device *p1 = blk_lookup("vda1");
	u8 *out = alloc_pages(1, GFP_KERNEL), *in = alloc_pages(1, GFP_KERNEL);
	u64 token = get_random_u64();
	unsigned int i;

	KT_ASSERT(t, out && in && p1);
	for (i = 0; i < 2 * PAGE_SIZE; i += 8)
		memcpy(out + i, &(u64){ token + i }, 8);
	/* 15 sectors from an odd sector, so the data does not start a page of the disk. */
	KT_EXPECT_EQ(t, blk_rw(p1, BIO_WRITE, 7, out, 15), 0);
	KT_EXPECT_EQ(t, blk_rw(p1, BIO_FLUSH, 0, NULL, 0), 0);
	memset(in, 0, 2 * PAGE_SIZE);
	KT_EXPECT_EQ(t, blk_rw(p1, BIO_READ, 7, in, 15), 0);
	KT_EXPECT(t, !memcmp(in, out, 15 * SECTOR_SIZE));
	free_pages(out, 1);
	free_pages(in, 1);
}

static void write_read_back(struct ktest *t)
{
	blk_test_in_thread(t, do_write_read_back);
}

#define IN_FLIGHT 64

static int ended;
static struct wait_queue ended_wq = WAIT_QUEUE_INIT;

static void count_end(struct bio *bio)
{
	(void)bio;
	__atomic_fetch_add(&ended, 1, __ATOMIC_RELEASE);
	wake_up(&ended_wq);
}

static bool all_ended(void *arg)
{
	(void)arg;
	return __atomic_load_n(&ended, __ATOMIC_ACQUIRE) == IN_FLIGHT;
}

/* More requests than the queue has room for at once: submitters wait for room. */
static void do_many_in_flight(struct ktest *t)
{
	static struct bio bios[IN_FLIGHT];
	u8 *buf = alloc_pages(4, GFP_KERNEL); /* 64 x 1 KiB */
	struct block_device *vda = blk_lookup("vda");
	unsigned int i;

	KT_ASSERT(t, buf != NULL);
	ended = 0;
	for (i = 0; i < IN_FLIGHT; i++) {
		bios[i] = (struct bio){ .bdev = vda, .op = BIO_READ,
					.sector = P2_START + 100 * i, .buf = buf + i * 1024,
					.len = 1024, .end_io = count_end };
		submit_bio(&bios[i]);
	}
	wait_event(&ended_wq, all_ended, NULL);
	for (i = 0; i < IN_FLIGHT; i++) {
		KT_EXPECT_EQ(t, bios[i].status, 0);
		KT_EXPECT(t, blk_test_sector_ok(buf + i * 1024, P2_START + 100 * i));
		KT_EXPECT(t, blk_test_sector_ok(buf + i * 1024 + SECTOR_SIZE, P2_START + 100 * i + 1));
	}
	free_pages(buf, 4);
}

static void many_in_flight(struct ktest *t)
{
	blk_test_in_thread(t, do_many_in_flight);
}

static void do_read_only_refuses_writes(struct ktest *t)
{
	struct block_device *vdb = blk_lookup("vdb");
	u8 *buf = alloc_page(GFP_KERNEL);

	KT_ASSERT(t, buf != NULL);
	KT_ASSERT(t, vdb != NULL);
	KT_EXPECT(t, vdb->read_only);
	KT_EXPECT_EQ(t, blk_rw(vdb, BIO_READ, 5, buf, 1), 0);
	KT_EXPECT(t, blk_test_sector_ok(buf, 5));
	KT_EXPECT_EQ(t, blk_rw(vdb, BIO_WRITE, 5, buf, 1), -EROFS);
	KT_EXPECT_EQ(t, blk_rw(blk_lookup("vdb1"), BIO_WRITE, 0, buf, 1), -EROFS);
	free_page(buf);
}

static void read_only_refuses_writes(struct ktest *t)
{
	blk_test_in_thread(t, do_read_only_refuses_writes);
}

KTEST_SUITE(block,
	    KTEST_CASE(read_pattern),
	    KTEST_CASE(partitions),
	    KTEST_CASE(write_read_back),
	    KTEST_CASE(many_in_flight),
	    KTEST_CASE(read_only_refuses_writes));
