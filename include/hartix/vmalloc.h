/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtually contiguous kernel memory, each area above an unmapped guard page. */
#ifndef HARTIX_VMALLOC_H
#define HARTIX_VMALLOC_H

#include <hartix/types.h>

/* Takes the area's bookkeeping from memblock (from paging_init()). */
void vmalloc_init(void);

/* Zeroed pages mapped contiguously; NULL when out of memory or space. */
void *vmalloc(unsigned long size);
void vfree(const void *addr);

/*
 * Contiguous memory from kmalloc when it can get it, else vmalloc: freeing
 * vmalloc memory shoots down every hart's TLB, contiguous memory needs
 * none. kvfree() takes either.
 */
void *kvmalloc(unsigned long size);
void kvfree(const void *addr);

#endif
