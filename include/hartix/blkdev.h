/* SPDX-License-Identifier: BSD-2-Clause */
/* Block devices: disks and their partitions, and the requests (bios) that read and write them. */
#ifndef HARTIX_BLKDEV_H
#define HARTIX_BLKDEV_H

#include <hartix/types.h>

#define SECTOR_SHIFT 9
#define SECTOR_SIZE (1U << SECTOR_SHIFT)

enum bio_op {
	BIO_READ,
	BIO_WRITE,
	BIO_FLUSH, /* what was written reaches stable storage */
};

struct block_device;

/* A piece of a bio's data: direct-map memory, a multiple of SECTOR_SIZE. */
struct bio_seg {
	void *buf;
	u32 len;
};

/*
 * The most a bio may carry in segments: what every driver takes in one
 * request (virtio-blk: a descriptor per page, two for a segment that
 * crosses one).
 */
#define BIO_MAX_SEGS 16
#define BIO_MAX_BYTES (64 * 1024)

/*
 * One request: len bytes (a multiple of SECTOR_SIZE, except for FLUSH,
 * which has none) at sector of bdev, to or from buf, which must be in the
 * kernel's direct map (kmalloc or alloc_pages memory: devices see
 * physical addresses); or, with nr_segs, to or from segs[0..nr_segs) one
 * after the other (at most BIO_MAX_SEGS, len their sum and at most
 * BIO_MAX_BYTES: the buffer cache's writeback of neighbouring blocks).
 * end_io runs once, possibly in interrupt context, with status 0 or
 * -errno.
 */
struct bio {
	struct block_device *bdev;
	enum bio_op op;
	u64 sector;
	void *buf;
	const struct bio_seg *segs;
	unsigned int nr_segs;
	u32 len;
	int status;
	void (*end_io)(struct bio *bio);
	void *private; /* end_io's */
	bool waited_done; /* submit_bio_wait()'s */
};

struct block_device_ops {
	/* Starts bio on the whole disk (sector already made absolute). */
	void (*submit)(struct block_device *disk, struct bio *bio);
};

struct block_device {
	char name[16]; /* "vda", "vda1" */
	u64 nr_sectors;
	bool read_only;
	struct block_device *disk; /* the whole disk; itself for a disk */
	u64 start_sector; /* a partition's first sector on its disk */
	unsigned int partno; /* 0 for the disk */
	const struct block_device_ops *ops; /* the disk's driver */
	void *priv; /* the driver's */
	struct block_device *next; /* blk_devices list, under blk_lock */
};

/*
 * Registers a disk its driver filled in (name, nr_sectors, read_only,
 * ops, priv); its partitions are read from it soon after, by a kernel
 * thread, once interrupts run (block/partitions.c).
 */
void blk_register_disk(struct block_device *disk);
/* Starts bio: -EINVAL past the end, -EROFS for a write to a read-only device. */
void submit_bio(struct bio *bio);
/* submit_bio() and sleep until it ended: its status. */
int submit_bio_wait(struct bio *bio);
/* Reads or writes nr sectors with submit_bio_wait(). */
int blk_rw(struct block_device *bdev, enum bio_op op, u64 sector, void *buf, u32 nr);
/* The registered device called name, or NULL. */
struct block_device *blk_lookup(const char *name);
/*
 * Block device files (fs/block_dev.c): their operations, the /dev node
 * of one device (from blk_add(), once the RAM file system is up), and of
 * every device there is (fs_init()).
 */
extern const struct file_operations blkdev_fops;
void blkdev_make_node(struct block_device *bdev);
void blkdev_make_nodes(void);
/* The disk or partition a block device node's i_rdev names, or NULL (mount(2)). */
struct block_device *bdev_by_rdev(u32 rdev);
/* Calls fn for each registered device, disks before their partitions. */
void blk_for_each(void (*fn)(struct block_device *bdev, void *arg), void *arg);
/* Sleeps until every registered disk's partitions were read. */
void blk_wait_scanned(void);

#endif
