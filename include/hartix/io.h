/* SPDX-License-Identifier: BSD-2-Clause */
/* MMIO accessors and ioremap(). */
#ifndef HARTIX_IO_H
#define HARTIX_IO_H

#include <hartix/types.h>
#include <asm/page.h>

/*
 * Maps device registers into the vmalloc area (read/write, never
 * executable); NULL when out of space. On RISC-V cacheability comes from
 * the platform's PMAs, so no special page attributes are needed.
 */
void *ioremap(phys_addr_t pa, size_t size);
void iounmap(void *addr);

/* Device I/O fences order MMIO against normal memory, as Linux's do. */
static inline u8 readb(const volatile void *addr)
{
	u8 v = *(const volatile u8 *)addr;

	__asm__ __volatile__("fence i,r" ::: "memory");
	return v;
}

static inline u32 readl(const volatile void *addr)
{
	u32 v = *(const volatile u32 *)addr;

	__asm__ __volatile__("fence i,r" ::: "memory");
	return v;
}

static inline void writeb(u8 v, volatile void *addr)
{
	__asm__ __volatile__("fence w,o" ::: "memory");
	*(volatile u8 *)addr = v;
}

static inline void writel(u32 v, volatile void *addr)
{
	__asm__ __volatile__("fence w,o" ::: "memory");
	*(volatile u32 *)addr = v;
}

#endif
