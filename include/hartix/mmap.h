/* SPDX-License-Identifier: BSD-2-Clause */
/* User address spaces: regions, their page table, faults, copy-on-write duplication. */
#ifndef HARTIX_MMAP_H
#define HARTIX_MMAP_H

#include <hartix/cpumask.h>
#include <hartix/spinlock.h>
#include <hartix/types.h>
#include <hartix/vma.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <abi/mman.h>

/* Sv39's lower half; page 0 stays unmapped so NULL faults. */
#define TASK_SIZE (1UL << 38)
#define USER_MIN_ADDR 0x1000UL /* Linux's default vm.mmap_min_addr */
#define STACK_TOP (TASK_SIZE - PAGE_SIZE)
#define STACK_LIMIT_DEFAULT (8UL << 20)
#define STACK_ROOM_MAX (1UL << 30)

struct exe_path;

/* How a fault accessed the page. */
enum fault_access { FAULT_READ, FAULT_WRITE, FAULT_EXEC };

/*
 * lock protects the region tree, the user half of the page table and the
 * counters; it is never held while copying to or from user memory, which
 * may fault and take it.
 */
struct mm {
	spinlock_t lock;
	pte_t *pgd; /* upper half: the kernel's entries, shared */
	struct vma_tree vmas;
	unsigned long stack_limit; /* how far the stack may grow down */
	unsigned long rss; /* pages mapped */
	unsigned long brk_start, brk; /* the heap: [brk_start, brk) */
	/* Set at exec (ASLR may move them), copied by fork. */
	unsigned long stack_top; /* the initial stack's end */
	unsigned long mmap_base; /* mmap() places regions below this */
	cpumask_t cpus_ran; /* harts to shoot down: those that have it loaded */
	u64 asid_gen; /* generation asid belongs to; 0 = none yet */
	unsigned long asid;
	unsigned long refcount;
	/*
	 * exec (kernel/exec.c) sets these for /proc/<pid>/exe, cmdline and
	 * environ; fork copies them (exe takes a reference).
	 */
	struct exe_path *exe;
	/* ETXTBSY: exe's file is denied writes while tasks run on the mm (exe_deny_write()). */
	bool exe_denied;
	unsigned long arg_start, arg_end, env_start, env_end;
	int users; /* tasks running on it (threads, vfork): atomic (kernel/fork.c) */
	/* membarrier() registrations (MEMBARRIER_CMD_REGISTER_*), atomic. */
	unsigned int membarrier_state;
	/* Regions unmapped under lock, whose file references go after it (mm/mmap.c). */
	struct vma *buried;
};

/* Boot: the caches regions and address spaces come from. */
void mmap_init(void);
/* Boot: probe the ASID bits (arch). */
void asid_init(void);

struct mm *mm_create(void);
/* Takes a reference (the caller already holds one, or a lock keeping it). */
static inline void mm_get(struct mm *mm)
{
	__atomic_add_fetch(&mm->refcount, 1, __ATOMIC_RELAXED);
}
/* Drops a reference; the last one returns every page and table. */
void mm_put(struct mm *mm);
/*
 * Process exit: every region, page and table below the root goes now, not
 * when the parent reaps it (the OOM killer counts on that). The caller
 * may still run on mm: this shoots its TLB entries down.
 */
void mm_exit(struct mm *mm);
/*
 * The OOM killer's reaper: every page and table of mm goes, the regions
 * stay (a touch faults in zero pages). Only for a task that has SIGKILL
 * pending: it never returns to user mode to see the difference.
 */
void mm_reap(struct mm *mm);
/* fork: private writable pages become copy-on-write in both. */
struct mm *mm_dup(struct mm *old);

/*
 * Anonymous mapping of len bytes with prot. With fixed, exactly at addr
 * (replacing what was there); else at the highest free place below the
 * stack's room (addr is ignored). vm_flags: VM_GROWSDOWN for a stack,
 * VM_SHARED to stay shared (not copy-on-write) across fork, VM_HEAP for
 * the brk area; MM_MAP_NOREPLACE with fixed: -EEXIST rather than replace
 * what is there (MAP_FIXED_NOREPLACE, brk). Returns the address or a
 * negative errno.
 */
#define MM_MAP_NOREPLACE 0x100u /* not kept in the region's flags */
long mm_map(struct mm *mm, unsigned long addr, unsigned long len,
	    unsigned int prot, bool fixed, unsigned int vm_flags);

struct inode;
/*
 * A mapping of file ino from byte off (page aligned, else -EINVAL), as
 * mm_map() otherwise; vm_flags: VM_SHARED, VM_MAYWRITE (open for
 * writing), MM_MAP_NOREPLACE. The region takes its own reference to ino.
 * CONFIG_FILE_MMAP only (callers test IS_ENABLED()).
 */
long mm_map_file(struct mm *mm, unsigned long addr, unsigned long len,
		 unsigned int prot, bool fixed, unsigned int vm_flags,
		 struct inode *ino, unsigned long off);
#ifdef CONFIG_FILE_MMAP
/*
 * For truncate, after the file was cut to size: every mapped page at or
 * past size (rounded up to a page) is dropped from every mapping.
 */
void mm_truncate_file(struct inode *ino, u64 size);
#else
static inline void mm_truncate_file(struct inode *ino, u64 size)
{
}
#endif
int mm_unmap(struct mm *mm, unsigned long addr, unsigned long len);

/*
 * For mremap(), madvise(), mincore() and msync() (CONFIG_MMAP_EXTRAS,
 * mm/syscalls.c checks their arguments; see mm/mmap.c). Ranges are page
 * aligned and inside the user half.
 */
/*
 * msync(MS_SYNC): -ENOMEM unless every page of [start, end) is mapped;
 * the disk files shared mappings there map are written back, -EIO.
 */
int mm_msync(struct mm *mm, unsigned long start, unsigned long end);
int mm_check_mapped(struct mm *mm, unsigned long start, unsigned long end);
int mm_dontneed(struct mm *mm, unsigned long start, unsigned long end,
		bool anon_private_only);
int mm_mincore(struct mm *mm, unsigned long start, unsigned long n,
	       unsigned char *vec);
long mm_remap(struct mm *mm, unsigned long addr, unsigned long old_len,
	      unsigned long new_len, bool may_move, bool fixed,
	      unsigned long new_addr, bool dontunmap);
int mm_protect(struct mm *mm, unsigned long addr, unsigned long len,
	       unsigned int prot);

/*
 * Resolves a fault at addr: demand-zero, file pages, copy-on-write, stack
 * growth. 0 when the access can be retried; -EFAULT (no region, or it
 * forbids the access), -EIO (a file page past the end of the file:
 * SIGBUS) or -ENOMEM.
 */
int handle_mm_fault(struct mm *mm, unsigned long addr, enum fault_access acc);

/*
 * Futex keys (kernel/futex.c): for a MAP_SHARED region, the physical
 * address behind addr (the page faulted in first) and 0; 1 if addr is in
 * a private region; -EFAULT if in none (or one that cannot be read), or
 * -ENOMEM.
 */
int mm_shared_page(struct mm *mm, unsigned long addr, phys_addr_t *pa);

/* Switch this hart to mm (NULL: kernel only); sets the ASID. */
void mm_activate(struct mm *mm);
/*
 * The address space the running task has loaded itself, to give back to
 * mm_activate() after a temporary switch: NULL if it has none, or only
 * borrows the hart's (lazy TLB: the borrowed one may go at any time).
 */
struct mm *mm_active(void);
#ifdef CONFIG_LAZY_TLB
/* mm's last reference is going: no hart may keep it loaded lazily. */
void mm_unlazy(struct mm *mm);
#else
static inline void mm_unlazy(struct mm *mm) {}
#endif

#endif
