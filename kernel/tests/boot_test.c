/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests of what early boot built: the device tree view, boot arguments, the memory map. */
#include <hartix/boot.h>
#include <hartix/fdt.h>
#include <hartix/fdt_scan.h>
#include <hartix/ktest.h>
#include <hartix/memblock.h>
#include <hartix/params.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <asm/page.h>

extern struct memblock memblock;
extern char _start[], _end[];

static bool is_free(phys_addr_t pa)
{
	phys_addr_t start, end;
	u64 cursor = 0;

	while (memblock_next_free(&memblock, &cursor, &start, &end))
		if (pa >= start && pa < end)
			return true;
	return false;
}

static void fdt_still_valid(struct ktest *t)
{
	const char *why = NULL;

	KT_EXPECT_EQ(t, fdt_check(boot_fdt, fdt_totalsize(boot_fdt), &why), 0);
	KT_EXPECT(t, fdt_path_offset(boot_fdt, "/cpus", 5) >= 0);
	KT_EXPECT(t, fdt_path_offset(boot_fdt, "/chosen", 7) >= 0);
}

static void boot_hart_described(struct ktest *t)
{
	int i, found = 0;

	for (i = 0; i < boot_info.ncpus; i++) {
		const struct fdt_cpu *c = &boot_info.cpu[i];

		if (c->hartid != current_hartid())
			continue;
		found++;
		KT_EXPECT(t, c->enabled);
		KT_EXPECT(t, fdt_cpu_has_mmu(c));
	}
	KT_EXPECT_EQ(t, found, 1);
	KT_EXPECT_EQ(t, timebase_freq, boot_info.timebase_freq);
}

static void memory_totals_match_fdt(struct ktest *t)
{
	phys_addr_t start, end, free_sum = 0, fdt_sum = 0;
	u64 cursor = 0;
	int i;

	for (i = 0; i < boot_info.nmem; i++)
		fdt_sum += boot_info.mem[i].size;
	KT_EXPECT_EQ(t, memblock_total(&memblock), fdt_sum);
	while (memblock_next_free(&memblock, &cursor, &start, &end)) {
		KT_EXPECT(t, start < end);
		free_sum += end - start;
	}
	KT_EXPECT_EQ(t, free_sum, memblock_free_total(&memblock));
	KT_EXPECT(t, free_sum < fdt_sum);
}

static void kernel_and_fdt_reserved(struct ktest *t)
{
	phys_addr_t fdt_pa = virt_to_phys(boot_fdt);

	KT_EXPECT(t, !is_free(virt_to_phys(_start)));
	KT_EXPECT(t, !is_free(virt_to_phys(_start) + (_end - _start) - 1));
	KT_EXPECT(t, !is_free(fdt_pa));
	KT_EXPECT(t, !is_free(fdt_pa + fdt_totalsize(boot_fdt) - 1));
	KT_EXPECT_EQ(t, virt_to_phys(_start) % PMD_SIZE, 0);
}

/* After page_alloc_init() memblock has handed everything over. */
static void memblock_retired_after_handover(struct ktest *t)
{
	KT_EXPECT_EQ(t, memblock_alloc(&memblock, PAGE_SIZE, PAGE_SIZE, "ktest"),
		     0);
	KT_EXPECT(t, !is_free(virt_to_phys(_start)));
}

static void command_line_kept(struct ktest *t)
{
	KT_EXPECT(t, strstr(boot_command_line, "ktest.") != NULL);
}

KTEST_SUITE(boot,
	    KTEST_CASE(fdt_still_valid),
	    KTEST_CASE(boot_hart_described),
	    KTEST_CASE(memory_totals_match_fdt),
	    KTEST_CASE(kernel_and_fdt_reserved),
	    KTEST_CASE(memblock_retired_after_handover),
	    KTEST_CASE(command_line_kept));
