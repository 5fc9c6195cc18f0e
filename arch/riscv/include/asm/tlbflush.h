/* SPDX-License-Identifier: BSD-2-Clause */
/* TLB maintenance: local sfence.vma, and shootdowns to other harts. */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <hartix/cpumask.h>

static inline void local_flush_tlb_all(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

/* Every entry of one address-space number (the kernel's global ones stay). */
static inline void local_flush_tlb_asid(unsigned long asid)
{
	__asm__ __volatile__("sfence.vma zero, %0" : : "r"(asid) : "memory");
}

/*
 * Above this many pages one full flush costs less than a sfence.vma per
 * page, and keeps a flush of a huge sparse range from holding the hart
 * for seconds (Linux's riscv threshold is the same).
 */
#define TLB_FLUSH_ALL_PAGES 64

static inline bool tlb_flush_is_full(unsigned long size)
{
	return size > TLB_FLUSH_ALL_PAGES * 0x1000UL;
}

static inline void local_flush_tlb_range(unsigned long start,
					 unsigned long size)
{
	unsigned long va;

	if (tlb_flush_is_full(size)) {
		local_flush_tlb_all();
		return;
	}
	for (va = start & ~0xfffUL; va < start + size; va += 0x1000)
		__asm__ __volatile__("sfence.vma %0" : : "r"(va) : "memory");
}

/*
 * Flush [start, start + size) on every CPU of mask (size ULONG_MAX: all;
 * a range above TLB_FLUSH_ALL_PAGES is flushed whole too). Remote harts
 * through SBI RFENCE, or cross-calls without it; returns once every hart
 * of mask has flushed.
 */
void flush_tlb_mask(const cpumask_t *mask, unsigned long start,
		    unsigned long size);
void flush_tlb_kernel_range(unsigned long start, unsigned long size);

#endif
