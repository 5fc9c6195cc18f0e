/* SPDX-License-Identifier: BSD-2-Clause */
/* The page cache of disk files (mm/filemap.c): each inode's pages by file offset, their writeback and eviction. */
#ifndef HARTIX_PAGEMAP_H
#define HARTIX_PAGEMAP_H

#include <hartix/types.h>

struct cpage;
struct inode;
struct super_block;

/*
 * The cached pages of one file (embedded in struct inode as i_pages).
 * Every field is under the page cache's lock (mm/filemap.c).
 */
struct address_space {
	struct cpage *pages; /* every cached page of the file, in no order */
	unsigned long nrpages;
	/* On the list of files with dirty or writably mapped pages (writeback). */
	struct address_space *wb_next, **wb_pprev;
	unsigned long wb_seq; /* when it was queued: a writeback round takes the older ones */
};

/*
 * A page of a disk file for a fault at page index (mm/mmap.c), with a
 * reference for the caller (put_page() it), filled from the disk if it
 * was not cached. write: it goes into a writable shared mapping, so its
 * blocks are allocated now (ENOSPC is the fault's SIGBUS) and it is
 * written back while mapped. 0, -EIO past the end (SIGBUS), -ENOSPC,
 * -ENOMEM. Sleeps: never under a spinlock.
 */
int filemap_fault_page(struct inode *inode, unsigned long index, bool write, void **page);
/* Whether page is still inode's page at index (a truncate may have taken it out). */
bool filemap_page_current(struct inode *inode, unsigned long index, void *page);
/* Whether inode has page index cached (mincore). */
bool filemap_has_page(struct inode *inode, unsigned long index);
/* Up to n bytes at pos into a kernel buffer (exec, sendfile): bytes read or -errno. */
long filemap_read_kernel(struct inode *inode, u64 pos, void *buf, size_t n);
/* n bytes from a kernel buffer at pos; the caller holds i_mutex: bytes written or -errno. */
long filemap_write_kernel(struct inode *inode, u64 pos, const void *buf, size_t n);
/*
 * Writes inode's dirty and writably mapped pages into the buffer cache
 * (fsync, msync, sync): 0 or the first -errno. Takes i_mutex.
 */
int filemap_write_back(struct inode *inode);
/* The same, then the device's dirty buffers written and flushed (msync MS_SYNC). */
int filemap_sync(struct inode *inode);
/* The same as filemap_write_back() for every file of sb (sync, syncfs, umount). */
int filemap_write_back_sb(struct super_block *sb);
/* The last reference is gone: writes the pages back if it still has a name, and drops them. */
void filemap_evict(struct inode *inode);
/*
 * After the file system changed the size from old to size (truncate,
 * with i_mutex): pages past the end go, mappings of them are zapped,
 * and the bytes past the end in the last page read as zeroes.
 */
void filemap_size_changed(struct inode *inode, u64 old, u64 size);
/* Low memory (the page allocator, any context): frees up to nr clean unused pages; how many went. */
unsigned long pagecache_shrink(unsigned long nr);

struct pagecache_stats {
	unsigned long pages, dirty, hits, misses, evictions, writebacks;
};
void pagecache_get_stats(struct pagecache_stats *st);

#endif
