/* SPDX-License-Identifier: BSD-2-Clause */
/* User address space tests: demand-zero, uaccess errors, mprotect, munmap, COW, stack growth, leaks. */
#include <hartix/errno.h>
#include <hartix/ktest.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/uaccess.h>

static u64 free_pages_now(void)
{
	struct page_alloc_stats st;

	/* Empty slabs cached by the vma and mm caches are not a leak. */
	kmem_cache_shrink_all();
	page_alloc_get_stats(&st);
	return st.free_pages + st.cached_pages;
}

/* Runs with mm in satp on this hart; the kernel half is the same. */
static struct mm *enter_new_mm(struct ktest *t)
{
	struct mm *mm = mm_create();

	if (mm)
		mm_activate(mm);
	return mm;
}

static void leave_mm(struct mm *mm)
{
	mm_activate(NULL);
	mm_put(mm);
}

static void demand_zero_and_copy(struct ktest *t)
{
	struct mm *mm = enter_new_mm(t);
	char buf[64], back[64];
	long addr;
	int i;

	KT_ASSERT(t, mm != NULL);
	addr = mm_map(mm, 0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE, false, 0);
	KT_ASSERT(t, addr > 0);
	KT_EXPECT_EQ(t, mm->rss, 0);
	/* Untouched memory reads as zeroes. */
	KT_EXPECT_EQ(t, copy_from_user(back, (void *)(addr + 5 * PAGE_SIZE), 64), 0);
	for (i = 0; i < 64; i++)
		KT_EXPECT_EQ(t, back[i], 0);
	for (i = 0; i < 64; i++)
		buf[i] = (char)i;
	/* Across a page boundary: two demand-zero faults. */
	KT_EXPECT_EQ(t, copy_to_user((void *)(addr + PAGE_SIZE - 32), buf, 64), 0);
	KT_EXPECT_EQ(t, copy_from_user(back, (void *)(addr + PAGE_SIZE - 32), 64), 0);
	KT_EXPECT(t, !memcmp(buf, back, 64));
	KT_EXPECT_EQ(t, mm->rss, 3);
	leave_mm(mm);
}

static void bad_pointers_efault(struct ktest *t)
{
	struct mm *mm = enter_new_mm(t);
	char buf[16] = "hello";
	long addr;

	KT_ASSERT(t, mm != NULL);
	addr = mm_map(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, false, 0);
	KT_ASSERT(t, addr > 0);
	KT_EXPECT_EQ(t, copy_to_user(NULL, buf, 8), 8);
	KT_EXPECT_EQ(t, copy_to_user((void *)(addr + PAGE_SIZE), buf, 8), 8);
	/* A kernel address is refused before any access. */
	KT_EXPECT_EQ(t, copy_to_user(buf + 8, buf, 4), 4);
	KT_EXPECT_EQ(t, copy_from_user(buf, (void *)~0UL, 1), 1);
	/* Straddling the end of the region: the part inside is copied. */
	KT_EXPECT(t, copy_to_user((void *)(addr + PAGE_SIZE - 4), buf, 8) > 0);
	KT_EXPECT_EQ(t, clear_user((void *)(addr + 100), 50), 0);
	KT_EXPECT_EQ(t, copy_to_user((void *)addr, "string", 7), 0);
	KT_EXPECT_EQ(t, strncpy_from_user(buf, (void *)addr, sizeof(buf)), 6);
	KT_EXPECT_STREQ(t, buf, "string");
	KT_EXPECT_EQ(t, strncpy_from_user(buf, (void *)(addr + PAGE_SIZE), 4),
		     -EFAULT);
	leave_mm(mm);
}

/*
 * The unrolled copies (arch/riscv/lib/uaccess.S) count what they did not
 * copy to the byte when a fault stops them inside a block of words.
 */
static void user_copies_count_exactly(struct ktest *t)
{
	struct mm *mm = enter_new_mm(t);
	u64 words[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, back[8] = { 0 };
	char buf[8];
	long addr;
	unsigned long end;
	int i;

	KT_ASSERT(t, mm != NULL);
	addr = mm_map(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, false, 0);
	KT_ASSERT(t, addr > 0);
	end = (unsigned long)addr + PAGE_SIZE;
	/* 8, 16 and 24 bytes fit before the end: each store of a block may fault. */
	for (i = 1; i <= 3; i++) {
		KT_EXPECT_EQ(t, copy_to_user((void *)(end - 8 * i), words, 64),
			     64 - 8 * (size_t)i);
		KT_EXPECT_EQ(t, copy_from_user(back, (void *)(end - 8 * i), 8 * (size_t)i), 0);
		KT_EXPECT_EQ(t, back[i - 1], words[i - 1]);
	}
	/* A load that faults in a block: the words before it are still copied, only the rest counts. */
	KT_EXPECT_EQ(t, copy_from_user(back, (void *)(end - 40), 64), 24);
	KT_EXPECT_EQ(t, back[2], words[0]);
	/* No NUL before the end of the region, and exactly n bytes with none. */
	KT_EXPECT_EQ(t, copy_to_user((void *)(end - 3), "abc", 3), 0);
	KT_EXPECT_EQ(t, strncpy_from_user(buf, (void *)(end - 3), sizeof(buf)), -EFAULT);
	KT_EXPECT_EQ(t, strncpy_from_user(buf, (void *)(end - 3), 3), 3);
	KT_EXPECT_EQ(t, buf[2], 'c');
	leave_mm(mm);
}

static void mprotect_and_munmap(struct ktest *t)
{
	struct mm *mm = enter_new_mm(t);
	char c = 'x';
	long addr;

	KT_ASSERT(t, mm != NULL);
	addr = mm_map(mm, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, false, 0);
	KT_ASSERT(t, addr > 0);
	KT_EXPECT_EQ(t, copy_to_user((void *)addr, &c, 1), 0);
	KT_EXPECT_EQ(t, mm_protect(mm, addr, PAGE_SIZE, PROT_READ), 0);
	KT_EXPECT_EQ(t, copy_to_user((void *)addr, &c, 1), 1);
	KT_EXPECT_EQ(t, copy_from_user(&c, (void *)addr, 1), 0);
	KT_EXPECT_EQ(t, vma_count(&mm->vmas), 2);
	/* A hole in the middle splits the rest in two. */
	KT_EXPECT_EQ(t, mm_unmap(mm, addr + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, vma_count(&mm->vmas), 3);
	KT_EXPECT_EQ(t, copy_to_user((void *)(addr + 2 * PAGE_SIZE), &c, 1), 1);
	KT_EXPECT_EQ(t, copy_to_user((void *)(addr + 3 * PAGE_SIZE), &c, 1), 0);
	KT_EXPECT_EQ(t, mm_protect(mm, addr, 4 * PAGE_SIZE, PROT_READ), -ENOMEM);
	KT_EXPECT_EQ(t, mm_map(mm, addr + 1, PAGE_SIZE, PROT_READ, true, 0),
		     -EINVAL);
	leave_mm(mm);
}

static void fork_is_copy_on_write(struct ktest *t)
{
	struct mm *parent = enter_new_mm(t), *child;
	char v = 'p', got = 0;
	long addr;
	u64 free_before;

	KT_ASSERT(t, parent != NULL);
	addr = mm_map(parent, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, false, 0);
	KT_ASSERT(t, addr > 0);
	KT_EXPECT_EQ(t, copy_to_user((void *)addr, &v, 1), 0);
	child = mm_dup(parent);
	KT_ASSERT(t, child != NULL);
	free_before = free_pages_now();

	mm_activate(child);
	KT_EXPECT_EQ(t, copy_from_user(&got, (void *)addr, 1), 0);
	KT_EXPECT_EQ(t, got, 'p');
	/* Reading shared no page; the first write copies exactly one. */
	KT_EXPECT_EQ(t, free_pages_now(), free_before);
	v = 'c';
	KT_EXPECT_EQ(t, copy_to_user((void *)addr, &v, 1), 0);
	KT_EXPECT_EQ(t, free_pages_now(), free_before - 1);

	mm_activate(parent);
	KT_EXPECT_EQ(t, copy_from_user(&got, (void *)addr, 1), 0);
	KT_EXPECT_EQ(t, got, 'p');
	/* The parent is now the page's only user: no copy, just write. */
	v = 'q';
	KT_EXPECT_EQ(t, copy_to_user((void *)addr, &v, 1), 0);
	KT_EXPECT_EQ(t, free_pages_now(), free_before - 1);
	mm_activate(child);
	KT_EXPECT_EQ(t, copy_from_user(&got, (void *)addr, 1), 0);
	KT_EXPECT_EQ(t, got, 'c');
	mm_activate(NULL);
	mm_put(child);
	mm_put(parent);
}

static void stack_grows_down_to_limit(struct ktest *t)
{
	struct mm *mm = enter_new_mm(t);
	unsigned long top = STACK_TOP, base;
	char c = 1;

	KT_ASSERT(t, mm != NULL);
	mm->stack_limit = 16 * PAGE_SIZE;
	base = top - 4 * PAGE_SIZE;
	KT_ASSERT(t, mm_map(mm, base, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, true,
			    VM_GROWSDOWN) == (long)base);
	KT_EXPECT_EQ(t, copy_to_user((void *)(base - 3 * PAGE_SIZE), &c, 1), 0);
	KT_EXPECT_EQ(t, vma_find(&mm->vmas, base - 3 * PAGE_SIZE)->start,
		     base - 3 * PAGE_SIZE);
	/* Beyond the limit: no growth. */
	KT_EXPECT_EQ(t, copy_to_user((void *)(top - 17 * PAGE_SIZE), &c, 1), 1);
	leave_mm(mm);
}

static void many_regions_no_leak(struct ktest *t)
{
	u64 before = free_pages_now();
	struct mm *mm = enter_new_mm(t), *copy;
	unsigned long base = 0x100000000UL;
	int i, n = 2000;
	char c = 7;

	KT_ASSERT(t, mm != NULL);
	for (i = 0; i < n; i++) {
		unsigned long a = base + (unsigned long)i * 2 * PAGE_SIZE;

		KT_ASSERT(t, mm_map(mm, a, PAGE_SIZE, PROT_READ | PROT_WRITE, true,
				    0) == (long)a);
		if (i % 3 == 0)
			KT_ASSERT(t, copy_to_user((void *)a, &c, 1) == 0);
	}
	KT_EXPECT_EQ(t, vma_count(&mm->vmas), n);
	/* Free placement must find a gap quickly with thousands of regions. */
	KT_EXPECT(t, mm_map(mm, 0, PAGE_SIZE, PROT_READ, false, 0) > 0);
	copy = mm_dup(mm);
	KT_ASSERT(t, copy != NULL);
	leave_mm(mm);
	mm_put(copy);
	KT_EXPECT_EQ(t, free_pages_now(), before);
}

/* MAP_SHARED: after fork both sides see each other's writes. */
static void shared_mapping_stays_shared(struct ktest *t)
{
	struct mm *parent = enter_new_mm(t), *child;
	char v = 's', got = 0;
	long addr;

	KT_ASSERT(t, parent != NULL);
	addr = mm_map(parent, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, false,
		      VM_SHARED);
	KT_ASSERT(t, addr > 0);
	KT_EXPECT_EQ(t, copy_to_user((void *)addr, &v, 1), 0);
	child = mm_dup(parent);
	KT_ASSERT(t, child != NULL);
	mm_activate(child);
	v = 'c';
	KT_EXPECT_EQ(t, copy_to_user((void *)addr, &v, 1), 0);
	mm_activate(parent);
	KT_EXPECT_EQ(t, copy_from_user(&got, (void *)addr, 1), 0);
	KT_EXPECT_EQ(t, got, 'c');
	mm_activate(NULL);
	mm_put(child);
	mm_put(parent);
}

KTEST_SUITE(mmap,
	    KTEST_CASE(demand_zero_and_copy),
	    KTEST_CASE(bad_pointers_efault),
	    KTEST_CASE(user_copies_count_exactly),
	    KTEST_CASE(mprotect_and_munmap),
	    KTEST_CASE(fork_is_copy_on_write),
	    KTEST_CASE(shared_mapping_stays_shared),
	    KTEST_CASE(stack_grows_down_to_limit),
	    KTEST_CASE(many_regions_no_leak));
