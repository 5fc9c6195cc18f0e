/* SPDX-License-Identifier: BSD-2-Clause */
/* User address spaces: regions, their page tables, faults and copy-on-write fork. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
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

/*
 * User pages are shared by copy-on-write, file pages by the file and its
 * mappings: the last user frees them.
 */
void get_page(void *kva)
{
	__atomic_fetch_add(&virt_to_page(kva)->refcount, 1, __ATOMIC_RELAXED);
}

void put_page(void *kva)
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
		put_page(z->pages[i]);
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
	/*
	 * The room left below the stack (exec: from RLIMIT_STACK, at least
	 * the default, at most STACK_ROOM_MAX); the stack grows into it up
	 * to RLIMIT_STACK at the time of the fault.
	 */
	mm->stack_limit = min(max(rlimit(RLIMIT_STACK), STACK_LIMIT_DEFAULT),
			      STACK_ROOM_MAX);
	mm->stack_top = STACK_TOP;
	mm->mmap_base = STACK_TOP - mm->stack_limit;
	mm->refcount = 1;
	mm->users = 1;
	return mm;
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

/*
 * mappings_lock protects every file's list of the regions mapping it
 * (inode->mappings, vma->file_next/file_prev), vma->truncate_pass and
 * the writes of inode->trunc_seq (read without it).
 * Taken inside mm->lock, never the other way round.
 */
static DEFINE_SPINLOCK(mappings_lock);

/* v maps file ino for mm: it takes over a reference to ino. */
static void file_link(struct vma *v, struct mm *mm, struct inode *ino)
{
	v->file = ino;
	v->mm = mm;
	spin_lock(&mappings_lock);
	v->file_prev = NULL;
	v->file_next = ino->mappings;
	if (ino->mappings)
		ino->mappings->file_prev = v;
	ino->mappings = v;
	spin_unlock(&mappings_lock);
}

static void file_unlink(struct vma *v)
{
	struct inode *ino = v->file;

	spin_lock(&mappings_lock);
	if (v->file_prev)
		v->file_prev->file_next = v->file_next;
	else
		ino->mappings = v->file_next;
	if (v->file_next)
		v->file_next->file_prev = v->file_prev;
	spin_unlock(&mappings_lock);
}

/*
 * Frees a region out of (or never in) the tree, with its file reference:
 * with no spinlock held, as the last reference may take fs_lock, write
 * the inode back or sleep.
 */
static void vma_free(struct vma *v)
{
	if (IS_ENABLED(CONFIG_FILE_MMAP) && v->file) {
		file_unlink(v);
		fs_put_inode(v->file);
	}
	kmem_cache_free(vma_cache, v);
}

/*
 * Caller holds mm->lock (or is mm's last user): v, out of the tree, goes.
 * A file region leaves its file's list now and waits on mm->buried
 * (linked through file_next) for vmas_release() after the lock, to drop
 * its file reference there.
 */
static void vma_bury(struct mm *mm, struct vma *v)
{
	if (IS_ENABLED(CONFIG_FILE_MMAP) && v->file) {
		file_unlink(v);
		v->file_next = mm->buried;
		mm->buried = v;
		return;
	}
	kmem_cache_free(vma_cache, v);
}

/* Frees a list of buried regions; the caller holds no spinlock. */
static void vmas_release(struct vma *v)
{
	struct vma *next;

	for (; v; v = next) {
		next = v->file_next;
		fs_put_inode(v->file);
		kmem_cache_free(vma_cache, v);
	}
}

/* Drops mm->lock, then frees what was buried under it. */
static void mm_unlock(struct mm *mm)
{
	struct vma *buried = mm->buried;

	mm->buried = NULL;
	spin_unlock(&mm->lock);
	vmas_release(buried);
}

/* A copy of v's [start, end) for mm, not in a tree yet. */
static struct vma *vma_clone(struct mm *mm, const struct vma *v,
			     unsigned long start, unsigned long end)
{
	struct vma *c = vma_alloc(start, end, v->prot, v->flags);

	if (IS_ENABLED(CONFIG_FILE_MMAP) && c && v->file) {
		c->file_offset = v->file_offset + (start - v->start);
		fs_hold_inode(v->file);
		file_link(c, mm, v->file);
	}
	return c;
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
		vma_bury(mm, v);
	}
}

void mm_put(struct mm *mm)
{
	if (__atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	mm_unlazy(mm);
	/*
	 * No shootdown: no hart has it in satp any more, and the entries TLBs
	 * may keep are tagged with its ASID, which is not handed out again
	 * before a generation rollover flushes every hart (without ASIDs,
	 * every switch flushes). So its pages and tables can go at once.
	 */
	teardown_locked(mm, ZAP_NONE); /* no lock: nobody else has mm */
	vmas_release(mm->buried);
	exe_deny_write(mm, false);
	exe_path_put(mm->exe);
	free_page(mm->pgd);
	kmem_cache_free(mm_cache, mm);
}

/* Splits v at addr into [start, addr) and [addr, end); returns the upper part. */
static struct vma *split_vma(struct mm *mm, struct vma *v, unsigned long addr)
{
	struct vma *upper = vma_clone(mm, v, addr, v->end);

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
		vma_bury(mm, v);
	}
	return 0;
}

/* What RLIMIT_DATA counts (Linux's): private writable memory but the stack. */
static bool is_data(unsigned int flags, unsigned int prot)
{
	return (prot & PROT_WRITE) && !(flags & (VM_SHARED | VM_GROWSDOWN));
}

/*
 * Linux's may_expand_vm(): may the address space take add more bytes
 * (data: of data) within RLIMIT_AS and RLIMIT_DATA? [skip_start,
 * skip_end) is about to be replaced: it does not count. Walks the
 * regions only when a limit is set. Caller holds mm->lock.
 */
static int may_expand_locked(struct mm *mm, unsigned long add, bool data,
			     unsigned long skip_start, unsigned long skip_end)
{
	unsigned long as = rlimit(RLIMIT_AS), dlim = rlimit(RLIMIT_DATA);
	unsigned long total = 0, dtotal = 0;
	struct vma *v;

	if (as == RLIM_INFINITY && (!data || dlim == RLIM_INFINITY))
		return 0;
	vma_for_each(v, &mm->vmas) {
		unsigned long size = v->end - v->start;
		unsigned long lo = max(v->start, skip_start);
		unsigned long hi = min(v->end, skip_end);

		if (lo < hi)
			size -= hi - lo;
		total += size;
		if (is_data(v->flags, v->prot))
			dtotal += size;
	}
	if (add > as || total > as - add)
		return -ENOMEM;
	if (data && (add > dlim || dtotal > dlim - add))
		return -ENOMEM;
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

/* mm_map() and mm_map_file(): an anonymous region when ino is NULL. */
static long map_region(struct mm *mm, unsigned long addr, unsigned long len,
		       unsigned int prot, bool fixed, unsigned int vm_flags,
		       struct inode *ino, unsigned long off)
{
	unsigned int allowed = ino ? VM_SHARED | VM_MAYWRITE | MM_MAP_NOREPLACE :
			       VM_GROWSDOWN | VM_SHARED | VM_HEAP | MM_MAP_NOREPLACE;
	struct vma *v;
	int err;

	if (!len || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (len > TASK_SIZE) /* as Linux's get_unmapped_area() */
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (fixed && !range_ok(addr, len))
		return -EINVAL;
	if (vm_flags & ~allowed)
		return -EINVAL;
	v = vma_alloc(0, 0, prot, (ino ? VM_FILE : VM_ANON) |
			  (vm_flags & ~MM_MAP_NOREPLACE));
	if (!v)
		return -ENOMEM;
	if (IS_ENABLED(CONFIG_FILE_MMAP) && ino) {
		fs_hold_inode(ino);
		v->file_offset = off;
		file_link(v, mm, ino);
	}

	spin_lock(&mm->lock);
	err = may_expand_locked(mm, len, is_data(v->flags, prot),
				fixed ? addr : 0, fixed ? addr + len : 0);
	if (!err && fixed && (vm_flags & MM_MAP_NOREPLACE)) {
		err = vma_find_intersection(&mm->vmas, addr, addr + len) ?
		      -EEXIST : 0;
	} else if (!err && fixed) {
		err = unmap_locked(mm, addr, addr + len, ZAP_ALL);
	} else if (!err) {
		/* Top-down below the stack's room to grow. */
		addr = vma_find_gap(&mm->vmas, len, USER_MIN_ADDR,
				    mm->mmap_base);
		err = addr ? 0 : -ENOMEM;
	}
	if (!err) {
		v->start = addr;
		v->end = addr + len;
		err = vma_insert(&mm->vmas, v);
		if (!err && (vm_flags & VM_SHARED) && !ino &&
		    populate_locked(mm, v)) {
			unmap_locked(mm, v->start, v->end, ZAP_ALL); /* frees v too */
			mm_unlock(mm);
			return -ENOMEM;
		}
	}
	mm_unlock(mm);
	if (err) {
		vma_free(v);
		return err;
	}
	return (long)addr;
}

long mm_map(struct mm *mm, unsigned long addr, unsigned long len,
	    unsigned int prot, bool fixed, unsigned int vm_flags)
{
	return map_region(mm, addr, len, prot, fixed, vm_flags, NULL, 0);
}

#ifdef CONFIG_FILE_MMAP
long mm_map_file(struct mm *mm, unsigned long addr, unsigned long len,
		 unsigned int prot, bool fixed, unsigned int vm_flags,
		 struct inode *ino, unsigned long off)
{
	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	return map_region(mm, addr, len, prot, fixed, vm_flags, ino, off);
}

static unsigned long truncate_passes; /* under mappings_lock */

/* A reference to mm unless its last one is already gone (it is being freed). */
static bool mm_tryget(struct mm *mm)
{
	unsigned long r = __atomic_load_n(&mm->refcount, __ATOMIC_RELAXED);

	do {
		if (!r)
			return false;
	} while (!__atomic_compare_exchange_n(&mm->refcount, &r, r + 1, true,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

/*
 * Caller holds mm->lock: drops every page at file offset keep or above
 * from mm's mappings of ino, private copies too (as Linux's truncate), and
 * marks those regions visited by this pass.
 */
static void zap_file_locked(struct mm *mm, struct inode *ino,
			    unsigned long keep, unsigned long pass)
{
	struct vma *v;
	struct zap z;

	zap_init(&z, mm, ZAP_ALL, false);
	vma_for_each(v, &mm->vmas) {
		unsigned long from = v->start;

		if (v->file != ino)
			continue;
		spin_lock(&mappings_lock);
		v->truncate_pass = pass;
		spin_unlock(&mappings_lock);
		if (keep > v->file_offset)
			from += min(keep - v->file_offset, v->end - v->start);
		if (from < v->end)
			pt_walk(mm->pgd, from, v->end, &z.walk);
	}
	zap_flush(&z);
}

/*
 * The caller (truncate, with the inode's write lock) has cut ino to size:
 * a later fault past it gets SIGBUS, and this drops what is mapped there.
 * One address space at a time, each under its own lock: the list is
 * walked again for the next region this pass has not visited.
 */
void mm_truncate_file(struct inode *ino, u64 size)
{
	unsigned long keep = (unsigned long)ALIGN_UP(size, PAGE_SIZE), pass;
	struct vma *v;

	spin_lock(&mappings_lock);
	pass = ++truncate_passes;
	/* After the file was cut: a fault that got a page before sees it (file_fault()). */
	WRITE_ONCE(ino->trunc_seq, ino->trunc_seq + 1);
	spin_unlock(&mappings_lock);
	for (;;) {
		struct mm *mm = NULL;

		spin_lock(&mappings_lock);
		for (v = ino->mappings; v && !mm; v = v->file_next) {
			if (v->truncate_pass == pass)
				continue;
			v->truncate_pass = pass;
			if (mm_tryget(v->mm))
				mm = v->mm;
		}
		spin_unlock(&mappings_lock);
		if (!mm)
			return;
		spin_lock(&mm->lock);
		zap_file_locked(mm, ino, keep, pass);
		spin_unlock(&mm->lock);
		mm_put(mm);
	}
}
#endif

void mm_exit(struct mm *mm)
{
	spin_lock(&mm->lock);
	/*
	 * Only this hart can reach mm: no other task uses it (no threads), so
	 * no other hart has it in satp but lazily (CONFIG_LAZY_TLB: the idle
	 * task or a kernel thread, which touch no user address; the root
	 * table stays until mm_put()), and the entries other harts' TLBs
	 * keep are tagged with its ASID, which stays its own (see mm_put()).
	 */
	teardown_locked(mm, ZAP_LOCAL);
	mm_unlock(mm);
	/* As Linux's exit_mm(): a zombie holds no program's writers off. */
	exe_deny_write(mm, false);
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
	mm_unlock(mm);
	return err;
}

/* v maps a disk file, whose pages are in the page cache (mm/filemap.c). */
static bool page_cached(const struct vma *v)
{
	const struct inode *ino = v->file;

	return IS_ENABLED(CONFIG_FILEMAP) && ino && ino->i_aops;
}

struct reprotect {
	struct pt_walk walk;
	u64 bits;
	bool shared;
	bool cached; /* shared, of a disk file */
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
	/* A disk file's shared page becomes writable by a write fault (file_fault()). */
	if (r->cached && !(*pte & PTE_W))
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
		/* Linux: writing a file through a mapping needs it open for writing. */
		if (IS_ENABLED(CONFIG_FILE_MMAP) && (prot & PROT_WRITE) &&
		    (v->flags & VM_SHARED) && (v->flags & VM_FILE) &&
		    !(v->flags & VM_MAYWRITE)) {
			err = -EACCES;
			goto out;
		}
	}
	if ((err = split_at(mm, addr)) || (err = split_at(mm, end)))
		goto out;
	for (v = vma_find(&mm->vmas, addr); v && v->start < end; v = vma_next(v)) {
		v->prot = prot;
		r.shared = v->flags & VM_SHARED;
		r.cached = r.shared && page_cached(v);
		pt_walk(mm->pgd, v->start, v->end, &r.walk);
	}
	flush_user_range(mm, addr, end);
out:
	spin_unlock(&mm->lock);
	return err;
}

#ifdef CONFIG_MMAP_EXTRAS
/* Caller holds mm->lock. 0 if every page of [start, end) is in a region, else -ENOMEM. */
static int all_mapped_locked(struct mm *mm, unsigned long start,
			     unsigned long end)
{
	struct vma *v;
	unsigned long va;

	for (va = start; va < end; va = v->end) {
		v = vma_find(&mm->vmas, va);
		if (!v)
			return -ENOMEM;
	}
	return 0;
}

int mm_msync(struct mm *mm, unsigned long start, unsigned long end)
{
	struct inode *files[8];
	unsigned int n = 0, i;
	unsigned long va;
	struct vma *v;
	int err;

	spin_lock(&mm->lock);
	err = all_mapped_locked(mm, start, end);
	for (va = start; !err && va < end && n < ARRAY_SIZE(files); va = v->end) {
		v = vma_find(&mm->vmas, va);
		if (!(v->flags & VM_SHARED) || !page_cached(v))
			continue;
		for (i = 0; i < n && files[i] != v->file; i++)
			;
		if (i == n) {
			fs_hold_inode(v->file);
			files[n++] = v->file;
		}
	}
	spin_unlock(&mm->lock);
	for (i = 0; i < n; i++) {
		int e = filemap_sync(files[i]);

		if (e && !err)
			err = e == -ENOMEM ? -ENOMEM : -EIO;
		fs_put_inode(files[i]);
	}
	return err;
}

int mm_check_mapped(struct mm *mm, unsigned long start, unsigned long end)
{
	int err;

	spin_lock(&mm->lock);
	err = all_mapped_locked(mm, start, end);
	spin_unlock(&mm->lock);
	return err;
}

/*
 * MADV_DONTNEED: the pages go; a touch brings zeroes (anonymous) or the
 * file's data again (file). Shared anonymous memory keeps its pages: they
 * are its only copy (Linux's shmem keeps them in the file behind it).
 * Regions are applied as found; a hole gives -ENOMEM at the end, as Linux.
 */
int mm_dontneed(struct mm *mm, unsigned long start, unsigned long end,
		bool anon_private_only)
{
	struct vma *v;
	struct zap z;
	int err = 0;

	spin_lock(&mm->lock);
	if (anon_private_only) {
		for (v = vma_find_from(&mm->vmas, start); v && v->start < end;
		     v = vma_next(v))
			if (!(v->flags & VM_ANON) || (v->flags & VM_SHARED))
				err = -EINVAL;
		if (err)
			goto out;
	}
	err = all_mapped_locked(mm, start, end);
	zap_init(&z, mm, ZAP_ALL, false);
	for (v = vma_find_from(&mm->vmas, start); v && v->start < end;
	     v = vma_next(v))
		if (!((v->flags & VM_ANON) && (v->flags & VM_SHARED)))
			pt_walk(mm->pgd, max(start, v->start), min(end, v->end),
				&z.walk);
	zap_flush(&z);
out:
	spin_unlock(&mm->lock);
	return err;
}

/*
 * mincore() for n pages from start into vec: 1 if the page is in memory
 * (mapped here, or a page the file has), else 0. -ENOMEM if a page is in
 * no region.
 */
int mm_mincore(struct mm *mm, unsigned long start, unsigned long n,
	       unsigned char *vec)
{
	unsigned long i;
	int err = 0;

	spin_lock(&mm->lock);
	for (i = 0; i < n && !err; i++) {
		unsigned long va = start + i * PAGE_SIZE;
		struct vma *v = vma_find(&mm->vmas, va);
		pte_t *pte;

		if (!v) {
			err = -ENOMEM;
			break;
		}
		pte = user_pte(mm, va, false);
		vec[i] = pte && (*pte & PTE_V);
		if (!vec[i] && v->file && IS_ENABLED(CONFIG_FILE_MMAP)) {
			/* The file's page tree has locks of its own: asked without mm->lock. */
			struct inode *ino = v->file;
			unsigned long index = (v->file_offset + (va - v->start)) >> PAGE_SHIFT;

			fs_hold_inode(ino);
			spin_unlock(&mm->lock);
			vec[i] = fs_has_page(ino, index);
			fs_put_inode(ino);
			spin_lock(&mm->lock);
		}
	}
	spin_unlock(&mm->lock);
	return err;
}

struct move_ctx {
	struct pt_walk walk;
	struct mm *mm;
	unsigned long delta; /* added (mod 2^64) to an address to move it */
	bool commit; /* false: only make the destination's tables */
	bool keep; /* shared with DONTUNMAP: both ranges map the pages */
};

static int move_one(struct pt_walk *w, pte_t *pte, unsigned long va)
{
	struct move_ctx *m = container_of(w, struct move_ctx, walk);
	pte_t *dst = user_pte(m->mm, va + m->delta, true);

	if (!dst)
		return -ENOMEM;
	if (m->commit) {
		*dst = *pte;
		if (m->keep) {
			get_page(phys_to_virt(pte_pa(*pte)));
			m->mm->rss++;
		} else {
			*pte = 0;
		}
	}
	return 0;
}

/*
 * mremap()'s growing and moving part, after the system call has checked
 * its arguments and shrunk what it shrinks: [addr, addr + old_len) lies
 * in one region (else -EFAULT). Grows in place when the region ends there
 * and the room above is free; else, with may_move, moves the pages (their
 * entries, not their contents) to a free range, or to new_addr with fixed
 * (what is there goes first), keeping the old range with dontunmap
 * (empty for private memory; shared memory stays mapped at both places,
 * as Linux's shared object would be). Shared anonymous memory grows as on
 * Linux, where the object behind it keeps its size: the grown part has
 * no pages, and a touch there gets SIGBUS (handle_mm_fault()).
 * old_len 0 duplicates a shared region from addr (Linux's "duplicate shm
 * area"): a new one of new_len maps the same pages, or file, and the old
 * one stays; -EINVAL for a private one, whose copy would share nothing.
 * Returns the new address or -errno; on an error nothing moved.
 */
long mm_remap(struct mm *mm, unsigned long addr, unsigned long old_len,
	      unsigned long new_len, bool may_move, bool fixed,
	      unsigned long new_addr, bool dontunmap)
{
	struct move_ctx m = { .walk.leaf = move_one, .mm = mm };
	struct vma *v, *n = NULL, *next;
	bool dup = !old_len;
	unsigned long span; /* what of the old region the new one maps */
	long ret;

	spin_lock(&mm->lock);
	v = vma_find(&mm->vmas, addr);
	if (!v || old_len > v->end - addr) {
		ret = -EFAULT;
		goto out;
	}
	if (dup && !(v->flags & VM_SHARED)) {
		ret = -EINVAL;
		goto out;
	}
	span = dup ? min(new_len, v->end - addr) : old_len;
	/*
	 * A copy laid over what it copies would map pages onto themselves
	 * (Linux unmaps them first, then finds nothing: EFAULT).
	 */
	if (dup && fixed && new_addr < addr + span && addr < new_addr + new_len) {
		ret = -EINVAL;
		goto out;
	}
	/* new_len >= old_len here; DONTUNMAP keeps the old range mapped. */
	ret = may_expand_locked(mm, new_len - old_len + (dontunmap ? old_len : 0),
				is_data(v->flags, v->prot),
				fixed ? new_addr : 0, fixed ? new_addr + new_len : 0);
	if (ret)
		goto out;
	next = vma_next(v);
	if (!fixed && !dontunmap && v->end == addr + old_len &&
	    new_len <= TASK_SIZE - addr &&
	    (!next || next->start >= addr + new_len) &&
	    !(v->flags & (VM_GROWSDOWN | VM_HEAP))) {
		ret = vma_adjust(&mm->vmas, v, v->start, addr + new_len);
		ret = ret ? ret : (long)addr;
		goto out;
	}
	if (!may_move) {
		ret = -ENOMEM;
		goto out;
	}
	n = vma_clone(mm, v, addr, addr + span);
	if (!n || (!dup && (split_at(mm, addr) || split_at(mm, addr + old_len)))) {
		ret = -ENOMEM;
		goto out;
	}
	v = vma_find(&mm->vmas, addr); /* now exactly [addr, addr + old_len) */
	/* Before a fixed target's unmap, which may trim a duplicated region. */
	m.keep = dup || (dontunmap && (v->flags & VM_SHARED));
	if (fixed) {
		ret = unmap_locked(mm, new_addr, new_addr + new_len, ZAP_ALL);
		if (ret)
			goto out;
	} else {
		new_addr = vma_find_gap(&mm->vmas, new_len, USER_MIN_ADDR,
					mm->mmap_base);
		if (!new_addr) {
			ret = -ENOMEM;
			goto out;
		}
	}
	m.delta = new_addr - addr;
	ret = pt_walk(mm->pgd, addr, addr + span, &m.walk);
	if (ret)
		goto out;
	m.commit = true;
	pt_walk(mm->pgd, addr, addr + span, &m.walk);
	flush_user_range(mm, addr, addr + old_len);
	if (!dontunmap && !dup) {
		vma_remove(&mm->vmas, v);
		vma_bury(mm, v);
	}
	n->start = new_addr;
	n->end = new_addr + new_len;
	vma_insert(&mm->vmas, n);
	ret = (long)new_addr;
	n = NULL;
out:
	mm_unlock(mm);
	if (n)
		vma_free(n);
	return ret;
}
#endif

/* Grows a stack region down to cover addr, within the stack limit. */
static struct vma *grow_stack(struct mm *mm, unsigned long addr)
{
	struct vma *v = vma_find_from(&mm->vmas, addr), *below;
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE);

	if (!v || !(v->flags & VM_GROWSDOWN) ||
	    v->end - start > min(mm->stack_limit, rlimit(RLIMIT_STACK)) ||
	    may_expand_locked(mm, v->start - start, false, 0, 0))
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
		put_page(old);
	} else {
		*pte = pfn_pte(pte_pa(*pte), prot_pte(v->prot));
	}
	return 0;
}

/* The page index of the file v maps at addr. */
static unsigned long file_index(const struct vma *v, unsigned long addr)
{
	return (v->file_offset + (ALIGN_DOWN(addr, PAGE_SIZE) - v->start)) >> PAGE_SHIFT;
}

/*
 * A file's page is got with mm->lock dropped (held again on return): a
 * disk file's (it has i_aops: the page cache) may have to be read from
 * the disk, and a RAM file's page tree has locks mm->lock must not nest
 * (fs_lock). It is mapped only if the region and the entry are as they
 * were and no truncate began meanwhile (inode->trunc_seq; for a disk file
 * the page must also still be the cache's): otherwise the access is
 * simply retried.
 *
 * A RAM file's page is mapped writable at the first touch of a shared
 * writable region. A disk file's shared page is mapped writable only by a
 * write fault, which tells the page cache it is written through a mapping
 * (blocks allocated, written back while mapped); a read maps it
 * read-only, so the first store faults again. A private region maps the
 * file's page read-only, so a write copies it (break_cow(): the file
 * holds a reference); a private region's first touch by a write copies
 * at once.
 */
static int file_fault(struct mm *mm, unsigned long addr, enum fault_access acc)
{
	struct vma *v = vma_find(&mm->vmas, addr);
	struct inode *ino = v->file;
	unsigned long index = file_index(v, addr);
	unsigned long seq = READ_ONCE(ino->trunc_seq);
	bool shared = v->flags & VM_SHARED, write = acc == FAULT_WRITE;
	bool cached = page_cached(v);
	void *page, *copy = NULL;
	pte_t *pte;
	int err;

	fs_hold_inode(ino);
	spin_unlock(&mm->lock);
	err = fs_get_page(ino, index, cached && shared && write, &page);
	if (!err && !shared && write) {
		copy = alloc_page(0);
		if (copy) {
			memcpy(copy, page, PAGE_SIZE);
			virt_to_page(copy)->refcount = 1;
		} else {
			put_page(page);
			err = -ENOMEM;
		}
	}
	spin_lock(&mm->lock);
	if (err) {
		err = err == -ENOMEM ? -ENOMEM : -EIO; /* SIGBUS, as Linux */
		goto out;
	}
	v = vma_find(&mm->vmas, addr);
	pte = v && v->file == ino && file_index(v, addr) == index &&
	      access_allowed(v, acc) ? user_pte(mm, addr, true) : NULL;
	/* Past the end: a truncate ran meanwhile (its zap of this page may come later). */
	if (pte && ((u64)index << PAGE_SHIFT) >= READ_ONCE(ino->i_size)) {
		err = -EIO;
	} else if (pte && READ_ONCE(ino->trunc_seq) == seq &&
		   (!cached || filemap_page_current(ino, index, page))) {
		u64 bits = prot_pte(v->prot);

		if (!(*pte & PTE_V) && copy) {
			*pte = pfn_pte(virt_to_phys(copy), bits);
			copy = NULL;
			mm->rss++;
		} else if (!(*pte & PTE_V)) {
			if (!shared || (cached && !write))
				bits &= ~PTE_W;
			*pte = pfn_pte(virt_to_phys(page), bits);
			page = NULL; /* the entry's reference now */
			mm->rss++;
		} else if (cached && shared && write && pte_pa(*pte) == virt_to_phys(page)) {
			*pte = pfn_pte(pte_pa(*pte), bits);
		}
	}
	if (page)
		put_page(page);
	if (copy)
		put_page(copy);
out:
	/* Maybe the last reference (the region went meanwhile): it may sleep. */
	spin_unlock(&mm->lock);
	fs_put_inode(ino);
	spin_lock(&mm->lock);
	return err;
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
	} else if (IS_ENABLED(CONFIG_FILE_MMAP) && v->file &&
		   (!(*pte & PTE_V) || (page_cached(v) && acc == FAULT_WRITE &&
					!(*pte & PTE_W) && (v->flags & VM_SHARED)))) {
		err = file_fault(mm, addr, acc);
	} else if (!(*pte & PTE_V) && (v->flags & VM_SHARED)) {
		/*
		 * Shared anonymous memory has all its pages from mmap(): an
		 * empty entry lies past the object, grown by mremap() (Linux's
		 * shmem gives SIGBUS there too), or in a task being reaped.
		 */
		err = -EIO;
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
	get_page(phys_to_virt(pte_pa(*pte)));
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
	mm->exe = exe_path_get(old->exe);
	exe_deny_write(mm, true);
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	spin_lock(&old->lock);
	mm->brk_start = old->brk_start;
	mm->brk = old->brk;
	for (v = vma_first(&old->vmas); v && !err; v = vma_next(v)) {
		copy = vma_clone(mm, v, v->start, v->end);
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
