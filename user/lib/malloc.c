/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * malloc() and friends: one address-ordered free list, first fit, blocks
 * split on allocation and merged with their neighbours on free.
 *
 * Every block starts with a 16-byte header holding its size (header
 * included, a multiple of 16); a free block also holds the link to the next
 * free one. The heap grows with brk() in steps of at least HEAP_STEP; if brk
 * fails (a kernel without it, or address space used up), it grows with
 * anonymous mmap() instead, and the list simply spans several regions.
 * Requests of MMAP_THRESHOLD and more get a mapping of their own (bit 0 of
 * the size marks them), returned to the kernel by free().
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALIGN		16UL
#define HDR		16UL
#define MIN_BLOCK	32UL
#define HEAP_STEP	(64UL * 1024)
#define MMAP_THRESHOLD	(128UL * 1024)
#define PAGE		4096UL
#define MMAPPED		1UL

struct block {
	size_t size;		/* header included; bit 0: MMAPPED */
	struct block *next;	/* free blocks only */
};

static struct block *free_list;

static inline void *payload(struct block *b)
{
	return (char *)b + HDR;
}

static inline struct block *block_of(void *p)
{
	return (struct block *)((char *)p - HDR);
}

static inline size_t block_size(const struct block *b)
{
	return b->size & ~MMAPPED;
}

/* Inserts b in address order and merges it with adjacent free blocks. */
static void insert_free(struct block *b)
{
	struct block **pp = &free_list, *prev = NULL;

	while (*pp && *pp < b) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	b->next = *pp;
	*pp = b;
	if (b->next && (char *)b + b->size == (char *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

/* Adds at least 'need' bytes of fresh memory to the free list. */
static int grow(size_t need)
{
	size_t len = need < HEAP_STEP ? HEAP_STEP : (need + PAGE - 1) & ~(PAGE - 1);
	char *p = sbrk(0);

	if (p != (char *)-1) {
		/* Keep blocks 16-byte aligned whatever the initial break. */
		size_t pad = -(uintptr_t)p & (ALIGN - 1);

		if (sbrk(pad + len) != (void *)-1) {
			struct block *b = (struct block *)(p + pad);

			b->size = len;
			insert_free(b);
			return 0;
		}
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return -1;
	((struct block *)p)->size = len;
	insert_free((struct block *)p);
	return 0;
}

static void *alloc_mmapped(size_t size)
{
	struct block *b;

	size = (size + PAGE - 1) & ~(PAGE - 1);
	b = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	b->size = size | MMAPPED;
	return payload(b);
}

void *malloc(size_t n)
{
	struct block **pp, *b;
	size_t size;

	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	size = (n + HDR + ALIGN - 1) & ~(ALIGN - 1);
	if (size < MIN_BLOCK)
		size = MIN_BLOCK;
	if (size >= MMAP_THRESHOLD)
		return alloc_mmapped(size);

	for (;;) {
		for (pp = &free_list; (b = *pp); pp = &b->next) {
			if (b->size < size)
				continue;
			if (b->size - size >= MIN_BLOCK) {
				struct block *rest = (struct block *)((char *)b + size);

				rest->size = b->size - size;
				rest->next = b->next;
				b->size = size;
				*pp = rest;
			} else {
				*pp = b->next;
			}
			return payload(b);
		}
		if (grow(size) < 0) {
			errno = ENOMEM;
			return NULL;
		}
	}
}

void free(void *p)
{
	struct block *b;

	if (!p)
		return;
	b = block_of(p);
	if (b->size & MMAPPED)
		munmap(b, block_size(b));
	else
		insert_free(b);
}

void *calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(nmemb * size);
	/* A mapping of its own is fresh from the kernel, zero already: not
	 * touching it keeps a large, mostly unused calloc() (a WebAssembly
	 * runtime's value stack) from costing a page fault per page. */
	if (p && !(block_of(p)->size & MMAPPED))
		memset(p, 0, nmemb * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	size_t have;
	void *q;

	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	have = block_size(block_of(p)) - HDR;
	if (n <= have)
		return p;
	q = malloc(n);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}
