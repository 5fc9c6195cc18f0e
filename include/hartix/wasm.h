/* SPDX-License-Identifier: BSD-2-Clause */
/* The WebAssembly 2.0 core engine (non-SIMD): decoder, validator and interpreter (Documentation/wasm.rst). */
#ifndef HARTIX_WASM_H
#define HARTIX_WASM_H

#include <hartix/types.h>

/* Value types as encoded in the binary format. */
#define WASM_I32	0x7f
#define WASM_I64	0x7e
#define WASM_F32	0x7d
#define WASM_F64	0x7c
#define WASM_V128	0x7b
#define WASM_FUNCREF	0x70
#define WASM_EXTERNREF	0x6f

/* External kinds (import and export descriptors). */
enum { WASM_EXT_FUNC, WASM_EXT_TABLE, WASM_EXT_MEM, WASM_EXT_GLOBAL };

/*
 * Limits on every size a module can ask for, so a hostile module costs bounded
 * memory and time to decode. Each is checked where the count is read.
 */
#define WASM_MAX_MODULE_BYTES	(64u << 20)
#define WASM_MAX_TYPES		100000
#define WASM_MAX_FUNCS		1000000
#define WASM_MAX_IMPORTS	100000
#define WASM_MAX_EXPORTS	100000
#define WASM_MAX_GLOBALS	1000000
#define WASM_MAX_SEGMENTS	100000
#define WASM_MAX_PARAMS		1000
#define WASM_MAX_LOCALS		50000
#define WASM_MAX_NESTING	10000
#define WASM_MAX_BR_TABLE	65520
#define WASM_MAX_TABLE_ELEMS	10000000u
#define WASM_MAX_PAGES		65536u
#define WASM_PAGE_SIZE		65536u
#define WASM_MAX_NAME		100000

struct wasm_functype {
	u16 nparams, nresults;
	u8 *types;		/* nparams parameter types, then the results */
};

struct wasm_limits {
	u32 min, max;
	bool has_max;
};

/* A constant expression: the only forms 2.0 allows (one instruction). */
struct wasm_const {
	u8 kind;		/* 0x41..0x44, 0x23 global.get, 0xd0 ref.null, 0xd2 ref.func */
	u8 type;		/* its value type */
	u64 val;		/* the constant, or the global or function index */
};

/* Names may hold any UTF-8, NUL included: they carry their length. */
struct wasm_import {
	char *module, *name;
	u32 module_len, name_len;
	u8 kind;
	u32 index;		/* type index (func); else the kind's own index */
};

struct wasm_export {
	char *name;
	u32 name_len;
	u8 kind;
	u32 index;
};

struct wasm_tabletype {
	u8 elem;
	struct wasm_limits lim;
};

struct wasm_globaltype {
	u8 type;
	bool mut;
};

struct wasm_global_def {
	struct wasm_globaltype gt;
	struct wasm_const init;
};

/* Element segment modes; data segments use the same. */
enum { WASM_SEG_ACTIVE, WASM_SEG_PASSIVE, WASM_SEG_DECLARATIVE };

struct wasm_elem {
	u8 mode, type;
	u32 table;
	struct wasm_const offset;
	u32 count;
	struct wasm_const *items;
};

struct wasm_data {
	u8 mode;
	u32 mem;
	struct wasm_const offset;
	u32 len;
	const u8 *bytes;	/* points into the module's copy of the binary */
};

/*
 * One pre-decoded instruction. op is the binary opcode (0xfc-prefixed ones
 * as 0xfc00 | sub-opcode); block, loop and end are gone; branches carry the
 * resolved target, the number of values they keep and the operand-stack
 * height (from the frame's locals) to keep them at. h is the operand-stack
 * height before the instruction (below a polymorphic stack, in unreachable
 * code, it may be less than the instruction pops).
 */
struct wasm_insn {
	u16 op;
	u16 arity;		/* branches: values carried */
	u32 a;			/* index, target pc, memory offset, br_table count */
	u64 b;			/* constant; branches: target height */
	u32 h;
};

struct wasm_code {
	u32 type;
	u32 nlocals;		/* params included */
	u8 *local_types;	/* every local's type, the params first */
	u32 max_height;		/* deepest operand stack above the locals */
	u32 ninsns;
	struct wasm_insn *insns;
};

struct wasm_module {
	u8 *bin;		/* private copy of the binary */
	u32 nbin;
	u32 ntypes;
	struct wasm_functype *types;
	u32 nimports;
	struct wasm_import *imports;
	/* Index spaces: imports first. */
	u32 nfuncs, nfunc_imports;
	u32 *func_types;
	u32 ntables, ntable_imports;
	struct wasm_tabletype *tables;
	u32 nmems, nmem_imports;
	struct wasm_limits *mems;
	u32 nglobals, nglobal_imports;
	struct wasm_global_def *globals;
	u32 nexports;
	struct wasm_export *exports;
	bool has_start;
	u32 start;
	u32 nelems;
	struct wasm_elem *elems;
	u32 ndatas;
	bool has_datacount;
	struct wasm_data *datas;
	struct wasm_code *codes;	/* nfuncs - nfunc_imports bodies */
	u8 *declared_refs;		/* per function: may ref.func name it */
	struct wasm_jit *jit;		/* compiled code (jit_rv64.c); NULL: interpreted */
	u32 code_bytes;			/* size of the code section */
};

/* Allocation for the engine: zeroed memory, and its release. */
struct wasm_alloc {
	void *(*zalloc)(size_t size);
	void (*free)(void *p);
};

/* Why a module was refused: a message and the byte offset it refers to. */
struct wasm_error {
	char msg[96];
	u32 offset;
};

/*
 * Decodes and validates; NULL with *err set when the module is refused.
 * WASM_VALIDATE_ONLY keeps no code (memory bounded by the largest function):
 * the result can be freed but not run.
 */
#define WASM_VALIDATE_ONLY	1
struct wasm_module *wasm_load(const u8 *bin, size_t len, unsigned flags,
			      const struct wasm_alloc *al, struct wasm_error *err);
void wasm_module_free(struct wasm_module *m, const struct wasm_alloc *al);

/* ---- Run time (interp.c; needs floating point, so not in the kernel) ---- */

enum wasm_trap {
	WASM_OK,
	WASM_TRAP_UNREACHABLE,
	WASM_TRAP_MEM_OOB,
	WASM_TRAP_DIV_ZERO,
	WASM_TRAP_INT_OVERFLOW,
	WASM_TRAP_BAD_CONVERSION,
	WASM_TRAP_INDIRECT_NULL,	/* uninitialized element */
	WASM_TRAP_INDIRECT_TYPE,
	WASM_TRAP_TABLE_OOB,
	WASM_TRAP_UNDEFINED_ELEM,
	WASM_TRAP_STACK_EXHAUSTED,
	WASM_TRAP_OUT_OF_MEMORY,
	WASM_TRAP_HOST,			/* a host function asked to stop */
	WASM_TRAP_EXIT,			/* WASI proc_exit: not an error */
};

const char *wasm_trap_name(enum wasm_trap t);

struct wasm_instance;
struct wasm_func;

/* A host function: args in, results out; returns WASM_OK or a trap. */
typedef enum wasm_trap (*wasm_host_fn)(void *ctx, struct wasm_func *f,
				       const u64 *args, u64 *results);

struct wasm_func {
	const struct wasm_functype *type;
	struct wasm_instance *inst;	/* NULL for host functions */
	const struct wasm_code *code;
	u32 index;			/* in its module's function space */
	wasm_host_fn host;
	void *host_ctx;
	const void *jit;		/* entry of its compiled code, NULL if interpreted */
	const struct wasm_rcode *rcode;	/* the interpreter's form, made at the first call */
};

struct wasm_table {
	u8 elem;
	bool has_max;
	u32 size, max;
	u64 *elems;		/* references: struct wasm_func * or externref, 0 = null */
};

struct wasm_memory {
	u8 *data;
	u64 size;		/* bytes */
	bool has_max;
	bool guarded;		/* data starts a reservation (struct wasm_mem_ops) */
	u32 max_pages;
};

/*
 * Guarded linear memory: the memory is the start of WASM_RESERVE_BYTES of
 * address space of which only its size is accessible, with
 * WASM_RESERVE_BELOW inaccessible bytes below it too. Compiled code adds
 * an i32 address to the base as RV64 holds it, sign-extended (no
 * zero-extension to pay), so addresses of 2 GiB and more land below the
 * base: a guarded memory is at most WASM_GUARDED_MAX_BYTES, and any 32-bit
 * address plus an offset and width that fit in WASM_GUARD_BYTES lands in
 * the reservation. Compiled code leaves the bounds check of such an access
 * to the MMU (the fault becomes the trap through wasm_jit_fault()).
 */
#define WASM_GUARD_BYTES	WASM_PAGE_SIZE
#define WASM_RESERVE_BYTES	((1ull << 32) + WASM_GUARD_BYTES)
#define WASM_RESERVE_BELOW	((1ull << 31) + WASM_GUARD_BYTES)
#define WASM_GUARDED_MAX_BYTES	(1ull << 31)

struct wasm_mem_ops {
	/* The base of an inaccessible reservation (see above); NULL if no room. */
	void *(*reserve)(void);
	int (*commit)(void *base, u64 old, u64 size);	/* [old, size) zero, read-write */
	void (*release)(void *base, u64 size);	/* size: the accessible part */
};

struct wasm_global {
	u8 type;
	bool mut;
	u64 val;
};

/* What an import resolves to: one of the four. */
struct wasm_extern {
	u8 kind;
	union {
		struct wasm_func *func;
		struct wasm_table *table;
		struct wasm_memory *mem;
		struct wasm_global *global;
	} u;
};

/*
 * Objects (functions, tables, memories, globals) are shared by the instances
 * importing them, so they belong to a store and live until it is freed.
 */
struct wasm_store {
	const struct wasm_alloc *al;
	u64 mem_limit;			/* bytes any one memory may grow to */
	u32 max_frames;			/* call depth before "stack exhausted" */
	u32 stack_slots;		/* operand stack, locals included */
	u64 *stack;
	struct wasm_frame *frames;	/* max_frames of them */
	struct wasm_store_obj *objs;	/* everything to free with the store */
	u32 trap_func;			/* function index the last trap happened in */
	/* Set after wasm_store_init() to give memories guard reservations; NULL: allocated. */
	const struct wasm_mem_ops *mem_ops;
	/* The compiled tier: native stack floor of the outermost call, end of stack. */
	uintptr_t jit_sp_limit;
	u64 *stack_end;
};

struct wasm_instance {
	const struct wasm_module *mod;
	struct wasm_func **funcs;
	struct wasm_table **tables;
	struct wasm_memory **mems;
	struct wasm_global **globals;
	u64 **elem_vals;	/* each element segment's references, evaluated */
	u32 *elem_len;		/* 0 once dropped */
	bool *data_dropped;
	struct wasm_store *store;
};

int wasm_store_init(struct wasm_store *s, const struct wasm_alloc *al);
void wasm_store_free(struct wasm_store *s);
/* Allocates an object that lives as long as the store. */
void *wasm_store_alloc(struct wasm_store *s, size_t size);
struct wasm_func *wasm_host_func(struct wasm_store *s, const struct wasm_functype *type,
				 wasm_host_fn fn, void *ctx);
struct wasm_memory *wasm_memory_new(struct wasm_store *s, const struct wasm_limits *lim);
struct wasm_table *wasm_table_new(struct wasm_store *s, u8 elem, const struct wasm_limits *lim);
struct wasm_global *wasm_global_new(struct wasm_store *s, u8 type, bool mut, u64 val);

/* Import types against what is given: 0 or a message "incompatible import type" etc. */
const char *wasm_link_check(const struct wasm_module *m, u32 i, const struct wasm_extern *ext);

/*
 * Instantiates m with imports[] (one per import, already checked by
 * wasm_link_check), runs the segments and the start function. On a trap the
 * instance is still returned (its effects on shared objects stay, as the spec
 * says) and *trap is set.
 */
struct wasm_instance *wasm_instantiate(struct wasm_store *s, const struct wasm_module *m,
				       const struct wasm_extern *imports, enum wasm_trap *trap);
/* Finds an export by name; false if none. */
bool wasm_export_get(const struct wasm_instance *inst, const char *name, u32 len,
		     struct wasm_extern *out);
enum wasm_trap wasm_call(struct wasm_store *s, struct wasm_func *f, const u64 *args, u64 *results);

/*
 * The operations both tiers leave to C (tables, bulk memory, memory.grow,
 * calls leaving compiled code, bit counts, float rounding, min/max and
 * float-to-int): op with the instruction's immediates a and b, on the
 * operands at args (results replace them). caller names the function for a
 * trap's message. wasm_op_effect gives how many operands each pops and pushes.
 */
enum wasm_trap wasm_rt_op(struct wasm_instance *inst, u32 op, u32 a, u64 b, u64 *args,
			  u32 caller);
bool wasm_op_effect(u32 op, u32 *pop, u32 *push);

/* ---- The baseline compiler to RV64GC (jit_rv64.c) ---- */

struct wasm_jit {
	u8 *code;		/* read+execute once compiled; offset 0 is the entry trampoline */
	size_t size;
	u32 *func_off;		/* per defined function: offset of its entry */
	u32 *trap_off;		/* per defined function: its trap exit (a0 = the trap) */
	u32 nfuncs;		/* defined functions */
	bool guarded;		/* needs memory 0 guarded (WASM_JIT_GUARDED) */
};

/* Where code goes: mapped writable, then sealed read+execute (W^X). */
struct wasm_code_alloc {
	void *(*map)(size_t size);
	int (*seal)(void *p, size_t size);	/* also syncs the instruction cache */
	void (*unmap)(void *p, size_t size);
};

/*
 * Compiles a module loaded without WASM_VALIDATE_ONLY; NULL with *err set if
 * it cannot. WASM_JIT_GUARDED: accesses to memory 0 within its guard are not
 * checked; an instance whose memory 0 is not guarded then runs interpreted.
 */
#define WASM_JIT_GUARDED	1
struct wasm_jit *wasm_jit_compile(const struct wasm_module *m, const struct wasm_alloc *al,
				  const struct wasm_code_alloc *ca, unsigned flags,
				  struct wasm_error *err);
/*
 * For a SIGSEGV handler: if the fault at addr is compiled code of j touching
 * the guard of its memory 0, sends the code to its trap exit with "out of
 * bounds memory access" and returns true. gregs are Linux riscv64's
 * mcontext registers (pc, then x1..x31), changed in place.
 */
bool wasm_jit_fault(const struct wasm_jit *j, unsigned long *gregs, uintptr_t addr);
void wasm_jit_free(struct wasm_jit *j, const struct wasm_alloc *al,
		   const struct wasm_code_alloc *ca);

/*
 * The compiled-code cache's image (kernel/wasm/cache.c): what the kernel
 * maps into the runtime of a module it compiled, read-only, at the address
 * the auxiliary vector's AT_HARTIX_WASM_CODE gives (absent: no image). The
 * module's bytes the code was compiled from are in it, so the runtime
 * decodes exactly those; offsets are from the image's start, the code's
 * page aligned (it alone is executable).
 */
#define AT_HARTIX_WASM_CODE	0x7761736dUL	/* "wasm": no Linux AT_* number */
#define WASM_IMAGE_MAGIC	0x31636a4d53415748ULL	/* "HWASMjc1": layout version 1 */
struct wasm_image {
	u64 magic;
	u32 flags;		/* the compile flags (WASM_JIT_GUARDED) */
	u32 nfuncs;		/* defined functions */
	u32 func_off, trap_off;	/* the u32 tables of struct wasm_jit */
	u32 bin_off, bin_len;	/* the module */
	u64 code_off, code_size;
};

#endif
