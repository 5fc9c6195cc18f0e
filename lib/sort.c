/* SPDX-License-Identifier: BSD-2-Clause */
/* Heapsort for kernel tables: bounded time and stack, usable before any allocator exists. */
#include <hartix/sort.h>

static void swap_bytes(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* Restores the max-heap property below 'root' within the first n elements. */
static void sift_down(char *base, size_t root, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *a, const void *b))
{
	size_t i;

	for (i = num / 2; i-- > 0;)
		sift_down(base, i, num, size, cmp);
	/* Move the maximum behind the shrinking heap, one element at a time. */
	for (i = num; i-- > 1;) {
		swap_bytes(base, (char *)base + i * size, size);
		sift_down(base, 0, i, size, cmp);
	}
}
