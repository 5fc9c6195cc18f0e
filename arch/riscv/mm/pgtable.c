/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel page table: direct map, the image with W^X, and the vmalloc area. */
#include <hartix/boot.h>
#include <hartix/errno.h>
#include <hartix/fdt_scan.h>
#include <hartix/kernel.h>
#include <hartix/memblock.h>
#include <hartix/mm.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>
#include <hartix/vmalloc.h>
#include <asm/csr.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

pte_t swapper_pg_dir[PTRS_PER_PT] __aligned(PAGE_SIZE);

/*
 * kernel_pt_lock serialises changes below the root (vmalloc, ioremap).
 * The root itself is complete after paging_init(): the one root entry of
 * the vmalloc area is preallocated there, so page tables that copy the
 * kernel's upper half (user address spaces) never miss a later change.
 */
static DEFINE_SPINLOCK(kernel_pt_lock);
static bool pt_from_page_allocator;

extern struct memblock memblock;
extern char _start[], _srodata[], _sdata[], _end[];
extern unsigned long early_satp;

void pgtable_use_page_allocator(void)
{
	pt_from_page_allocator = true;
}

/*
 * Kernel tables taken from the page allocator: they stay once made (a
 * table of the vmalloc area outlives the stacks it mapped), so tests that
 * want free memory back exactly count them apart (/proc/meminfo).
 */
static unsigned long kernel_table_pages;

unsigned long kernel_pgtable_pages(void)
{
	return __atomic_load_n(&kernel_table_pages, __ATOMIC_RELAXED);
}

static pte_t *pt_alloc(void)
{
	phys_addr_t pa;

	if (pt_from_page_allocator) {
		pte_t *table = alloc_page(__GFP_ZERO);

		if (table)
			__atomic_fetch_add(&kernel_table_pages, 1,
					   __ATOMIC_RELAXED);
		return table;
	}
	pa = memblock_alloc(&memblock, PAGE_SIZE, PAGE_SIZE, "page tables");
	if (!pa)
		return NULL;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return phys_to_virt(pa);
}

pte_t *pt_lookup(pte_t *pgd, unsigned long va, int level, pte_t *(*alloc)(void))
{
	pte_t *table = pgd;
	int l;

	for (l = 2; l > level; l--) {
		pte_t *e = &table[pt_index(va, l)];

		if (!(*e & PTE_V)) {
			pte_t *next;

			if (!alloc || !(next = alloc()))
				return NULL;
			*e = pfn_pte(virt_to_phys(next), PTE_V);
		} else if (*e & PTE_LEAF) {
			return NULL; /* inside a larger page */
		}
		table = phys_to_virt(pte_pa(*e));
	}
	return &table[pt_index(va, level)];
}

static bool table_empty(const pte_t *table)
{
	unsigned int i;

	for (i = 0; i < PTRS_PER_PT; i++)
		if (table[i])
			return false;
	return true;
}

/* [start, end) lies within the one entry of the level above that holds table. */
static int walk_table(pte_t *table, int level, unsigned long start,
		      unsigned long end, struct pt_walk *w)
{
	unsigned long va = start, next;
	int err = 0;

	for (; va < end && !err; va = next) {
		pte_t *e = &table[pt_index(va, level)];
		pte_t *sub;

		next = min(ALIGN_DOWN(va, PT_LEVEL_SIZE(level)) +
			   PT_LEVEL_SIZE(level), end);
		if (!(*e & PTE_V))
			continue;
		if (!level) {
			err = w->leaf(w, e, va);
			continue;
		}
		BUG_ON(*e & PTE_LEAF);
		sub = phys_to_virt(pte_pa(*e));
		err = walk_table(sub, level - 1, va, next, w);
		if (w->free_table && table_empty(sub)) {
			*e = 0;
			w->free_table(w, sub);
		}
	}
	return err;
}

int pt_walk(pte_t *pgd, unsigned long start, unsigned long end,
	    struct pt_walk *w)
{
	return start < end ? walk_table(pgd, 2, start, end, w) : 0;
}

static void free_below(pte_t *table, int level)
{
	unsigned int i;

	for (i = 0; level > 0 && i < PTRS_PER_PT; i++)
		if (table[i] & PTE_V)
			free_below(phys_to_virt(pte_pa(table[i])), level - 1);
	free_page(table);
}

void pt_free_tables(pte_t *pgd, unsigned int first, unsigned int last)
{
	unsigned int i;

	for (i = first; i < last; i++) {
		if (!(pgd[i] & PTE_V))
			continue;
		BUG_ON(pgd[i] & PTE_LEAF);
		free_below(phys_to_virt(pte_pa(pgd[i])), 1);
		pgd[i] = 0;
	}
}

/* The entry for va at level, allocating the tables above it. */
static pte_t *pt_entry(unsigned long va, int level, bool alloc)
{
	return pt_lookup(swapper_pg_dir, va, level, alloc ? pt_alloc : NULL);
}

int map_kernel_range(unsigned long va, u64 pa, unsigned long size, u64 prot)
{
	unsigned long end = va + size;
	int err = 0;

	spin_lock(&kernel_pt_lock);
	while (va < end) {
		int level = 2;
		pte_t *e;

		while (level > 0 &&
		       (!IS_ALIGNED(va | pa, PT_LEVEL_SIZE(level)) ||
			end - va < PT_LEVEL_SIZE(level)))
			level--;
		e = pt_entry(va, level, true);
		if (!e) {
			err = -ENOMEM;
			break;
		}
		*e = pfn_pte(pa, prot);
		va += PT_LEVEL_SIZE(level);
		pa += PT_LEVEL_SIZE(level);
	}
	spin_unlock(&kernel_pt_lock);
	return err;
}

/* The leaf entry mapping va and its level, or NULL. */
static pte_t *leaf_entry(unsigned long va, int *level)
{
	pte_t *table = swapper_pg_dir;
	int l;

	for (l = 2; l >= 0; l--) {
		pte_t *e = &table[pt_index(va, l)];

		if (!(*e & PTE_V))
			return NULL;
		if (*e & PTE_LEAF) {
			*level = l;
			return e;
		}
		table = phys_to_virt(pte_pa(*e));
	}
	return NULL;
}

void unmap_kernel_range(unsigned long va, unsigned long size)
{
	unsigned long end = va + size;

	spin_lock(&kernel_pt_lock);
	while (va < end) {
		int level = 0;
		pte_t *e = leaf_entry(va, &level);
		unsigned long step = PT_LEVEL_SIZE(level);

		/* A large page is only ever unmapped whole (ioremap maps it whole). */
		BUG_ON(e && (!IS_ALIGNED(va, step) || end - va < step));
		if (e)
			*e = 0;
		va = ALIGN_DOWN(va, step) + step;
	}
	spin_unlock(&kernel_pt_lock);
}

pte_t kernel_pte(unsigned long va)
{
	pte_t *table = swapper_pg_dir;
	int level;

	for (level = 2; level >= 0; level--) {
		pte_t e = table[pt_index(va, level)];

		if (!(e & PTE_V) || (e & PTE_LEAF))
			return e & PTE_V ? e : 0;
		table = phys_to_virt(pte_pa(e));
	}
	return 0;
}

static void map_or_die(unsigned long va, u64 pa, unsigned long size, u64 prot,
		       const char *what)
{
	if (map_kernel_range(va, pa, size, prot))
		panic("paging: out of memory mapping the %s", what);
}

/*
 * RAM minus no-map reservations (firmware memory a speculative access must
 * not touch), each piece mapped with the largest pages that fit.
 */
static void map_direct(void)
{
	int i, j;

	for (i = 0; i < memblock.memory.cnt; i++) {
		u64 start = memblock.memory.regions[i].base;
		u64 end = start + memblock.memory.regions[i].size;

		for (j = 0; j < boot_info.nresv && start < end; j++) {
			const struct fdt_resv_region *r = &boot_info.resv[j];
			u64 rs = ALIGN_DOWN(r->base, PAGE_SIZE);
			u64 re = ALIGN_UP(r->base + r->size, PAGE_SIZE);

			if (!r->no_map || re <= start || rs >= end)
				continue;
			if (rs > start)
				map_or_die(PAGE_OFFSET + start, start, rs - start,
					   PAGE_KERNEL, "direct map");
			start = re;
		}
		if (start < end)
			map_or_die(PAGE_OFFSET + start, start, end - start,
				   PAGE_KERNEL, "direct map");
	}
}

static void map_image(void)
{
	unsigned long text = (unsigned long)_start, ro = (unsigned long)_srodata;
	unsigned long data = (unsigned long)_sdata, end = (unsigned long)_end;

	map_or_die(text, virt_to_phys(_start), ro - text, PAGE_KERNEL_RX,
		   "kernel text");
	map_or_die(ro, virt_to_phys(_srodata), data - ro, PAGE_KERNEL_RO,
		   "kernel rodata");
	map_or_die(data, virt_to_phys(_sdata), end - data, PAGE_KERNEL,
		   "kernel data");
	pr_info("paging: kernel text %#lx-%#lx RX, rodata %#lx-%#lx R, data+bss %#lx-%#lx RW\n",
		text, ro - 1, ro, data - 1, data, end - 1);
}

void paging_init(void)
{
	unsigned long satp;

	map_direct();
	map_image();
	if (!pt_entry(VMALLOC_START, 1, true))
		panic("paging: out of memory for the vmalloc area's table");
	vmalloc_init();

	satp = SATP_MODE_SV39 | (virt_to_phys(swapper_pg_dir) >> PAGE_SHIFT);
	csr_write(CSR_SATP, satp);
	local_flush_tlb_all();
	/* Harts started from now on switch straight to these tables. */
	early_satp = satp;
}
