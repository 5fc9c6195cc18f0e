/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests of the page allocator and kmalloc/kmem_cache: every hart at once, OOM, zeroing, contents. */
#include <hartix/kernel.h>
#include <hartix/ktest.h>
#include <hartix/mm.h>
#include <hartix/printk.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <asm/irqflags.h>
#include <asm/spinlock.h>

#define WORKER_ROUNDS 1500 /* per CPU */
#define WORKER_LIVE 24 /* blocks or objects a worker holds at most */

static u64 rnd(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static u64 free_and_cached(void)
{
	struct page_alloc_stats s;

	page_alloc_get_stats(&s);
	return s.free_pages + s.cached_pages;
}

/* Per-CPU results of a worker; checked by the boot hart afterwards. */
static struct {
	unsigned long errors, done;
} results[NR_CPUS];
static unsigned long arrived;

/* So that every hart contends for the whole run, they start together. */
static void start_together(void)
{
	__atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < num_online_cpus())
		cpu_relax();
}

static void run_on_all_cpus(void (*fn)(void *arg))
{
	arrived = 0;
	memset(results, 0, sizeof(results));
	on_each_cpu(fn, NULL, true);
}

static void check_results(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		KT_EXPECT_EQ(t, results[cpu].errors, 0);
		KT_EXPECT(t, results[cpu].done > 0);
	}
}

struct held {
	u64 *p;
	unsigned long size; /* pages: order; kmalloc: bytes */
	u64 tag;
};

/* Each page of a block carries the holder's tag at both ends: an overlap shows. */
static void tag_block(const struct held *h)
{
	u64 i;

	for (i = 0; i < (1ULL << h->size); i++) {
		h->p[i * (PAGE_SIZE / 8)] = h->tag;
		h->p[(i + 1) * (PAGE_SIZE / 8) - 1] = h->tag;
	}
}

static bool block_tagged(const struct held *h)
{
	u64 i;

	for (i = 0; i < (1ULL << h->size); i++)
		if (h->p[i * (PAGE_SIZE / 8)] != h->tag ||
		    h->p[(i + 1) * (PAGE_SIZE / 8) - 1] != h->tag)
			return false;
	return true;
}

/* Mixed orders, mostly 0 (the per-CPU cache path), up to 3. */
static void page_worker(void *arg)
{
	unsigned int cpu = smp_processor_id(), n = 0, i;
	u64 rng = 0x9e3779b97f4a7c15ULL * (cpu + 1);
	struct held live[WORKER_LIVE];

	start_together();
	for (i = 0; i < WORKER_ROUNDS; i++) {
		u64 r = rnd(&rng);

		if (n == WORKER_LIVE || (n && (r & 1))) {
			unsigned int k = (unsigned int)((r >> 8) % n);

			results[cpu].errors += !block_tagged(&live[k]);
			free_pages(live[k].p, (unsigned int)live[k].size);
			live[k] = live[--n];
		} else {
			unsigned int order = (r >> 16) % 8 < 5 ? 0 : (r >> 20) % 4;
			u64 *p = alloc_pages(order, __GFP_NOWARN);

			if (!p)
				continue;
			results[cpu].errors +=
				!!(virt_to_phys(p) & ((PAGE_SIZE << order) - 1));
			live[n] = (struct held){ p, order, ((u64)cpu << 32) | i };
			tag_block(&live[n++]);
			results[cpu].done++;
		}
	}
	while (n--) {
		results[cpu].errors += !block_tagged(&live[n]);
		free_pages(live[n].p, (unsigned int)live[n].size);
	}
}

static void pages_from_all_cpus(struct ktest *t)
{
	struct page_alloc_cpu_stats cs;
	u64 before = free_and_cached(), allocs = 0;
	unsigned int cpu;

	run_on_all_cpus(page_worker);
	check_results(t);
	KT_EXPECT_EQ(t, free_and_cached(), before);
	for_each_online_cpu(cpu) {
		page_alloc_get_cpu_stats(cpu, &cs);
		KT_EXPECT(t, cs.allocs > 0 && cs.frees > 0);
		allocs += cs.allocs;
	}
	pr_info("    # %u CPUs, %llu allocations so far\n", num_online_cpus(),
		(unsigned long long)allocs);
}

static void orders_are_aligned(struct ktest *t)
{
	u64 before = free_and_cached();
	unsigned int order;

	for (order = 0; order <= MAX_ORDER; order++) {
		u8 *p = alloc_pages(order, 0);

		KT_ASSERT(t, p != NULL);
		KT_EXPECT_EQ(t, virt_to_phys(p) & ((PAGE_SIZE << order) - 1), 0);
		KT_EXPECT(t, page_to_virt(virt_to_page(p)) == p);
		KT_EXPECT(t, virt_to_page(p + (PAGE_SIZE << order) - 1) ==
				     virt_to_page(p) + (1UL << order) - 1);
		p[0] = p[(PAGE_SIZE << order) - 1] = 1;
		free_pages(p, order);
	}
	KT_EXPECT(t, alloc_pages(MAX_ORDER + 1, __GFP_NOWARN) == NULL);
	KT_EXPECT(t, virt_to_page((void *)0x1000) == NULL);
	free_pages(NULL, 0);
	KT_EXPECT_EQ(t, free_and_cached(), before);
}

static bool all_zero(const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void gfp_zero_zeroes(struct ktest *t)
{
	unsigned int order;

	for (order = 0; order <= 3; order++) {
		size_t bytes = PAGE_SIZE << order;
		u8 *p = alloc_pages(order, 0), *q;

		KT_ASSERT(t, p != NULL);
		memset(p, 0x5c, bytes);
		free_pages(p, order);
		q = alloc_pages(order, __GFP_ZERO);
		KT_ASSERT(t, q != NULL);
		/* Most likely the block just freed: its old bytes must be gone. */
		if (!order)
			KT_EXPECT(t, q == p);
		KT_EXPECT(t, all_zero(q, bytes));
		free_pages(q, order);
	}
}

static unsigned int oom_warnings(void)
{
	static struct log_entry e;
	static const char msg[] = "page_alloc: out of memory";
	unsigned int n = 0;
	u64 seq = 0;

	while (log_read(&seq, &e))
		n += !strncmp(e.text, msg, sizeof(msg) - 1);
	return n;
}

/* Everything in 256 KiB blocks until none is left, then all back. */
static void oom_then_recover(struct ktest *t)
{
	const unsigned int order = 6;
	struct page_alloc_stats before, during;
	void *head = NULL, *p;
	unsigned int warnings, o;
	u64 n = 0;

	page_alloc_get_stats(&before);
	while ((p = alloc_pages(order, __GFP_NOWARN))) {
		*(void **)p = head;
		head = p;
		n++;
	}
	page_alloc_get_stats(&during);
	KT_EXPECT_EQ(t, during.failures[order], before.failures[order] + 1);
	for (o = order; o <= MAX_ORDER; o++)
		KT_EXPECT_EQ(t, during.free_blocks[o], 0);
	KT_EXPECT(t, (n << order) * 2 > before.free_pages);
	/* Without __GFP_NOWARN: one warning, then silence for a while. */
	warnings = oom_warnings();
	KT_EXPECT(t, alloc_pages(order, 0) == NULL);
	KT_EXPECT(t, alloc_pages(order, 0) == NULL);
	KT_EXPECT_EQ(t, oom_warnings(), warnings + 1);
	while (head) {
		p = head;
		head = *(void **)p;
		free_pages(p, order);
	}
	KT_EXPECT_EQ(t, free_and_cached(), before.free_pages + before.cached_pages);
	pr_info("    # %llu blocks of order %u before running out\n",
		(unsigned long long)n, order);
}

static void cpu_cache_holds_freed_page(struct ktest *t)
{
	struct page_alloc_cpu_stats a, b;
	unsigned long irq = local_irq_save(); /* stay on this CPU */
	unsigned int cpu = smp_processor_id();
	void *p = alloc_page(0);

	page_alloc_get_cpu_stats(cpu, &a);
	free_page(p);
	page_alloc_get_cpu_stats(cpu, &b);
	local_irq_restore(irq);
	KT_EXPECT(t, p != NULL);
	KT_EXPECT_EQ(t, b.frees, a.frees + 1);
	KT_EXPECT(t, b.cached_pages >= 1);
	KT_EXPECT(t, b.cached_pages == a.cached_pages + 1 || b.drains > a.drains);
}

KTEST_SUITE(page_alloc,
	    KTEST_CASE(orders_are_aligned),
	    KTEST_CASE(gfp_zero_zeroes),
	    KTEST_CASE(cpu_cache_holds_freed_page),
	    KTEST_CASE(pages_from_all_cpus),
	    KTEST_CASE(oom_then_recover));

static void fill(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7);
}

static bool filled(const u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (u8)(seed + i * 7))
			return false;
	return true;
}

static void kmalloc_every_size(struct ktest *t)
{
	static const size_t classes[] = { 8, 16, 32, 64, 96, 128, 192, 256,
					  512, 1024, 2048 };
	size_t size;
	unsigned int c = 0;

	KT_EXPECT(t, kmalloc(0, 0) == ZERO_SIZE_PTR);
	for (size = 1; size <= 3 * PAGE_SIZE; size += size < 256 ? 1 : 61) {
		u8 *p = kmalloc(size, 0);

		KT_ASSERT(t, p != NULL);
		KT_EXPECT_EQ(t, (unsigned long)p % 8, 0);
		while (c < ARRAY_SIZE(classes) && classes[c] < size)
			c++;
		if (c < ARRAY_SIZE(classes))
			KT_EXPECT_EQ(t, ksize(p),
				     IS_ENABLED(CONFIG_DEBUG_SLAB) ? size : classes[c]);
		else
			KT_EXPECT_EQ(t, (unsigned long)p % PAGE_SIZE, 0);
		KT_EXPECT(t, ksize(p) >= size);
		fill(p, size, (u8)size);
		KT_EXPECT(t, filled(p, size, (u8)size));
		kfree(p);
	}
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	KT_EXPECT(t, kmalloc_cache(2048) != kmalloc_cache(2049));
	KT_EXPECT(t, kmalloc_cache(2049) == NULL);
	KT_EXPECT(t, kmalloc_cache(97) == kmalloc_cache(128));
	KT_EXPECT(t, kmalloc((PAGE_SIZE << MAX_ORDER) + 1, __GFP_NOWARN) == NULL);
}

static void kzalloc_zeroes(struct ktest *t)
{
	static const size_t sizes[] = { 8, 40, 100, 2048, 5000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *p = kmalloc(sizes[i], 0);

		KT_ASSERT(t, p != NULL);
		memset(p, 0xff, sizes[i]);
		kfree(p);
		p = kzalloc(sizes[i], 0);
		KT_ASSERT(t, p != NULL);
		KT_EXPECT(t, all_zero(p, sizes[i]));
		kfree(p);
	}
}

static void krealloc_keeps_contents(struct ktest *t)
{
	u8 *p = kmalloc(10, 0), *q;

	KT_ASSERT(t, p != NULL);
	fill(p, 10, 3);
	q = krealloc(p, 16, 0); /* same size class: in place */
	KT_EXPECT(t, q == p);
	fill(q, 16, 3);
	p = krealloc(q, 100, 0);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT(t, filled(p, 16, 3));
	fill(p, 100, 5);
	q = krealloc(p, 9000, 0); /* to whole pages */
	KT_ASSERT(t, q != NULL);
	KT_EXPECT(t, filled(q, 100, 5));
	fill(q, 9000, 9);
	p = krealloc(q, 3000, 0); /* fits: shrinks in place */
	KT_EXPECT(t, p == q);
	KT_EXPECT(t, filled(p, 3000, 9));
	q = krealloc(p, 0, 0);
	KT_EXPECT(t, q == ZERO_SIZE_PTR);
	p = krealloc(NULL, 24, __GFP_ZERO);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT(t, all_zero(p, 24));
	q = krealloc(p, 64, __GFP_ZERO);
	KT_ASSERT(t, q != NULL);
	KT_EXPECT(t, all_zero(q, 64));
	kfree(q);
}

static void kmem_cache_objects(struct ktest *t)
{
	enum { N = 100 };
	struct kmem_cache_stats s;
	struct kmem_cache *c;
	static u8 *objs[N];
	unsigned int i;

	KT_EXPECT(t, kmem_cache_create("ktest-bad", 0, 0) == NULL);
	KT_EXPECT(t, kmem_cache_create("ktest-bad", 64, 24) == NULL);
	c = kmem_cache_create("ktest-obj", 72, 64);
	KT_ASSERT(t, c != NULL);
	for (i = 0; i < N; i++) {
		objs[i] = kmem_cache_alloc(c, i % 2 ? __GFP_ZERO : 0);
		KT_ASSERT(t, objs[i] != NULL);
		KT_EXPECT_EQ(t, (unsigned long)objs[i] % 64, 0);
		if (i % 2)
			KT_EXPECT(t, all_zero(objs[i], 72));
		memset(objs[i], (int)i, 72);
	}
	kmem_cache_get_stats(c, &s);
	KT_EXPECT_EQ(t, s.objects, N);
	KT_EXPECT_EQ(t, s.object_size, 72);
	KT_EXPECT(t, s.slabs * s.objects_per_slab >= N);
	for (i = 0; i < N; i++) {
		KT_EXPECT_EQ(t, objs[i][0], (u8)i);
		KT_EXPECT_EQ(t, objs[i][71], (u8)i);
		kmem_cache_free(c, objs[i]);
	}
	kmem_cache_get_stats(c, &s);
	KT_EXPECT_EQ(t, s.objects, 0);
	KT_EXPECT(t, kmem_cache_shrink(c) > 0);
	kmem_cache_get_stats(c, &s);
	KT_EXPECT_EQ(t, s.pages, 0);
	KT_EXPECT_EQ(t, s.cached, 0);

	/* Destroying a cache with a live object is refused, loudly. */
	objs[0] = kmem_cache_alloc(c, 0);
	kmem_cache_destroy(c);
	kmem_cache_get_stats(c, &s);
	KT_EXPECT_EQ(t, s.objects, 1);
	kmem_cache_free(c, objs[0]);
	kmem_cache_destroy(c);
}

/* Random sizes, slab and whole-page, each object tagged at both ends. */
static void kmalloc_worker(void *arg)
{
	unsigned int cpu = smp_processor_id(), n = 0, i;
	u64 rng = 0x2545f4914f6cdd1dULL * (cpu + 1);
	struct held live[WORKER_LIVE];

	start_together();
	for (i = 0; i < WORKER_ROUNDS; i++) {
		u64 r = rnd(&rng);

		if (n == WORKER_LIVE || (n && (r & 1))) {
			unsigned int k = (unsigned int)((r >> 8) % n);
			u8 *b = (u8 *)live[k].p;

			results[cpu].errors += b[0] != (u8)live[k].tag ||
					       b[live[k].size - 1] != (u8)live[k].tag;
			kfree(b);
			live[k] = live[--n];
		} else {
			/* Mostly small; one in 16 up to 3000 bytes. */
			size_t size = 1 + (r >> 16) % ((r >> 40) % 16 ? 300 : 3000);
			u8 *b = kmalloc(size, __GFP_NOWARN);

			if (!b)
				continue;
			live[n] = (struct held){ (u64 *)b, size, cpu * 16 + i };
			b[0] = b[size - 1] = (u8)live[n++].tag;
			results[cpu].done++;
		}
	}
	while (n--) {
		u8 *b = (u8 *)live[n].p;

		results[cpu].errors += b[0] != (u8)live[n].tag ||
				       b[live[n].size - 1] != (u8)live[n].tag;
		kfree(b);
	}
}

static void kmalloc_from_all_cpus(struct ktest *t)
{
	u64 before;

	kmem_cache_shrink_all();
	before = free_and_cached();
	run_on_all_cpus(kmalloc_worker);
	check_results(t);
	kmem_cache_shrink_all();
	KT_EXPECT_EQ(t, free_and_cached(), before);
}

KTEST_SUITE(slab,
	    KTEST_CASE(kmalloc_every_size),
	    KTEST_CASE(kzalloc_zeroes),
	    KTEST_CASE(krealloc_keeps_contents),
	    KTEST_CASE(kmem_cache_objects),
	    KTEST_CASE(kmalloc_from_all_cpus));
