/* SPDX-License-Identifier: BSD-2-Clause */
/* The system calls on the address space: brk, mmap, munmap, mprotect (mm/mmap.c does the work). */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/syscalls.h>
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
static long mmap_file(unsigned long addr, unsigned long len,
		      unsigned int prot, unsigned long flags, int fd,
		      unsigned long off, unsigned int vm_flags)
{
	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE, writable;
	struct inode *ino;
	long ret;

	if (!IS_ENABLED(CONFIG_FILE_MMAP))
		return fd < 0 || fd >= NR_OPEN ? -EBADF : -ENODEV;
	ret = fs_mmap_file(fd, shared, prot, off, ALIGN_UP(len, PAGE_SIZE),
			   &ino, &writable);
	if (ret)
		return ret;
	if (shared)
		vm_flags |= VM_SHARED | (writable ? VM_MAYWRITE : 0);
	ret = mm_map_file(current_task()->mm, addr, len, prot,
			  flags & (MAP_FIXED | MAP_FIXED_NOREPLACE), vm_flags,
			  ino, off);
	fs_put_inode(ino);
	return ret;
}

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
