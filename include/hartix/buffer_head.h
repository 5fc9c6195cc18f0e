/* SPDX-License-Identifier: BSD-2-Clause */
/* The buffer cache (block/bcache.c): disk blocks cached by (device, block number, size). */
#ifndef HARTIX_BUFFER_HEAD_H
#define HARTIX_BUFFER_HEAD_H

#include <hartix/blkdev.h>
#include <hartix/list.h>
#include <hartix/types.h>

/* b_state bits, changed with atomic operations. */
#define BH_Uptodate 0 /* b_data holds the block's contents */
#define BH_Dirty 1 /* b_data is newer than the disk */
#define BH_Lock 2 /* lock_buffer() held: I/O or a caller's exclusive use */

struct buffer_head {
	struct block_device *b_bdev;
	u64 b_blocknr; /* in b_size units */
	u32 b_size;
	void *b_data; /* b_size bytes, direct-mapped */
	unsigned long b_state;
	/* bcache_lock: */
	unsigned int b_count; /* references: not evicted while nonzero */
	struct buffer_head *b_hash_next;
	struct list_head b_lru; /* in the cache's, least recently used first */
	struct bio b_bio; /* breadahead()'s request, while BH_Lock is held */
};

/*
 * The buffer of block (size bytes; size a power of two from 512 to 64 KiB)
 * of bdev, read if it is not up to date: a reference, or ERR_PTR(-EIO)
 * (read error or past the device's end), ERR_PTR(-ENOMEM), ERR_PTR(-EINVAL)
 * for a bad size.
 */
struct buffer_head *bread(struct block_device *bdev, u64 block, u32 size);
/* The same without reading: for a block about to be overwritten whole (then set_buffer_uptodate()). */
struct buffer_head *getblk(struct block_device *bdev, u64 block, u32 size);
/* Reads a buffer getblk() returned unless it is up to date: 0 or -EIO. */
int bh_read(struct buffer_head *bh);
/* Starts reading block unless it is cached or busy, without waiting: a later bread() finds it. */
void breadahead(struct block_device *bdev, u64 block, u32 size);
/* The contract's names: block of sb's device at its block size. */
#define sb_bread(sb, block) bread((sb)->s_bdev, (block), (sb)->s_blocksize)
#define sb_getblk(sb, block) getblk((sb)->s_bdev, (block), (sb)->s_blocksize)
/* Drops a reference; NULL and error pointers are ignored. */
void brelse(struct buffer_head *bh);
/*
 * brelse() for a buffer whose data the caller copied into the page
 * cache: freed at once if clean and unused, so file data is not cached
 * twice.
 */
void bforget_clean(struct buffer_head *bh);
void mark_buffer_dirty(struct buffer_head *bh);
void set_buffer_uptodate(struct buffer_head *bh);
/* Writes bh now if dirty: 0 or -EIO. */
int sync_dirty_buffer(struct buffer_head *bh);
/* Writes every dirty buffer of bdev (a disk or a partition), then flushes the disk's write cache. */
int sync_blockdev(struct block_device *bdev);
/* Drops bdev's unreferenced clean buffers (block size changes, unmount). */
void invalidate_bdev(struct block_device *bdev);
/* A sleeping lock on the buffer: held during its I/O. */
void lock_buffer(struct buffer_head *bh);
void unlock_buffer(struct buffer_head *bh);

static inline bool buffer_dirty(const struct buffer_head *bh)
{
	return __atomic_load_n(&bh->b_state, __ATOMIC_ACQUIRE) & (1UL << BH_Dirty);
}

static inline bool buffer_uptodate(const struct buffer_head *bh)
{
	return __atomic_load_n(&bh->b_state, __ATOMIC_ACQUIRE) & (1UL << BH_Uptodate);
}

/*
 * A mounted file system's hook, run by the writeback thread before each
 * periodic write of the dirty buffers: it writes its dirty inodes (and
 * whatever else it keeps outside buffers) into buffers. It may sleep.
 */
struct bcache_flusher {
	void (*flush)(struct bcache_flusher *f);
	struct bcache_flusher *next;
};
void bcache_add_flusher(struct bcache_flusher *f);
/* Returns once f is off the list and not running. */
void bcache_remove_flusher(struct bcache_flusher *f);

/* What the cache holds now, for tests and /proc. */
struct bcache_stats {
	u64 buffers, bytes, dirty;
	u64 hits, misses, evictions, writebacks;
	u64 write_requests; /* writebacks counts buffers, this the requests that carried them */
};
void bcache_get_stats(struct bcache_stats *st);
/* Asks the writeback thread to write the dirty buffers now, not in up to 5 s. */
void bcache_kick_writeback(void);

#endif
