/* SPDX-License-Identifier: BSD-2-Clause */
/* Flattened device tree reader: validation, tree walking, property access. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/string.h>

#define FDT_HDR_OFF(field)	__builtin_offsetof(struct fdt_header, field)
#define FDT_V16_HDR_SIZE	FDT_HDR_OFF(size_dt_struct)
#define FDT_V17_HDR_SIZE	sizeof(struct fdt_header)
#define FDT_TAG_SIZE		4U
/* FDT_PROP token, value length, name offset. */
#define FDT_PROP_HDR_SIZE	12U
#define FDT_RSV_ENTRY_SIZE	16U
/* Marks a token that cannot be decoded; no real token is 0. */
#define FDT_BAD			0U

#define FDT_HDR(fdt, field) fdt32_ld((const u8 *)(fdt) + FDT_HDR_OFF(field))

/* The two blocks the walkers use, as the header places them. */
struct fdt_view {
	const u8 *st;
	u32 st_size;
	const char *str;
	u32 str_size;
};

bool fdt_magic_ok(const void *blob)
{
	return FDT_HDR(blob, magic) == FDT_MAGIC;
}

size_t fdt_totalsize(const void *blob)
{
	return FDT_HDR(blob, totalsize);
}

u32 fdt_boot_cpuid(const void *fdt)
{
	return FDT_HDR(fdt, boot_cpuid_phys);
}

/*
 * Version 16 headers lack size_dt_struct: the block then runs up to the next
 * block or the end of the blob, and its FDT_END token marks the real end.
 */
static u32 struct_size(const void *fdt)
{
	u32 start = FDT_HDR(fdt, off_dt_struct);
	u32 end = FDT_HDR(fdt, totalsize);
	u32 strings = FDT_HDR(fdt, off_dt_strings);
	u32 rsvmap = FDT_HDR(fdt, off_mem_rsvmap);

	if (FDT_HDR(fdt, version) >= 17)
		return FDT_HDR(fdt, size_dt_struct);
	if (strings > start && strings < end)
		end = strings;
	if (rsvmap > start && rsvmap < end)
		end = rsvmap;
	return start <= end ? end - start : 0;
}

static struct fdt_view fdt_view(const void *fdt)
{
	const u8 *base = fdt;
	struct fdt_view v = {
		.st = base + FDT_HDR(fdt, off_dt_struct),
		.st_size = struct_size(fdt),
		.str = (const char *)base + FDT_HDR(fdt, off_dt_strings),
		.str_size = FDT_HDR(fdt, size_dt_strings),
	};

	return v;
}

/* The kernel uses the index with CONFIG_FDT_INDEX; the host tests always. */
#if defined(CONFIG_FDT_INDEX) || defined(HARTIX_HOST_TEST)
#define FDT_INDEX 1
#else
#define FDT_INDEX 0
#endif

/*
 * The index in use (fdt_index_build()): set while only the boot hart runs,
 * read-only afterwards, so lookups read it without a lock.
 */
static struct {
	const void *fdt;
	struct fdt_view v;
	const struct fdt_index_node *n;
	int nr;
} idx;

/* The index entry of the node at @off, or -1: not indexed, or no node. */
static int idx_find(const void *fdt, int off)
{
	int lo = 0, hi = idx.nr;

	if (!FDT_INDEX || !hi || idx.fdt != fdt)
		return -1;
	/* Entries are in tree order, which is offset order. */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (idx.n[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < idx.nr && idx.n[lo].off == off ? lo : -1;
}

static bool indexed(const void *fdt)
{
	return FDT_INDEX && idx.nr && idx.fdt == fdt;
}

static u32 bad_tag(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return FDT_BAD;
}

/*
 * Decode the token at @off and find where the next one starts. Anything that
 * would reach outside the structure block decodes as FDT_BAD, with the
 * reason in *@why for fdt_check(), so walkers stop instead of trusting it.
 * *@next is always beyond @off, which is what makes every walk terminate.
 */
static u32 next_tag(const struct fdt_view *v, int off, int *next,
		    const char **why)
{
	const u8 *p;
	size_t room, end, len;
	u32 tag;

	if (off < 0 || off % FDT_TAG_SIZE ||
	    (size_t)off + FDT_TAG_SIZE > v->st_size)
		return bad_tag(why, "structure block ends without FDT_END");
	p = v->st + off;
	room = v->st_size - (size_t)off - FDT_TAG_SIZE;
	tag = fdt32_ld(p);
	switch (tag) {
	case FDT_BEGIN_NODE:
		len = strnlen((const char *)p + FDT_TAG_SIZE, room);
		if (len == room)
			return bad_tag(why,
				       "node name not terminated in structure block");
		end = (size_t)off + FDT_TAG_SIZE + len + 1;
		break;
	case FDT_PROP:
		if (room < FDT_PROP_HDR_SIZE - FDT_TAG_SIZE)
			return bad_tag(why,
				       "property header past end of structure block");
		len = fdt32_ld(p + 4);
		if (len > room - (FDT_PROP_HDR_SIZE - FDT_TAG_SIZE))
			return bad_tag(why,
				       "property value past end of structure block");
		end = (size_t)off + FDT_PROP_HDR_SIZE + len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		end = (size_t)off + FDT_TAG_SIZE;
		break;
	default:
		return bad_tag(why, "unknown token in structure block");
	}
	/* st_size < 2^32 and fdt_check() caps it at INT_MAX. */
	end = ALIGN_UP(end, FDT_TAG_SIZE);
	if (end > (size_t)__INT_MAX__)
		return bad_tag(why, "structure block too large");
	*next = (int)end;
	return tag;
}

static const char *prop_name(const struct fdt_view *v, u32 nameoff,
			     const char **why)
{
	const char *name = v->str + nameoff;

	if (nameoff >= v->str_size) {
		bad_tag(why, "property name offset outside strings block");
		return NULL;
	}
	if (strnlen(name, v->str_size - nameoff) == v->str_size - nameoff) {
		bad_tag(why, "property name not terminated in strings block");
		return NULL;
	}
	return name;
}

static int check_fail(const char **why, const char *msg)
{
	*why = msg;
	return -EINVAL;
}

static int check_struct(const struct fdt_view *v, const char **why)
{
	int off = 0, next = 0, depth = 0, roots = 0;

	for (;; off = next) {
		switch (next_tag(v, off, &next, why)) {
		case FDT_BEGIN_NODE:
			if (depth == 0 && roots++)
				return check_fail(why,
						  "more than one root node");
			if (++depth > FDT_MAX_DEPTH)
				return check_fail(why, "nesting deeper than "
						  __stringify(FDT_MAX_DEPTH));
			break;
		case FDT_END_NODE:
			if (depth-- == 0)
				return check_fail(why,
						  "END_NODE without matching BEGIN_NODE");
			break;
		case FDT_PROP:
			if (depth == 0)
				return check_fail(why,
						  "property outside any node");
			if (!prop_name(v, fdt32_ld(v->st + off + 8), why))
				return -EINVAL;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth)
				return check_fail(why,
						  "FDT_END inside an open node");
			if (!roots)
				return check_fail(why, "no root node");
			return 0;
		default:
			return -EINVAL;
		}
	}
}

struct fdt_block {
	u64 start, end;
};

static bool blocks_overlap(const struct fdt_block *a, const struct fdt_block *b)
{
	return a->start < a->end && b->start < b->end &&
	       a->start < b->end && b->start < a->end;
}

/* Where the blocks are: inside the blob, aligned, apart from each other. */
static int check_blocks(const void *blob, u32 hdr_size, const char **why)
{
	u32 total = FDT_HDR(blob, totalsize);
	struct fdt_block blk[4];
	unsigned int i, j;
	u64 e;

	blk[0] = (struct fdt_block){ 0, hdr_size };

	blk[1].start = FDT_HDR(blob, off_mem_rsvmap);
	if (blk[1].start % 8)
		return check_fail(why, "memory reservation block misaligned");
	for (e = blk[1].start;; e += FDT_RSV_ENTRY_SIZE) {
		if (e + FDT_RSV_ENTRY_SIZE > total)
			return check_fail(why,
					  "memory reservation block not terminated");
		if (!fdt64_ld((const u8 *)blob + e) &&
		    !fdt64_ld((const u8 *)blob + e + 8))
			break;
	}
	blk[1].end = e + FDT_RSV_ENTRY_SIZE;

	blk[2].start = FDT_HDR(blob, off_dt_struct);
	if (blk[2].start % FDT_TAG_SIZE)
		return check_fail(why, "structure block misaligned");
	blk[2].end = blk[2].start + struct_size(blob);
	if (blk[2].end > total)
		return check_fail(why, "structure block outside blob");

	blk[3].start = FDT_HDR(blob, off_dt_strings);
	blk[3].end = blk[3].start + FDT_HDR(blob, size_dt_strings);
	if (blk[3].end > total)
		return check_fail(why, "strings block outside blob");

	for (i = 0; i < ARRAY_SIZE(blk); i++)
		for (j = i + 1; j < ARRAY_SIZE(blk); j++)
			if (blocks_overlap(&blk[i], &blk[j]))
				return check_fail(why, i ? "blocks overlap" :
						  "block overlaps header");
	return 0;
}

int fdt_check(const void *blob, size_t bufsize, const char **why)
{
	const char *ignored;
	u32 version, total, hdr_size;
	struct fdt_view v;
	int ret;

	if (!why)
		why = &ignored;
	if (bufsize < FDT_V17_HDR_SIZE)
		return check_fail(why, "buffer smaller than header");
	if (!fdt_magic_ok(blob))
		return check_fail(why, "bad magic");
	version = FDT_HDR(blob, version);
	if (version < 16)
		return check_fail(why, "version older than 16");
	if (FDT_HDR(blob, last_comp_version) > 17)
		return check_fail(why, "last_comp_version newer than 17");
	hdr_size = version >= 17 ? FDT_V17_HDR_SIZE : FDT_V16_HDR_SIZE;
	total = FDT_HDR(blob, totalsize);
	if (total < hdr_size)
		return check_fail(why, "totalsize smaller than header");
	if (total > bufsize)
		return check_fail(why, "totalsize exceeds buffer");
	/* Offsets into the blob are ints. */
	if (total > (u32)__INT_MAX__)
		return check_fail(why, "totalsize too large");
	ret = check_blocks(blob, hdr_size, why);
	if (ret)
		return ret;
	v = fdt_view(blob);
	return check_struct(&v, why);
}

int fdt_root(const void *fdt)
{
	struct fdt_view v;
	int off, next = 0;

	if (indexed(fdt))
		return idx.n[0].off;
	v = fdt_view(fdt);
	for (off = 0;; off = next) {
		u32 tag = next_tag(&v, off, &next, NULL);

		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag != FDT_NOP)
			return -EINVAL;
	}
}

/*
 * fdt_next_node() from the index: the END_NODE tokens between entry @i (-1:
 * before the root) and the next are the levels the walk climbs, each of
 * which fdt_next_node() counts down in *depth one at a time.
 */
static int idx_next_node(int i, int *depth)
{
	int from = i < 0 ? 0 : idx.n[i].depth;
	int to = i + 1 < idx.nr ? idx.n[i + 1].depth : 0;
	int leaves = i + 1 < idx.nr ? from + 1 - to : from;

	if (depth) {
		if (leaves > 0 && *depth - leaves < 0) {
			*depth = *depth >= 0 ? -1 : *depth - 1;
			return -ENOENT;
		}
		*depth -= leaves;
	}
	if (i + 1 == idx.nr)
		return -ENOENT;
	if (depth)
		++*depth;
	return idx.n[i + 1].off;
}

int fdt_next_node(const void *fdt, int node, int *depth)
{
	struct fdt_view v;
	int off = 0, next = 0, i;

	if (node < -1)
		return -EINVAL;
	if (indexed(fdt) && (node == -1 || (i = idx_find(fdt, node)) >= 0))
		return idx_next_node(node == -1 ? -1 : i, depth);
	v = fdt_view(fdt);
	if (node >= 0 && next_tag(&v, node, &off, NULL) != FDT_BEGIN_NODE)
		return -EINVAL;
	for (;; off = next) {
		switch (next_tag(&v, off, &next, NULL)) {
		case FDT_BEGIN_NODE:
			if (depth)
				++*depth;
			return off;
		case FDT_END_NODE:
			if (depth && --*depth < 0)
				return -ENOENT;
			break;
		case FDT_PROP:
		case FDT_NOP:
			break;
		case FDT_END:
			return -ENOENT;
		default:
			return -EINVAL;
		}
	}
}

int fdt_next_enabled_node(const void *fdt, int node, int *depth)
{
	node = fdt_next_node(fdt, node, depth);
	while (node >= 0 && !fdt_node_is_enabled(fdt, node)) {
		int top = *depth;

		do
			node = fdt_next_node(fdt, node, depth);
		while (node >= 0 && *depth > top);
	}
	return node;
}

int fdt_first_child(const void *fdt, int node)
{
	int depth = 0;

	if (node < 0)
		return -EINVAL;
	/* Any node before the walk climbs back out is a child. */
	return fdt_next_node(fdt, node, &depth);
}

int fdt_next_sibling(const void *fdt, int node)
{
	int depth = 1, i = idx_find(fdt, node), j;

	if (i >= 0) {
		j = idx.n[i].skip;
		return j < idx.nr && idx.n[j].parent == idx.n[i].parent ?
			       idx.n[j].off : -ENOENT;
	}
	if (node < 0)
		return -EINVAL;
	/* Skip @node's descendants (depth > 1); leaving the parent ends it. */
	do {
		node = fdt_next_node(fdt, node, &depth);
	} while (node >= 0 && depth > 1);
	return node;
}

/*
 * Fill @stack with the offsets from the root down to @node and return how
 * many there are; the format has no parent links, so this walks from the top.
 */
static int node_ancestry(const void *fdt, int node, int *stack)
{
	int depth = 0, n;

	for (n = fdt_next_node(fdt, -1, &depth); n >= 0;
	     n = fdt_next_node(fdt, n, &depth)) {
		if (depth > FDT_MAX_DEPTH)
			return -EINVAL;
		stack[depth - 1] = n;
		if (n == node)
			return depth;
	}
	return n;
}

int fdt_parent(const void *fdt, int node)
{
	int stack[FDT_MAX_DEPTH];
	int i = idx_find(fdt, node), depth;

	if (i >= 0)
		return i ? idx.n[idx.n[i].parent].off : -ENOENT;
	depth = node_ancestry(fdt, node, stack);
	if (depth < 0)
		return depth;
	return depth > 1 ? stack[depth - 2] : -ENOENT;
}

const char *fdt_node_name(const void *fdt, int node)
{
	struct fdt_view v;
	int next;

	if (idx_find(fdt, node) >= 0)
		return (const char *)idx.v.st + node + FDT_TAG_SIZE;
	v = fdt_view(fdt);
	if (next_tag(&v, node, &next, NULL) != FDT_BEGIN_NODE)
		return NULL;
	return (const char *)v.st + node + FDT_TAG_SIZE;
}

int fdt_get_path(const void *fdt, int node, char *buf, size_t bufsize)
{
	int stack[FDT_MAX_DEPTH];
	int depth = node_ancestry(fdt, node, stack);
	size_t pos = 0;
	int i;

	if (depth < 0)
		return depth;
	if (bufsize < 2)
		return -ENOSPC;
	buf[pos++] = '/';
	for (i = 1; i < depth; i++) {
		const char *name = fdt_node_name(fdt, stack[i]);
		size_t len = strlen(name);

		/* Room for the name, a '/' or the final NUL. */
		if (len + 1 > bufsize - pos)
			return -ENOSPC;
		memcpy(buf + pos, name, len);
		pos += len;
		if (i + 1 < depth)
			buf[pos++] = '/';
	}
	buf[pos] = '\0';
	return 0;
}

static int subnode_namelen(const void *fdt, int parent, const char *name,
			   size_t len)
{
	bool has_unit = memchr(name, '@', len) != NULL;
	int child, by_base = -ENOENT;

	for (child = fdt_first_child(fdt, parent); child >= 0;
	     child = fdt_next_sibling(fdt, child)) {
		const char *cn = fdt_node_name(fdt, child);

		/* Length first so that cn[len] is inside the name. */
		if (strlen(cn) < len || memcmp(cn, name, len))
			continue;
		if (cn[len] == '\0')
			return child;
		if (cn[len] == '@' && !has_unit && by_base < 0)
			by_base = child;
	}
	return child == -ENOENT ? by_base : child;
}

int fdt_subnode(const void *fdt, int parent, const char *name)
{
	return subnode_namelen(fdt, parent, name, strlen(name));
}

/* The property at or after @off, skipping NOPs; none past the node's own. */
static int prop_from(const struct fdt_view *v, int off)
{
	int next = 0;

	for (;; off = next) {
		switch (next_tag(v, off, &next, NULL)) {
		case FDT_PROP:
			return off;
		case FDT_NOP:
			break;
		case FDT_BEGIN_NODE:
		case FDT_END_NODE:
		case FDT_END:
			return -ENOENT;
		default:
			return -EINVAL;
		}
	}
}

/*
 * fdt_first_prop()/fdt_next_prop() and fdt_prop_by_offset() in one loop
 * over one view: every lookup in the tree comes through here, and redoing
 * the view and the tag decoding per property was most of the boot's
 * device-tree cost. A property whose name is unreadable matches nothing.
 */
/*
 * Whether the property at @p is named @name (@namelen bytes): compared in
 * place, bounded by the strings block, without measuring the stored name.
 */
static bool prop_named(const struct fdt_view *v, const u8 *p, const char *name,
		       size_t namelen)
{
	u32 nameoff = fdt32_ld(p + 8);
	const char *pn = v->str + nameoff;

	return nameoff < v->str_size && namelen < v->str_size - nameoff &&
	       !memcmp(pn, name, namelen) && !pn[namelen];
}

static const void *getprop_namelen(const void *fdt, int node, const char *name,
				   size_t namelen, int *lenp)
{
	struct fdt_view v;
	int off, next, ret = -EINVAL, i = idx_find(fdt, node);

	if (i >= 0) {
		v = idx.v;
		next = idx.n[i].props;
	} else {
		v = fdt_view(fdt);
		if (next_tag(&v, node, &next, NULL) != FDT_BEGIN_NODE)
			goto out;
	}
	/* One next_tag() per token: the node's properties, then its end. */
	for (off = next;; off = next) {
		const u8 *p = v.st + off;

		switch (next_tag(&v, off, &next, NULL)) {
		case FDT_PROP:
			if (prop_named(&v, p, name, namelen)) {
				if (lenp)
					*lenp = (int)fdt32_ld(p + 4);
				return p + FDT_PROP_HDR_SIZE;
			}
			break;
		case FDT_NOP:
			break;
		case FDT_BEGIN_NODE:
		case FDT_END_NODE:
		case FDT_END:
			ret = -ENOENT;
			goto out;
		default:
			goto out;
		}
	}
out:
	if (lenp)
		*lenp = ret;
	return NULL;
}

static const char *string_value(const char *val, int len)
{
	if (!val || len <= 0 || strnlen(val, (size_t)len) != (size_t)len - 1)
		return NULL;
	return val;
}

/* A status value that lets the node be used. */
static bool status_okay(const char *status, int len)
{
	status = string_value(status, len);
	return status && (!strcmp(status, "okay") || !strcmp(status, "ok"));
}

static int alias_node(const void *fdt, const char *name, size_t len)
{
	int aliases = fdt_subnode(fdt, fdt_root(fdt), "aliases");
	const char *target;
	int vlen;

	if (aliases < 0)
		return aliases;
	target = getprop_namelen(fdt, aliases, name, len, &vlen);
	target = string_value(target, vlen);
	if (!target)
		return -ENOENT;
	/* Aliases must be absolute, which also rules out alias loops. */
	if (target[0] != '/')
		return -EINVAL;
	return fdt_path_offset(fdt, target, strlen(target));
}

int fdt_path_offset(const void *fdt, const char *path, size_t len)
{
	const char *end = path + len, *p = path, *q;
	int node;

	if (!len)
		return -EINVAL;
	if (*p == '/') {
		node = fdt_root(fdt);
	} else {
		q = memchr(p, '/', len);
		if (!q)
			q = end;
		node = alias_node(fdt, p, (size_t)(q - p));
		p = q;
	}
	while (node >= 0 && p < end) {
		if (*p == '/') {
			p++;
			continue;
		}
		q = memchr(p, '/', (size_t)(end - p));
		if (!q)
			q = end;
		node = subnode_namelen(fdt, node, p, (size_t)(q - p));
		p = q;
	}
	return node;
}

int fdt_first_prop(const void *fdt, int node)
{
	struct fdt_view v = fdt_view(fdt);
	int next;

	if (next_tag(&v, node, &next, NULL) != FDT_BEGIN_NODE)
		return -EINVAL;
	return prop_from(&v, next);
}

int fdt_next_prop(const void *fdt, int prop)
{
	struct fdt_view v = fdt_view(fdt);
	int next;

	if (next_tag(&v, prop, &next, NULL) != FDT_PROP)
		return -EINVAL;
	return prop_from(&v, next);
}

const void *fdt_prop_by_offset(const void *fdt, int prop, const char **name,
			       int *lenp)
{
	struct fdt_view v = fdt_view(fdt);
	const char *pn;
	const u8 *p;
	int next;

	if (next_tag(&v, prop, &next, NULL) != FDT_PROP)
		goto bad;
	p = v.st + prop;
	pn = prop_name(&v, fdt32_ld(p + 8), NULL);
	if (!pn)
		goto bad;
	if (name)
		*name = pn;
	if (lenp)
		*lenp = (int)fdt32_ld(p + 4);
	return p + FDT_PROP_HDR_SIZE;
bad:
	if (lenp)
		*lenp = -EINVAL;
	return NULL;
}

const void *fdt_getprop(const void *fdt, int node, const char *name,
			int *lenp)
{
	return getprop_namelen(fdt, node, name, strlen(name), lenp);
}

bool fdt_getprop_u32(const void *fdt, int node, const char *name, u32 *out)
{
	int len;
	const void *val = fdt_getprop(fdt, node, name, &len);

	if (!val || len != 4)
		return false;
	*out = fdt32_ld(val);
	return true;
}

int fdt_getprop_u64(const void *fdt, int node, const char *name, u64 *out)
{
	int len;
	const void *val = fdt_getprop(fdt, node, name, &len);

	if (!val)
		return -ENOENT;
	if (len == 4)
		*out = fdt32_ld(val);
	else if (len == 8)
		*out = fdt64_ld(val);
	else
		return -EINVAL;
	return 0;
}

const char *fdt_getprop_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *val = fdt_getprop(fdt, node, name, &len);

	return string_value(val, len);
}

/* The string at *@list, then step past it; NULL at the end or an open tail. */
static const char *next_string(const char **list, const char *end)
{
	const char *s = *list;
	const char *nul = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;

	if (!nul)
		return NULL;
	*list = nul + 1;
	return s;
}

const char *fdt_stringlist_get(const char *list, int len, int index)
{
	const char *end = len > 0 ? list + len : list;
	const char *s;

	while ((s = next_string(&list, end)))
		if (index-- == 0)
			return s;
	return NULL;
}

bool fdt_stringlist_contains(const char *list, int len, const char *str)
{
	const char *end = len > 0 ? list + len : list;
	const char *s;

	while ((s = next_string(&list, end)))
		if (!strcmp(s, str))
			return true;
	return false;
}

static bool idx_compatible(int i, const char *compat)
{
	const struct fdt_index_node *n = &idx.n[i];

	return n->compat >= 0 &&
	       fdt_stringlist_contains((const char *)idx.v.st + n->compat,
				       n->compat_len, compat);
}

bool fdt_node_is_compatible(const void *fdt, int node, const char *compat)
{
	int len, i = idx_find(fdt, node);
	const char *list;

	if (i >= 0)
		return idx_compatible(i, compat);
	list = fdt_getprop(fdt, node, "compatible", &len);
	return list && fdt_stringlist_contains(list, len, compat);
}

int fdt_node_by_compatible(const void *fdt, int start, const char *compat)
{
	int node, i = start == -1 && indexed(fdt) ? -1 : idx_find(fdt, start);

	if (start == -1 ? indexed(fdt) : i >= 0) {
		while (++i < idx.nr)
			if (idx_compatible(i, compat))
				return idx.n[i].off;
		return -ENOENT;
	}
	for (node = fdt_next_node(fdt, start, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL))
		if (fdt_node_is_compatible(fdt, node, compat))
			return node;
	return node;
}

bool fdt_node_is_enabled(const void *fdt, int node)
{
	int len, i = idx_find(fdt, node);
	const char *status;

	if (i >= 0)
		return idx.n[i].enabled;
	status = fdt_getprop(fdt, node, "status", &len);
	return !status || status_okay(status, len);
}

/* The node's phandle as fdt_get_phandle() reads it, from its two candidates. */
static u32 phandle_of(bool have_ph, u32 ph, bool have_linux, u32 linux_ph)
{
	u32 v = have_ph ? ph : have_linux ? linux_ph : 0;

	return v == 0xffffffffU ? 0 : v;
}

u32 fdt_get_phandle(const void *fdt, int node)
{
	u32 ph = 0, linux_ph = 0;
	int i = idx_find(fdt, node);
	bool have_ph, have_linux;

	if (i >= 0)
		return idx.n[i].phandle;
	have_ph = fdt_getprop_u32(fdt, node, "phandle", &ph);
	have_linux = !have_ph &&
		     fdt_getprop_u32(fdt, node, "linux,phandle", &linux_ph);
	/* 0 and ~0 are reserved: "none" and "to be assigned". */
	return phandle_of(have_ph, ph, have_linux, linux_ph);
}

/*
 * What a lookup by phandle, compatible or status needs of a node, gathered
 * as its property tokens go by. As with fdt_getprop(), the first property
 * of a name is the one that counts.
 */
struct node_props {
	unsigned int seen;	/* NP_* of the names met so far */
	bool have_ph, have_linux;
	u32 ph, linux_ph;
	int compat, compat_len;
	bool enabled;
};

#define NP_PH		1U
#define NP_LINUX	2U
#define NP_COMPAT	4U
#define NP_STATUS	8U

static void node_props_start(struct node_props *np)
{
	*np = (struct node_props){ .compat = -1, .enabled = true };
}

/* Whether property @name (@namelen) is met for the first time at @p. */
static bool first_named(struct node_props *np, unsigned int bit,
			const struct fdt_view *v, const u8 *p,
			const char *name, size_t namelen)
{
	if ((np->seen & bit) || !prop_named(v, p, name, namelen))
		return false;
	np->seen |= bit;
	return true;
}

/* @off is a property token of the node, in order. */
static void node_props_add(struct node_props *np, const struct fdt_view *v,
			   int off)
{
	const u8 *p = v->st + off;
	const u8 *val = p + FDT_PROP_HDR_SIZE;
	int len = (int)fdt32_ld(p + 4);

	if (first_named(np, NP_PH, v, p, "phandle", 7)) {
		np->have_ph = len == 4;
		np->ph = np->have_ph ? fdt32_ld(val) : 0;
	} else if (first_named(np, NP_LINUX, v, p, "linux,phandle", 13)) {
		np->have_linux = len == 4;
		np->linux_ph = np->have_linux ? fdt32_ld(val) : 0;
	} else if (first_named(np, NP_COMPAT, v, p, "compatible", 10)) {
		np->compat = off + (int)FDT_PROP_HDR_SIZE;
		np->compat_len = len;
	} else if (first_named(np, NP_STATUS, v, p, "status", 6)) {
		np->enabled = status_okay((const char *)val, len);
	}
}

static u32 node_props_phandle(const struct node_props *np)
{
	return phandle_of(np->have_ph, np->ph, np->have_linux, np->linux_ph);
}

/*
 * One pass over the structure block's tokens, instead of two property
 * lookups per node: a node's properties come before its subnodes, so its
 * phandle is known at the next node token. Same result as trying
 * fdt_get_phandle() on each node in order.
 */
int fdt_node_by_phandle(const void *fdt, u32 phandle)
{
	struct fdt_view v;
	struct node_props np;
	int off, next, node = -1;
	u32 tag;

	if (phandle == 0 || phandle == 0xffffffffU)
		return -EINVAL;
	if (indexed(fdt)) {
		for (off = 0; off < idx.nr; off++)
			if (idx.n[off].phandle == phandle)
				return idx.n[off].off;
		return -ENOENT;
	}
	v = fdt_view(fdt);
	for (off = 0;; off = next) {
		tag = next_tag(&v, off, &next, NULL);
		if (tag == FDT_PROP && node >= 0) {
			node_props_add(&np, &v, off);
			continue;
		}
		if (tag == FDT_NOP || tag == FDT_PROP)
			continue;
		if (node >= 0 && node_props_phandle(&np) == phandle)
			return node;
		node = -1; /* past the node's properties */
		switch (tag) {
		case FDT_BEGIN_NODE:
			node = off;
			node_props_start(&np);
			break;
		case FDT_END_NODE:
			break;
		case FDT_END:
			return -ENOENT;
		default:
			return -EINVAL;
		}
	}
}

void fdt_index_drop(void)
{
	idx.nr = 0;
	idx.fdt = NULL;
}

/* Entry @i's properties are over: keep what the lookups need. */
static void idx_finish(struct fdt_index_node *n, const struct node_props *np)
{
	n->phandle = node_props_phandle(np);
	n->compat = np->compat;
	n->compat_len = np->compat_len;
	n->enabled = np->enabled;
}

int fdt_index_build(const void *fdt, struct fdt_index_node *buf, int max)
{
	struct fdt_view v = fdt_view(fdt);
	int open[FDT_MAX_DEPTH];
	struct node_props np;
	int depth = 0, nr = 0, cur = -1, off, next;

	fdt_index_drop();
	/* cur: the node whose properties are being read, -1 past them. */
	for (off = 0;; off = next) {
		u32 tag = next_tag(&v, off, &next, NULL);

		if (tag == FDT_PROP) {
			if (cur >= 0)
				node_props_add(&np, &v, off);
			continue;
		}
		if (tag == FDT_NOP)
			continue;
		if (cur >= 0)
			idx_finish(&buf[cur], &np);
		cur = -1;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth == FDT_MAX_DEPTH || (!depth && nr))
				return -EINVAL;
			if (nr == max)
				return -ENOSPC;
			buf[nr] = (struct fdt_index_node){
				.off = off, .props = next,
				.parent = depth ? open[depth - 1] : -1,
				.depth = (u8)(depth + 1),
			};
			node_props_start(&np);
			cur = open[depth++] = nr++;
			break;
		case FDT_END_NODE:
			if (!depth)
				return -EINVAL;
			buf[open[--depth]].skip = nr;
			break;
		case FDT_END:
			if (depth || !nr)
				return -EINVAL;
			idx = (typeof(idx)){ .fdt = fdt, .v = v, .n = buf,
					     .nr = nr };
			return 0;
		default:
			return -EINVAL;
		}
	}
}

static int cells(const void *fdt, int node, const char *name, int dflt)
{
	int len;
	const void *val = fdt_getprop(fdt, node, name, &len);
	u32 n;

	if (!val)
		return dflt;
	if (len != 4)
		return -EINVAL;
	n = fdt32_ld(val);
	return n <= FDT_MAX_CELLS ? (int)n : -EINVAL;
}

int fdt_address_cells(const void *fdt, int node)
{
	return cells(fdt, node, "#address-cells", 2);
}

int fdt_size_cells(const void *fdt, int node)
{
	return cells(fdt, node, "#size-cells", 1);
}

static u64 read_cells(const u8 *p, int n)
{
	return n == 2 ? fdt64_ld(p) : n == 1 ? fdt32_ld(p) : 0;
}

int fdt_reg_cells(const void *fdt, int node, int address_cells,
		  int size_cells, int index, u64 *addr, u64 *size)
{
	const u8 *reg;
	int len, entry;

	/* A reg entry without an address describes nothing. */
	if (address_cells < 1 || address_cells > FDT_MAX_CELLS ||
	    size_cells < 0 || size_cells > FDT_MAX_CELLS)
		return -EINVAL;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return len == -ENOENT ? -ENOENT : -EINVAL;
	entry = (address_cells + size_cells) * 4;
	if (len % entry)
		return -EINVAL;
	if (index < 0 || index >= len / entry)
		return -ENOENT;
	reg += index * entry;
	if (addr)
		*addr = read_cells(reg, address_cells);
	if (size)
		*size = read_cells(reg + address_cells * 4, size_cells);
	return 0;
}

int fdt_reg(const void *fdt, int node, int index, u64 *addr, u64 *size)
{
	return fdt_reg_under(fdt, fdt_parent(fdt, node), node, index, addr,
			     size);
}

int fdt_reg_under(const void *fdt, int parent, int node, int index, u64 *addr,
		  u64 *size)
{
	int ac, sc;

	if (parent < 0)
		return parent;
	ac = fdt_address_cells(fdt, parent);
	if (ac < 0)
		return ac;
	sc = fdt_size_cells(fdt, parent);
	if (sc < 0)
		return sc;
	return fdt_reg_cells(fdt, node, ac, sc, index, addr, size);
}

/* Entry @index, or NULL if it would lie outside the blob. */
static const u8 *rsv_entry(const void *fdt, int index)
{
	u64 off = FDT_HDR(fdt, off_mem_rsvmap) +
		  (u64)index * FDT_RSV_ENTRY_SIZE;

	if (index < 0 || off + FDT_RSV_ENTRY_SIZE > FDT_HDR(fdt, totalsize))
		return NULL;
	return (const u8 *)fdt + off;
}

int fdt_num_mem_rsv(const void *fdt)
{
	const u8 *e;
	int i;

	for (i = 0; (e = rsv_entry(fdt, i)); i++)
		if (!fdt64_ld(e) && !fdt64_ld(e + 8))
			return i;
	return -EINVAL;
}

int fdt_get_mem_rsv(const void *fdt, int index, u64 *addr, u64 *size)
{
	int n = fdt_num_mem_rsv(fdt);
	const u8 *e;

	if (n < 0)
		return n;
	if (index < 0 || index >= n)
		return -ENOENT;
	e = rsv_entry(fdt, index);
	*addr = fdt64_ld(e);
	*size = fdt64_ld(e + 8);
	return 0;
}

int fdt_stdout_node(const void *fdt, const char **options)
{
	int chosen = fdt_subnode(fdt, fdt_root(fdt), "chosen");
	const char *path, *colon;

	if (options)
		*options = NULL;
	if (chosen < 0)
		return chosen;
	path = fdt_getprop_string(fdt, chosen, "stdout-path");
	if (!path)
		path = fdt_getprop_string(fdt, chosen, "linux,stdout-path");
	if (!path)
		return -ENOENT;
	colon = strchr(path, ':');
	if (options && colon)
		*options = colon + 1;
	return fdt_path_offset(fdt, path,
			       colon ? (size_t)(colon - path) : strlen(path));
}
