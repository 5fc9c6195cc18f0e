/* TLB maintenance: local sfence.vma, and shootdowns to other harts. */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <hartix/cpumask.h>

static inline void local_flush_tlb_all(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

static inline void local_flush_tlb_range(unsigned long start,
					 unsigned long size)
{
	unsigned long va;

	for (va = start & ~0xfffUL; va < start + size; va += 0x1000)
		__asm__ __volatile__("sfence.vma %0" : : "r"(va) : "memory");
}

/*
 * Flush [start, start + size) on every CPU of mask (size ULONG_MAX: all).
 * Remote harts through SBI RFENCE, or cross-calls without it.
 */
void flush_tlb_mask(const cpumask_t *mask, unsigned long start,
		    unsigned long size);
void flush_tlb_kernel_range(unsigned long start, unsigned long size);

#endif
