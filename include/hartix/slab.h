/* SPDX-License-Identifier: BSD-2-Clause */
/* kmalloc() and object caches (mm/slab.c): small allocations carved out of pages. */
#ifndef HARTIX_SLAB_H
#define HARTIX_SLAB_H

#include <hartix/mm.h>
#include <hartix/types.h>

/*
 * kmalloc(0) returns this: not NULL, but faults when dereferenced. kfree()
 * and krealloc() accept it.
 */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(p) ((unsigned long)(p) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MAX_CACHE_SIZE 2048 /* larger requests take whole pages */

/*
 * Sizes up to KMALLOC_MAX_CACHE_SIZE come from size classes (8, 16, 32,
 * 64, 96, 128, 192, 256, 512, 1024, 2048), aligned to 8 bytes at least;
 * larger ones from alloc_pages(), page-aligned. NULL when out of memory,
 * with a rate-limited warning unless __GFP_NOWARN. Usable from any
 * context, interrupts included, once page_alloc_init() ran.
 */
void *kmalloc(size_t size, gfp_t flags);

static inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

/*
 * Frees what kmalloc() or kmem_cache_alloc() returned; NULL and
 * ZERO_SIZE_PTR are ignored. Anything else (a double free, a pointer
 * into the middle of an object) stops the kernel with a report.
 */
void kfree(const void *p);

/*
 * Resizes p, keeping its contents up to the smaller size: in place when
 * the new size fits, else by copying to a new allocation and freeing p.
 * p NULL acts as kmalloc(); new_size 0 frees p and returns ZERO_SIZE_PTR.
 * NULL when out of memory, p then left untouched.
 */
void *krealloc(const void *p, size_t new_size, gfp_t flags);

/* The bytes usable at p (at least what was asked for). */
size_t ksize(const void *p);

struct kmem_cache;

/*
 * A cache of objects of one size, aligned to align (a power of two up to
 * PAGE_SIZE; 0 means 8). NULL, with a message, for a bad size or
 * alignment or without memory. name must outlive the cache.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align);
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t flags);
/* obj must come from this cache, else the kernel stops with a report. */
void kmem_cache_free(struct kmem_cache *cache, void *obj);

/*
 * Gives every free object cached per CPU back to its slab and frees the
 * empty slabs; returns the pages freed. Waits for every CPU: not from
 * interrupt context or with interrupts masked.
 */
unsigned long kmem_cache_shrink(struct kmem_cache *cache);
/* The same for every cache, kmalloc's included. */
unsigned long kmem_cache_shrink_all(void);

/*
 * Frees the cache; its objects must all be freed (otherwise it is reported
 * and left in place). Same context rules as kmem_cache_shrink().
 */
void kmem_cache_destroy(struct kmem_cache *cache);

struct kmem_cache_stats {
	u64 objects; /* held by users */
	u64 cached; /* free in per-CPU caches */
	u64 slabs, pages;
	u32 object_size, objects_per_slab;
};
void kmem_cache_get_stats(struct kmem_cache *cache,
			  struct kmem_cache_stats *stats);

/* Pages in slabs of every cache (/proc/meminfo's Slab). */
u64 kmem_slab_pages(void);
/*
 * Calls fn with the statistics of every cache, under the lock of the cache
 * list (interrupts masked): fn must not allocate or sleep.
 */
void kmem_cache_for_each(void (*fn)(const char *name,
				    const struct kmem_cache_stats *s, void *arg),
			 void *arg);

/* The cache kmalloc(size) uses; NULL above KMALLOC_MAX_CACHE_SIZE. */
struct kmem_cache *kmalloc_cache(size_t size);

/* Sets up the kmalloc size classes (from page_alloc_init()). */
void kmem_cache_init(void);

#endif
