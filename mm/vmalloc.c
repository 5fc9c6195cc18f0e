/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel virtual areas: vmalloc(), ioremap() and stacks, each above an unmapped guard page. */
#include <hartix/io.h>
#include <hartix/kernel.h>
#include <hartix/memblock.h>
#include <hartix/mm.h>
#include <hartix/slab.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>
#include <hartix/vmalloc.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

#define VM_PAGES (VMALLOC_SIZE >> PAGE_SHIFT)
#define BITS_PER_WORD 64

/*
 * One bit per page of the area in each map: vm_used marks pages taken
 * (guard pages included), vm_first and vm_last the first and last page of
 * each area: how vfree() checks it was given an area's start and finds its
 * end. vm_lock protects the maps.
 */
static u64 *vm_used, *vm_last, *vm_first;
static DEFINE_SPINLOCK(vm_lock);

extern struct memblock memblock;

static bool test_bit(const u64 *map, unsigned long i)
{
	return map[i / BITS_PER_WORD] & (1ULL << (i % BITS_PER_WORD));
}

static void assign_bit(u64 *map, unsigned long i, bool v)
{
	if (v)
		map[i / BITS_PER_WORD] |= 1ULL << (i % BITS_PER_WORD);
	else
		map[i / BITS_PER_WORD] &= ~(1ULL << (i % BITS_PER_WORD));
}

void vmalloc_init(void)
{
	size_t bytes = VM_PAGES / 8;
	phys_addr_t used = memblock_alloc(&memblock, bytes, PAGE_SIZE, "vmalloc maps");
	phys_addr_t last = memblock_alloc(&memblock, bytes, PAGE_SIZE, "vmalloc maps");
	phys_addr_t first = memblock_alloc(&memblock, bytes, PAGE_SIZE, "vmalloc maps");

	if (!used || !last || !first)
		panic("vmalloc: no memory for the area maps");
	vm_used = phys_to_virt(used);
	vm_last = phys_to_virt(last);
	vm_first = phys_to_virt(first);
	memset(vm_used, 0, bytes);
	memset(vm_last, 0, bytes);
	memset(vm_first, 0, bytes);
}

/*
 * First fit of a guard page plus npages whose first usable page is a
 * multiple of align pages from VMALLOC_START (2 MiB aligned, so an
 * aligned area can take superpage mappings); returns that page's address.
 */
static unsigned long vm_reserve(unsigned long npages, unsigned long align)
{
	unsigned long start = 0, run = 0, i, want = npages + 1;

	spin_lock(&vm_lock);
	for (i = 0; i < VM_PAGES && run < want; i++) {
		/* Before a run begins, a word of used pages at a time. */
		if (!run && !(i % BITS_PER_WORD) &&
		    vm_used[i / BITS_PER_WORD] == ~0ULL) {
			i += BITS_PER_WORD - 1;
			start = i + 1;
			continue;
		}
		if (test_bit(vm_used, i) || (!run && (i + 1) % align)) {
			run = 0;
			start = i + 1;
		} else {
			run++;
		}
	}
	if (run < want) {
		spin_unlock(&vm_lock);
		return 0;
	}
	for (i = start; i < start + want; i++)
		assign_bit(vm_used, i, true);
	assign_bit(vm_first, start + 1, true);
	assign_bit(vm_last, start + npages, true);
	spin_unlock(&vm_lock);
	return VMALLOC_START + (start + 1) * PAGE_SIZE;
}

/* The size in pages of the area starting at va (checked to be one). */
static unsigned long vm_area_pages(unsigned long va)
{
	unsigned long first = (va - VMALLOC_START) / PAGE_SIZE, i;

	spin_lock(&vm_lock);
	if (first >= VM_PAGES || !test_bit(vm_first, first))
		panic("vfree/iounmap of %#lx: not the start of an area", va);
	for (i = first; !test_bit(vm_last, i); i++)
		;
	spin_unlock(&vm_lock);
	return i - first + 1;
}

/* Releases the area starting at va. */
static void vm_release(unsigned long va)
{
	unsigned long first = (va - VMALLOC_START) / PAGE_SIZE, i;

	spin_lock(&vm_lock);
	for (i = first; !test_bit(vm_last, i); i++)
		assign_bit(vm_used, i, false);
	assign_bit(vm_used, i, false);
	assign_bit(vm_last, i, false);
	assign_bit(vm_first, first, false);
	assign_bit(vm_used, first - 1, false); /* the guard page */
	spin_unlock(&vm_lock);
}

static bool in_vmalloc(const void *addr)
{
	unsigned long va = (unsigned long)addr;

	return va >= VMALLOC_START && va < VMALLOC_END;
}

/*
 * Unmaps an area and releases its range, in the only safe order: clear the
 * entries, flush every TLB, then free the frames (chained through their
 * first word, still reachable in the direct map) and only then let the
 * range be handed out again.
 */
static void vm_unmap(unsigned long va, unsigned long npages, bool free_frames)
{
	void *frames = NULL;
	unsigned long i;

	for (i = 0; free_frames && i < npages; i++) {
		pte_t pte = kernel_pte(va + i * PAGE_SIZE);
		void *frame;

		if (!pte)
			continue;
		frame = phys_to_virt(pte_pa(pte));
		*(void **)frame = frames;
		frames = frame;
	}
	unmap_kernel_range(va, npages * PAGE_SIZE);
	flush_tlb_kernel_range(va, npages * PAGE_SIZE);
	while (frames) {
		void *next = *(void **)frames;

		free_page(frames);
		frames = next;
	}
	vm_release(va);
}

void *vmalloc(unsigned long size)
{
	unsigned long npages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE, i;
	unsigned long va;

	if (!size || !(va = vm_reserve(npages, 1)))
		return NULL;
	for (i = 0; i < npages; i++) {
		void *page = alloc_page(__GFP_ZERO);

		if (!page || map_kernel_range(va + i * PAGE_SIZE,
					      virt_to_phys(page), PAGE_SIZE,
					      PAGE_KERNEL)) {
			if (page)
				free_page(page);
			/* Pages mapped so far are freed with the area. */
			vm_unmap(va, npages, true);
			return NULL;
		}
	}
	return (void *)va;
}

void vfree(const void *addr)
{
	if (!addr)
		return;
	BUG_ON(!in_vmalloc(addr));
	vm_unmap((unsigned long)addr, vm_area_pages((unsigned long)addr), true);
}

void *ioremap(phys_addr_t pa, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	unsigned long npages = (ALIGN_UP(pa + size, PAGE_SIZE) - base) / PAGE_SIZE;
	/* Device windows of 2 MiB or more (the PLIC's 64 MiB) take superpages. */
	unsigned long align = IS_ALIGNED(base, PMD_SIZE) &&
			      npages >= PMD_SIZE / PAGE_SIZE ? PMD_SIZE / PAGE_SIZE : 1;
	unsigned long va;

	if (!size || pa + size < pa || !(va = vm_reserve(npages, align)))
		return NULL;
	if (map_kernel_range(va, base, npages * PAGE_SIZE, PAGE_KERNEL)) {
		vm_unmap(va, npages, false);
		return NULL;
	}
	return (void *)(va + (pa - base));
}

void iounmap(void *addr)
{
	unsigned long va = ALIGN_DOWN((unsigned long)addr, PAGE_SIZE);

	BUG_ON(!in_vmalloc(addr));
	vm_unmap(va, vm_area_pages(va), false);
}

void *kvmalloc(unsigned long size)
{
	void *p = kmalloc(size, __GFP_NOWARN);

	return p ? p : vmalloc(size);
}

void kvfree(const void *addr)
{
	if (in_vmalloc(addr))
		vfree(addr);
	else
		kfree(addr);
}
