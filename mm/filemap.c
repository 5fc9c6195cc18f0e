/* SPDX-License-Identifier: BSD-2-Clause */
/* The page cache of disk files: pages by (inode, index), read and written back through get_block() and the buffer cache, LRU eviction and readahead. */
#include <hartix/buffer_head.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/list.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/pagemap.h>
#include <hartix/preempt.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/uaccess.h>

/*
 * Each regular file of a disk file system has its pages cached by file
 * offset (struct address_space in the inode, pages in one hash table by
 * (file, index), all of them on one LRU list). A page is filled from
 * the disk block by block: the file system's get_block() maps each
 * block, holes and bytes past the end read as zeroes, and the block is
 * read through the buffer cache, whose clean copy is dropped as soon as
 * the page has it, so clean file data is cached once. A dirty page is
 * written back by copying its blocks into their buffers, marked dirty,
 * which the buffer cache's writeback sends to the disk: every disk
 * write goes through one cache, so a block the file system also writes
 * (zeroing a new block, the tail on truncate) is never written twice
 * with different contents. Blocks are allocated when write() or a
 * write fault reaches them, so ENOSPC is reported there, not at
 * writeback.
 *
 * Locking:
 * - pagecache_lock (a spinlock, never held across a sleep, I/O, an
 *   allocation or a user copy) protects the hash chains, the LRU, every
 *   address_space (its list of pages and writeback link), each cpage's
 *   mapping, users and links, and the counters.
 * - PC_LOCKED, a sleeping bit lock (lock_cpage()), is held while a page
 *   is filled from the disk or copied into its buffers, and by a write
 *   while it copies into it; PC_UPTODATE is set under it.
 * - The inode's i_mutex serialises writes, truncate and writeback of
 *   the file (so a writeback never copies a page into a block truncate
 *   is freeing). Order: i_mutex, then a page lock, then the buffer
 *   locks, then pagecache_lock; mm->lock is never held across any of it
 *   (faults drop it to sleep here).
 * - The data of a page that is up to date is written under i_mutex by
 *   write() and at any time through writable shared mappings; reads
 *   take no lock (as on Linux, a read racing a write may see part of it).
 */

#define RA_BYTES (128 * 1024) /* read ahead of a sequential reader */
#define HASH_BITS 13
#define WB_BATCH 16
#define MAX_PERCENT 50 /* of RAM, beyond which clean pages are evicted as new ones come */
/* Of RAM: dirty pages beyond which a writer writes its own back, and dirty buffers beyond which it waits for them. */
#define DIRTY_PAGES_SHIFT 5
#define DIRTY_BUFFERS_SHIFT 4

enum {
	PC_UPTODATE, /* holds the file's data */
	PC_DIRTY, /* changed by write(): to be written back */
	PC_LOCKED,
	PC_MAPPED_W, /* in a writable shared mapping: written back at every pass while mapped */
};

struct cpage {
	struct address_space *mapping; /* NULL once out of the cache */
	unsigned long index;
	void *page; /* one reference of the page is the cache's */
	unsigned long flags; /* PC_*, changed atomically */
	int users; /* lookups holding the descriptor */
	unsigned long wb_pass; /* the last writeback pass that took it */
	struct cpage *hash_next, *m_next, *m_prev;
	struct list_head lru; /* in the cache's, least recently used first */
};

static DEFINE_SPINLOCK(pagecache_lock);
static struct cpage *hash_table[1U << HASH_BITS];
static LIST_HEAD(lru_list); /* every page, least recently used first */
static struct address_space *wb_head; /* files with dirty or writably mapped pages */
static struct cpage *spare; /* descriptors evict() kept, chained by hash_next */
static unsigned long max_pages, dirty_max, wb_passes, wb_adds;
static u64 total_pages;
static struct pagecache_stats stats; /* dirty counts pages with PC_DIRTY or PC_MAPPED_W */

#define PAGE_WAIT_QUEUES 16
static struct wait_queue page_wqs[PAGE_WAIT_QUEUES];

static void pagecache_flush(struct bcache_flusher *f);
static struct bcache_flusher flusher = { .flush = pagecache_flush };
static int flusher_added; /* atomic */

static struct inode *mapping_inode(struct address_space *m)
{
	return container_of(m, struct inode, i_pages);
}

static unsigned int hash_of(const struct address_space *m, unsigned long index)
{
	u64 h = (u64)(unsigned long)m / 64 + index * 0x9e3779b97f4a7c15ULL;

	return (unsigned int)((h ^ (h >> 29)) * 0x9e3779b97f4a7c15ULL >> (64 - HASH_BITS));
}

static bool test_and_set(int nr, unsigned long *word)
{
	return __atomic_fetch_or(word, 1UL << nr, __ATOMIC_ACQ_REL) & (1UL << nr);
}

static bool test_and_clear(int nr, unsigned long *word)
{
	return __atomic_fetch_and(word, ~(1UL << nr), __ATOMIC_ACQ_REL) & (1UL << nr);
}

static bool test_flag(int nr, const struct cpage *cp)
{
	return __atomic_load_n(&cp->flags, __ATOMIC_ACQUIRE) & (1UL << nr);
}

static struct wait_queue *page_wq(const struct cpage *cp)
{
	return &page_wqs[((unsigned long)cp / sizeof(*cp)) % PAGE_WAIT_QUEUES];
}

static bool try_lock_cpage(void *arg)
{
	return !test_and_set(PC_LOCKED, &((struct cpage *)arg)->flags);
}

static void lock_cpage(struct cpage *cp)
{
	wait_event(page_wq(cp), try_lock_cpage, cp);
}

static void unlock_cpage(struct cpage *cp)
{
	test_and_clear(PC_LOCKED, &cp->flags);
	wake_up(page_wq(cp));
}

/* pagecache_lock held. */
static struct cpage *find_locked(struct address_space *m, unsigned long index)
{
	struct cpage *cp;

	for (cp = hash_table[hash_of(m, index)]; cp; cp = cp->hash_next)
		if (cp->mapping == m && cp->index == index)
			return cp;
	return NULL;
}

/* pagecache_lock held: m has something to write back. */
static void wb_add(struct address_space *m)
{
	if (m->wb_pprev)
		return;
	m->wb_seq = ++wb_adds;
	m->wb_next = wb_head;
	if (wb_head)
		wb_head->wb_pprev = &m->wb_next;
	wb_head = m;
	m->wb_pprev = &wb_head;
}

/* pagecache_lock held. */
static void wb_del(struct address_space *m)
{
	if (!m->wb_pprev)
		return;
	*m->wb_pprev = m->wb_next;
	if (m->wb_next)
		m->wb_next->wb_pprev = m->wb_pprev;
	m->wb_pprev = NULL;
}

static void free_cpage(struct cpage *cp)
{
	put_page(cp->page);
	kfree(cp);
}

/*
 * pagecache_lock held: takes cp out of the cache. True if nobody holds
 * it, and the caller frees it after unlocking; else the last
 * cpage_put() does.
 */
static bool remove_locked(struct cpage *cp)
{
	struct address_space *m = cp->mapping;
	struct cpage **p = &hash_table[hash_of(m, cp->index)];

	while (*p != cp)
		p = &(*p)->hash_next;
	*p = cp->hash_next;
	if (cp->m_prev)
		cp->m_prev->m_next = cp->m_next;
	else
		m->pages = cp->m_next;
	if (cp->m_next)
		cp->m_next->m_prev = cp->m_prev;
	list_del(&cp->lru);
	m->nrpages--;
	stats.pages--;
	if (cp->flags & ((1UL << PC_DIRTY) | (1UL << PC_MAPPED_W)))
		stats.dirty--;
	cp->mapping = NULL;
	return !cp->users;
}

static void cpage_put(struct cpage *cp)
{
	bool last;

	spin_lock(&pagecache_lock);
	last = !--cp->users && !cp->mapping;
	spin_unlock(&pagecache_lock);
	if (last)
		free_cpage(cp);
}

/* pagecache_lock held: unused, clean, unlocked and mapped nowhere. */
static bool evictable(const struct cpage *cp)
{
	return !cp->users && !(cp->flags & ~(1UL << PC_UPTODATE)) &&
	       __atomic_load_n(&virt_to_page(cp->page)->refcount, __ATOMIC_ACQUIRE) == 1;
}

/*
 * Frees up to nr clean unused pages, least recently used first. From
 * the page allocator (trylock), the descriptors are kept for reuse
 * instead of kfree()d: the allocator's caller may hold a slab lock.
 */
static unsigned long evict(unsigned long nr, bool trylock)
{
	struct cpage *cp, *next, *freed = NULL;
	unsigned long n = 0, scan = 0;

	/* From the page allocator, this hart may hold the lock already. */
	if (!trylock)
		spin_lock(&pagecache_lock);
	else if (!spin_trylock(&pagecache_lock))
		return 0;
	/* Bounded, so a cache full of busy pages does not hold the lock for long. */
	list_for_each_entry_safe(cp, next, &lru_list, lru) {
		if (n == nr || scan++ == 4 * nr + 64)
			break;
		if (!evictable(cp))
			continue;
		remove_locked(cp);
		stats.evictions++;
		cp->hash_next = freed;
		freed = cp;
		n++;
	}
	spin_unlock(&pagecache_lock);
	while (freed) {
		cp = freed;
		freed = cp->hash_next;
		if (!trylock) {
			free_cpage(cp);
			continue;
		}
		put_page(cp->page);
		spin_lock(&pagecache_lock);
		cp->hash_next = spare;
		spare = cp;
		spin_unlock(&pagecache_lock);
	}
	return n;
}

unsigned long pagecache_shrink(unsigned long nr)
{
	return evict(nr, true);
}

/* A zeroed descriptor: a spare one, or a new one. */
static struct cpage *cpage_alloc(void)
{
	struct cpage *cp;

	spin_lock(&pagecache_lock);
	cp = spare;
	if (cp)
		spare = cp->hash_next;
	spin_unlock(&pagecache_lock);
	if (cp) {
		memset(cp, 0, sizeof(*cp));
		return cp;
	}
	return kzalloc(sizeof(*cp), __GFP_NOWARN);
}

/* A referenced descriptor of page index of inode, new (not up to date) if it was not cached. */
static struct cpage *grab(struct inode *inode, unsigned long index)
{
	struct address_space *m = &inode->i_pages;
	struct cpage *cp, *new;
	unsigned long over;

	spin_lock(&pagecache_lock);
	cp = find_locked(m, index);
	if (cp) {
		cp->users++;
		list_move_tail(&cp->lru, &lru_list);
		stats.hits++;
		spin_unlock(&pagecache_lock);
		return cp;
	}
	spin_unlock(&pagecache_lock);

	if (!READ_ONCE(max_pages)) {
		struct page_alloc_stats st;

		page_alloc_get_stats(&st);
		WRITE_ONCE(total_pages, st.total_pages);
		WRITE_ONCE(dirty_max, (unsigned long)(st.total_pages >> DIRTY_PAGES_SHIFT));
		WRITE_ONCE(max_pages, (unsigned long)(st.total_pages * MAX_PERCENT / 100));
	}
	new = cpage_alloc();
	if (new)
		new->page = alloc_page(__GFP_NOWARN);
	/* The page allocator's own reclaim could not take the lock: once more after ours. */
	if (new && !new->page && evict(64, false))
		new->page = alloc_page(__GFP_NOWARN);
	if (!new || !new->page) {
		kfree(new);
		return NULL;
	}
	virt_to_page(new->page)->refcount = 1;
	new->index = index;
	new->users = 1;

	spin_lock(&pagecache_lock);
	cp = find_locked(m, index);
	if (cp) {
		cp->users++;
		spin_unlock(&pagecache_lock);
		free_cpage(new);
		return cp;
	}
	new->mapping = m;
	new->hash_next = hash_table[hash_of(m, index)];
	hash_table[hash_of(m, index)] = new;
	new->m_next = m->pages;
	if (m->pages)
		m->pages->m_prev = new;
	m->pages = new;
	m->nrpages++;
	list_add_tail(&new->lru, &lru_list);
	stats.pages++;
	stats.misses++;
	over = stats.pages > max_pages ? stats.pages - max_pages : 0;
	spin_unlock(&pagecache_lock);
	if (over)
		evict(over + 16, false);
	return new;
}

/* The inode's page index with a reference if cached, else NULL. */
static struct cpage *find_get(struct inode *inode, unsigned long index)
{
	struct cpage *cp;

	spin_lock(&pagecache_lock);
	cp = find_locked(&inode->i_pages, index);
	if (cp)
		cp->users++;
	spin_unlock(&pagecache_lock);
	return cp;
}

/* Sets a write-back reason (PC_DIRTY or PC_MAPPED_W) and queues the file. */
static void set_wb_flag(struct cpage *cp, int nr)
{
	unsigned long old = __atomic_fetch_or(&cp->flags, 1UL << nr, __ATOMIC_ACQ_REL);

	spin_lock(&pagecache_lock);
	if (!(old & ((1UL << PC_DIRTY) | (1UL << PC_MAPPED_W))) && cp->mapping)
		stats.dirty++;
	if (cp->mapping)
		wb_add(cp->mapping);
	spin_unlock(&pagecache_lock);
	/* The periodic writeback calls us from the first dirty page on. */
	if (!__atomic_exchange_n(&flusher_added, 1, __ATOMIC_ACQ_REL))
		bcache_add_flusher(&flusher);
}

static u32 block_shift(u32 bs)
{
	u32 shift = 9;

	while ((1U << shift) < bs)
		shift++;
	return shift;
}

/* Starts reading RA_BYTES of the file from block iblock on, without waiting. */
static void readahead(struct inode *inode, u64 iblock)
{
	struct super_block *sb = inode->i_sb;
	u32 bs = sb->s_blocksize;
	u64 end = (inode->i_size + bs - 1) >> block_shift(bs), n = RA_BYTES / bs, pblock;

	for (; n && iblock < end; n--, iblock++)
		if (!inode->i_aops->get_block(inode, iblock, &pblock, false) && pblock)
			breadahead(sb->s_bdev, pblock, bs);
}

/* The bytes of a page one block (or, for blocks larger than a page, the page) covers. */
static u32 piece_size(struct inode *inode)
{
	return (u32)min((unsigned long)inode->i_sb->s_blocksize, PAGE_SIZE);
}

/*
 * Under the page lock: reads page cp of inode from its blocks (holes
 * and bytes past the end: zeroes). ra: a reader's miss, which also
 * starts reading ahead.
 */
static int fill_page(struct inode *inode, struct cpage *cp, bool ra)
{
	struct super_block *sb = inode->i_sb;
	u32 bs = sb->s_blocksize, step = piece_size(inode);
	u64 start = (u64)cp->index << PAGE_SHIFT, size = READ_ONCE(inode->i_size);
	u8 *data = cp->page;
	unsigned long off;

	for (off = 0; off < PAGE_SIZE; off += step) {
		u64 p = start + off, pblock;
		struct buffer_head *bh;
		int err;

		if (p >= size) {
			memset(data + off, 0, PAGE_SIZE - off);
			break;
		}
		err = inode->i_aops->get_block(inode, p / bs, &pblock, false);
		if (err)
			return err;
		if (!pblock) {
			memset(data + off, 0, step);
			continue;
		}
		bh = getblk(sb->s_bdev, pblock, bs);
		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		/* A miss: this block's read goes first, the next ones after it, unwaited. */
		if (ra && !buffer_uptodate(bh)) {
			breadahead(sb->s_bdev, pblock, bs);
			readahead(inode, p / bs + 1);
		}
		err = bh_read(bh);
		if (!err)
			memcpy(data + off, (u8 *)bh->b_data + p % bs, step);
		bforget_clean(bh);
		if (err)
			return err;
	}
	if (size > start && size - start < PAGE_SIZE)
		memset(data + (size - start), 0, PAGE_SIZE - (size_t)(size - start));
	__atomic_fetch_or(&cp->flags, 1UL << PC_UPTODATE, __ATOMIC_RELEASE);
	return 0;
}

/* cp up to date, read if it was not: 0 or -errno. */
static int page_uptodate(struct inode *inode, struct cpage *cp, bool ra)
{
	int err = 0;

	if (test_flag(PC_UPTODATE, cp))
		return 0;
	lock_cpage(cp);
	if (!test_flag(PC_UPTODATE, cp))
		err = fill_page(inode, cp, ra);
	unlock_cpage(cp);
	return err;
}

/*
 * Under i_mutex and the page lock: copies page cp's blocks inside the
 * file into their buffers and marks them dirty. A hole stays one (its
 * bytes are zeroes: write() and write faults allocate what they fill).
 */
static int write_page(struct inode *inode, struct cpage *cp)
{
	struct super_block *sb = inode->i_sb;
	u32 bs = sb->s_blocksize, step = piece_size(inode);
	u64 start = (u64)cp->index << PAGE_SHIFT, size = inode->i_size;
	u8 *data = cp->page;
	unsigned long off;

	if (start >= size)
		return 0;
	/* Stores through a mapping past the end are not file data. */
	if (size - start < PAGE_SIZE)
		memset(data + (size - start), 0, PAGE_SIZE - (size_t)(size - start));
	for (off = 0; off < PAGE_SIZE && start + off < size; off += step) {
		u64 p = start + off, pblock;
		struct buffer_head *bh;
		int err = inode->i_aops->get_block(inode, p / bs, &pblock, false);

		if (err)
			return err;
		if (!pblock)
			continue;
		bh = step == bs ? getblk(sb->s_bdev, pblock, bs) : bread(sb->s_bdev, pblock, bs);
		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		lock_buffer(bh);
		memcpy((u8 *)bh->b_data + p % bs, data + off, step);
		mark_buffer_dirty(bh);
		unlock_buffer(bh);
		brelse(bh);
	}
	__atomic_fetch_add(&stats.writebacks, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Under i_mutex: writes back the dirty and writably mapped pages of inode. */
static int write_back_locked(struct inode *inode)
{
	struct address_space *m = &inode->i_pages;
	const unsigned long wb_mask = (1UL << PC_DIRTY) | (1UL << PC_MAPPED_W);
	unsigned long pass;
	int err = 0;

	spin_lock(&pagecache_lock);
	wb_del(m);
	pass = ++wb_passes;
	spin_unlock(&pagecache_lock);
	for (;;) {
		struct cpage *batch[WB_BATCH], *cp;
		unsigned int n = 0, i;
		bool again = false;

		spin_lock(&pagecache_lock);
		for (cp = m->pages; cp && n < WB_BATCH; cp = cp->m_next)
			if ((cp->flags & wb_mask) && cp->wb_pass != pass) {
				cp->wb_pass = pass;
				cp->users++;
				batch[n++] = cp;
			}
		spin_unlock(&pagecache_lock);
		if (!n)
			break;
		for (i = 0; i < n; i++) {
			bool dirty;
			int e = 0;

			cp = batch[i];
			lock_cpage(cp);
			/* Cleared first: a store meanwhile is written by the next pass. */
			dirty = test_and_clear(PC_DIRTY, &cp->flags);
			if (dirty || test_flag(PC_MAPPED_W, cp))
				e = write_page(inode, cp);
			if (e) {
				pr_err("filemap: %s: write-back error %d at page %lu of inode %lu: data lost\n",
				       inode->i_sb->s_bdev->name, e, cp->index, inode->i_ino);
				if (!err)
					err = e;
			}
			/* Mapped nowhere any more: stores cannot come, the page is clean. */
			if (__atomic_load_n(&virt_to_page(cp->page)->refcount, __ATOMIC_ACQUIRE) == 1)
				test_and_clear(PC_MAPPED_W, &cp->flags);
			unlock_cpage(cp);
			spin_lock(&pagecache_lock);
			if (!(cp->flags & wb_mask) && cp->mapping)
				stats.dirty--;
			else if (cp->mapping)
				again = true;
			spin_unlock(&pagecache_lock);
			cpage_put(cp);
		}
		/* Still mapped writable, or dirtied again: the next pass writes it too. */
		if (again) {
			spin_lock(&pagecache_lock);
			wb_add(m);
			spin_unlock(&pagecache_lock);
		}
		cond_resched();
	}
	return err;
}

int filemap_write_back(struct inode *inode)
{
	int err;

	if (!inode->i_aops)
		return 0;
	inode_lock(inode);
	err = write_back_locked(inode);
	inode_unlock(inode);
	return err;
}

int filemap_sync(struct inode *inode)
{
	int err = filemap_write_back(inode), ferr;

	ferr = sync_blockdev(inode->i_sb->s_bdev);
	return err ? err : ferr;
}

/*
 * Up to WB_BATCH files queued for writeback (of sb, or any) by the
 * round that began when wb_adds was limit, each with a reference; they
 * leave the list (write_back_locked() queues again what it cannot
 * finish, for the next round).
 */
static unsigned int grab_wb(struct super_block *sb, unsigned long limit, struct inode **inodes)
{
	struct address_space *m, *next;
	unsigned int n = 0;

	spin_lock(&pagecache_lock);
	for (m = wb_head; m && n < WB_BATCH; m = next) {
		struct inode *inode = mapping_inode(m);

		next = m->wb_next;
		if ((sb && inode->i_sb != sb) || m->wb_seq > limit)
			continue;
		wb_del(m);
		/* Being evicted: filemap_evict() writes it. */
		if (igrab(inode))
			inodes[n++] = inode;
	}
	spin_unlock(&pagecache_lock);
	return n;
}

static unsigned long wb_round(void)
{
	return __atomic_load_n(&wb_adds, __ATOMIC_RELAXED);
}

int filemap_write_back_sb(struct super_block *sb)
{
	unsigned long limit = wb_round();
	struct inode *inodes[WB_BATCH];
	unsigned int n, i;
	int err = 0;

	while ((n = grab_wb(sb, limit, inodes)))
		for (i = 0; i < n; i++) {
			int e = filemap_write_back(inodes[i]);

			if (e && !err)
				err = e;
			iput(inodes[i]);
		}
	return err;
}

/* The buffer cache's writeback thread, every 5 s: a file busy with a writer waits for the next round. */
static void pagecache_flush(struct bcache_flusher *f)
{
	unsigned long limit = wb_round();
	struct inode *inodes[WB_BATCH];
	unsigned int n, i;

	(void)f;
	while ((n = grab_wb(NULL, limit, inodes)))
		for (i = 0; i < n; i++) {
			if (mutex_trylock(&inodes[i]->i_mutex)) {
				write_back_locked(inodes[i]);
				inode_unlock(inodes[i]);
			} else {
				spin_lock(&pagecache_lock);
				wb_add(&inodes[i]->i_pages);
				spin_unlock(&pagecache_lock);
			}
			iput(inodes[i]);
		}
}

/*
 * Takes every page of inode from index first on out of the cache, dirty
 * ones too (their blocks are gone, or the file is). The caller holds
 * i_mutex or is the inode's last user, so no write or writeback of them
 * runs; a reader filling one meanwhile holds it and frees it after.
 */
static void drop_pages(struct inode *inode, unsigned long first)
{
	struct address_space *m = &inode->i_pages;
	struct cpage *cp, *next, *freed = NULL;

	spin_lock(&pagecache_lock);
	for (cp = m->pages; cp; cp = next) {
		next = cp->m_next;
		if (cp->index >= first && remove_locked(cp)) {
			cp->hash_next = freed;
			freed = cp;
		}
	}
	spin_unlock(&pagecache_lock);
	while (freed) {
		cp = freed;
		freed = cp->hash_next;
		free_cpage(cp);
	}
}

/* Pages wholly past size: none should be cached, but one a fault read while truncate ran. */
static void drop_past(struct inode *inode, u64 size)
{
	drop_pages(inode, (unsigned long)(ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT));
}

void filemap_evict(struct inode *inode)
{
	if (!inode->i_aops || !S_ISREG(inode->i_mode))
		return;
	if (inode->i_nlink && !(inode->i_sb->s_flags & SB_RDONLY))
		filemap_write_back(inode);
	drop_pages(inode, 0);
	spin_lock(&pagecache_lock);
	wb_del(&inode->i_pages);
	spin_unlock(&pagecache_lock);
}

/* Zeroes [from, to) of the cached page holding from (within one page). */
static void zero_cached(struct inode *inode, u64 from, u64 to)
{
	struct cpage *cp = find_get(inode, (unsigned long)(from >> PAGE_SHIFT));

	if (!cp)
		return;
	lock_cpage(cp);
	if (test_flag(PC_UPTODATE, cp))
		memset((u8 *)cp->page + (from & (PAGE_SIZE - 1)), 0, (size_t)(to - from));
	unlock_cpage(cp);
	cpage_put(cp);
}

/* Zeroes [size, the end of its page) in the cache: the bytes past the end read as zeroes. */
static void zero_tail(struct inode *inode, u64 size)
{
	if (size & (PAGE_SIZE - 1))
		zero_cached(inode, size, ALIGN_UP(size, PAGE_SIZE));
}

void filemap_size_changed(struct inode *inode, u64 old, u64 size)
{
	if (!inode->i_aops)
		return;
	drop_past(inode, min(old, size));
	if (size < old)
		mm_truncate_file(inode, size);
	zero_tail(inode, min(old, size));
}

/*
 * The core of read(): up to n bytes at *pos into dst (a user buffer, or
 * a kernel one with kernel). No lock is held while copying, so a user
 * buffer may be a mapping of this same file.
 */
static long do_read(struct inode *inode, char *dst, size_t n, u64 *pos, bool kernel)
{
	u64 p = *pos, size = READ_ONCE(inode->i_size);
	size_t done = 0;
	long err = 0;

	if (p >= size)
		return 0;
	n = min(n, (size_t)(size - p));
	while (done < n) {
		u32 off = (u32)(p & (PAGE_SIZE - 1));
		size_t chunk = min(PAGE_SIZE - off, n - done), left = 0;
		struct cpage *cp;

		/* A long transfer yields the hart, and a killed task stops early. */
		if (done && fatal_signal_pending(current_task()))
			break;
		cond_resched();
		cp = grab(inode, (unsigned long)(p >> PAGE_SHIFT));
		if (!cp) {
			err = -ENOMEM;
			break;
		}
		err = page_uptodate(inode, cp, true);
		if (!err && kernel)
			memcpy(dst + done, (u8 *)cp->page + off, chunk);
		else if (!err)
			left = copy_to_user(dst + done, (u8 *)cp->page + off, chunk);
		cpage_put(cp);
		if (err)
			break;
		done += chunk - left;
		p += chunk - left;
		if (left) {
			err = -EFAULT;
			break;
		}
	}
	*pos = p;
	return done ? (long)done : err;
}

long generic_file_read(struct file *f, char *ubuf, size_t n, u64 *pos)
{
	u64 p = pos ? *pos : f->f_pos;
	long ret = do_read(f->inode, ubuf, n, &p, false);

	if (pos)
		*pos = p;
	else
		f->f_pos = p;
	return ret;
}

long filemap_read_kernel(struct inode *inode, u64 pos, void *buf, size_t n)
{
	return do_read(inode, buf, n, &pos, true);
}

/*
 * Allocates the blocks of [p, p + len) (within one page): 0 or -ENOSPC,
 * -EFBIG, -EIO. With fresh (a write under the page lock): a hole the
 * range covers whole is allocated without zeroing (GET_BLOCK_NOZERO) and
 * goes to fresh[] (*nfresh of them), for zero_fresh_blocks() should the
 * copy into the page come up short.
 */
struct fresh_block {
	u64 iblock, pblock;
};

static int alloc_blocks(struct inode *inode, u64 p, size_t len, struct fresh_block *fresh,
			unsigned int *nfresh)
{
	u32 bs = inode->i_sb->s_blocksize;
	u64 b, pblock;
	int err = 0;

	for (b = p / bs; !err && b * bs < p + len; b++) {
		bool whole = fresh && b * bs >= p && (b + 1) * bs <= p + len;

		if (whole && !(err = inode->i_aops->get_block(inode, b, &pblock, 0)) && !pblock) {
			err = inode->i_aops->get_block(inode, b, &pblock,
						       GET_BLOCK_CREATE | GET_BLOCK_NOZERO);
			if (!err)
				fresh[(*nfresh)++] = (struct fresh_block){ b, pblock };
		} else if (!err) {
			err = inode->i_aops->get_block(inode, b, &pblock, GET_BLOCK_CREATE);
		}
	}
	return err;
}

/*
 * Fresh blocks (alloc_blocks()) outside the bytes a write put into the
 * page [p, p + copied): zeroed in the buffer cache as get_block() would
 * have, since the page will not cover them.
 */
static int zero_fresh_blocks(struct inode *inode, const struct fresh_block *fresh,
			     unsigned int nfresh, u64 p, size_t copied)
{
	struct super_block *sb = inode->i_sb;
	u32 bs = sb->s_blocksize;
	unsigned int i;

	for (i = 0; i < nfresh; i++) {
		struct buffer_head *bh;

		if ((fresh[i].iblock + 1) * bs <= p + copied)
			continue;
		bh = getblk(sb->s_bdev, fresh[i].pblock, bs);
		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		lock_buffer(bh);
		memset(bh->b_data, 0, bs);
		unlock_buffer(bh);
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	return 0;
}

/*
 * Under i_mutex: chunk bytes at p, within one page, from src: kernel
 * memory, or user memory with user, whose pages the caller has faulted
 * in. Returns the bytes written (0: a user page went away meanwhile, the
 * caller faults it in again) or -errno.
 *
 * The user's bytes go straight into the page cache page, under its lock.
 * A fault on the source could need that very lock (the source may be a
 * mapping of this page of this file, which a fault fills under the page
 * lock) or memory the page lock is held against, so the copy resolves
 * no fault (copy_from_user_nofault()): do_write() faulted the source in
 * with no page locked (i_mutex is held, but read faults never take it,
 * block.rst), so the copy only comes up short when another thread
 * unmapped the source meanwhile. A short copy into a page that was not
 * up to date and was to be overwritten whole leaves garbage after what
 * was copied: nothing of it is kept, the page stays not up to date, and
 * the caller retries (as Linux's generic_perform_write()).
 *
 * The blocks are allocated under the page lock, after the page was read
 * (unless it is overwritten whole): a hole the write fills whole is not
 * zeroed on the disk, since no reader can fill the page from it before
 * the page holds the new bytes, and writeback writes the page's bytes
 * over it. What a short copy leaves uncovered is zeroed after all.
 */
static long write_chunk(struct inode *inode, u64 p, const char *src, size_t chunk, bool user)
{
	u32 off = (u32)(p & (PAGE_SIZE - 1));
	struct fresh_block fresh[PAGE_SIZE / SECTOR_SIZE];
	unsigned int nfresh = 0;
	size_t copied = 0;
	struct cpage *cp;
	bool whole_new;
	int err = 0;

	cp = grab(inode, (unsigned long)(p >> PAGE_SHIFT));
	if (!cp)
		return -ENOMEM;
	lock_cpage(cp);
	/* Overwritten whole: not read, and up to date only once filled (readers take no lock). */
	whole_new = !test_flag(PC_UPTODATE, cp) && chunk == PAGE_SIZE;
	if (!test_flag(PC_UPTODATE, cp) && !whole_new)
		err = fill_page(inode, cp, false);
	if (!err)
		err = alloc_blocks(inode, p, chunk,
				   inode->i_sb->s_blocksize <= PAGE_SIZE ? fresh : NULL, &nfresh);
	if (!err && user)
		copied = chunk - copy_from_user_nofault((u8 *)cp->page + off, src, chunk);
	else if (!err)
		memcpy((u8 *)cp->page + off, src, copied = chunk);
	if (whole_new && copied < chunk)
		copied = 0;
	if (nfresh && copied < chunk) {
		int zerr = zero_fresh_blocks(inode, fresh, nfresh, p, copied);

		err = err ? err : zerr;
	}
	if (copied)
		__atomic_fetch_or(&cp->flags, 1UL << PC_UPTODATE, __ATOMIC_RELEASE);
	unlock_cpage(cp);
	if (copied)
		set_wb_flag(cp, PC_DIRTY);
	cpage_put(cp);
	return copied ? (long)copied : err;
}

/*
 * Too much waiting (under i_mutex): the writer writes its own pages
 * back, and the buffer cache's thread is asked to write the buffers out
 * now; past a sixteenth of RAM in dirty buffers (which cannot be
 * evicted), the writer writes them itself, so a big write never fills
 * memory.
 */
static void throttle(struct inode *inode)
{
	struct bcache_stats bst;

	write_back_locked(inode);
	bcache_get_stats(&bst);
	if (bst.dirty > (READ_ONCE(total_pages) >> DIRTY_BUFFERS_SHIFT))
		sync_blockdev(inode->i_sb->s_bdev);
	else
		bcache_kick_writeback();
}

/*
 * The core of write(), with i_mutex held: n bytes from src (user memory,
 * or kernel memory with kernel) at p. Each page's worth of user bytes is
 * faulted in first, with no page locked, then copied straight into the
 * page cache page (write_chunk() says why that cannot deadlock).
 */
static long do_write(struct inode *inode, const char *src, size_t n, u64 *pos, bool kernel)
{
	const struct address_space_operations *a_ops = inode->i_aops;
	u64 p = *pos;
	size_t done = 0;
	long err = 0;

	/* Nothing to write: no limit applies and nothing changes (Linux's generic_write_checks()). */
	if (!n)
		return 0;
	if (a_ops->prepare_write)
		err = a_ops->prepare_write(inode, p, &n);
	/* What lies between the old end and p reads as zeroes. */
	if (!err && p > inode->i_size) {
		zero_tail(inode, inode->i_size);
		drop_past(inode, inode->i_size);
	}
	while (!err && done < n) {
		u32 off = (u32)(p & (PAGE_SIZE - 1));
		size_t chunk = min(PAGE_SIZE - off, n - done);
		long copied;

		/* A killed task stops early (one whose user page keeps going away too). */
		if (fatal_signal_pending(current_task()) && (done || !kernel)) {
			err = -EINTR;
			break;
		}
		cond_resched();
		/* Only what can be read is written (as Linux): then EFAULT. */
		if (!kernel) {
			chunk = fault_in_readable(src + done, chunk);
			if (!chunk) {
				err = -EFAULT;
				break;
			}
		}
		copied = write_chunk(inode, p, src + done, chunk, !kernel);
		if (copied < 0) {
			err = copied;
			break;
		}
		done += (size_t)copied;
		p += (u64)copied;
		if (p > inode->i_size)
			inode->i_size = p;
		if (READ_ONCE(stats.dirty) > READ_ONCE(dirty_max))
			throttle(inode);
	}
	if (done) {
		s64 ns = ktime_get_real_ns();

		inode->i_mtime = (struct timespec){ (long)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC) };
		inode->i_ctime = inode->i_mtime;
		mark_inode_dirty(inode);
	}
	*pos = p;
	return done ? (long)done : err;
}

long generic_file_write(struct file *f, const char *ubuf, size_t n, u64 *pos)
{
	struct inode *inode = f->inode;
	long ret;
	u64 p;

	inode_lock(inode);
	p = (f->flags & O_APPEND) ? inode->i_size : pos ? *pos : f->f_pos;
	ret = do_write(inode, ubuf, n, &p, false);
	inode_unlock(inode);
	if (pos)
		*pos = p;
	else
		f->f_pos = p;
	return ret;
}

long generic_file_write_kernel(struct file *f, const char *buf, size_t n)
{
	struct inode *inode = f->inode;
	long ret;
	u64 p;

	inode_lock(inode);
	p = (f->flags & O_APPEND) ? inode->i_size : f->f_pos;
	ret = do_write(inode, buf, n, &p, true);
	inode_unlock(inode);
	f->f_pos = p;
	return ret;
}

long filemap_write_kernel(struct inode *inode, u64 pos, const void *buf, size_t n)
{
	return do_write(inode, buf, n, &pos, true);
}

int filemap_fault_page(struct inode *inode, unsigned long index, bool write, void **page)
{
	struct cpage *cp;
	int err;

	if ((u64)index << PAGE_SHIFT >= READ_ONCE(inode->i_size))
		return -EIO;
	cp = grab(inode, index);
	if (!cp)
		return -ENOMEM;
	err = page_uptodate(inode, cp, false);
	if (!err && write) {
		/* Under i_mutex, so truncate cannot free what this allocates. */
		inode_lock(inode);
		if ((u64)index << PAGE_SHIFT >= inode->i_size)
			err = -EIO;
		else
			err = alloc_blocks(inode, (u64)index << PAGE_SHIFT,
					   (size_t)min((u64)PAGE_SIZE, inode->i_size -
						   ((u64)index << PAGE_SHIFT)), NULL, NULL);
		inode_unlock(inode);
		if (!err)
			set_wb_flag(cp, PC_MAPPED_W);
	}
	if (!err) {
		get_page(cp->page);
		*page = cp->page;
	}
	cpage_put(cp);
	return err;
}

bool filemap_page_current(struct inode *inode, unsigned long index, void *page)
{
	struct cpage *cp;
	bool ret;

	spin_lock(&pagecache_lock);
	cp = find_locked(&inode->i_pages, index);
	ret = cp && cp->page == page;
	spin_unlock(&pagecache_lock);
	return ret;
}

bool filemap_has_page(struct inode *inode, unsigned long index)
{
	bool ret;

	spin_lock(&pagecache_lock);
	ret = find_locked(&inode->i_pages, index);
	spin_unlock(&pagecache_lock);
	return ret;
}

void pagecache_get_stats(struct pagecache_stats *st)
{
	spin_lock(&pagecache_lock);
	*st = stats;
	spin_unlock(&pagecache_lock);
	st->writebacks = __atomic_load_n(&stats.writebacks, __ATOMIC_RELAXED);
}
