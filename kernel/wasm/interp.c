/* SPDX-License-Identifier: BSD-2-Clause */
/* WebAssembly interpreter over the pre-decoded form, with instantiation and linking (needs FP: user mode and host only). */
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
	const struct wasm_insn *pc;
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
	m->data = s->mem_ops ? s->mem_ops->reserve() : NULL;
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
		if (s->mem_ops->commit(mem->data, mem->size, want * WASM_PAGE_SIZE))
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

#define POP()		(*--sp)
#define TOP		(sp[-1])
#define TRAP(t)		do { trap = (t); goto out_trap; } while (0)

#define UN32(e)		{ u32 a = (u32)TOP; TOP = (u32)(e); } break
#define UN64(e)		{ u64 a = TOP; TOP = (u64)(e); } break
#define BIN32(e)	{ u32 b = (u32)POP(); u32 a = (u32)TOP; TOP = (u32)(e); } break
#define BIN64(e)	{ u64 b = POP(); u64 a = TOP; TOP = (u64)(e); } break
#define BINF32(e)	{ float b = f32_of(POP()); float a = f32_of(TOP); TOP = bits_f32(e); } break
#define BINF64(e)	{ double b = f64_of(POP()); double a = f64_of(TOP); TOP = bits_f64(e); } break
#define CMPF32(e)	{ float b = f32_of(POP()); float a = f32_of(TOP); TOP = (e); } break
#define CMPF64(e)	{ double b = f64_of(POP()); double a = f64_of(TOP); TOP = (e); } break
#define UNF32(e)	{ float a = f32_of(TOP); TOP = bits_f32(e); } break
#define UNF64(e)	{ double a = f64_of(TOP); TOP = bits_f64(e); } break

#define EA(n) \
	u64 ea = (u64)(u32)TOP + in->a; \
	if (ea + (n) > mem->size) \
		TRAP(WASM_TRAP_MEM_OOB)
#define LOAD(T, conv)	{ T v; EA(sizeof(T)); __builtin_memcpy(&v, mem->data + ea, sizeof(T)); TOP = (conv); } break
#define STORE(T)	{ T v = (T)POP(); EA(sizeof(T)); __builtin_memcpy(mem->data + ea, &v, sizeof(T)); sp--; } break

static enum wasm_trap call_out(struct wasm_store *s, struct wasm_func *f, u64 *base);

static enum wasm_trap run(struct wasm_store *s, struct wasm_func *entry, u64 *base)
{
	struct wasm_frame *frames = s->frames;
	u32 depth = 0;
	struct wasm_func *fn = NULL, *callee = entry;
	struct wasm_instance *inst = NULL;
	struct wasm_memory *mem = NULL;
	const struct wasm_insn *pc = NULL;
	u64 *fp = base, *sp = base + entry->type->nparams;
	u64 *const stack_end = s->stack + s->stack_slots;
	enum wasm_trap trap;

call:
	if (callee->host || callee->jit) {
		u32 np = callee->type->nparams, nr = callee->type->nresults;

		trap = call_out(s, callee, sp - np);
		if (trap && callee->host)
			goto out_trap;	/* a host function's trap names its caller */
		if (trap)
			return trap;	/* the compiled callee named itself */
		sp += (s64)nr - np;
		if (!depth)
			return WASM_OK;
	} else {
		const struct wasm_code *code = callee->code;
		u64 *nfp = sp - callee->type->nparams;

		/* Named after the function not entered, as compiled code's prologue does. */
		if (depth >= s->max_frames ||
		    nfp + code->nlocals + code->max_height + 1 > stack_end) {
			fn = callee;
			TRAP(WASM_TRAP_STACK_EXHAUSTED);
		}
		frames[depth].fn = fn;
		frames[depth].pc = pc;
		frames[depth].fp = fp;
		depth++;
		fn = callee;
		inst = fn->inst;
		mem = mem0(inst);
		fp = nfp;
		memset(sp, 0, (code->nlocals - callee->type->nparams) * sizeof(u64));
		sp = fp + code->nlocals;
		pc = code->insns;
	}
	for (;;) {
		const struct wasm_insn *in = pc++;

		switch (in->op) {
		case 0x00:
			TRAP(WASM_TRAP_UNREACHABLE);
		case 0x04:	/* if: falls through, or jumps to the else-arm or end */
			if (!(u32)POP())
				pc = fn->code->insns + in->a;
			break;
		case 0x05:	/* end of a then-arm */
			pc = fn->code->insns + in->a;
			break;
		case 0x0d:
			if (!(u32)POP())
				break;
			/* fall through */
		case 0x0c:
br:
		{
			/* The kept values move down (or stay): a forward copy is safe. */
			u64 *dst = fp + fn->code->nlocals + in->b, *src = sp - in->arity;

			for (u32 i = 0; i < in->arity; i++)
				dst[i] = src[i];
			sp = dst + in->arity;
			pc = fn->code->insns + in->a;
			break;
		}
		case 0x0e: {
			u32 i = (u32)POP();

			in = in + 1 + (i < in->a ? i : in->a);
			goto br;
		}
		case 0x0f: {
			u32 n = in->arity;

			for (u32 i = 0; i < n; i++)
				fp[i] = sp[(s64)i - n];
			sp = fp + n;
			depth--;
			fn = frames[depth].fn;
			pc = frames[depth].pc;
			fp = frames[depth].fp;
			if (!depth)
				return WASM_OK;
			inst = fn->inst;
			mem = mem0(inst);
			break;
		}
		case 0x10:
			callee = inst->funcs[in->a];
			goto call;
		case 0x11: {
			struct wasm_table *t = inst->tables[in->b];
			u32 i = (u32)POP();

			if (i >= t->size)
				TRAP(WASM_TRAP_UNDEFINED_ELEM);
			callee = (struct wasm_func *)(uintptr_t)t->elems[i];
			if (!callee)
				TRAP(WASM_TRAP_INDIRECT_NULL);
			if (!same_type(callee->type, &inst->mod->types[in->a]))
				TRAP(WASM_TRAP_INDIRECT_TYPE);
			goto call;
		}
		case 0x1a:
			sp--;
			break;
		case 0x1b: {
			u32 c = (u32)POP();
			u64 b = POP();

			if (!c)
				TOP = b;
			break;
		}
		case 0x20:
			*sp++ = fp[in->a];
			break;
		case 0x21:
			fp[in->a] = POP();
			break;
		case 0x22:
			fp[in->a] = TOP;
			break;
		case 0x23:
			*sp++ = inst->globals[in->a]->val;
			break;
		case 0x24:
			inst->globals[in->a]->val = POP();
			break;
		case 0x25: case 0x26: case 0x3f: case 0x40:
		case 0xfc08: case 0xfc09: case 0xfc0a: case 0xfc0b: case 0xfc0c:
		case 0xfc0d: case 0xfc0e: case 0xfc0f: case 0xfc10: case 0xfc11: {
			u32 pop, push;

			wasm_op_effect(in->op, &pop, &push);
			sp -= pop;
			trap = wasm_rt_op(inst, in->op, in->a, in->b, sp, fn->index);
			if (trap)
				goto out_trap;
			sp += push;
			break;
		}
		case 0x28: LOAD(u32, v);
		case 0x29: LOAD(u64, v);
		case 0x2a: LOAD(u32, v);
		case 0x2b: LOAD(u64, v);
		case 0x2c: LOAD(s8, (u32)(s32)v);
		case 0x2d: LOAD(u8, v);
		case 0x2e: LOAD(s16, (u32)(s32)v);
		case 0x2f: LOAD(u16, v);
		case 0x30: LOAD(s8, (u64)(s64)v);
		case 0x31: LOAD(u8, v);
		case 0x32: LOAD(s16, (u64)(s64)v);
		case 0x33: LOAD(u16, v);
		case 0x34: LOAD(s32, (u64)(s64)v);
		case 0x35: LOAD(u32, v);
		case 0x36: STORE(u32);
		case 0x37: STORE(u64);
		case 0x38: STORE(u32);
		case 0x39: STORE(u64);
		case 0x3a: STORE(u8);
		case 0x3b: STORE(u16);
		case 0x3c: STORE(u8);
		case 0x3d: STORE(u16);
		case 0x3e: STORE(u32);
		case 0x41:
		case 0x42:
			*sp++ = in->b;
			break;
		case 0x45: UN32(a == 0);
		case 0x46: BIN32(a == b);
		case 0x47: BIN32(a != b);
		case 0x48: BIN32((s32)a < (s32)b);
		case 0x49: BIN32(a < b);
		case 0x4a: BIN32((s32)a > (s32)b);
		case 0x4b: BIN32(a > b);
		case 0x4c: BIN32((s32)a <= (s32)b);
		case 0x4d: BIN32(a <= b);
		case 0x4e: BIN32((s32)a >= (s32)b);
		case 0x4f: BIN32(a >= b);
		case 0x50: UN64(a == 0);
		case 0x51: BIN64(a == b);
		case 0x52: BIN64(a != b);
		case 0x53: BIN64((s64)a < (s64)b);
		case 0x54: BIN64(a < b);
		case 0x55: BIN64((s64)a > (s64)b);
		case 0x56: BIN64(a > b);
		case 0x57: BIN64((s64)a <= (s64)b);
		case 0x58: BIN64(a <= b);
		case 0x59: BIN64((s64)a >= (s64)b);
		case 0x5a: BIN64(a >= b);
		case 0x5b: CMPF32(a == b);
		case 0x5c: CMPF32(a != b);
		case 0x5d: CMPF32(a < b);
		case 0x5e: CMPF32(a > b);
		case 0x5f: CMPF32(a <= b);
		case 0x60: CMPF32(a >= b);
		case 0x61: CMPF64(a == b);
		case 0x62: CMPF64(a != b);
		case 0x63: CMPF64(a < b);
		case 0x64: CMPF64(a > b);
		case 0x65: CMPF64(a <= b);
		case 0x66: CMPF64(a >= b);
		case 0x67: UN32(clz64(a, 32));
		case 0x68: UN32(ctz64(a, 32));
		case 0x69: UN32(popcnt64(a));
		case 0x6a: BIN32(a + b);
		case 0x6b: BIN32(a - b);
		case 0x6c: BIN32(a * b);
		case 0x6d:
			if (!(u32)sp[-1])
				TRAP(WASM_TRAP_DIV_ZERO);
			if ((u32)sp[-1] == 0xffffffffu && (u32)sp[-2] == 0x80000000u)
				TRAP(WASM_TRAP_INT_OVERFLOW);
			BIN32((s32)a / (s32)b);
		case 0x6e:
			if (!(u32)sp[-1])
				TRAP(WASM_TRAP_DIV_ZERO);
			BIN32(a / b);
		case 0x6f:
			if (!(u32)sp[-1])
				TRAP(WASM_TRAP_DIV_ZERO);
			BIN32(b == 0xffffffffu ? 0 : (s32)a % (s32)b);
		case 0x70:
			if (!(u32)sp[-1])
				TRAP(WASM_TRAP_DIV_ZERO);
			BIN32(a % b);
		case 0x71: BIN32(a & b);
		case 0x72: BIN32(a | b);
		case 0x73: BIN32(a ^ b);
		case 0x74: BIN32(a << (b & 31));
		case 0x75: BIN32((u32)((s32)a >> (b & 31)));
		case 0x76: BIN32(a >> (b & 31));
		case 0x77: BIN32((a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)));
		case 0x78: BIN32((a >> (b & 31)) | (a << ((32 - (b & 31)) & 31)));
		case 0x79: UN64(clz64(a, 64));
		case 0x7a: UN64(ctz64(a, 64));
		case 0x7b: UN64(popcnt64(a));
		case 0x7c: BIN64(a + b);
		case 0x7d: BIN64(a - b);
		case 0x7e: BIN64(a * b);
		case 0x7f:
			if (!sp[-1])
				TRAP(WASM_TRAP_DIV_ZERO);
			if (sp[-1] == ~0ull && sp[-2] == 0x8000000000000000ull)
				TRAP(WASM_TRAP_INT_OVERFLOW);
			BIN64((s64)a / (s64)b);
		case 0x80:
			if (!sp[-1])
				TRAP(WASM_TRAP_DIV_ZERO);
			BIN64(a / b);
		case 0x81:
			if (!sp[-1])
				TRAP(WASM_TRAP_DIV_ZERO);
			BIN64(b == ~0ull ? 0 : (s64)a % (s64)b);
		case 0x82:
			if (!sp[-1])
				TRAP(WASM_TRAP_DIV_ZERO);
			BIN64(a % b);
		case 0x83: BIN64(a & b);
		case 0x84: BIN64(a | b);
		case 0x85: BIN64(a ^ b);
		case 0x86: BIN64(a << (b & 63));
		case 0x87: BIN64((u64)((s64)a >> (b & 63)));
		case 0x88: BIN64(a >> (b & 63));
		case 0x89: BIN64((a << (b & 63)) | (a >> ((64 - (b & 63)) & 63)));
		case 0x8a: BIN64((a >> (b & 63)) | (a << ((64 - (b & 63)) & 63)));
		case 0x8b: TOP = (u32)TOP & 0x7fffffffu; break;
		case 0x8c: TOP = (u32)TOP ^ 0x80000000u; break;
		case 0x8d: UNF32(round32(a, R_CEIL));
		case 0x8e: UNF32(round32(a, R_FLOOR));
		case 0x8f: UNF32(round32(a, R_TRUNC));
		case 0x90: UNF32(round32(a, R_NEAREST));
		case 0x91: UNF32(__builtin_sqrtf(a));
		case 0x92: BINF32(a + b);
		case 0x93: BINF32(a - b);
		case 0x94: BINF32(a * b);
		case 0x95: BINF32(a / b);
		case 0x96: { u64 b = POP(); TOP = fmin_bits(TOP, b, false); break; }
		case 0x97: { u64 b = POP(); TOP = fmax_bits(TOP, b, false); break; }
		case 0x98: { u64 b = POP(); TOP = ((u32)TOP & 0x7fffffffu) | ((u32)b & 0x80000000u); break; }
		case 0x99: TOP &= 0x7fffffffffffffffull; break;
		case 0x9a: TOP ^= 0x8000000000000000ull; break;
		case 0x9b: UNF64(round64(a, R_CEIL));
		case 0x9c: UNF64(round64(a, R_FLOOR));
		case 0x9d: UNF64(round64(a, R_TRUNC));
		case 0x9e: UNF64(round64(a, R_NEAREST));
		case 0x9f: UNF64(__builtin_sqrt(a));
		case 0xa0: BINF64(a + b);
		case 0xa1: BINF64(a - b);
		case 0xa2: BINF64(a * b);
		case 0xa3: BINF64(a / b);
		case 0xa4: { u64 b = POP(); TOP = fmin_bits(TOP, b, true); break; }
		case 0xa5: { u64 b = POP(); TOP = fmax_bits(TOP, b, true); break; }
		case 0xa6: { u64 b = POP(); TOP = (TOP & ~(1ull << 63)) | (b & (1ull << 63)); break; }
		case 0xa7: TOP = (u32)TOP; break;
		case 0xa8: case 0xa9: case 0xaa: case 0xab:
		case 0xae: case 0xaf: case 0xb0: case 0xb1: {
			bool f64 = in->op == 0xaa || in->op == 0xab || in->op >= 0xb0;
			double x = f64 ? f64_of(TOP) : f32_of(TOP);

			trap = trunc_to(x, in->op >= 0xae, !(in->op & 1), false, &TOP);
			if (trap)
				goto out_trap;
			break;
		}
		case 0xac: TOP = (u64)(s64)(s32)TOP; break;
		case 0xad: TOP = (u32)TOP; break;
		case 0xb2: TOP = bits_f32((float)(s32)TOP); break;
		case 0xb3: TOP = bits_f32((float)(u32)TOP); break;
		case 0xb4: TOP = bits_f32((float)(s64)TOP); break;
		case 0xb5: TOP = bits_f32((float)TOP); break;
		case 0xb6: TOP = bits_f32((float)f64_of(TOP)); break;
		case 0xb7: TOP = bits_f64((double)(s32)TOP); break;
		case 0xb8: TOP = bits_f64((double)(u32)TOP); break;
		case 0xb9: TOP = bits_f64((double)(s64)TOP); break;
		case 0xba: TOP = bits_f64((double)TOP); break;
		case 0xbb: TOP = bits_f64((double)f32_of(TOP)); break;
		case 0xbc: case 0xbd: case 0xbe: case 0xbf:
			break;
		case 0xc0: TOP = (u32)(s32)(s8)TOP; break;
		case 0xc1: TOP = (u32)(s32)(s16)TOP; break;
		case 0xc2: TOP = (u64)(s64)(s8)TOP; break;
		case 0xc3: TOP = (u64)(s64)(s16)TOP; break;
		case 0xc4: TOP = (u64)(s64)(s32)TOP; break;
		case 0xd1:
			TOP = !TOP;
			break;
		case 0xd2:
			*sp++ = (u64)(uintptr_t)inst->funcs[in->a];
			break;
		case 0xfc00: case 0xfc01: case 0xfc02: case 0xfc03:
		case 0xfc04: case 0xfc05: case 0xfc06: case 0xfc07: {
			u32 k = in->op & 7;
			double x = (k & 2) ? f64_of(TOP) : f32_of(TOP);

			trunc_to(x, k >= 4, !(k & 1), true, &TOP);
			break;
		}
		default:
			TRAP(WASM_TRAP_UNREACHABLE);
		}
	}
out_trap:
	s->trap_func = fn ? fn->index : callee->index;
	return trap;
}

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
	if (!t && nr)
		memcpy(results, s->stack, nr * sizeof(u64));
	return t;
}
