/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the buddy allocator core (mm/buddy.c), checked against a model. */
#include <hartix/compiler.h> /* before any libc header: see libc_rename.h */
#include <hartix/buddy.h>
#include "htest.h"

/* A map that does not start on a large boundary, so edges get exercised. */
#define BASE_PFN 0x80003ULL
#define MAP_PAGES 6000ULL

static struct page map[MAP_PAGES];
static struct buddy b;

static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Free blocks as a pfn-indexed order table: -1 where no free block starts. */
struct snapshot {
	signed char order[MAP_PAGES];
	u64 free_pages;
};

/*
 * Walks every free list, checking links, flags, alignment and counts, and
 * records the blocks. Returns false (after failed CHECKs) if broken.
 */
static bool snapshot(struct snapshot *s)
{
	u64 pages = 0;
	unsigned int o;
	bool ok = true;

	memset(s->order, -1, sizeof(s->order));
	for (o = 0; o <= MAX_ORDER; o++) {
		struct page *p, *prev = NULL;
		u64 n = 0;

		for (p = b.free_list[o]; p; prev = p, p = p->next) {
			u64 pfn = buddy_page_to_pfn(&b, p);

			if (!(p >= map && p < map + MAP_PAGES) || p->prev != prev ||
			    !(p->flags & PG_buddy) || (p->flags & PG_head) ||
			    p->order != o || (pfn & ((1ULL << o) - 1)) ||
			    pfn + (1ULL << o) > BASE_PFN + MAP_PAGES) {
				CHECK(!"free list entry is consistent");
				return false;
			}
			s->order[pfn - BASE_PFN] = (signed char)o;
			n++;
		}
		if (n != b.nr_free[o]) {
			CHECK_EQ(n, b.nr_free[o]);
			ok = false;
		}
		pages += n << o;
	}
	CHECK_EQ(pages, b.free_pages);
	s->free_pages = pages;
	return ok && pages == b.free_pages;
}

static bool same_snapshot(const struct snapshot *a, const struct snapshot *c)
{
	return a->free_pages == c->free_pages &&
	       !memcmp(a->order, c->order, sizeof(a->order));
}

/*
 * The blocks a range must become: the largest aligned block that fits at
 * each step, then merged with aligned free neighbours. Computed here
 * independently of buddy.c: 'owner' marks managed pages.
 */
static void expect_maximal(const bool *managed, struct snapshot *s)
{
	u64 i = 0;

	memset(s->order, -1, sizeof(s->order));
	s->free_pages = 0;
	while (i < MAP_PAGES) {
		u64 pfn = BASE_PFN + i;
		int o;

		if (!managed[i]) {
			i++;
			continue;
		}
		/* The largest aligned block starting here, all managed. */
		for (o = MAX_ORDER; o >= 0; o--) {
			u64 n = 1ULL << o, j;
			bool all = !(pfn & (n - 1)) && i + n <= MAP_PAGES;

			for (j = 0; all && j < n; j++)
				all = managed[i + j];
			if (all)
				break;
		}
		s->order[i] = (signed char)o;
		s->free_pages += 1ULL << o;
		i += 1ULL << o;
	}
}

static void reset(void)
{
	buddy_init(&b, map, BASE_PFN, MAP_PAGES);
}

static void test_add_range_makes_maximal_blocks(void)
{
	static bool managed[MAP_PAGES];
	struct snapshot got, want;
	/* Odd starts and ends, two ranges that touch, one hole. */
	static const u64 ranges[][2] = {
		{ 0, 1 }, { 5, 1027 }, { 1032, 3 }, { 1500, 2500 }, { 4000, 2000 },
	};
	unsigned int r;

	reset();
	memset(managed, 0, sizeof(managed));
	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		u64 j;

		CHECK_EQ(buddy_add_range(&b, BASE_PFN + ranges[r][0], ranges[r][1]), 0);
		for (j = 0; j < ranges[r][1]; j++)
			managed[ranges[r][0] + j] = true;
	}
	CHECK_EQ(b.managed_pages, 1 + 1027 + 3 + 2500 + 2000);
	CHECK(snapshot(&got));
	expect_maximal(managed, &want);
	CHECK(same_snapshot(&got, &want));
	CHECK_EQ(buddy_add_range(&b, BASE_PFN, 0), 0);
}

/* One block a random test holds. */
struct live {
	u64 pfn;
	unsigned int order;
};

static void check_against_model(const u16 *owner, const struct live *live,
				unsigned int nlive, u64 managed)
{
	struct snapshot s;
	u64 held = 0, i;
	unsigned int k;

	if (!snapshot(&s))
		return;
	for (k = 0; k < nlive; k++)
		held += 1ULL << live[k].order;
	CHECK_EQ(b.free_pages, managed - held);
	/* No free block covers a held page. */
	for (i = 0; i < MAP_PAGES; i++) {
		u64 j;

		if (s.order[i] < 0)
			continue;
		for (j = 0; j < (1ULL << s.order[i]); j++)
			if (owner[i + j]) {
				CHECK(!"a free block covers an allocated page");
				return;
			}
	}
}

static void random_run(u64 seed, unsigned int steps, unsigned int max_order)
{
	static bool managed[MAP_PAGES];
	static u16 owner[MAP_PAGES]; /* 1 + index into live, 0 = not held */
	static struct live live[MAP_PAGES];
	struct snapshot initial, end;
	unsigned int nlive = 0, step;
	u64 i;

	rng_state = seed;
	reset();
	memset(managed, 0, sizeof(managed));
	memset(owner, 0, sizeof(owner));
	/* Random ranges with holes between them. */
	for (i = rnd() % 7; i < MAP_PAGES;) {
		u64 n = 1 + rnd() % 1500, j;

		if (n > MAP_PAGES - i)
			n = MAP_PAGES - i;
		CHECK_EQ(buddy_add_range(&b, BASE_PFN + i, n), 0);
		for (j = 0; j < n; j++)
			managed[i + j] = true;
		i += n + rnd() % 40;
	}
	CHECK(snapshot(&initial));
	expect_maximal(managed, &end);
	CHECK(same_snapshot(&initial, &end));

	for (step = 0; step < steps; step++) {
		if (nlive && (rnd() % 100 < 45 || b.free_pages < 64)) {
			unsigned int k = (unsigned int)(rnd() % nlive);
			u64 j, n = 1ULL << live[k].order;

			CHECK_EQ(buddy_free(&b, live[k].pfn, live[k].order), 0);
			for (j = 0; j < n; j++)
				owner[live[k].pfn - BASE_PFN + j] = 0;
			live[k] = live[--nlive];
			n = 1ULL << live[k].order;
			for (j = 0; k < nlive && j < n; j++)
				owner[live[k].pfn - BASE_PFN + j] = (u16)(k + 1);
		} else {
			unsigned int order = (unsigned int)(rnd() % (max_order + 1));
			u64 pfn = 0, j, n = 1ULL << order;
			int err = buddy_alloc(&b, order, &pfn);

			if (err) {
				unsigned int o;

				CHECK_EQ(err, -BUDDY_ENOMEM);
				for (o = order; o <= MAX_ORDER; o++)
					CHECK_EQ(b.nr_free[o], 0);
				continue;
			}
			CHECK_EQ(pfn & (n - 1), 0);
			CHECK(buddy_pfn_in_map(&b, pfn) &&
			      pfn + n <= BASE_PFN + MAP_PAGES);
			for (j = 0; j < n; j++) {
				u64 idx = pfn - BASE_PFN + j;

				if (!managed[idx] || owner[idx]) {
					CHECK(!"block is managed and not held");
					return;
				}
				owner[idx] = (u16)(nlive + 1);
			}
			live[nlive++] = (struct live){ pfn, order };
		}
		if (step % 97 == 0)
			check_against_model(owner, live, nlive, b.managed_pages);
	}
	check_against_model(owner, live, nlive, b.managed_pages);
	while (nlive) {
		nlive--;
		CHECK_EQ(buddy_free(&b, live[nlive].pfn, live[nlive].order), 0);
	}
	CHECK(snapshot(&end));
	CHECK(same_snapshot(&initial, &end));
}

static void test_random_small_orders(void)
{
	random_run(0x1234567ULL, 20000, 3);
}

static void test_random_all_orders(void)
{
	unsigned int seed;

	for (seed = 1; seed <= 8; seed++)
		random_run(0x9e3779b97f4a7c15ULL * seed, 6000, MAX_ORDER);
}

/* The whole map, then everything order 0 until full: every page once. */
static void test_exhaust_and_refill(void)
{
	static u64 got[MAP_PAGES];
	struct snapshot before, after;
	u64 n = 0, pfn, i;

	reset();
	CHECK_EQ(buddy_add_range(&b, BASE_PFN, MAP_PAGES), 0);
	CHECK(snapshot(&before));
	while (!buddy_alloc(&b, 0, &pfn)) {
		CHECK(n < MAP_PAGES);
		if (n >= MAP_PAGES)
			return;
		got[n++] = pfn;
	}
	CHECK_EQ(n, MAP_PAGES);
	CHECK_EQ(b.free_pages, 0);
	CHECK_EQ(buddy_alloc(&b, 0, &pfn), -BUDDY_ENOMEM);
	CHECK_EQ(buddy_alloc(&b, MAX_ORDER + 1, &pfn), -BUDDY_EBADORDER);
	/* Freed in a scrambled order, it still merges back completely. */
	rng_state = 77;
	for (i = n; i > 1; i--) {
		u64 j = rnd() % i, t = got[i - 1];

		got[i - 1] = got[j];
		got[j] = t;
	}
	for (i = 0; i < n; i++)
		CHECK_EQ(buddy_free(&b, got[i], 0), 0);
	CHECK(snapshot(&after));
	CHECK(same_snapshot(&before, &after));
}

/* Blocks never merge past the map's ends or into holes. */
static void test_edges(void)
{
	u64 pfn;

	reset();
	/* Two halves of an order-3 block handed in separately merge. */
	CHECK_EQ(buddy_add_range(&b, 0x80008, 4), 0);
	CHECK_EQ(buddy_add_range(&b, 0x8000c, 4), 0);
	CHECK_EQ(b.nr_free[3], 1);
	CHECK_EQ(b.nr_free[2], 0);
	/* The map's first pages: 0x80003 is odd, its buddy 0x80002 is outside. */
	CHECK_EQ(buddy_add_range(&b, BASE_PFN, 1), 0);
	CHECK_EQ(b.nr_free[0], 1);
	CHECK_EQ(buddy_alloc(&b, 0, &pfn), 0);
	CHECK_EQ(pfn, BASE_PFN);
	CHECK_EQ(buddy_free(&b, pfn, 0), 0);
	CHECK_EQ(b.nr_free[0], 1);
	/* The last page of the map. */
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + MAP_PAGES - 1, 1), 0);
	CHECK_EQ(b.nr_free[0], 2);
	/* A split keeps the lower half and frees the upper ones. */
	CHECK_EQ(buddy_alloc(&b, 1, &pfn), 0);
	CHECK_EQ(pfn, 0x80008);
	CHECK_EQ(b.nr_free[1], 1);
	CHECK_EQ(b.nr_free[2], 1);
	CHECK_EQ(buddy_free(&b, pfn, 1), 0);
	CHECK_EQ(b.nr_free[3], 1);
	CHECK_EQ(b.free_pages, 10);
}

static void test_corruption_detected(void)
{
	struct snapshot before, after;
	u64 a, c, d;

	reset();
	/* A hole at [64, 128). */
	CHECK_EQ(buddy_add_range(&b, BASE_PFN, 64), 0);
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + 128, 1024), 0);
	CHECK_EQ(buddy_alloc(&b, 2, &a), 0);
	CHECK_EQ(buddy_alloc(&b, 0, &c), 0);
	CHECK_EQ(buddy_alloc(&b, 0, &d), 0);
	CHECK(snapshot(&before));

	CHECK_EQ(buddy_free(&b, a, 1), -BUDDY_EWRONGORDER);
	CHECK_EQ(buddy_free(&b, a, 3), -BUDDY_EWRONGORDER);
	CHECK_EQ(buddy_free(&b, a + 1, 0), -BUDDY_ENOTHEAD);
	CHECK_EQ(buddy_free(&b, a + 2, 1), -BUDDY_ENOTHEAD);
	CHECK_EQ(buddy_free(&b, BASE_PFN - 1, 0), -BUDDY_EOUTSIDE);
	CHECK_EQ(buddy_free(&b, BASE_PFN + MAP_PAGES, 0), -BUDDY_EOUTSIDE);
	CHECK_EQ(buddy_free(&b, 0, 0), -BUDDY_EOUTSIDE);
	CHECK_EQ(buddy_free(&b, BASE_PFN + 100, 0), -BUDDY_ENOTMANAGED);
	CHECK_EQ(buddy_free(&b, BASE_PFN + 4000, 0), -BUDDY_ENOTMANAGED);
	CHECK_EQ(buddy_free(&b, a, MAX_ORDER + 1), -BUDDY_EBADORDER);
	/* Pages never allocated: inside a free block, or its head. */
	CHECK_EQ(buddy_free(&b, BASE_PFN + 128 + 600, 0), -BUDDY_EFREE);
	CHECK_EQ(buddy_free(&b, BASE_PFN + 128 + 512, 9), -BUDDY_EFREE);
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + 60, 10), -BUDDY_EOVERLAP);
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + 100, 40), -BUDDY_EOVERLAP);
	CHECK_EQ(buddy_add_range(&b, a, 1), -BUDDY_EOVERLAP);
	/* Wholly inside a block: no block starts in the range. */
	CHECK_EQ(buddy_add_range(&b, a + 1, 3), -BUDDY_EOVERLAP);
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + 128 + 600, 5), -BUDDY_EOVERLAP);
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + 64, 1000), -BUDDY_EOVERLAP);
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + MAP_PAGES - 2, 3), -BUDDY_EOUTSIDE);
	CHECK_EQ(buddy_add_range(&b, BASE_PFN - 1, 1), -BUDDY_EOUTSIDE);
	CHECK(snapshot(&after));
	CHECK(same_snapshot(&before, &after));

	/* Double free right away (the head is in a list)... */
	CHECK_EQ(buddy_free(&b, c, 0), 0);
	CHECK_EQ(buddy_free(&b, c, 0), -BUDDY_EFREE);
	/* ...and after it merged into a block another page heads. */
	CHECK_EQ(buddy_free(&b, d, 0), 0);
	CHECK_EQ(buddy_free(&b, c, 0), -BUDDY_EFREE);
	CHECK_EQ(buddy_free(&b, d, 0), -BUDDY_EFREE);
	CHECK_EQ(buddy_free(&b, a, 2), 0);
	CHECK_EQ(buddy_free(&b, a, 2), -BUDDY_EFREE);
	CHECK_EQ(b.free_pages, 64 + 1024);
}

/* Adjacent ranges merge; separate ones fill the table, then are refused whole. */
static void test_range_table(void)
{
	u64 i, free_before;

	reset();
	for (i = 0; i < 3 * BUDDY_MAX_RANGES; i++) /* merges into one */
		CHECK_EQ(buddy_add_range(&b, BASE_PFN + i, 1), 0);
	CHECK_EQ(b.nr_ranges, 1);
	for (i = 1; i < BUDDY_MAX_RANGES; i++) /* holes between: separate */
		CHECK_EQ(buddy_add_range(&b, BASE_PFN + 1000 + 2 * i, 1), 0);
	CHECK_EQ(b.nr_ranges, BUDDY_MAX_RANGES);
	free_before = b.free_pages;
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + 3000, 10), -BUDDY_ERANGES);
	CHECK_EQ(b.free_pages, free_before);
	/* Touching one already there still fits; overlapping is refused. */
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + 1003, 1), 0);
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + 1003, 1), -BUDDY_EOVERLAP);
	CHECK_EQ(buddy_add_range(&b, BASE_PFN + 50, 1), -BUDDY_EOVERLAP);
}

static void test_strerror(void)
{
	int e;

	CHECK_STR(buddy_strerror(-BUDDY_EFREE),
		  "double free: the block is already free");
	for (e = BUDDY_OK; e <= BUDDY_ERANGES; e++)
		CHECK(strcmp(buddy_strerror(-e), "unknown buddy error") != 0);
	CHECK_STR(buddy_strerror(-100), "unknown buddy error");
}

int main(void)
{
	HTEST_RUN(test_add_range_makes_maximal_blocks);
	HTEST_RUN(test_random_small_orders);
	HTEST_RUN(test_random_all_orders);
	HTEST_RUN(test_exhaust_and_refill);
	HTEST_RUN(test_edges);
	HTEST_RUN(test_corruption_detected);
	HTEST_RUN(test_range_table);
	HTEST_RUN(test_strerror);
	return htest_done();
}
