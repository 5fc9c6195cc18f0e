/* SPDX-License-Identifier: BSD-2-Clause */
/* User address spaces: regions, their page tables, faults and copy-on-write fork. */
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

#define USER_PTRS (PTRS_PER_PT / 2) /* root entries of the lower half */

/* A region's prot is PROT_* as the system calls give it. */
BUILD_BUG_ON(VM_READ != PROT_READ || VM_WRITE != PROT_WRITE ||
	     VM_EXEC != PROT_EXEC);

static struct kmem_cache *vma_cache, *mm_cache;

void mmap_init(void)
{
	vma_cache = kmem_cache_create("vma", sizeof(struct vma), 8);
	mm_cache = kmem_cache_create("mm", sizeof(struct mm), 8);
	if (!vma_cache || !mm_cache)
		panic("mmap: cannot create the vma and mm caches");
}

/* User pages are shared by copy-on-write: the last user frees them. */
static void user_page_get(void *kva)
{
	__atomic_fetch_add(&virt_to_page(kva)->refcount, 1, __ATOMIC_RELAXED);
}

static void user_page_put(void *kva)
{
	if (__atomic_sub_fetch(&virt_to_page(kva)->refcount, 1,
			       __ATOMIC_ACQ_REL) == 0)
		free_page(kva);
}

static u32 user_page_refs(void *kva)
{
	return __atomic_load_n(&virt_to_page(kva)->refcount, __ATOMIC_ACQUIRE);
}

static u64 prot_pte(unsigned int prot)
{
	return PTE_V | PTE_U | PTE_A | PTE_D |
	       (prot & PROT_READ ? PTE_R : 0) |
	       (prot & PROT_WRITE ? PTE_R | PTE_W : 0) |
	       (prot & PROT_EXEC ? PTE_X : 0);
}

static pte_t *alloc_table(void)
{
	return alloc_page(__GFP_ZERO);
}

/* The level-0 entry for va in mm's table, allocating tables if asked. */
static pte_t *user_pte(struct mm *mm, unsigned long va, bool alloc)
{
	return pt_lookup(mm->pgd, va, 0, alloc ? alloc_table : NULL);
}

/*
 * Pages and page tables taken out of an address space wait in a batch on
 * the caller's stack until every hart that ran it has dropped them from
 * its TLB: freed earlier, a page could be reused while another hart still
 * reaches it. The batch keeps nothing in the pages themselves: a
 * copy-on-write page's struct page is shared by every address space that
 * maps it, and two teardowns on two harts would write it at once.
 */
#define ZAP_PAGES 32
#define ZAP_TABLES 8

/* Which harts may still reach what a zap clears. */
enum zap_reach {
	ZAP_NONE, /* none: mm is in no satp, its ASID is not reused */
	ZAP_LOCAL, /* only this hart: the last task of mm is exiting here */
	ZAP_ALL, /* every hart that ran mm */
};

struct zap {
	struct pt_walk walk;
	struct mm *mm;
	enum zap_reach reach;
	unsigned long start, end; /* what the cleared leaf entries cover */
	unsigned int npages, ntables;
	void *pages[ZAP_PAGES];
	pte_t *tables[ZAP_TABLES];
};

/* Shoots down what the batch cleared, then lets its pages go. */
static void zap_flush(struct zap *z)
{
	unsigned int i;

	/* Freed tables: a full flush, as harts cache non-leaf entries too. */
	if (z->reach == ZAP_ALL && z->ntables)
		flush_tlb_mask(&z->mm->cpus_ran, 0, ~0UL);
	else if (z->reach == ZAP_ALL && z->npages)
		flush_tlb_mask(&z->mm->cpus_ran, z->start, z->end - z->start);
	else if (z->reach == ZAP_LOCAL && z->ntables)
		local_flush_tlb_all();
	else if (z->reach == ZAP_LOCAL && z->npages)
		local_flush_tlb_range(z->start, z->end - z->start);
	for (i = 0; i < z->npages; i++)
		user_page_put(z->pages[i]);
	for (i = 0; i < z->ntables; i++)
		free_page(z->tables[i]);
	z->npages = z->ntables = 0;
	z->start = ~0UL;
	z->end = 0;
}

static int zap_leaf(struct pt_walk *w, pte_t *pte, unsigned long va)
{
	struct zap *z = container_of(w, struct zap, walk);

	if (z->npages == ZAP_PAGES)
		zap_flush(z);
	z->pages[z->npages++] = phys_to_virt(pte_pa(*pte));
	z->start = min(z->start, va);
	z->end = max(z->end, va + PAGE_SIZE);
	*pte = 0;
	z->mm->rss--;
	return 0;
}

static void zap_table(struct pt_walk *w, pte_t *table)
{
	struct zap *z = container_of(w, struct zap, walk);

	if (z->ntables == ZAP_TABLES)
		zap_flush(z);
	z->tables[z->ntables++] = table;
}

static void zap_init(struct zap *z, struct mm *mm, enum zap_reach reach,
		     bool free_tables)
{
	z->walk.leaf = zap_leaf;
	z->walk.free_table = free_tables ? zap_table : NULL;
	z->mm = mm;
	z->reach = reach;
	z->npages = z->ntables = 0;
	z->start = ~0UL;
	z->end = 0;
}

static void flush_user_range(struct mm *mm, unsigned long start,
			     unsigned long end)
{
	flush_tlb_mask(&mm->cpus_ran, start, end - start);
}

struct mm *mm_create(void)
{
	struct mm *mm = kmem_cache_alloc(mm_cache, __GFP_ZERO);

	if (!mm)
		return NULL;
	mm->pgd = alloc_page(__GFP_ZERO);
	if (!mm->pgd) {
		kmem_cache_free(mm_cache, mm);
		return NULL;
	}
	/* The kernel half never changes after paging_init(): copy it once. */
	memcpy(mm->pgd + USER_PTRS, swapper_pg_dir + USER_PTRS,
	       USER_PTRS * sizeof(pte_t));
	vma_tree_init(&mm->vmas);
	mm->stack_limit = STACK_LIMIT_DEFAULT;
	mm->stack_top = STACK_TOP;
	mm->mmap_base = STACK_TOP - mm->stack_limit;
	mm->refcount = 1;
	mm->users = 1;
	return mm;
}

/*
 * Walks region by region, not over the whole user half: a walk visits
 * every entry of each table it enters, and a region rarely fills its
 * tables.
 */
static void zap_regions(struct mm *mm, struct zap *z)
{
	struct vma *v;

	for (v = vma_first(&mm->vmas); v; v = vma_next(v))
		pt_walk(mm->pgd, v->start, v->end, &z->walk);
	zap_flush(z);
}

/*
 * Every page, table below the root and region of mm goes. The tables are
 * freed whole, with no emptiness checks: after the pages' flush, a full
 * one on this hart when reach is ZAP_LOCAL (ZAP_NONE needs none).
 */
static void teardown_locked(struct mm *mm, enum zap_reach reach)
{
	struct vma *v;
	struct zap z;

	zap_init(&z, mm, reach, false);
	zap_regions(mm, &z);
	if (reach == ZAP_LOCAL)
		local_flush_tlb_all();
	pt_free_tables(mm->pgd, 0, USER_PTRS);
	while ((v = vma_first(&mm->vmas))) {
		vma_remove(&mm->vmas, v);
		kmem_cache_free(vma_cache, v);
	}
}

void mm_put(struct mm *mm)
{
	if (__atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	/*
	 * No shootdown: no hart has it in satp any more, and the entries TLBs
	 * may keep are tagged with its ASID, which is not handed out again
	 * before a generation rollover flushes every hart (without ASIDs,
	 * every switch flushes). So its pages and tables can go at once.
	 */
	teardown_locked(mm, ZAP_NONE); /* no lock: nobody else has mm */
	free_page(mm->pgd);
	kmem_cache_free(mm_cache, mm);
}

static struct vma *vma_alloc(unsigned long start, unsigned long end,
			     unsigned int prot, unsigned int flags)
{
	struct vma *v = kmem_cache_alloc(vma_cache, __GFP_ZERO);

	if (v) {
		v->start = start;
		v->end = end;
		v->prot = prot;
		v->flags = flags;
	}
	return v;
}

/* Splits v at addr into [start, addr) and [addr, end); returns the upper part. */
static struct vma *split_vma(struct mm *mm, struct vma *v, unsigned long addr)
{
	struct vma *upper = vma_alloc(addr, v->end, v->prot, v->flags);

	if (!upper)
		return NULL;
	vma_adjust(&mm->vmas, v, v->start, addr);
	vma_insert(&mm->vmas, upper);
	return upper;
}

/* Cuts the regions so that addr is a region boundary (if inside one). */
static int split_at(struct mm *mm, unsigned long addr)
{
	struct vma *v = vma_find(&mm->vmas, addr);

	if (v && v->start < addr && !split_vma(mm, v, addr))
		return -ENOMEM;
	return 0;
}

/*
 * Caller holds mm->lock. Costs what is mapped in the range: the walk skips
 * absent tables, frees the ones it empties, and a large flush is a full one.
 */
static int unmap_locked(struct mm *mm, unsigned long start, unsigned long end,
			enum zap_reach reach)
{
	struct vma *v;
	struct zap z;
	int err;

	if ((err = split_at(mm, start)) || (err = split_at(mm, end)))
		return err;
	zap_init(&z, mm, reach, true);
	pt_walk(mm->pgd, start, end, &z.walk);
	zap_flush(&z);
	while ((v = vma_find_from(&mm->vmas, start)) && v->start < end) {
		vma_remove(&mm->vmas, v);
		kmem_cache_free(vma_cache, v);
	}
	return 0;
}

static bool range_ok(unsigned long addr, unsigned long len)
{
	return IS_ALIGNED(addr, PAGE_SIZE) && addr >= USER_MIN_ADDR &&
	       len <= TASK_SIZE && addr <= TASK_SIZE - len;
}

/*
 * Shared anonymous memory gets its pages at once: fork shares only pages
 * that exist, and a page faulted in later would be private to one side.
 */
static int populate_locked(struct mm *mm, const struct vma *v)
{
	struct page_alloc_stats st;
	unsigned long va;

	/* Bound the loop by memory, not by the range: fail at once if it cannot fit. */
	page_alloc_get_stats(&st);
	if ((v->end - v->start) / PAGE_SIZE > st.free_pages + st.cached_pages)
		return -ENOMEM;
	for (va = v->start; va < v->end; va += PAGE_SIZE) {
		pte_t *pte = user_pte(mm, va, true);
		void *page;

		if (!pte || !(page = alloc_page(__GFP_ZERO)))
			return -ENOMEM;
		virt_to_page(page)->refcount = 1;
		*pte = pfn_pte(virt_to_phys(page), prot_pte(v->prot));
		mm->rss++;
	}
	return 0;
}

long mm_map(struct mm *mm, unsigned long addr, unsigned long len,
	    unsigned int prot, bool fixed, unsigned int vm_flags)
{
	struct vma *v;
	int err;

	if (!len || len > TASK_SIZE || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (fixed && !range_ok(addr, len))
		return -EINVAL;
	if (vm_flags & ~(VM_GROWSDOWN | VM_SHARED | VM_HEAP | MM_MAP_NOREPLACE))
		return -EINVAL;
	v = vma_alloc(0, 0, prot, VM_ANON | (vm_flags & ~MM_MAP_NOREPLACE));
	if (!v)
		return -ENOMEM;

	spin_lock(&mm->lock);
	if (fixed && (vm_flags & MM_MAP_NOREPLACE)) {
		err = vma_find_intersection(&mm->vmas, addr, addr + len) ?
		      -EEXIST : 0;
	} else if (fixed) {
		err = unmap_locked(mm, addr, addr + len, ZAP_ALL);
	} else {
		/* Top-down below the stack's room to grow. */
		addr = vma_find_gap(&mm->vmas, len, USER_MIN_ADDR,
				    mm->mmap_base);
		err = addr ? 0 : -ENOMEM;
	}
	if (!err) {
		v->start = addr;
		v->end = addr + len;
		err = vma_insert(&mm->vmas, v);
		if (!err && (vm_flags & VM_SHARED) && populate_locked(mm, v)) {
			unmap_locked(mm, v->start, v->end, ZAP_ALL); /* frees v too */
			spin_unlock(&mm->lock);
			return -ENOMEM;
		}
	}
	spin_unlock(&mm->lock);
	if (err) {
		kmem_cache_free(vma_cache, v);
		return err;
	}
	return (long)addr;
}

void mm_exit(struct mm *mm)
{
	spin_lock(&mm->lock);
	/*
	 * Only this hart can reach mm: no other task uses it (no threads), so
	 * no other hart has it in satp, and the entries other harts' TLBs
	 * keep are tagged with its ASID, which stays its own (see mm_put()).
	 */
	teardown_locked(mm, ZAP_LOCAL);
	spin_unlock(&mm->lock);
}

void mm_reap(struct mm *mm)
{
	struct zap z;

	spin_lock(&mm->lock);
	zap_init(&z, mm, ZAP_ALL, true); /* it may run on any hart */
	zap_regions(mm, &z);
	spin_unlock(&mm->lock);
}

int mm_unmap(struct mm *mm, unsigned long addr, unsigned long len)
{
	int err;

	if (!len || !range_ok(addr, ALIGN_UP(len, PAGE_SIZE)))
		return -EINVAL;
	spin_lock(&mm->lock);
	err = unmap_locked(mm, addr, addr + ALIGN_UP(len, PAGE_SIZE), ZAP_ALL);
	spin_unlock(&mm->lock);
	return err;
}

struct reprotect {
	struct pt_walk walk;
	u64 bits;
	bool shared;
};

/*
 * A private page shared copy-on-write stays read-only whatever the region
 * says; a MAP_SHARED page is never copied, so it takes the region's
 * protection as it is.
 */
static int reprotect_one(struct pt_walk *w, pte_t *pte, unsigned long va)
{
	struct reprotect *r = container_of(w, struct reprotect, walk);
	u64 bits = r->bits;

	if (!r->shared && user_page_refs(phys_to_virt(pte_pa(*pte))) > 1)
		bits &= ~PTE_W;
	*pte = pfn_pte(pte_pa(*pte), bits);
	return 0;
}

int mm_protect(struct mm *mm, unsigned long addr, unsigned long len,
	       unsigned int prot)
{
	unsigned long end = addr + ALIGN_UP(len, PAGE_SIZE), va;
	struct reprotect r = { .walk.leaf = reprotect_one,
			       .bits = prot_pte(prot) };
	struct vma *v;
	int err = 0;

	if (!len || !range_ok(addr, end - addr) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	spin_lock(&mm->lock);
	/* Linux's rule: every byte of the range must be mapped. */
	for (va = addr; va < end; va = v->end) {
		v = vma_find(&mm->vmas, va);
		if (!v) {
			err = -ENOMEM;
			goto out;
		}
	}
	if ((err = split_at(mm, addr)) || (err = split_at(mm, end)))
		goto out;
	for (v = vma_find(&mm->vmas, addr); v && v->start < end; v = vma_next(v)) {
		v->prot = prot;
		r.shared = v->flags & VM_SHARED;
		pt_walk(mm->pgd, v->start, v->end, &r.walk);
	}
	flush_user_range(mm, addr, end);
out:
	spin_unlock(&mm->lock);
	return err;
}

/* Grows a stack region down to cover addr, within the stack limit. */
static struct vma *grow_stack(struct mm *mm, unsigned long addr)
{
	struct vma *v = vma_find_from(&mm->vmas, addr), *below;
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE);

	if (!v || !(v->flags & VM_GROWSDOWN) || v->end - start > mm->stack_limit)
		return NULL;
	/* Keep a page free between the stack and the region below it. */
	below = vma_prev(v);
	if (below && below->end + PAGE_SIZE > start)
		return NULL;
	return vma_adjust(&mm->vmas, v, start, v->end) ? NULL : v;
}

static bool access_allowed(const struct vma *v, enum fault_access acc)
{
	switch (acc) {
	case FAULT_WRITE:
		return v->prot & PROT_WRITE;
	case FAULT_EXEC:
		return v->prot & PROT_EXEC;
	default:
		return v->prot & (PROT_READ | PROT_WRITE);
	}
}

/*
 * A write to a read-only entry of a writable region. MAP_SHARED pages are
 * never copied: the entry just gets the region's protection. A private
 * page is taken over if we are its last user: the count only drops to 1
 * once every other address space cleared its entry and shot it down (see
 * zap_flush()), and only a fork of this address space, under its lock,
 * could raise it again. Else the page is copied. A copy changes the page
 * behind the address, so every hart that ran this address space must drop
 * the old translation before our reference to the old page goes (a stale
 * read-only entry only costs a spurious fault).
 */
static int break_cow(struct mm *mm, unsigned long addr, pte_t *pte,
		     const struct vma *v)
{
	void *old = phys_to_virt(pte_pa(*pte)), *copy;

	if (!(v->flags & VM_SHARED) && user_page_refs(old) > 1) {
		copy = alloc_page(0);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, old, PAGE_SIZE);
		virt_to_page(copy)->refcount = 1;
		*pte = pfn_pte(virt_to_phys(copy), prot_pte(v->prot));
		flush_tlb_mask(&mm->cpus_ran, addr, PAGE_SIZE);
		user_page_put(old);
	} else {
		*pte = pfn_pte(pte_pa(*pte), prot_pte(v->prot));
	}
	return 0;
}

int handle_mm_fault(struct mm *mm, unsigned long addr, enum fault_access acc)
{
	struct vma *v;
	pte_t *pte;
	int err = 0;

	if (addr >= TASK_SIZE)
		return -EFAULT;
	spin_lock(&mm->lock);
	v = vma_find(&mm->vmas, addr);
	if (!v)
		v = grow_stack(mm, addr);
	if (!v || !access_allowed(v, acc)) {
		err = -EFAULT;
		goto out;
	}
	pte = user_pte(mm, addr, true);
	if (!pte) {
		err = -ENOMEM;
	} else if (!(*pte & PTE_V)) {
		void *page = alloc_page(__GFP_ZERO);

		if (!page) {
			err = -ENOMEM;
			goto out;
		}
		virt_to_page(page)->refcount = 1;
		*pte = pfn_pte(virt_to_phys(page), prot_pte(v->prot));
		mm->rss++;
	} else if (acc == FAULT_WRITE && !(*pte & PTE_W)) {
		err = break_cow(mm, addr, pte, v);
	}
	/*
	 * Otherwise the entry already allows the access: another hart fixed
	 * it, or this hart's TLB held an older entry. Either way, retry.
	 */
	local_flush_tlb_range(addr, PAGE_SIZE);
out:
	spin_unlock(&mm->lock);
	return err;
}

struct dup_ctx {
	struct pt_walk walk;
	struct mm *child;
	bool cow; /* private and writable: both sides go read-only */
};

static int dup_one(struct pt_walk *w, pte_t *pte, unsigned long va)
{
	struct dup_ctx *d = container_of(w, struct dup_ctx, walk);
	pte_t *child = user_pte(d->child, va, true);

	if (!child)
		return -ENOMEM;
	/* Both sides read-only: the first write copies (break_cow). */
	if (d->cow)
		*pte &= ~PTE_W;
	*child = *pte;
	user_page_get(phys_to_virt(pte_pa(*pte)));
	d->child->rss++;
	return 0;
}

struct mm *mm_dup(struct mm *old)
{
	struct mm *mm = mm_create();
	struct dup_ctx d = { .walk.leaf = dup_one, .child = mm };
	struct vma *v, *copy;
	int err = 0;

	if (!mm)
		return NULL;
	mm->stack_limit = old->stack_limit;
	mm->stack_top = old->stack_top;
	mm->mmap_base = old->mmap_base;
	spin_lock(&old->lock);
	mm->brk_start = old->brk_start;
	mm->brk = old->brk;
	for (v = vma_first(&old->vmas); v && !err; v = vma_next(v)) {
		copy = vma_alloc(v->start, v->end, v->prot, v->flags);
		if (!copy) {
			err = -ENOMEM;
			break;
		}
		vma_insert(&mm->vmas, copy);
		d.cow = (v->prot & PROT_WRITE) && !(v->flags & VM_SHARED);
		err = pt_walk(old->pgd, v->start, v->end, &d.walk);
	}
	/* The parent's writable entries just became read-only. */
	flush_tlb_mask(&old->cpus_ran, 0, ~0UL);
	spin_unlock(&old->lock);
	if (err) {
		mm_put(mm);
		return NULL;
	}
	return mm;
}

int mm_shared_page(struct mm *mm, unsigned long addr, phys_addr_t *pa)
{
	int tries;

	/* A fault-in that another hart's munmap undoes each time: give up. */
	for (tries = 0; tries < 4; tries++) {
		struct vma *v;
		pte_t *pte;
		int ret;

		spin_lock(&mm->lock);
		v = vma_find(&mm->vmas, addr);
		if (!v || !(v->prot & PROT_READ)) {
			ret = -EFAULT;
		} else if (!(v->flags & VM_SHARED)) {
			ret = 1;
		} else {
			pte = user_pte(mm, addr, false);
			if (pte && (*pte & PTE_V)) {
				*pa = pte_pa(*pte) + (addr & (PAGE_SIZE - 1));
				ret = 0;
			} else {
				ret = -EAGAIN;
			}
		}
		spin_unlock(&mm->lock);
		if (ret != -EAGAIN)
			return ret;
		ret = handle_mm_fault(mm, addr, FAULT_READ);
		if (ret)
			return ret == -ENOMEM ? -ENOMEM : -EFAULT;
	}
	return -EFAULT;
}
