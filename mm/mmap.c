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

/* The level-0 entry for va in mm's table, allocating tables if asked. */
static pte_t *user_pte(struct mm *mm, unsigned long va, bool alloc)
{
	pte_t *table = mm->pgd;
	int level;

	for (level = 2; level > 0; level--) {
		pte_t *e = &table[pt_index(va, level)];

		if (!(*e & PTE_V)) {
			pte_t *next;

			if (!alloc || !(next = alloc_page(__GFP_ZERO)))
				return NULL;
			*e = pfn_pte(virt_to_phys(next), PTE_V);
		}
		table = phys_to_virt(pte_pa(*e));
	}
	return &table[pt_index(va, 0)];
}

/*
 * Calls fn for every present leaf entry in [start, end), skipping whole
 * tables that are absent, so sparse regions cost what they map.
 */
static void walk_user(struct mm *mm, unsigned long start, unsigned long end,
		      void (*fn)(struct mm *mm, unsigned long va, pte_t *pte,
				 void *arg),
		      void *arg)
{
	unsigned long va = start;

	while (va < end) {
		pte_t *table = mm->pgd;
		int level;

		for (level = 2; level >= 0; level--) {
			pte_t *e = &table[pt_index(va, level)];

			if (!(*e & PTE_V)) {
				/* Nothing below: skip to the next entry of this level. */
				va = ALIGN_DOWN(va, PT_LEVEL_SIZE(level)) +
				     PT_LEVEL_SIZE(level);
				break;
			}
			if (level == 0) {
				fn(mm, va, e, arg);
				va += PAGE_SIZE;
				break;
			}
			table = phys_to_virt(pte_pa(*e));
		}
	}
}

/*
 * Pages whose entries were cleared wait here, chained through their struct
 * page's 'private', until every hart's TLB forgot them: freed earlier, a
 * page could be reused while another hart still reaches it.
 */
struct zap_list {
	struct page *head;
};

static void zap_one(struct mm *mm, unsigned long va, pte_t *pte, void *arg)
{
	struct zap_list *z = arg;
	struct page *page = virt_to_page(phys_to_virt(pte_pa(*pte)));

	page->private = z->head;
	z->head = page;
	*pte = 0;
	mm->rss--;
}

static void zap_finish(struct zap_list *z)
{
	while (z->head) {
		struct page *page = z->head;

		z->head = page->private;
		user_page_put(page_to_virt(page));
	}
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
	return mm;
}

static void free_tables(pte_t *table, int level)
{
	int i, n = level == 2 ? USER_PTRS : PTRS_PER_PT;

	for (i = 0; level > 0 && i < n; i++)
		if (table[i] & PTE_V)
			free_tables(phys_to_virt(pte_pa(table[i])), level - 1);
	free_page(table);
}

void mm_put(struct mm *mm)
{
	struct vma *v;

	struct zap_list z = { NULL };

	if (__atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	while ((v = vma_first(&mm->vmas))) {
		walk_user(mm, v->start, v->end, zap_one, &z);
		vma_remove(&mm->vmas, v);
		kmem_cache_free(vma_cache, v);
	}
	/*
	 * No shootdown: no hart has it in satp any more, and the entries TLBs
	 * may keep are tagged with its ASID, which is not handed out again
	 * before a generation rollover flushes every hart (without ASIDs,
	 * every switch flushes). So its pages and tables can go at once.
	 */
	zap_finish(&z);
	free_tables(mm->pgd, 2);
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

/* Caller holds mm->lock. */
static int unmap_locked(struct mm *mm, unsigned long start, unsigned long end)
{
	struct zap_list z = { NULL };
	struct vma *v;
	int err;

	if ((err = split_at(mm, start)) || (err = split_at(mm, end)))
		return err;
	while ((v = vma_find_from(&mm->vmas, start)) && v->start < end) {
		walk_user(mm, v->start, v->end, zap_one, &z);
		vma_remove(&mm->vmas, v);
		kmem_cache_free(vma_cache, v);
	}
	flush_user_range(mm, start, end);
	zap_finish(&z);
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
	unsigned long va;

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
	if (vm_flags & ~(VM_GROWSDOWN | VM_SHARED))
		return -EINVAL;
	v = vma_alloc(0, 0, prot, VM_ANON | vm_flags);
	if (!v)
		return -ENOMEM;

	spin_lock(&mm->lock);
	if (fixed) {
		err = unmap_locked(mm, addr, addr + len);
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
			unmap_locked(mm, v->start, v->end); /* frees v too */
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

int mm_unmap(struct mm *mm, unsigned long addr, unsigned long len)
{
	int err;

	if (!len || !range_ok(addr, ALIGN_UP(len, PAGE_SIZE)))
		return -EINVAL;
	spin_lock(&mm->lock);
	err = unmap_locked(mm, addr, addr + ALIGN_UP(len, PAGE_SIZE));
	spin_unlock(&mm->lock);
	return err;
}

/* A shared (copy-on-write) page stays read-only whatever the region says. */
static void reprotect_one(struct mm *mm, unsigned long va, pte_t *pte,
			  void *arg)
{
	unsigned int prot = *(unsigned int *)arg;
	void *page = phys_to_virt(pte_pa(*pte));
	u64 bits = prot_pte(prot);

	if (user_page_refs(page) > 1)
		bits &= ~PTE_W;
	*pte = pfn_pte(pte_pa(*pte), bits);
}

int mm_protect(struct mm *mm, unsigned long addr, unsigned long len,
	       unsigned int prot)
{
	unsigned long end = addr + ALIGN_UP(len, PAGE_SIZE), va;
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
	for (v = vma_find(&mm->vmas, addr); v && v->start < end; v = vma_next(v))
		v->prot = prot;
	walk_user(mm, addr, end, reprotect_one, &prot);
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
 * A write to a shared page: take it over if we are the last user, else
 * copy. A copy changes the page behind the address, so every hart that ran
 * this address space must drop the old translation before the old page can
 * go (a harmless stale read-only entry only costs a spurious fault).
 */
static int break_cow(struct mm *mm, unsigned long addr, pte_t *pte,
		     const struct vma *v)
{
	void *old = phys_to_virt(pte_pa(*pte)), *copy;

	if (user_page_refs(old) > 1) {
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
	struct mm *child;
	bool cow; /* private and writable: both sides go read-only */
	int err;
};

static void dup_one(struct mm *mm, unsigned long va, pte_t *pte, void *arg)
{
	struct dup_ctx *d = arg;
	pte_t *child;

	if (d->err)
		return;
	child = user_pte(d->child, va, true);
	if (!child) {
		d->err = -ENOMEM;
		return;
	}
	/* Both sides read-only: the first write copies (break_cow). */
	if (d->cow)
		*pte &= ~PTE_W;
	*child = *pte;
	user_page_get(phys_to_virt(pte_pa(*pte)));
	d->child->rss++;
}

struct mm *mm_dup(struct mm *old)
{
	struct mm *mm = mm_create();
	struct dup_ctx d = { .child = mm };
	struct vma *v, *copy;

	if (!mm)
		return NULL;
	mm->stack_limit = old->stack_limit;
	mm->stack_top = old->stack_top;
	mm->mmap_base = old->mmap_base;
	spin_lock(&old->lock);
	for (v = vma_first(&old->vmas); v && !d.err; v = vma_next(v)) {
		copy = vma_alloc(v->start, v->end, v->prot, v->flags);
		if (!copy) {
			d.err = -ENOMEM;
			break;
		}
		vma_insert(&mm->vmas, copy);
		d.cow = (v->prot & PROT_WRITE) && !(v->flags & VM_SHARED);
		walk_user(old, v->start, v->end, dup_one, &d);
	}
	/* The parent's writable entries just became read-only. */
	flush_tlb_mask(&old->cpus_ran, 0, ~0UL);
	spin_unlock(&old->lock);
	if (d.err) {
		mm_put(mm);
		return NULL;
	}
	return mm;
}
