/* SPDX-License-Identifier: BSD-2-Clause */
/* User address-space regions: an AVL tree ordered by address, augmented with the largest free gap per subtree. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/vma.h>

/*
 * Each vma records the free space just below it (link.gap: start minus the
 * previous region's end, or minus 0 for the lowest) and the largest such
 * gap in its subtree (link.max_gap). The space above the highest region
 * has no node; vma_find_gap() looks at it first. A change of a region's
 * bounds changes its own gap and its successor's, so inserting, removing
 * and adjusting recompute max_gap from both up to the root, together with
 * the heights and rotations of the AVL rebalancing: everything is one or
 * two walks up a path of length at most 1.44 log2(n + 2).
 */

static int height(const struct vma *v)
{
	return v ? v->link.height : 0;
}

static unsigned long subtree_gap(const struct vma *v)
{
	return v ? v->link.max_gap : 0;
}

/* End of the region below v, or 0: known from v's own gap. */
static unsigned long prev_end(const struct vma *v)
{
	return v->start - v->link.gap;
}

/* Height and max_gap of v from its children's. */
static void recompute(struct vma *v)
{
	const struct vma *l = v->link.left, *r = v->link.right;
	unsigned long g = v->link.gap;

	v->link.height = 1 + max(height(l), height(r));
	g = max(g, subtree_gap(l));
	v->link.max_gap = max(g, subtree_gap(r));
}

/* Puts new where old hangs under parent (or at the root). */
static void replace_child(struct vma_tree *t, struct vma *parent,
			  const struct vma *old, struct vma *new)
{
	if (!parent)
		t->root = new;
	else if (parent->link.left == old)
		parent->link.left = new;
	else
		parent->link.right = new;
	if (new)
		new->link.parent = parent;
}

/* x's right child takes x's place, x becomes its left child. */
static struct vma *rotate_left(struct vma_tree *t, struct vma *x)
{
	struct vma *y = x->link.right, *b = y->link.left;

	replace_child(t, x->link.parent, x, y);
	x->link.right = b;
	if (b)
		b->link.parent = x;
	y->link.left = x;
	x->link.parent = y;
	recompute(x);
	recompute(y);
	return y;
}

/* x's left child takes x's place, x becomes its right child. */
static struct vma *rotate_right(struct vma_tree *t, struct vma *x)
{
	struct vma *y = x->link.left, *b = y->link.right;

	replace_child(t, x->link.parent, x, y);
	x->link.left = b;
	if (b)
		b->link.parent = x;
	y->link.right = x;
	x->link.parent = y;
	recompute(x);
	recompute(y);
	return y;
}

/*
 * v's subtrees are valid AVL trees whose heights differ by at most 2:
 * rotates if they differ by 2, recomputes, returns the subtree's new root.
 */
static struct vma *rebalance(struct vma_tree *t, struct vma *v)
{
	int bal = height(v->link.left) - height(v->link.right);
	struct vma *c;

	if (bal > 1) {
		c = v->link.left;
		if (height(c->link.left) < height(c->link.right))
			rotate_left(t, c);
		return rotate_right(t, v);
	}
	if (bal < -1) {
		c = v->link.right;
		if (height(c->link.right) < height(c->link.left))
			rotate_right(t, c);
		return rotate_left(t, v);
	}
	recompute(v);
	return v;
}

/*
 * Rebalances and recomputes from v to the root. Every node whose children
 * change on the way is recomputed by the rotation, so afterwards each node
 * on the path, and each changed gap on it, is accounted for.
 */
static void fixup(struct vma_tree *t, struct vma *v)
{
	while (v)
		v = rebalance(t, v)->link.parent;
}

/* max_gap from v to the root, after v's gap changed (no structure change). */
static void propagate(struct vma *v)
{
	for (; v; v = v->link.parent)
		recompute(v);
}

void vma_tree_init(struct vma_tree *t)
{
	t->root = NULL;
	t->count = 0;
}

int vma_insert(struct vma_tree *t, struct vma *v)
{
	struct vma *parent = NULL, *n = t->root, *pred = NULL, *succ = NULL;

	if (v->start >= v->end)
		return -EINVAL;
	/* The last nodes left of and right of which v goes are its neighbours. */
	while (n) {
		parent = n;
		if (v->end <= n->start) {
			succ = n;
			n = n->link.left;
		} else if (v->start >= n->end) {
			pred = n;
			n = n->link.right;
		} else {
			return -EEXIST;
		}
	}

	v->link.parent = parent;
	v->link.left = v->link.right = NULL;
	v->link.gap = v->start - (pred ? pred->end : 0);
	if (!parent)
		t->root = v;
	else if (parent == succ) /* the last step went left */
		parent->link.left = v;
	else
		parent->link.right = v;
	t->count++;
	/* succ is an ancestor of the new leaf: fixup() passes it. */
	if (succ)
		succ->link.gap = succ->start - v->end;
	fixup(t, v);
	return 0;
}

void vma_remove(struct vma_tree *t, struct vma *v)
{
	struct vma *l = v->link.left, *r = v->link.right;
	struct vma *parent = v->link.parent, *succ = vma_next(v), *fix;

	if (succ)
		succ->link.gap = succ->start - prev_end(v);
	if (!l || !r) {
		/* An only child is a leaf (AVL), so a successor there is it. */
		struct vma *child = l ? l : r;

		replace_child(t, parent, v, child);
		fix = child ? child : parent;
	} else {
		/* Two children: the successor, leftmost of r, takes v's place. */
		if (succ == r) {
			fix = succ;
		} else {
			fix = succ->link.parent;
			fix->link.left = succ->link.right;
			if (succ->link.right)
				succ->link.right->link.parent = fix;
			succ->link.right = r;
			r->link.parent = succ;
		}
		succ->link.left = l;
		l->link.parent = succ;
		replace_child(t, parent, v, succ);
		/* fix is succ or below it: fixup() recomputes succ too. */
	}
	t->count--;
	fixup(t, fix);
	v->link.parent = v->link.left = v->link.right = NULL;
}

int vma_adjust(struct vma_tree *t, struct vma *v, unsigned long start,
	       unsigned long end)
{
	struct vma *next = vma_next(v);

	(void)t; /* the tree is implied by v; kept for symmetry and checks */
	if (start >= end)
		return -EINVAL;
	if (start < prev_end(v) || (next && end > next->start))
		return -EEXIST;
	v->link.gap = start - prev_end(v);
	v->start = start;
	v->end = end;
	propagate(v);
	if (next) {
		next->link.gap = next->start - end;
		propagate(next);
	}
	return 0;
}

struct vma *vma_find_from(const struct vma_tree *t, unsigned long addr)
{
	struct vma *n = t->root, *best = NULL;

	while (n) {
		if (n->end > addr) {
			best = n;
			n = n->link.left;
		} else {
			n = n->link.right;
		}
	}
	return best;
}

struct vma *vma_find(const struct vma_tree *t, unsigned long addr)
{
	struct vma *v = vma_find_from(t, addr);

	return v && v->start <= addr ? v : NULL;
}

struct vma *vma_find_intersection(const struct vma_tree *t,
				  unsigned long start, unsigned long end)
{
	struct vma *v;

	if (start >= end)
		return NULL;
	v = vma_find_from(t, start);
	return v && v->start < end ? v : NULL;
}

static struct vma *leftmost(struct vma *v)
{
	while (v && v->link.left)
		v = v->link.left;
	return v;
}

static struct vma *rightmost(struct vma *v)
{
	while (v && v->link.right)
		v = v->link.right;
	return v;
}

struct vma *vma_next(const struct vma *v)
{
	const struct vma *p;

	if (v->link.right)
		return leftmost(v->link.right);
	for (p = v->link.parent; p && v == p->link.right; p = p->link.parent)
		v = p;
	return (struct vma *)p;
}

struct vma *vma_prev(const struct vma *v)
{
	const struct vma *p;

	if (v->link.left)
		return rightmost(v->link.left);
	for (p = v->link.parent; p && v == p->link.left; p = p->link.parent)
		v = p;
	return (struct vma *)p;
}

struct vma *vma_first(const struct vma_tree *t)
{
	return leftmost(t->root);
}

struct vma *vma_last(const struct vma_tree *t)
{
	return rightmost(t->root);
}

unsigned long vma_count(const struct vma_tree *t)
{
	return t->count;
}

/* The search of vma_find_gap(): [low, high) aligned, size fits in it. */
struct gap_query {
	unsigned long size, low, high;
};

/* Whether the gap below v, clipped to [low, high), holds size bytes. */
static bool gap_fits(const struct gap_query *q, const struct vma *v)
{
	unsigned long gs = max(prev_end(v), q->low), ge = min(v->start, q->high);

	return ge > gs && ge - gs >= q->size;
}

/* Whether v's subtree may hold a fitting gap. */
static bool may_fit(const struct gap_query *q, const struct vma *v)
{
	return v && v->link.max_gap >= q->size;
}

/* Right subtree gaps start at v->end or above. */
static bool right_may_fit(const struct gap_query *q, const struct vma *v)
{
	return v->end < q->high && q->high - v->end >= q->size &&
	       may_fit(q, v->link.right);
}

/* Left subtree gaps end at prev_end(v) or below. */
static bool left_may_fit(const struct gap_query *q, const struct vma *v)
{
	unsigned long pe = prev_end(v);

	return pe > q->low && pe - q->low >= q->size &&
	       may_fit(q, v->link.left);
}

/*
 * Gaps are in address order in an in-order walk, so the highest fitting
 * one is the first a reverse in-order walk meets. The walk skips subtrees
 * whose max_gap is too small and those wholly above high or below low.
 * A gap clipped by neither bound and at least size bytes then always fits,
 * so the walk only backtracks out of subtrees along the two root-to-leaf
 * paths of the bounds: O(log n) nodes.
 */
unsigned long vma_find_gap(const struct vma_tree *t, unsigned long size,
			   unsigned long low, unsigned long high)
{
	const unsigned long page = VMA_PAGE_SIZE;
	struct gap_query q;
	const struct vma *n, *p, *last;
	unsigned long top;

	if (!size || size > ~0UL - (page - 1) || low > ~0UL - (page - 1))
		return 0;
	q.size = ALIGN_UP(size, page);
	q.low = max(ALIGN_UP(low, page), page);
	q.high = ALIGN_DOWN(high, page);
	if (q.high <= q.low || q.high - q.low < q.size)
		return 0;

	/* Above the highest region. */
	last = vma_last(t);
	top = max(last ? last->end : 0, q.low);
	if (q.high > top && q.high - top >= q.size)
		return q.high - q.size;

	n = t->root;
	if (!may_fit(&q, n))
		return 0;
	for (;;) {
		/* Descend into n, whose subtree may fit: right first. */
		if (right_may_fit(&q, n)) {
			n = n->link.right;
			continue;
		}
		if (gap_fits(&q, n))
			return min(n->start, q.high) - q.size;
		if (left_may_fit(&q, n)) {
			n = n->link.left;
			continue;
		}
		/* n's subtree is done: climb to the next node to look at. */
		for (;;) {
			p = n->link.parent;
			if (!p)
				return 0;
			if (n == p->link.right) {
				if (gap_fits(&q, p))
					return min(p->start, q.high) - q.size;
				if (left_may_fit(&q, p)) {
					n = p->link.left;
					break;
				}
			}
			n = p;
		}
	}
}

const char *vma_tree_check(const struct vma_tree *t)
{
	const struct vma *n = t->root, *prev = NULL, *l, *r;
	unsigned long seen = 0, g;

	if (n && n->link.parent)
		return "the root has a parent";
	for (; n && n->link.left; n = n->link.left)
		if (n->link.left->link.parent != n)
			return "a left child's parent link is wrong";
	while (n) {
		if (++seen > t->count)
			return "more regions than the count (or a cycle)";
		l = n->link.left;
		r = n->link.right;
		if (n->start >= n->end)
			return "a region is empty or inverted";
		if (prev && prev->end > n->start)
			return "regions out of order or overlapping";
		if (n->link.gap != n->start - (prev ? prev->end : 0))
			return "a gap value is wrong";
		if (n->link.height != 1 + max(height(l), height(r)))
			return "a height is wrong";
		if (height(l) - height(r) > 1 || height(r) - height(l) > 1)
			return "a node is out of AVL balance";
		g = max(n->link.gap, max(subtree_gap(l), subtree_gap(r)));
		if (n->link.max_gap != g)
			return "a max_gap value is wrong";
		prev = n;
		if (r) {
			if (r->link.parent != n)
				return "a right child's parent link is wrong";
			for (n = r; n->link.left; n = n->link.left)
				if (n->link.left->link.parent != n)
					return "a left child's parent link is wrong";
		} else {
			while (n->link.parent && n == n->link.parent->link.right)
				n = n->link.parent;
			n = n->link.parent;
		}
	}
	if (seen != t->count)
		return "fewer regions than the count";
	return NULL;
}
