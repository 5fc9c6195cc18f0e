/* SPDX-License-Identifier: BSD-2-Clause */
/* setup_arch: validate and read the device tree, parse boot arguments, build the memory map. */
#include <hartix/boot.h>
#include <hartix/compiler.h>
#include <hartix/fdt.h>
#include <hartix/fdt_scan.h>
#include <hartix/kernel.h>
#include <hartix/memblock.h>
#include <hartix/params.h>
#include <hartix/smp.h>
#include <hartix/sprintf.h>
#include <hartix/time.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/sbi.h>

/* A larger blob is far more likely a bad pointer than a real tree. */
#define FDT_MAX_SIZE (8UL << 20)
#define MEMBLOCK_SLOTS 64
/* Room for the boards Hartix knows; a larger tree is walked, unindexed. */
#define FDT_INDEX_NODES 256

const void *boot_fdt;
struct fdt_boot_info boot_info;

static struct fdt_index_node fdt_index_nodes[IS_ENABLED(CONFIG_FDT_INDEX) ?
					    FDT_INDEX_NODES : 1];
static struct memblock_region memblock_memory[MEMBLOCK_SLOTS];
static struct memblock_region memblock_reserved[MEMBLOCK_SLOTS];
struct memblock memblock;

extern char _start[], _end[];

static const void *fdt_map_and_check(phys_addr_t pa)
{
	const void *fdt;
	const char *why;
	size_t size;

	if (!pa || pa >= DIRECT_MAP_SIZE - FDT_MAX_SIZE)
		panic("no device tree: the boot loader passed a1 = %#lx", pa);
	fdt = phys_to_virt(pa);
	if (!fdt_magic_ok(fdt))
		panic("device tree at %#lx: bad magic %#x, not a DTB", pa,
		      fdt32_ld(fdt));
	size = fdt_totalsize(fdt);
	if (size > FDT_MAX_SIZE)
		panic("device tree at %#lx: totalsize %zu is over the %lu MiB limit",
		      pa, size, FDT_MAX_SIZE >> 20);
	if (fdt_check(fdt, size, &why))
		panic("device tree at %#lx is malformed: %s", pa, why);
	return fdt;
}

static void fdt_warn(void *ctx, const char *msg, const char *where)
{
	pr_warn("FDT: %s%s%s\n", msg, where ? ": " : "", where ? where : "");
}

/* "1.50 MiB"-style sizes for the memory map. */
static const char *fmt_size(char *buf, size_t len, u64 bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;
	u64 whole = bytes, frac = 0;

	while (whole >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		frac = (whole % 1024) * 100 / 1024;
		whole /= 1024;
		u++;
	}
	if (frac)
		scnprintf(buf, len, "%llu.%02llu %s", (unsigned long long)whole,
			  (unsigned long long)frac, units[u]);
	else
		scnprintf(buf, len, "%llu %s", (unsigned long long)whole,
			  units[u]);
	return buf;
}

static void reserve(phys_addr_t base, phys_addr_t size, const char *name)
{
	int err = memblock_reserve(&memblock, base, size, name);

	if (err)
		pr_err("memblock: cannot reserve %#llx+%#llx (%s): error %d\n",
		       (unsigned long long)base, (unsigned long long)size, name,
		       err);
}

static void print_memory_map(void)
{
	char sz[24];
	phys_addr_t start, end;
	u64 cursor = 0;
	int i;

	pr_info("Memory map:\n");
	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		pr_info("  memory   [%#012llx-%#012llx] %s\n",
			(unsigned long long)r->base,
			(unsigned long long)(r->base + r->size - 1),
			fmt_size(sz, sizeof(sz), r->size));
	}
	for (i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		pr_info("  reserved [%#012llx-%#012llx] %s (%s)\n",
			(unsigned long long)r->base,
			(unsigned long long)(r->base + r->size - 1),
			fmt_size(sz, sizeof(sz), r->size), r->name);
	}
	while (memblock_next_free(&memblock, &cursor, &start, &end))
		pr_info("  free     [%#012llx-%#012llx] %s\n",
			(unsigned long long)start, (unsigned long long)(end - 1),
			fmt_size(sz, sizeof(sz), end - start));
	pr_info("Memory: %s free of %s\n",
		fmt_size(sz, sizeof(sz), memblock_free_total(&memblock)),
		fmt_size((char[24]){ 0 }, 24, memblock_total(&memblock)));
}

static void setup_memory(phys_addr_t fdt_pa)
{
	const struct fdt_boot_info *bi = &boot_info;
	int i;

	memblock_init(&memblock, memblock_memory, MEMBLOCK_SLOTS,
		      memblock_reserved, MEMBLOCK_SLOTS);
	for (i = 0; i < bi->nmem; i++) {
		u64 base = bi->mem[i].base, size = bi->mem[i].size;

		/* Only what the direct map reaches can be handed out. */
		if (base >= DIRECT_MAP_SIZE || size > DIRECT_MAP_SIZE - base) {
			pr_warn("memblock: memory above %lu GiB is not mapped, ignored: %#llx+%#llx\n",
				DIRECT_MAP_SIZE >> 30, (unsigned long long)base,
				(unsigned long long)size);
			if (base >= DIRECT_MAP_SIZE)
				continue;
			size = DIRECT_MAP_SIZE - base;
		}
		if (memblock_add(&memblock, base, size))
			pr_warn("memblock: memory %#llx+%#llx ignored\n",
				(unsigned long long)base,
				(unsigned long long)size);
	}
	for (i = 0; i < bi->nresv; i++)
		reserve(bi->resv[i].base, bi->resv[i].size,
			bi->resv[i].name ? bi->resv[i].name : "memreserve");
	reserve(virt_to_phys(_start), (phys_addr_t)(_end - _start), "kernel");
	reserve(fdt_pa, ALIGN_UP(fdt_totalsize(boot_fdt), 8), "fdt");
	if (bi->has_initrd)
		reserve(bi->initrd_start, bi->initrd_end - bi->initrd_start,
			"initrd");
	print_memory_map();
}

static void print_harts(void)
{
	const struct fdt_boot_info *bi = &boot_info;
	int i;

	pr_info("CPUs: %d in the device tree, timebase %u Hz\n", bi->ncpus,
		bi->timebase_freq);
	for (i = 0; i < bi->ncpus; i++) {
		const struct fdt_cpu *c = &bi->cpu[i];

		pr_info("  hart %llu: %s, %s, isa %s%s%s\n",
			(unsigned long long)c->hartid,
			c->enabled ? "enabled" : "disabled",
			fdt_cpu_has_mmu(c) ? c->mmu_type : "no MMU",
			c->isa ? c->isa : c->isa_base ? c->isa_base : "?",
			c->isa ? "" : c->isa_ext ? " + extensions" : "",
			c->hartid == current_hartid() ? " (boot)" : "");
	}
}

void setup_arch(phys_addr_t fdt_pa)
{
	sbi_init();
	boot_fdt = fdt_map_and_check(fdt_pa);
	if (IS_ENABLED(CONFIG_FDT_INDEX) &&
	    fdt_index_build(boot_fdt, fdt_index_nodes, FDT_INDEX_NODES))
		pr_info("FDT: over %d nodes, looked up without an index\n",
			FDT_INDEX_NODES);
	if (fdt_scan_boot(boot_fdt, &boot_info, fdt_warn, NULL))
		panic("device tree at %#lx: %s", fdt_pa, boot_info.error);
	if (boot_info.timebase_freq)
		timebase_freq = boot_info.timebase_freq;
	else
		pr_warn("FDT: no timebase-frequency; assuming %llu Hz\n",
			(unsigned long long)timebase_freq);

	parse_boot_args(boot_info.bootargs);
	if (boot_info.model)
		pr_info("Machine model: %s\n", boot_info.model);
	pr_info("Device tree at %#lx, %zu bytes\n", fdt_pa,
		fdt_totalsize(boot_fdt));
	print_harts();
	setup_memory(fdt_pa);
	paging_init();
}
