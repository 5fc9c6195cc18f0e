/* SPDX-License-Identifier: BSD-2-Clause */
/* ASLR for user space: random stack top, mmap base and brk start at each exec, as Linux does. */
#include <hartix/aslr.h>
#include <hartix/kernel.h>
#include <hartix/params.h>
#include <hartix/random.h>

/*
 * Linux's riscv64 entropy: 18 bits of pages (1 GiB) for the stack top
 * (STACK_RND_MASK) and for the mmap base (mmap_rnd_bits), 1 GiB for brk;
 * out of Sv39's 256 GiB user half. The mmap area starts below the stack's
 * room to grow and the stack's random range, and at least 128 MiB below
 * the top (Linux's mmap_base() gap).
 */
#define STACK_RND_PAGES (1UL << 18)
#define MMAP_RND_PAGES (1UL << 18)
#define BRK_RND_PAGES ((1UL << 30) >> PAGE_SHIFT)
#define STACK_GUARD_GAP (256 * PAGE_SIZE)
#define MMAP_MIN_GAP (128UL << 20)

/* Written once while parsing boot arguments, before any exec. */
static bool randomize_va_space = true;

static int set_norandmaps(const char *val)
{
	randomize_va_space = false;
	return 0;
}
kernel_param("norandmaps", set_norandmaps);

static unsigned long random_pages(unsigned long range)
{
	return (get_random_u64() % range) << PAGE_SHIFT;
}

void aslr_randomize_mm(struct mm *mm)
{
	unsigned long gap = mm->stack_limit + (STACK_RND_PAGES << PAGE_SHIFT) +
			    STACK_GUARD_GAP;

	if (!randomize_va_space)
		return;
	mm->stack_top = STACK_TOP - random_pages(STACK_RND_PAGES);
	mm->mmap_base = STACK_TOP - max(gap, MMAP_MIN_GAP) -
			random_pages(MMAP_RND_PAGES);
}

unsigned long aslr_dyn_offset(unsigned long align)
{
	return randomize_va_space ? ALIGN_DOWN(random_pages(MMAP_RND_PAGES), align) : 0;
}

unsigned long aslr_brk_offset(void)
{
	return randomize_va_space ? random_pages(BRK_RND_PAGES) : 0;
}
