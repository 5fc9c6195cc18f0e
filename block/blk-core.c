/* SPDX-License-Identifier: BSD-2-Clause */
/* The block layer: registered disks and partitions, bio submission and waiting, the partition scan. */
#include <hartix/blkdev.h>
#include <hartix/errno.h>
#include <hartix/init.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/partitions.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>

/*
 * blk_lock protects the list of devices and unscanned; devices are never
 * unregistered, so a pointer from blk_lookup() stays valid. Disks join
 * from probe (boot hart), partitions from the scan thread.
 */
static DEFINE_SPINLOCK(blk_lock);
static struct block_device *blk_devices, **blk_tail = &blk_devices;
static int unscanned; /* disks whose partitions are not read yet */
static struct wait_queue scanned_wq = WAIT_QUEUE_INIT;

static void blk_add(struct block_device *bdev)
{
	unsigned long flags = spin_lock_irqsave(&blk_lock);

	bdev->next = NULL;
	/* Published last: blk_for_each() walks without the lock. */
	__atomic_store_n(blk_tail, bdev, __ATOMIC_RELEASE);
	blk_tail = &bdev->next;
	spin_unlock_irqrestore(&blk_lock, flags);
	blkdev_make_node(bdev);
}

void submit_bio(struct bio *bio)
{
	struct block_device *bdev = bio->bdev;
	u64 nr = bio->len >> SECTOR_SHIFT;

	if (bio->op != BIO_FLUSH &&
	    ((bio->len & (SECTOR_SIZE - 1)) || !bio->len || bio->sector > bdev->nr_sectors ||
	     nr > bdev->nr_sectors - bio->sector ||
	     (bio->nr_segs && (bio->nr_segs > BIO_MAX_SEGS || bio->len > BIO_MAX_BYTES)))) {
		bio->status = -EINVAL;
		bio->end_io(bio);
		return;
	}
	if (bio->op == BIO_WRITE && bdev->read_only) {
		bio->status = -EROFS;
		bio->end_io(bio);
		return;
	}
	bio->sector += bdev->start_sector;
	bdev->disk->ops->submit(bdev->disk, bio);
}

/*
 * Waiters for bios sleep on a queue hashed from the bio's address, not on
 * one in the bio: the completion may still be in wake_up() after the
 * waiter saw its bio done and returned, and these queues never go away.
 */
#define BIO_WAIT_QUEUES 16
static struct wait_queue bio_wqs[BIO_WAIT_QUEUES];

static struct wait_queue *bio_wq(const struct bio *bio)
{
	return &bio_wqs[((unsigned long)bio / sizeof(*bio)) % BIO_WAIT_QUEUES];
}

static void bio_wake(struct bio *bio)
{
	struct wait_queue *wq = bio_wq(bio);

	/* The last touch of bio: the waiter may return once it sees this. */
	__atomic_store_n(&bio->waited_done, true, __ATOMIC_RELEASE);
	wake_up(wq);
}

static bool bio_done(void *arg)
{
	return __atomic_load_n(&((struct bio *)arg)->waited_done, __ATOMIC_ACQUIRE);
}

int submit_bio_wait(struct bio *bio)
{
	bio->waited_done = false;
	bio->end_io = bio_wake;
	submit_bio(bio);
	wait_event(bio_wq(bio), bio_done, bio);
	return bio->status;
}

int blk_rw(struct block_device *bdev, enum bio_op op, u64 sector, void *buf, u32 nr)
{
	struct bio bio = {
		.bdev = bdev, .op = op, .sector = sector, .buf = buf,
		.len = nr << SECTOR_SHIFT,
	};

	return submit_bio_wait(&bio);
}

struct block_device *blk_lookup(const char *name)
{
	unsigned long flags = spin_lock_irqsave(&blk_lock);
	struct block_device *b;

	for (b = blk_devices; b; b = b->next)
		if (!strcmp(b->name, name))
			break;
	spin_unlock_irqrestore(&blk_lock, flags);
	return b;
}

void blk_for_each(void (*fn)(struct block_device *bdev, void *arg), void *arg)
{
	struct block_device *b;
	unsigned long flags = spin_lock_irqsave(&blk_lock);

	b = blk_devices;
	spin_unlock_irqrestore(&blk_lock, flags);
	/* Entries are only appended, never removed: walk without the lock. */
	for (; b; b = __atomic_load_n(&b->next, __ATOMIC_ACQUIRE))
		fn(b, arg);
}

static bool all_scanned(void *arg)
{
	(void)arg;
	return !__atomic_load_n(&unscanned, __ATOMIC_ACQUIRE);
}

void blk_wait_scanned(void)
{
	wait_event(&scanned_wq, all_scanned, NULL);
}

static int blk_read_sector(void *ctx, u64 sector, void *buf)
{
	return blk_rw(ctx, BIO_READ, sector, buf, 1);
}

/* Reads disk's partition table and registers vdaN for each entry. */
static void blk_scan_thread(void *arg)
{
	struct block_device *disk = arg;
	struct part_entry parts[PART_MAX];
	void *buf = kmalloc(SECTOR_SIZE, GFP_KERNEL);
	int i, n;

	n = buf ? part_parse(blk_read_sector, disk, disk->nr_sectors, parts, buf) :
			 -ENOMEM;

	if (n < 0)
		pr_warn("%s: partition table unreadable: error %d\n", disk->name, n);
	for (i = 0; n > 0 && i < PART_MAX; i++) {
		struct block_device *p;

		if (!parts[i].nr_sectors)
			continue;
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		if (!p)
			break;
		snprintf(p->name, sizeof(p->name), "%s%d", disk->name, i + 1);
		p->nr_sectors = parts[i].nr_sectors;
		p->start_sector = parts[i].start;
		p->read_only = disk->read_only;
		p->disk = disk;
		p->partno = (unsigned int)i + 1;
		blk_add(p);
		pr_info("%s: %llu sectors from %llu\n", p->name,
			(unsigned long long)p->nr_sectors, (unsigned long long)p->start_sector);
	}
	kfree(buf);
	__atomic_fetch_sub(&unscanned, 1, __ATOMIC_RELEASE);
	wake_up(&scanned_wq);
}

void blk_register_disk(struct block_device *disk)
{
	disk->disk = disk;
	disk->start_sector = 0;
	disk->partno = 0;
	__atomic_fetch_add(&unscanned, 1, __ATOMIC_RELAXED);
	blk_add(disk);
}

static void blk_scan_disk(struct block_device *b, void *arg)
{
	(void)arg;
	if (b->disk != b)
		return;
	if (!kthread_run(blk_scan_thread, b, "blkscan", -1)) {
		pr_warn("%s: no thread to read its partition table\n", b->name);
		__atomic_fetch_sub(&unscanned, 1, __ATOMIC_RELEASE);
	}
}

/*
 * Reading needs interrupts and a scheduler, which boot starts after
 * probing. The scan threads add partitions while this walks the list.
 */
static void blk_scan_disks(void)
{
	blk_for_each(blk_scan_disk, NULL);
}
late_initcall(blk_scan_disks);
