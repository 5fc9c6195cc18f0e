/* SPDX-License-Identifier: BSD-2-Clause */
/* The buddy allocator core (mm/buddy.c): free lists of 2^order page blocks over a struct page array. */
#ifndef HARTIX_BUDDY_H
#define HARTIX_BUDDY_H

#include <hartix/mm.h>
#include <hartix/types.h>

/*
 * Freestanding and host-tested: no locks, no printing, no global state.
 * The caller owns a struct buddy, serializes every call on it and turns
 * the error codes into messages.
 */
enum buddy_error {
	BUDDY_OK,
	BUDDY_ENOMEM, /* no free block of the order or larger */
	BUDDY_EBADORDER, /* order above MAX_ORDER */
	BUDDY_EOUTSIDE, /* pfn (or part of a range) outside the map */
	BUDDY_ENOTMANAGED, /* pfn in the map but never handed to the allocator */
	BUDDY_EFREE, /* freeing a free block: double free */
	BUDDY_ENOTHEAD, /* pfn inside an allocated block, not its first page */
	BUDDY_EWRONGORDER, /* the block was allocated with another order */
	BUDDY_EOVERLAP, /* add_range: part of the range was handed in already */
	BUDDY_ERANGES, /* add_range: more separate ranges than BUDDY_MAX_RANGES */
};

/* Separate (non-adjacent) ranges one allocator takes: memory maps have few. */
#define BUDDY_MAX_RANGES 32

struct buddy {
	struct page *map; /* map[i] describes pfn base_pfn + i */
	u64 base_pfn, map_pages;
	u64 managed_pages; /* handed in through buddy_add_range() */
	u64 free_pages; /* in the free lists */
	struct page *free_list[MAX_ORDER + 1]; /* through page->next/prev */
	u64 nr_free[MAX_ORDER + 1]; /* blocks in each list */
	/* What buddy_add_range() took, adjacent ranges merged: [start, end) pfns. */
	struct {
		u64 start, end;
	} ranges[BUDDY_MAX_RANGES];
	unsigned int nr_ranges;
};

/* Zeroes map (npages entries): no page is managed until added. */
void buddy_init(struct buddy *b, struct page *map, u64 base_pfn, u64 npages);

/*
 * Hands [start_pfn, start_pfn + npages) in as free, in the largest blocks
 * their alignment allows, merged with free neighbours. Returns 0 or
 * -BUDDY_EOUTSIDE / -BUDDY_EOVERLAP / -BUDDY_ERANGES, changing nothing then.
 */
int buddy_add_range(struct buddy *b, u64 start_pfn, u64 npages);

/* 0 and the block's first pfn (aligned to 2^order), or -BUDDY_ENOMEM / -BUDDY_EBADORDER. */
int buddy_alloc(struct buddy *b, unsigned int order, u64 *pfn);

/*
 * Frees the block pfn heads, merging it with free buddies. A bad call
 * returns -BUDDY_E* and changes nothing.
 */
int buddy_free(struct buddy *b, u64 pfn, unsigned int order);

/* The error as a phrase ("double free: the block is already free"). */
const char *buddy_strerror(int err);

static inline struct page *buddy_pfn_to_page(const struct buddy *b, u64 pfn)
{
	return &b->map[pfn - b->base_pfn];
}

static inline u64 buddy_page_to_pfn(const struct buddy *b,
				    const struct page *page)
{
	return b->base_pfn + (u64)(page - b->map);
}

/* Whether pfn has an entry in the map. */
static inline bool buddy_pfn_in_map(const struct buddy *b, u64 pfn)
{
	return pfn - b->base_pfn < b->map_pages; /* below base wraps high */
}

#endif
