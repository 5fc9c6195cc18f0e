/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's virtual layout (Sv39) and physical/virtual address conversion. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

/* Constants shared with assembly and the linker script, which reject "UL". */
#ifdef __ASSEMBLY__
#define _AC(x, y) x
#else
#define _AC(x, y) x##y
#endif

#define PAGE_SHIFT 12
#define PAGE_SIZE (_AC(1, UL) << PAGE_SHIFT)
#define PMD_SIZE (_AC(1, UL) << 21)
#define PUD_SIZE (_AC(1, UL) << 30)

/*
 * Sv39 upper half: the direct map of physical memory starts at PAGE_OFFSET;
 * the kernel image is linked at KERNEL_LINK_ADDR, in the top 2 GiB, so
 * -mcmodel=medany code reaches all of it and its symbols fit in 32 bits.
 */
#define PAGE_OFFSET _AC(0xffffffc000000000, UL)
#define DIRECT_MAP_SIZE (_AC(128, UL) << 30)
#define KERNEL_LINK_ADDR _AC(0xffffffff80000000, UL)

/* vmalloc(), ioremap() and kernel stacks with guard pages live here. */
#define VMALLOC_START _AC(0xffffffe000000000, UL)
#define VMALLOC_SIZE (_AC(1, UL) << 30)
#define VMALLOC_END (VMALLOC_START + VMALLOC_SIZE)

/* Where U-Boot's booti and QEMU place the image: RAM base + text_offset. */
#define KERNEL_TEXT_OFFSET 0x200000

#ifndef __ASSEMBLY__
#include <hartix/types.h>

/* Kernel image virtual address minus its physical load address. */
extern unsigned long kernel_va_pa_offset;

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(pa + PAGE_OFFSET);
}

/* Accepts direct-map and kernel-image addresses. */
static inline phys_addr_t virt_to_phys(const void *va)
{
	unsigned long v = (unsigned long)va;

	if (v >= KERNEL_LINK_ADDR)
		return v - kernel_va_pa_offset;
	return v - PAGE_OFFSET;
}

#define __va(pa) phys_to_virt(pa)
#define __pa(va) virt_to_phys(va)
#endif

#endif
