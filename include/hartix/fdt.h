/* SPDX-License-Identifier: BSD-2-Clause */
/* Flattened device tree (DTB) reader: validation, navigation, properties. */
#ifndef HARTIX_FDT_H
#define HARTIX_FDT_H

#include <hartix/types.h>

#define FDT_MAGIC	0xd00dfeedU
#define FDT_BEGIN_NODE	0x1U
#define FDT_END_NODE	0x2U
#define FDT_PROP	0x3U
#define FDT_NOP		0x4U
#define FDT_END		0x9U

/* Deepest node nesting fdt_check() accepts; the root node is at depth 1. */
#define FDT_MAX_DEPTH	32
/* #address-cells / #size-cells beyond this cannot describe a 64-bit value. */
#define FDT_MAX_CELLS	2

/* The header as stored: every field big-endian, read it with fdt32_ld(). */
struct fdt_header {
	u32 magic;
	u32 totalsize;
	u32 off_dt_struct;
	u32 off_dt_strings;
	u32 off_mem_rsvmap;
	u32 version;
	u32 last_comp_version;
	u32 boot_cpuid_phys;
	u32 size_dt_strings;
	u32 size_dt_struct;	/* version 17 and later only */
};

/* Byte-wise, because nothing in a blob from a boot loader is aligned. */
static inline u32 fdt32_ld(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline u64 fdt64_ld(const void *p)
{
	return (u64)fdt32_ld(p) << 32 | fdt32_ld((const u8 *)p + 4);
}

/*
 * Validate the whole blob in a buffer of @bufsize bytes. Returns 0, or
 * -EINVAL with *@why (if @why is not NULL) pointing at a static description
 * of the first problem found. Every other function here assumes the blob
 * passed fdt_check(); they stay memory-safe within the blocks the header
 * describes but do not re-validate the header.
 */
int fdt_check(const void *blob, size_t bufsize, const char **why);

/* For a blob of unknown size: look at the first 8 bytes only. */
bool fdt_magic_ok(const void *blob);
size_t fdt_totalsize(const void *blob);
u32 fdt_boot_cpuid(const void *fdt);

/*
 * Nodes are named by the byte offset of their FDT_BEGIN_NODE token in the
 * structure block, properties by that of their FDT_PROP token. Negative
 * values are errors: -ENOENT nothing there, -EINVAL malformed.
 */
int fdt_root(const void *fdt);

/*
 * Pre-order walk; @node -1 starts before the root. If @depth is not NULL it
 * is incremented on entering a node and decremented on leaving one; once it
 * would drop below zero the walk stops with -ENOENT, so starting at a node
 * with *depth == 0 visits exactly its descendants.
 */
int fdt_next_node(const void *fdt, int node, int *depth);
/*
 * The same walk over enabled nodes only: a node with status other than
 * "okay" is skipped with everything under it, as nothing there is probed.
 */
int fdt_next_enabled_node(const void *fdt, int node, int *depth);
int fdt_first_child(const void *fdt, int node);
int fdt_next_sibling(const void *fdt, int node);
int fdt_parent(const void *fdt, int node);
/* "cpu@0"; "" for the root; NULL if @node is not a node. */
const char *fdt_node_name(const void *fdt, int node);

/*
 * The child named @name: an exact match of "name@unit" wins, otherwise a
 * @name without '@' matches the first child whose name before '@' equals it.
 */
int fdt_subnode(const void *fdt, int parent, const char *name);

/*
 * Look up the first @len bytes of @path: "/cpus/cpu@1", or an alias from
 * /aliases optionally followed by "/rest" ("serial0", "soc/uart@1").
 */
int fdt_path_offset(const void *fdt, const char *path, size_t len);
/* Full path of @node into @buf; 0, -ENOSPC if it does not fit, -ENOENT. */
int fdt_get_path(const void *fdt, int node, char *buf, size_t bufsize);

/*
 * Pointer to the value of property @name of @node (NULL if absent), its
 * length in *@lenp; values are big-endian and unaligned.
 */
const void *fdt_getprop(const void *fdt, int node, const char *name,
			int *lenp);
int fdt_first_prop(const void *fdt, int node);
int fdt_next_prop(const void *fdt, int prop);
const void *fdt_prop_by_offset(const void *fdt, int prop, const char **name,
			       int *lenp);

/* True only for a value of exactly one cell. */
bool fdt_getprop_u32(const void *fdt, int node, const char *name, u32 *out);
/* One or two cells: 0, -ENOENT if absent, -EINVAL for any other length. */
int fdt_getprop_u64(const void *fdt, int node, const char *name, u64 *out);
/* NULL unless the value is exactly one NUL-terminated string. */
const char *fdt_getprop_string(const void *fdt, int node, const char *name);

/* String lists ("a\0b\0"); an unterminated tail is not a member. */
bool fdt_stringlist_contains(const char *list, int len, const char *str);
const char *fdt_stringlist_get(const char *list, int len, int index);

bool fdt_node_is_compatible(const void *fdt, int node, const char *compat);
/* Next node after @start (-1: from the beginning) with @compat. */
int fdt_node_by_compatible(const void *fdt, int start, const char *compat);
/* "status" absent, "okay" or "ok". */
bool fdt_node_is_enabled(const void *fdt, int node);
/* 0 if the node has no valid phandle. */
u32 fdt_get_phandle(const void *fdt, int node);
int fdt_node_by_phandle(const void *fdt, u32 phandle);

/*
 * The node's own #address-cells (default 2) and #size-cells (default 1),
 * which describe its children's reg; -EINVAL above FDT_MAX_CELLS.
 */
int fdt_address_cells(const void *fdt, int node);
int fdt_size_cells(const void *fdt, int node);

/*
 * Entry @index of @node's reg, decoded with its parent's cells (fdt_reg) or
 * with given ones (fdt_reg_cells, for callers that already know the parent).
 * -ENOENT past the last entry or without reg, -EINVAL for bad cell counts or
 * a reg whose length is not a multiple of the entry size.
 */
int fdt_reg(const void *fdt, int node, int index, u64 *addr, u64 *size);
/* The same for a caller that knows the parent (finding it walks the tree). */
int fdt_reg_under(const void *fdt, int parent, int node, int index, u64 *addr,
		  u64 *size);
int fdt_reg_cells(const void *fdt, int node, int address_cells,
		  int size_cells, int index, u64 *addr, u64 *size);

/*
 * An index of a checked blob's nodes, made in one walk, that the lookups
 * above use instead of walking the structure block (node navigation,
 * phandles, compatibles, status): the boot looks the tree up many times,
 * and each walk decodes every token before the node it wants. The results
 * are the same with or without it (the host FDT fuzzer compares them).
 */
struct fdt_index_node {
	int off;	/* FDT_BEGIN_NODE token */
	int props;	/* the token after the name: first property, if any */
	int parent;	/* entry of the parent; -1 for the root */
	int skip;	/* first entry after the node's descendants */
	int compat;	/* structure-block offset of compatible's value, or -1 */
	int compat_len;
	u32 phandle;	/* as fdt_get_phandle() reads it; 0 if none */
	u8 depth;	/* the root is at depth 1 */
	bool enabled;	/* fdt_node_is_enabled() */
};

/*
 * Index the blob (which must have passed fdt_check()) into @buf and use the
 * index for every later lookup in this blob. -ENOSPC when it has more than
 * @max nodes, -EINVAL when it is malformed: lookups then keep walking.
 * Called once while only one hart runs; the index is read-only afterwards.
 */
int fdt_index_build(const void *fdt, struct fdt_index_node *buf, int max);
/* Back to walking (for the host tests, which compare both). */
void fdt_index_drop(void);

/* The memory reservation block ("/memreserve/"). */
int fdt_num_mem_rsv(const void *fdt);
int fdt_get_mem_rsv(const void *fdt, int index, u64 *addr, u64 *size);

/*
 * The console named by /chosen stdout-path (or linux,stdout-path): node
 * offset, with *@options (if not NULL) set to what follows ':' or to NULL.
 */
int fdt_stdout_node(const void *fdt, const char **options);

#endif
