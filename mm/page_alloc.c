/* SPDX-License-Identifier: BSD-2-Clause */
/* The page allocator: mem_map, the buddy core under the zone lock, per-CPU caches of single pages. */
#include <hartix/buddy.h>
#include <hartix/kernel.h>
#include <hartix/memblock.h>
#include <hartix/mm.h>
#include <hartix/pagemap.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <hartix/time.h>

#define PCP_HIGH 64 /* a CPU's cache gives a batch back when full */
#define PCP_BATCH 16 /* pages moved per refill or drain */
#define PAGE_POISON 0xaa /* CONFIG_DEBUG_PAGEALLOC's pattern in free pages */
#define OOM_WARN_INTERVAL_S 5

extern struct memblock memblock;
extern char _stext[], _etext[], _srodata[], _erodata[], _sdata[], _edata[],
	__bss_start[], __bss_stop[];

/*
 * zone_lock protects the free lists and counters of 'zone'. Its map,
 * base_pfn and map_pages are set once by page_alloc_init() and read
 * without the lock (virt_to_page()). Lock order: a slab cache's lock,
 * then zone_lock.
 */
static DEFINE_SPINLOCK(zone_lock);
static struct buddy zone;

/*
 * Free order-0 pages cached per CPU, so most single-page allocations and
 * frees take no shared lock. Only the owning CPU touches its cache, with
 * interrupts masked; other CPUs only read the counters, for statistics.
 * Cached pages are allocated as far as the buddy core knows (PG_head),
 * with PG_pcp and 'cpu' set.
 */
struct pcp {
	unsigned int count;
	struct page *pages[PCP_HIGH]; /* [0, count): oldest first */
	u64 allocs, frees, refills, drains;
} __aligned(64);

static struct pcp pcp[NR_CPUS];

static u64 failures[MAX_ORDER + 1]; /* atomic */
static u64 next_oom_warning; /* atomic: get_ticks() before which we stay quiet */

struct page *virt_to_page(const void *addr)
{
	u64 pfn = virt_to_phys(addr) >> PAGE_SHIFT;

	if (!zone.map || !buddy_pfn_in_map(&zone, pfn))
		return NULL;
	return buddy_pfn_to_page(&zone, pfn);
}

void *page_to_virt(const struct page *page)
{
	return phys_to_virt(buddy_page_to_pfn(&zone, page) << PAGE_SHIFT);
}

/* A bad free: say what and where, then stop with a backtrace. */
static void __noreturn page_bug(const void *addr, unsigned int order,
				const char *what, int cpu)
{
	char where[32] = "";

	if (cpu >= 0)
		scnprintf(where, sizeof(where), " (in CPU%d's page cache)", cpu);
	printk_enter_panic();
	pr_emerg("BUG: page_alloc: free_pages(%p, %u): %s%s\n", addr, order,
		 what, where);
	panic("page_alloc: bad free_pages(%p, %u)", addr, order);
}

/*
 * Back to the buddy lists, under zone_lock. The core refuses a bad block
 * without changing anything, and says why: stop there.
 */
static void zone_free(struct page *page, unsigned int order)
{
	int err = buddy_free(&zone, buddy_page_to_pfn(&zone, page), order);

	if (err)
		page_bug(page_to_virt(page), order, buddy_strerror(err), -1);
}

/* Called with interrupts masked. */
static void pcp_refill(struct pcp *p, unsigned int cpu)
{
	u64 pfn;

	spin_lock(&zone_lock);
	while (p->count < PCP_BATCH && !buddy_alloc(&zone, 0, &pfn)) {
		struct page *page = buddy_pfn_to_page(&zone, pfn);

		page->flags |= PG_pcp;
		page->cpu = (u8)cpu;
		p->pages[p->count++] = page;
	}
	spin_unlock(&zone_lock);
	p->refills++;
}

/* Gives the n oldest pages back; interrupts masked. */
static void pcp_drain(struct pcp *p, unsigned int n)
{
	unsigned int i;

	spin_lock(&zone_lock);
	for (i = 0; i < n; i++) {
		p->pages[i]->flags &= ~PG_pcp;
		zone_free(p->pages[i], 0);
	}
	spin_unlock(&zone_lock);
	p->count -= n;
	memmove(p->pages, p->pages + n, p->count * sizeof(p->pages[0]));
	p->drains++;
}

static struct page *pcp_alloc(void)
{
	unsigned long irq = local_irq_save();
	unsigned int cpu = smp_processor_id();
	struct pcp *p = &pcp[cpu];
	struct page *page = NULL;

	if (!p->count)
		pcp_refill(p, cpu);
	if (p->count) {
		page = p->pages[--p->count];
		page->flags &= ~PG_pcp;
		p->allocs++;
	}
	local_irq_restore(irq);
	return page;
}

static void pcp_free(struct page *page)
{
	unsigned long irq = local_irq_save();
	unsigned int cpu = smp_processor_id();
	struct pcp *p = &pcp[cpu];

	if (p->count == PCP_HIGH)
		pcp_drain(p, PCP_BATCH);
	page->flags |= PG_pcp;
	page->cpu = (u8)cpu;
	p->pages[p->count++] = page;
	p->frees++;
	local_irq_restore(irq);
}

static struct page *zone_alloc(unsigned int order)
{
	unsigned long irq = local_irq_save();
	struct pcp *p = &pcp[smp_processor_id()];
	int err;
	u64 pfn;

	spin_lock(&zone_lock);
	err = buddy_alloc(&zone, order, &pfn);
	spin_unlock(&zone_lock);
	/* Pages this CPU caches may complete a block: one more try without them. */
	if (err && p->count) {
		pcp_drain(p, p->count);
		spin_lock(&zone_lock);
		err = buddy_alloc(&zone, order, &pfn);
		spin_unlock(&zone_lock);
	}
	if (!err)
		p->allocs++;
	local_irq_restore(irq);
	return err ? NULL : buddy_pfn_to_page(&zone, pfn);
}

static void alloc_failed(unsigned int order, gfp_t flags)
{
	u64 now = get_ticks(), next;
	struct page_alloc_stats s;

	__atomic_fetch_add(&failures[order], 1, __ATOMIC_RELAXED);
	if (flags & __GFP_NOWARN)
		return;
	next = __atomic_load_n(&next_oom_warning, __ATOMIC_RELAXED);
	if (now < next ||
	    !__atomic_compare_exchange_n(&next_oom_warning, &next,
					 now + OOM_WARN_INTERVAL_S * timebase_freq,
					 false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return;
	page_alloc_get_stats(&s);
	pr_warn("page_alloc: out of memory: order-%u allocation failed (%llu pages free, %llu cached)\n",
		order, (unsigned long long)s.free_pages,
		(unsigned long long)s.cached_pages);
	dump_stack();
}

/*
 * CONFIG_DEBUG_PAGEALLOC: free pages hold PAGE_POISON (PG_poisoned says
 * which: pages never freed since boot were never filled), so a write to
 * a page after freeing it shows when the page is handed out again.
 */
static void poison_pages(struct page *page, unsigned int order)
{
	u64 i;

	for (i = 0; i < (1ULL << order); i++) {
		memset(page_to_virt(page + i), PAGE_POISON, PAGE_SIZE);
		page[i].flags |= PG_poisoned;
	}
}

static void check_poison(struct page *page, unsigned int order)
{
	const u64 pattern = 0x0101010101010101ULL * PAGE_POISON;
	u64 i;

	for (i = 0; i < (1ULL << order); i++) {
		const u64 *w = page_to_virt(page + i);
		unsigned int j;
		const u8 *b;

		if (!(page[i].flags & PG_poisoned))
			continue;
		page[i].flags &= ~PG_poisoned;
		for (j = 0; j < PAGE_SIZE / 8 && w[j] == pattern; j++)
			;
		if (j == PAGE_SIZE / 8)
			continue;
		for (b = (const u8 *)&w[j]; *b == PAGE_POISON; b++)
			;
		printk_enter_panic();
		pr_emerg("BUG: page_alloc: use after free: %p (pfn %#llx) was written while free: %#04x, expected %#04x\n",
			 b, (unsigned long long)buddy_page_to_pfn(&zone, page + i),
			 *b, PAGE_POISON);
		panic("page_alloc: free page modified at %p", b);
	}
}

void *alloc_pages(unsigned int order, gfp_t flags)
{
	struct page *page;
	void *addr;

	if (unlikely(order > MAX_ORDER)) {
		if (!(flags & __GFP_NOWARN)) {
			pr_warn("page_alloc: order %u requested, the largest is %u\n",
				order, MAX_ORDER);
			dump_stack();
		}
		return NULL;
	}
	page = order ? zone_alloc(order) : pcp_alloc();
	/* Clean pages of the page cache are the first memory to give back. */
	if (unlikely(!page) && IS_ENABLED(CONFIG_FILEMAP) &&
	    pagecache_shrink(32UL << order))
		page = order ? zone_alloc(order) : pcp_alloc();
	if (unlikely(!page)) {
		alloc_failed(order, flags);
		return NULL;
	}
	if (IS_ENABLED(CONFIG_DEBUG_PAGEALLOC))
		check_poison(page, order);
	addr = page_to_virt(page);
	if (flags & __GFP_ZERO)
		memset(addr, 0, PAGE_SIZE << order);
	return addr;
}

void free_pages(void *addr, unsigned int order)
{
	struct page *page;
	u32 flags;

	if (!addr)
		return;
	page = virt_to_page(addr);
	if (!page || !IS_ALIGNED((unsigned long)addr, PAGE_SIZE))
		page_bug(addr, order, page ? "not the start of a page" :
			 "not memory the page allocator manages", -1);
	flags = READ_ONCE(page->flags);
	if (flags & PG_pcp)
		page_bug(addr, order, buddy_strerror(-BUDDY_EFREE), page->cpu);
	if (flags & (PG_slab | PG_large))
		page_bug(addr, order, flags & PG_slab ?
			 "the page belongs to a slab cache" :
			 "a kmalloc block: free it with kfree()", -1);
	/*
	 * A block its caller really holds passes this without the lock (its
	 * flags are the caller's). Anything else: the buddy core says why,
	 * and refuses without changing anything.
	 */
	if (unlikely(!(flags & PG_head) || page->order != order)) {
		unsigned long irq = spin_lock_irqsave(&zone_lock);

		zone_free(page, order);
		spin_unlock_irqrestore(&zone_lock, irq);
		return; /* not reached unless it raced with a legal free */
	}
	if (IS_ENABLED(CONFIG_DEBUG_PAGEALLOC))
		poison_pages(page, order);
	if (!order) {
		pcp_free(page);
	} else {
		unsigned long irq = spin_lock_irqsave(&zone_lock);

		zone_free(page, order);
		pcp[smp_processor_id()].frees++;
		spin_unlock_irqrestore(&zone_lock, irq);
	}
}

void page_alloc_get_stats(struct page_alloc_stats *s)
{
	unsigned long irq;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	irq = spin_lock_irqsave(&zone_lock);
	s->total_pages = zone.managed_pages;
	s->free_pages = zone.free_pages;
	for (i = 0; i <= MAX_ORDER; i++)
		s->free_blocks[i] = zone.nr_free[i];
	spin_unlock_irqrestore(&zone_lock, irq);
	for (i = 0; i < NR_CPUS; i++)
		s->cached_pages += READ_ONCE(pcp[i].count);
	for (i = 0; i <= MAX_ORDER; i++)
		s->failures[i] = __atomic_load_n(&failures[i], __ATOMIC_RELAXED);
}

void page_alloc_get_cpu_stats(unsigned int cpu,
			      struct page_alloc_cpu_stats *s)
{
	const struct pcp *p;

	memset(s, 0, sizeof(*s));
	if (cpu >= NR_CPUS)
		return;
	p = &pcp[cpu];
	s->cached_pages = READ_ONCE(p->count);
	s->allocs = READ_ONCE(p->allocs);
	s->frees = READ_ONCE(p->frees);
	s->refills = READ_ONCE(p->refills);
	s->drains = READ_ONCE(p->drains);
}

/* The part of [base, base + size) inside [lo, hi), in KiB rounded up. */
static u64 kib_within(u64 base, u64 size, u64 lo, u64 hi)
{
	u64 s = max(base, lo), e = min(base + size, hi);

	return e > s ? (e - s + 1023) / 1024 : 0;
}

/*
 * "Memory: 251392K/262144K available (...)" like Linux, naming each
 * reservation; the kernel's data includes .bss. Entries past the log's
 * line length are counted, not printed.
 */
static void print_memory(u64 lo, u64 hi)
{
	char line[240];
	u64 total = memblock_total(&memblock) / 1024;
	u64 avail = zone.managed_pages * (PAGE_SIZE / 1024);
	size_t n;
	int i, more = 0;

	n = scnprintf(line, sizeof(line),
		      "Memory: %lluK/%lluK available (%luK kernel code, %luK rwdata, %luK rodata, %lluK reserved:",
		      (unsigned long long)avail, (unsigned long long)total,
		      (unsigned long)(_etext - _stext) / 1024,
		      (unsigned long)(_edata - _sdata + __bss_stop - __bss_start) / 1024,
		      (unsigned long)(_erodata - _srodata) / 1024,
		      (unsigned long long)(total - avail));
	for (i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];
		char item[64];
		size_t len;

		len = scnprintf(item, sizeof(item), "%s %lluK %s",
				i ? "," : "",
				(unsigned long long)kib_within(r->base, r->size, lo, hi),
				r->name);
		if (!more && n + len + 12 < sizeof(line))
			n += scnprintf(line + n, sizeof(line) - n, "%s", item);
		else
			more++;
	}
	if (more)
		n += scnprintf(line + n, sizeof(line) - n, ", %d more", more);
	pr_info("%s)\n", line);
}

void page_alloc_init(void)
{
	const struct memblock_type *mem = &memblock.memory;
	const struct memblock_region *last;
	phys_addr_t lo, hi, map_pa, start, end;
	u64 npages, map_bytes, cursor = 0;

	if (!mem->cnt)
		panic("page_alloc: memblock has no memory");
	last = &mem->regions[mem->cnt - 1];
	lo = ALIGN_DOWN(mem->regions[0].base, PAGE_SIZE);
	hi = ALIGN_UP(last->base + last->size, PAGE_SIZE);
	npages = (hi - lo) >> PAGE_SHIFT;
	map_bytes = ALIGN_UP(npages * sizeof(struct page), PAGE_SIZE);
	map_pa = memblock_alloc(&memblock, map_bytes, PAGE_SIZE, "mem_map");
	if (!map_pa)
		panic("page_alloc: no memory for mem_map (%llu KiB for %llu pages)",
		      (unsigned long long)map_bytes / 1024,
		      (unsigned long long)npages);
	buddy_init(&zone, phys_to_virt(map_pa), lo >> PAGE_SHIFT, npages);

	while (memblock_next_free(&memblock, &cursor, &start, &end)) {
		u64 s = ALIGN_UP(start, PAGE_SIZE) >> PAGE_SHIFT;
		u64 e = ALIGN_DOWN(end, PAGE_SIZE) >> PAGE_SHIFT;
		int err = s < e ? buddy_add_range(&zone, s, e - s) : 0;

		if (err)
			pr_err("page_alloc: free range [%#llx-%#llx) not taken: %s\n",
			       (unsigned long long)start, (unsigned long long)end,
			       buddy_strerror(err));
	}
	print_memory(lo, hi);

	/*
	 * The page allocator owns that memory now. One reservation over all
	 * of it leaves memblock_alloc() nothing to hand out twice.
	 */
	if (memblock_reserve(&memblock, lo, hi - lo, "page_alloc"))
		panic("page_alloc: cannot close memblock (reservation table full)");
	kmem_cache_init();
}
