/* SPDX-License-Identifier: BSD-2-Clause */
/* ASLR for user space: where exec puts the stack, the mmap area and the heap. */
#ifndef HARTIX_ASLR_H
#define HARTIX_ASLR_H

#include <hartix/mmap.h>

#ifdef CONFIG_RANDOMIZE_VA_SPACE
/* Moves a new mm's stack_top and mmap_base down by random amounts. */
void aslr_randomize_mm(struct mm *mm);
/* A random page-aligned distance between the program's end and its heap. */
unsigned long aslr_brk_offset(void);
/* How far below its usual place a position-independent program goes (align: a power of two). */
unsigned long aslr_dyn_offset(unsigned long align);
#else
static inline void aslr_randomize_mm(struct mm *mm)
{
}

static inline unsigned long aslr_brk_offset(void)
{
	return 0;
}

static inline unsigned long aslr_dyn_offset(unsigned long align)
{
	return 0;
}
#endif

#endif
