/* SPDX-License-Identifier: BSD-2-Clause */
/* The binary buddy allocator core: split and merge 2^order page blocks; freestanding, host-tested. */
#include <hartix/buddy.h>
#include <hartix/compiler.h>
#include <hartix/string.h>

/*
 * Blocks are aligned to their size in absolute pfn terms, so a block's
 * buddy is pfn ^ 2^order and physical addresses come out aligned too.
 * Only the first page of a block carries state: PG_buddy with 'order'
 * while it is in a free list, PG_head with 'order' while allocated. Every
 * managed page lies in exactly one block; pages never handed in lie in
 * none, which is how a bad free is told apart from a double free.
 */

static void list_add(struct buddy *b, struct page *page, unsigned int order)
{
	page->prev = NULL;
	page->next = b->free_list[order];
	if (page->next)
		page->next->prev = page;
	b->free_list[order] = page;
	page->flags |= PG_buddy;
	page->order = (u8)order;
	b->nr_free[order]++;
	b->free_pages += 1ULL << order;
}

static void list_del(struct buddy *b, struct page *page, unsigned int order)
{
	if (page->prev)
		page->prev->next = page->next;
	else
		b->free_list[order] = page->next;
	if (page->next)
		page->next->prev = page->prev;
	page->next = page->prev = NULL;
	page->flags &= ~PG_buddy;
	b->nr_free[order]--;
	b->free_pages -= 1ULL << order;
}

/*
 * Before a page is first handed out, only its state words need a known
 * value: flags, order, cpu and inuse, and refcount (a slab's freelist).
 * The list links are written by list_add() and slab_link(), and private
 * by the slab that takes the page, before anyone reads them. So two of
 * the five words of each struct page are cleared: zeroing all of mem_map
 * was a sixth of the boot.
 */
#define STATE_START offsetof(struct page, flags)
#define STATE_LEN (offsetof(struct page, private) - STATE_START)
/* Between them: flags, order, cpu, inuse and the refcount/freelist union. */
BUILD_BUG_ON(STATE_START != 2 * sizeof(void *) || STATE_LEN != 16);

static void clear_state(struct page *map, u64 npages)
{
	u64 i;

	/* Two stores a page, eight pages a round. */
#pragma GCC unroll 8
	for (i = 0; i < npages; i++) {
		u64 *state = (u64 *)(void *)((char *)&map[i] + STATE_START);

		state[0] = 0;
		state[1] = 0;
	}
}

void buddy_init(struct buddy *b, struct page *map, u64 base_pfn, u64 npages)
{
	memset(b, 0, sizeof(*b));
	clear_state(map, npages);
	b->map = map;
	b->base_pfn = base_pfn;
	b->map_pages = npages;
}

/* The block, free or allocated, containing pfn; NULL if it is in none. */
static struct page *block_of(const struct buddy *b, u64 pfn)
{
	unsigned int k;

	for (k = 0; k <= MAX_ORDER; k++) {
		u64 head = pfn & ~((1ULL << k) - 1);
		const struct page *page;

		if (!buddy_pfn_in_map(b, head))
			break; /* heads further down are lower still */
		page = buddy_pfn_to_page(b, head);
		if ((page->flags & (PG_buddy | PG_head)) &&
		    pfn - head < (1ULL << page->order))
			return (struct page *)page;
	}
	return NULL;
}

/* Inserts a free block, first merging it with its free buddies. */
static void free_block(struct buddy *b, u64 pfn, unsigned int order)
{
	while (order < MAX_ORDER) {
		u64 buddy = pfn ^ (1ULL << order);
		struct page *page;

		if (!buddy_pfn_in_map(b, buddy))
			break;
		page = buddy_pfn_to_page(b, buddy);
		if (!(page->flags & PG_buddy) || page->order != order)
			break;
		list_del(b, page, order);
		pfn &= ~(1ULL << order);
		order++;
	}
	list_add(b, buddy_pfn_to_page(b, pfn), order);
}

int buddy_add_range(struct buddy *b, u64 start_pfn, u64 npages)
{
	unsigned int i;
	u64 pfn, end;

	if (!npages)
		return 0;
	if (!buddy_pfn_in_map(b, start_pfn) ||
	    npages > b->map_pages - (start_pfn - b->base_pfn))
		return -BUDDY_EOUTSIDE;
	/*
	 * Blocks only ever lie inside ranges added before, so comparing with
	 * those finds any overlap (a check per page would cost more than the
	 * rest of the boot's page allocator setup).
	 */
	end = start_pfn + npages;
	for (i = 0; i < b->nr_ranges; i++)
		if (start_pfn < b->ranges[i].end && b->ranges[i].start < end)
			return -BUDDY_EOVERLAP;
	for (i = 0; i < b->nr_ranges; i++)
		if (b->ranges[i].end == start_pfn || b->ranges[i].start == end)
			break;
	if (i == b->nr_ranges) {
		if (b->nr_ranges == BUDDY_MAX_RANGES)
			return -BUDDY_ERANGES;
		b->ranges[b->nr_ranges++] = (typeof(b->ranges[0])){ start_pfn, end };
	} else {
		/* Adjacent: grow that range (a second neighbour stays separate). */
		b->ranges[i].start = min(b->ranges[i].start, start_pfn);
		b->ranges[i].end = max(b->ranges[i].end, end);
	}

	for (pfn = start_pfn; pfn < end;) {
		unsigned int order = 0;

		/* Grow while pfn stays aligned and the block still fits. */
		while (order < MAX_ORDER && !(pfn & (1ULL << order)) &&
		       (2ULL << order) <= end - pfn)
			order++;
		b->managed_pages += 1ULL << order;
		free_block(b, pfn, order);
		pfn += 1ULL << order;
	}
	return 0;
}

int buddy_alloc(struct buddy *b, unsigned int order, u64 *pfn)
{
	struct page *page;
	unsigned int o;

	if (order > MAX_ORDER)
		return -BUDDY_EBADORDER;
	for (o = order; o <= MAX_ORDER && !b->free_list[o]; o++)
		;
	if (o > MAX_ORDER)
		return -BUDDY_ENOMEM;
	page = b->free_list[o];
	list_del(b, page, o);
	*pfn = buddy_page_to_pfn(b, page);
	/* Keep the lower half, give the upper halves back. */
	while (o > order) {
		o--;
		list_add(b, buddy_pfn_to_page(b, *pfn + (1ULL << o)), o);
	}
	page->flags |= PG_head;
	page->order = (u8)order;
	return 0;
}

int buddy_free(struct buddy *b, u64 pfn, unsigned int order)
{
	struct page *page;

	if (order > MAX_ORDER)
		return -BUDDY_EBADORDER;
	if (!buddy_pfn_in_map(b, pfn))
		return -BUDDY_EOUTSIDE;
	page = buddy_pfn_to_page(b, pfn);
	if (!(page->flags & PG_head)) {
		const struct page *block = block_of(b, pfn);

		if (!block)
			return -BUDDY_ENOTMANAGED;
		return block->flags & PG_buddy ? -BUDDY_EFREE : -BUDDY_ENOTHEAD;
	}
	if (page->order != order)
		return -BUDDY_EWRONGORDER;
	page->flags &= ~PG_head;
	free_block(b, pfn, order);
	return 0;
}

const char *buddy_strerror(int err)
{
	static const char *const msg[] = {
		[BUDDY_OK] = "no error",
		[BUDDY_ENOMEM] = "out of memory",
		[BUDDY_EBADORDER] = "order above MAX_ORDER",
		[BUDDY_EOUTSIDE] = "outside the memory the allocator spans",
		[BUDDY_ENOTMANAGED] = "page was never handed to the allocator (reserved or a hole)",
		[BUDDY_EFREE] = "double free: the block is already free",
		[BUDDY_ENOTHEAD] = "not the first page of its block",
		[BUDDY_EWRONGORDER] = "wrong order: the block was allocated with another",
		[BUDDY_EOVERLAP] = "range overlaps memory already handed in",
		[BUDDY_ERANGES] = "too many separate memory ranges",
	};
	unsigned int i = err < 0 ? (unsigned int)-err : (unsigned int)err;

	return i < ARRAY_SIZE(msg) ? msg[i] : "unknown buddy error";
}
