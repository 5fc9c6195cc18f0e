/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot memory map: usable RAM minus reservations, and the top-down allocator carving from it. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/memblock.h>
#include <hartix/string.h>

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* Compared as strings: equal literals in different objects may differ in address. */
static bool same_name(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Adjacent counts as touching, so "firmware" 0..1M and 1M..2M become one entry. */
static bool mergeable(const struct memblock_region *r, phys_addr_t base,
		      phys_addr_t end, const char *name)
{
	return same_name(r->name, name) && r->base <= end &&
	       base <= region_end(r);
}

void memblock_init(struct memblock *mb, struct memblock_region *mem,
		   int mem_max, struct memblock_region *resv, int resv_max)
{
	mb->memory = (struct memblock_type){ .regions = mem, .max = mem_max };
	mb->reserved = (struct memblock_type){ .regions = resv, .max = resv_max };
}

/*
 * Same-name regions are kept disjoint and non-adjacent, so those touching
 * the new range form a single interval with it: they are replaced by their
 * union, inserted at its sorted position. Checking for space before
 * changing anything keeps a failed call free of side effects.
 */
static int type_add(struct memblock_type *t, phys_addr_t base,
		    phys_addr_t size, const char *name)
{
	phys_addr_t end, lo, hi;
	int i, j, merged = 0;

	if (!size || base > ~(phys_addr_t)0 - size)
		return -EINVAL;
	end = base + size;

	lo = base;
	hi = end;
	for (i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (mergeable(r, base, end, name)) {
			lo = min(lo, r->base);
			hi = max(hi, region_end(r));
			merged++;
		}
	}
	if (!merged && t->cnt >= t->max)
		return -ENOSPC;

	for (i = j = 0; i < t->cnt; i++)
		if (!mergeable(&t->regions[i], base, end, name))
			t->regions[j++] = t->regions[i];
	for (; j > 0 && t->regions[j - 1].base > lo; j--)
		t->regions[j] = t->regions[j - 1];
	t->regions[j] = (struct memblock_region){
		.base = lo, .size = hi - lo, .name = name,
	};
	t->cnt += 1 - merged;
	return 0;
}

int memblock_add(struct memblock *mb, phys_addr_t base, phys_addr_t size)
{
	return type_add(&mb->memory, base, size, NULL);
}

int memblock_reserve(struct memblock *mb, phys_addr_t base, phys_addr_t size,
		     const char *name)
{
	return type_add(&mb->reserved, base, size, name);
}

bool memblock_next_free(const struct memblock *mb, u64 *cursor,
			phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *mem = &mb->memory, *resv = &mb->reserved;
	int i, j;

	for (i = 0; i < mem->cnt; i++) {
		phys_addr_t s = max(mem->regions[i].base, *cursor);
		phys_addr_t e = region_end(&mem->regions[i]);

		/*
		 * Reservations are sorted by base, so one pass lifts s over
		 * every reservation covering it, overlapping ones included;
		 * the first one starting above s bounds the free range.
		 */
		for (j = 0; j < resv->cnt; j++) {
			const struct memblock_region *r = &resv->regions[j];

			if (r->base > s) {
				e = min(e, r->base);
				break;
			}
			s = max(s, region_end(r));
		}
		if (s < e) {
			*start = s;
			*end = e;
			*cursor = e;
			return true;
		}
	}
	return false;
}

phys_addr_t memblock_alloc_range(struct memblock *mb, phys_addr_t size,
				 phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, const char *name)
{
	phys_addr_t start, end, found = 0;
	u64 cursor = 0;

	if (!align)
		align = 1;
	if (!size || (align & (align - 1)))
		return 0;

	/*
	 * Free ranges come in ascending order: the last fit is the top-down
	 * first fit. A fit only at address 0 leaves found at 0, i.e. failure.
	 */
	while (memblock_next_free(mb, &cursor, &start, &end) && start < max_addr) {
		phys_addr_t base;

		start = max(start, min_addr);
		end = min(end, max_addr);
		if (end <= start || end - start < size)
			continue;
		base = ALIGN_DOWN(end - size, align);
		if (base >= start)
			found = base;
	}
	if (found && memblock_reserve(mb, found, size, name))
		return 0;
	return found;
}

phys_addr_t memblock_total(const struct memblock *mb)
{
	phys_addr_t total = 0;
	int i;

	for (i = 0; i < mb->memory.cnt; i++)
		total += mb->memory.regions[i].size;
	return total;
}

phys_addr_t memblock_free_total(const struct memblock *mb)
{
	phys_addr_t start, end, total = 0;
	u64 cursor = 0;

	while (memblock_next_free(mb, &cursor, &start, &end))
		total += end - start;
	return total;
}
