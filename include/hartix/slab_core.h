/* SPDX-License-Identifier: BSD-2-Clause */
/* The slab allocator core (mm/slab_core.c): fixed-size objects carved out of page blocks. */
#ifndef HARTIX_SLAB_CORE_H
#define HARTIX_SLAB_CORE_H

#include <hartix/mm.h>
#include <hartix/types.h>

/*
 * Freestanding and host-tested: no locks, no printing, pages from the
 * caller's callbacks. Two layers:
 *
 * - slab_cache_*(): slabs and their freelists. The caller serializes
 *   these per cache (mm/slab.c: the cache's lock).
 * - slab_obj_*(): an object passing to or from its user. Lockless: a
 *   bitmap at the end of each slab, updated atomically, says which
 *   objects users hold, so a double free is caught even when the object
 *   sits in a per-CPU cache that never touches the freelist.
 */
enum slab_error {
	SLAB_OK,
	SLAB_EINVAL, /* init: size 0 or too large, or a bad alignment */
	SLAB_ENOTOBJ, /* not the start of an object */
	SLAB_EDOUBLEFREE, /* the object is already free */
	SLAB_EREDZONE, /* SLAB_DEBUG: bytes around the object were overwritten */
	SLAB_EPOISON, /* SLAB_DEBUG: a free object was written to */
	SLAB_EINUSE, /* handing out an object a user already holds */
	SLAB_EFREELIST, /* a freelist link points outside its slab's objects */
};

/* Redzones around each object, poison in free ones, requested sizes kept. */
#define SLAB_DEBUG (1U << 0)
#define SLAB_POISON_BYTE 0x6b
#define SLAB_REDZONE_BYTE 0xbb
#define SLAB_REDZONE_SIZE 16 /* at least, on each side */

/* Where slabs come from: blocks of 2^order pages, aligned to their size. */
struct slab_page_ops {
	/* NULL when out of memory; gfp is the caller's, passed through. */
	void *(*alloc)(void *ctx, unsigned int order, gfp_t gfp);
	void (*free)(void *ctx, struct page *page, unsigned int order);
	/* The struct page of the page holding addr; consecutive for a block. */
	struct page *(*page)(void *ctx, const void *addr);
	void *ctx;
};

/*
 * A slab's head struct page keeps its state: 'freelist', 'inuse' (objects
 * not on the freelist) and the list links; every page of a slab has
 * PG_slab and 'private' pointing at the cache.
 */
struct slab_cache {
	const char *name;
	const struct slab_page_ops *ops;
	unsigned int flags; /* SLAB_DEBUG */
	u32 size; /* of an object */
	u32 stride; /* from one object's slot to the next */
	u32 obj_offset; /* object within its slot, after the left redzone */
	u32 link_offset; /* freelist link within the slot */
	u32 req_offset; /* SLAB_DEBUG: the size the user asked for */
	u32 bitmap_offset; /* bitmap of objects users hold, within the slab */
	u32 objs_per_slab;
	unsigned int order; /* of each slab */
	struct page *partial, *full, *empty; /* slabs by 'inuse' */
	u64 nr_slabs, nr_empty;
	u64 free_objs; /* on slab freelists */
};

/* 0, or -SLAB_EINVAL: size 0 or no slab holds one, align not a power of two or over PAGE_SIZE. */
int slab_cache_init(struct slab_cache *c, const char *name, size_t size,
		    size_t align, unsigned int flags,
		    const struct slab_page_ops *ops);

/*
 * Moves up to n objects off slab freelists into objs, making slabs as
 * needed. Returns how many (0: out of memory), or -SLAB_EFREELIST with
 * *bad at the corrupt link.
 */
int slab_cache_take(struct slab_cache *c, void **objs, unsigned int n,
		    gfp_t gfp, const void **bad);

/* Puts objects back on their slabs' freelists; one empty slab is kept, others freed. */
void slab_cache_put(struct slab_cache *c, void *const *objs, unsigned int n);

/* Frees every empty slab; returns the number of pages given back. */
unsigned long slab_cache_shrink(struct slab_cache *c);

/* Objects off the freelists: held by users or cached by the caller. */
static inline u64 slab_cache_objs_out(const struct slab_cache *c)
{
	return c->nr_slabs * c->objs_per_slab - c->free_objs;
}

/*
 * An object from slab_cache_take() goes to a user who asked for req bytes
 * (at most size). 0, or -SLAB_EINUSE / -SLAB_EPOISON / -SLAB_EREDZONE
 * with *bad at the offending byte.
 */
int slab_obj_alloc(const struct slab_cache *c, void *obj, size_t req,
		   const void **bad);

/*
 * A user gives obj back; obj must lie in a slab of c. 0, or
 * -SLAB_ENOTOBJ / -SLAB_EDOUBLEFREE / -SLAB_EREDZONE (*bad set).
 */
int slab_obj_free(const struct slab_cache *c, const void *obj,
		  const void **bad);

/*
 * SLAB_DEBUG: the user now holds req bytes of obj (krealloc in place);
 * the redzone moves. 0 or -SLAB_EREDZONE. Without SLAB_DEBUG: 0.
 */
int slab_obj_resize(const struct slab_cache *c, void *obj, size_t req,
		    const void **bad);

/* What the user may use: the requested size under SLAB_DEBUG, else size. */
size_t slab_obj_size(const struct slab_cache *c, const void *obj);

/* The error as a phrase. */
const char *slab_strerror(int err);

#endif
