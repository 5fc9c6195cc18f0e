/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: fdt_check(), then every FDT reader and scan function, walked and indexed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/fdt_scan.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a finding just like a sanitizer report. */
#define EXPECT(cond)                      \
	do {                              \
		if (!(cond))              \
			abort();          \
	} while (0)

/*
 * Lookups that rescan the tree (or a node's properties, or a string list)
 * run for the first few items only, so that a large seed does not make each
 * execution quadratic: that would cost more coverage than it finds.
 */
#define DEEP_NODES 16
#define FEW 4

static const char *const exts[] = {
	"i", "m", "a", "f", "d", "c", "h", "v", "g", "zicsr", "ZBA", "sstc",
	"zicbom", "svpbmt", "zba1p0", "",
};

static void count_warning(void *ctx, const char *msg, const char *where)
{
	EXPECT(msg && *msg);
	(void)where;
	++*(int *)ctx;
}

static void walk_props(const void *fdt, int node)
{
	const char *name, *s;
	int prop, len, len2, i, n = 0;
	const void *val;
	u64 v64;
	u32 v32;

	for (prop = fdt_first_prop(fdt, node); prop >= 0;
	     prop = fdt_next_prop(fdt, prop)) {
		val = fdt_prop_by_offset(fdt, prop, &name, &len);
		EXPECT(val && len >= 0);
		if (n++ >= FEW)
			continue;
		EXPECT(fdt_getprop(fdt, node, name, &len2) && len2 >= 0);
		for (i = 0; i < FEW; i++) {
			s = fdt_stringlist_get(val, len, i);
			EXPECT(!s || fdt_stringlist_contains(val, len, s));
		}
		s = fdt_getprop_string(fdt, node, name);
		EXPECT(!s || strlen(s) + 1 == (size_t)len2);
		fdt_getprop_u32(fdt, node, name, &v32);
		fdt_getprop_u64(fdt, node, name, &v64);
	}
	EXPECT(prop == -ENOENT);
}

static const char *first_compatible(const void *fdt, int node)
{
	int len;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	return list ? fdt_stringlist_get(list, len, 0) : NULL;
}

/* Structural relations that hold in any blob fdt_check() accepted. */
static void check_links(const void *fdt, int node, int parent, int prev)
{
	const char *name = fdt_node_name(fdt, node);
	const char *compat;
	char path[512];
	int found, i;
	u64 addr, size;
	u32 ph;

	EXPECT(fdt_parent(fdt, node) == (parent >= 0 ? parent : -ENOENT));
	if (parent >= 0) {
		EXPECT((prev >= 0 ? fdt_next_sibling(fdt, prev) :
				    fdt_first_child(fdt, parent)) == node);
		/* An exact name match always wins over a base-name one. */
		found = fdt_subnode(fdt, parent, name);
		EXPECT(found >= 0 && !strcmp(fdt_node_name(fdt, found), name));
	}
	if (!fdt_get_path(fdt, node, path, sizeof(path)))
		fdt_path_offset(fdt, path, strlen(path));
	for (i = 0; i < 8; i++)
		if (fdt_reg(fdt, node, i, &addr, &size))
			break;
	compat = first_compatible(fdt, node);
	if (compat)
		EXPECT(fdt_node_by_compatible(fdt, -1, compat) <= node);
	ph = fdt_get_phandle(fdt, node);
	found = ph ? fdt_node_by_phandle(fdt, ph) : -1;
	EXPECT(!ph || fdt_get_phandle(fdt, found) == ph);
}

static void walk_node(const void *fdt, int node)
{
	const char *compat;
	int ac, sc;

	EXPECT(fdt_node_name(fdt, node));
	compat = first_compatible(fdt, node);
	if (compat)
		EXPECT(fdt_node_is_compatible(fdt, node, compat));
	fdt_node_is_enabled(fdt, node);
	ac = fdt_address_cells(fdt, node);
	sc = fdt_size_cells(fdt, node);
	EXPECT(ac == -EINVAL || (ac >= 0 && ac <= FDT_MAX_CELLS));
	EXPECT(sc == -EINVAL || (sc >= 0 && sc <= FDT_MAX_CELLS));
	walk_props(fdt, node);
}

static void walk_tree(const void *fdt)
{
	/* Per depth: the node open there, and its last child seen so far. */
	int open[FDT_MAX_DEPTH + 1], last[FDT_MAX_DEPTH + 1];
	int node, depth = 0, count = 0, prev_depth = 0;

	EXPECT(fdt_root(fdt) >= 0);
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth), count++) {
		EXPECT(depth >= 1 && depth <= FDT_MAX_DEPTH);
		if (depth > prev_depth)
			last[depth] = -1;
		open[depth] = node;
		if (count < DEEP_NODES)
			check_links(fdt, node, depth > 1 ? open[depth - 1] : -1,
				    last[depth]);
		last[depth] = node;
		prev_depth = depth;
		walk_node(fdt, node);
	}
	EXPECT(node == -ENOENT && depth == 0);
}

static void walk_aliases(const void *fdt)
{
	int aliases = fdt_path_offset(fdt, "/aliases", 8);
	const char *name, *opts;
	char path[256];
	int prop, n = 0;

	fdt_stdout_node(fdt, &opts);
	if (aliases < 0)
		return;
	for (prop = fdt_first_prop(fdt, aliases); prop >= 0 && n < FEW;
	     prop = fdt_next_prop(fdt, prop), n++) {
		fdt_prop_by_offset(fdt, prop, &name, NULL);
		fdt_path_offset(fdt, name, strlen(name));
		if (strlen(name) + 3 <= sizeof(path)) {
			strcpy(path, name);
			strcat(path, "/x");
			fdt_path_offset(fdt, path, strlen(path));
		}
	}
}

static void walk_scan(const void *fdt)
{
	struct fdt_boot_info bi;
	u64 addr, size;
	int warnings = 0, ret, i, j, n;

	n = fdt_num_mem_rsv(fdt);
	EXPECT(n >= 0);
	for (i = 0; i < n; i++)
		EXPECT(!fdt_get_mem_rsv(fdt, i, &addr, &size));
	EXPECT(fdt_get_mem_rsv(fdt, n, &addr, &size) == -ENOENT);

	ret = fdt_scan_boot(fdt, &bi, count_warning, &warnings);
	EXPECT(ret == 0 ? !bi.error && bi.nmem && bi.ncpus :
			  ret == -EINVAL && bi.error);
	EXPECT(bi.nmem <= FDT_MAX_MEM && bi.nresv <= FDT_MAX_RESV &&
	       bi.ncpus <= FDT_MAX_CPUS);
	EXPECT(!bi.has_initrd || bi.initrd_end > bi.initrd_start);
	for (i = 0; i < bi.ncpus; i++) {
		fdt_cpu_has_mmu(&bi.cpu[i]);
		for (j = 0; j < (int)(sizeof(exts) / sizeof(exts[0])); j++)
			fdt_cpu_has_ext(&bi.cpu[i], exts[j]);
	}
}

/*
 * Differential check of the index (fdt_index_build()): every lookup it
 * serves is logged once walking and once indexed, and the logs must match.
 */
#define LOG_MAX 65536

struct qlog {
	long long v[LOG_MAX];
	int n;
};

static void qlog(struct qlog *l, long long v)
{
	if (l->n < LOG_MAX)
		l->v[l->n++] = v;
}

static void qlog_ptr(struct qlog *l, const void *fdt, const void *p)
{
	qlog(l, p ? (const char *)p - (const char *)fdt : -1);
}

static const char *const probe_props[] = {
	"compatible", "status", "phandle", "linux,phandle", "reg", "x",
};

static void record_node(struct qlog *l, const void *fdt, int node, int nth)
{
	const char *name = fdt_node_name(fdt, node), *compat;
	int depth = 0, n, len, parent;
	unsigned int i;
	char path[256];
	u32 ph;

	qlog_ptr(l, fdt, name);
	qlog(l, fdt_first_child(fdt, node));
	qlog(l, fdt_next_sibling(fdt, node));
	parent = fdt_parent(fdt, node);
	qlog(l, parent);
	qlog(l, fdt_node_is_enabled(fdt, node));
	ph = fdt_get_phandle(fdt, node);
	qlog(l, ph);
	qlog(l, fdt_node_by_phandle(fdt, ph));
	qlog(l, fdt_node_by_phandle(fdt, (u32)nth + 1));
	for (i = 0; i < sizeof(probe_props) / sizeof(probe_props[0]); i++) {
		qlog_ptr(l, fdt, fdt_getprop(fdt, node, probe_props[i], &len));
		qlog(l, len);
	}
	compat = first_compatible(fdt, node);
	qlog(l, fdt_node_is_compatible(fdt, node, compat ? compat : "x"));
	if (compat) {
		qlog(l, fdt_node_by_compatible(fdt, -1, compat));
		qlog(l, fdt_node_by_compatible(fdt, node, compat));
	}
	if (parent >= 0 && name)
		qlog(l, fdt_subnode(fdt, parent, name));
	if (nth >= DEEP_NODES)
		return;
	/* The walk under the node, with its depth, and the next after it. */
	for (n = fdt_next_node(fdt, node, &depth); n >= 0;
	     n = fdt_next_node(fdt, n, &depth))
		qlog(l, (long long)n << 8 | (depth & 0xff));
	qlog(l, n);
	qlog(l, depth);
	depth = -2;
	qlog(l, fdt_next_node(fdt, node, &depth));
	qlog(l, depth);
	/* Offsets that are not nodes: both must refuse them alike. */
	qlog(l, fdt_next_node(fdt, node + 4, &depth));
	qlog(l, fdt_parent(fdt, node + 4));
	qlog_ptr(l, fdt, fdt_node_name(fdt, node + 4));
	if (!fdt_get_path(fdt, node, path, sizeof(path)))
		qlog(l, fdt_path_offset(fdt, path, strlen(path)));
}

static void record(struct qlog *l, const void *fdt)
{
	struct fdt_boot_info bi;
	int node, depth = 0, nth = 0, warnings = 0;
	const char *opts;

	l->n = 0;
	qlog(l, fdt_root(fdt));
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth), nth++) {
		qlog(l, (long long)node << 8 | (depth & 0xff));
		record_node(l, fdt, node, nth);
	}
	qlog(l, node);
	qlog(l, depth);
	depth = 0;
	for (node = fdt_next_enabled_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_enabled_node(fdt, node, &depth))
		qlog(l, (long long)node << 8 | (depth & 0xff));
	qlog(l, fdt_node_by_compatible(fdt, -1, "riscv,plic0"));
	qlog(l, fdt_stdout_node(fdt, &opts));
	qlog_ptr(l, fdt, opts);
	qlog(l, fdt_scan_boot(fdt, &bi, count_warning, &warnings));
	qlog(l, warnings);
	qlog(l, bi.nmem);
	qlog(l, bi.nresv);
	qlog(l, bi.ncpus);
	for (node = 0; node < bi.ncpus; node++)
		qlog(l, bi.cpu[node].node);
}

static void check_index(const void *fdt, size_t size)
{
	static struct qlog walked, indexed;
	/* A node takes at least 8 bytes of the structure block. */
	int max = (int)(size / 8) + 1, nr;
	struct fdt_index_node *buf = malloc(sizeof(*buf) * (size_t)max);

	EXPECT(buf);
	record(&walked, fdt);
	EXPECT(fdt_index_build(fdt, buf, max) == 0);
	for (nr = 0; fdt_next_node(fdt, nr ? buf[nr - 1].off : -1, NULL) >= 0;
	     nr++)
		;
	record(&indexed, fdt);
	EXPECT(walked.n == indexed.n &&
	       !memcmp(walked.v, indexed.v, sizeof(walked.v[0]) * walked.n));
	/* One node short: no index, and lookups walk again. */
	EXPECT(fdt_index_build(fdt, buf, nr - 1) == -ENOSPC);
	record(&indexed, fdt);
	EXPECT(walked.n == indexed.n &&
	       !memcmp(walked.v, indexed.v, sizeof(walked.v[0]) * walked.n));
	fdt_index_drop();
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fdt_check(data, size, NULL))
		return 0;
	EXPECT(fdt_totalsize(data) <= size);
	walk_tree(data);
	walk_aliases(data);
	walk_scan(data);
	/* Odd queries: empty, relative to nothing, embedded NUL. */
	EXPECT(fdt_path_offset(data, "", 0) == -EINVAL);
	fdt_path_offset(data, "/\0/x", 4);
	fdt_path_offset(data, "nosuchalias/x", 13);
	EXPECT(fdt_node_by_phandle(data, 0) == -EINVAL);
	check_index(data, size);
	return 0;
}
