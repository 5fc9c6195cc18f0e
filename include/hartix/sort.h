/* SPDX-License-Identifier: BSD-2-Clause */
/* In-place sorting of arrays (lib/sort.c). */
#ifndef HARTIX_SORT_H
#define HARTIX_SORT_H

#include <hartix/types.h>

/*
 * Heapsort: O(n log n) comparisons in the worst case, no recursion and no
 * allocation, so it is safe on a small early-boot stack. Not stable.
 */
void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *a, const void *b));

#endif
