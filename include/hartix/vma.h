/* SPDX-License-Identifier: BSD-2-Clause */
/* The regions (VMAs) of a user address space, in an augmented AVL tree (mm/vma.c). */
#ifndef HARTIX_VMA_H
#define HARTIX_VMA_H

#include <hartix/types.h>

/*
 * Freestanding and host-tested: no locks, no printing, no allocation, no
 * global state, no recursion. The caller allocates every struct vma,
 * serializes all calls on one tree (the mm's lock) and frees a vma only
 * after vma_remove().
 *
 * Every operation is O(log n) except vma_tree_check() (O(n)); vma_next()
 * and vma_prev() are O(1) amortized over a walk.
 *
 * Address ranges are [start, end) with start < end, page aligned (the tree
 * itself only needs start < end; alignment is the caller's rule). Because
 * end is exclusive, no region can contain the last page of the address
 * space (end would be 2^64); that is no loss for Sv39/Sv48 user space.
 */

/* prot: the same values as PROT_READ/PROT_WRITE/PROT_EXEC. */
#define VM_READ 0x1u
#define VM_WRITE 0x2u
#define VM_EXEC 0x4u

/* flags: what the region is. The tree never looks at prot or flags. */
#define VM_ANON 0x01u /* anonymous memory, zero filled on first touch */
#define VM_SHARED 0x02u /* MAP_SHARED: writes are seen by other mappers */
#define VM_FILE 0x04u /* backed by file at file_offset */
#define VM_GROWSDOWN 0x08u /* a stack: a fault just below start extends it */
#define VM_STACK VM_GROWSDOWN
#define VM_HEAP 0x10u /* the brk area */
#define VM_MAYWRITE 0x20u /* VM_FILE and VM_SHARED: the file was opened for writing */

/* The page size vma_find_gap() aligns its arguments to (Sv39's). */
#define VMA_PAGE_SIZE 4096UL

struct vma;

/* Tree linkage inside each vma: owned by mm/vma.c, read-only to others. */
struct vma_link {
	struct vma *parent, *left, *right;
	/* Free bytes just below this region: start - previous end (or - 0). */
	unsigned long gap;
	unsigned long max_gap; /* the largest gap in this subtree */
	int height; /* of this subtree; a leaf is 1 */
};

/* One region of a user address space: [start, end), page aligned. */
struct vma {
	/* Never write start/end of a vma in a tree: use vma_adjust(). */
	unsigned long start, end;
	unsigned int prot; /* VM_READ | VM_WRITE | VM_EXEC */
	unsigned int flags; /* VM_ANON, VM_SHARED, VM_FILE, VM_GROWSDOWN, ... */
	void *file; /* for file-backed regions; NULL for anonymous ones */
	unsigned long file_offset; /* of start, in bytes; 0 for anonymous */
	/*
	 * File mappings (mm/mmap.c): the address space, and the links of the
	 * list of the file's mappings (truncate finds them there), with the
	 * pass of truncate that last visited the region.
	 */
	void *mm;
	struct vma *file_next, *file_prev;
	unsigned long truncate_pass;
	struct vma_link link;
};

struct vma_tree {
	struct vma *root;
	unsigned long count;
};

void vma_tree_init(struct vma_tree *t);

/*
 * Inserts v, whose start and end are set (its link is overwritten).
 * Returns 0, -EEXIST if [start, end) overlaps a region already there or
 * -EINVAL if start >= end; the tree is unchanged on error.
 */
int vma_insert(struct vma_tree *t, struct vma *v);

/* Unlinks v, which must be in t. The caller frees it afterwards. */
void vma_remove(struct vma_tree *t, struct vma *v);

/*
 * Moves the bounds of v, which is in t, to [start, end) in place: for
 * munmap or mprotect of part of a region (shrink, then insert the split-off
 * part) and for brk or stack growth. Returns 0, -EEXIST if the new range
 * would overlap a neighbour or -EINVAL if start >= end; v is unchanged on
 * error.
 */
int vma_adjust(struct vma_tree *t, struct vma *v, unsigned long start,
	       unsigned long end);

/* The region containing addr, or NULL. */
struct vma *vma_find(const struct vma_tree *t, unsigned long addr);

/* The first region with end > addr (the one containing addr or the next above), or NULL. */
struct vma *vma_find_from(const struct vma_tree *t, unsigned long addr);

/* The first region overlapping [start, end), or NULL (also if start >= end). */
struct vma *vma_find_intersection(const struct vma_tree *t,
				  unsigned long start, unsigned long end);

/* In-order successor / predecessor, or NULL. */
struct vma *vma_next(const struct vma *v);
struct vma *vma_prev(const struct vma *v);

/* The lowest / highest region, or NULL when the tree is empty. */
struct vma *vma_first(const struct vma_tree *t);
struct vma *vma_last(const struct vma_tree *t);

unsigned long vma_count(const struct vma_tree *t);

/*
 * The highest free range of size bytes inside [low, high), placed top-down
 * like Linux's mmap: returns its start, or 0 if none fits. low is rounded
 * up, high down, size up to VMA_PAGE_SIZE; size 0 finds nothing. As 0
 * means "none", low is raised to at least VMA_PAGE_SIZE: page 0 is never
 * handed out (pass the real minimum mmap address as low). With page-aligned
 * regions the result is page aligned.
 */
unsigned long vma_find_gap(const struct vma_tree *t, unsigned long size,
			   unsigned long low, unsigned long high);

/*
 * Checks every invariant (order, no overlap, parent links, heights and AVL
 * balance, gap and max_gap values, count) in O(n). Returns NULL if they
 * hold, else what is broken; for tests and debugging.
 */
const char *vma_tree_check(const struct vma_tree *t);

/* for (v = first region; v; v = next), v must not be removed inside. */
#define vma_for_each(v, t) for ((v) = vma_first(t); (v); (v) = vma_next(v))

#endif
