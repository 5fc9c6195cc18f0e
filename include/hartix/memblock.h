/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot-time physical memory map and allocator (mm/memblock.c), before the page allocator. */
#ifndef HARTIX_MEMBLOCK_H
#define HARTIX_MEMBLOCK_H

#include <hartix/types.h>

/*
 * A range [base, base + size). Ranges end at most at 2^64 - 1: the last
 * byte of the address space cannot be described, which no machine needs.
 */
struct memblock_region {
	phys_addr_t base, size;
	const char *name; /* reservations: who owns it, for the boot log */
	unsigned int flags; /* reserved for region attributes, 0 today */
};

/* Sorted by base; storage belongs to the caller. */
struct memblock_type {
	struct memblock_region *regions;
	int cnt, max;
};

/*
 * memory: usable RAM, merged into disjoint, non-adjacent regions.
 * reserved: ranges not to hand out. Those with the same name are merged
 * like memory; differently named ones stay separate and may overlap. They
 * may extend beyond memory.
 */
struct memblock {
	struct memblock_type memory, reserved;
};

void memblock_init(struct memblock *mb, struct memblock_region *mem,
		   int mem_max, struct memblock_region *resv, int resv_max);

/*
 * Both return 0, -EINVAL for an empty range or one past 2^64 - 1, or
 * -ENOSPC when the table is full, leaving the state unchanged. A range that
 * merges into existing ones never needs a new entry.
 */
int memblock_add(struct memblock *mb, phys_addr_t base, phys_addr_t size);
int memblock_reserve(struct memblock *mb, phys_addr_t base, phys_addr_t size,
		     const char *name);

/*
 * Reserves 'size' bytes aligned to 'align' (a power of two; 0 means 1) at
 * the highest free address inside [min_addr, max_addr), recorded under
 * 'name'. Returns the base, or 0 on failure: address 0 is never handed
 * out, so 0 is unambiguous.
 *
 * Boot-time only: page_alloc_init() hands every free range to the page
 * allocator and then reserves all of memory as "page_alloc", so from then
 * on this finds nothing and returns 0. Use alloc_pages() instead.
 */
phys_addr_t memblock_alloc_range(struct memblock *mb, phys_addr_t size,
				 phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, const char *name);

static inline phys_addr_t memblock_alloc(struct memblock *mb, phys_addr_t size,
					 phys_addr_t align, const char *name)
{
	return memblock_alloc_range(mb, size, align, 0, ~(phys_addr_t)0, name);
}

/*
 * Steps through memory minus every reservation, in ascending order:
 *
 *	u64 cursor = 0;
 *	while (memblock_next_free(mb, &cursor, &start, &end))
 *		use [start, end);
 *
 * The cursor is the end of the previous range; the table may change between
 * calls and the walk continues above that address.
 */
bool memblock_next_free(const struct memblock *mb, u64 *cursor,
			phys_addr_t *start, phys_addr_t *end);

phys_addr_t memblock_total(const struct memblock *mb);
phys_addr_t memblock_free_total(const struct memblock *mb);

#endif
