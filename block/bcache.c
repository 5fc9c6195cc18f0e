/* SPDX-License-Identifier: BSD-2-Clause */
/* The buffer cache: disk blocks cached by (device, block, size), LRU eviction and periodic writeback. */
#include <hartix/blkdev.h>
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/mutex.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>
#include <hartix/timer.h>
#include <asm/timex.h>

#define BCACHE_HASH_BITS 10
#define BCACHE_HASH_SIZE (1U << BCACHE_HASH_BITS)
#define BCACHE_MAX_BYTES ((u64)CONFIG_BCACHE_MAX_KB * 1024)
#define WRITEBACK_INTERVAL_MS 5000
#define WRITEBACK_BATCH 64
#define EVICT_SKIPS 64

/*
 * bcache_lock protects the hash chains, the LRU list (least recently used
 * first; every cached buffer is on it), each buffer's b_count and the
 * totals. It is never held across I/O or an allocation; interrupts are
 * masked under it, since readahead completions drop their references
 * in interrupt context. A buffer's contents are protected by its
 * lock_buffer() bit while it is read or written, and otherwise by the
 * file system using it; b_state bits change atomically.
 */
static DEFINE_SPINLOCK(bcache_lock);
static struct buffer_head *hash_table[BCACHE_HASH_SIZE];
static LIST_HEAD(lru_list); /* every buffer, least recently used first */
static struct bcache_stats stats;

/* lock_buffer() sleepers wait on a queue hashed from the buffer, like bio waiters. */
#define BH_WAIT_QUEUES 16
static struct wait_queue bh_wqs[BH_WAIT_QUEUES];

/* The writeback thread sleeps here; writeback_kick asks it to run before its 5 s are up. */
static struct wait_queue writeback_wq = WAIT_QUEUE_INIT;
static bool writeback_kick;

/*
 * flusher_lock (a mutex) protects the list of flushers and is held while
 * they run, so bcache_remove_flusher() returns only once its flusher is
 * not running.
 */
static DEFINE_MUTEX(flusher_lock);
static void writeback_start(void);
static struct bcache_flusher *flushers;

void bcache_add_flusher(struct bcache_flusher *f)
{
	mutex_lock(&flusher_lock);
	f->next = flushers;
	__atomic_store_n(&flushers, f, __ATOMIC_RELEASE);
	mutex_unlock(&flusher_lock);
	writeback_start();
	wake_up(&writeback_wq);
}

void bcache_remove_flusher(struct bcache_flusher *f)
{
	struct bcache_flusher **p;

	mutex_lock(&flusher_lock);
	for (p = &flushers; *p; p = &(*p)->next)
		if (*p == f) {
			__atomic_store_n(p, f->next, __ATOMIC_RELEASE);
			break;
		}
	mutex_unlock(&flusher_lock);
}

static void run_flushers(void)
{
	struct bcache_flusher *f;

	mutex_lock(&flusher_lock);
	for (f = flushers; f; f = f->next)
		f->flush(f);
	mutex_unlock(&flusher_lock);
}

static struct wait_queue *bh_wq(const struct buffer_head *bh)
{
	return &bh_wqs[((unsigned long)bh / sizeof(*bh)) % BH_WAIT_QUEUES];
}

static unsigned int hash_of(const struct block_device *bdev, u64 block, u32 size)
{
	u64 h = (u64)(unsigned long)bdev / 64 + block * 0x9e3779b97f4a7c15ULL + size;

	return (unsigned int)((h ^ (h >> 29)) * 0x9e3779b97f4a7c15ULL >> (64 - BCACHE_HASH_BITS));
}

static bool test_and_set_bit(int nr, unsigned long *word)
{
	return __atomic_fetch_or(word, 1UL << nr, __ATOMIC_ACQ_REL) & (1UL << nr);
}

static bool test_and_clear_bit(int nr, unsigned long *word)
{
	return __atomic_fetch_and(word, ~(1UL << nr), __ATOMIC_ACQ_REL) & (1UL << nr);
}

static bool try_lock_buffer(void *arg)
{
	return !test_and_set_bit(BH_Lock, &((struct buffer_head *)arg)->b_state);
}

void lock_buffer(struct buffer_head *bh)
{
	wait_event(bh_wq(bh), try_lock_buffer, bh);
}

void unlock_buffer(struct buffer_head *bh)
{
	test_and_clear_bit(BH_Lock, &bh->b_state);
	wake_up(bh_wq(bh));
}

void set_buffer_uptodate(struct buffer_head *bh)
{
	__atomic_fetch_or(&bh->b_state, 1UL << BH_Uptodate, __ATOMIC_RELEASE);
}

void mark_buffer_dirty(struct buffer_head *bh)
{
	set_buffer_uptodate(bh);
	/* The first dirty buffer wakes the writeback thread, which sleeps while there are none. */
	if (!test_and_set_bit(BH_Dirty, &bh->b_state) &&
	    !__atomic_fetch_add(&stats.dirty, 1, __ATOMIC_RELAXED)) {
		writeback_start();
		wake_up(&writeback_wq);
	}
}

/* bcache_lock held. */
static struct buffer_head *hash_find(struct block_device *bdev, u64 block, u32 size)
{
	struct buffer_head *bh;

	for (bh = hash_table[hash_of(bdev, block, size)]; bh; bh = bh->b_hash_next)
		if (bh->b_bdev == bdev && bh->b_blocknr == block && bh->b_size == size)
			return bh;
	return NULL;
}

/* bcache_lock held; bh unreferenced: takes it out of the cache. */
static void bh_unhash(struct buffer_head *bh)
{
	struct buffer_head **p = &hash_table[hash_of(bh->b_bdev, bh->b_blocknr, bh->b_size)];

	while (*p != bh)
		p = &(*p)->b_hash_next;
	*p = bh->b_hash_next;
	list_del(&bh->b_lru);
	stats.buffers--;
	stats.bytes -= bh->b_size;
}

static void bh_free_list(struct buffer_head *list)
{
	while (list) {
		struct buffer_head *next = list->b_hash_next;

		kfree(list->b_data);
		kfree(list);
		list = next;
	}
}

static bool bh_evictable(const struct buffer_head *bh)
{
	return !bh->b_count && !(bh->b_state & ((1UL << BH_Dirty) | (1UL << BH_Lock)));
}

/*
 * bcache_lock held: unhashes clean unreferenced buffers, least recently
 * used first, while the cache is over its cap (or all of bdev's when bdev
 * is set); returns them chained by b_hash_next for freeing after unlock.
 * Over the cap, a dirty or busy buffer met on the way goes to the tail,
 * at most EVICT_SKIPS of them a call: a cache full of dirty buffers (a
 * big write) is not walked whole at every new buffer.
 */
static struct buffer_head *evict_locked(struct block_device *bdev)
{
	struct buffer_head *bh, *next, *freed = NULL;
	unsigned int skips = EVICT_SKIPS;

	list_for_each_entry_safe(bh, next, &lru_list, b_lru) {
		if (!bdev && stats.bytes <= BCACHE_MAX_BYTES)
			break;
		if (bdev && (bh->b_bdev != bdev || !bh_evictable(bh)))
			continue;
		if (!bdev && !bh_evictable(bh)) {
			if (!skips--)
				break;
			list_move_tail(&bh->b_lru, &lru_list);
			continue;
		}
		bh_unhash(bh);
		stats.evictions++;
		bh->b_hash_next = freed;
		freed = bh;
	}
	return freed;
}

static void evict_if_over_cap(void)
{
	struct buffer_head *freed;
	unsigned long flags;
	bool over;

	flags = spin_lock_irqsave(&bcache_lock);
	freed = evict_locked(NULL);
	over = stats.bytes > BCACHE_MAX_BYTES;
	spin_unlock_irqrestore(&bcache_lock, flags);
	bh_free_list(freed);
	/* Only dirty or busy buffers left: writing some back makes them evictable. */
	if (over)
		bcache_kick_writeback();
}

void bcache_kick_writeback(void)
{
	__atomic_store_n(&writeback_kick, true, __ATOMIC_RELEASE);
	wake_up(&writeback_wq);
}

void invalidate_bdev(struct block_device *bdev)
{
	struct buffer_head *freed;
	unsigned long flags;

	flags = spin_lock_irqsave(&bcache_lock);
	freed = evict_locked(bdev);
	spin_unlock_irqrestore(&bcache_lock, flags);
	bh_free_list(freed);
}

static bool valid_size(u32 size)
{
	return size >= SECTOR_SIZE && size <= 65536 && !(size & (size - 1));
}

/* A hit: one more user, and the buffer is the most recently used. Under bcache_lock. */
static void take_cached(struct buffer_head *bh)
{
	bh->b_count++;
	list_move_tail(&bh->b_lru, &lru_list);
	stats.hits++;
}

struct buffer_head *getblk(struct block_device *bdev, u64 block, u32 size)
{
	struct buffer_head *bh, *new;
	u64 sectors = size >> SECTOR_SHIFT;
	unsigned long flags;

	if (!valid_size(size))
		return ERR_PTR(-EINVAL);
	if (block >= bdev->nr_sectors / sectors)
		return ERR_PTR(-EIO);
	flags = spin_lock_irqsave(&bcache_lock);
	bh = hash_find(bdev, block, size);
	if (bh) {
		take_cached(bh);
		spin_unlock_irqrestore(&bcache_lock, flags);
		return bh;
	}
	spin_unlock_irqrestore(&bcache_lock, flags);

	/* Room first: clean buffers over the cap go before a new one is allocated. */
	evict_if_over_cap();
	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (new)
		new->b_data = kmalloc(size, GFP_KERNEL);
	if (!new || !new->b_data) {
		kfree(new);
		return ERR_PTR(-ENOMEM);
	}
	new->b_bdev = bdev;
	new->b_blocknr = block;
	new->b_size = size;
	new->b_count = 1;

	flags = spin_lock_irqsave(&bcache_lock);
	/* Someone may have added it while we allocated. */
	bh = hash_find(bdev, block, size);
	if (bh) {
		take_cached(bh);
	} else {
		unsigned int h = hash_of(bdev, block, size);

		new->b_hash_next = hash_table[h];
		hash_table[h] = new;
		list_add_tail(&new->b_lru, &lru_list);
		stats.buffers++;
		stats.bytes += size;
		stats.misses++;
	}
	spin_unlock_irqrestore(&bcache_lock, flags);
	if (bh) {
		kfree(new->b_data);
		kfree(new);
		return bh;
	}
	return new;
}

int bh_read(struct buffer_head *bh)
{
	int err = 0;

	if (buffer_uptodate(bh))
		return 0;
	lock_buffer(bh);
	if (!buffer_uptodate(bh)) {
		err = blk_rw(bh->b_bdev, BIO_READ, bh->b_blocknr * (bh->b_size >> SECTOR_SHIFT),
			     bh->b_data, bh->b_size >> SECTOR_SHIFT);
		if (!err)
			set_buffer_uptodate(bh);
	}
	unlock_buffer(bh);
	return err ? -EIO : 0;
}

struct buffer_head *bread(struct block_device *bdev, u64 block, u32 size)
{
	struct buffer_head *bh = getblk(bdev, block, size);

	if (IS_ERR(bh) || !bh_read(bh))
		return bh;
	brelse(bh);
	return ERR_PTR(-EIO);
}

/* Readahead's completion, maybe in interrupt context: the buffer is ready or stays not up to date. */
static void readahead_end(struct bio *bio)
{
	struct buffer_head *bh = bio->private;

	if (!bio->status)
		set_buffer_uptodate(bh);
	unlock_buffer(bh);
	brelse(bh);
}

void breadahead(struct block_device *bdev, u64 block, u32 size)
{
	struct buffer_head *bh = getblk(bdev, block, size);

	if (IS_ERR(bh))
		return;
	/* Already there, or being read or written: nothing to start. */
	if (buffer_uptodate(bh) || !try_lock_buffer(bh)) {
		brelse(bh);
		return;
	}
	if (buffer_uptodate(bh)) {
		unlock_buffer(bh);
		brelse(bh);
		return;
	}
	bh->b_bio = (struct bio){
		.bdev = bdev, .op = BIO_READ, .sector = block * (size >> SECTOR_SHIFT),
		.buf = bh->b_data, .len = size, .end_io = readahead_end, .private = bh,
	};
	submit_bio(&bh->b_bio);
}

void brelse(struct buffer_head *bh)
{
	unsigned long flags;

	if (IS_ERR_OR_NULL(bh))
		return;
	flags = spin_lock_irqsave(&bcache_lock);
	BUG_ON(!bh->b_count);
	bh->b_count--;
	spin_unlock_irqrestore(&bcache_lock, flags);
}

void bforget_clean(struct buffer_head *bh)
{
	unsigned long flags = spin_lock_irqsave(&bcache_lock);
	bool drop;

	BUG_ON(!bh->b_count);
	bh->b_count--;
	drop = bh_evictable(bh);
	if (drop)
		bh_unhash(bh);
	spin_unlock_irqrestore(&bcache_lock, flags);
	if (drop) {
		bh->b_hash_next = NULL;
		bh_free_list(bh);
	}
}

/* Locked bh's dirty bit is taken (cleared first: a write into b_data meanwhile dirties it again). */
static bool take_dirty(struct buffer_head *bh)
{
	if (!test_and_clear_bit(BH_Dirty, &bh->b_state))
		return false;
	__atomic_fetch_sub(&stats.dirty, 1, __ATOMIC_RELAXED);
	return true;
}

static void write_error(const struct buffer_head *bh, int err, unsigned int n)
{
	pr_err("bcache: %s: write error %d at block %llu (%u blocks of %u bytes): data lost\n",
	       bh->b_bdev->name, err, (unsigned long long)bh->b_blocknr, n, bh->b_size);
}

/* Writes bh if it is dirty; the caller holds a reference. */
static int write_buffer(struct buffer_head *bh)
{
	int err = 0;

	lock_buffer(bh);
	if (take_dirty(bh)) {
		err = blk_rw(bh->b_bdev, BIO_WRITE, bh->b_blocknr * (bh->b_size >> SECTOR_SHIFT),
			     bh->b_data, bh->b_size >> SECTOR_SHIFT);
		__atomic_fetch_add(&stats.writebacks, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&stats.write_requests, 1, __ATOMIC_RELAXED);
		if (err)
			write_error(bh, err, 1);
	}
	unlock_buffer(bh);
	return err ? -EIO : 0;
}

/*
 * Writeback sends neighbouring dirty blocks of a device as one request
 * (a run: up to BIO_MAX_SEGS buffers, their data as the bio's
 * segments), all the runs of a batch in flight at once; each buffer
 * stays locked until its run ends. The runs of one write_batch() count
 * down in pending, and the last to end wakes it on wb_wq (static: the
 * batch, on the writer's stack, may be gone once pending is 0).
 */
struct wb_batch {
	unsigned long pending; /* atomic: runs in flight, and 1 while submitting */
	int err; /* the first error, atomic */
};

struct wb_run {
	struct bio bio;
	struct bio_seg segs[BIO_MAX_SEGS];
	struct buffer_head *bhs[BIO_MAX_SEGS];
	struct wb_batch *batch;
};

static struct wait_queue wb_wq = WAIT_QUEUE_INIT;

/* A run's completion, maybe in interrupt context. */
static void wb_run_end(struct bio *bio)
{
	struct wb_run *r = container_of(bio, struct wb_run, bio);
	struct wb_batch *b = r->batch;
	unsigned int i;

	if (bio->status) {
		int zero = 0;

		write_error(r->bhs[0], bio->status, bio->nr_segs);
		__atomic_compare_exchange_n(&b->err, &zero, -EIO, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
	}
	for (i = 0; i < bio->nr_segs; i++)
		unlock_buffer(r->bhs[i]);
	kfree(r);
	if (!__atomic_sub_fetch(&b->pending, 1, __ATOMIC_ACQ_REL))
		wake_up(&wb_wq);
}

static void wb_submit(struct wb_run *r, struct wb_batch *b)
{
	struct buffer_head *bh = r->bhs[0];

	r->batch = b;
	r->bio.bdev = bh->b_bdev;
	r->bio.op = BIO_WRITE;
	r->bio.sector = bh->b_blocknr * (bh->b_size >> SECTOR_SHIFT);
	r->bio.segs = r->segs;
	r->bio.end_io = wb_run_end;
	__atomic_fetch_add(&b->pending, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&stats.writebacks, r->bio.nr_segs, __ATOMIC_RELAXED);
	__atomic_fetch_add(&stats.write_requests, 1, __ATOMIC_RELAXED);
	submit_bio(&r->bio);
}

/* Whether bh, after r's last buffer on the same device, can go in r. */
static bool wb_joins(const struct wb_run *r, const struct buffer_head *bh)
{
	const struct buffer_head *last = r ? r->bhs[r->bio.nr_segs - 1] : NULL;

	return last && r->bio.nr_segs < BIO_MAX_SEGS && bh->b_bdev == last->b_bdev &&
	       bh->b_size == last->b_size && bh->b_blocknr == last->b_blocknr + 1 &&
	       r->bio.len + bh->b_size <= BIO_MAX_BYTES;
}

static bool wb_batch_done(void *arg)
{
	return !__atomic_load_n(&((struct wb_batch *)arg)->pending, __ATOMIC_ACQUIRE);
}

static int bh_order(const struct buffer_head *a, const struct buffer_head *b)
{
	if (a->b_bdev != b->b_bdev)
		return (unsigned long)a->b_bdev < (unsigned long)b->b_bdev ? -1 : 1;
	return a->b_blocknr < b->b_blocknr ? -1 : a->b_blocknr > b->b_blocknr;
}

/*
 * Writes the dirty ones of n referenced buffers, sorted by device and
 * block so that neighbours make one run. Only the first buffer of a run
 * is waited for (lock_buffer()); the others join it if their lock is
 * free, so no buffer is waited for while a run not yet sent holds
 * others. Without memory for a run, a buffer is written alone. 0 or
 * -EIO.
 */
static int write_batch(struct buffer_head **bhs, unsigned int n)
{
	struct wb_batch b = { .pending = 1 };
	struct wb_run *r = NULL;
	unsigned int i, j;
	int err = 0;

	for (i = 1; i < n; i++)
		for (j = i; j && bh_order(bhs[j - 1], bhs[j]) > 0; j--) {
			struct buffer_head *t = bhs[j];

			bhs[j] = bhs[j - 1];
			bhs[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		struct buffer_head *bh = bhs[i];

		if (!wb_joins(r, bh) || !try_lock_buffer(bh)) {
			if (r)
				wb_submit(r, &b);
			r = NULL;
			lock_buffer(bh);
		}
		if (!take_dirty(bh)) {
			unlock_buffer(bh);
			continue;
		}
		if (!r) {
			r = kzalloc(sizeof(*r), GFP_KERNEL);
			if (!r) {
				/* Dirty again for write_buffer(), which writes it alone. */
				mark_buffer_dirty(bh);
				unlock_buffer(bh);
				if (write_buffer(bh))
					err = -EIO;
				continue;
			}
		}
		r->segs[r->bio.nr_segs] = (struct bio_seg){ bh->b_data, bh->b_size };
		r->bhs[r->bio.nr_segs++] = bh;
		r->bio.len += bh->b_size;
	}
	if (r)
		wb_submit(r, &b);
	if (__atomic_sub_fetch(&b.pending, 1, __ATOMIC_ACQ_REL))
		wait_event(&wb_wq, wb_batch_done, &b);
	return err ? err : __atomic_load_n(&b.err, __ATOMIC_RELAXED);
}

int sync_dirty_buffer(struct buffer_head *bh)
{
	return write_buffer(bh);
}

/* bdev matches a buffer's device: the same device, or, for a disk, any of its partitions. */
static bool bdev_covers(const struct block_device *bdev, const struct block_device *of)
{
	return !bdev || of == bdev || (bdev->disk == bdev && of->disk == bdev);
}

/*
 * Writes the dirty buffers of bdev (all with NULL), a batch at a time:
 * references are taken under the lock, the writes happen without it.
 * Buffers dirtied again meanwhile are found by the next pass, so this
 * ends once a pass finds none.
 */
static int write_dirty(struct block_device *bdev)
{
	struct buffer_head *batch[WRITEBACK_BATCH];
	unsigned long flags;
	int err = 0;

	for (;;) {
		struct buffer_head *bh;
		unsigned int n = 0, i;
		int e;

		flags = spin_lock_irqsave(&bcache_lock);
		list_for_each_entry(bh, &lru_list, b_lru) {
			if (n == WRITEBACK_BATCH)
				break;
			if (buffer_dirty(bh) && bdev_covers(bdev, bh->b_bdev)) {
				bh->b_count++;
				batch[n++] = bh;
			}
		}
		spin_unlock_irqrestore(&bcache_lock, flags);
		if (!n)
			return err;
		e = write_batch(batch, n);
		if (e && !err)
			err = e;
		for (i = 0; i < n; i++)
			brelse(batch[i]);
	}
}

int sync_blockdev(struct block_device *bdev)
{
	int err = write_dirty(bdev), ferr;

	ferr = blk_rw(bdev, BIO_FLUSH, 0, NULL, 0);
	return err ? err : ferr ? -EIO : 0;
}

void bcache_get_stats(struct bcache_stats *st)
{
	unsigned long flags;

	flags = spin_lock_irqsave(&bcache_lock);
	*st = stats;
	spin_unlock_irqrestore(&bcache_lock, flags);
	st->dirty = __atomic_load_n(&stats.dirty, __ATOMIC_RELAXED);
	st->writebacks = __atomic_load_n(&stats.writebacks, __ATOMIC_RELAXED);
	st->write_requests = __atomic_load_n(&stats.write_requests, __ATOMIC_RELAXED);
}

/* Every 5 s (sooner when the cache is full of dirty buffers): dirty inodes and buffers go to disk. */
static bool writeback_due(void *arg)
{
	struct wait_timer *wt = arg;

	return READ_ONCE(wt->expired) || __atomic_load_n(&writeback_kick, __ATOMIC_ACQUIRE);
}

/* Something to write back: dirty buffers, or a mounted file system's inodes. */
static bool writeback_wanted(void *arg)
{
	(void)arg;
	return __atomic_load_n(&stats.dirty, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&flushers, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&writeback_kick, __ATOMIC_ACQUIRE);
}

/*
 * Asleep without a timer while there is nothing to write (so an idle
 * system keeps no thread waking every 5 s), then 5 s after the first
 * change (sooner when kicked) everything goes out.
 */
static void writeback_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct wait_timer wt;

		wait_event(&writeback_wq, writeback_wanted, NULL);

		wait_timer_start(&wt, &writeback_wq, get_ticks() + ms_to_ticks(WRITEBACK_INTERVAL_MS));
		wait_event(&writeback_wq, writeback_due, &wt);
		wait_timer_stop(&wt);
		__atomic_store_n(&writeback_kick, false, __ATOMIC_RELEASE);
		/* File systems put their dirty inodes into buffers first. */
		run_flushers();
		write_dirty(NULL);
		evict_if_over_cap();
	}
}

/*
 * The thread starts with the first dirty buffer or mounted file system,
 * not at boot: a system that never writes a disk has none.
 */
static void writeback_start(void)
{
	static int started; /* 0 no, 1 starting or running */

	if (__atomic_load_n(&started, __ATOMIC_ACQUIRE) ||
	    __atomic_exchange_n(&started, 1, __ATOMIC_ACQ_REL))
		return;
	if (!kthread_run(writeback_thread, NULL, "bwriteback", -1)) {
		pr_warn("bcache: no writeback thread yet: dirty buffers wait for sync\n");
		__atomic_store_n(&started, 0, __ATOMIC_RELEASE);
	}
}
