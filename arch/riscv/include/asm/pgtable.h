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

static inline pte_t pfn_pte(u64 pa, u64 prot)
{
	return ((pa >> 12) << PTE_PPN_SHIFT) | prot;
}

static inline unsigned int pt_index(unsigned long va, int level)
{
	return (va >> (12 + 9 * level)) & (PTRS_PER_PT - 1);
}

#endif
