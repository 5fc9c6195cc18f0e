/* SPDX-License-Identifier: BSD-2-Clause */
/* The page allocator: physical pages in power-of-two blocks, and their struct page. */
#ifndef HARTIX_MM_H
#define HARTIX_MM_H

#include <hartix/compiler.h>
#include <hartix/types.h>
#include <asm/page.h>

/* Allocation flags. */
typedef unsigned int gfp_t;
#define GFP_KERNEL 0U
#define __GFP_ZERO (1U << 0) /* fill the block with zeroes */
#define __GFP_NOWARN (1U << 1) /* no message when it fails */

#define MAX_ORDER 10 /* largest block: 2^MAX_ORDER pages (4 MiB) */

/* The smallest order whose block holds size bytes (size 0 gives 0). */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	if (size)
		for (size = (size - 1) >> PAGE_SHIFT; size; size >>= 1)
			order++;
	return order;
}

/*
 * struct page flags. The buddy core (mm/buddy.c) owns PG_buddy and
 * PG_head; the other bits belong to whoever holds the page and are left
 * alone by the core.
 */
#define PG_buddy (1U << 0) /* heads a free block in the buddy lists */
#define PG_head (1U << 1) /* heads an allocated block of 'order' */
#define PG_pcp (1U << 2) /* free, in CPU 'cpu's page cache */
#define PG_poisoned (1U << 3) /* CONFIG_DEBUG_PAGEALLOC: filled with the free pattern */
#define PG_slab (1U << 4) /* part of a slab; 'private' is its cache */
#define PG_large (1U << 5) /* heads a kmalloc block too big for a slab */

/*
 * One per physical page frame the allocator manages (mem_map). Fields
 * are owned by the allocator while the page is free; the owner of an
 * allocated page may use 'private' (the slab allocator does).
 */
struct page {
	struct page *next, *prev; /* free list links; a slab's list in its cache */
	u32 flags; /* PG_* */
	u8 order; /* of the block this page heads */
	u8 cpu; /* per-CPU cache holding it, when cached */
	u16 inuse; /* slab head: objects off its freelist */
	union {
		u32 refcount; /* users of an allocated page (copy-on-write later) */
		void *freelist; /* slab head: its first free object */
	};
	void *private;
};

/* mem_map costs 1% of RAM at this size; keep it there. */
BUILD_BUG_ON(sizeof(struct page) > 40);

/*
 * Allocates 2^order contiguous pages; returns the kernel (direct-map)
 * address, or NULL when memory is short (never panics).
 */
void *alloc_pages(unsigned int order, gfp_t flags);
/* Frees a block; order must be the one it was allocated with. */
void free_pages(void *addr, unsigned int order);

static inline void *alloc_page(gfp_t flags)
{
	return alloc_pages(0, flags);
}

static inline void free_page(void *addr)
{
	free_pages(addr, 0);
}

/*
 * Pages with more than one user (copy-on-write user pages, file data
 * pages also mapped by processes): refcount counts them, and the last
 * put_page() frees the page. The first user sets refcount to 1.
 */
void get_page(void *kva);
void put_page(void *kva);

/* NULL for an address without a struct page (not RAM the allocator spans). */
struct page *virt_to_page(const void *addr);
void *page_to_virt(const struct page *page);

/*
 * Takes over every free range memblock still has (memblock_alloc() finds
 * nothing after it), prints the totals and starts kmalloc.
 */
void page_alloc_init(void);

/* Counters, for tests, make bench and later /proc/meminfo. */
struct page_alloc_stats {
	u64 total_pages, free_pages;
	u64 free_blocks[MAX_ORDER + 1]; /* per order, in the shared lists */
	u64 cached_pages; /* sitting in per-CPU caches */
	u64 failures[MAX_ORDER + 1]; /* allocations that returned NULL, per order */
};
void page_alloc_get_stats(struct page_alloc_stats *stats);

/* One CPU's share: its cache of free order-0 pages and what went through it. */
struct page_alloc_cpu_stats {
	u64 cached_pages;
	u64 allocs, frees; /* blocks of any order this CPU allocated, freed */
	u64 refills, drains; /* batches moved between its cache and the lists */
};
void page_alloc_get_cpu_stats(unsigned int cpu,
			      struct page_alloc_cpu_stats *stats);

#endif
