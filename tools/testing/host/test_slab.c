/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the slab allocator core (mm/slab_core.c) over the buddy core as page provider. */
#include <hartix/compiler.h> /* before any libc header: see libc_rename.h */
#include <hartix/buddy.h>
#include <hartix/slab_core.h>
#include "htest.h"

/* An arena aligned like the direct map: blocks come out aligned to their size. */
#define ARENA_PAGES 2048ULL
#define ARENA_BYTES (ARENA_PAGES * PAGE_SIZE)

static u8 *arena;
static struct page map[ARENA_PAGES];
static struct buddy pages;
static u64 pages_out, page_limit = ~0ULL;

static void *arena_alloc(void *ctx __unused, unsigned int order,
			 gfp_t gfp __unused)
{
	u64 pfn;

	if (pages_out + (1ULL << order) > page_limit ||
	    buddy_alloc(&pages, order, &pfn))
		return NULL;
	pages_out += 1ULL << order;
	return arena + pfn * PAGE_SIZE;
}

static void arena_free(void *ctx __unused, struct page *page, unsigned int order)
{
	CHECK_EQ(page->flags & PG_slab, 0);
	CHECK_EQ(buddy_free(&pages, buddy_page_to_pfn(&pages, page), order), 0);
	pages_out -= 1ULL << order;
}

static struct page *arena_page(void *ctx __unused, const void *addr)
{
	return buddy_pfn_to_page(&pages, (u64)((const u8 *)addr - arena) / PAGE_SIZE);
}

static const struct slab_page_ops ops = {
	.alloc = arena_alloc, .free = arena_free, .page = arena_page,
};

static void reset_pages(void)
{
	buddy_init(&pages, map, 0, ARENA_PAGES);
	CHECK_EQ(buddy_add_range(&pages, 0, ARENA_PAGES), 0);
	pages_out = 0;
	page_limit = ~0ULL;
}

static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Allocation as mm/slab.c does it, one object at a time. */
static void *obj_get(struct slab_cache *c, size_t req)
{
	const void *bad;
	void *obj;

	if (slab_cache_take(c, &obj, 1, 0, &bad) != 1)
		return NULL;
	CHECK_EQ(slab_obj_alloc(c, obj, req, &bad), 0);
	return obj;
}

static int obj_put(struct slab_cache *c, void *obj, const void **bad)
{
	int err = slab_obj_free(c, obj, bad);

	if (!err)
		slab_cache_put(c, &obj, 1);
	return err;
}

static void test_layout(void)
{
	static const size_t sizes[] = { 1, 8, 13, 16, 24, 32, 64, 96, 100, 128,
					192, 256, 500, 512, 1000, 1024, 2048,
					3000, 4096, 10000, 65536 };
	static const size_t aligns[] = { 0, 8, 16, 64, 256, 4096 };
	struct slab_cache c;
	unsigned int i, j, dbg;

	for (dbg = 0; dbg < 2; dbg++)
		for (i = 0; i < ARRAY_SIZE(sizes); i++)
			for (j = 0; j < ARRAY_SIZE(aligns); j++) {
				size_t a = aligns[j] ? aligns[j] : 8, bytes;

				CHECK_EQ(slab_cache_init(&c, "t", sizes[i], aligns[j],
							 dbg ? SLAB_DEBUG : 0, &ops), 0);
				bytes = PAGE_SIZE << c.order;
				CHECK(c.objs_per_slab >= 1);
				CHECK(c.stride >= sizes[i]);
				CHECK_EQ(c.stride % a, 0);
				CHECK_EQ(c.obj_offset % a, 0);
				CHECK(c.bitmap_offset >= (u64)c.objs_per_slab * c.stride);
				CHECK(c.bitmap_offset + (c.objs_per_slab + 63) / 64 * 8 <= bytes);
				/* Small objects waste at most 1/8 of a slab. */
				if (!dbg && a == 8 && sizes[i] <= 2048)
					CHECK((bytes - c.objs_per_slab * c.stride) * 8 <= bytes);
				if (dbg) {
					CHECK(c.obj_offset >= SLAB_REDZONE_SIZE);
					CHECK(c.link_offset >= c.obj_offset + sizes[i] +
						  SLAB_REDZONE_SIZE);
				}
			}
	CHECK_EQ(slab_cache_init(&c, "t", 0, 8, 0, &ops), -SLAB_EINVAL);
	CHECK_EQ(slab_cache_init(&c, "t", 8, 24, 0, &ops), -SLAB_EINVAL);
	CHECK_EQ(slab_cache_init(&c, "t", 8, 2 * PAGE_SIZE, 0, &ops), -SLAB_EINVAL);
	CHECK_EQ(slab_cache_init(&c, "t", (PAGE_SIZE << MAX_ORDER) + 1, 8, 0, &ops),
		 -SLAB_EINVAL);
	/* The whole largest block holds no object and the bitmap. */
	CHECK_EQ(slab_cache_init(&c, "t", PAGE_SIZE << MAX_ORDER, 8, 0, &ops),
		 -SLAB_EINVAL);
}

struct held {
	u8 *obj;
	size_t len;
	u8 tag;
};

/*
 * Random allocations and frees in a few caches, each object filled with
 * its own tag: an overlap shows as a changed tag, checked on free.
 */
static void random_run(u64 seed, unsigned int flags)
{
	enum { NCACHES = 4, NHELD = 600 };
	static struct held held[NHELD];
	struct slab_cache caches[NCACHES];
	unsigned int nheld = 0, i, step;
	static const size_t aligns[NCACHES] = { 0, 16, 64, 8 };

	rng_state = seed;
	reset_pages();
	for (i = 0; i < NCACHES; i++)
		CHECK_EQ(slab_cache_init(&caches[i], "rand",
					 1 + rnd() % (i == 3 ? 3000 : 300),
					 aligns[i], flags, &ops), 0);
	for (step = 0; step < 20000; step++) {
		unsigned int k = (unsigned int)(rnd() % NCACHES);
		struct slab_cache *c = &caches[k];

		if (nheld && (nheld == NHELD || rnd() % 100 < 48)) {
			unsigned int h = (unsigned int)(rnd() % nheld);
			struct slab_cache *hc = arena_page(NULL, held[h].obj)->private;
			const void *bad;
			size_t j;

			for (j = 0; j < held[h].len; j++)
				if (held[h].obj[j] != held[h].tag) {
					CHECK(!"object contents kept");
					return;
				}
			CHECK(hc >= caches && hc < caches + NCACHES);
			CHECK_EQ(obj_put(hc, held[h].obj, &bad), 0);
			held[h] = held[--nheld];
		} else {
			size_t req = 1 + rnd() % c->size;
			u8 *obj = obj_get(c, req);
			struct page *page;

			if (!obj) {
				CHECK(!"allocation succeeds");
				return;
			}
			page = arena_page(NULL, obj);
			CHECK(page->flags & PG_slab);
			CHECK(page->private == c);
			CHECK_EQ((uintptr_t)obj % (aligns[k] ? aligns[k] : 8), 0);
			CHECK(obj >= arena && obj + c->size <= arena + ARENA_BYTES);
			CHECK_EQ(slab_obj_size(c, obj),
				 flags & SLAB_DEBUG ? req : c->size);
			held[nheld] = (struct held){ obj, req, (u8)(step | 1) };
			memset(obj, held[nheld].tag, req);
			nheld++;
		}
	}
	/* Out = held, per cache; pages are exactly the slabs. */
	{
		u64 slab_pages = 0, out = 0;

		for (i = 0; i < NCACHES; i++) {
			slab_pages += caches[i].nr_slabs << caches[i].order;
			out += slab_cache_objs_out(&caches[i]);
			CHECK(caches[i].nr_empty <= 1);
		}
		CHECK_EQ(out, nheld);
		CHECK_EQ(slab_pages, pages_out);
	}
	while (nheld) {
		const void *bad;

		nheld--;
		CHECK_EQ(obj_put(arena_page(NULL, held[nheld].obj)->private,
				 held[nheld].obj, &bad), 0);
	}
	for (i = 0; i < NCACHES; i++) {
		CHECK_EQ(slab_cache_objs_out(&caches[i]), 0);
		slab_cache_shrink(&caches[i]);
		CHECK_EQ(caches[i].nr_slabs, 0);
	}
	CHECK_EQ(pages_out, 0);
	CHECK_EQ(pages.free_pages, ARENA_PAGES);
}

static void test_random(void)
{
	random_run(0x2545f4914f6cdd1dULL, 0);
	random_run(0x5851f42d4c957f2dULL, 0);
}

static void test_random_debug(void)
{
	random_run(0x14057b7ef767814fULL, SLAB_DEBUG);
	random_run(0x9e3779b97f4a7c15ULL, SLAB_DEBUG);
}

/* Batches as the per-CPU caches move them; one empty slab is kept. */
static void test_batches_and_shrink(void)
{
	struct slab_cache c;
	void *objs[64];
	const void *bad;
	unsigned int i, per;

	reset_pages();
	CHECK_EQ(slab_cache_init(&c, "batch", 256, 0, 0, &ops), 0);
	per = c.objs_per_slab;
	CHECK_EQ(slab_cache_take(&c, objs, 64, 0, &bad), 64);
	CHECK_EQ(c.nr_slabs, (64 + per - 1) / per);
	for (i = 0; i < 64; i++)
		CHECK_EQ(slab_obj_alloc(&c, objs[i], 256, &bad), 0);
	for (i = 0; i < 64; i++)
		CHECK_EQ(slab_obj_free(&c, objs[i], &bad), 0);
	slab_cache_put(&c, objs, 64);
	CHECK_EQ(c.nr_slabs, 1);
	CHECK_EQ(c.nr_empty, 1);
	CHECK_EQ(pages_out, 1ULL << c.order);
	CHECK_EQ(slab_cache_shrink(&c), 1UL << c.order);
	CHECK_EQ(pages_out, 0);
	CHECK_EQ(slab_cache_shrink(&c), 0);
	/* Objects come from partial slabs before an empty one is used. */
	CHECK_EQ(slab_cache_take(&c, objs, per + 1, 0, &bad), (int)per + 1);
	slab_cache_put(&c, objs, per); /* first slab empty again */
	CHECK_EQ(slab_cache_take(&c, objs, 1, 0, &bad), 1);
	CHECK_EQ(c.nr_empty, 1);
	slab_cache_put(&c, objs, 1);
	CHECK_EQ(c.nr_slabs, 2);
}

static void test_out_of_memory(void)
{
	struct slab_cache c;
	void *objs[40];
	const void *bad;

	reset_pages();
	page_limit = 2;
	CHECK_EQ(slab_cache_init(&c, "oom", 1024, 0, 0, &ops), 0);
	CHECK_EQ(c.order, 1);
	/* One slab of 7 fits, the second does not: a short count, then 0. */
	CHECK_EQ(slab_cache_take(&c, objs, 40, 0, &bad), (int)c.objs_per_slab);
	CHECK_EQ(slab_cache_take(&c, objs + 20, 1, 0, &bad), 0);
	slab_cache_put(&c, objs, c.objs_per_slab);
	CHECK_EQ(slab_cache_shrink(&c), 2);
}

static void test_bad_frees_detected(void)
{
	struct slab_cache c;
	const void *bad;
	u8 *a, *b;

	reset_pages();
	CHECK_EQ(slab_cache_init(&c, "bad", 48, 0, 0, &ops), 0);
	a = obj_get(&c, 48);
	b = obj_get(&c, 48);
	CHECK_EQ(slab_obj_free(&c, a + 1, &bad), -SLAB_ENOTOBJ);
	CHECK(bad == a + 1);
	CHECK_EQ(slab_obj_free(&c, a + 8, &bad), -SLAB_ENOTOBJ);
	/* Past the last object: the bitmap. */
	CHECK_EQ(slab_obj_free(&c, (u8 *)ALIGN_DOWN((uintptr_t)a, PAGE_SIZE) +
				     c.bitmap_offset, &bad), -SLAB_ENOTOBJ);
	CHECK_EQ(obj_put(&c, a, &bad), 0);
	CHECK_EQ(obj_put(&c, a, &bad), -SLAB_EDOUBLEFREE);
	CHECK(bad == a);
	/* Never handed out at all (still in the freelist). */
	CHECK_EQ(slab_obj_free(&c, b + c.stride, &bad), -SLAB_EDOUBLEFREE);
	/* Handing out what a user holds. */
	CHECK_EQ(slab_obj_alloc(&c, b, 48, &bad), -SLAB_EINUSE);
	CHECK_EQ(obj_put(&c, b, &bad), 0);
	CHECK_EQ(slab_cache_objs_out(&c), 0);
}

/* A use after free overwrites the freelist link (first word). */
static void test_freelist_corruption_detected(void)
{
	struct slab_cache c;
	const void *bad;
	void *obj, *got;

	reset_pages();
	CHECK_EQ(slab_cache_init(&c, "link", 64, 0, 0, &ops), 0);
	obj = obj_get(&c, 64);
	CHECK_EQ(obj_put(&c, obj, &bad), 0);
	*(unsigned long *)obj = 0x4141414141414141UL;
	CHECK_EQ(slab_cache_take(&c, &got, 1, 0, &bad), -SLAB_EFREELIST);
	CHECK(bad == obj);
	/* Pointing into the slab but between objects. */
	*(u8 **)obj = (u8 *)obj + 8;
	CHECK_EQ(slab_cache_take(&c, &got, 1, 0, &bad), -SLAB_EFREELIST);
}

static void test_redzones_detected(void)
{
	struct slab_cache c;
	const void *bad;
	u8 *obj;

	reset_pages();
	CHECK_EQ(slab_cache_init(&c, "rz", 24, 0, SLAB_DEBUG, &ops), 0);

	/* Past what was asked for, inside the object: caught. */
	obj = obj_get(&c, 20);
	obj[19] = 1;
	obj[20] = 0x41;
	CHECK_EQ(slab_obj_free(&c, obj, &bad), -SLAB_EREDZONE);
	CHECK(bad == obj + 20);
	obj[20] = SLAB_REDZONE_BYTE;
	/* Past the object. */
	obj[24 + 5] = 0;
	CHECK_EQ(slab_obj_free(&c, obj, &bad), -SLAB_EREDZONE);
	CHECK(bad == obj + 29);
	obj[29] = SLAB_REDZONE_BYTE;
	/* Before it. */
	obj[-1] = 0;
	CHECK_EQ(slab_obj_free(&c, obj, &bad), -SLAB_EREDZONE);
	CHECK(bad == obj - 1);
	obj[-1] = SLAB_REDZONE_BYTE;
	/* Growing in place moves the redzone; shrinking brings it back. */
	CHECK_EQ(slab_obj_resize(&c, obj, 24, &bad), 0);
	CHECK_EQ(slab_obj_size(&c, obj), 24);
	obj[23] = 7;
	CHECK_EQ(slab_obj_resize(&c, obj, 4, &bad), 0);
	CHECK_EQ(obj[23], SLAB_REDZONE_BYTE);
	obj[4] = 0;
	CHECK_EQ(slab_obj_resize(&c, obj, 10, &bad), -SLAB_EREDZONE);
	CHECK(bad == obj + 4);
	obj[4] = SLAB_REDZONE_BYTE;
	CHECK_EQ(obj_put(&c, obj, &bad), 0);
	/* A freed object is poisoned whole. */
	CHECK_EQ(obj[0], SLAB_POISON_BYTE);
	CHECK_EQ(obj[23], SLAB_POISON_BYTE);
}

static void test_use_after_free_detected(void)
{
	struct slab_cache c;
	const void *bad;
	void *again;
	u8 *obj;

	reset_pages();
	CHECK_EQ(slab_cache_init(&c, "uaf", 100, 0, SLAB_DEBUG, &ops), 0);
	obj = obj_get(&c, 100);
	CHECK_EQ(obj_put(&c, obj, &bad), 0);
	obj[57] = 0;
	/* The freelist is LIFO: the same object comes back first. */
	CHECK_EQ(slab_cache_take(&c, &again, 1, 0, &bad), 1);
	CHECK(again == obj);
	CHECK_EQ(slab_obj_alloc(&c, again, 100, &bad), -SLAB_EPOISON);
	CHECK(bad == obj + 57);

	/* A write just before a free object hits its redzone. */
	obj = obj_get(&c, 100);
	CHECK_EQ(obj_put(&c, obj, &bad), 0);
	obj[-3] = 0;
	CHECK_EQ(slab_cache_take(&c, &again, 1, 0, &bad), 1);
	CHECK(again == obj);
	CHECK_EQ(slab_obj_alloc(&c, again, 100, &bad), -SLAB_EREDZONE);
	CHECK(bad == obj - 3);
}

static void test_strerror(void)
{
	int e;

	for (e = SLAB_OK; e <= SLAB_EFREELIST; e++)
		CHECK(strcmp(slab_strerror(-e), "unknown slab error") != 0);
	CHECK_STR(slab_strerror(-SLAB_EDOUBLEFREE),
		  "double free: the object is already free");
	CHECK_STR(slab_strerror(99), "unknown slab error");
}

int main(void)
{
	arena = aligned_alloc(ARENA_BYTES, ARENA_BYTES);
	if (!arena)
		return 1;
	HTEST_RUN(test_layout);
	HTEST_RUN(test_random);
	HTEST_RUN(test_random_debug);
	HTEST_RUN(test_batches_and_shrink);
	HTEST_RUN(test_out_of_memory);
	HTEST_RUN(test_bad_frees_detected);
	HTEST_RUN(test_freelist_corruption_detected);
	HTEST_RUN(test_redzones_detected);
	HTEST_RUN(test_use_after_free_detected);
	HTEST_RUN(test_strerror);
	free(arena);
	return htest_done();
}
