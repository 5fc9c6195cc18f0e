/* SPDX-License-Identifier: BSD-2-Clause */
/* The system calls on the address space: brk, mmap, munmap, mprotect, mremap, madvise, mincore, msync (mm/mmap.c does the work). */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/preempt.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <asm/page.h>

/* Linux's flags that need no handling here (include/linux/mman.h). */
#define MAP_TYPE 0x0f
#define MAP_SHARED_VALIDATE 0x03
#define MAP_GROWSDOWN 0x0100
#define MAP_DENYWRITE 0x0800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NONBLOCK 0x10000
#define MAP_HUGETLB 0x40000
#define MAP_UNINITIALIZED 0x4000000
#define LEGACY_MAP_MASK                                                      \
	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS |             \
	 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | \
	 MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK |          \
	 MAP_STACK | MAP_HUGETLB)

/*
 * Linux semantics: returns the new break, or the old one when it cannot
 * move; it never grows over another mapping.
 */
SYSCALL_DEFINE1(brk, unsigned long, addr)
{
	struct mm *mm = current_task()->mm;
	unsigned long old = ALIGN_UP(mm->brk, PAGE_SIZE), new;

	if (addr < mm->brk_start || addr > STACK_TOP - mm->stack_limit)
		return (long)mm->brk;
	new = ALIGN_UP(addr, PAGE_SIZE);
	if (new > old && mm_map(mm, old, new - old, PROT_READ | PROT_WRITE,
				 true, VM_HEAP | MM_MAP_NOREPLACE) < 0)
		return (long)mm->brk;
	if (new < old && mm_unmap(mm, new, old - new))
		return (long)mm->brk;
	mm->brk = addr;
	return (long)addr;
}

/* File mappings: fs_mmap_file() checks the descriptor (as do_mmap()). */
#ifdef CONFIG_FILE_MMAP
static long mmap_file(unsigned long addr, unsigned long len,
		      unsigned int prot, unsigned long flags, int fd,
		      unsigned long off, unsigned int vm_flags)
{
	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE, writable;
	struct inode *ino;
	long ret;

	ret = fs_mmap_file(fd, shared, prot, off, ALIGN_UP(len, PAGE_SIZE),
			   &ino, &writable);
	if (ret < 0)
		return ret;
	if (ret == 1) /* /dev/zero: anonymous memory, as Linux */
		return mm_map(current_task()->mm, addr, len, prot,
			      flags & (MAP_FIXED | MAP_FIXED_NOREPLACE),
			      (shared ? VM_SHARED : 0) | vm_flags);
	if (shared)
		vm_flags |= VM_SHARED | (writable ? VM_MAYWRITE : 0);
	ret = mm_map_file(current_task()->mm, addr, len, prot,
			  flags & (MAP_FIXED | MAP_FIXED_NOREPLACE), vm_flags,
			  ino, off);
	fs_put_inode(ino);
	return ret;
}
#else
static long mmap_file(unsigned long addr, unsigned long len,
		      unsigned int prot, unsigned long flags, int fd,
		      unsigned long off, unsigned int vm_flags)
{
	return fd < 0 || fd >= NR_OPEN ? -EBADF : -ENODEV;
}
#endif

/*
 * As Linux: riscv's sys_mmap checks the offset first, then the
 * descriptor; bits Linux does not know are ignored unless
 * MAP_SHARED_VALIDATE asks for them to be checked (files only).
 */
SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len,
		unsigned long, prot, unsigned long, flags, unsigned long, fd,
		unsigned long, off)
{
	unsigned int type = flags & MAP_TYPE;
	unsigned int vm_flags = flags & MAP_FIXED_NOREPLACE ? MM_MAP_NOREPLACE : 0;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		if (type != MAP_SHARED && type != MAP_PRIVATE &&
		    type != MAP_SHARED_VALIDATE)
			return -EINVAL;
		if (type == MAP_SHARED_VALIDATE &&
		    (flags & ~(unsigned long)LEGACY_MAP_MASK))
			return -EOPNOTSUPP;
		return mmap_file(addr, len, (unsigned int)prot, flags, (int)fd,
				 off, vm_flags);
	}
	if (type != MAP_SHARED && type != MAP_PRIVATE)
		return -EINVAL;
	/* No huge page pool: as Linux with none reserved. */
	if (flags & MAP_HUGETLB)
		return -ENOMEM;
	return mm_map(current_task()->mm, addr, len, (unsigned int)prot,
		      flags & (MAP_FIXED | MAP_FIXED_NOREPLACE),
		      (type == MAP_SHARED ? VM_SHARED : 0) | vm_flags);
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, unsigned long, len)
{
	return mm_unmap(current_task()->mm, addr, len);
}

SYSCALL_DEFINE3(mprotect, unsigned long, addr, unsigned long, len,
		unsigned long, prot)
{
	return mm_protect(current_task()->mm, addr, len, (unsigned int)prot);
}

#ifdef CONFIG_MMAP_EXTRAS
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

/*
 * MAP_SHARED pages are the file's own (the RAM file system's, or a disk
 * file's page cache): nothing to invalidate. MS_SYNC writes the disk
 * files' pages back and waits; MS_ASYNC, as on Linux, leaves them to
 * the periodic writeback.
 */
SYSCALL_DEFINE3(msync, unsigned long, start, unsigned long, len, int, flags)
{
	unsigned long end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((start & (PAGE_SIZE - 1)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	end = start + ALIGN_UP(len, PAGE_SIZE);
	if (end < start || ALIGN_UP(len, PAGE_SIZE) < len)
		return -ENOMEM;
	if (end == start)
		return 0;
	if (end > TASK_SIZE)
		return -ENOMEM;
	if (IS_ENABLED(CONFIG_FILEMAP) && (flags & MS_SYNC))
		return mm_msync(current_task()->mm, start, end);
	return mm_check_mapped(current_task()->mm, start, end);
}

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_DONTDUMP 16
#define MADV_DODUMP 17
#define MADV_COLD 20
#define MADV_PAGEOUT 21

/*
 * The hints (NORMAL, RANDOM, SEQUENTIAL, WILLNEED, COLD, PAGEOUT) change
 * nothing here: memory is never paged out or read ahead. DONTDUMP and
 * DODUMP neither: there are no core dumps. DONTNEED drops pages; FREE,
 * allowed only on private anonymous memory, does the same (Linux may
 * keep them until memory is short). Other advice: EINVAL, as Linux
 * built without what it needs (KSM, transparent huge pages, ...).
 */
SYSCALL_DEFINE3(madvise, unsigned long, start, unsigned long, len_in,
		int, advice)
{
	unsigned long len = ALIGN_UP(len_in, PAGE_SIZE), end = start + len;
	struct mm *mm = current_task()->mm;

	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
	case MADV_DONTDUMP: case MADV_DODUMP: case MADV_COLD:
	case MADV_PAGEOUT:
		break;
	default:
		return -EINVAL;
	}
	if ((start & (PAGE_SIZE - 1)) || (len_in && !len) || end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (end > TASK_SIZE)
		return -ENOMEM;
	if (advice == MADV_DONTNEED || advice == MADV_FREE)
		return mm_dontneed(mm, start, end, advice == MADV_FREE);
	return mm_check_mapped(mm, start, end);
}

/*
 * Linux's order: the start's alignment (EINVAL), the range (ENOMEM), the
 * vector (EFAULT), then page by page, a batch at a time so the lock is
 * never held over a copy to user memory.
 */
SYSCALL_DEFINE3(mincore, unsigned long, start, unsigned long, len,
		unsigned long, uvec)
{
	unsigned long pages = len / PAGE_SIZE + !!(len % PAGE_SIZE), done = 0;
	unsigned char batch[256];

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > TASK_SIZE || start > TASK_SIZE - len)
		return -ENOMEM;
	if (!access_ok((void *)uvec, pages))
		return -EFAULT;
	while (done < pages) {
		unsigned long n = min(pages - done, sizeof(batch));
		int err = mm_mincore(current_task()->mm,
				     start + done * PAGE_SIZE, n, batch);

		if (err)
			return err;
		if (copy_to_user((unsigned char *)uvec + done, batch, n))
			return -EFAULT;
		done += n;
		if (fatal_signal_pending(current_task()))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

/*
 * As Linux's mremap(): the checks in its order; a shrink (not moving)
 * unmaps the tail. Sizes are only compared, never walked: a huge one
 * fails at once.
 */
SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len,
		unsigned long, new_len, unsigned long, flags,
		unsigned long, new_addr)
{
	struct mm *mm = current_task()->mm;
	bool fixed = flags & MREMAP_FIXED, dontunmap = flags & MREMAP_DONTUNMAP;
	long err;

	if (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED |
				     MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((fixed || dontunmap) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (dontunmap && old_len != new_len)
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!new_len)
		return -EINVAL;
	if (addr >= TASK_SIZE || mm_check_mapped(mm, addr, addr + 1))
		return -EFAULT;
	if (fixed || dontunmap) {
		if (fixed && ((new_addr & (PAGE_SIZE - 1)) ||
			      new_len > TASK_SIZE ||
			      new_addr > TASK_SIZE - new_len ||
			      new_addr < USER_MIN_ADDR))
			return -EINVAL;
		if (fixed && new_addr < addr + old_len &&
		    addr < new_addr + new_len)
			return -EINVAL;
		if (old_len > new_len) {
			err = mm_unmap(mm, addr + new_len, old_len - new_len);
			if (err)
				return err;
			old_len = new_len;
		}
		return mm_remap(mm, addr, old_len, new_len, true, fixed,
				new_addr, dontunmap);
	}
	if (old_len >= new_len) {
		err = old_len > new_len ?
		      mm_unmap(mm, addr + new_len, old_len - new_len) : 0;
		return err ? err : (long)addr;
	}
	if (new_len > TASK_SIZE)
		return -ENOMEM;
	return mm_remap(mm, addr, old_len, new_len, flags & MREMAP_MAYMOVE,
			false, 0, false);
}
#endif
