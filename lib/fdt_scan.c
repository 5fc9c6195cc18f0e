/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot information (memory, reservations, /chosen, harts) from a DTB. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/fdt_scan.h>
#include <hartix/string.h>

struct scan {
	const void *fdt;
	struct fdt_boot_info *bi;
	fdt_warn_fn warn;
	void *ctx;
};

static void scan_warn(const struct scan *s, const char *msg,
		      const char *where)
{
	if (s->warn)
		s->warn(s->ctx, msg, where);
}

/* The first fatal problem is the one worth reporting. */
static int scan_fail(const struct scan *s, const char *msg)
{
	if (!s->bi->error)
		s->bi->error = msg;
	return -EINVAL;
}

#define for_each_child(fdt, parent, child)                     \
	for (child = fdt_first_child(fdt, parent); child >= 0; \
	     child = fdt_next_sibling(fdt, child))

/*
 * Call @add for each non-empty reg entry of @node, decoded with @ac/@sc
 * (the parent's cells, which the caller already has).
 */
static void for_each_reg(const struct scan *s, int node, int ac, int sc,
			 void (*add)(const struct scan *s, int node, u64 base,
				     u64 size))
{
	const char *name = fdt_node_name(s->fdt, node);
	u64 base, size;
	int i, ret;

	for (i = 0; (ret = fdt_reg_cells(s->fdt, node, ac, sc, i, &base,
					 &size)) == 0; i++) {
		if (!size)
			continue;
		if (base + size < base) {
			scan_warn(s, "reg entry wraps around the address space",
				  name);
			continue;
		}
		add(s, node, base, size);
	}
	if (ret != -ENOENT)
		scan_warn(s, "malformed reg", name);
}

static void add_mem(const struct scan *s, int node, u64 base, u64 size)
{
	struct fdt_boot_info *bi = s->bi;

	if (bi->nmem == FDT_MAX_MEM) {
		scan_warn(s, "more than " __stringify(FDT_MAX_MEM)
			  " memory ranges, ignoring the rest",
			  fdt_node_name(s->fdt, node));
		return;
	}
	bi->mem[bi->nmem++] = (struct fdt_mem_region){ base, size };
}

static void add_resv(const struct scan *s, const char *name, bool no_map,
		     u64 base, u64 size)
{
	struct fdt_boot_info *bi = s->bi;

	if (bi->nresv == FDT_MAX_RESV) {
		scan_warn(s, "more than " __stringify(FDT_MAX_RESV)
			  " reserved ranges, ignoring the rest", name);
		return;
	}
	bi->resv[bi->nresv++] = (struct fdt_resv_region){ base, size, name,
							  no_map };
}

static void add_resv_node(const struct scan *s, int node, u64 base, u64 size)
{
	add_resv(s, fdt_node_name(s->fdt, node),
		 fdt_getprop(s->fdt, node, "no-map", NULL) != NULL, base, size);
}

/*
 * Like Linux, only the root's children describe RAM: that keeps e.g. a
 * /reserved-memory child called memory@... from being counted as RAM.
 */
static bool is_memory_node(const void *fdt, int node)
{
	const char *type = fdt_getprop_string(fdt, node, "device_type");
	const char *name = fdt_node_name(fdt, node);

	if (type)
		return !strcmp(type, "memory");
	return !strcmp(name, "memory") || !strncmp(name, "memory@", 7);
}

static int scan_memory(const struct scan *s, int root)
{
	int ac = fdt_address_cells(s->fdt, root);
	int sc = fdt_size_cells(s->fdt, root);
	bool found = false;
	int node;

	if (ac < 0 || sc < 0)
		return scan_fail(s,
				 "bad #address-cells or #size-cells in the root node");
	for_each_child(s->fdt, root, node) {
		if (!is_memory_node(s->fdt, node))
			continue;
		found = true;
		if (fdt_node_is_enabled(s->fdt, node))
			for_each_reg(s, node, ac, sc, add_mem);
	}
	if (!found)
		return scan_fail(s, "no memory node");
	if (!s->bi->nmem)
		return scan_fail(s, "memory nodes describe no memory");
	return 0;
}

static void scan_reservations(const struct scan *s, int root)
{
	int n = fdt_num_mem_rsv(s->fdt);
	int i, rm, ac, sc, node;
	u64 base, size;

	for (i = 0; i < n; i++)
		if (!fdt_get_mem_rsv(s->fdt, i, &base, &size) && size)
			add_resv(s, NULL, false, base, size);

	rm = fdt_subnode(s->fdt, root, "reserved-memory");
	if (rm < 0)
		return;
	ac = fdt_address_cells(s->fdt, rm);
	sc = fdt_size_cells(s->fdt, rm);
	if (ac < 0 || sc < 0) {
		scan_warn(s, "bad #address-cells or #size-cells",
			  "reserved-memory");
		return;
	}
	/* Children without reg are allocated dynamically by their users. */
	for_each_child(s->fdt, rm, node)
		if (fdt_node_is_enabled(s->fdt, node))
			for_each_reg(s, node, ac, sc, add_resv_node);
}

static void scan_initrd(const struct scan *s, int chosen)
{
	struct fdt_boot_info *bi = s->bi;
	int rs = fdt_getprop_u64(s->fdt, chosen, "linux,initrd-start",
				 &bi->initrd_start);
	int re = fdt_getprop_u64(s->fdt, chosen, "linux,initrd-end",
				 &bi->initrd_end);

	if (rs == -ENOENT && re == -ENOENT)
		return;
	if (rs || re)
		scan_warn(s, "initrd start or end missing or not 32/64 bits wide",
			  "chosen");
	else if (bi->initrd_end <= bi->initrd_start)
		scan_warn(s, "initrd ends before it starts", "chosen");
	else
		bi->has_initrd = true;
}

static void scan_chosen(const struct scan *s, int root)
{
	struct fdt_boot_info *bi = s->bi;
	int chosen = fdt_subnode(s->fdt, root, "chosen");
	const void *seed;
	int len;

	if (chosen < 0)
		return;
	bi->bootargs = fdt_getprop_string(s->fdt, chosen, "bootargs");
	bi->stdout_path = fdt_getprop_string(s->fdt, chosen, "stdout-path");
	if (!bi->stdout_path)
		bi->stdout_path = fdt_getprop_string(s->fdt, chosen,
						     "linux,stdout-path");
	seed = fdt_getprop(s->fdt, chosen, "rng-seed", &len);
	if (seed && len > 0) {
		bi->rng_seed = seed;
		bi->rng_seed_len = len;
	}
	scan_initrd(s, chosen);
}

static bool is_cpu_node(const void *fdt, int node)
{
	const char *type = fdt_getprop_string(fdt, node, "device_type");

	return type && !strcmp(type, "cpu");
}

static void add_cpu(const struct scan *s, int node, int ac, int sc)
{
	struct fdt_boot_info *bi = s->bi;
	const char *name = fdt_node_name(s->fdt, node);
	struct fdt_cpu *cpu;
	u64 hartid;
	int len;

	if (bi->ncpus == FDT_MAX_CPUS) {
		scan_warn(s, "more than " __stringify(FDT_MAX_CPUS)
			  " harts, ignoring the rest", name);
		return;
	}
	if (fdt_reg_cells(s->fdt, node, ac, sc, 0, &hartid, NULL)) {
		scan_warn(s, "cpu without a usable reg (hart id)", name);
		return;
	}
	cpu = &bi->cpu[bi->ncpus++];
	*cpu = (struct fdt_cpu){
		.node = node,
		.hartid = hartid,
		.enabled = fdt_node_is_enabled(s->fdt, node),
		.mmu_type = fdt_getprop_string(s->fdt, node, "mmu-type"),
		.isa = fdt_getprop_string(s->fdt, node, "riscv,isa"),
		.isa_base = fdt_getprop_string(s->fdt, node, "riscv,isa-base"),
		.isa_ext = fdt_getprop(s->fdt, node, "riscv,isa-extensions",
				       &len),
	};
	if (cpu->isa_ext)
		cpu->isa_ext_len = len;
}

static int scan_cpus(const struct scan *s, int root)
{
	struct fdt_boot_info *bi = s->bi;
	int cpus = fdt_subnode(s->fdt, root, "cpus");
	bool have_tb;
	int ac, sc, node;

	if (cpus < 0)
		return scan_fail(s, "no /cpus node");
	ac = fdt_address_cells(s->fdt, cpus);
	sc = fdt_size_cells(s->fdt, cpus);
	if (ac < 0 || sc < 0)
		return scan_fail(s,
				 "bad #address-cells or #size-cells in /cpus");
	have_tb = fdt_getprop_u32(s->fdt, cpus, "timebase-frequency",
				  &bi->timebase_freq);
	for_each_child(s->fdt, cpus, node) {
		if (!is_cpu_node(s->fdt, node))
			continue;
		/* Older trees have it in the cpu nodes: the first decides. */
		if (!have_tb && !bi->ncpus)
			fdt_getprop_u32(s->fdt, node, "timebase-frequency",
					&bi->timebase_freq);
		add_cpu(s, node, ac, sc);
	}
	if (!bi->timebase_freq)
		scan_warn(s, "no timebase-frequency", "cpus");
	if (!bi->ncpus)
		return scan_fail(s, "no usable cpu node in /cpus");
	return 0;
}

int fdt_scan_boot(const void *fdt, struct fdt_boot_info *bi, fdt_warn_fn warn,
		  void *ctx)
{
	struct scan s = { .fdt = fdt, .bi = bi, .warn = warn, .ctx = ctx };
	int root = fdt_root(fdt);
	int mem_ret, cpu_ret;

	memset(bi, 0, sizeof(*bi));
	if (root < 0)
		return scan_fail(&s, "no root node");
	bi->model = fdt_getprop_string(fdt, root, "model");
	bi->boot_hartid = fdt_boot_cpuid(fdt);
	scan_chosen(&s, root);
	scan_reservations(&s, root);
	mem_ret = scan_memory(&s, root);
	/* Scan the harts even without memory: bi is as complete as can be. */
	cpu_ret = scan_cpus(&s, root);
	return mem_ret ? mem_ret : cpu_ret;
}

bool fdt_cpu_has_mmu(const struct fdt_cpu *cpu)
{
	return cpu->mmu_type && strcmp(cpu->mmu_type, "riscv,none");
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* @tok is @ext, case aside, maybe with a version such as "2p0" after it. */
static bool ext_matches(const char *tok, size_t toklen, const char *ext,
			size_t extlen)
{
	size_t i;

	if (toklen < extlen)
		return false;
	for (i = 0; i < extlen; i++)
		if (lower(tok[i]) != lower(ext[i]))
			return false;
	if (i < toklen && !is_digit(tok[i]))
		return false;
	for (; i < toklen; i++)
		if (!is_digit(tok[i]) && lower(tok[i]) != 'p')
			return false;
	return true;
}

/* What the 'g' shorthand stands for. */
static const char *const g_implies[] = {
	"i", "m", "a", "f", "d", "zicsr", "zifencei",
};

static bool implied_by_g(const char *ext, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(g_implies); i++)
		if (strlen(g_implies[i]) == len &&
		    ext_matches(g_implies[i], len, ext, len))
			return true;
	return false;
}

/*
 * Scan the single-letter extensions of "rv64imafdch_zicsr...". They run up
 * to the first '_' or the first multi-letter name (those start with s, x or
 * z); digits and a 'p' between digits are version numbers. Returns where the
 * multi-letter part starts, or NULL if @isa does not start with rv32/rv64.
 */
static const char *isa_letters(const char *isa, const char *ext, size_t len,
			       bool *found)
{
	const char *start, *p;
	bool g = false;

	if (!isa || lower(isa[0]) != 'r' || lower(isa[1]) != 'v' ||
	    (strncmp(isa + 2, "64", 2) && strncmp(isa + 2, "32", 2)))
		return NULL;
	start = isa + 4;
	for (p = start; *p && *p != '_'; p++) {
		int c = lower(*p);

		if (c == 's' || c == 'x' || c == 'z')
			break;
		if (is_digit(c) || (c == 'p' && p > start && is_digit(p[-1]) &&
				    is_digit(p[1])))
			continue;
		if (len == 1 && c == lower(ext[0]))
			*found = true;
		g |= c == 'g';
	}
	if (g && implied_by_g(ext, len))
		*found = true;
	return p;
}

bool fdt_cpu_has_ext(const struct fdt_cpu *cpu, const char *ext)
{
	size_t len = strlen(ext);
	bool found = false;
	const char *p, *s;
	int i;

	if (!len)
		return false;
	if (cpu->isa_ext) {
		isa_letters(cpu->isa_base, ext, len, &found);
		for (i = 0; !found && (s = fdt_stringlist_get(cpu->isa_ext,
							       cpu->isa_ext_len,
							       i)); i++)
			found = ext_matches(s, strlen(s), ext, len);
		return found;
	}
	p = isa_letters(cpu->isa, ext, len, &found);
	while (!found && p && *p) {
		const char *us = strchr(p, '_');
		size_t n = us ? (size_t)(us - p) : strlen(p);

		found = n && ext_matches(p, n, ext, len);
		p += n + (us != NULL);
	}
	return found;
}
