/* SPDX-License-Identifier: BSD-2-Clause */
/* WebAssembly interpreter (a register form lowered from the pre-decoded one), with instantiation and linking (needs FP: user mode and host only). */
#include <hartix/string.h>
#include <hartix/wasm.h>

/* Everything a store allocates, freed with it; memories and tables also own a buffer. */
struct wasm_store_obj {
	struct wasm_store_obj *next;
	u64 kind;		/* 0 plain, or WASM_EXT_TABLE / WASM_EXT_MEM + 1; u64 keeps the object after it aligned */
};

static void *obj_data(struct wasm_store_obj *o)
{
	return o + 1;
}

/* A call frame: where to return to. */
struct wasm_frame {
	struct wasm_func *fn;
	const struct rinsn *pc;
	u64 *fp;
};

const char *wasm_trap_name(enum wasm_trap t)
{
	static const char *const names[] = {
		[WASM_OK] = "no trap",
		[WASM_TRAP_UNREACHABLE] = "unreachable",
		[WASM_TRAP_MEM_OOB] = "out of bounds memory access",
		[WASM_TRAP_DIV_ZERO] = "integer divide by zero",
		[WASM_TRAP_INT_OVERFLOW] = "integer overflow",
		[WASM_TRAP_BAD_CONVERSION] = "invalid conversion to integer",
		[WASM_TRAP_INDIRECT_NULL] = "uninitialized element",
		[WASM_TRAP_INDIRECT_TYPE] = "indirect call type mismatch",
		[WASM_TRAP_TABLE_OOB] = "out of bounds table access",
		[WASM_TRAP_UNDEFINED_ELEM] = "undefined element",
		[WASM_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
		[WASM_TRAP_OUT_OF_MEMORY] = "out of memory",
		[WASM_TRAP_HOST] = "host function failed",
		[WASM_TRAP_EXIT] = "exit",
	};

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "unknown trap";
}

static void *store_obj(struct wasm_store *s, size_t size, u8 kind)
{
	struct wasm_store_obj *o = s->al->zalloc(sizeof(*o) + size);

	if (!o)
		return NULL;
	o->kind = kind;
	o->next = s->objs;
	s->objs = o;
	return obj_data(o);
}

void *wasm_store_alloc(struct wasm_store *s, size_t size)
{
	return store_obj(s, size, 0);
}

int wasm_store_init(struct wasm_store *s, const struct wasm_alloc *al)
{
	memset(s, 0, sizeof(*s));
	s->al = al;
	s->mem_limit = 256u << 20;
	s->max_frames = 20000;
	s->stack_slots = 1u << 20;
	s->stack = al->zalloc((size_t)s->stack_slots * sizeof(u64));
	s->stack_end = s->stack + s->stack_slots;
	s->frames = al->zalloc((size_t)(s->max_frames + 1) * sizeof(struct wasm_frame));
	if (!s->stack || !s->frames) {
		wasm_store_free(s);
		return -1;
	}
	return 0;
}

void wasm_store_free(struct wasm_store *s)
{
	while (s->objs) {
		struct wasm_store_obj *o = s->objs;

		s->objs = o->next;
		if (o->kind == WASM_EXT_MEM + 1) {
			struct wasm_memory *mem = obj_data(o);

			if (mem->guarded)
				s->mem_ops->release(mem->data, mem->size);
			else
				s->al->free(mem->data);
		}
		if (o->kind == WASM_EXT_TABLE + 1)
			s->al->free(((struct wasm_table *)obj_data(o))->elems);
		s->al->free(o);
	}
	s->al->free(s->stack);
	s->al->free(s->frames);
	s->stack = NULL;
	s->frames = NULL;
}

struct wasm_func *wasm_host_func(struct wasm_store *s, const struct wasm_functype *type,
				 wasm_host_fn fn, void *ctx)
{
	struct wasm_func *f = wasm_store_alloc(s, sizeof(*f));

	if (f) {
		f->type = type;
		f->host = fn;
		f->host_ctx = ctx;
	}
	return f;
}

struct wasm_memory *wasm_memory_new(struct wasm_store *s, const struct wasm_limits *lim)
{
	struct wasm_memory *m;
	u64 bytes = (u64)lim->min * WASM_PAGE_SIZE;

	if (bytes > s->mem_limit)
		return NULL;
	m = store_obj(s, sizeof(*m), WASM_EXT_MEM + 1);
	if (!m)
		return NULL;
	/* A guard reservation if the store gives them and one is left; else plain memory. */
	m->data = s->mem_ops && bytes <= WASM_GUARDED_MAX_BYTES ? s->mem_ops->reserve() : NULL;
	if (m->data) {
		m->guarded = true;
		if (s->mem_ops->commit(m->data, 0, bytes))
			return NULL;	/* wasm_store_free() releases it */
	} else {
		m->data = s->al->zalloc(bytes ? bytes : 1);
		if (!m->data)
			return NULL;
	}
	m->size = bytes;
	m->has_max = lim->has_max;
	m->max_pages = lim->has_max ? lim->max : WASM_MAX_PAGES;
	return m;
}

struct wasm_table *wasm_table_new(struct wasm_store *s, u8 elem, const struct wasm_limits *lim)
{
	struct wasm_table *t;

	if (lim->min > WASM_MAX_TABLE_ELEMS)
		return NULL;
	t = store_obj(s, sizeof(*t), WASM_EXT_TABLE + 1);
	if (!t)
		return NULL;
	t->elems = s->al->zalloc((size_t)(lim->min ? lim->min : 1) * sizeof(u64));
	if (!t->elems)
		return NULL;
	t->elem = elem;
	t->size = lim->min;
	t->has_max = lim->has_max;
	t->max = lim->max;
	return t;
}

struct wasm_global *wasm_global_new(struct wasm_store *s, u8 type, bool mut, u64 val)
{
	struct wasm_global *g = wasm_store_alloc(s, sizeof(*g));

	if (g) {
		g->type = type;
		g->mut = mut;
		g->val = val;
	}
	return g;
}

static bool same_type(const struct wasm_functype *a, const struct wasm_functype *b)
{
	return a == b || (a->nparams == b->nparams && a->nresults == b->nresults &&
			  !memcmp(a->types, b->types, a->nparams + a->nresults));
}

/* Import matching (the spec's "import subtyping" on limits). */
static bool limits_match(u64 size, bool has_max, u64 max, const struct wasm_limits *want)
{
	if (size < want->min)
		return false;
	if (want->has_max && (!has_max || max > want->max))
		return false;
	return true;
}

const char *wasm_link_check(const struct wasm_module *m, u32 i, const struct wasm_extern *ext)
{
	const struct wasm_import *im = &m->imports[i];

	if (ext->kind != im->kind)
		return "incompatible import type";
	switch (im->kind) {
	case WASM_EXT_FUNC:
		if (!same_type(ext->u.func->type, &m->types[im->index]))
			return "incompatible import type";
		break;
	case WASM_EXT_TABLE: {
		const struct wasm_tabletype *tt = &m->tables[im->index];
		const struct wasm_table *t = ext->u.table;

		if (t->elem != tt->elem || !limits_match(t->size, t->has_max, t->max, &tt->lim))
			return "incompatible import type";
		break;
	}
	case WASM_EXT_MEM: {
		const struct wasm_memory *mem = ext->u.mem;

		if (!limits_match(mem->size / WASM_PAGE_SIZE, mem->has_max, mem->max_pages,
				  &m->mems[im->index]))
			return "incompatible import type";
		break;
	}
	default: {
		const struct wasm_globaltype *gt = &m->globals[im->index].gt;

		if (ext->u.global->type != gt->type || ext->u.global->mut != gt->mut)
			return "incompatible import type";
	}
	}
	return NULL;
}

static u64 eval_const(const struct wasm_instance *inst, const struct wasm_const *c)
{
	switch (c->kind) {
	case 0x23:
		return inst->globals[c->val]->val;
	case 0xd2:
		return (u64)(uintptr_t)inst->funcs[c->val];
	case 0xd0:
		return 0;
	default:
		return c->val;
	}
}

static enum wasm_trap table_init(struct wasm_instance *inst, u32 t, u32 e, u64 d, u64 s, u64 n)
{
	struct wasm_table *tab = inst->tables[t];

	if (s + n > inst->elem_len[e] || d + n > tab->size)
		return WASM_TRAP_TABLE_OOB;
	memcpy(tab->elems + d, inst->elem_vals[e] + s, n * sizeof(u64));
	return WASM_OK;
}

static enum wasm_trap memory_init(struct wasm_instance *inst, u32 x, u64 d, u64 s, u64 n)
{
	const struct wasm_data *seg = &inst->mod->datas[x];
	struct wasm_memory *mem = inst->mems[0];
	u64 len = inst->data_dropped[x] ? 0 : seg->len;

	if (s + n > len || d + n > mem->size)
		return WASM_TRAP_MEM_OOB;
	memcpy(mem->data + d, seg->bytes + s, n);
	return WASM_OK;
}

#define ALLOC_ARR(p, n) \
	do { (p) = wasm_store_alloc(s, (size_t)((n) ? (n) : 1) * sizeof(*(p))); \
	     if (!(p)) goto oom; } while (0)

struct wasm_instance *wasm_instantiate(struct wasm_store *s, const struct wasm_module *m,
				       const struct wasm_extern *imports, enum wasm_trap *trap)
{
	struct wasm_instance *inst = wasm_store_alloc(s, sizeof(*inst));
	u32 nf = 0, nt = 0, nm = 0, ng = 0;

	*trap = WASM_OK;
	if (!inst)
		goto oom;
	inst->mod = m;
	inst->store = s;
	ALLOC_ARR(inst->funcs, m->nfuncs);
	ALLOC_ARR(inst->tables, m->ntables);
	ALLOC_ARR(inst->mems, m->nmems);
	ALLOC_ARR(inst->globals, m->nglobals);
	ALLOC_ARR(inst->elem_vals, m->nelems);
	ALLOC_ARR(inst->elem_len, m->nelems);
	ALLOC_ARR(inst->data_dropped, m->ndatas);
	for (u32 i = 0; i < m->nimports; i++) {
		switch (imports[i].kind) {
		case WASM_EXT_FUNC: inst->funcs[nf++] = imports[i].u.func; break;
		case WASM_EXT_TABLE: inst->tables[nt++] = imports[i].u.table; break;
		case WASM_EXT_MEM: inst->mems[nm++] = imports[i].u.mem; break;
		default: inst->globals[ng++] = imports[i].u.global; break;
		}
	}
	for (; nf < m->nfuncs; nf++) {
		struct wasm_func *f = wasm_store_alloc(s, sizeof(*f));

		if (!f)
			goto oom;
		f->type = &m->types[m->func_types[nf]];
		f->inst = inst;
		f->code = &m->codes[nf - m->nfunc_imports];
		f->index = nf;
		inst->funcs[nf] = f;
	}
	for (; nt < m->ntables; nt++) {
		inst->tables[nt] = wasm_table_new(s, m->tables[nt].elem, &m->tables[nt].lim);
		if (!inst->tables[nt])
			goto oom;
	}
	for (; nm < m->nmems; nm++) {
		inst->mems[nm] = wasm_memory_new(s, &m->mems[nm]);
		if (!inst->mems[nm])
			goto oom;
	}
	/* Code compiled for a guarded memory 0 may not run on another: interpreted then. */
	if (m->jit && (!m->jit->guarded || !m->nmems || inst->mems[0]->guarded))
		for (u32 i = m->nfunc_imports; i < m->nfuncs; i++)
			inst->funcs[i]->jit = m->jit->code + m->jit->func_off[i - m->nfunc_imports];
	for (; ng < m->nglobals; ng++) {
		const struct wasm_global_def *g = &m->globals[ng];

		inst->globals[ng] = wasm_global_new(s, g->gt.type, g->gt.mut,
						    eval_const(inst, &g->init));
		if (!inst->globals[ng])
			goto oom;
	}
	for (u32 i = 0; i < m->nelems; i++) {
		const struct wasm_elem *e = &m->elems[i];

		ALLOC_ARR(inst->elem_vals[i], e->count);
		for (u32 k = 0; k < e->count; k++)
			inst->elem_vals[i][k] = eval_const(inst, &e->items[k]);
		inst->elem_len[i] = e->count;
	}
	/* Segments are applied in order; a failing one leaves the earlier ones' effects. */
	for (u32 i = 0; i < m->nelems; i++) {
		const struct wasm_elem *e = &m->elems[i];

		if (e->mode == WASM_SEG_ACTIVE) {
			*trap = table_init(inst, e->table, i, (u32)eval_const(inst, &e->offset),
					   0, e->count);
			if (*trap)
				return inst;
		}
		if (e->mode != WASM_SEG_PASSIVE)
			inst->elem_len[i] = 0;
	}
	for (u32 i = 0; i < m->ndatas; i++) {
		const struct wasm_data *d = &m->datas[i];

		if (d->mode != WASM_SEG_ACTIVE)
			continue;
		*trap = memory_init(inst, i, (u32)eval_const(inst, &d->offset), 0, d->len);
		if (*trap)
			return inst;
		inst->data_dropped[i] = true;
	}
	if (m->has_start)
		*trap = wasm_call(s, inst->funcs[m->start], NULL, NULL);
	return inst;
oom:
	*trap = WASM_TRAP_OUT_OF_MEMORY;
	return NULL;
}

bool wasm_export_get(const struct wasm_instance *inst, const char *name, u32 len,
		     struct wasm_extern *out)
{
	const struct wasm_module *m = inst->mod;

	for (u32 i = 0; i < m->nexports; i++) {
		const struct wasm_export *e = &m->exports[i];

		if (e->name_len != len || memcmp(e->name, name, len))
			continue;
		out->kind = e->kind;
		switch (e->kind) {
		case WASM_EXT_FUNC: out->u.func = inst->funcs[e->index]; break;
		case WASM_EXT_TABLE: out->u.table = inst->tables[e->index]; break;
		case WASM_EXT_MEM: out->u.mem = inst->mems[e->index]; break;
		default: out->u.global = inst->globals[e->index]; break;
		}
		return true;
	}
	return false;
}

/* ---- Numeric helpers: floats are handled through their bits where the spec asks for bit-exactness ---- */

/*
 * Bits to floats and back through unions, and fixed-size memory accesses
 * through __builtin_memcpy: the user build is -ffreestanding, where a plain
 * memcpy() stays a call on every instruction.
 */
union f32u { float f; u32 u; };
union f64u { double f; u64 u; };

static inline float f32_of(u64 v)
{
	union f32u x = { .u = (u32)v };

	return x.f;
}

static inline u64 bits_f32(float f)
{
	union f32u x = { .f = f };

	return x.u;
}

static inline double f64_of(u64 v)
{
	union f64u x = { .u = v };

	return x.f;
}

static inline u64 bits_f64(double d)
{
	union f64u x = { .f = d };

	return x.u;
}

static u32 popcnt64(u64 x)
{
	u32 n = 0;

	while (x) {
		x &= x - 1;
		n++;
	}
	return n;
}

static u32 clz64(u64 x, u32 width)
{
	u32 n = 0;

	for (u64 bit = 1ull << (width - 1); bit && !(x & bit); bit >>= 1)
		n++;
	return n;
}

static u32 ctz64(u64 x, u32 width)
{
	u32 n = 0;

	while (n < width && !(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
}

/* min and max: NaN wins, and -0 is below +0. */
static u64 fmin_bits(u64 a, u64 b, bool is64)
{
	double x = is64 ? f64_of(a) : f32_of(a), y = is64 ? f64_of(b) : f32_of(b);

	if (x != x || y != y)
		return is64 ? bits_f64(x + y) : bits_f32((float)x + (float)y);
	if (x == y)
		return a | b;
	return x < y ? a : b;
}

static u64 fmax_bits(u64 a, u64 b, bool is64)
{
	double x = is64 ? f64_of(a) : f32_of(a), y = is64 ? f64_of(b) : f32_of(b);

	if (x != x || y != y)
		return is64 ? bits_f64(x + y) : bits_f32((float)x + (float)y);
	if (x == y)
		return a & b;
	return x > y ? a : b;
}

/* Rounding to integral values without libm: exact below 2^52 (2^23 for f32). */
enum { R_TRUNC, R_FLOOR, R_CEIL, R_NEAREST };

static double round64(double x, int mode)
{
	volatile double big = 4503599627370496.0;	/* 2^52 */
	double t, ax = x < 0 ? -x : x;

	if (x != x)
		return x + x;
	if (!(ax < big))
		return x;
	if (mode == R_NEAREST) {
		t = (ax + big) - big;
	} else {
		t = (double)(s64)ax;
		if (t != ax && ((mode == R_CEIL && x > 0) || (mode == R_FLOOR && x < 0)))
			t += 1;
	}
	/* The result keeps x's sign, -0 included (ceil(-0.5) is -0). */
	return bits_f64(x) >> 63 ? -t : t;
}

static float round32(float x, int mode)
{
	volatile float big = 8388608.0f;		/* 2^23 */
	float t, ax = x < 0 ? -x : x;

	if (x != x)
		return x + x;
	if (!(ax < big))
		return x;
	if (mode == R_NEAREST) {
		t = (ax + big) - big;
	} else {
		t = (float)(s32)ax;
		if (t != ax && ((mode == R_CEIL && x > 0) || (mode == R_FLOOR && x < 0)))
			t += 1;
	}
	return bits_f32(x) >> 31 ? -t : t;
}

/* Float to integer: range checks done in double, where every bound is exact. */
static enum wasm_trap trunc_to(double x, bool is64, bool sign, bool sat, u64 *out)
{
	double lo, hi;

	if (sign) {
		lo = is64 ? -9223372036854775808.0 : -2147483649.0;
		hi = is64 ? 9223372036854775808.0 : 2147483648.0;
	} else {
		lo = -1.0;
		hi = is64 ? 18446744073709551616.0 : 4294967296.0;
	}
	if (x != x) {
		if (!sat)
			return WASM_TRAP_BAD_CONVERSION;
		*out = 0;
		return WASM_OK;
	}
	if (sign && is64 ? !(x >= lo && x < hi) : !(x > lo && x < hi)) {
		if (!sat)
			return WASM_TRAP_INT_OVERFLOW;
		if (x < 0)
			*out = !sign ? 0 : is64 ? 0x8000000000000000ull : 0x80000000u;
		else
			*out = !sign ? (is64 ? ~0ull : 0xffffffffu) :
			       is64 ? 0x7fffffffffffffffull : 0x7fffffffu;
		return WASM_OK;
	}
	if (sign)
		*out = is64 ? (u64)(s64)x : (u32)(s32)x;
	else
		*out = is64 ? (u64)x : (u32)x;
	return WASM_OK;
}

static s64 grow_memory(struct wasm_store *s, struct wasm_memory *mem, u32 delta)
{
	u64 old = mem->size / WASM_PAGE_SIZE, want = old + delta;
	u8 *data;

	if (want > mem->max_pages || want * WASM_PAGE_SIZE > s->mem_limit)
		return -1;
	if (!delta)
		return (s64)old;
	if (mem->guarded) {
		/* In place: compiled code may hold the base in a register. */
		if (want * WASM_PAGE_SIZE > WASM_GUARDED_MAX_BYTES ||
		    s->mem_ops->commit(mem->data, mem->size, want * WASM_PAGE_SIZE))
			return -1;
		mem->size = want * WASM_PAGE_SIZE;
		return (s64)old;
	}
	data = s->al->zalloc(want * WASM_PAGE_SIZE);
	if (!data)
		return -1;
	memcpy(data, mem->data, mem->size);
	s->al->free(mem->data);
	mem->data = data;
	mem->size = want * WASM_PAGE_SIZE;
	return (s64)old;
}

static s64 grow_table(struct wasm_store *s, struct wasm_table *t, u32 delta, u64 init)
{
	u64 want = (u64)t->size + delta;
	u64 *elems;
	u32 old;

	if (want > (t->has_max ? t->max : 0xffffffffu) || want > WASM_MAX_TABLE_ELEMS)
		return -1;
	elems = s->al->zalloc((size_t)(want ? want : 1) * sizeof(u64));
	if (!elems)
		return -1;
	memcpy(elems, t->elems, (size_t)t->size * sizeof(u64));
	for (u64 i = t->size; i < want; i++)
		elems[i] = init;
	s->al->free(t->elems);
	t->elems = elems;
	old = t->size;
	t->size = (u32)want;
	return old;
}

/* ---- The interpreter ---- */

static inline struct wasm_memory *mem0(const struct wasm_instance *inst)
{
	return inst->mod->nmems ? inst->mems[0] : NULL;
}

/*
 * The interpreter does not run the stack form: at a function's first call it
 * lowers it to a register form (struct rinsn), where every operand and result
 * is a slot of the frame, named by its byte offset from fp. The operand at
 * height i always has its own slot, so the decoder's heights fix every slot at
 * lowering time and sp disappears. The frame is the function's locals, then
 * its constants (copied in at entry, so a constant operand is a slot too), then
 * the operand stack; the stack's slots follow the constants so that a callee's
 * frame, which starts at its arguments on the caller's operand stack, never
 * covers them. local.get and constants cost nothing: the lowering keeps them on
 * a virtual stack as the slot they are in and hands that slot to the
 * instruction using the value; an operation followed by local.set or local.tee
 * writes the local, a comparison followed by br_if or if becomes one
 * compare-and-branch. Each instruction holds its handler's address (direct
 * threading with GCC's labels as values), so dispatching is a load and a jump.
 */
struct rinsn {
	const void *h;		/* handler */
	u32 d, x, y;		/* slots (byte offsets from fp): result, operands */
	u32 e;			/* memory offset, count, arity; select: the condition's slot */
	u64 k;			/* constant, global, function, table, branch target */
	u32 f, g;		/* a three-instruction handler's third: a slot, a constant */
};

struct wasm_rcode {
	struct rinsn *insns;
	u32 nparams, nlocals, nconsts;
	u32 nslots;		/* the frame: locals, constants, operands */
	u64 *consts;
};

/* Handlers past the numeric ones (which are their opcodes; 0xfc00..7 are 0xe0..7). */
enum {
	X_TRAP = 0x100, X_COPY, X_CONST, X_BR, X_BRV, X_BR_Z, X_BR_NZ, X_BRV_IF, X_BR_TABLE,
	X_RET, X_RET1, X_CALL, X_CALL_IND, X_GGET, X_GSET, X_RTOP, X_SELECT,
	X_BRC32,			/* 10 of them: i32 eq..ge_u (0x46..0x4f) as compare-and-branch */
	X_BRC64 = X_BRC32 + 10,		/* 10: i64 eq..ge_u (0x51..0x5a) */
	X_BRCI32 = X_BRC64 + 10,	/* the 20 again with a constant right operand */
	X_BRCI64 = X_BRCI32 + 10,
	/*
	 * Binary operations 0x45..0x8a with a constant right operand in y
	 * (sign-extended for i64): those with a handler here.
	 */
	X_IMM = X_BRCI64 + 10,
	/* Loads 0x28..0x35 from the address x + y (i32.add of a constant fused in). */
	X_LDI = X_IMM + 0x8b - 0x45,
	/* The same from (x << k) + y (i32.shl and i32.add of constants: an indexed table). */
	X_LDS = X_LDI + 0x36 - 0x28,
	X_INC32 = X_LDS + 0x36 - 0x28,	/* i32.add of a constant to a local, into it */
	/*
	 * 6: f64.add, sub, mul (0xa0..0xa2) of an f64.mul just made and
	 * another value (slot e), the product first, then second.
	 */
	X_MULOP,
	/*
	 * 6: f64.add, sub, mul, div (0xa0..0xa3) of a value (slot k) and an
	 * f64.load from x + y, then sub and div with the loaded value left.
	 */
	X_LDF64 = X_MULOP + 6,
	X_INCBR32 = X_LDF64 + 6,	/* 10: X_INC32 by e, then X_BRCI32 + k of the slot it wrote */
	X_LDBR32 = X_INCBR32 + 10,	/* 10: i32.load into d, then X_BRC32 + k of d and y */
	/* 6: X_LDF64 + k whose result an f64.store puts back where it was loaded from */
	X_RMWF64 = X_LDBR32 + 10,
	X_SHLADD = X_RMWF64 + 6,	/* i32.add of y and x << e (i32.shl of a constant): an element's address */
	X_ADDI2,			/* X_IMM + i32.add into d, and into slot e too: local.tee d, local.set e */
	X_STI,				/* 9: stores 0x36..0x3e of d at x + y (i32.add of a constant fused in) */
	X_INCLDBR32 = X_STI + 9,	/* 10: X_INC32 by e, then X_LDBR32 + k from the slot it wrote */
	/* i32.load into d from x (not d, no offset), then X_ADDI2 of x and y into slots e and k */
	X_LDPOST32 = X_INCLDBR32 + 10,
	X_INC2LDBR32,			/* 10: X_INC32 of slot f by g, then X_INCLDBR32 + k */
	/* 10: X_LDPOST32 (the step's constant in f, its second slot in g), then X_BRC32 + k of d and y */
	X_LDPOSTBR32 = X_INC2LDBR32 + 10,
	X_COPY2 = X_LDPOSTBR32 + 10,	/* X_COPY, then the same of e into y */
	X_MULRMWF64,			/* 6: X_RMWF64 + k of the product of slots f and g */
	X_COUNT = X_MULRMWF64 + 6,
};

/* Constants kept in the frame, at most (more are written by X_CONST). */
#define RC_MAX_CONSTS	64
/* Values the lowering may leave on its virtual stack (and so scans for a local.set). */
#define RC_WINDOW	16

static u32 handler_id(u32 op)
{
	return op < 0x100 ? op : 0xe0 + (op & 0xff);
}

/* Operands of the numeric operations the interpreter runs inline: 1, 2, or 0 for another. */
static u32 numeric_pops(u32 op)
{
	if (op == 0x45 || op == 0x50 || (op >= 0x67 && op <= 0x69) || (op >= 0x79 && op <= 0x7b) ||
	    (op >= 0x8b && op <= 0x91) || (op >= 0x99 && op <= 0x9f) || (op >= 0xa7 && op <= 0xc4) ||
	    op == 0xd1 || (op >= 0xfc00 && op <= 0xfc07))
		return 1;
	if ((op >= 0x46 && op <= 0x4f) || (op >= 0x51 && op <= 0x66) || (op >= 0x6a && op <= 0x78) ||
	    (op >= 0x7c && op <= 0x8a) || (op >= 0x92 && op <= 0x98) || (op >= 0xa0 && op <= 0xa6))
		return 2;
	return 0;
}

/* The lowering of one function. */
struct lower {
	struct wasm_store *s;
	const struct wasm_code *code;
	const struct wasm_instance *inst;
	const void *const *labels;
	struct rinsn *out;
	u32 nout, capout;
	u32 *map;		/* stack-form index -> register-form index */
	u32 *target;		/* per stack-form instruction a branch lands on: 1 + its height */
	u32 *ent;		/* per height: the slot holding that operand */
	u32 vh, pend_lo;	/* height; below pend_lo every operand is in its own slot */
	u32 nlocals, nconsts, maxconsts;
	u64 *consts;
	bool oom;
	struct rinsn scratch;	/* written instead when out of memory */
};

static u32 nat(const struct lower *w, u32 h)
{
	return w->nlocals + w->maxconsts + h;
}


static struct rinsn *put(struct lower *w, u32 id)
{
	struct rinsn *r = &w->scratch;

	if (w->nout == w->capout && !w->oom) {
		u32 cap = w->capout ? w->capout * 2 : 64;
		struct rinsn *n = w->s->al->zalloc((size_t)cap * sizeof(*n));

		if (n) {
			if (w->out)
				memcpy(n, w->out, (size_t)w->nout * sizeof(*n));
			w->s->al->free(w->out);
			w->out = n;
			w->capout = cap;
		} else {
			w->oom = true;
		}
	}
	if (!w->oom)
		r = &w->out[w->nout++];
	memset(r, 0, sizeof(*r));
	r->h = w->labels[id];
	return r;
}

static void copy_slot(struct lower *w, u32 d, u32 x)
{
	struct rinsn *r = put(w, X_COPY);

	r->d = d * 8;
	r->x = x * 8;
}

static void materialize(struct lower *w, u32 h)
{
	if (w->ent[h] != nat(w, h)) {
		copy_slot(w, nat(w, h), w->ent[h]);
		w->ent[h] = nat(w, h);
	}
}

/* Every operand into its own slot: before branches, calls and labels. */
static void materialize_all(struct lower *w)
{
	for (u32 h = w->pend_lo; h < w->vh; h++)
		materialize(w, h);
	w->pend_lo = w->vh;
}

/* Local x is about to be written: the operands still reading it get their own copy. */
static void before_write(struct lower *w, u32 x)
{
	for (u32 h = w->pend_lo; h < w->vh; h++)
		if (w->ent[h] == x)
			materialize(w, h);
}

static u32 pop_ent(struct lower *w)
{
	u32 e = w->ent[--w->vh];

	if (w->pend_lo > w->vh)
		w->pend_lo = w->vh;
	return e;
}

/* Pushes an operand left in slot e (a local or a constant). */
static void push_ent(struct lower *w, u32 e)
{
	w->ent[w->vh++] = e;
	while (w->vh > w->pend_lo + RC_WINDOW)
		materialize(w, w->pend_lo++);
}

static void push_nat(struct lower *w)
{
	w->ent[w->vh] = nat(w, w->vh);
	w->vh++;
	while (w->vh > w->pend_lo + RC_WINDOW)
		materialize(w, w->pend_lo++);
}

/*
 * Where the result of instruction i goes: the local of a local.set or
 * local.tee right after it (consumed: *skip), else the next operand slot.
 * Called with the operands popped; finish_result() pushes the result.
 */
static u32 result_slot(struct lower *w, u32 i, u32 *skip, u32 *tee)
{
	const struct wasm_code *c = w->code;
	const struct wasm_insn *nx = i + 1 < c->ninsns ? &c->insns[i + 1] : NULL;

	*skip = 0;
	*tee = ~0u;
	if (nx && !w->target[i + 1] && (nx->op == 0x21 || nx->op == 0x22)) {
		before_write(w, nx->a);
		*skip = 1;
		if (nx->op == 0x22)
			*tee = nx->a;
		return nx->a;
	}
	return nat(w, w->vh);
}

static void finish_result(struct lower *w, u32 skip, u32 tee)
{
	if (!skip)
		push_nat(w);
	else if (tee != ~0u)
		push_ent(w, tee);
}

/* The frame slot holding constant v, or ~0 when they are all taken. */
static u32 const_slot(struct lower *w, u64 v)
{
	for (u32 i = 0; i < w->nconsts; i++)
		if (w->consts[i] == v)
			return w->nlocals + i;
	if (w->nconsts == w->maxconsts)
		return ~0u;
	w->consts[w->nconsts] = v;
	return w->nlocals + w->nconsts++;
}

/*
 * A branch of in (X_BR, or X_BR_NZ with its condition in slot cond) carrying
 * the values below height src_h: X_BRV and X_BRV_IF copy them (the condition
 * then in y), the others find them in place.
 */
static void branch(struct lower *w, u32 id, const struct wasm_insn *in, u32 src_h, u32 cond)
{
	u32 dst = nat(w, (u32)in->b), src = nat(w, src_h - in->arity);
	struct rinsn *r;

	if (in->arity && dst != src) {
		r = put(w, id == X_BR ? X_BRV : X_BRV_IF);
		r->d = dst * 8;
		r->x = src * 8;
		r->e = in->arity;
		r->y = cond * 8;
	} else {
		r = put(w, id);
		r->x = cond * 8;
	}
	r->k = in->a;
}

/* The compare-and-branch handler of an i32 or i64 comparison, inverted for if. */
static u32 fused_branch(u32 cmp, bool imm, bool invert)
{
	/* eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u: each one's negation */
	static const u8 inv[10] = { 1, 0, 8, 9, 6, 7, 4, 5, 2, 3 };
	u32 k = cmp - (cmp <= 0x4f ? 0x46 : 0x51);

	return (cmp <= 0x4f ? X_BRC32 : X_BRC64) + (imm ? X_BRCI32 - X_BRC32 : 0) +
	       (invert ? inv[k] : k);
}

static bool branch_handler(const void *const *labels, const void *h)
{
	static const u16 ids[] = { X_BR, X_BRV, X_BR_Z, X_BR_NZ, X_BRV_IF };

	for (u32 i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (h == labels[ids[i]])
			return true;
	for (u32 i = X_BRC32; i < X_IMM; i++)
		if (h == labels[i])
			return true;
	for (u32 i = X_INCBR32; i < X_RMWF64; i++)
		if (h == labels[i])
			return true;
	for (u32 i = X_INCLDBR32; i < X_LDPOST32; i++)
		if (h == labels[i])
			return true;
	for (u32 i = X_INC2LDBR32; i < X_COPY2; i++)
		if (h == labels[i])
			return true;
	return false;
}

/* No label on instruction i nor on those before it lowered since output n was made. */
static bool no_label_since(const struct lower *w, u32 i, u32 n)
{
	for (u32 t = i; t && w->map[t] >= n; t--)
		if (w->target[t])
			return false;
	return !w->target[i];
}

/* Instruction i follows, with no label between, the one that made the last result. */
static bool fusable(const struct lower *w, u32 i, u32 last_at, u32 last_insn)
{
	return last_insn + 1 == i && last_at == w->nout && w->nout && !w->oom && !w->target[i];
}

/*
 * The compare-and-branch just output (instruction i; X_BRCI32 + k, with a
 * constant, or X_BRC32 + k) tests as its left operand the slot the
 * instruction before it wrote, and no label is between (on the
 * instructions after that one's, which output nothing else). Then the two
 * are one: X_INCBR32 + k after an X_INC32, a loop counter's step and test
 * (the step moves to e), or X_LDBR32 + k after an i32.load, a scan for a
 * bound (the load keeps its address and offset). And an X_LDBR32 without
 * an offset whose address an X_INC32 just stepped, no label after the
 * step, is X_INCLDBR32 + k: a pointer's step, load and test; with another
 * X_INC32 just before, no label after it, X_INC2LDBR32 + k (a counter's
 * step too). An X_LDPOST32 whose loaded value is tested, the step not
 * writing it, is X_LDPOSTBR32 + k: a scan down with a pointer.
 */
static void fuse_branch_pair(struct lower *w, u32 i, u32 k, bool imm)
{
	struct rinsn *b = &w->out[w->nout - 1], *r = b - 1;

	if (w->oom || w->nout < 2 || r->d != b->x || !no_label_since(w, i, w->nout - 1))
		return;
	if (!imm && r->h == w->labels[X_LDPOST32] && r->e != r->d && r->k != r->d) {
		r->h = w->labels[X_LDPOSTBR32 + k];
		r->f = r->y;
		r->g = (u32)r->k;
		r->y = b->y;
		r->k = b->k;
		w->nout--;
		return;
	}
	if (r->h != w->labels[imm ? X_INC32 : 0x28])
		return;
	r->h = w->labels[(imm ? X_INCBR32 : X_LDBR32) + k];
	if (imm)
		r->e = r->y;
	r->y = b->y;
	r->k = b->k;
	w->nout--;
	b = r - 1;
	if (imm || w->nout < 2 || b->h != w->labels[X_INC32] || b->d != r->x || r->e ||
	    !no_label_since(w, i, w->nout - 1))
		return;
	b->h = w->labels[X_INCLDBR32 + k];
	b->e = b->y;
	b->d = r->d;
	b->y = r->y;
	b->k = r->k;
	w->nout--;
	r = b - 1;
	if (w->nout < 2 || r->h != w->labels[X_INC32] || !no_label_since(w, i, w->nout - 1))
		return;
	r->h = w->labels[X_INC2LDBR32 + k];
	r->f = r->x;
	r->g = r->y;
	r->x = b->x;
	r->e = b->e;
	r->d = b->d;
	r->y = b->y;
	r->k = b->k;
	w->nout--;
}

/*
 * f64.add, sub or mul (op, instruction i) of operands x and y into d, one
 * of them the product the last output, an f64.mul, made on the stack (its
 * operand slot, not a local) with at most a local.get or f64.const between:
 * the mul becomes X_MULOP + 2 * (op - 0xa0) (product first) or the one
 * after it, with the other operand.
 */
static bool fuse_mulop(struct lower *w, u32 i, u32 op, u32 x, u32 y, u32 d, u32 last_at,
		       u32 last_insn)
{
	const struct wasm_insn *ins = w->code->insns;
	struct rinsn *r = w->nout ? &w->out[w->nout - 1] : NULL;
	bool first;

	if (!r || last_at != w->nout || w->oom || w->target[i] || r->h != w->labels[0xa2])
		return false;
	if (last_insn + 1 == i && r->d == y * 8 && y == nat(w, w->vh + 1))
		first = false;			/* op(other, product) */
	else if (last_insn + 2 == i && !w->target[i - 1] &&
		 (ins[i - 1].op == 0x20 || ins[i - 1].op == 0x44) &&
		 r->d == x * 8 && x == nat(w, w->vh))
		first = true;			/* op(product, other) */
	else
		return false;
	r->h = w->labels[X_MULOP + 2 * (op - 0xa0) + !first];
	r->e = (first ? y : x) * 8;
	r->d = d * 8;
	return true;
}

/* Which of handlers lo .. lo + n - 1 h is (0 ..), or -1. */
static int handler_in(const struct lower *w, const void *h, u32 lo, u32 n)
{
	for (u32 k = 0; k < n; k++)
		if (w->labels[lo + k] == h)
			return (int)k;
	return -1;
}

/* An f64.load into slot s, from an address or an address plus a constant (X_LDI). */
static bool is_f64_load(const struct lower *w, const struct rinsn *r, u32 s)
{
	return (r->h == w->labels[0x2b] || r->h == w->labels[X_LDI + 0x2b - 0x28]) && r->d == s * 8;
}

/*
 * f64.add, sub, mul or div (op, instruction i) of x and y, y the f64.load
 * just before made, from an address or an address plus a constant (X_LDI;
 * the plain load's y is 0), into its operand slot (so nothing else reads
 * it), no label between: the load becomes X_LDF64 + op - 0xa0, x's slot in k.
 * A product of a plain load is left to X_MULOP, which may take the add
 * after it (the last step of an unrolled dot product).
 *
 * Or x the load, made into its operand slot just before the f64 operation
 * (not reading it) that made y: that operation goes first, it cannot trap,
 * and the load computes, loaded value left (a read-modify-write's
 * x -= a * b, which an f64.store may then take).
 */
static bool fuse_load_f64(struct lower *w, u32 i, u32 op, u32 x, u32 y, u32 d)
{
	static const u8 left[4] = { 0, 4, 2, 5 };	/* m + v, m - v, m * v, m / v */
	struct rinsn *r = w->nout ? &w->out[w->nout - 1] : NULL, *p, t;

	if (!r || w->oom || !i || w->target[i])
		return false;
	/* A load always ends its output (its fused add taken out, no copy after it). */
	if (w->code->insns[i - 1].op == 0x2b && is_f64_load(w, r, y) &&
	    (r->h != w->labels[0x2b] || op != 0xa2) && y == nat(w, w->vh + 1)) {
		r->h = w->labels[X_LDF64 + op - 0xa0];
		r->k = x * 8;
		r->d = d * 8;
		return true;
	}
	p = r - 1;
	if (w->nout < 2 || !is_f64_load(w, p, x) || x != nat(w, w->vh) || r->d != y * 8 ||
	    y != nat(w, w->vh + 1) || !no_label_since(w, i, w->nout - 1) ||
	    (handler_in(w, r->h, 0xa0, 4) < 0 && handler_in(w, r->h, X_MULOP, 6) < 0) ||
	    r->x == x * 8 || r->y == x * 8 || r->e == x * 8)
		return false;
	t = *p;
	*p = *r;
	*r = t;
	r->h = w->labels[X_LDF64 + left[op - 0xa0]];
	r->k = y * 8;
	r->d = d * 8;
	return true;
}

/*
 * An f64.store (instruction i) of slot v at x + offset, v what the
 * X_LDF64 just output made from that same address, no label between: one
 * X_RMWF64, which loads, computes and stores back. When an f64.mul output
 * just before made its other operand, into the same operand slot, no label
 * between: X_MULRMWF64 (x += a * b, rounded twice).
 */
static bool fuse_rmw_f64(struct lower *w, u32 i, u32 x, u32 v, u32 offset)
{
	struct rinsn *r = w->nout ? &w->out[w->nout - 1] : NULL;
	int k = r ? handler_in(w, r->h, X_LDF64, 6) : -1;

	if (k < 0 || w->oom || r->d != v * 8 || v != nat(w, w->vh + 1) || r->x != x * 8 || r->y || r->e != offset ||
	    !no_label_since(w, i, w->nout))
		return false;
	r->h = w->labels[X_RMWF64 + k];
	if (w->nout >= 2 && r[-1].h == w->labels[0xa2] && r[-1].d == r->k && r->k == v * 8 &&
	    no_label_since(w, i, w->nout - 1)) {
		r->h = w->labels[X_MULRMWF64 + k];
		r->f = r[-1].x;
		r->g = r[-1].y;
		r[-1] = *r;
		w->nout--;
	}
	return true;
}

static bool is_const_slot(const struct lower *w, u32 x)
{
	return x >= w->nlocals && x < w->nlocals + w->nconsts;
}

/*
 * i32.add (instruction i) of x and y into d, one of them the operand slot
 * an i32.shl by a constant just output wrote, the other no constant (that
 * is X_IMM's, which a load may take as X_LDS), no label between: one
 * X_SHLADD.
 */
static bool fuse_shl_add(struct lower *w, u32 i, u32 x, u32 y, u32 d)
{
	struct rinsn *r = w->nout ? &w->out[w->nout - 1] : NULL;
	u32 other;

	if (!r || w->oom || r->h != w->labels[X_IMM + 0x74 - 0x45] ||
	    !no_label_since(w, i, w->nout))
		return false;
	if (r->d == y * 8 && y == nat(w, w->vh + 1))
		other = x;
	else if (r->d == x * 8 && x == nat(w, w->vh))
		other = y;
	else
		return false;
	if (is_const_slot(w, other))
		return false;
	r->h = w->labels[X_SHLADD];
	r->e = r->y & 31;
	r->y = other * 8;
	r->d = d * 8;
	return true;
}

/*
 * A store (op, instruction i) of v at the address x plus an offset, x the
 * operand slot an i32.add of a constant just output wrote, no label
 * between: one X_STI, which adds (the wrap to 32 bits kept).
 */
static bool fuse_add_store(struct lower *w, u32 i, u32 op, u32 x, u32 v, u32 offset)
{
	struct rinsn *r = w->nout ? &w->out[w->nout - 1] : NULL;

	if (!r || w->oom || r->h != w->labels[X_IMM + 0x6a - 0x45] || r->d != x * 8 ||
	    x != nat(w, w->vh) || !no_label_since(w, i, w->nout))
		return false;
	r->h = w->labels[X_STI + op - 0x36];
	r->d = v * 8;
	r->e = offset;
	return true;
}

/*
 * Lowers stack-form instruction *pi (advancing *pi past what it consumed).
 * False when the virtual stack lacks its operands: only below a polymorphic
 * stack, in code no branch reaches.
 */
static bool lower_insn(struct lower *w, u32 *pi, u32 *cmp_at, u32 *cmp_insn)
{
	const struct wasm_code *c = w->code;
	const struct wasm_insn *in = &c->insns[*pi];
	const struct wasm_instance *inst = w->inst;
	u32 op = in->op, i = *pi, skip, tee, d, x, y, z, pop, push;
	struct rinsn *r;

#define NEED(n)	do { if (w->vh < (u32)(n)) return false; } while (0)
	switch (op) {
	case 0x00:
		put(w, X_TRAP)->e = WASM_TRAP_UNREACHABLE;
		return true;
	case 0x04:	/* if: to the else-arm or end when the condition is 0 */
	case 0x0d: {
		bool fuse, imm = false;
		const void *cmp_h = NULL;
		u32 cmp = 0;

		NEED(1 + (op == 0x0d ? in->arity : 0));
		cmp = i ? c->insns[i - 1].op : 0;
		fuse = fusable(w, i, *cmp_at, *cmp_insn) &&
		       (cmp == 0x45 || (cmp >= 0x46 && cmp <= 0x4f) || (cmp >= 0x51 && cmp <= 0x5a)) &&
		       w->ent[w->vh - 1] == nat(w, w->vh - 1) &&
		       w->out[w->nout - 1].d == nat(w, w->vh - 1) * 8;
		if (fuse) {
			/* The comparison becomes the branch: taken out, its operands kept. */
			r = &w->out[--w->nout];
			x = r->x;
			y = r->y;
			cmp_h = r->h;
			imm = cmp != 0x45 && cmp_h == w->labels[X_IMM + cmp - 0x45];
		}
		z = pop_ent(w);
		materialize_all(w);
		if (op == 0x04) {
			r = put(w, !fuse ? X_BR_Z : cmp == 0x45 ? X_BR_NZ :
				   fused_branch(cmp, imm, true));
			r->k = in->a;
		} else if (fuse && !(in->arity && nat(w, (u32)in->b) != nat(w, w->vh - in->arity))) {
			r = put(w, cmp == 0x45 ? X_BR_Z : fused_branch(cmp, imm, false));
			r->k = in->a;
		} else {
			if (fuse) {
				/* Carrying values: the comparison stays a value. */
				r = put(w, handler_id(cmp));
				r->h = cmp_h;
				r->d = z * 8;
				r->x = x;
				r->y = y;
			}
			branch(w, X_BR_NZ, in, w->vh, z);
			return true;
		}
		if (fuse) {
			r->x = x;
			r->y = y;
			if (cmp >= 0x46 && cmp <= 0x4f)
				fuse_branch_pair(w, i, fused_branch(cmp, false, op == 0x04) - X_BRC32,
						 imm);
		} else {
			r->x = z * 8;
		}
		return true;
	}
	case 0x05:	/* end of a then-arm: over the else-arm */
	case 0x0c:
		NEED(op == 0x0c ? in->arity : 0);
		materialize_all(w);
		branch(w, X_BR, in, w->vh, 0);
		return true;
	case 0x0e:
		NEED(1);
		z = pop_ent(w);
		materialize_all(w);
		for (u32 k = 0; k <= in->a; k++)
			NEED(c->insns[i + 1 + k].arity);
		r = put(w, X_BR_TABLE);
		r->x = z * 8;
		r->e = in->a;
		for (u32 k = 0; k <= in->a; k++)
			branch(w, X_BR, &c->insns[i + 1 + k], w->vh, 0);
		*pi += in->a + 1;
		return true;
	case 0x0f:
		NEED(in->arity);
		if (in->arity == 1) {
			put(w, X_RET1)->x = pop_ent(w) * 8;
			return true;
		}
		materialize_all(w);
		r = put(w, X_RET);
		r->x = nat(w, w->vh - in->arity) * 8;
		r->e = in->arity;
		return true;
	case 0x10:
	case 0x11: {
		const struct wasm_functype *ft = op == 0x10 ? inst->funcs[in->a]->type :
						 &inst->mod->types[in->a];

		NEED(ft->nparams + (op == 0x11));
		z = op == 0x11 ? pop_ent(w) : 0;
		materialize_all(w);
		r = put(w, op == 0x10 ? X_CALL : X_CALL_IND);
		r->x = nat(w, w->vh - ft->nparams) * 8;
		r->y = z * 8;
		r->e = in->a;
		r->k = op == 0x10 ? (u64)(uintptr_t)inst->funcs[in->a] :
				    (u64)(uintptr_t)inst->tables[in->b];
		w->vh -= ft->nparams;
		for (u32 k = 0; k < ft->nresults; k++)
			push_nat(w);
		w->pend_lo = w->vh;
		return true;
	}
	case 0x1a:
		NEED(1);
		pop_ent(w);
		return true;
	case 0x1b:
		NEED(3);
		z = pop_ent(w);
		y = pop_ent(w);
		x = pop_ent(w);
		d = result_slot(w, i, &skip, &tee);
		r = put(w, X_SELECT);
		r->d = d * 8;
		r->x = x * 8;
		r->y = y * 8;
		r->e = z * 8;
		*pi += skip;
		finish_result(w, skip, tee);
		return true;
	case 0x20:
		push_ent(w, in->a);
		return true;
	case 0x21:
		NEED(1);
		x = pop_ent(w);
		before_write(w, in->a);
		if (x == in->a)
			return true;
		/* i32.add of a constant, local.tee x, local.set: one X_ADDI2 writes both. */
		r = w->nout ? &w->out[w->nout - 1] : NULL;
		if (r && !w->oom && i && x < w->nlocals && c->insns[i - 1].op == 0x22 &&
		    c->insns[i - 1].a == x && r->d == x * 8 && no_label_since(w, i, w->nout) &&
		    (r->h == w->labels[X_IMM + 0x6a - 0x45] || r->h == w->labels[X_INC32])) {
			r->h = w->labels[X_ADDI2];
			r->e = in->a * 8;
			/*
			 * After an i32.load without an offset from the slot it
			 * adds to, into another, no label since: one
			 * X_LDPOST32, a pointer's load and step.
			 */
			if (w->nout >= 2 && r[-1].h == w->labels[0x28] && r[-1].x == r->x &&
			    r[-1].d != r->x && !r[-1].e && no_label_since(w, i, w->nout - 1)) {
				r[-1].h = w->labels[X_LDPOST32];
				r[-1].y = r->y;
				r[-1].e = r->d;
				r[-1].k = r->e;
				w->nout--;
			}
			return true;
		}
		/* Right after another local.set's copy, no label between: one X_COPY2. */
		if (r && !w->oom && r->h == w->labels[X_COPY] && no_label_since(w, i, w->nout)) {
			r->h = w->labels[X_COPY2];
			r->y = in->a * 8;
			r->e = x * 8;
			return true;
		}
		copy_slot(w, in->a, x);
		return true;
	case 0x22:
		NEED(1);
		x = w->ent[w->vh - 1];
		if (x == in->a)
			return true;
		w->vh--;
		before_write(w, in->a);
		w->vh++;
		copy_slot(w, in->a, x);
		return true;
	case 0x23:
		d = result_slot(w, i, &skip, &tee);
		r = put(w, X_GGET);
		r->d = d * 8;
		r->k = (u64)(uintptr_t)inst->globals[in->a];
		*pi += skip;
		finish_result(w, skip, tee);
		return true;
	case 0x24:
		NEED(1);
		r = put(w, X_GSET);
		r->x = pop_ent(w) * 8;
		r->k = (u64)(uintptr_t)inst->globals[in->a];
		return true;
	case 0x41: case 0x42: case 0xd2: {
		u64 v = op == 0xd2 ? (u64)(uintptr_t)inst->funcs[in->a] : in->b;
		const struct wasm_insn *nx = i + 1 < c->ninsns ? &c->insns[i + 1] : NULL;

		if (!(nx && !w->target[i + 1] && nx->op == 0x21)) {
			x = const_slot(w, v);
			if (x != ~0u) {
				push_ent(w, x);
				return true;
			}
		}
		d = result_slot(w, i, &skip, &tee);
		r = put(w, X_CONST);
		r->d = d * 8;
		r->k = v;
		*pi += skip;
		finish_result(w, skip, tee);
		return true;
	}
	}
	if (op >= 0x28 && op <= 0x35) {
		u32 add_h = 0;

		NEED(1);
		/*
		 * An address computed by i32.add of a constant just before: one
		 * instruction (X_INC32 when the add's operand is the slot it
		 * writes, a value on the stack).
		 */
		if (fusable(w, i, *cmp_at, *cmp_insn) && c->insns[i - 1].op == 0x6a &&
		    w->ent[w->vh - 1] == nat(w, w->vh - 1) &&
		    w->out[w->nout - 1].d == nat(w, w->vh - 1) * 8 &&
		    (w->out[w->nout - 1].h == w->labels[X_IMM + 0x6a - 0x45] ||
		     w->out[w->nout - 1].h == w->labels[X_INC32])) {
			u32 shift = 32;

			r = &w->out[--w->nout];
			add_h = r->y;
			x = r->x / 8;
			/*
			 * And that i32.add's operand made by i32.shl of a constant
			 * just before its constant, into the same operand slot (not
			 * a local, so nothing else reads it), no label between.
			 */
			if (i >= 3 && c->insns[i - 3].op == 0x74 && c->insns[i - 2].op == 0x41 &&
			    !w->target[i - 2] && !w->target[i - 1] && w->nout &&
			    w->out[w->nout - 1].h == w->labels[X_IMM + 0x74 - 0x45] &&
			    w->out[w->nout - 1].d == r->x && r->x == r->d) {
				shift = w->out[--w->nout].y & 31;
				x = w->out[w->nout].x / 8;
			}
			pop_ent(w);
			d = result_slot(w, i, &skip, &tee);
			r = put(w, (shift < 32 ? X_LDS : X_LDI) + op - 0x28);
			r->y = add_h;
			r->k = shift;
		} else {
			x = pop_ent(w);
			d = result_slot(w, i, &skip, &tee);
			r = put(w, op);
		}
		r->d = d * 8;
		r->x = x * 8;
		r->e = in->a;
		*pi += skip;
		finish_result(w, skip, tee);
		return true;
	}
	if (op >= 0x36 && op <= 0x3e) {
		NEED(2);
		y = pop_ent(w);
		x = pop_ent(w);
		if ((op == 0x39 && fuse_rmw_f64(w, i, x, y, in->a)) ||
		    fuse_add_store(w, i, op, x, y, in->a))
			return true;
		r = put(w, op);
		r->x = x * 8;
		r->y = y * 8;
		r->e = in->a;
		return true;
	}
	pop = numeric_pops(op);
	if (pop) {
		NEED(pop);
		y = pop == 2 ? pop_ent(w) : 0;
		x = pop_ent(w);
		d = result_slot(w, i, &skip, &tee);
		if ((op >= 0xa0 && op <= 0xa2 && fuse_mulop(w, i, op, x, y, d, *cmp_at, *cmp_insn)) ||
		    (op >= 0xa0 && op <= 0xa3 && fuse_load_f64(w, i, op, x, y, d)) ||
		    (op == 0x6a && fuse_shl_add(w, i, x, y, d))) {
			*pi += skip;
			finish_result(w, skip, tee);
			return true;
		}
		r = put(w, handler_id(op));
		r->d = d * 8;
		r->x = x * 8;
		r->y = y * 8;
		if (pop == 2 && op <= 0x8a && w->labels[X_IMM + op - 0x45] &&
		    y >= w->nlocals && y < w->nlocals + w->nconsts) {
			u64 v = w->consts[y - w->nlocals];
			bool i64 = op >= 0x51 && op <= 0x5a ? true : op >= 0x7c;

			if (!i64 || v == (u64)(s64)(s32)v) {
				r->h = w->labels[op == 0x6a && d == x ? X_INC32 : X_IMM + op - 0x45];
				r->y = (u32)v;
			}
		}
		*pi += skip;
		finish_result(w, skip, tee);
		if (!skip) {
			*cmp_at = w->nout;
			*cmp_insn = i;
		}
		return true;
	}
	/* The rest run in wasm_rt_op() on the operands in their own slots. */
	wasm_op_effect(op, &pop, &push);
	NEED(pop);
	materialize_all(w);
	r = put(w, X_RTOP);
	r->x = nat(w, w->vh - pop) * 8;
	r->y = op;
	r->e = in->a;
	r->k = in->b;
	w->vh -= pop;
	for (u32 k = 0; k < push; k++)
		push_nat(w);
	w->pend_lo = w->vh;
	return true;
#undef NEED
}

static struct wasm_rcode *lower(struct wasm_store *s, struct wasm_func *f,
				 const void *const *labels)
{
	const struct wasm_code *c = f->code;
	struct lower w = { .s = s, .code = c, .inst = f->inst, .labels = labels,
			   .nlocals = c->nlocals };
	struct wasm_rcode *rc = NULL;
	u32 nk = 0, cmp_at = ~0u, cmp_insn = ~0u;
	bool live = true;

	for (u32 i = 0; i < c->ninsns; i++)
		nk += c->insns[i].op == 0x41 || c->insns[i].op == 0x42 || c->insns[i].op == 0xd2;
	w.maxconsts = nk < RC_MAX_CONSTS ? nk : RC_MAX_CONSTS;
	w.map = s->al->zalloc((size_t)(c->ninsns + 1) * sizeof(u32));
	w.target = s->al->zalloc((size_t)(c->ninsns + 1) * sizeof(u32));
	w.ent = s->al->zalloc((size_t)(c->max_height + 1) * sizeof(u32));
	w.consts = s->al->zalloc((size_t)(w.maxconsts + 1) * sizeof(u64));
	if (!w.map || !w.target || !w.ent || !w.consts)
		goto out;
	/*
	 * The height at a label is what its branches bring (the decoder's is
	 * that before the function's end, where the stack may be polymorphic);
	 * the arms of an if land where the following code's height is right.
	 */
	for (u32 i = 0; i < c->ninsns; i++) {
		const struct wasm_insn *in = &c->insns[i];

		if (in->a >= c->ninsns)
			continue;
		if (in->op == 0x0c || in->op == 0x0d)
			w.target[in->a] = 1 + (u32)in->b + in->arity;
		else if ((in->op == 0x04 || in->op == 0x05) && !w.target[in->a])
			w.target[in->a] = 1 + c->insns[in->a].h;
	}
	for (u32 i = 0; i < c->ninsns; i++) {
		const struct wasm_insn *in = &c->insns[i];
		u32 first = i;

		if (w.target[i]) {
			/* Every operand in its own slot; below pend_lo they already are. */
			if (live)
				materialize_all(&w);
			for (u32 h = w.pend_lo; h < w.target[i] - 1; h++)
				w.ent[h] = nat(&w, h);
			live = true;
			w.vh = w.pend_lo = w.target[i] - 1;
		}
		w.map[i] = w.nout;
		/* A height that differs is only below a polymorphic stack: code no branch reaches. */
		if (!live || (!w.target[i] && in->h != w.vh) ||
		    !lower_insn(&w, &i, &cmp_at, &cmp_insn)) {
			live = false;
			continue;
		}
		for (u32 k = first + 1; k <= i; k++)
			w.map[k] = w.nout;
		switch (in->op) {
		case 0x00: case 0x05: case 0x0c: case 0x0e: case 0x0f:
			live = false;
		}
	}
	w.map[c->ninsns] = w.nout;
	if (w.oom)
		goto out;
	rc = wasm_store_alloc(s, sizeof(*rc) + (size_t)w.nconsts * sizeof(u64) +
			      (size_t)(w.nout ? w.nout : 1) * sizeof(struct rinsn));
	if (!rc)
		goto out;
	rc->consts = (u64 *)(rc + 1);
	rc->insns = (struct rinsn *)(rc->consts + w.nconsts);
	memcpy(rc->consts, w.consts, (size_t)w.nconsts * sizeof(u64));
	for (u32 i = 0; i < w.nout; i++) {
		rc->insns[i] = w.out[i];
		/* A branch's target becomes its distance in bytes from the branch. */
		if (branch_handler(labels, w.out[i].h))
			rc->insns[i].k = ((u64)w.map[w.out[i].k] - i) * sizeof(struct rinsn);
	}
	rc->nparams = f->type->nparams;
	rc->nlocals = c->nlocals;
	rc->nconsts = w.nconsts;
	rc->nslots = c->nlocals + w.maxconsts + c->max_height;
out:
	s->al->free(w.out);
	s->al->free(w.map);
	s->al->free(w.target);
	s->al->free(w.ent);
	s->al->free(w.consts);
	return rc;
}

/*
 * Linear memory accesses: wasm addresses need no alignment. On RISC-V one
 * load or store (Linux user space may access memory misaligned, emulated if
 * the hart cannot, and compiled code does the same), which -mstrict-align
 * would otherwise turn into a byte at a time.
 */
#ifdef __riscv
/* R is the register's type: lbu, lhu and lwu zero-extend, lb, lh and lw sign-extend. */
#define MLOAD(T, R, insn, p) \
	({ R v_; __asm__(insn " %0, %1" : "=r"(v_) : "m"(*(const T *)(p))); v_; })
#define MSTORE(T, insn, p, v) \
	__asm__ volatile(insn " %1, %0" : "=m"(*(T *)(p)) : "r"((T)(v)))
/* f64 straight between memory and an FP register. */
#define MLOAD_F64(p) \
	({ double v_; __asm__("fld %0, %1" : "=f"(v_) : "m"(*(const double *)(p))); v_; })
#define MSTORE_F64(p, v) \
	__asm__ volatile("fsd %1, %0" : "=m"(*(double *)(p)) : "f"((double)(v)))
#else
#define MLOAD(T, R, insn, p)	({ T v_; __builtin_memcpy(&v_, (p), sizeof(T)); (R)v_; })
#define MSTORE(T, insn, p, v)	do { T v_ = (T)(v); __builtin_memcpy((p), &v_, sizeof(T)); } while (0)
#define MLOAD_F64(p)		MLOAD(double, double, "fld", p)
#define MSTORE_F64(p, v)	MSTORE(double, "fsd", p, v)
#endif

#define SLOT(o)		(*(u64 *)((u8 *)fp + (o)))
#define X		SLOT(in->x)
#define Y		SLOT(in->y)
#define D		SLOT(in->d)
#define NEXT()		goto *(++in)->h
#define JUMP()		do { in = (const struct rinsn *)((const u8 *)in + in->k); goto *in->h; } while (0)
#define H(n)		op_##n:
#define TRAP(t)		do { trap = (t); goto out_trap; } while (0)

/*
 * An i32 is kept in its slot sign-extended, as RV64's W instructions leave
 * it (and compiled code does); whoever reads one takes its low half, and
 * values leaving for C are made zero-extended (canon_values()). f64 slots are
 * read and written as doubles, so the FPU loads them directly.
 */
typedef double slot_f64 __attribute__((may_alias));
#define XF64		(*(slot_f64 *)&X)
#define YF64		(*(slot_f64 *)&Y)
#define DF64		(*(slot_f64 *)&D)
#define UN32(e)		{ u32 a = (u32)X; D = (u64)(s64)(s32)(u32)(e); } NEXT()
#define UN64(e)		{ u64 a = X; D = (u64)(e); } NEXT()
#define BIN32(e)	{ u32 a = (u32)X, b = (u32)Y; D = (u64)(s64)(s32)(u32)(e); } NEXT()
#define BIN64(e)	{ u64 a = X, b = Y; D = (u64)(e); } NEXT()
#define BINF32(e)	{ float a = f32_of(X), b = f32_of(Y); D = bits_f32(e); } NEXT()
#define BINF64(e)	{ double a = XF64, b = YF64; DF64 = (e); } NEXT()
#define CMPF32(e)	{ float a = f32_of(X), b = f32_of(Y); D = (e); } NEXT()
#define CMPF64(e)	{ double a = XF64, b = YF64; D = (e); } NEXT()
#define UNF32(e)	{ float a = f32_of(X); D = bits_f32(e); } NEXT()
#define UNF64(e)	{ double a = XF64; DF64 = (e); } NEXT()
/* Float to integer: the opcode picks the float's width, the result's and the sign. */
#define TRUNC(op) \
	{ double x_ = ((op) == 0xaa || (op) == 0xab || (op) >= 0xb0) ? f64_of(X) : f32_of(X); \
	  trap = trunc_to(x_, (op) >= 0xae, !((op) & 1), false, &D); \
	  if (trap) \
		goto out_trap; } NEXT()
#define TRUNC_SAT(k) \
	{ double x_ = ((k) & 2) ? f64_of(X) : f32_of(X); \
	  trunc_to(x_, (k) >= 4, !((k) & 1), true, &D); } NEXT()
#define BRC32(c)	{ u32 a = (u32)X, b = (u32)Y; if (c) JUMP(); } NEXT()
#define BRC64(c)	{ u64 a = X, b = Y; if (c) JUMP(); } NEXT()
#define IMM64		((u64)(s64)(s32)in->y)
#define BIN32I(e)	{ u32 a = (u32)X, b = in->y; D = (u64)(s64)(s32)(u32)(e); } NEXT()
#define BIN64I(e)	{ u64 a = X, b = IMM64; D = (u64)(e); } NEXT()
#define BRC32I(c)	{ u32 a = (u32)X, b = in->y; if (c) JUMP(); } NEXT()
#define BRC64I(c)	{ u64 a = X, b = IMM64; if (c) JUMP(); } NEXT()
#define INCBR32(c) \
	{ u64 *p_ = &X; u32 a = (u32)*p_ + in->e, b = in->y; \
	  *p_ = (u64)(s64)(s32)a; \
	  if (c) \
		JUMP(); } NEXT()

/* The effective address of an n-byte access at the 32-bit address a, plus the offset. */
#define EA_AT(a, n) \
	u64 ea = (u64)(u32)(a) + in->e; \
	if (ea + (n) > msz) \
		TRAP(WASM_TRAP_MEM_OOB)
#define EA(n)			EA_AT(X, n)
#define LOAD(T, R, insn, conv) \
	{ R v; EA(sizeof(T)); v = MLOAD(T, R, insn, mb + ea); D = (conv); } NEXT()
/* A load from a computed 32-bit address a. */
#define LOADA(T, R, insn, conv, a) \
	{ R v; EA_AT(a, sizeof(T)); v = MLOAD(T, R, insn, mb + ea); D = (conv); } NEXT()
#define STORE(T, insn)		{ EA(sizeof(T)); MSTORE(T, insn, mb + ea, Y); } NEXT()
/* y read after d is written: it may be the same slot. */
#define LDBR32(c) \
	{ EA(4); s64 v_ = MLOAD(s32, s64, "lw", mb + ea); const u64 *y_ = &Y; \
	  D = (u64)v_; \
	  { u32 a = (u32)v_, b = (u32)*y_; \
	    if (c) \
		JUMP(); } } NEXT()

/* X_INC32 of slot f by g, then INCLDBR32. */
#define INC2LDBR32(c) \
	{ u64 *q_ = &SLOT(in->f); *q_ = (u64)(s64)(s32)((u32)*q_ + in->g); } \
	INCLDBR32(c)
/* X_LDPOST32, its step's constant in f, its second slot g, then BRC32 of the loaded value and y. */
#define LDPOSTBR32(c) \
	{ u64 ea = (u32)X, *d_ = &D, *e_ = &SLOT(in->e), *g_ = &SLOT(in->g), s_; s64 v_; \
	  if (ea + 4 > msz) \
		TRAP(WASM_TRAP_MEM_OOB); \
	  v_ = MLOAD(s32, s64, "lw", mb + ea); \
	  *d_ = (u64)v_; \
	  s_ = (u64)(s64)(s32)((u32)ea + in->f); \
	  *e_ = s_; \
	  *g_ = s_; \
	  { u32 a = (u32)v_, b = (u32)Y; \
	    if (c) \
		JUMP(); } } NEXT()
/* X_INC32 of slot x by e, then LDBR32 from the address it made. */
#define INCLDBR32(c) \
	{ u64 *p_ = &X; u32 a_ = (u32)*p_ + in->e; u64 ea = a_; \
	  *p_ = (u64)(s64)(s32)a_; \
	  if (ea + 4 > msz) \
		TRAP(WASM_TRAP_MEM_OOB); \
	  s64 v_ = MLOAD(s32, s64, "lw", mb + ea); const u64 *y_ = &Y; \
	  D = (u64)v_; \
	  { u32 a = (u32)v_, b = (u32)*y_; \
	    if (c) \
		JUMP(); } } NEXT()

/*
 * The handler families, each written once as a list the handlers and the
 * label table both expand. INT_CMPS: i32 and i64 eq..ge_u, their k-th
 * (0..9) at 0x46 + k and 0x51 + k, the order fused_branch() counts in;
 * sg is u or s, the operands' signedness.
 */
#define INT_CMPS(C) \
	C(0, 0x46, 0x51, ==, u) C(1, 0x47, 0x52, !=, u) C(2, 0x48, 0x53, <, s) \
	C(3, 0x49, 0x54, <, u) C(4, 0x4a, 0x55, >, s) C(5, 0x4b, 0x56, >, u) \
	C(6, 0x4c, 0x57, <=, s) C(7, 0x4d, 0x58, <=, u) C(8, 0x4e, 0x59, >=, s) \
	C(9, 0x4f, 0x5a, >=, u)
#define CMP32_u(a, OP, b)	((a) OP (b))
#define CMP32_s(a, OP, b)	((s32)(a) OP (s32)(b))
#define CMP64_u(a, OP, b)	((a) OP (b))
#define CMP64_s(a, OP, b)	((s64)(a) OP (s64)(b))
/* Integer operations with a handler for a constant right operand (X_IMM), besides the comparisons. */
#define IMM_ARITH(C) \
	C(0x6a, BIN32I(a + b)) C(0x6b, BIN32I(a - b)) C(0x6c, BIN32I(a * b)) \
	C(0x71, BIN32I(a & b)) C(0x72, BIN32I(a | b)) C(0x73, BIN32I(a ^ b)) \
	C(0x74, BIN32I(a << (b & 31))) C(0x75, BIN32I((u32)((s32)a >> (b & 31)))) \
	C(0x76, BIN32I(a >> (b & 31))) C(0x7c, BIN64I(a + b)) C(0x7d, BIN64I(a - b)) \
	C(0x7e, BIN64I(a * b)) C(0x83, BIN64I(a & b)) C(0x84, BIN64I(a | b)) \
	C(0x85, BIN64I(a ^ b)) C(0x86, BIN64I(a << (b & 63))) \
	C(0x87, BIN64I((u64)((s64)a >> (b & 63)))) C(0x88, BIN64I(a >> (b & 63)))
/* Loads: the access's type, what it widens to, the RV64 instruction, the slot's value. */
#define LOADS(C) \
	C(0x28, s32, s64, "lw", v) C(0x29, u64, u64, "ld", v) C(0x2a, u32, u64, "lwu", v) \
	C(0x2b, u64, u64, "ld", v) C(0x2c, s8, s64, "lb", v) C(0x2d, u8, u64, "lbu", v) \
	C(0x2e, s16, s64, "lh", v) C(0x2f, u16, u64, "lhu", v) \
	C(0x30, s8, s64, "lb", (u64)(s64)v) C(0x31, u8, u64, "lbu", v) \
	C(0x32, s16, s64, "lh", (u64)(s64)v) C(0x33, u16, u64, "lhu", v) \
	C(0x34, s32, s64, "lw", (u64)(s64)v) C(0x35, u32, u64, "lwu", v)
/* Stores: the access's type and the RV64 instruction. */
#define STORES(C) \
	C(0x36, u32, "sw") C(0x37, u64, "sd") C(0x38, u32, "sw") C(0x39, u64, "sd") \
	C(0x3a, u8, "sb") C(0x3b, u16, "sh") C(0x3c, u8, "sb") C(0x3d, u16, "sh") \
	C(0x3e, u32, "sw")
/* The other numeric operations keep a handler each. */
#define ROW16(C, hi) \
	C(hi##0) C(hi##1) C(hi##2) C(hi##3) C(hi##4) C(hi##5) C(hi##6) C(hi##7) \
	C(hi##8) C(hi##9) C(hi##a) C(hi##b) C(hi##c) C(hi##d) C(hi##e) C(hi##f)
#define OTHER_OPS(C) \
	C(0x45) \
	C(0x50) C(0x5b) C(0x5c) C(0x5d) C(0x5e) C(0x5f) ROW16(C, 0x6) ROW16(C, 0x7) \
	ROW16(C, 0x8) ROW16(C, 0x9) ROW16(C, 0xa) ROW16(C, 0xb) C(0xc0) C(0xc1) C(0xc2) \
	C(0xc3) C(0xc4) C(0xd1) C(0xe0) C(0xe1) C(0xe2) C(0xe3) C(0xe4) C(0xe5) C(0xe6) \
	C(0xe7)
/* The handlers that are not numeric operations. */
#define CONTROL_OPS(C) \
	C(X_TRAP) C(X_COPY) C(X_CONST) C(X_BR) C(X_BRV) C(X_BR_Z) C(X_BR_NZ) C(X_BRV_IF) \
	C(X_BR_TABLE) C(X_RET) C(X_RET1) C(X_CALL) C(X_CALL_IND) C(X_GGET) C(X_GSET) \
	C(X_RTOP) C(X_SELECT) C(X_INC32) C(X_SHLADD) C(X_ADDI2) C(X_LDPOST32) C(X_COPY2)
/* An f64.mul's product p and another value c (X_MULOP + k): two roundings, as the two instructions. */
#define MUL_F64_OPS(C) \
	C(0, p + c) C(1, c + p) C(2, p - c) C(3, c - p) C(4, p * c) C(5, c * p)
/* f64 arithmetic of a value v and one loaded, m (X_LDF64 + k and X_RMWF64 + k). */
#define LOAD_F64_OPS(C) \
	C(0, v + m) C(1, v - m) C(2, v * m) C(3, v / m) C(4, m - v) C(5, m / v)

static enum wasm_trap call_out(struct wasm_store *s, struct wasm_func *f, u64 *base);

static enum wasm_trap run(struct wasm_store *s, struct wasm_func *entry, u64 *base)
{
#define L_CMP(k, op32, op64, OP, sg) \
	[op32] = &&op_##op32, [op64] = &&op_##op64, \
	[X_IMM + op32 - 0x45] = &&op_X_I_##op32, [X_IMM + op64 - 0x45] = &&op_X_I_##op64, \
	[X_BRC32 + k] = &&op_X_BRC32_##k, [X_BRC64 + k] = &&op_X_BRC64_##k, \
	[X_BRCI32 + k] = &&op_X_BRCI32_##k, [X_BRCI64 + k] = &&op_X_BRCI64_##k, \
	[X_INCBR32 + k] = &&op_X_INCBR32_##k, [X_LDBR32 + k] = &&op_X_LDBR32_##k, \
	[X_INCLDBR32 + k] = &&op_X_INCLDBR32_##k, [X_INC2LDBR32 + k] = &&op_X_INC2LDBR32_##k, \
	[X_LDPOSTBR32 + k] = &&op_X_LDPOSTBR32_##k,
#define L_IMM(op, e)		[X_IMM + op - 0x45] = &&op_X_I_##op,
#define L_LOAD(op, T, R, insn, conv) \
	[op] = &&op_##op, [X_LDI + op - 0x28] = &&op_X_LDI_##op, [X_LDS + op - 0x28] = &&op_X_LDS_##op,
#define L_OP(op)		[op] = &&op_##op,
#define L_STORE(op, T, insn)	[op] = &&op_##op, [X_STI + op - 0x36] = &&op_X_STI_##op,
#define L_LDF64(k, e)		[X_LDF64 + k] = &&op_X_LDF64_##k, [X_RMWF64 + k] = &&op_X_RMWF64_##k, \
				[X_MULRMWF64 + k] = &&op_X_MULRMWF64_##k,
#define L_MULOP(k, v)		[X_MULOP + k] = &&op_X_MULOP_##k,
	static const void *const labels[X_COUNT] = {
		INT_CMPS(L_CMP) IMM_ARITH(L_IMM) LOADS(L_LOAD) STORES(L_STORE) OTHER_OPS(L_OP) CONTROL_OPS(L_OP)
		LOAD_F64_OPS(L_LDF64) MUL_F64_OPS(L_MULOP)
	};
	struct wasm_frame *frames = s->frames;
	u32 depth = 0;
	struct wasm_func *fn = NULL, *callee = entry;
	const struct wasm_rcode *rc;
	struct wasm_instance *inst = NULL;
	struct wasm_memory *mem = NULL;
	u8 *mb = NULL;
	u64 msz = 0;
	const struct rinsn *in = NULL;
	u64 *fp = base;
	enum wasm_trap trap;

#define RELOAD_MEM() do { mb = mem ? mem->data : NULL; msz = mem ? mem->size : 0; } while (0)
call:
	if (callee->host || callee->jit) {
		trap = call_out(s, callee, base);
		if (trap && callee->host)
			goto out_trap;	/* a host function's trap names its caller */
		if (trap)
			return trap;	/* the compiled callee named itself */
		if (!depth)
			return WASM_OK;
		RELOAD_MEM();
		NEXT();
	}
	rc = callee->rcode;
	if (!rc) {
		rc = callee->rcode = lower(s, callee, labels);
		if (!rc) {
			fn = callee;
			TRAP(WASM_TRAP_OUT_OF_MEMORY);
		}
	}
	/* Named after the function not entered, as compiled code's prologue does. */
	if (depth >= s->max_frames || base + rc->nslots + 1 > s->stack_end) {
		fn = callee;
		TRAP(WASM_TRAP_STACK_EXHAUSTED);
	}
	frames[depth].fn = fn;
	frames[depth].pc = in;
	frames[depth].fp = fp;
	depth++;
	fn = callee;
	inst = fn->inst;
	mem = mem0(inst);
	RELOAD_MEM();
	fp = base;
	for (u32 i = rc->nparams; i < rc->nlocals; i++)
		fp[i] = 0;
	for (u32 i = 0; i < rc->nconsts; i++)
		fp[rc->nlocals + i] = rc->consts[i];
	in = rc->insns;
	goto *in->h;

H(X_TRAP)
	TRAP(in->e);
H(X_COPY)
	D = X;
	NEXT();
H(X_COPY2) {
	u64 *y = &Y;

	D = X;
	*y = SLOT(in->e);
	NEXT();
}
H(X_CONST)
	D = in->k;
	NEXT();
H(X_BR)
	JUMP();
H(X_BRV)
	/* The kept values move down (or stay): a forward copy is safe. */
	for (u32 i = 0; i < in->e; i++)
		SLOT(in->d + 8 * i) = SLOT(in->x + 8 * i);
	JUMP();
H(X_BR_Z)
	if (!(u32)X)
		JUMP();
	NEXT();
H(X_BR_NZ)
	if ((u32)X)
		JUMP();
	NEXT();
H(X_BRV_IF)
	if (!(u32)Y)
		NEXT();
	for (u32 i = 0; i < in->e; i++)
		SLOT(in->d + 8 * i) = SLOT(in->x + 8 * i);
	JUMP();
H(X_BR_TABLE) {
	u32 i = (u32)X;

	in += 1 + (i < in->e ? i : in->e);
	goto *in->h;
}
H(X_RET1)
	fp[0] = X;
	goto ret;
H(X_RET)
	for (u32 i = 0; i < in->e; i++)
		fp[i] = SLOT(in->x + 8 * i);
ret:
	depth--;
	fn = frames[depth].fn;
	in = frames[depth].pc;
	fp = frames[depth].fp;
	if (!depth)
		return WASM_OK;
	inst = fn->inst;
	mem = mem0(inst);
	RELOAD_MEM();
	NEXT();
H(X_CALL)
	callee = (struct wasm_func *)(uintptr_t)in->k;
	base = &X;
	goto call;
H(X_CALL_IND) {
	struct wasm_table *t = (struct wasm_table *)(uintptr_t)in->k;
	u32 i = (u32)Y;

	if (i >= t->size)
		TRAP(WASM_TRAP_UNDEFINED_ELEM);
	callee = (struct wasm_func *)(uintptr_t)t->elems[i];
	if (!callee)
		TRAP(WASM_TRAP_INDIRECT_NULL);
	if (!same_type(callee->type, &inst->mod->types[in->e]))
		TRAP(WASM_TRAP_INDIRECT_TYPE);
	base = &X;
	goto call;
}
H(X_GGET)
	D = ((struct wasm_global *)(uintptr_t)in->k)->val;
	NEXT();
H(X_GSET)
	((struct wasm_global *)(uintptr_t)in->k)->val = X;
	NEXT();
H(X_RTOP)
	trap = wasm_rt_op(inst, in->y, in->e, in->k, &X, fn->index);
	if (trap)
		goto out_trap;
	RELOAD_MEM();
	NEXT();
H(X_SELECT)
	D = (u32)SLOT(in->e) ? X : Y;
	NEXT();
#define H_CMP(k, op32, op64, OP, sg) \
	H(op32) BIN32(CMP32_##sg(a, OP, b)); H(op64) BIN64(CMP64_##sg(a, OP, b)); \
	H(X_I_##op32) BIN32I(CMP32_##sg(a, OP, b)); H(X_I_##op64) BIN64I(CMP64_##sg(a, OP, b)); \
	H(X_BRC32_##k) BRC32(CMP32_##sg(a, OP, b)); H(X_BRC64_##k) BRC64(CMP64_##sg(a, OP, b)); \
	H(X_BRCI32_##k) BRC32I(CMP32_##sg(a, OP, b)); H(X_BRCI64_##k) BRC64I(CMP64_##sg(a, OP, b)); \
	H(X_INCBR32_##k) INCBR32(CMP32_##sg(a, OP, b)); H(X_LDBR32_##k) LDBR32(CMP32_##sg(a, OP, b)); \
	H(X_INCLDBR32_##k) INCLDBR32(CMP32_##sg(a, OP, b)); \
	H(X_INC2LDBR32_##k) INC2LDBR32(CMP32_##sg(a, OP, b)); \
	H(X_LDPOSTBR32_##k) LDPOSTBR32(CMP32_##sg(a, OP, b));
#define H_IMM(op, e)		H(X_I_##op) e;
#define H_LOAD(op, T, R, insn, conv) \
	H(op) LOAD(T, R, insn, conv); H(X_LDI_##op) LOADA(T, R, insn, conv, (u32)X + in->y); \
	H(X_LDS_##op) LOADA(T, R, insn, conv, ((u32)X << in->k) + in->y);
INT_CMPS(H_CMP)
IMM_ARITH(H_IMM)
LOADS(H_LOAD)
H(X_INC32) {
	u64 *p = &X;

	*p = (u64)(s64)(s32)((u32)*p + in->y);
	NEXT();
}
#define H_STORE(op, T, insn) \
	H(op) STORE(T, insn); \
	H(X_STI_##op) { EA_AT((u32)X + in->y, sizeof(T)); MSTORE(T, insn, mb + ea, D); } NEXT();
STORES(H_STORE)
H(X_SHLADD) {
	u32 a = (u32)X, b = (u32)Y;

	D = (u64)(s64)(s32)(b + (a << in->e));
	NEXT();
}
H(X_LDPOST32) {
	u64 ea = (u32)X, *d = &D, *e = &SLOT(in->e), *k = &SLOT(in->k), v;

	if (ea + 4 > msz)
		TRAP(WASM_TRAP_MEM_OOB);
	*d = (u64)MLOAD(s32, s64, "lw", mb + ea);
	v = (u64)(s64)(s32)((u32)ea + in->y);
	*e = v;
	*k = v;
	NEXT();
}
H(X_ADDI2) {
	u64 v = (u64)(s64)(s32)((u32)X + in->y), *d = &D, *e = &SLOT(in->e);

	*d = v;
	*e = v;
	NEXT();
}
H(0x45) UN32(a == 0);
H(0x50) UN64(a == 0);
H(0x5b) CMPF32(a == b);
H(0x5c) CMPF32(a != b);
H(0x5d) CMPF32(a < b);
H(0x5e) CMPF32(a > b);
H(0x5f) CMPF32(a <= b);
H(0x60) CMPF32(a >= b);
H(0x61) CMPF64(a == b);
H(0x62) CMPF64(a != b);
H(0x63) CMPF64(a < b);
H(0x64) CMPF64(a > b);
H(0x65) CMPF64(a <= b);
H(0x66) CMPF64(a >= b);
H(0x67) UN32(clz64(a, 32));
H(0x68) UN32(ctz64(a, 32));
H(0x69) UN32(popcnt64(a));
H(0x6a) BIN32(a + b);
H(0x6b) BIN32(a - b);
H(0x6c) BIN32(a * b);
H(0x6d)
	if (!(u32)Y)
		TRAP(WASM_TRAP_DIV_ZERO);
	if ((u32)Y == 0xffffffffu && (u32)X == 0x80000000u)
		TRAP(WASM_TRAP_INT_OVERFLOW);
	BIN32((s32)a / (s32)b);
H(0x6e)
	if (!(u32)Y)
		TRAP(WASM_TRAP_DIV_ZERO);
	BIN32(a / b);
H(0x6f)
	if (!(u32)Y)
		TRAP(WASM_TRAP_DIV_ZERO);
	BIN32(b == 0xffffffffu ? 0 : (s32)a % (s32)b);
H(0x70)
	if (!(u32)Y)
		TRAP(WASM_TRAP_DIV_ZERO);
	BIN32(a % b);
H(0x71) BIN32(a & b);
H(0x72) BIN32(a | b);
H(0x73) BIN32(a ^ b);
H(0x74) BIN32(a << (b & 31));
H(0x75) BIN32((u32)((s32)a >> (b & 31)));
H(0x76) BIN32(a >> (b & 31));
H(0x77) BIN32((a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)));
H(0x78) BIN32((a >> (b & 31)) | (a << ((32 - (b & 31)) & 31)));
H(0x79) UN64(clz64(a, 64));
H(0x7a) UN64(ctz64(a, 64));
H(0x7b) UN64(popcnt64(a));
H(0x7c) BIN64(a + b);
H(0x7d) BIN64(a - b);
H(0x7e) BIN64(a * b);
H(0x7f)
	if (!Y)
		TRAP(WASM_TRAP_DIV_ZERO);
	if (Y == ~0ull && X == 0x8000000000000000ull)
		TRAP(WASM_TRAP_INT_OVERFLOW);
	BIN64((s64)a / (s64)b);
H(0x80)
	if (!Y)
		TRAP(WASM_TRAP_DIV_ZERO);
	BIN64(a / b);
H(0x81)
	if (!Y)
		TRAP(WASM_TRAP_DIV_ZERO);
	BIN64(b == ~0ull ? 0 : (s64)a % (s64)b);
H(0x82)
	if (!Y)
		TRAP(WASM_TRAP_DIV_ZERO);
	BIN64(a % b);
H(0x83) BIN64(a & b);
H(0x84) BIN64(a | b);
H(0x85) BIN64(a ^ b);
H(0x86) BIN64(a << (b & 63));
H(0x87) BIN64((u64)((s64)a >> (b & 63)));
H(0x88) BIN64(a >> (b & 63));
H(0x89) BIN64((a << (b & 63)) | (a >> ((64 - (b & 63)) & 63)));
H(0x8a) BIN64((a >> (b & 63)) | (a << ((64 - (b & 63)) & 63)));
H(0x8b) UN32(a & 0x7fffffffu);
H(0x8c) UN32(a ^ 0x80000000u);
H(0x8d) UNF32(round32(a, R_CEIL));
H(0x8e) UNF32(round32(a, R_FLOOR));
H(0x8f) UNF32(round32(a, R_TRUNC));
H(0x90) UNF32(round32(a, R_NEAREST));
H(0x91) UNF32(__builtin_sqrtf(a));
H(0x92) BINF32(a + b);
H(0x93) BINF32(a - b);
H(0x94) BINF32(a * b);
H(0x95) BINF32(a / b);
H(0x96) BIN64(fmin_bits(a, b, false));
H(0x97) BIN64(fmax_bits(a, b, false));
H(0x98) BIN32((a & 0x7fffffffu) | (b & 0x80000000u));
H(0x99) UN64(a & 0x7fffffffffffffffull);
H(0x9a) UN64(a ^ 0x8000000000000000ull);
H(0x9b) UNF64(round64(a, R_CEIL));
H(0x9c) UNF64(round64(a, R_FLOOR));
H(0x9d) UNF64(round64(a, R_TRUNC));
H(0x9e) UNF64(round64(a, R_NEAREST));
H(0x9f) UNF64(__builtin_sqrt(a));
H(0xa0) BINF64(a + b);
/* No fused multiply-add either: the engine is built with -ffp-contract=off. */
#define H_MULOP(n, v) \
	H(X_MULOP_##n) { double c = *(slot_f64 *)&SLOT(in->e), p = XF64 * YF64; DF64 = (v); NEXT(); }
MUL_F64_OPS(H_MULOP)
#define H_LDF64(n, e) \
	H(X_LDF64_##n) { \
		EA_AT((u32)X + in->y, 8); \
		double v = *(slot_f64 *)&SLOT(in->k), m = MLOAD_F64(mb + ea); \
		DF64 = (e); \
		NEXT(); \
	} \
	H(X_RMWF64_##n) { \
		EA(8); \
		double v = *(slot_f64 *)&SLOT(in->k), m = MLOAD_F64(mb + ea); \
		MSTORE_F64(mb + ea, (e)); \
		NEXT(); \
	} \
	H(X_MULRMWF64_##n) { \
		EA(8); \
		double v = *(slot_f64 *)&SLOT(in->f) * *(slot_f64 *)&SLOT(in->g); \
		double m = MLOAD_F64(mb + ea); \
		MSTORE_F64(mb + ea, (e)); \
		NEXT(); \
	}
LOAD_F64_OPS(H_LDF64)
H(0xa1) BINF64(a - b);
H(0xa2) BINF64(a * b);
H(0xa3) BINF64(a / b);
H(0xa4) BIN64(fmin_bits(a, b, true));
H(0xa5) BIN64(fmax_bits(a, b, true));
H(0xa6) BIN64((a & ~(1ull << 63)) | (b & (1ull << 63)));
H(0xa7) UN64((u32)a);
H(0xa8) TRUNC(0xa8);
H(0xa9) TRUNC(0xa9);
H(0xaa) TRUNC(0xaa);
H(0xab) TRUNC(0xab);
H(0xae) TRUNC(0xae);
H(0xaf) TRUNC(0xaf);
H(0xb0) TRUNC(0xb0);
H(0xb1) TRUNC(0xb1);
H(0xac) UN64((u64)(s64)(s32)a);
H(0xad) UN64((u32)a);
H(0xb2) UN64(bits_f32((float)(s32)a));
H(0xb3) UN64(bits_f32((float)(u32)a));
H(0xb4) UN64(bits_f32((float)(s64)a));
H(0xb5) UN64(bits_f32((float)a));
H(0xb6) UN64(bits_f32((float)f64_of(a)));
H(0xb7) UN64(bits_f64((double)(s32)a));
H(0xb8) UN64(bits_f64((double)(u32)a));
H(0xb9) UN64(bits_f64((double)(s64)a));
H(0xba) UN64(bits_f64((double)a));
H(0xbb) UN64(bits_f64((double)f32_of(a)));
H(0xbc) H(0xbd) H(0xbe) H(0xbf)
	D = X;
	NEXT();
H(0xc0) UN32((u32)(s32)(s8)a);
H(0xc1) UN32((u32)(s32)(s16)a);
H(0xc2) UN64((u64)(s64)(s8)a);
H(0xc3) UN64((u64)(s64)(s16)a);
H(0xc4) UN64((u64)(s64)(s32)a);
H(0xd1) UN64(!a);
H(0xe0) TRUNC_SAT(0);
H(0xe1) TRUNC_SAT(1);
H(0xe2) TRUNC_SAT(2);
H(0xe3) TRUNC_SAT(3);
H(0xe4) TRUNC_SAT(4);
H(0xe5) TRUNC_SAT(5);
H(0xe6) TRUNC_SAT(6);
H(0xe7) TRUNC_SAT(7);
out_trap:
	s->trap_func = fn ? fn->index : callee->index;
	return trap;
}

#undef RELOAD_MEM
#undef SLOT
#undef X
#undef Y
#undef D
#undef NEXT
#undef JUMP
#undef H
#undef TRAP

/* The compiled code's trampoline: its frame, the instance, the function, wasm_rt_op. */
typedef u64 (*jit_enter_fn)(u64 *fp, struct wasm_instance *inst, const void *fn, void *helper);

/*
 * Compiled code keeps 32-bit values in the low half of a slot; C sees them
 * zero-extended, as the interpreter keeps them.
 */
static void canon_values(const u8 *types, u32 n, u64 *v)
{
	for (u32 i = 0; i < n; i++)
		if (types[i] == WASM_I32 || types[i] == WASM_F32)
			v[i] = (u32)v[i];
}

/*
 * Native stack the compiled tier may use below its outermost entry: deep
 * recursion traps as "call stack exhausted" before the process's stack ends.
 */
#define JIT_STACK_BUDGET	(2u << 20)

/* A call leaving the caller's tier: a host function or compiled code; args at base, results replace them. */
static enum wasm_trap call_out(struct wasm_store *s, struct wasm_func *f, u64 *base)
{
	u32 np = f->type->nparams, nr = f->type->nresults;
	enum wasm_trap t;

	if (base + np + nr > s->stack_end) {
		s->trap_func = f->index;
		return WASM_TRAP_STACK_EXHAUSTED;
	}
	canon_values(f->type->types, np, base);
	if (f->host) {
		t = f->host(f->host_ctx, f, base, base + np);
		if (!t)
			memmove(base, base + np, nr * sizeof(u64));
		return t;
	}
	if (f->jit) {
		bool outer = !s->jit_sp_limit;

		if (outer)
			s->jit_sp_limit = (uintptr_t)__builtin_frame_address(0) - JIT_STACK_BUDGET;
		t = (enum wasm_trap)((jit_enter_fn)(uintptr_t)f->inst->mod->jit->code)(
			base, f->inst, f->jit, (void *)(uintptr_t)wasm_rt_op);
		if (outer)
			s->jit_sp_limit = 0;
		if (!t)
			canon_values(f->type->types + np, nr, base);
		return t;
	}
	return run(s, f, base);
}

/* Bulk operations' operands: destination, source (or value), count, as u32. */
#define D	((u64)(u32)args[0])
#define SRC	((u64)(u32)args[1])
#define N	((u64)(u32)args[2])

enum wasm_trap wasm_rt_op(struct wasm_instance *inst, u32 op, u32 a, u64 b, u64 *args,
			  u32 caller)
{
	struct wasm_store *s = inst->store;
	struct wasm_memory *mem = mem0(inst);
	enum wasm_trap trap = WASM_OK;
	struct wasm_func *callee;

	switch (op) {
	case 0x10:
		callee = inst->funcs[a];
		goto call;
	case 0x11: {
		const struct wasm_functype *ft = &inst->mod->types[a];
		struct wasm_table *t = inst->tables[b];
		u32 i = (u32)args[ft->nparams];

		if (i >= t->size) {
			trap = WASM_TRAP_UNDEFINED_ELEM;
			break;
		}
		callee = (struct wasm_func *)(uintptr_t)t->elems[i];
		if (!callee)
			trap = WASM_TRAP_INDIRECT_NULL;
		else if (!same_type(callee->type, ft))
			trap = WASM_TRAP_INDIRECT_TYPE;
		if (trap)
			break;
call:
		/* A trap inside a wasm callee names the callee; it has set trap_func. */
		trap = call_out(s, callee, args);
		if (trap && callee->host)
			s->trap_func = caller;
		return trap;
	}
	case 0x25: {
		struct wasm_table *t = inst->tables[a];

		if ((u32)args[0] >= t->size)
			trap = WASM_TRAP_TABLE_OOB;
		else
			args[0] = t->elems[(u32)args[0]];
		break;
	}
	case 0x26: {
		struct wasm_table *t = inst->tables[a];

		if ((u32)args[0] >= t->size)
			trap = WASM_TRAP_TABLE_OOB;
		else
			t->elems[(u32)args[0]] = args[1];
		break;
	}
	case 0x3f:
		args[0] = (u32)(mem->size / WASM_PAGE_SIZE);
		break;
	case 0x40:
		args[0] = (u32)grow_memory(s, mem, (u32)args[0]);
		break;
	case 0x67: args[0] = clz64((u32)args[0], 32); break;
	case 0x68: args[0] = ctz64((u32)args[0], 32); break;
	case 0x69: args[0] = popcnt64((u32)args[0]); break;
	case 0x79: args[0] = clz64(args[0], 64); break;
	case 0x7a: args[0] = ctz64(args[0], 64); break;
	case 0x7b: args[0] = popcnt64(args[0]); break;
	case 0x8d: case 0x8e: case 0x8f: case 0x90: {
		static const u8 mode[] = { R_CEIL, R_FLOOR, R_TRUNC, R_NEAREST };

		args[0] = bits_f32(round32(f32_of(args[0]), mode[op - 0x8d]));
		break;
	}
	case 0x9b: case 0x9c: case 0x9d: case 0x9e: {
		static const u8 mode[] = { R_CEIL, R_FLOOR, R_TRUNC, R_NEAREST };

		args[0] = bits_f64(round64(f64_of(args[0]), mode[op - 0x9b]));
		break;
	}
	case 0x96: args[0] = fmin_bits((u32)args[0], (u32)args[1], false); break;
	case 0x97: args[0] = fmax_bits((u32)args[0], (u32)args[1], false); break;
	case 0xa4: args[0] = fmin_bits(args[0], args[1], true); break;
	case 0xa5: args[0] = fmax_bits(args[0], args[1], true); break;
	case 0xa8: case 0xa9: case 0xaa: case 0xab:
	case 0xae: case 0xaf: case 0xb0: case 0xb1: {
		bool f64 = op == 0xaa || op == 0xab || op >= 0xb0;
		double x = f64 ? f64_of(args[0]) : f32_of(args[0]);

		trap = trunc_to(x, op >= 0xae, !(op & 1), false, &args[0]);
		break;
	}
	case 0xfc00: case 0xfc01: case 0xfc02: case 0xfc03:
	case 0xfc04: case 0xfc05: case 0xfc06: case 0xfc07: {
		u32 k = op & 7;
		double x = (k & 2) ? f64_of(args[0]) : f32_of(args[0]);

		trunc_to(x, k >= 4, !(k & 1), true, &args[0]);
		break;
	}
	case 0xfc08:
		trap = memory_init(inst, a, D, SRC, N);
		break;
	case 0xfc09:
		inst->data_dropped[a] = true;
		break;
	case 0xfc0a:
		if (SRC + N > mem->size || D + N > mem->size)
			trap = WASM_TRAP_MEM_OOB;
		else
			memmove(mem->data + D, mem->data + SRC, N);
		break;
	case 0xfc0b:
		if (D + N > mem->size)
			trap = WASM_TRAP_MEM_OOB;
		else
			memset(mem->data + D, (int)SRC, N);
		break;
	case 0xfc0c:
		trap = table_init(inst, (u32)b, a, D, SRC, N);
		break;
	case 0xfc0d:
		inst->elem_len[a] = 0;
		break;
	case 0xfc0e: {
		struct wasm_table *td = inst->tables[a], *ts = inst->tables[b];

		if (SRC + N > ts->size || D + N > td->size)
			trap = WASM_TRAP_TABLE_OOB;
		else
			memmove(td->elems + D, ts->elems + SRC, N * sizeof(u64));
		break;
	}
	case 0xfc0f:
		args[0] = (u32)grow_table(s, inst->tables[a], (u32)args[1], args[0]);
		break;
	case 0xfc10:
		args[0] = inst->tables[a]->size;
		break;
	case 0xfc11: {
		struct wasm_table *t = inst->tables[a];
		u64 v = args[1];

		if (D + N > t->size) {
			trap = WASM_TRAP_TABLE_OOB;
			break;
		}
		for (u64 i = 0; i < N; i++)
			t->elems[D + i] = v;
		break;
	}
	default:
		trap = WASM_TRAP_UNREACHABLE;
	}
	if (trap)
		s->trap_func = caller;
	return trap;
}

#undef D
#undef SRC
#undef N

enum wasm_trap wasm_call(struct wasm_store *s, struct wasm_func *f, const u64 *args, u64 *results)
{
	u32 np = f->type->nparams, nr = f->type->nresults;
	enum wasm_trap t;

	if (np)
		memcpy(s->stack, args, np * sizeof(u64));
	t = f->host || f->jit ? call_out(s, f, s->stack) : run(s, f, s->stack);
	if (!t && nr) {
		canon_values(f->type->types + np, nr, s->stack);
		memcpy(results, s->stack, nr * sizeof(u64));
	}
	return t;
}
