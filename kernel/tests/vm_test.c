/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel page table tests: W^X on the image, the direct map, vmalloc guards, ioremap. */
#include <hartix/boot.h>
#include <hartix/io.h>
#include <hartix/ktest.h>
#include <hartix/memblock.h>
#include <hartix/mm.h>
#include <hartix/string.h>
#include <hartix/vmalloc.h>
#include <asm/extable.h>
#include <asm/page.h>
#include <asm/pgtable.h>

extern struct memblock memblock;
extern char _start[], _etext[];

static const unsigned long rodata_word = 0x1234;
/* One "ret" (jalr x0, 0(ra)) in writable data: executing it must fault. */
static u32 data_ret_insn = 0x00008067;

static void kernel_text_not_writable(struct ktest *t)
{
	unsigned long *text = (unsigned long *)ALIGN_UP((unsigned long)_start + 64, 8);
	unsigned long before = *text;

	KT_EXPECT_EQ(t, write_ulong_nofault(text, before), -EFAULT);
	KT_EXPECT_EQ(t, *text, before);
	KT_EXPECT(t, kernel_pte((unsigned long)text) & PTE_X);
	KT_EXPECT(t, !(kernel_pte((unsigned long)text) & PTE_W));
}

static void rodata_not_writable(struct ktest *t)
{
	KT_EXPECT_EQ(t, write_ulong_nofault((unsigned long *)&rodata_word, 1),
		     -EFAULT);
	KT_EXPECT_EQ(t, rodata_word, 0x1234);
	KT_EXPECT(t, !(kernel_pte((unsigned long)&rodata_word) & (PTE_W | PTE_X)));
}

/* Calls the instruction in data; the fault lands on its extable entry. */
static int exec_data(void)
{
	int err = 0;

	__asm__ __volatile__("	jalr ra, 0(%[target])\n"
			     "2:\n"
			     "	.pushsection .fixup, \"ax\"\n"
			     "3:	li %[err], %[efault]\n"
			     "	j 2b\n"
			     "	.popsection\n"
			     "	.pushsection __ex_table, \"a\"\n"
			     "	.balign 4\n"
			     "	.long data_ret_insn - .\n"
			     "	.long 3b - .\n"
			     "	.popsection\n"
			     : [err] "+r"(err)
			     : [target] "r"(&data_ret_insn), [efault] "i"(-EFAULT)
			     : "ra", "memory");
	return err;
}

static void data_not_executable(struct ktest *t)
{
	KT_EXPECT_EQ(t, exec_data(), -EFAULT);
	KT_EXPECT(t, !(kernel_pte((unsigned long)&data_ret_insn) & PTE_X));
}

static void direct_map_covers_ram(struct ktest *t)
{
	int i;

	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		/* The first page may be firmware (no-map); test the last. */
		pte_t pte = kernel_pte((unsigned long)phys_to_virt(
			r->base + r->size - PAGE_SIZE));

		KT_EXPECT(t, pte & PTE_W);
		KT_EXPECT(t, !(pte & PTE_X));
	}
}

static void vmalloc_has_guard_page(struct ktest *t)
{
	unsigned long *p = vmalloc(3 * PAGE_SIZE);
	unsigned long va = (unsigned long)p, v;

	KT_ASSERT(t, p != NULL);
	KT_EXPECT(t, va >= VMALLOC_START && va < VMALLOC_END);
	p[0] = 1;
	p[3 * PAGE_SIZE / sizeof(long) - 1] = 2;
	KT_EXPECT_EQ(t, kernel_pte(va - PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, read_ulong_nofault((unsigned long *)(va - 8), &v),
		     -EFAULT);
	vfree(p);
	KT_EXPECT_EQ(t, kernel_pte(va), 0);
	KT_EXPECT_EQ(t, read_ulong_nofault((unsigned long *)va, &v), -EFAULT);
}

static void ioremap_maps_physical(struct ktest *t)
{
	unsigned long *page = alloc_page(__GFP_ZERO);
	unsigned long *io;

	KT_ASSERT(t, page != NULL);
	page[5] = 0xfeedface;
	io = ioremap(virt_to_phys(page) + 5 * sizeof(long), sizeof(long));
	KT_ASSERT(t, io != NULL);
	KT_EXPECT_EQ(t, *io, 0xfeedface);
	KT_EXPECT(t, !(kernel_pte((unsigned long)io) & PTE_X));
	iounmap(io);
	free_page(page);
}

KTEST_SUITE(vm,
	    KTEST_CASE(kernel_text_not_writable),
	    KTEST_CASE(rodata_not_writable),
	    KTEST_CASE(data_not_executable),
	    KTEST_CASE(direct_map_covers_ram),
	    KTEST_CASE(vmalloc_has_guard_page),
	    KTEST_CASE(ioremap_maps_physical));
