/* SPDX-License-Identifier: BSD-2-Clause */
/* Sv39 page-table entry format. */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <hartix/types.h>

typedef u64 pte_t;

#define PTRS_PER_PT 512
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_PPN_SHIFT 10

/* A and D preset: harts without hardware A/D updating would fault otherwise. */
#define PAGE_KERNEL (PTE_V | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D)
#define PAGE_KERNEL_EXEC (PAGE_KERNEL | PTE_X)
#define PAGE_KERNEL_RO (PTE_V | PTE_R | PTE_G | PTE_A)
#define PAGE_KERNEL_RX (PAGE_KERNEL_RO | PTE_X)

#define PTE_LEAF (PTE_R | PTE_W | PTE_X)

static inline pte_t pfn_pte(u64 pa, u64 prot)
{
	return ((pa >> 12) << PTE_PPN_SHIFT) | prot;
}

static inline u64 pte_pa(pte_t pte)
{
	return (pte >> PTE_PPN_SHIFT) << 12;
}

static inline unsigned int pt_index(unsigned long va, int level)
{
	return (va >> (12 + 9 * level)) & (PTRS_PER_PT - 1);
}

/* Size mapped by one entry at level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB). */
#define PT_LEVEL_SIZE(level) (1UL << (12 + 9 * (level)))

/*
 * The one Sv39 walker (arch/riscv/mm/pgtable.c), for the kernel's table and
 * user ones alike. The caller serialises changes to the table it walks.
 *
 * pt_lookup(): the entry for va at level (0: a 4 KiB page) under pgd.
 * Missing tables above it come from alloc (NULL: none are made); NULL when
 * one is missing or va lies inside a larger page.
 */
pte_t *pt_lookup(pte_t *pgd, unsigned long va, int level, pte_t *(*alloc)(void));

/*
 * pt_walk(): calls w->leaf for every valid level-0 entry in [start, end),
 * in address order; absent tables are skipped whole, so a walk costs what
 * is mapped, not the range's size. A non-zero return from leaf stops the
 * walk and is returned. With w->free_table, a table below the root that
 * the walk leaves empty is unlinked from its parent and passed to it: the
 * caller frees it only after a full TLB shootdown, since harts cache
 * non-leaf entries as well. Larger pages are the kernel's; user tables
 * have none.
 */
struct pt_walk {
	int (*leaf)(struct pt_walk *w, pte_t *pte, unsigned long va);
	void (*free_table)(struct pt_walk *w, pte_t *table);
};

int pt_walk(pte_t *pgd, unsigned long start, unsigned long end,
	    struct pt_walk *w);

/* Frees every table under root entries [first, last) and clears them. */
void pt_free_tables(pte_t *pgd, unsigned int first, unsigned int last);

/* The kernel's page table, shared by every hart (arch/riscv/mm/pgtable.c). */
extern pte_t swapper_pg_dir[PTRS_PER_PT];

/*
 * Map [va, va + size) to pa with prot in the kernel page table, with the
 * largest pages alignment allows. 0, or -ENOMEM without page-table pages
 * (the range is then partly mapped; unmap it).
 */
int map_kernel_range(unsigned long va, u64 pa, unsigned long size, u64 prot);
/* Clear the mappings; page-table pages stay. Caller flushes the TLBs. */
void unmap_kernel_range(unsigned long va, unsigned long size);
/* The leaf entry mapping va, or 0. */
pte_t kernel_pte(unsigned long va);

/* Page-table pages come from memblock until the page allocator is up. */
void pgtable_use_page_allocator(void);
/* Kernel page-table pages taken from the page allocator so far (never freed). */
unsigned long kernel_pgtable_pages(void);

/* Build the final kernel page table and switch this hart to it. */
void paging_init(void);

#endif
