// SPDX-License-Identifier: BSD-2-Clause
/* Block device files: /dev/vda, /dev/vda1... read, written and flushed through the block layer. */
#include <hartix/blkdev.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/sprintf.h>
#include <hartix/uaccess.h>
#include <asm/page.h>

#include "internal.h"

/*
 * Numbers as Linux's virtio-blk: block major 254, 16 minors a disk (the
 * disk, then partitions 1..15), disks in the order they registered.
 */
#define VIRTBLK_MAJOR 254
#define PART_BITS 4

struct disk_count {
	struct block_device *disk;
	unsigned int index; /* disks registered before it */
	bool found;
};

static void count_disk(struct block_device *b, void *arg)
{
	struct disk_count *c = arg;

	if (b == c->disk)
		c->found = true;
	else if (b->disk == b && !c->found)
		c->index++;
}

/* bdev's number, or 0 past what 8-bit minors can number. */
static u32 bdev_rdev(struct block_device *bdev)
{
	struct disk_count c = { bdev->disk, 0, false };

	blk_for_each(count_disk, &c);
	if (bdev->partno >= (1U << PART_BITS) || c.index >> (8 - PART_BITS))
		return 0;
	return MKDEV(VIRTBLK_MAJOR, (c.index << PART_BITS) + bdev->partno);
}

struct dev_find {
	u32 rdev;
	struct block_device *found;
};

static void find_dev(struct block_device *b, void *arg)
{
	struct dev_find *d = arg;

	if (!d->found && bdev_rdev(b) == d->rdev)
		d->found = b;
}

struct block_device *bdev_by_rdev(u32 rdev)
{
	struct dev_find d = { rdev, NULL };

	if (rdev)
		blk_for_each(find_dev, &d);
	return d.found;
}

static u64 bdev_size(struct file *f)
{
	struct block_device *bdev = f->private_data;

	return bdev->nr_sectors << SECTOR_SHIFT;
}

/* Linux's blkdev_open: any device node of a registered disk or partition. */
static int blkdev_open(struct file *f)
{
	f->private_data = bdev_by_rdev(f->inode->i_rdev);
	return f->private_data ? 0 : -ENXIO;
}

/*
 * At *ppos or the file's position, through a bounce page (the device
 * needs direct-mapped memory): whole sectors are read, and for a write
 * merged with the user's bytes and written back.
 */
static long blkdev_rw(struct file *f, char *ubuf, size_t n, u64 *ppos,
		      bool write)
{
	struct block_device *bdev = f->private_data;
	u64 size = bdev_size(f), pos;
	char *kbuf;
	size_t done = 0;
	unsigned long irq;
	long err = 0;

	if (write && bdev->read_only)
		return -EPERM; /* as Linux's blkdev_write_iter() */
	kbuf = alloc_page(__GFP_NOWARN);
	if (!kbuf)
		return -ENOMEM;
	irq = fs_lock_irqsave();
	pos = ppos ? *ppos : f->f_pos;
	fs_unlock_irqrestore(irq);
	if (write && pos >= size && n)
		err = -ENOSPC;
	while (!err && done < n && pos < size) {
		size_t off = pos & (SECTOR_SIZE - 1);
		size_t chunk = min(min(n - done, PAGE_SIZE - off), (size_t)(size - pos));
		u32 nsec = (u32)((off + chunk + SECTOR_SIZE - 1) >> SECTOR_SHIFT);
		u64 sector = pos >> SECTOR_SHIFT;

		if (done && fatal_signal_pending(current_task()))
			break;
		if (!write || off || ((off + chunk) & (SECTOR_SIZE - 1)))
			err = blk_rw(bdev, BIO_READ, sector, kbuf, nsec);
		if (!err && write && copy_from_user(kbuf + off, ubuf + done, chunk))
			err = -EFAULT;
		if (!err && write)
			err = blk_rw(bdev, BIO_WRITE, sector, kbuf, nsec);
		if (!err && !write && copy_to_user(ubuf + done, kbuf + off, chunk))
			err = -EFAULT;
		if (err)
			break;
		done += chunk;
		pos += chunk;
	}
	free_page(kbuf);
	irq = fs_lock_irqsave();
	*(ppos ? ppos : &f->f_pos) = pos;
	fs_unlock_irqrestore(irq);
	return done ? (long)done : err;
}

static long blkdev_read_at(struct file *f, char *ubuf, size_t n, u64 *ppos)
{
	return blkdev_rw(f, ubuf, n, ppos, false);
}

static long blkdev_write_at(struct file *f, const char *ubuf, size_t n,
			    u64 *ppos)
{
	return blkdev_rw(f, (char *)ubuf, n, ppos, true);
}

static int blkdev_fsync(struct file *f, bool datasync)
{
	struct bio bio = { .bdev = f->private_data, .op = BIO_FLUSH };

	return submit_bio_wait(&bio);
}

#define BLKGETSIZE	0x1260
#define BLKSSZGET	0x1268
#define BLKGETSIZE64	0x80081272

static long blkdev_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	u64 size = bdev_size(f);
	unsigned long sectors = size >> SECTOR_SHIFT;
	int ssz = SECTOR_SIZE;

	switch (cmd) {
	case BLKGETSIZE64:
		return copy_to_user((void *)arg, &size, sizeof(size)) ? -EFAULT : 0;
	case BLKGETSIZE:
		return copy_to_user((void *)arg, &sectors, sizeof(sectors)) ? -EFAULT : 0;
	case BLKSSZGET:
		return copy_to_user((void *)arg, &ssz, sizeof(ssz)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

const struct file_operations blkdev_fops = {
	.open = blkdev_open, .read_at = blkdev_read_at,
	.write_at = blkdev_write_at, .fsync = blkdev_fsync,
	.ioctl = blkdev_ioctl, .size = bdev_size, .seekable = true,
};

/*
 * /dev/<name> for bdev, once the RAM file system is up: fs_init() makes
 * the nodes of the devices there are, blk_add() of later ones (the
 * partition scan threads) each its own; a device both see gets its node
 * twice, which fs_install() allows.
 */
void blkdev_make_node(struct block_device *bdev)
{
	char path[sizeof(bdev->name) + 5];
	u32 rdev = bdev_rdev(bdev);

	/* Pairs with blkdev_make_nodes(): one of the two sees the other. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!rdev || !READ_ONCE(fs_root))
		return;
	snprintf(path, sizeof(path), "/dev/%s", bdev->name);
	fs_install(path, S_IFBLK | 0660, NULL, 0, rdev, 0);
}

static void make_node(struct block_device *bdev, void *arg)
{
	blkdev_make_node(bdev);
}

void blkdev_make_nodes(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	blk_for_each(make_node, NULL);
}
