/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the VMA tree (mm/vma.c), checked against a sorted-array model. */
#include <hartix/compiler.h> /* before any libc header: see libc_rename.h */
#include <hartix/errno.h>
#include <hartix/vma.h>
#include "htest.h"

#include <time.h>

#define PAGE VMA_PAGE_SIZE
#define TOP_END (~0UL - (PAGE - 1)) /* the highest possible end, 2^64 - 4096 */

static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Uniform enough in [0, n), n > 0. */
static unsigned long rnd_below(unsigned long n)
{
	return rnd() % n;
}

/* ------------------------------------------------------------------ */
/* The model: the regions in address order, with their nodes. */

struct model {
	struct vma **v; /* sorted by start */
	unsigned long n, cap;
};

static void model_init(struct model *m, unsigned long cap)
{
	m->v = calloc(cap, sizeof(*m->v));
	m->n = 0;
	m->cap = cap;
}

/* Index of the first region with end > addr (m->n if none). */
static unsigned long model_from(const struct model *m, unsigned long addr)
{
	unsigned long lo = 0, hi = m->n;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (m->v[mid]->end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static bool model_overlaps(const struct model *m, unsigned long start,
			   unsigned long end)
{
	unsigned long i = model_from(m, start);

	return i < m->n && m->v[i]->start < end;
}

static void model_insert(struct model *m, struct vma *v)
{
	unsigned long i = model_from(m, v->start);

	if (m->n == m->cap) {
		m->cap *= 2;
		m->v = realloc(m->v, m->cap * sizeof(*m->v));
	}
	memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(*m->v));
	m->v[i] = v;
	m->n++;
}

static void model_remove_at(struct model *m, unsigned long i)
{
	CHECK(i < m->n);
	if (i >= m->n)
		return;
	memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof(*m->v));
	m->n--;
}

static unsigned long model_index(const struct model *m, const struct vma *v)
{
	unsigned long i = model_from(m, v->start);

	return i < m->n && m->v[i] == v ? i : m->n;
}

/* vma_find_gap() by brute force over every gap, top down. */
static unsigned long model_gap(const struct model *m, unsigned long size,
			       unsigned long low, unsigned long high)
{
	unsigned long i;

	if (!size || size > ~0UL - (PAGE - 1) || low > ~0UL - (PAGE - 1))
		return 0;
	size = ALIGN_UP(size, PAGE);
	low = ALIGN_UP(low, PAGE);
	if (low < PAGE)
		low = PAGE;
	high = ALIGN_DOWN(high, PAGE);
	for (i = m->n + 1; i-- > 0;) {
		unsigned long gs = i ? m->v[i - 1]->end : 0;
		unsigned long ge = i < m->n ? m->v[i]->start : ~0UL;

		gs = max(gs, low);
		ge = min(ge, high);
		if (ge > gs && ge - gs >= size)
			return ge - size;
	}
	return 0;
}

static struct vma *new_vma(unsigned long start, unsigned long end)
{
	struct vma *v = calloc(1, sizeof(*v));

	v->start = start;
	v->end = end;
	v->prot = VM_READ | VM_WRITE;
	v->flags = VM_ANON;
	return v;
}

static void free_all(struct vma_tree *t, struct model *m)
{
	struct vma *v;

	while ((v = vma_first(t))) {
		vma_remove(t, v);
		free(v);
	}
	CHECK_EQ(vma_count(t), 0);
	CHECK(t->root == NULL);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

/* ------------------------------------------------------------------ */
/* Comparing tree and model. */

static bool check_invariants(const struct vma_tree *t)
{
	const char *why = vma_tree_check(t);

	if (why) {
		printf("#   vma_tree_check: %s\n", why);
		htest_case_failed = 1;
		return false;
	}
	return true;
}

/* floor(log2(x)) + 1 for x > 0 */
static int bits(unsigned long x)
{
	return 64 - __builtin_clzl(x);
}

static void check_height(const struct vma_tree *t)
{
	int h = t->root ? t->root->link.height : 0;

	/* AVL: height < 1.4405 log2(n + 2); bits() rounds log2 up. */
	CHECK(h * 100 <= 145 * bits(vma_count(t) + 2));
}

static void check_order(const struct vma_tree *t, const struct model *m)
{
	const struct vma *v, *prev = NULL;
	unsigned long i = 0;
	bool ok = true;

	CHECK_EQ(vma_count(t), m->n);
	for (v = vma_first(t); v && i < m->n; v = vma_next(v), i++) {
		if (v != m->v[i] || vma_prev(v) != prev) {
			ok = false;
			break;
		}
		prev = v;
	}
	CHECK(ok);
	CHECK_EQ(i, m->n);
	CHECK(vma_last(t) == (m->n ? m->v[m->n - 1] : NULL));
	CHECK(vma_first(t) == (m->n ? m->v[0] : NULL));
}

/* Addresses are probed in [base - 8 pages, base + span + 8 pages). */
struct range {
	unsigned long base, span;
};

/* An address near a random region edge, or anywhere. */
static unsigned long probe_addr(const struct model *m, struct range r)
{
	const struct vma *v;
	unsigned long k = rnd_below(10);

	if (!m->n || k == 0)
		return r.base - 8 * PAGE + rnd_below(r.span + 16 * PAGE);
	if (k == 1)
		return rnd() % 4 == 0 ? 0 : ~0UL - rnd_below(2 * PAGE);
	v = m->v[rnd_below(m->n)];
	switch (rnd_below(6)) {
	case 0: return v->start;
	case 1: return v->start - 1;
	case 2: return v->end;
	case 3: return v->end - 1;
	case 4: return v->start + rnd_below(v->end - v->start);
	default: return v->end + rnd_below(4 * PAGE);
	}
}

static void check_lookups(const struct vma_tree *t, const struct model *m,
			  struct range span, int probes)
{
	int k, bad = 0;

	for (k = 0; k < probes && bad < 5; k++) {
		unsigned long a = probe_addr(m, span), i = model_from(m, a);
		unsigned long len = 1 + rnd_below(8 * PAGE);
		struct vma *want_from = i < m->n ? m->v[i] : NULL;
		struct vma *want = want_from && want_from->start <= a ? want_from : NULL;
		struct vma *want_int = want_from && a + len > a &&
			want_from->start < a + len ? want_from : NULL;
		struct vma *got = vma_find_from(t, a);

		if (got != want_from || vma_find(t, a) != want ||
		    vma_find_intersection(t, a, a + len) != want_int ||
		    (got && vma_next(got) != (i + 1 < m->n ? m->v[i + 1] : NULL)) ||
		    (got && vma_prev(got) != (i ? m->v[i - 1] : NULL))) {
			printf("#   lookup of %#lx (len %#lx) wrong\n", a, len);
			bad++;
		}
	}
	CHECK_EQ(bad, 0);
}

static unsigned long rnd_gap_size(void)
{
	switch (rnd_below(8)) {
	case 0: return rnd(); /* mostly far too large */
	case 1: return 1 + rnd_below(PAGE); /* rounded up to a page */
	case 2: return (1 + rnd_below(64)) * PAGE;
	case 3: return (1 + rnd_below(4096)) * PAGE;
	case 4: return 0;
	default: return (1 + rnd_below(8)) * PAGE;
	}
}

static void check_gaps(const struct vma_tree *t, const struct model *m,
		       struct range span, int queries)
{
	int k, bad = 0;

	for (k = 0; k < queries && bad < 5; k++) {
		unsigned long size = rnd_gap_size(), low, high, got, want;

		switch (rnd_below(4)) {
		case 0:
			low = 0;
			high = ~0UL;
			break;
		case 1:
			low = probe_addr(m, span);
			high = ~0UL - rnd_below(3) * PAGE;
			break;
		default:
			low = probe_addr(m, span);
			high = probe_addr(m, span);
			if (low > high) {
				unsigned long x = low;

				low = high;
				high = x;
			}
			break;
		}
		got = vma_find_gap(t, size, low, high);
		want = model_gap(m, size, low, high);
		if (got != want) {
			printf("#   vma_find_gap(%#lx, %#lx, %#lx) = %#lx, expected %#lx\n",
			       size, low, high, got, want);
			bad++;
		} else if (got && vma_find_intersection(t, got, got + ALIGN_UP(size, PAGE))) {
			printf("#   vma_find_gap returned a used range at %#lx\n", got);
			bad++;
		}
	}
	CHECK_EQ(bad, 0);
}

static void check_all(const struct vma_tree *t, const struct model *m,
		      struct range span)
{
	if (!check_invariants(t))
		return;
	check_height(t);
	check_order(t, m);
	check_lookups(t, m, span, 300);
	check_gaps(t, m, span, 200);
}

/* ------------------------------------------------------------------ */
/* Random operations on tree and model together. */

struct world {
	struct vma_tree t;
	struct model m;
	unsigned long base, span; /* regions lie in [base, base + span) */
	unsigned long max_pages; /* of a random region */
	unsigned long ops_insert, ops_reject, ops_remove, ops_adjust;
};

static void world_init(struct world *w, unsigned long base, unsigned long span,
		       unsigned long max_pages)
{
	vma_tree_init(&w->t);
	model_init(&w->m, 1024);
	w->base = base;
	w->span = span;
	w->max_pages = max_pages;
	w->ops_insert = w->ops_reject = w->ops_remove = w->ops_adjust = 0;
}

/* A random page-aligned range inside the world. */
static void rnd_range(const struct world *w, unsigned long *start,
		      unsigned long *end)
{
	unsigned long pages = 1 + rnd_below(w->max_pages);
	unsigned long slots = w->span / PAGE - pages;

	*start = w->base + rnd_below(slots + 1) * PAGE;
	*end = *start + pages * PAGE;
}

/* Inserts a random range; the model decides whether it must be refused. */
static bool op_insert(struct world *w)
{
	unsigned long start, end;
	bool overlap;
	struct vma *v;
	int err;

	rnd_range(w, &start, &end);
	overlap = model_overlaps(&w->m, start, end);
	v = new_vma(start, end);
	err = vma_insert(&w->t, v);
	if (overlap) {
		CHECK_EQ(err, -EEXIST);
		if (!err) /* keep the model in step to limit follow-up noise */
			vma_remove(&w->t, v);
		free(v);
		w->ops_reject++;
		return false;
	}
	CHECK_EQ(err, 0);
	if (err) {
		free(v);
		return false;
	}
	model_insert(&w->m, v);
	w->ops_insert++;
	return true;
}

static void op_remove(struct world *w)
{
	unsigned long i;
	struct vma *v;

	if (!w->m.n)
		return;
	i = rnd_below(w->m.n);
	v = w->m.v[i];
	vma_remove(&w->t, v);
	model_remove_at(&w->m, i);
	free(v);
	w->ops_remove++;
}

/* Moves one or both bounds of a random region; refused if it would overlap. */
static void op_adjust(struct world *w)
{
	unsigned long i, start, end, lo, hi;
	struct vma *v;
	bool ok;
	int err;

	if (!w->m.n)
		return;
	i = rnd_below(w->m.n);
	v = w->m.v[i];
	start = v->start;
	end = v->end;
	switch (rnd_below(4)) {
	case 0: /* shrink from below */
		if (end - start > PAGE)
			start += PAGE * (1 + rnd_below((end - start) / PAGE - 1));
		break;
	case 1: /* shrink from above */
		if (end - start > PAGE)
			end -= PAGE * (1 + rnd_below((end - start) / PAGE - 1));
		break;
	case 2: /* grow down, maybe into the neighbour */
		if (start - w->base >= 4 * PAGE)
			start -= PAGE * (1 + rnd_below(4));
		break;
	default: /* grow up, maybe into the neighbour */
		if (w->base + w->span - end >= 4 * PAGE)
			end += PAGE * (1 + rnd_below(4));
		break;
	}
	lo = i ? w->m.v[i - 1]->end : 0;
	hi = i + 1 < w->m.n ? w->m.v[i + 1]->start : ~0UL;
	ok = start >= lo && end <= hi;
	lo = v->start;
	hi = v->end;
	err = vma_adjust(&w->t, v, start, end);
	CHECK_EQ(err, ok ? 0 : -EEXIST);
	if (!ok) {
		CHECK_EQ(v->start, lo);
		CHECK_EQ(v->end, hi);
		return;
	}
	CHECK_EQ(v->start, start);
	CHECK_EQ(v->end, end);
	w->ops_adjust++;
}

static struct range world_range(const struct world *w)
{
	return (struct range){ w->base, w->span };
}

static void random_op(struct world *w, int insert_pct)
{
	unsigned long k = rnd_below(100);

	if (k < (unsigned long)insert_pct)
		op_insert(w);
	else if (k < 90)
		op_remove(w);
	else
		op_adjust(w);
}

/* ------------------------------------------------------------------ */
/* Test cases. */

static void test_empty(void)
{
	struct vma_tree t;
	struct vma v = { .start = PAGE, .end = 2 * PAGE };

	vma_tree_init(&t);
	CHECK(vma_tree_check(&t) == NULL);
	CHECK_EQ(vma_count(&t), 0);
	CHECK(vma_first(&t) == NULL);
	CHECK(vma_last(&t) == NULL);
	CHECK(vma_find(&t, 0) == NULL);
	CHECK(vma_find(&t, ~0UL) == NULL);
	CHECK(vma_find_from(&t, 0) == NULL);
	CHECK(vma_find_intersection(&t, 0, ~0UL) == NULL);
	/* The whole space is free: the top page-aligned range below high. */
	CHECK_EQ(vma_find_gap(&t, PAGE, 0, ~0UL), TOP_END - PAGE);
	CHECK_EQ(vma_find_gap(&t, 3 * PAGE, 0x10000, 0x20000), 0x1d000);
	CHECK_EQ(vma_find_gap(&t, 0x10000, 0x10000, 0x20000), 0x10000);
	CHECK_EQ(vma_find_gap(&t, 0x11000, 0x10000, 0x20000), 0);
	CHECK_EQ(vma_find_gap(&t, 0, 0x10000, 0x20000), 0);
	/* Page 0 is never handed out. */
	CHECK_EQ(vma_find_gap(&t, PAGE, 0, PAGE), 0);
	CHECK_EQ(vma_find_gap(&t, PAGE, 0, 2 * PAGE), PAGE);
	/* Unaligned arguments are rounded inwards, sizes up. */
	CHECK_EQ(vma_find_gap(&t, 1, 0x10001, 0x20fff), 0x1f000);
	CHECK_EQ(vma_find_gap(&t, PAGE + 1, 0x10001, 0x12fff), 0);
	CHECK_EQ(vma_find_gap(&t, ~0UL, 0, ~0UL), 0);
	CHECK_EQ(vma_find_gap(&t, PAGE, ~0UL - 5, ~0UL), 0);

	CHECK_EQ(vma_insert(&t, &v), 0);
	CHECK(vma_tree_check(&t) == NULL);
	CHECK(vma_next(&v) == NULL);
	CHECK(vma_prev(&v) == NULL);
	vma_remove(&t, &v);
	CHECK(vma_tree_check(&t) == NULL);
	CHECK(t.root == NULL);
	CHECK_EQ(vma_count(&t), 0);
}

/* A small map with exact expectations, as an mm would have it. */
static void test_handmade(void)
{
	static const unsigned long r[][2] = {
		{ 0x10000, 0x12000 },		/* text */
		{ 0x12000, 0x13000 },		/* data, adjacent */
		{ 0x20000, 0x30000 },		/* heap */
		{ 0x3fff000000, 0x3fff001000 },	/* mmap */
		{ 0x3fff004000, 0x3fff008000 },	/* mmap */
		{ 0x3ffff00000, 0x4000000000 },	/* stack, up to the Sv39 top */
	};
	struct vma v[ARRAY_SIZE(r)], bad;
	struct vma_tree t;
	unsigned int i;

	vma_tree_init(&t);
	for (i = 0; i < ARRAY_SIZE(r); i++)
		v[i] = (struct vma){ .start = r[i][0], .end = r[i][1] };
	for (i = 0; i < ARRAY_SIZE(r); i++) /* in the order 0 5 4 3 2 1 */
		CHECK_EQ(vma_insert(&t, &v[(i * 5) % ARRAY_SIZE(r)]), 0);
	CHECK(vma_tree_check(&t) == NULL);
	CHECK_EQ(vma_count(&t), ARRAY_SIZE(r));

	CHECK(vma_find(&t, 0x12fff) == &v[1]);
	CHECK(vma_find(&t, 0x13000) == NULL);
	CHECK(vma_find_from(&t, 0x13000) == &v[2]);
	CHECK(vma_find(&t, 0x12000) == &v[1]);
	CHECK(vma_find(&t, 0x11fff) == &v[0]);
	CHECK(vma_find(&t, 0xffff) == NULL);
	CHECK(vma_find_from(&t, 0) == &v[0]);
	CHECK(vma_find_from(&t, 0x4000000000) == NULL);
	CHECK(vma_find(&t, 0x3fffffffff) == &v[5]);
	CHECK(vma_find_intersection(&t, 0x13000, 0x20000) == NULL);
	CHECK(vma_find_intersection(&t, 0x13000, 0x20001) == &v[2]);
	CHECK(vma_next(&v[1]) == &v[2]);
	CHECK(vma_prev(&v[2]) == &v[1]);
	CHECK(vma_next(&v[5]) == NULL);
	CHECK(vma_prev(&v[0]) == NULL);

	/* Top-down below the stack: the 3-page hole between the mmaps first. */
	CHECK_EQ(vma_find_gap(&t, PAGE, 0x10000, 0x3ffff00000), 0x3ffff00000 - PAGE);
	CHECK_EQ(vma_find_gap(&t, 3 * PAGE, 0x10000, 0x3fff008000), 0x3fff001000);
	CHECK_EQ(vma_find_gap(&t, 4 * PAGE, 0x10000, 0x3fff008000), 0x3fff000000 - 4 * PAGE);
	/* high inside a hole clips it. */
	CHECK_EQ(vma_find_gap(&t, PAGE, 0x10000, 0x3fff003000), 0x3fff002000);
	CHECK_EQ(vma_find_gap(&t, 3 * PAGE, 0x10000, 0x3fff003000), 0x3fff000000 - 3 * PAGE);
	/* low inside a hole clips it. */
	CHECK_EQ(vma_find_gap(&t, 0xd000, 0x13000, 0x20000), 0x13000);
	CHECK_EQ(vma_find_gap(&t, 0xd000, 0x14000, 0x20000), 0);
	CHECK_EQ(vma_find_gap(&t, 0xc000, 0x14000, 0x20000), 0x14000);
	/* Only below text: the bottom hole, starting at page 1 at the lowest. */
	CHECK_EQ(vma_find_gap(&t, 0xf000, 0, 0x12000), PAGE);
	CHECK_EQ(vma_find_gap(&t, 0x10000, 0, 0x12000), 0);
	/* Above the stack, to the top of the address space. */
	CHECK_EQ(vma_find_gap(&t, PAGE, 0, ~0UL), TOP_END - PAGE);
	CHECK_EQ(vma_find_gap(&t, PAGE, 0x3ffff00000, 0x4000001000), 0x4000000000);

	/* Overlaps are refused, touching is fine. */
	bad = (struct vma){ .start = 0x11000, .end = 0x12000 };
	CHECK_EQ(vma_insert(&t, &bad), -EEXIST);
	bad = (struct vma){ .start = 0x13000, .end = 0x20001 };
	CHECK_EQ(vma_insert(&t, &bad), -EEXIST);
	bad = (struct vma){ .start = 0x13000, .end = 0x13000 };
	CHECK_EQ(vma_insert(&t, &bad), -EINVAL);
	/* The tree itself works to the byte. */
	bad = (struct vma){ .start = 0x12fff, .end = 0x14000 };
	CHECK_EQ(vma_insert(&t, &bad), -EEXIST);
	bad = (struct vma){ .start = 0x14000, .end = 0x20001 };
	CHECK_EQ(vma_insert(&t, &bad), -EEXIST);
	bad = (struct vma){ .start = 0x13000, .end = 0x20000 };
	CHECK_EQ(vma_insert(&t, &bad), 0); /* fills the hole exactly */
	CHECK(vma_tree_check(&t) == NULL);
	CHECK_EQ(vma_find_gap(&t, PAGE, 0x10000, 0x30000), 0);
	vma_remove(&t, &bad);

	/* vma_adjust: heap grows by brk, stack grows down, mmap is trimmed. */
	CHECK_EQ(vma_adjust(&t, &v[2], 0x20000, 0x40000), 0);
	CHECK_EQ(vma_adjust(&t, &v[5], 0x3fffe00000, 0x4000000000), 0);
	CHECK_EQ(vma_adjust(&t, &v[3], 0x3fff000000, 0x3fff004001), -EEXIST);
	CHECK_EQ(vma_adjust(&t, &v[3], 0x3fff000000, 0x3fff004000), 0);
	CHECK_EQ(vma_adjust(&t, &v[1], 0x11000, 0x13000), -EEXIST);
	CHECK_EQ(vma_adjust(&t, &v[1], 0x13000, 0x13000), -EINVAL);
	CHECK_EQ(vma_adjust(&t, &v[4], 0x3fff006000, 0x3fff007000), 0);
	CHECK(vma_tree_check(&t) == NULL);
	CHECK_EQ(v[1].start, 0x12000);
	CHECK_EQ(v[1].end, 0x13000);
	CHECK_EQ(vma_find_gap(&t, 2 * PAGE, 0x10000, 0x3fffe00000), 0x3fffe00000 - 2 * PAGE);
	CHECK_EQ(vma_find_gap(&t, 2 * PAGE, 0x10000, 0x3fff006000), 0x3fff004000);
	CHECK_EQ(vma_find_gap(&t, 3 * PAGE, 0x10000, 0x3fff006000), 0x3fff000000 - 3 * PAGE);
	CHECK_EQ(vma_find_gap(&t, 0x3fff000000 - 0x40000 + PAGE, 0x10000, 0x3fff006000), 0);
	CHECK_EQ(vma_find_gap(&t, 0x3fff000000 - 0x40000, 0x10000, 0x3fff006000), 0x40000);
	CHECK(vma_find(&t, 0x3fffe00000) == &v[5]);

	for (i = 0; i < ARRAY_SIZE(r); i++) {
		vma_remove(&t, &v[i]);
		CHECK(vma_tree_check(&t) == NULL);
	}
	CHECK_EQ(vma_count(&t), 0);
}

/* Regions at address 0 and at the very top, where arithmetic could wrap. */
static void test_address_space_edges(void)
{
	struct vma lowest = { .start = 0, .end = PAGE };
	struct vma top = { .start = TOP_END - 2 * PAGE, .end = TOP_END };
	struct vma mid = { .start = 1UL << 63, .end = (1UL << 63) + PAGE };
	struct vma_tree t;

	vma_tree_init(&t);
	CHECK_EQ(vma_insert(&t, &top), 0);
	CHECK_EQ(vma_insert(&t, &lowest), 0);
	CHECK_EQ(vma_insert(&t, &mid), 0);
	CHECK(vma_tree_check(&t) == NULL);
	CHECK(vma_find(&t, 0) == &lowest);
	CHECK(vma_find(&t, ~0UL) == NULL);
	CHECK(vma_find(&t, TOP_END - 1) == &top);
	CHECK(vma_find_from(&t, TOP_END) == NULL);
	/* No room above top: high is rounded down to TOP_END. */
	CHECK_EQ(vma_find_gap(&t, PAGE, 0, ~0UL), TOP_END - 3 * PAGE);
	CHECK_EQ(vma_find_gap(&t, PAGE, 0, 1UL << 63), (1UL << 63) - PAGE);
	CHECK_EQ(vma_find_gap(&t, TOP_END - 2 * PAGE - ((1UL << 63) + PAGE), 0, ~0UL),
		 (1UL << 63) + PAGE);
	/* One page more fits only in [PAGE, 2^63): 2^63 - 3 pages. */
	CHECK_EQ(vma_find_gap(&t, TOP_END - 1 * PAGE - ((1UL << 63) + PAGE), 0, ~0UL),
		 3 * PAGE);
	CHECK_EQ(vma_find_gap(&t, (1UL << 63) - PAGE, 0, ~0UL), PAGE);
	CHECK_EQ(vma_find_gap(&t, 1UL << 63, 0, ~0UL), 0);
	CHECK_EQ(vma_find_gap(&t, PAGE, 0, 2 * PAGE), PAGE);
	CHECK_EQ(vma_find_gap(&t, PAGE, 0, PAGE), 0);
	vma_remove(&t, &mid);
	CHECK_EQ(vma_find_gap(&t, TOP_END - 4 * PAGE, 0, ~0UL), 2 * PAGE);
	CHECK_EQ(vma_find_gap(&t, TOP_END - 3 * PAGE, 0, ~0UL), PAGE);
	CHECK_EQ(vma_find_gap(&t, TOP_END - 2 * PAGE, 0, ~0UL), 0);
	vma_remove(&t, &lowest);
	CHECK_EQ(vma_find_gap(&t, TOP_END - 3 * PAGE, 0, ~0UL), PAGE);
	CHECK_EQ(vma_find_gap(&t, TOP_END - 2 * PAGE, 0, ~0UL), 0);
	vma_remove(&t, &top);
	CHECK(vma_tree_check(&t) == NULL);
}

/* Small trees under heavy churn, every invariant checked after every operation. */
static void test_small_churn_every_op(void)
{
	struct world w;
	int seed, k;

	for (seed = 1; seed <= 4; seed++) {
		rng_state = 0x9e3779b97f4a7c15ULL * (u64)seed;
		world_init(&w, 0x100000 * (unsigned long)seed, 600 * PAGE, 6);
		for (k = 0; k < 6000; k++) {
			random_op(&w, k < 3000 ? 60 : 45);
			if (!check_invariants(&w.t))
				break;
			check_order(&w.t, &w.m);
			if (k % 64 == 0) {
				check_lookups(&w.t, &w.m, world_range(&w), 50);
				check_gaps(&w.t, &w.m, world_range(&w), 50);
			}
			if (htest_case_failed)
				break;
		}
		check_all(&w.t, &w.m, world_range(&w));
		free_all(&w.t, &w.m);
	}
}

/* Thousands of regions: grow to 6,000+, churn, adjust, empty; checked per batch. */
static void test_large_random(void)
{
	struct world w;
	unsigned long max_n = 0;
	int seed, k;

	for (seed = 1; seed <= 3; seed++) {
		rng_state = 0x2545f4914f6cdd1dULL * (u64)(seed + 7);
		/* Dense: ~40% of the pages used, so many adjacent regions. */
		world_init(&w, 0x10000000UL << seed, 60000 * PAGE, 8);
		while (w.m.n < 6000 && !htest_case_failed) {
			for (k = 0; k < 500; k++)
				op_insert(&w);
			check_all(&w.t, &w.m, world_range(&w));
		}
		max_n = max(max_n, w.m.n);
		for (k = 0; k < 40 && !htest_case_failed; k++) {
			int j;

			for (j = 0; j < 500; j++)
				random_op(&w, 50);
			check_all(&w.t, &w.m, world_range(&w));
		}
		while (w.m.n && !htest_case_failed) {
			for (k = 0; k < 500; k++)
				op_remove(&w);
			check_all(&w.t, &w.m, world_range(&w));
		}
		printf("# seed %d: %lu inserts, %lu refused, %lu removes, %lu adjusts, peak %lu regions\n",
		       seed, w.ops_insert, w.ops_reject, w.ops_remove,
		       w.ops_adjust, max_n);
		free_all(&w.t, &w.m);
	}
	CHECK(max_n >= 6000);
}

/* Every kind of overlap with a region is refused and leaves the tree bit-for-bit unchanged. */
static void test_overlap_rejected_unchanged(void)
{
	struct world w;
	struct vma_link *snap;
	struct vma_tree before;
	unsigned long i, k, refused = 0;
	bool same = true;

	rng_state = 0x1234567;
	world_init(&w, 0x40000000, 40000 * PAGE, 8);
	while (w.m.n < 5000)
		op_insert(&w);
	snap = calloc(w.m.n, sizeof(*snap));
	for (i = 0; i < w.m.n; i++)
		snap[i] = w.m.v[i]->link;
	before = w.t;
	for (k = 0; k < 3000; k++) {
		const struct vma *v = w.m.v[rnd_below(w.m.n)];
		unsigned long len = v->end - v->start, s, e;
		struct vma *c;
		int err;

		switch (k % 6) {
		case 0: s = v->start; e = v->end; break; /* identical */
		case 1: s = v->start - PAGE; e = v->start + PAGE; break; /* over start */
		case 2: s = v->end - PAGE; e = v->end + PAGE; break; /* over end */
		case 3: s = v->start - 2 * PAGE; e = v->end + 2 * PAGE; break; /* covering */
		case 4: /* inside */
			s = v->start + rnd_below(len / PAGE) * PAGE;
			e = s + PAGE;
			break;
		default: /* spanning several regions */
			s = v->start;
			e = v->end + 64 * PAGE;
			break;
		}
		c = new_vma(s, e);
		err = vma_insert(&w.t, c);
		CHECK_EQ(err, -EEXIST);
		if (!err) {
			vma_remove(&w.t, c);
			same = false;
		}
		free(c);
		refused++;
	}
	CHECK(w.t.root == before.root);
	CHECK_EQ(w.t.count, before.count);
	for (i = 0; i < w.m.n; i++)
		if (memcmp(&snap[i], &w.m.v[i]->link, sizeof(*snap)))
			same = false;
	CHECK(same);
	CHECK_EQ(refused, 3000);
	check_all(&w.t, &w.m, world_range(&w));
	free(snap);
	free_all(&w.t, &w.m);
}

/* Ascending, descending and interleaved orders: the rotations of every shape. */
static void test_sequential_orders(void)
{
	enum { N = 3000 };
	static struct vma v[N];
	struct model m;
	struct vma_tree t;
	int pass, i;

	for (pass = 0; pass < 4 && !htest_case_failed; pass++) {
		vma_tree_init(&t);
		model_init(&m, N);
		for (i = 0; i < N; i++) {
			/* pass 0 up, 1 down, 2 outside-in, 3 stride 7 */
			int j = pass == 0 ? i : pass == 1 ? N - 1 - i :
				pass == 2 ? (i % 2 ? N - 1 - i / 2 : i / 2) :
				(i * 7) % N;

			v[j] = (struct vma){ .start = (unsigned long)(j + 1) * 2 * PAGE,
					     .end = (unsigned long)(j + 1) * 2 * PAGE + PAGE };
			CHECK_EQ(vma_insert(&t, &v[j]), 0);
			model_insert(&m, &v[j]);
			if (i % 97 == 0 && !check_invariants(&t))
				break;
		}
		check_all(&t, &m, ((struct range){ PAGE * 8, (N + 2) * 2 * PAGE }));
		/* Every gap is one page; the top one is the only larger one. */
		CHECK_EQ(vma_find_gap(&t, 2 * PAGE, PAGE, (N + 1) * 2 * PAGE), 0);
		CHECK_EQ(vma_find_gap(&t, PAGE, PAGE, (N + 1) * 2 * PAGE),
			 (unsigned long)N * 2 * PAGE + PAGE);
		for (i = 0; i < N; i++) {
			int j = pass % 2 ? i : N - 1 - i;

			vma_remove(&t, &v[(j * 11) % N]);
			model_remove_at(&m, model_index(&m, &v[(j * 11) % N]));
			if (i % 97 == 0 && !check_invariants(&t))
				break;
			if (i == N / 2)
				check_all(&t, &m, ((struct range){ PAGE * 8, (N + 2) * 2 * PAGE }));
		}
		CHECK_EQ(vma_count(&t), 0);
		free(m.v);
	}
}

/* vma_adjust against the model, alone (inserts only to refill). */
static void test_adjust_random(void)
{
	struct world w;
	int k;

	rng_state = 0xabcdef12345ULL;
	world_init(&w, 0x7000000, 20000 * PAGE, 12);
	while (w.m.n < 1500)
		op_insert(&w);
	for (k = 0; k < 40000 && !htest_case_failed; k++) {
		op_adjust(&w);
		if (k % 1000 == 999)
			check_all(&w.t, &w.m, world_range(&w));
	}
	printf("# %lu adjusts done\n", w.ops_adjust);
	CHECK(w.ops_adjust > 20000);
	free_all(&w.t, &w.m);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_vma(const void *a, const void *b)
{
	const struct vma *x = *(struct vma *const *)a, *y = *(struct vma *const *)b;

	return (x->start > y->start) - (x->start < y->start);
}

/*
 * 100,000 random operations on a 10,000-region tree: a quarter each
 * remove-and-insert (keeping 10,000 regions), find, find_from plus next,
 * and find_gap. The regions are kept in an unsorted pool meanwhile, so only
 * the tree's work is timed; the model is rebuilt from the pool afterwards.
 * Reports the time; fails on it only without ASan, which is several times
 * slower.
 */
static void test_timing(void)
{
	enum { REGIONS = 10000, OPS = 100000 };
	struct world w;
	struct vma **pool;
	unsigned long sink = 0, gaps_found = 0, retries = 0, i;
	double t0, t1;
	int k;

	rng_state = 0x5eed;
	world_init(&w, 0x100000000UL, 100000 * PAGE, 4);
	while (w.m.n < REGIONS)
		op_insert(&w);
	pool = calloc(REGIONS, sizeof(*pool));
	memcpy(pool, w.m.v, REGIONS * sizeof(*pool));
	t0 = now();
	for (k = 0; k < OPS; k++) {
		unsigned long a = w.base + rnd_below(w.span);
		const struct vma *v;

		switch (k % 4) {
		case 0: { /* remove a random region, insert one where it fits */
			unsigned long start, end;
			struct vma *y;

			i = rnd_below(REGIONS);
			vma_remove(&w.t, pool[i]);
			free(pool[i]);
			for (;;) {
				rnd_range(&w, &start, &end);
				y = new_vma(start, end);
				if (!vma_insert(&w.t, y))
					break;
				free(y);
				retries++;
			}
			pool[i] = y;
			break;
		}
		case 1:
			v = vma_find(&w.t, a);
			sink += v ? v->start : 0;
			break;
		case 2:
			v = vma_find_from(&w.t, a);
			if (v)
				v = vma_next(v);
			sink += v ? v->end : 0;
			break;
		default: {
			unsigned long size = (1 + rnd_below(16)) * PAGE;
			unsigned long g = vma_find_gap(&w.t, size, w.base, a);

			gaps_found += g != 0;
			sink += g;
			break;
		}
		}
	}
	t1 = now();
	printf("# %d operations on a %lu-region tree: %.1f ms%s (%lu refused inserts retried, %lu gaps found, %lx)\n",
	       OPS, vma_count(&w.t), (t1 - t0) * 1e3,
#if defined(__SANITIZE_ADDRESS__)
	       " with ASan/UBSan",
#else
	       "",
#endif
	       retries, gaps_found, sink & 0xf);
#if !defined(__SANITIZE_ADDRESS__)
	CHECK(t1 - t0 < 1.0);
#endif
	qsort(pool, REGIONS, sizeof(*pool), cmp_vma);
	memcpy(w.m.v, pool, REGIONS * sizeof(*pool));
	w.m.n = REGIONS;
	free(pool);
	CHECK_EQ(vma_count(&w.t), REGIONS);
	check_all(&w.t, &w.m, world_range(&w));
	free_all(&w.t, &w.m);
}

int main(void)
{
	HTEST_RUN(test_empty);
	HTEST_RUN(test_handmade);
	HTEST_RUN(test_address_space_edges);
	HTEST_RUN(test_small_churn_every_op);
	HTEST_RUN(test_large_random);
	HTEST_RUN(test_overlap_rejected_unchanged);
	HTEST_RUN(test_sequential_orders);
	HTEST_RUN(test_adjust_random);
	HTEST_RUN(test_timing);
	return htest_done();
}
