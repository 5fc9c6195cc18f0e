/* SPDX-License-Identifier: BSD-2-Clause */
/* kmalloc and kmem_cache: the slab core behind per-CPU object caches, with one lock per cache. */
#include <hartix/kernel.h>
#include <hartix/slab.h>
#include <hartix/slab_core.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>

#define CPU_CACHE_SIZE 16 /* free objects a CPU keeps per cache */
#define CPU_CACHE_BATCH 8 /* moved per refill or drain */

/*
 * A CPU's free objects of one cache, so that most allocations and frees
 * take no lock. Only that CPU touches it, with interrupts masked
 * (kmem_cache_shrink() gets each CPU to empty its own).
 */
struct cpu_cache {
	unsigned long count;
	void *objs[CPU_CACHE_SIZE]; /* [0, count): oldest first */
};

/*
 * Locks, outermost first: caches_lock, a cache's lock, the page
 * allocator's zone lock. A zeroed struct kmem_cache has a valid unlocked
 * lock.
 */
struct kmem_cache {
	struct slab_cache core; /* slabs and freelists: protected by lock */
	spinlock_t lock;
	struct kmem_cache *next; /* on the list of caches: caches_lock */
	struct cpu_cache cpu[NR_CPUS];
};

static DEFINE_SPINLOCK(caches_lock);
static struct kmem_cache *caches; /* every cache, for shrinking them all */

static const struct {
	u32 size;
	const char *name;
} kmalloc_classes[] = {
	{ 8, "kmalloc-8" }, { 16, "kmalloc-16" }, { 32, "kmalloc-32" },
	{ 64, "kmalloc-64" }, { 96, "kmalloc-96" }, { 128, "kmalloc-128" },
	{ 192, "kmalloc-192" }, { 256, "kmalloc-256" }, { 512, "kmalloc-512" },
	{ 1024, "kmalloc-1024" }, { 2048, "kmalloc-2048" },
};

static struct kmem_cache kmalloc_caches[ARRAY_SIZE(kmalloc_classes)];

/* Sizes up to 192 by (size - 1) / 8: the class index. */
static const u8 small_class[24] = {
	0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6,
};

/* The last class of kmalloc_classes. */
BUILD_BUG_ON(KMALLOC_MAX_CACHE_SIZE != 2048);

static void *slab_pages_alloc(void *ctx, unsigned int order, gfp_t gfp)
{
	return alloc_pages(order, gfp & ~__GFP_ZERO);
}

static void slab_pages_free(void *ctx, struct page *page, unsigned int order)
{
	free_pages(page_to_virt(page), order);
}

static struct page *slab_page(void *ctx, const void *addr)
{
	return virt_to_page(addr);
}

static const struct slab_page_ops slab_pages = {
	.alloc = slab_pages_alloc,
	.free = slab_pages_free,
	.page = slab_page,
};

static struct kmem_cache *cache_of(const struct page *page)
{
	return container_of((struct slab_cache *)page->private,
			    struct kmem_cache, core);
}

/* A broken object: what, where, and the offending byte; then stop. */
static void __noreturn slab_bug(const struct kmem_cache *c, const char *op,
				const void *obj, int err, const void *bad)
{
	char detail[80] = "";

	if (bad && bad != obj)
		scnprintf(detail, sizeof(detail), ": byte at %p (object%+ld) is %#04x%s",
			  bad, (long)((const u8 *)bad - (const u8 *)obj),
			  *(const u8 *)bad, err != -SLAB_EREDZONE ? "" :
			  bad < obj ? " (underrun)" : " (overrun)");
	printk_enter_panic();
	pr_emerg("BUG: slab %s: %s(%p): %s%s\n", c->core.name, op, obj,
		 slab_strerror(err), detail);
	panic("slab %s: %s", c->core.name, slab_strerror(err));
}

static void __noreturn bad_pointer(const char *op, const void *p,
				   const char *why)
{
	printk_enter_panic();
	pr_emerg("BUG: %s(%p): %s\n", op, p, why);
	panic("%s of a bad pointer %p", op, p);
}

/*
 * Fills this CPU's empty cache with a batch from the slabs; interrupts
 * masked. Out of line, like the drain, so the fast paths stay small.
 */
static __noinline void cache_refill(struct kmem_cache *c, struct cpu_cache *cc,
				    gfp_t flags)
{
	const void *bad;
	int got;

	/* A cache used before kmem_cache_init() has no page source yet. */
	if (WARN_ON(!c->core.ops))
		return;
	spin_lock(&c->lock);
	got = slab_cache_take(&c->core, cc->objs, CPU_CACHE_BATCH, flags, &bad);
	spin_unlock(&c->lock);
	if (got < 0)
		slab_bug(c, "alloc", bad, got, bad);
	cc->count = (unsigned long)got;
}

/* Gives the oldest batch of this CPU's full cache back; interrupts masked. */
static __noinline void cache_drain(struct kmem_cache *c, struct cpu_cache *cc)
{
	spin_lock(&c->lock);
	slab_cache_put(&c->core, cc->objs, CPU_CACHE_BATCH);
	spin_unlock(&c->lock);
	cc->count -= CPU_CACHE_BATCH;
	memmove(cc->objs, cc->objs + CPU_CACHE_BATCH,
		cc->count * sizeof(cc->objs[0]));
}

static void *cache_alloc(struct kmem_cache *c, gfp_t flags, size_t req)
{
	const void *bad;
	struct cpu_cache *cc;
	unsigned long irq;
	void *obj = NULL;
	int err;

	irq = local_irq_save();
	cc = &c->cpu[smp_processor_id()];
	if (unlikely(!cc->count))
		cache_refill(c, cc, flags);
	if (likely(cc->count))
		obj = cc->objs[--cc->count];
	local_irq_restore(irq);
	if (unlikely(!obj))
		return NULL; /* the page allocator said so, unless __GFP_NOWARN */
	err = slab_obj_alloc(&c->core, obj, req, &bad);
	if (unlikely(err))
		slab_bug(c, "alloc", obj, err, bad);
	if (flags & __GFP_ZERO)
		memset(obj, 0, slab_obj_size(&c->core, obj));
	return obj;
}

static void cache_free(struct kmem_cache *c, void *obj, const char *op)
{
	const void *bad;
	struct cpu_cache *cc;
	unsigned long irq;
	int err = slab_obj_free(&c->core, obj, &bad);

	if (unlikely(err))
		slab_bug(c, op, obj, err, bad);
	irq = local_irq_save();
	cc = &c->cpu[smp_processor_id()];
	if (unlikely(cc->count == CPU_CACHE_SIZE))
		cache_drain(c, cc);
	cc->objs[cc->count++] = obj;
	local_irq_restore(irq);
}

struct kmem_cache *kmalloc_cache(size_t size)
{
	unsigned int i;

	if (!size || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	if (size <= 192)
		return &kmalloc_caches[small_class[(size - 1) / 8]];
	for (i = small_class[ARRAY_SIZE(small_class) - 1] + 1;
	     kmalloc_classes[i].size < size; i++)
		;
	return &kmalloc_caches[i];
}

void *kmalloc(size_t size, gfp_t flags)
{
	struct kmem_cache *c;
	void *p;

	if (!size)
		return ZERO_SIZE_PTR;
	c = kmalloc_cache(size);
	if (c)
		return cache_alloc(c, flags, size);
	/* Whole pages; get_order() of a size this large would overflow. */
	if (size > (PAGE_SIZE << MAX_ORDER)) {
		if (!(flags & __GFP_NOWARN)) {
			pr_warn("kmalloc: %zu bytes requested, the largest is %lu\n",
				size, PAGE_SIZE << MAX_ORDER);
			dump_stack();
		}
		return NULL;
	}
	p = alloc_pages(get_order(size), flags);
	if (p)
		virt_to_page(p)->flags |= PG_large;
	return p;
}

/* The struct page of a live kmalloc or cache pointer; a bad one stops the kernel. */
static struct page *kmalloc_page(const char *op, const void *p)
{
	struct page *page = virt_to_page(p);

	if (likely(page && (page->flags & PG_slab)))
		return page;
	if (page && (page->flags & PG_large) && p == page_to_virt(page))
		return page;
	bad_pointer(op, p, page ? "not an object from kmalloc or a cache (already freed, or never allocated)" :
			   "not in memory the page allocator manages");
}

void kfree(const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return;
	page = kmalloc_page("kfree", p);
	if (likely(page->flags & PG_slab)) {
		cache_free(cache_of(page), (void *)p, "kfree");
	} else {
		page->flags &= ~PG_large;
		free_pages((void *)p, page->order);
	}
}

size_t ksize(const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	page = kmalloc_page("ksize", p);
	if (page->flags & PG_slab)
		return slab_obj_size(&cache_of(page)->core, p);
	return PAGE_SIZE << page->order;
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	struct page *page;
	size_t old, room;
	void *n;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, flags);
	page = kmalloc_page("krealloc", p);
	old = ksize(p);
	room = page->flags & PG_slab ? cache_of(page)->core.size : old;
	if (new_size <= room) {
		if (page->flags & PG_slab) {
			struct kmem_cache *c = cache_of(page);
			const void *bad;
			int err = slab_obj_resize(&c->core, (void *)p, new_size,
						  &bad);

			if (err)
				slab_bug(c, "krealloc", p, err, bad);
		}
		if ((flags & __GFP_ZERO) && new_size > old)
			memset((u8 *)p + old, 0, new_size - old);
		return (void *)p;
	}
	n = kmalloc(new_size, flags);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	kfree(p);
	return n;
}

static int cache_setup(struct kmem_cache *c, const char *name, size_t size,
		       size_t align)
{
	unsigned long irq;
	int err;

	err = slab_cache_init(&c->core, name, size, align,
			      IS_ENABLED(CONFIG_DEBUG_SLAB) ? SLAB_DEBUG : 0,
			      &slab_pages);
	if (err)
		return err;
	irq = spin_lock_irqsave(&caches_lock);
	c->next = caches;
	caches = c;
	spin_unlock_irqrestore(&caches_lock, irq);
	return 0;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align)
{
	struct kmem_cache *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int err;

	if (!c)
		return NULL;
	err = cache_setup(c, name, size, align);
	if (err) {
		pr_err("kmem_cache_create(%s, %zu, %zu): %s\n", name, size,
		       align, slab_strerror(err));
		kfree(c);
		return NULL;
	}
	return c;
}

void *kmem_cache_alloc(struct kmem_cache *c, gfp_t flags)
{
	return cache_alloc(c, flags, c->core.size);
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *page;

	if (!obj)
		return;
	page = virt_to_page(obj);
	if (unlikely(!page || !(page->flags & PG_slab) ||
		     page->private != &c->core)) {
		char why[80];

		scnprintf(why, sizeof(why), "not an object of cache %s (%s%s)",
			  c->core.name,
			  page && (page->flags & PG_slab) ? "it belongs to " :
							    "not a slab object",
			  page && (page->flags & PG_slab) ?
				  cache_of(page)->core.name : "");
		bad_pointer("kmem_cache_free", obj, why);
	}
	cache_free(c, obj, "kmem_cache_free");
}

/* On each CPU, interrupts masked: its cached objects back to the slabs. */
static void drain_cpu_cache(struct kmem_cache *c)
{
	struct cpu_cache *cc = &c->cpu[smp_processor_id()];

	spin_lock(&c->lock);
	slab_cache_put(&c->core, cc->objs, cc->count);
	cc->count = 0;
	spin_unlock(&c->lock);
}

static void drain_one(void *arg)
{
	drain_cpu_cache(arg);
}

static void drain_all(void *arg)
{
	struct kmem_cache *c;

	spin_lock(&caches_lock);
	for (c = caches; c; c = c->next)
		drain_cpu_cache(c);
	spin_unlock(&caches_lock);
}

static unsigned long release_empty(struct kmem_cache *c)
{
	unsigned long irq = spin_lock_irqsave(&c->lock), pages;

	pages = slab_cache_shrink(&c->core);
	spin_unlock_irqrestore(&c->lock, irq);
	return pages;
}

unsigned long kmem_cache_shrink(struct kmem_cache *c)
{
	on_each_cpu(drain_one, c, true);
	return release_empty(c);
}

unsigned long kmem_cache_shrink_all(void)
{
	unsigned long irq, pages = 0;
	struct kmem_cache *c;

	on_each_cpu(drain_all, NULL, true);
	irq = spin_lock_irqsave(&caches_lock);
	for (c = caches; c; c = c->next)
		pages += release_empty(c);
	spin_unlock_irqrestore(&caches_lock, irq);
	return pages;
}

u64 kmem_slab_pages(void)
{
	struct kmem_cache_stats st;
	unsigned long irq;
	struct kmem_cache *c;
	u64 pages = 0;

	irq = spin_lock_irqsave(&caches_lock);
	for (c = caches; c; c = c->next) {
		kmem_cache_get_stats(c, &st);
		pages += st.pages;
	}
	spin_unlock_irqrestore(&caches_lock, irq);
	return pages;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	struct kmem_cache **pp;
	unsigned long irq;
	u64 out;

	if (!c)
		return;
	if (c >= kmalloc_caches && c < kmalloc_caches + ARRAY_SIZE(kmalloc_caches)) {
		pr_err("kmem_cache_destroy(%s): kmalloc's caches stay\n",
		       c->core.name);
		dump_stack();
		return;
	}
	kmem_cache_shrink(c);
	irq = spin_lock_irqsave(&c->lock);
	out = slab_cache_objs_out(&c->core);
	spin_unlock_irqrestore(&c->lock, irq);
	if (out) {
		pr_err("kmem_cache_destroy(%s): %llu objects still allocated; cache left in place\n",
		       c->core.name, (unsigned long long)out);
		dump_stack();
		return;
	}
	irq = spin_lock_irqsave(&caches_lock);
	for (pp = &caches; *pp != c; pp = &(*pp)->next)
		;
	*pp = c->next;
	spin_unlock_irqrestore(&caches_lock, irq);
	kfree(c);
}

void kmem_cache_get_stats(struct kmem_cache *c, struct kmem_cache_stats *s)
{
	unsigned long irq;
	unsigned int cpu;
	u64 out;

	memset(s, 0, sizeof(*s));
	irq = spin_lock_irqsave(&c->lock);
	s->slabs = c->core.nr_slabs;
	s->pages = c->core.nr_slabs << c->core.order;
	out = slab_cache_objs_out(&c->core);
	spin_unlock_irqrestore(&c->lock, irq);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		s->cached += READ_ONCE(c->cpu[cpu].count);
	s->objects = out > s->cached ? out - s->cached : 0;
	s->object_size = c->core.size;
	s->objects_per_slab = c->core.objs_per_slab;
}

void kmem_cache_for_each(void (*fn)(const char *name,
				    const struct kmem_cache_stats *s, void *arg),
			 void *arg)
{
	struct kmem_cache_stats st;
	unsigned long irq;
	struct kmem_cache *c;

	irq = spin_lock_irqsave(&caches_lock);
	for (c = caches; c; c = c->next) {
		kmem_cache_get_stats(c, &st);
		fn(c->core.name, &st, arg);
	}
	spin_unlock_irqrestore(&caches_lock, irq);
}

void kmem_cache_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kmalloc_classes); i++) {
		int err = cache_setup(&kmalloc_caches[i], kmalloc_classes[i].name,
				      kmalloc_classes[i].size, 0);

		if (err)
			panic("kmem_cache_init: %s: %s", kmalloc_classes[i].name,
			      slab_strerror(err));
	}
}
