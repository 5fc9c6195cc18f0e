/* SPDX-License-Identifier: BSD-2-Clause */
/* The slab allocator core: object layout, slabs and their freelists, object checks; freestanding, host-tested. */
#include <hartix/compiler.h>
#include <hartix/slab_core.h>
#include <hartix/string.h>

/*
 * A slab is one block of 2^order pages: objs_per_slab slots of 'stride'
 * bytes from its start, then the bitmap of objects users hold (one bit
 * per slot). A slot is the object alone, or under SLAB_DEBUG:
 *
 *	[left redzone][object: size][right redzone][link][requested size]
 *
 * where the redzone also covers the object's bytes past the requested
 * size. Free objects are chained through the link word, which is the
 * object's first word without SLAB_DEBUG and outside it (so the poison
 * stays whole) with it.
 */

#define SLAB_KEEP_EMPTY 1 /* empty slabs kept per cache against churn */
#define SLAB_TRY_ORDER 3 /* past this order, settle for the least waste seen */
#define SLAB_MAX_OBJS 65535 /* page->inuse is 16 bits */

typedef u64 __attribute__((may_alias)) word_t;

/*
 * Does c check its objects? A kernel without DEBUG_SLAB never asks for
 * SLAB_DEBUG, so there the checks' code is left out; the host tests run
 * both kinds of cache.
 */
#if defined(CONFIG_DEBUG_SLAB) || defined(HARTIX_HOST_TEST)
#define slab_debug(c) ((c)->flags & SLAB_DEBUG)
#else
#define slab_debug(c) ((void)(c), false)
#endif

static size_t slab_bytes(const struct slab_cache *c)
{
	return PAGE_SIZE << c->order;
}

static u8 *slab_base(const struct slab_cache *c, const void *obj)
{
	return (u8 *)ALIGN_DOWN((uintptr_t)obj, slab_bytes(c));
}

static u8 *slot_of(const struct slab_cache *c, const void *obj)
{
	return (u8 *)obj - c->obj_offset;
}

static void **link_of(const struct slab_cache *c, const void *obj)
{
	return (void **)(slot_of(c, obj) + c->link_offset);
}

static u64 *req_of(const struct slab_cache *c, const void *obj)
{
	return (u64 *)(slot_of(c, obj) + c->req_offset);
}

static size_t bitmap_bytes(u64 n)
{
	return (n + 63) / 64 * 8;
}

/* The slot index of obj if it is the start of an object in its slab. */
static bool obj_index(const struct slab_cache *c, const void *obj, u32 *idx)
{
	uintptr_t off = (uintptr_t)obj - (uintptr_t)slab_base(c, obj);

	if (off < c->obj_offset || (off - c->obj_offset) % c->stride)
		return false;
	*idx = (u32)((off - c->obj_offset) / c->stride);
	return *idx < c->objs_per_slab;
}

static u64 *bitmap_word(const struct slab_cache *c, const void *obj, u32 idx)
{
	return (u64 *)(slab_base(c, obj) + c->bitmap_offset) + idx / 64;
}

/* The first byte in [p, p + n) that is not v, or NULL. */
static const u8 *mismatch(const u8 *p, u8 v, size_t n)
{
	const word_t pattern = 0x0101010101010101ULL * v;

	for (; n && ((uintptr_t)p & 7); p++, n--)
		if (*p != v)
			return p;
	for (; n >= 8 && *(const word_t *)p == pattern; p += 8, n -= 8)
		;
	for (; n; p++, n--)
		if (*p != v)
			return p;
	return NULL;
}

static u32 objs_fitting(const struct slab_cache *c, unsigned int order)
{
	u64 bytes = PAGE_SIZE << order, n = bytes / c->stride;

	while (n && ALIGN_UP(n * c->stride, 8) + bitmap_bytes(n) > bytes)
		n--;
	return (u32)min(n, (u64)SLAB_MAX_OBJS);
}

int slab_cache_init(struct slab_cache *c, const char *name, size_t size,
		    size_t align, unsigned int flags,
		    const struct slab_page_ops *ops)
{
	u64 best_waste = 0, best_bytes = 1;
	unsigned int order;
	int best = -1;

	memset(c, 0, sizeof(*c));
	if (!align)
		align = sizeof(void *);
	if (!size || size > (PAGE_SIZE << MAX_ORDER) || (align & (align - 1)) ||
	    align > PAGE_SIZE)
		return -SLAB_EINVAL;
	align = max(align, sizeof(void *));
	c->name = name;
	c->ops = ops;
	c->flags = flags;
	c->size = (u32)size;
	if (flags & SLAB_DEBUG) {
		c->obj_offset = (u32)ALIGN_UP((size_t)SLAB_REDZONE_SIZE, align);
		c->link_offset = (u32)ALIGN_UP(c->obj_offset + size +
						 SLAB_REDZONE_SIZE, 8);
		c->req_offset = c->link_offset + 8;
		c->stride = (u32)ALIGN_UP(c->req_offset + 8, align);
	} else {
		c->stride = (u32)ALIGN_UP(max(size, sizeof(void *)), align);
	}

	/* The first order wasting at most 1/8, else the least waste seen. */
	for (order = 0; order <= MAX_ORDER; order++) {
		u64 bytes = PAGE_SIZE << order, n = objs_fitting(c, order);
		u64 waste = bytes - n * c->stride;

		if (!n)
			continue;
		if (best < 0 || waste * best_bytes < best_waste * bytes) {
			best = (int)order;
			best_waste = waste;
			best_bytes = bytes;
		}
		if (waste * 8 <= bytes || order >= SLAB_TRY_ORDER)
			break;
	}
	if (best < 0)
		return -SLAB_EINVAL;
	c->order = (unsigned int)best;
	c->objs_per_slab = objs_fitting(c, c->order);
	c->bitmap_offset = (u32)ALIGN_UP(c->objs_per_slab * c->stride, 8);
	return 0;
}

/* The list a slab belongs on, from how many of its objects are out. */
static struct page **list_for(struct slab_cache *c, const struct page *slab)
{
	if (!slab->inuse)
		return &c->empty;
	return slab->inuse == c->objs_per_slab ? &c->full : &c->partial;
}

static void slab_link(struct slab_cache *c, struct page *slab)
{
	struct page **head = list_for(c, slab);

	slab->prev = NULL;
	slab->next = *head;
	if (slab->next)
		slab->next->prev = slab;
	*head = slab;
	c->nr_empty += !slab->inuse;
}

static void slab_unlink(struct slab_cache *c, struct page *slab)
{
	if (slab->prev)
		slab->prev->next = slab->next;
	else
		*list_for(c, slab) = slab->next;
	if (slab->next)
		slab->next->prev = slab->prev;
	c->nr_empty -= !slab->inuse;
}

static struct page *slab_new(struct slab_cache *c, gfp_t gfp)
{
	u8 *base = c->ops->alloc(c->ops->ctx, c->order, gfp);
	struct page *slab;
	u32 i;

	if (!base)
		return NULL;
	slab = c->ops->page(c->ops->ctx, base);
	for (i = 0; i < (1U << c->order); i++) {
		slab[i].flags |= PG_slab;
		slab[i].private = c;
	}
	memset(base + c->bitmap_offset, 0, bitmap_bytes(c->objs_per_slab));
	for (i = 0; i < c->objs_per_slab; i++) {
		u8 *slot = base + (size_t)i * c->stride;
		u8 *obj = slot + c->obj_offset;

		if (slab_debug(c)) {
			memset(slot, SLAB_REDZONE_BYTE, c->obj_offset);
			memset(obj, SLAB_POISON_BYTE, c->size);
			memset(obj + c->size, SLAB_REDZONE_BYTE,
			       c->link_offset - c->obj_offset - c->size);
		}
		*link_of(c, obj) = i + 1 < c->objs_per_slab ? obj + c->stride : NULL;
	}
	slab->freelist = base + c->obj_offset;
	slab->inuse = 0;
	c->nr_slabs++;
	c->free_objs += c->objs_per_slab;
	return slab;
}

static void slab_release(struct slab_cache *c, struct page *slab)
{
	u32 i;

	for (i = 0; i < (1U << c->order); i++) {
		slab[i].flags &= ~PG_slab;
		slab[i].private = NULL;
	}
	slab->freelist = NULL;
	c->nr_slabs--;
	c->free_objs -= c->objs_per_slab;
	c->ops->free(c->ops->ctx, slab, c->order);
}

int slab_cache_take(struct slab_cache *c, void **objs, unsigned int n,
		    gfp_t gfp, const void **bad)
{
	unsigned int got = 0;

	while (got < n) {
		struct page *slab = c->partial ? c->partial : c->empty;

		if (!slab) {
			slab = slab_new(c, gfp);
			if (!slab)
				break;
		} else {
			slab_unlink(c, slab);
		}
		while (got < n && slab->freelist) {
			void *obj = slab->freelist, *next = *link_of(c, obj);
			u32 idx;

			/* A stray write into a free object must not send us elsewhere. */
			if (next && (slab_base(c, next) != slab_base(c, obj) ||
				     !obj_index(c, next, &idx))) {
				slab_link(c, slab);
				*bad = link_of(c, obj);
				return -SLAB_EFREELIST;
			}
			slab->freelist = next;
			slab->inuse++;
			c->free_objs--;
			objs[got++] = obj;
		}
		slab_link(c, slab);
	}
	return (int)got;
}

void slab_cache_put(struct slab_cache *c, void *const *objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *obj = objs[i];
		struct page *slab = c->ops->page(c->ops->ctx, slab_base(c, obj));
		bool moves = slab->inuse == 1 || slab->inuse == c->objs_per_slab;

		if (moves)
			slab_unlink(c, slab);
		*link_of(c, obj) = slab->freelist;
		slab->freelist = obj;
		slab->inuse--;
		c->free_objs++;
		if (!moves)
			continue;
		if (!slab->inuse && c->nr_empty >= SLAB_KEEP_EMPTY)
			slab_release(c, slab);
		else
			slab_link(c, slab);
	}
}

unsigned long slab_cache_shrink(struct slab_cache *c)
{
	unsigned long pages = 0;

	while (c->empty) {
		struct page *slab = c->empty;

		slab_unlink(c, slab);
		slab_release(c, slab);
		pages += 1UL << c->order;
	}
	return pages;
}

/* SLAB_DEBUG, out of line to keep the common path's frame small. */
static __noinline int debug_obj_alloc(const struct slab_cache *c, void *obj,
				      size_t req, const void **bad)
{
	const u8 *slot = slot_of(c, obj), *p;

	p = mismatch(slot, SLAB_REDZONE_BYTE, c->obj_offset);
	if (!p)
		p = mismatch(slot + c->obj_offset + c->size, SLAB_REDZONE_BYTE,
			     c->link_offset - c->obj_offset - c->size);
	if (p) {
		*bad = p;
		return -SLAB_EREDZONE;
	}
	p = mismatch(obj, SLAB_POISON_BYTE, c->size);
	if (p) {
		*bad = p;
		return -SLAB_EPOISON;
	}
	*req_of(c, obj) = req;
	memset((u8 *)obj + req, SLAB_REDZONE_BYTE, c->size - req);
	return 0;
}

int slab_obj_alloc(const struct slab_cache *c, void *obj, size_t req,
		   const void **bad)
{
	u64 bit, old;
	u32 idx;

	*bad = obj;
	if (!obj_index(c, obj, &idx))
		return -SLAB_ENOTOBJ;
	bit = 1ULL << (idx % 64);
	old = __atomic_fetch_or(bitmap_word(c, obj, idx), bit, __ATOMIC_RELAXED);
	if (old & bit)
		return -SLAB_EINUSE;
	if (slab_debug(c))
		return debug_obj_alloc(c, obj, req, bad);
	return 0;
}

/* SLAB_DEBUG: the first overwritten byte around what the user holds. */
static const u8 *redzone_check(const struct slab_cache *c, const void *obj)
{
	const u8 *slot = slot_of(c, obj), *p;
	u64 req = *req_of(c, obj);

	if (req > c->size)
		return (const u8 *)req_of(c, obj);
	p = mismatch(slot, SLAB_REDZONE_BYTE, c->obj_offset);
	if (!p)
		p = mismatch((const u8 *)obj + req, SLAB_REDZONE_BYTE,
			     c->link_offset - c->obj_offset - req);
	return p;
}

/* Clears obj's bit; two CPUs freeing it at once: only one sees it set. */
static int release(u64 *word, u64 bit)
{
	return __atomic_fetch_and(word, ~bit, __ATOMIC_RELAXED) & bit ?
		       0 : -SLAB_EDOUBLEFREE;
}

static __noinline int debug_obj_free(const struct slab_cache *c,
				     const void *obj, u64 *word, u64 bit,
				     const void **bad)
{
	const u8 *p = redzone_check(c, obj);
	int err;

	if (p) {
		*bad = p;
		return -SLAB_EREDZONE;
	}
	err = release(word, bit);
	if (!err)
		memset((void *)obj, SLAB_POISON_BYTE, c->size);
	return err;
}

int slab_obj_free(const struct slab_cache *c, const void *obj,
		  const void **bad)
{
	u64 bit, *word;
	u32 idx;

	*bad = obj;
	if (!obj_index(c, obj, &idx))
		return -SLAB_ENOTOBJ;
	bit = 1ULL << (idx % 64);
	word = bitmap_word(c, obj, idx);
	if (!(__atomic_load_n(word, __ATOMIC_RELAXED) & bit))
		return -SLAB_EDOUBLEFREE;
	if (slab_debug(c))
		return debug_obj_free(c, obj, word, bit, bad);
	return release(word, bit);
}

int slab_obj_resize(const struct slab_cache *c, void *obj, size_t req,
		    const void **bad)
{
	const u8 *p;

	if (!(slab_debug(c)))
		return 0;
	p = redzone_check(c, obj);
	if (p) {
		*bad = p;
		return -SLAB_EREDZONE;
	}
	*req_of(c, obj) = req;
	memset((u8 *)obj + req, SLAB_REDZONE_BYTE, c->size - req);
	return 0;
}

size_t slab_obj_size(const struct slab_cache *c, const void *obj)
{
	return slab_debug(c) ? (size_t)*req_of(c, obj) : c->size;
}

const char *slab_strerror(int err)
{
	static const char *const msg[] = {
		[SLAB_OK] = "no error",
		[SLAB_EINVAL] = "invalid object size or alignment",
		[SLAB_ENOTOBJ] = "not the start of an object",
		[SLAB_EDOUBLEFREE] = "double free: the object is already free",
		[SLAB_EREDZONE] = "redzone overwritten",
		[SLAB_EPOISON] = "free object modified (use after free)",
		[SLAB_EINUSE] = "object handed out while in use (freelist corrupted)",
		[SLAB_EFREELIST] = "freelist link corrupted (use after free?)",
	};
	unsigned int i = err < 0 ? (unsigned int)-err : (unsigned int)err;

	return i < ARRAY_SIZE(msg) ? msg[i] : "unknown slab error";
}
