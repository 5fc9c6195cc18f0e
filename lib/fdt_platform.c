/* SPDX-License-Identifier: BSD-2-Clause */
/* Platform discovery from the device tree: harts, PLIC contexts, console. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/fdt_platform.h>
#include <hartix/fdt_scan.h>
#include <hartix/string.h>

/* The hart-local interrupt of a PLIC context Hartix can use. */
#define IRQ_S_EXT 9

/* Bounds the interrupt-parent walk, which phandles could send in a loop. */
#define MAX_IRQ_PARENT_HOPS 64

/* Why the tree rules @cpu out as a CPU, or NULL if it is usable. */
static const char *hart_unusable(const struct fdt_cpu *cpu)
{
	if (!cpu->enabled)
		return "disabled";
	if (!cpu->mmu_type)
		return "no MMU (mmu-type missing)";
	if (!fdt_cpu_has_mmu(cpu))
		return "mmu-type riscv,none";
	return NULL;
}

static bool planned(const struct fdt_hart_plan *plan, u64 hartid)
{
	unsigned int i;

	for (i = 0; i < plan->nr_cpus; i++)
		if (plan->hartid[i] == hartid)
			return true;
	return false;
}

static void skip_hart(struct fdt_hart_plan *plan, u64 hartid,
		      const char *reason)
{
	plan->skipped[plan->nr_skipped].hartid = hartid;
	plan->skipped[plan->nr_skipped].reason = reason;
	plan->nr_skipped++;
}

int fdt_plan_harts(const struct fdt_boot_info *bi, u64 boot_hartid,
		   unsigned int max_cpus, struct fdt_hart_plan *plan)
{
	const char *why = "not in the device tree";
	int boot = -1, i;

	memset(plan, 0, sizeof(*plan));
	max_cpus = min(max(max_cpus, 1U), (unsigned int)FDT_MAX_CPUS);

	/* The first usable node with the boot hart's id is the boot CPU. */
	for (i = 0; i < bi->ncpus && boot < 0; i++) {
		if (bi->cpu[i].hartid != boot_hartid)
			continue;
		why = hart_unusable(&bi->cpu[i]);
		if (!why)
			boot = i;
	}
	plan->nr_cpus = 1;
	plan->hartid[0] = boot_hartid;
	plan->cpu_node[0] = boot >= 0 ? bi->cpu[boot].node : -1;
	if (boot < 0) {
		/* The caller still runs on it: say why the tree says no. */
		skip_hart(plan, boot_hartid, why);
		return -ENOENT;
	}

	for (i = 0; i < bi->ncpus; i++) {
		const struct fdt_cpu *cpu = &bi->cpu[i];

		if (i == boot)
			continue;
		why = hart_unusable(cpu);
		if (!why && planned(plan, cpu->hartid))
			why = "duplicate hart id";
		if (!why && plan->nr_cpus == max_cpus)
			why = "beyond the CPU limit";
		if (why) {
			skip_hart(plan, cpu->hartid, why);
			continue;
		}
		plan->hartid[plan->nr_cpus] = cpu->hartid;
		plan->cpu_node[plan->nr_cpus] = cpu->node;
		plan->nr_cpus++;
	}
	return 0;
}

static int plic_fail(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

/* Each hart's local interrupt controller: its phandle and the hart's id. */
struct intc_hart {
	u32 phandle;
	u64 hartid;
};

/*
 * One walk finds every riscv,cpu-intc under a device_type "cpu" node (the
 * walk's own ancestry stack gives the parents: fdt_parent() would walk the
 * tree again for each). Returns how many were stored in map.
 */
static int find_cpu_intcs(const void *fdt, struct intc_hart *map, int max)
{
	int stack[FDT_MAX_DEPTH];
	int depth = 0, node, n = 0;

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0 && n < max;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *type;
		int cpu, ac, sc;
		u32 phandle;

		if (depth > FDT_MAX_DEPTH)
			break;
		stack[depth - 1] = node;
		if (depth < 3 ||
		    !fdt_node_is_compatible(fdt, node, "riscv,cpu-intc"))
			continue;
		phandle = fdt_get_phandle(fdt, node);
		cpu = stack[depth - 2];
		type = fdt_getprop_string(fdt, cpu, "device_type");
		ac = fdt_address_cells(fdt, stack[depth - 3]);
		sc = fdt_size_cells(fdt, stack[depth - 3]);
		if (!phandle || !type || strcmp(type, "cpu") || ac < 0 ||
		    sc < 0 || fdt_reg_cells(fdt, cpu, ac, sc, 0, &map[n].hartid, NULL))
			continue;
		map[n++].phandle = phandle;
	}
	return n;
}

/*
 * The hart whose local interrupt controller @phandle names: 0, -ENOENT when
 * the node is something else (the context is then skipped), -EINVAL when
 * no node has that phandle.
 */
static int intc_hartid(const void *fdt, const struct intc_hart *map, int n,
		       u32 phandle, u64 *hartid)
{
	int i;

	for (i = 0; i < n; i++)
		if (map[i].phandle == phandle) {
			*hartid = map[i].hartid;
			return 0;
		}
	return fdt_node_by_phandle(fdt, phandle) < 0 ? -EINVAL : -ENOENT;
}

int fdt_plic_parse(const void *fdt, int node, struct fdt_plic_info *info,
		   const char **why)
{
	struct intc_hart intcs[FDT_MAX_CPUS];
	const char *ignored;
	const u8 *ctx;
	int len, i, ret, nr_intcs;

	if (!why)
		why = &ignored;
	memset(info, 0, sizeof(*info));
	if (fdt_reg(fdt, node, 0, &info->base, &info->size))
		return plic_fail(why, "PLIC reg missing or malformed");
	if (!fdt_getprop_u32(fdt, node, "riscv,ndev", &info->ndev))
		return plic_fail(why, "riscv,ndev missing or not one cell");
	/* Source 0 is reserved; the register layout has room for 1023. */
	if (info->ndev > 1023)
		return plic_fail(why, "riscv,ndev above 1023");
	ctx = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (!ctx || len <= 0)
		return plic_fail(why, "interrupts-extended missing or empty");
	/* Each context is <&cpu-intc N>: riscv,cpu-intc has one cell. */
	if (len % 8)
		return plic_fail(why,
				 "interrupts-extended is not a list of <phandle irq> pairs");

	info->nr_contexts = (unsigned int)len / 8;
	nr_intcs = find_cpu_intcs(fdt, intcs, FDT_MAX_CPUS);
	for (i = 0; i < len / 8; i++) {
		u32 phandle = fdt32_ld(ctx + i * 8);
		u32 irq = fdt32_ld(ctx + i * 8 + 4);
		u64 hartid;

		if (phandle == 0xffffffffU)
			continue;
		ret = intc_hartid(fdt, intcs, nr_intcs, phandle, &hartid);
		if (ret == -EINVAL)
			return plic_fail(why,
					 "interrupts-extended names an unknown phandle");
		/*
		 * M-mode contexts (11) belong to the firmware. A second S
		 * context of the same hart is ignored, as Linux does; past the
		 * table's end are harts beyond FDT_MAX_CPUS, never brought up.
		 */
		if (ret || irq != IRQ_S_EXT ||
		    fdt_plic_context_of(info, hartid) >= 0 ||
		    info->nr_s == FDT_PLIC_MAX_CONTEXTS)
			continue;
		info->s_ctx[info->nr_s].hartid = hartid;
		info->s_ctx[info->nr_s].context = (unsigned int)i;
		info->nr_s++;
	}
	return 0;
}

int fdt_plic_context_of(const struct fdt_plic_info *info, u64 hartid)
{
	unsigned int i;

	for (i = 0; i < info->nr_s; i++)
		if (info->s_ctx[i].hartid == hartid)
			return (int)info->s_ctx[i].context;
	return -1;
}

/* Nodes under a disabled one are not probed, so they cannot be consoles. */
int fdt_console_node(const void *fdt, const char *const *compatibles)
{
	int depth = 0;
	int node = fdt_stdout_node(fdt, NULL);
	const char *const *c;

	if (node >= 0)
		return node;
	for (node = fdt_next_enabled_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_enabled_node(fdt, node, &depth)) {
		for (c = compatibles; *c; c++)
			if (fdt_node_is_compatible(fdt, node, *c))
				return node;
	}
	return -ENOENT;
}

/*
 * The interrupt parent as Linux finds it: the node's interrupt-parent, else
 * its tree parent's, until a node that says #interrupt-cells.
 */
static int irq_parent(const void *fdt, int node)
{
	unsigned int hops;
	u32 phandle;

	for (hops = 0; hops < MAX_IRQ_PARENT_HOPS; hops++) {
		if (fdt_getprop_u32(fdt, node, "interrupt-parent", &phandle))
			node = fdt_node_by_phandle(fdt, phandle);
		else
			node = fdt_parent(fdt, node);
		if (node < 0)
			return -EINVAL;
		if (fdt_getprop(fdt, node, "#interrupt-cells", NULL))
			return node;
	}
	return -EINVAL;
}

int fdt_device_irq(const void *fdt, int node, int index)
{
	int len, parent;
	const u8 *irqs;
	u32 cells, irq;

	irqs = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irqs)
		return -ENOENT;
	parent = irq_parent(fdt, node);
	if (parent < 0 ||
	    !fdt_getprop_u32(fdt, parent, "#interrupt-cells", &cells) ||
	    cells != 1 || len % 4)
		return -EINVAL;
	if (index < 0 || index >= len / 4)
		return -ENOENT;
	irq = fdt32_ld(irqs + index * 4);
	return irq > (u32)__INT_MAX__ ? -EINVAL : (int)irq;
}
