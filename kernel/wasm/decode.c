/* SPDX-License-Identifier: BSD-2-Clause */
/* WebAssembly binary decoder and validator: checks a whole module and pre-decodes its code for the interpreter. */
#include <hartix/string.h>
#include <hartix/wasm.h>

/* Loader state: the bytes being read, and where the result goes. */
struct ld {
	const u8 *p, *end, *base;
	const struct wasm_alloc *al;
	struct wasm_error *err;
	struct wasm_module *m;
	unsigned flags;
};

static bool fail(struct ld *l, const char *msg)
{
	if (!l->err->msg[0]) {
		size_t n = strlen(msg);

		if (n >= sizeof(l->err->msg))
			n = sizeof(l->err->msg) - 1;
		memcpy(l->err->msg, msg, n);
		l->err->msg[n] = 0;
		l->err->offset = (u32)(l->p - l->base);
	}
	return false;
}

#define TRY(x) do { if (!(x)) return false; } while (0)

static void *zalloc(struct ld *l, size_t n)
{
	void *p = l->al->zalloc(n ? n : 1);

	if (!p)
		fail(l, "out of memory");
	return p;
}

/* Allocates count elements of size, refusing counts the rest of the input cannot hold. */
static void *zalloc_arr(struct ld *l, u64 count, size_t size)
{
	if (count > (u64)(64u << 20) / (size ? size : 1) + 1) {
		fail(l, "too many elements");
		return NULL;
	}
	return zalloc(l, (size_t)count * size);
}

/* Doubles a growable array so it holds at least need elements. */
static bool grow(struct ld *l, void **arr, u32 *cap, u32 need, size_t size)
{
	u32 ncap;
	void *n;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	n = zalloc_arr(l, ncap, size);
	TRY(n);
	if (*arr) {
		memcpy(n, *arr, (size_t)*cap * size);
		l->al->free(*arr);
	}
	*arr = n;
	*cap = ncap;
	return true;
}

static bool rd_byte(struct ld *l, u8 *b)
{
	if (l->p >= l->end)
		return fail(l, "unexpected end");
	*b = *l->p++;
	return true;
}

static bool rd_bytes(struct ld *l, u32 n, const u8 **out)
{
	if ((size_t)(l->end - l->p) < n)
		return fail(l, "unexpected end");
	*out = l->p;
	l->p += n;
	return true;
}

/* Unsigned LEB128 of at most 32 bits: 5 bytes, unused high bits zero. */
static bool rd_u32(struct ld *l, u32 *out)
{
	u64 r = 0;
	u8 b;

	/* Most are one byte: no continuation, nothing to check. */
	if (l->p < l->end && *l->p < 0x80) {
		*out = *l->p++;
		return true;
	}
	for (int i = 0;; i++) {
		TRY(rd_byte(l, &b));
		if (i == 4 && (b & 0x80))
			return fail(l, "integer representation too long");
		if (i == 4 && (b & 0x70))
			return fail(l, "integer too large");
		r |= (u64)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			break;
	}
	*out = (u32)r;
	return true;
}

/* Signed LEB128 of 'bits' bits: the last byte's unused bits copy the sign. */
static bool rd_sleb(struct ld *l, unsigned bits, s64 *out)
{
	unsigned maxbytes = (bits + 6) / 7, shift = 0;
	u64 r = 0;
	u8 b;

	/* One byte, sign bit 6, of a value of more than 7 bits: always valid. */
	if (bits > 7 && l->p < l->end && *l->p < 0x80) {
		*out = (s64)((u64)*l->p++ << 57) >> 57;
		return true;
	}
	for (unsigned i = 0;; i++) {
		TRY(rd_byte(l, &b));
		if (i == maxbytes - 1) {
			unsigned used = bits - 7 * i;

			if (b & 0x80)
				return fail(l, "integer representation too long");
			if (used < 7) {
				u8 mask = (u8)(((0x7fu >> (used - 1)) << (used - 1)) & 0x7f);

				if ((b & mask) != 0 && (b & mask) != mask)
					return fail(l, "integer too large");
			}
		}
		r |= (u64)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	if (shift < 64 && (b & 0x40))
		r |= ~0ull << shift;
	*out = (s64)r;
	return true;
}

static bool utf8_valid(const u8 *s, u32 n)
{
	u32 i = 0;

	while (i < n) {
		u8 c = s[i];
		u32 len, cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (u32 k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			return false;
		i += len;
	}
	return true;
}

static bool rd_name(struct ld *l, char **out, u32 *len)
{
	const u8 *s;
	u32 n;

	TRY(rd_u32(l, &n));
	if (n > WASM_MAX_NAME)
		return fail(l, "name too long");
	TRY(rd_bytes(l, n, &s));
	if (!utf8_valid(s, n))
		return fail(l, "malformed UTF-8 encoding");
	if (out) {
		*len = n;
		*out = zalloc(l, n + 1);
		TRY(*out);
		memcpy(*out, s, n);
	}
	return true;
}

static bool is_ref(u8 t)
{
	return t == WASM_FUNCREF || t == WASM_EXTERNREF;
}

static bool is_num(u8 t)
{
	return t >= WASM_F64 && t <= WASM_I32;
}

static bool rd_valtype(struct ld *l, u8 *t)
{
	TRY(rd_byte(l, t));
	if (*t == WASM_V128)
		return fail(l, "SIMD (v128) is not supported");
	if (!is_num(*t) && !is_ref(*t))
		return fail(l, "malformed value type");
	return true;
}

static bool rd_reftype(struct ld *l, u8 *t)
{
	TRY(rd_byte(l, t));
	if (!is_ref(*t))
		return fail(l, "malformed reference type");
	return true;
}

static bool rd_limits(struct ld *l, struct wasm_limits *lim, u32 bound, const char *what)
{
	u8 flag;

	TRY(rd_byte(l, &flag));
	if (flag > 1)
		return fail(l, "integer too large");
	TRY(rd_u32(l, &lim->min));
	lim->has_max = flag;
	lim->max = 0xffffffffu;
	if (flag)
		TRY(rd_u32(l, &lim->max));
	if (lim->min > bound || (flag && lim->max > bound))
		return fail(l, what);
	if (flag && lim->min > lim->max)
		return fail(l, "size minimum must not be greater than maximum");
	return true;
}

static bool rd_memtype(struct ld *l, struct wasm_limits *lim)
{
	return rd_limits(l, lim, WASM_MAX_PAGES,
			 "memory size must be at most 65536 pages (4GiB)");
}

static bool rd_tabletype(struct ld *l, struct wasm_tabletype *t)
{
	TRY(rd_reftype(l, &t->elem));
	return rd_limits(l, &t->lim, 0xffffffffu, "table size");
}

static bool rd_globaltype(struct ld *l, struct wasm_globaltype *g)
{
	u8 mut;

	TRY(rd_valtype(l, &g->type));
	TRY(rd_byte(l, &mut));
	if (mut > 1)
		return fail(l, "malformed mutability");
	g->mut = mut;
	return true;
}

static bool rd_count(struct ld *l, u32 *n, u32 limit)
{
	TRY(rd_u32(l, n));
	if (*n > limit)
		return fail(l, "too many entries");
	/* Every entry takes at least one byte. */
	if (*n > l->end - l->p)
		return fail(l, "unexpected end");
	return true;
}

static u8 global_type(const struct wasm_module *m, u32 i)
{
	return m->globals[i].gt.type;
}

/*
 * A constant expression of type want (0: any reference, checked by the
 * caller). global.get may name only globals below nglob (imports, for global
 * initializers) that are immutable.
 */
static bool rd_const(struct ld *l, struct wasm_const *c, u8 want, u32 nglob)
{
	struct wasm_module *m = l->m;
	u8 op, end;
	s64 v;
	u32 x;
	const u8 *b;

	TRY(rd_byte(l, &op));
	c->kind = op;
	switch (op) {
	case 0x41:
		TRY(rd_sleb(l, 32, &v));
		c->type = WASM_I32;
		c->val = (u32)v;
		break;
	case 0x42:
		TRY(rd_sleb(l, 64, &v));
		c->type = WASM_I64;
		c->val = (u64)v;
		break;
	case 0x43:
		TRY(rd_bytes(l, 4, &b));
		c->type = WASM_F32;
		c->val = b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
		break;
	case 0x44:
		TRY(rd_bytes(l, 8, &b));
		c->type = WASM_F64;
		c->val = 0;
		for (int i = 7; i >= 0; i--)
			c->val = c->val << 8 | b[i];
		break;
	case 0xd0:
		TRY(rd_reftype(l, &c->type));
		break;
	case 0xd2:
		TRY(rd_u32(l, &x));
		if (x >= m->nfuncs)
			return fail(l, "unknown function");
		m->declared_refs[x] = 1;
		c->type = WASM_FUNCREF;
		c->val = x;
		break;
	case 0x23:
		TRY(rd_u32(l, &x));
		if (x >= nglob)
			return fail(l, "unknown global");
		if (m->globals[x].gt.mut)
			return fail(l, "constant expression required");
		c->type = global_type(m, x);
		c->val = x;
		break;
	case 0x0b:
		return fail(l, "type mismatch");
	default:
		return fail(l, "constant expression required");
	}
	TRY(rd_byte(l, &end));
	if (end != 0x0b)
		return fail(l, is_num(end) || end == 0x41 || end == 0x42 || end == 0x43 ||
			    end == 0x44 || end == 0xd0 || end == 0xd2 || end == 0x23 ?
			    "type mismatch" : "constant expression required");
	if (want && c->type != want)
		return fail(l, "type mismatch");
	return true;
}

/* ---- Function bodies ---- */

enum { K_BLOCK, K_LOOP, K_IF, K_ELSE, K_FUNC };

struct ctl {
	u8 kind;
	bool unreachable;
	u32 height;		/* operand stack height below the block's params */
	u32 nparams, nresults;
	const u8 *params, *results;
	u32 start_pc;		/* loop: the branch target */
	u32 if_insn;		/* if: the instruction to point at else/end */
	u32 patch_base;		/* first pending forward branch of this block */
};

/* One function's validation state. */
struct fv {
	struct ld *l;
	const struct wasm_functype *ft;
	u32 nlocals;
	u8 *locals;		/* all local types, params first */
	u8 *vals;		/* operand types; 0 = unknown */
	u32 nvals, capvals;
	struct ctl *ctls;
	u32 nctls, capctls;
	u32 *patches;		/* pairs: an instruction whose .a becomes the end of block (depth) */
	u32 npatches, cappatches;
	struct wasm_insn *insns;
	u32 ninsns, capinsns;
	u32 max_height;
	u32 height;		/* the operand stack's before the instruction being read */
};

static const u8 single_types[] = {
	0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79,
	0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f,
};

static inline bool push(struct fv *f, u8 t)
{
	if (f->nvals >= f->capvals)
		TRY(grow(f->l, (void **)&f->vals, &f->capvals, f->nvals + 1, 1));
	f->vals[f->nvals++] = t;
	if (f->nvals > f->max_height)
		f->max_height = f->nvals;
	return true;
}

static inline bool pop(struct fv *f, u8 *t)
{
	struct ctl *c = &f->ctls[f->nctls - 1];

	if (f->nvals == c->height) {
		/* Set on failure too: inlined, GCC cannot tell it is not read then. */
		*t = 0;
		return c->unreachable || fail(f->l, "type mismatch");
	}
	*t = f->vals[--f->nvals];
	return true;
}

static inline bool pop_expect(struct fv *f, u8 want)
{
	u8 t;

	TRY(pop(f, &t));
	if (t && want && t != want)
		return fail(f->l, "type mismatch");
	return true;
}

static bool pop_types(struct fv *f, const u8 *ts, u32 n)
{
	while (n--)
		TRY(pop_expect(f, ts[n]));
	return true;
}

static bool push_types(struct fv *f, const u8 *ts, u32 n)
{
	for (u32 i = 0; i < n; i++)
		TRY(push(f, ts[i]));
	return true;
}

/*
 * Checks the stack's top against ts and leaves it as it was, except that
 * values a polymorphic (unreachable) stack lacked become unknown ones.
 */
static bool peek_types(struct fv *f, const u8 *ts, u32 n)
{
	u32 save = f->nvals, real, unk;

	TRY(pop_types(f, ts, n));
	if (!n)
		return true;
	real = save - f->nvals;
	unk = n - real;
	TRY(grow(f->l, (void **)&f->vals, &f->capvals, f->nvals + n, 1));
	memmove(&f->vals[f->nvals + unk], &f->vals[f->nvals], real);
	memset(&f->vals[f->nvals], 0, unk);
	f->nvals += n;
	if (f->nvals > f->max_height)
		f->max_height = f->nvals;
	return true;
}

static inline struct wasm_insn *emit(struct fv *f, u16 op)
{
	struct wasm_insn *in;

	if (f->ninsns >= f->capinsns &&
	    !grow(f->l, (void **)&f->insns, &f->capinsns, f->ninsns + 1, sizeof(*in)))
		return NULL;
	/* The array is reused from body to body: what was there is stale. */
	in = &f->insns[f->ninsns++];
	*in = (struct wasm_insn){ .op = op, .h = f->height };
	return in;
}

static bool set_unreachable(struct fv *f)
{
	struct ctl *c = &f->ctls[f->nctls - 1];

	f->nvals = c->height;
	c->unreachable = true;
	return true;
}

static bool push_ctl(struct fv *f, u8 kind, const u8 *params, u32 np, const u8 *results, u32 nr)
{
	struct ctl *c;

	if (f->nctls >= WASM_MAX_NESTING)
		return fail(f->l, "nesting too deep");
	TRY(grow(f->l, (void **)&f->ctls, &f->capctls, f->nctls + 1, sizeof(*c)));
	c = &f->ctls[f->nctls++];
	c->kind = kind;
	c->unreachable = false;
	c->height = f->nvals;
	c->params = params;
	c->nparams = np;
	c->results = results;
	c->nresults = nr;
	c->start_pc = f->ninsns;
	c->if_insn = 0;
	c->patch_base = f->npatches;
	return push_types(f, params, np);
}

/* Pops the block's results, which must be all that is left above it. */
static bool check_end(struct fv *f, struct ctl *c)
{
	TRY(pop_types(f, c->results, c->nresults));
	if (f->nvals != c->height)
		return fail(f->l, "type mismatch");
	return true;
}

static bool rd_blocktype(struct fv *f, const u8 **params, u32 *np, const u8 **results, u32 *nr)
{
	struct ld *l = f->l;
	s64 x;

	if (l->p < l->end && *l->p == 0x40) {
		l->p++;
		*np = *nr = 0;
		*params = *results = NULL;
		return true;
	}
	if (l->p < l->end && (*l->p & 0xc0) == 0x40) {
		u8 t;

		TRY(rd_valtype(l, &t));
		*np = 0;
		*params = NULL;
		*nr = 1;
		*results = &single_types[t - 0x6f];
		return true;
	}
	TRY(rd_sleb(l, 33, &x));
	if (x < 0 || x >= l->m->ntypes)
		return fail(l, "unknown type");
	*np = l->m->types[x].nparams;
	*nr = l->m->types[x].nresults;
	*params = l->m->types[x].types;
	*results = *params + *np;
	return true;
}

/* The types a branch to label depth carries. */
static struct ctl *label(struct fv *f, u32 depth, const u8 **ts, u32 *n)
{
	struct ctl *c;

	if (depth >= f->nctls) {
		fail(f->l, "unknown label");
		return NULL;
	}
	c = &f->ctls[f->nctls - 1 - depth];
	if (c->kind == K_LOOP) {
		*ts = c->params;
		*n = c->nparams;
	} else {
		*ts = c->results;
		*n = c->nresults;
	}
	return c;
}

/* Remembers that insn must jump to the end of the block at ctls[target]. */
static bool add_patch(struct fv *f, u32 insn, u32 target)
{
	TRY(grow(f->l, (void **)&f->patches, &f->cappatches, f->npatches + 2, 4));
	f->patches[f->npatches++] = insn;
	f->patches[f->npatches++] = target;
	return true;
}

/* Fills a branch instruction for label depth: a loop's target is known, a block's is patched at its end. */
static bool branch_to(struct fv *f, struct wasm_insn *in, u32 depth)
{
	const u8 *ts;
	u32 n;
	struct ctl *c = label(f, depth, &ts, &n);

	TRY(c);
	in->arity = (u16)n;
	in->b = c->height;
	if (c->kind == K_LOOP) {
		in->a = c->start_pc;
		return true;
	}
	return add_patch(f, (u32)(in - f->insns), f->nctls - 1 - depth);
}

static bool need_mem(struct fv *f)
{
	if (!f->l->m->nmems)
		return fail(f->l, "unknown memory 0");
	return true;
}

static bool need_table(struct fv *f, u32 t)
{
	if (t >= f->l->m->ntables)
		return fail(f->l, "unknown table");
	return true;
}

static bool rd_memarg(struct fv *f, struct wasm_insn *in, u32 natural)
{
	u32 align;

	TRY(rd_u32(f->l, &align));
	TRY(rd_u32(f->l, &in->a));
	TRY(need_mem(f));
	if (align >= 32 || (1u << align) > natural)
		return fail(f->l, "alignment must not be larger than natural");
	return true;
}

static bool zero_byte(struct fv *f)
{
	u8 b;

	TRY(rd_byte(f->l, &b));
	if (b)
		return fail(f->l, "zero byte expected");
	return true;
}

/*
 * Operand and result types of the plain numeric operators, 0x45..0xc4 and
 * 0xfc00..7, looked up directly (a search of ranges was a tenth of decoding).
 */
struct numeric_sig { u8 a, b, r; };

static bool numeric_sig(u16 op, u8 *in1, u8 *in2, u8 *out)
{
	static const struct numeric_sig tab[0xc5] = {
		[0x45] = { WASM_I32, 0, WASM_I32 },
		[0x46 ... 0x4f] = { WASM_I32, WASM_I32, WASM_I32 },
		[0x50] = { WASM_I64, 0, WASM_I32 },
		[0x51 ... 0x5a] = { WASM_I64, WASM_I64, WASM_I32 },
		[0x5b ... 0x60] = { WASM_F32, WASM_F32, WASM_I32 },
		[0x61 ... 0x66] = { WASM_F64, WASM_F64, WASM_I32 },
		[0x67 ... 0x69] = { WASM_I32, 0, WASM_I32 },
		[0x6a ... 0x78] = { WASM_I32, WASM_I32, WASM_I32 },
		[0x79 ... 0x7b] = { WASM_I64, 0, WASM_I64 },
		[0x7c ... 0x8a] = { WASM_I64, WASM_I64, WASM_I64 },
		[0x8b ... 0x91] = { WASM_F32, 0, WASM_F32 },
		[0x92 ... 0x98] = { WASM_F32, WASM_F32, WASM_F32 },
		[0x99 ... 0x9f] = { WASM_F64, 0, WASM_F64 },
		[0xa0 ... 0xa6] = { WASM_F64, WASM_F64, WASM_F64 },
		[0xa7] = { WASM_I64, 0, WASM_I32 },
		[0xa8 ... 0xa9] = { WASM_F32, 0, WASM_I32 },
		[0xaa ... 0xab] = { WASM_F64, 0, WASM_I32 },
		[0xac ... 0xad] = { WASM_I32, 0, WASM_I64 },
		[0xae ... 0xaf] = { WASM_F32, 0, WASM_I64 },
		[0xb0 ... 0xb1] = { WASM_F64, 0, WASM_I64 },
		[0xb2 ... 0xb3] = { WASM_I32, 0, WASM_F32 },
		[0xb4 ... 0xb5] = { WASM_I64, 0, WASM_F32 },
		[0xb6] = { WASM_F64, 0, WASM_F32 },
		[0xb7 ... 0xb8] = { WASM_I32, 0, WASM_F64 },
		[0xb9 ... 0xba] = { WASM_I64, 0, WASM_F64 },
		[0xbb] = { WASM_F32, 0, WASM_F64 },
		[0xbc] = { WASM_F32, 0, WASM_I32 },
		[0xbd] = { WASM_F64, 0, WASM_I64 },
		[0xbe] = { WASM_I32, 0, WASM_F32 },
		[0xbf] = { WASM_I64, 0, WASM_F64 },
		[0xc0 ... 0xc1] = { WASM_I32, 0, WASM_I32 },
		[0xc2 ... 0xc4] = { WASM_I64, 0, WASM_I64 },
	};
	static const struct numeric_sig fc[8] = {
		[0 ... 1] = { WASM_F32, 0, WASM_I32 },
		[2 ... 3] = { WASM_F64, 0, WASM_I32 },
		[4 ... 5] = { WASM_F32, 0, WASM_I64 },
		[6 ... 7] = { WASM_F64, 0, WASM_I64 },
	};
	const struct numeric_sig *e;

	if (op >= 0xfc00 && op <= 0xfc07)
		e = &fc[op - 0xfc00];
	else if (op < 0xc5 && tab[op].r)
		e = &tab[op];
	else
		return false;
	*in1 = e->a;
	*in2 = e->b;
	*out = e->r;
	return true;
}

/* Access sizes of loads 0x28..0x35 and stores 0x36..0x3e. */
static const u8 mem_size[] = {
	4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4,	/* loads */
	4, 8, 4, 8, 1, 2, 1, 2, 4,			/* stores */
};
static const u8 mem_type[] = {
	WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_I32, WASM_I32, WASM_I32, WASM_I32,
	WASM_I64, WASM_I64, WASM_I64, WASM_I64, WASM_I64, WASM_I64,
	WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_I32, WASM_I32, WASM_I64, WASM_I64, WASM_I64,
};

static bool local_type(struct fv *f, u32 x, u8 *t)
{
	if (x >= f->nlocals)
		return fail(f->l, "unknown local");
	*t = f->locals[x];
	return true;
}

static bool valid_elem(struct fv *f, u32 x)
{
	if (x >= f->l->m->nelems)
		return fail(f->l, "unknown elem segment");
	return true;
}

static bool valid_data(struct fv *f, u32 x)
{
	if (!f->l->m->has_datacount)
		return fail(f->l, "data count section required");
	if (x >= f->l->m->ndatas)
		return fail(f->l, "unknown data segment");
	return true;
}

/* The 0xfc-prefixed instructions. */
static bool insn_fc(struct fv *f)
{
	struct ld *l = f->l;
	struct wasm_module *m = l->m;
	struct wasm_insn *in;
	u8 a = 0, b = 0, r = 0;
	u32 sub, x, y;

	TRY(rd_u32(l, &sub));
	if (sub > 17)
		return fail(l, "illegal opcode");
	in = emit(f, (u16)(0xfc00 | sub));
	TRY(in);
	if (sub <= 7) {
		numeric_sig(in->op, &a, &b, &r);
		TRY(pop_expect(f, a));
		return push(f, r);
	}
	switch (sub) {
	case 8:		/* memory.init */
		TRY(rd_u32(l, &x));
		TRY(zero_byte(f));
		TRY(need_mem(f));
		TRY(valid_data(f, x));
		in->a = x;
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_expect(f, WASM_I32));
		return pop_expect(f, WASM_I32);
	case 9:		/* data.drop */
		TRY(rd_u32(l, &x));
		TRY(valid_data(f, x));
		in->a = x;
		return true;
	case 10:	/* memory.copy */
		TRY(zero_byte(f));
		TRY(zero_byte(f));
		TRY(need_mem(f));
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_expect(f, WASM_I32));
		return pop_expect(f, WASM_I32);
	case 11:	/* memory.fill */
		TRY(zero_byte(f));
		TRY(need_mem(f));
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_expect(f, WASM_I32));
		return pop_expect(f, WASM_I32);
	case 12:	/* table.init elem table */
		TRY(rd_u32(l, &x));
		TRY(rd_u32(l, &y));
		TRY(need_table(f, y));
		TRY(valid_elem(f, x));
		if (m->elems[x].type != m->tables[y].elem)
			return fail(l, "type mismatch");
		in->a = x;
		in->b = y;
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_expect(f, WASM_I32));
		return pop_expect(f, WASM_I32);
	case 13:	/* elem.drop */
		TRY(rd_u32(l, &x));
		TRY(valid_elem(f, x));
		in->a = x;
		return true;
	case 14:	/* table.copy dst src */
		TRY(rd_u32(l, &x));
		TRY(rd_u32(l, &y));
		TRY(need_table(f, x));
		TRY(need_table(f, y));
		if (m->tables[x].elem != m->tables[y].elem)
			return fail(l, "type mismatch");
		in->a = x;
		in->b = y;
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_expect(f, WASM_I32));
		return pop_expect(f, WASM_I32);
	case 15:	/* table.grow */
		TRY(rd_u32(l, &x));
		TRY(need_table(f, x));
		in->a = x;
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_expect(f, m->tables[x].elem));
		return push(f, WASM_I32);
	case 16:	/* table.size */
		TRY(rd_u32(l, &x));
		TRY(need_table(f, x));
		in->a = x;
		return push(f, WASM_I32);
	default:	/* 17: table.fill */
		TRY(rd_u32(l, &x));
		TRY(need_table(f, x));
		in->a = x;
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_expect(f, m->tables[x].elem));
		return pop_expect(f, WASM_I32);
	}
}

/* Control, calls, globals, tables, references: insn()'s less frequent half. */
static __attribute__((noinline)) bool insn_other(struct fv *f, u8 op)
{
	struct ld *l = f->l;
	struct wasm_module *m = l->m;
	struct wasm_insn *in;
	const u8 *ps, *rs, *ts;
	u32 np, nr, x, y, n;
	u8 t, t2;
	const u8 *bytes;

	switch (op) {
	case 0x00:
		TRY(emit(f, op));
		return set_unreachable(f);
	case 0x01:
		return true;
	case 0x02:
	case 0x03:
		TRY(rd_blocktype(f, &ps, &np, &rs, &nr));
		TRY(pop_types(f, ps, np));
		return push_ctl(f, op == 0x02 ? K_BLOCK : K_LOOP, ps, np, rs, nr);
	case 0x04:
		TRY(rd_blocktype(f, &ps, &np, &rs, &nr));
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_types(f, ps, np));
		TRY(emit(f, op));
		TRY(push_ctl(f, K_IF, ps, np, rs, nr));
		f->ctls[f->nctls - 1].if_insn = f->ninsns - 1;
		return true;
	case 0x05: {
		struct ctl *c = &f->ctls[f->nctls - 1];

		if (c->kind != K_IF)
			return fail(l, "else without if");
		TRY(check_end(f, c));
		/* The then-arm jumps over the else-arm to the end. */
		in = emit(f, 0x05);
		TRY(in);
		c = &f->ctls[f->nctls - 1];
		TRY(add_patch(f, f->ninsns - 1, f->nctls - 1));
		f->insns[c->if_insn].a = f->ninsns;
		c->kind = K_ELSE;
		c->unreachable = false;
		return push_types(f, c->params, c->nparams);
	}
	case 0x0b: {
		struct ctl c = f->ctls[f->nctls - 1];

		TRY(check_end(f, &c));
		if (c.kind == K_IF) {
			if (c.nparams != c.nresults || (c.nparams &&
			    memcmp(c.params, c.results, c.nparams)))
				return fail(l, "type mismatch");
			f->insns[c.if_insn].a = f->ninsns;
		}
		/* Branches out of the function land on its return. */
		{
			u32 keep = c.patch_base;

			for (u32 i = c.patch_base; i < f->npatches; i += 2) {
				if (f->patches[i + 1] == f->nctls - 1) {
					f->insns[f->patches[i]].a = f->ninsns;
				} else {
					f->patches[keep++] = f->patches[i];
					f->patches[keep++] = f->patches[i + 1];
				}
			}
			f->npatches = keep;
		}
		if (c.kind == K_FUNC) {
			in = emit(f, 0x0f);
			TRY(in);
			in->arity = (u16)c.nresults;
		}
		f->nctls--;
		if (!f->nctls)
			return true;
		return push_types(f, c.results, c.nresults);
	}
	case 0x0c:
		TRY(rd_u32(l, &x));
		in = emit(f, op);
		TRY(in);
		TRY(branch_to(f, in, x));
		TRY(label(f, x, &ts, &n));
		TRY(pop_types(f, ts, n));
		return set_unreachable(f);
	case 0x0d:
		TRY(rd_u32(l, &x));
		TRY(pop_expect(f, WASM_I32));
		in = emit(f, op);
		TRY(in);
		TRY(branch_to(f, in, x));
		TRY(label(f, x, &ts, &n));
		TRY(pop_types(f, ts, n));
		return push_types(f, ts, n);
	case 0x0e: {
		u32 count, first, arity = 0;

		TRY(rd_u32(l, &count));
		if (count > WASM_MAX_BR_TABLE)
			return fail(l, "br_table too large");
		in = emit(f, op);
		TRY(in);
		in->a = count;
		first = f->ninsns;
		for (u32 i = 0; i <= count; i++)
			TRY(emit(f, 0x0c));
		TRY(pop_expect(f, WASM_I32));
		for (u32 i = 0; i <= count; i++) {
			TRY(rd_u32(l, &x));
			TRY(branch_to(f, &f->insns[first + i], x));
			TRY(label(f, x, &ts, &n));
			if (i == 0)
				arity = n;
			else if (n != arity)
				return fail(l, "type mismatch");
			TRY(peek_types(f, ts, n));
		}
		TRY(label(f, x, &ts, &n));
		TRY(pop_types(f, ts, n));
		return set_unreachable(f);
	}
	case 0x0f:
		in = emit(f, op);
		TRY(in);
		in->arity = f->ft->nresults;
		TRY(pop_types(f, f->ft->types + f->ft->nparams, f->ft->nresults));
		return set_unreachable(f);
	case 0x10: {
		const struct wasm_functype *ft;

		TRY(rd_u32(l, &x));
		if (x >= m->nfuncs)
			return fail(l, "unknown function");
		in = emit(f, op);
		TRY(in);
		in->a = x;
		ft = &m->types[m->func_types[x]];
		TRY(pop_types(f, ft->types, ft->nparams));
		return push_types(f, ft->types + ft->nparams, ft->nresults);
	}
	case 0x11: {
		const struct wasm_functype *ft;

		TRY(rd_u32(l, &x));
		TRY(rd_u32(l, &y));
		if (y >= m->ntables)
			return fail(l, "unknown table");
		if (x >= m->ntypes)
			return fail(l, "unknown type");
		if (m->tables[y].elem != WASM_FUNCREF)
			return fail(l, "type mismatch");
		in = emit(f, op);
		TRY(in);
		in->a = x;
		in->b = y;
		ft = &m->types[x];
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_types(f, ft->types, ft->nparams));
		return push_types(f, ft->types + ft->nparams, ft->nresults);
	}
	case 0x1a:
		TRY(emit(f, op));
		return pop(f, &t);
	case 0x1b:
		TRY(emit(f, 0x1b));
		TRY(pop_expect(f, WASM_I32));
		TRY(pop(f, &t));
		TRY(pop(f, &t2));
		if ((t && !is_num(t)) || (t2 && !is_num(t2)))
			return fail(l, "type mismatch");
		if (t && t2 && t != t2)
			return fail(l, "type mismatch");
		return push(f, t ? t : t2);
	case 0x1c:
		TRY(rd_u32(l, &n));
		if (n != 1)
			return fail(l, "invalid result arity");
		TRY(rd_valtype(l, &t));
		TRY(emit(f, 0x1b));
		TRY(pop_expect(f, WASM_I32));
		TRY(pop_expect(f, t));
		TRY(pop_expect(f, t));
		return push(f, t);
	case 0x23:
	case 0x24:
		TRY(rd_u32(l, &x));
		if (x >= m->nglobals)
			return fail(l, "unknown global");
		in = emit(f, op);
		TRY(in);
		in->a = x;
		if (op == 0x23)
			return push(f, global_type(m, x));
		if (!m->globals[x].gt.mut)
			return fail(l, "global is immutable");
		return pop_expect(f, global_type(m, x));
	case 0x25:
	case 0x26:
		TRY(rd_u32(l, &x));
		TRY(need_table(f, x));
		in = emit(f, op);
		TRY(in);
		in->a = x;
		if (op == 0x25) {
			TRY(pop_expect(f, WASM_I32));
			return push(f, m->tables[x].elem);
		}
		TRY(pop_expect(f, m->tables[x].elem));
		return pop_expect(f, WASM_I32);
	case 0x3f:
	case 0x40:
		TRY(zero_byte(f));
		TRY(need_mem(f));
		TRY(emit(f, op));
		if (op == 0x40)
			TRY(pop_expect(f, WASM_I32));
		return push(f, WASM_I32);
	case 0x43:
	case 0x44:
		TRY(rd_bytes(l, op == 0x43 ? 4 : 8, &bytes));
		in = emit(f, op == 0x43 ? 0x41 : 0x42);
		TRY(in);
		in->b = 0;
		for (int i = op == 0x43 ? 3 : 7; i >= 0; i--)
			in->b = in->b << 8 | bytes[i];
		return push(f, op == 0x43 ? WASM_F32 : WASM_F64);
	case 0xd0:
		TRY(rd_reftype(l, &t));
		in = emit(f, 0x41);
		TRY(in);
		in->b = 0;
		return push(f, t);
	case 0xd1:
		TRY(emit(f, op));
		TRY(pop(f, &t));
		if (t && !is_ref(t))
			return fail(l, "type mismatch");
		return push(f, WASM_I32);
	case 0xd2:
		TRY(rd_u32(l, &x));
		if (x >= m->nfuncs)
			return fail(l, "unknown function");
		if (!m->declared_refs[x])
			return fail(l, "undeclared function reference");
		in = emit(f, op);
		TRY(in);
		in->a = x;
		return push(f, WASM_FUNCREF);
	case 0xfc:
		return insn_fc(f);
	}
	return fail(l, "illegal opcode");
}

/*
 * One instruction: locals, integer constants, memory accesses and numeric
 * operators (most of any body) here, in a function small enough to cost
 * little to enter; the rest in insn_other().
 */
static inline bool insn(struct fv *f, u8 op)
{
	struct ld *l = f->l;
	struct wasm_insn *in;
	u32 x;
	u8 t = 0, a = 0, b = 0;	/* set before use; GCC cannot tell once inlined */
	s64 v;

	switch (op) {
	case 0x20:
	case 0x21:
	case 0x22:
		TRY(rd_u32(l, &x));
		TRY(local_type(f, x, &t));
		in = emit(f, op);
		TRY(in);
		in->a = x;
		if (op == 0x20)
			return push(f, t);
		TRY(pop_expect(f, t));
		return op == 0x22 ? push(f, t) : true;
	case 0x41:
	case 0x42:
		/* i32.const keeps its value zero-extended in b, i64.const whole. */
		TRY(rd_sleb(l, op == 0x41 ? 32 : 64, &v));
		in = emit(f, op);
		TRY(in);
		in->b = op == 0x41 ? (u32)v : (u64)v;
		return push(f, op == 0x41 ? WASM_I32 : WASM_I64);
	}
	if (op >= 0x28 && op <= 0x3e) {
		u32 k = op - 0x28;

		in = emit(f, op);
		TRY(in);
		TRY(rd_memarg(f, in, mem_size[k]));
		if (op <= 0x35) {
			TRY(pop_expect(f, WASM_I32));
			return push(f, mem_type[k]);
		}
		TRY(pop_expect(f, mem_type[k]));
		return pop_expect(f, WASM_I32);
	}
	if (numeric_sig(op, &a, &b, &t)) {
		TRY(emit(f, op));
		if (b)
			TRY(pop_expect(f, b));
		TRY(pop_expect(f, a));
		return push(f, t);
	}
	return insn_other(f, op);
}

static void free_fv(struct fv *f)
{
	const struct wasm_alloc *al = f->l->al;

	al->free(f->vals);
	al->free(f->ctls);
	al->free(f->patches);
	al->free(f->insns);
}

/*
 * Validates one body in f, whose arrays (all but the locals) serve every
 * body of the module: allocating and zeroing them anew for each function
 * was a fifth of what decoding cost.
 */
static bool rd_body(struct fv *f, struct wasm_code *code)
{
	struct ld *l = f->l;
	struct wasm_module *m = l->m;
	const struct wasm_functype *ft = &m->types[code->type];
	const u8 *save = l->p;
	u64 total = ft->nparams;
	u32 ngroups, n;
	u8 t, op;
	bool ok = false;

	f->nvals = f->nctls = f->npatches = f->ninsns = f->max_height = 0;
	/* Count the locals first, then fill their types. */
	TRY(rd_u32(l, &ngroups));
	for (u32 i = 0; i < ngroups; i++) {
		TRY(rd_u32(l, &n));
		TRY(rd_valtype(l, &t));
		total += n;
		if (total > WASM_MAX_LOCALS)
			return fail(l, "too many locals");
	}
	f->nlocals = (u32)total;
	f->locals = zalloc(l, total);
	TRY(f->locals);
	memcpy(f->locals, ft->types, ft->nparams);
	l->p = save;
	rd_u32(l, &ngroups);
	total = ft->nparams;
	for (u32 i = 0; i < ngroups; i++) {
		rd_u32(l, &n);
		rd_valtype(l, &t);
		memset(f->locals + total, t, n);
		total += n;
	}
	f->ft = ft;
	code->nlocals = f->nlocals;
	if (!push_ctl(f, K_FUNC, NULL, 0, ft->types + ft->nparams, ft->nresults))
		goto out;
	while (f->nctls) {
		f->height = f->nvals;
		if (!rd_byte(l, &op) || !insn(f, op))
			goto out;
	}
	code->max_height = f->max_height;
	ok = true;
	if (l->flags & WASM_VALIDATE_ONLY)
		goto out;
	code->insns = zalloc_arr(l, f->ninsns, sizeof(*f->insns));
	if (!code->insns) {
		ok = false;
		goto out;
	}
	memcpy(code->insns, f->insns, (size_t)f->ninsns * sizeof(*f->insns));
	code->ninsns = f->ninsns;
	code->local_types = f->locals;
	f->locals = NULL;
out:
	l->al->free(f->locals);
	f->locals = NULL;
	return ok;
}

/* ---- Sections ---- */

static bool sec_types(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n, np, nr;
	u8 form;

	TRY(rd_count(l, &n, WASM_MAX_TYPES));
	m->types = zalloc_arr(l, n, sizeof(*m->types));
	TRY(m->types);
	m->ntypes = n;
	for (u32 i = 0; i < n; i++) {
		struct wasm_functype *ft = &m->types[i];
		const u8 *save;

		TRY(rd_byte(l, &form));
		if (form != 0x60)
			return fail(l, "integer representation too long");
		save = l->p;
		TRY(rd_count(l, &np, WASM_MAX_PARAMS));
		for (u32 k = 0; k < np; k++)
			TRY(rd_valtype(l, &form));
		TRY(rd_count(l, &nr, WASM_MAX_PARAMS));
		ft->types = zalloc(l, np + nr);
		TRY(ft->types);
		ft->nparams = (u16)np;
		ft->nresults = (u16)nr;
		l->p = save;
		rd_u32(l, &np);
		for (u32 k = 0; k < np; k++)
			rd_byte(l, &ft->types[k]);
		rd_u32(l, &nr);
		for (u32 k = 0; k < nr; k++)
			TRY(rd_valtype(l, &ft->types[np + k]));
	}
	return true;
}

static bool sec_imports(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n;

	TRY(rd_count(l, &n, WASM_MAX_IMPORTS));
	m->imports = zalloc_arr(l, n, sizeof(*m->imports));
	TRY(m->imports);
	m->nimports = n;
	/* Sized for the worst case; the defining sections append after these. */
	m->func_types = zalloc_arr(l, n, 4);
	m->tables = zalloc_arr(l, n, sizeof(*m->tables));
	m->mems = zalloc_arr(l, n, sizeof(*m->mems));
	m->globals = zalloc_arr(l, n, sizeof(*m->globals));
	TRY(m->func_types && m->tables && m->mems && m->globals);
	for (u32 i = 0; i < n; i++) {
		struct wasm_import *im = &m->imports[i];

		TRY(rd_name(l, &im->module, &im->module_len));
		TRY(rd_name(l, &im->name, &im->name_len));
		TRY(rd_byte(l, &im->kind));
		switch (im->kind) {
		case WASM_EXT_FUNC:
			TRY(rd_u32(l, &im->index));
			if (im->index >= m->ntypes)
				return fail(l, "unknown type");
			m->func_types[m->nfuncs++] = im->index;
			break;
		case WASM_EXT_TABLE:
			TRY(rd_tabletype(l, &m->tables[m->ntables]));
			im->index = m->ntables++;
			break;
		case WASM_EXT_MEM:
			TRY(rd_memtype(l, &m->mems[m->nmems]));
			im->index = m->nmems++;
			break;
		case WASM_EXT_GLOBAL:
			TRY(rd_globaltype(l, &m->globals[m->nglobals].gt));
			im->index = m->nglobals++;
			break;
		default:
			return fail(l, "malformed import kind");
		}
	}
	m->nfunc_imports = m->nfuncs;
	m->ntable_imports = m->ntables;
	m->nmem_imports = m->nmems;
	m->nglobal_imports = m->nglobals;
	return true;
}

/* Grows an index space array, imports kept, by n entries. */
static bool extend(struct ld *l, void **arr, u32 have, u32 n, size_t size, u32 limit)
{
	void *a;

	if ((u64)have + n > limit)
		return fail(l, "too many entries");
	a = zalloc_arr(l, (u64)have + n, size);
	TRY(a);
	if (*arr) {
		memcpy(a, *arr, (size_t)have * size);
		l->al->free(*arr);
	}
	*arr = a;
	return true;
}

static bool sec_funcs(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n;

	TRY(rd_count(l, &n, WASM_MAX_FUNCS));
	TRY(extend(l, (void **)&m->func_types, m->nfuncs, n, 4, WASM_MAX_FUNCS));
	for (u32 i = 0; i < n; i++) {
		TRY(rd_u32(l, &m->func_types[m->nfuncs]));
		if (m->func_types[m->nfuncs] >= m->ntypes)
			return fail(l, "unknown type");
		m->nfuncs++;
	}
	return true;
}

static bool sec_tables(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n;

	TRY(rd_count(l, &n, WASM_MAX_SEGMENTS));
	TRY(extend(l, (void **)&m->tables, m->ntables, n, sizeof(*m->tables), WASM_MAX_SEGMENTS));
	for (u32 i = 0; i < n; i++)
		TRY(rd_tabletype(l, &m->tables[m->ntables++]));
	return true;
}

static bool sec_mems(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n;

	TRY(rd_count(l, &n, WASM_MAX_SEGMENTS));
	TRY(extend(l, (void **)&m->mems, m->nmems, n, sizeof(*m->mems), WASM_MAX_SEGMENTS));
	for (u32 i = 0; i < n; i++)
		TRY(rd_memtype(l, &m->mems[m->nmems++]));
	return true;
}

static bool sec_globals(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n, nimp = m->nglobal_imports;

	TRY(rd_count(l, &n, WASM_MAX_GLOBALS));
	TRY(extend(l, (void **)&m->globals, m->nglobals, n, sizeof(*m->globals), WASM_MAX_GLOBALS));
	for (u32 i = 0; i < n; i++) {
		struct wasm_global_def *g = &m->globals[m->nglobals];

		TRY(rd_globaltype(l, &g->gt));
		TRY(rd_const(l, &g->init, g->gt.type, nimp));
		m->nglobals++;
	}
	return true;
}

static bool sec_exports(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n, limit[] = { m->nfuncs, m->ntables, m->nmems, m->nglobals };

	TRY(rd_count(l, &n, WASM_MAX_EXPORTS));
	m->exports = zalloc_arr(l, n, sizeof(*m->exports));
	TRY(m->exports);
	for (u32 i = 0; i < n; i++) {
		struct wasm_export *e = &m->exports[i];

		TRY(rd_name(l, &e->name, &e->name_len));
		m->nexports++;
		TRY(rd_byte(l, &e->kind));
		TRY(rd_u32(l, &e->index));
		if (e->kind > WASM_EXT_GLOBAL)
			return fail(l, "malformed export kind");
		if (e->index >= limit[e->kind])
			return fail(l, "unknown export index");
		if (e->kind == WASM_EXT_FUNC)
			m->declared_refs[e->index] = 1;
		/* Quadratic, but the count is bounded and names short in practice. */
		for (u32 k = 0; k < i; k++)
			if (m->exports[k].name_len == e->name_len &&
			    !memcmp(m->exports[k].name, e->name, e->name_len))
				return fail(l, "duplicate export name");
	}
	return true;
}

static bool sec_start(struct ld *l)
{
	struct wasm_module *m = l->m;
	const struct wasm_functype *ft;

	TRY(rd_u32(l, &m->start));
	if (m->start >= m->nfuncs)
		return fail(l, "unknown function");
	ft = &m->types[m->func_types[m->start]];
	if (ft->nparams || ft->nresults)
		return fail(l, "start function");
	m->has_start = true;
	return true;
}

static bool rd_offset(struct ld *l, struct wasm_const *c)
{
	return rd_const(l, c, WASM_I32, l->m->nglobal_imports);
}

static bool sec_elems(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n, flags;

	TRY(rd_count(l, &n, WASM_MAX_SEGMENTS));
	m->elems = zalloc_arr(l, n, sizeof(*m->elems));
	TRY(m->elems);
	for (u32 i = 0; i < n; i++) {
		struct wasm_elem *e = &m->elems[i];
		bool exprs;
		u8 kind;

		TRY(rd_u32(l, &flags));
		if (flags > 7)
			return fail(l, "malformed elements segment kind");
		m->nelems++;
		e->mode = flags & 1 ? (flags & 2 ? WASM_SEG_DECLARATIVE : WASM_SEG_PASSIVE) :
			  WASM_SEG_ACTIVE;
		exprs = flags & 4;
		e->type = WASM_FUNCREF;
		if (flags & 2 && !(flags & 1))
			TRY(rd_u32(l, &e->table));
		if (e->mode == WASM_SEG_ACTIVE) {
			if (e->table >= m->ntables)
				return fail(l, "unknown table");
			TRY(rd_offset(l, &e->offset));
		}
		if (flags & 3) {
			if (exprs) {
				TRY(rd_reftype(l, &e->type));
			} else {
				TRY(rd_byte(l, &kind));
				if (kind)
					return fail(l, "malformed element kind");
			}
		}
		TRY(rd_count(l, &e->count, WASM_MAX_TABLE_ELEMS));
		e->items = zalloc_arr(l, e->count, sizeof(*e->items));
		TRY(e->items);
		for (u32 k = 0; k < e->count; k++) {
			struct wasm_const *c = &e->items[k];

			if (exprs) {
				TRY(rd_const(l, c, 0, m->nglobal_imports));
				if (c->type != e->type)
					return fail(l, "type mismatch");
			} else {
				c->kind = 0xd2;
				c->type = WASM_FUNCREF;
				TRY(rd_u32(l, (u32 *)&c->val));
				if (c->val >= m->nfuncs)
					return fail(l, "unknown function");
				m->declared_refs[c->val] = 1;
			}
		}
		if (e->mode == WASM_SEG_ACTIVE && m->tables[e->table].elem != e->type)
			return fail(l, "type mismatch");
	}
	return true;
}

static bool sec_code(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n, size, ndef = m->nfuncs - m->nfunc_imports;
	struct fv f = { .l = l };
	bool ok = false;

	TRY(rd_u32(l, &n));
	if (n != ndef)
		return fail(l, "function and code section have inconsistent lengths");
	m->codes = zalloc_arr(l, n, sizeof(*m->codes));
	TRY(m->codes);
	for (u32 i = 0; i < n; i++) {
		const u8 *end, *save_end = l->end;

		if (!rd_u32(l, &size))
			goto out;
		if (size > l->end - l->p) {
			fail(l, "unexpected end");
			goto out;
		}
		end = l->p + size;
		l->end = end;
		m->codes[i].type = m->func_types[m->nfunc_imports + i];
		if (!rd_body(&f, &m->codes[i])) {
			l->end = save_end;
			goto out;
		}
		l->end = save_end;
		if (l->p != end) {
			fail(l, "section size mismatch");
			goto out;
		}
	}
	ok = true;
out:
	free_fv(&f);
	return ok;
}

static bool sec_data(struct ld *l)
{
	struct wasm_module *m = l->m;
	u32 n, flags;

	TRY(rd_count(l, &n, WASM_MAX_SEGMENTS));
	if (m->has_datacount && n != m->ndatas)
		return fail(l, "data count and data section have inconsistent lengths");
	m->datas = zalloc_arr(l, n, sizeof(*m->datas));
	TRY(m->datas);
	m->ndatas = 0;
	for (u32 i = 0; i < n; i++) {
		struct wasm_data *d = &m->datas[i];

		TRY(rd_u32(l, &flags));
		if (flags > 2)
			return fail(l, "malformed data segment kind");
		m->ndatas++;
		d->mode = flags == 1 ? WASM_SEG_PASSIVE : WASM_SEG_ACTIVE;
		if (flags == 2)
			TRY(rd_u32(l, &d->mem));
		if (d->mode == WASM_SEG_ACTIVE) {
			if (d->mem >= m->nmems)
				return fail(l, "unknown memory");
			TRY(rd_offset(l, &d->offset));
		}
		TRY(rd_u32(l, &d->len));
		TRY(rd_bytes(l, d->len, &d->bytes));
	}
	return true;
}

/* Section ids in the order the binary format requires them (datacount before code). */
static int section_rank(u8 id)
{
	static const u8 rank[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10 };

	return id < sizeof(rank) ? rank[id] : -1;
}

static bool load(struct ld *l)
{
	struct wasm_module *m = l->m;
	static const u8 magic[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
	int last = 0;
	bool have_code = false;

	if (l->end - l->p < 4 || memcmp(l->p, magic, 4))
		return fail(l, "magic header not detected");
	if (l->end - l->p < 8 || memcmp(l->p + 4, magic + 4, 4))
		return fail(l, "unknown binary version");
	l->p += 8;
	while (l->p < l->end) {
		const u8 *end, *save_end = l->end;
		u8 id;
		u32 size;
		int rank;
		bool ok = true;

		TRY(rd_byte(l, &id));
		TRY(rd_u32(l, &size));
		if (size > l->end - l->p)
			return fail(l, "length out of bounds");
		end = l->p + size;
		rank = section_rank(id);
		if (rank < 0)
			return fail(l, "malformed section id");
		if (id && rank <= last)
			return fail(l, "unexpected content after last section");
		if (id)
			last = rank;
		/* declared_refs is needed from the first section that can name a function. */
		if (id >= 6 && !m->declared_refs) {
			m->declared_refs = zalloc(l, m->nfuncs);
			TRY(m->declared_refs);
		}
		l->end = end;
		switch (id) {
		case 0:	ok = rd_name(l, NULL, NULL); l->p = end; break;
		case 1:	ok = sec_types(l); break;
		case 2:	ok = sec_imports(l); break;
		case 3:	ok = sec_funcs(l); break;
		case 4:	ok = sec_tables(l); break;
		case 5:	ok = sec_mems(l); break;
		case 6:	ok = sec_globals(l); break;
		case 7:	ok = sec_exports(l); break;
		case 8:	ok = sec_start(l); break;
		case 9:	ok = sec_elems(l); break;
		case 10: ok = sec_code(l); have_code = true; m->code_bytes = size; break;
		case 11: ok = sec_data(l); break;
		case 12:
			ok = rd_u32(l, &m->ndatas);
			m->has_datacount = true;
			break;
		}
		l->end = save_end;
		TRY(ok);
		if (l->p != end)
			return fail(l, "section size mismatch");
	}
	if (!have_code && m->nfuncs != m->nfunc_imports)
		return fail(l, "function and code section have inconsistent lengths");
	if (m->has_datacount && !m->datas && m->ndatas)
		return fail(l, "data count and data section have inconsistent lengths");
	if (m->nmems > 1)
		return fail(l, "multiple memories");
	if (!m->declared_refs) {
		m->declared_refs = zalloc(l, m->nfuncs);
		TRY(m->declared_refs);
	}
	return true;
}

void wasm_module_free(struct wasm_module *m, const struct wasm_alloc *al)
{
	if (!m)
		return;
	for (u32 i = 0; m->types && i < m->ntypes; i++)
		al->free(m->types[i].types);
	al->free(m->types);
	for (u32 i = 0; m->imports && i < m->nimports; i++) {
		al->free(m->imports[i].module);
		al->free(m->imports[i].name);
	}
	al->free(m->imports);
	al->free(m->func_types);
	al->free(m->tables);
	al->free(m->mems);
	al->free(m->globals);
	for (u32 i = 0; m->exports && i < m->nexports; i++)
		al->free(m->exports[i].name);
	al->free(m->exports);
	for (u32 i = 0; m->elems && i < m->nelems; i++)
		al->free(m->elems[i].items);
	al->free(m->elems);
	al->free(m->datas);
	for (u32 i = 0; m->codes && i < m->nfuncs - m->nfunc_imports; i++) {
		al->free(m->codes[i].insns);
		al->free(m->codes[i].local_types);
	}
	al->free(m->codes);
	al->free(m->declared_refs);
	al->free(m->bin);
	al->free(m);
}

struct wasm_module *wasm_load(const u8 *bin, size_t len, unsigned flags,
			      const struct wasm_alloc *al, struct wasm_error *err)
{
	struct ld l = { .al = al, .err = err, .flags = flags };
	struct wasm_module *m;

	err->msg[0] = 0;
	err->offset = 0;
	if (len > WASM_MAX_MODULE_BYTES) {
		fail(&l, "module too large");
		return NULL;
	}
	m = zalloc(&l, sizeof(*m));
	if (!m)
		return NULL;
	l.m = m;
	/* Data segments point into the module's own copy of the binary. */
	m->bin = zalloc(&l, len);
	if (!m->bin) {
		al->free(m);
		return NULL;
	}
	memcpy(m->bin, bin, len);
	m->nbin = (u32)len;
	l.p = l.base = m->bin;
	l.end = m->bin + len;
	if (!load(&l)) {
		wasm_module_free(m, al);
		return NULL;
	}
	return m;
}

/* Here, not in interp.c, for the compiler the kernel runs too (the code cache). */
bool wasm_op_effect(u32 op, u32 *pop, u32 *push)
{
	*pop = 1;
	*push = 1;
	switch (op) {
	case 0x25: case 0x40: case 0xfc0f:
		*pop = op == 0xfc0f ? 2 : 1;
		return true;
	case 0x26:
		*pop = 2;
		*push = 0;
		return true;
	case 0x3f: case 0xfc10:
		*pop = 0;
		return true;
	case 0xfc09: case 0xfc0d:
		*pop = *push = 0;
		return true;
	case 0xfc08: case 0xfc0a: case 0xfc0b: case 0xfc0c: case 0xfc0e: case 0xfc11:
		*pop = 3;
		*push = 0;
		return true;
	case 0x67: case 0x68: case 0x69: case 0x79: case 0x7a: case 0x7b:
	case 0x8d: case 0x8e: case 0x8f: case 0x90: case 0x9b: case 0x9c: case 0x9d: case 0x9e:
	case 0xa8: case 0xa9: case 0xaa: case 0xab: case 0xae: case 0xaf: case 0xb0: case 0xb1:
		return true;
	case 0x96: case 0x97: case 0xa4: case 0xa5:
		*pop = 2;
		return true;
	}
	return op >= 0xfc00 && op <= 0xfc07;
}
