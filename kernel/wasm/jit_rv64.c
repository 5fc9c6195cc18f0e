/* SPDX-License-Identifier: BSD-2-Clause */
/* The baseline compiler: the pre-decoded form of a validated module to RV64GC code, one pass per function. */
#include <hartix/string.h>
#include <hartix/wasm.h>

#include "rv64.h"

/*
 * The frame is the interpreter's: one u64 slot per local and operand, at
 * s0, so host calls, the C helpers and compiled code see values in the same
 * place. Operand heights are static (validation made them so), so each
 * instruction becomes loads of its operands' slots into temporaries, the
 * operation and a store. Registers held across a module's code:
 *   s0  this function's slots        s1  struct wasm_instance *
 *   s2  memory 0's data (or 0)       s3  memory 0's size in bytes
 *   s4  struct wasm_store *          s5  wasm_rt_op
 * s1, s4 and s5 are the same in every function of an instance; s2/s3 are
 * reloaded after anything that may grow the memory. Code for a guarded
 * memory reads the size from memory in the rare access that needs it and
 * keeps a local in s3 instead. A function returns its
 * trap code in a0 (0 = none) and its results in its first slots. 32-bit
 * values are read with 32-bit loads, so a slot's upper half is don't-care.
 */

#define OFF(type, field)	((s32)__builtin_offsetof(type, field))

/*
 * The value stack. Each operand is in its slot (V_MEM), a constant or a
 * local not loaded yet (V_CONST, V_LOCAL: local.get costs nothing until
 * used), or in a register: integer ones in the pool below, floats in FP
 * ones. 32-bit values in integer registers are kept sign-extended, as
 * RV64's W instructions make them, and read from slots with lw. Everything
 * goes to its slot before a branch, a label, a call and a C helper (spill_all),
 * so at every label the stack is all V_MEM, as the interpreter's frame.
 */
enum { V_MEM, V_CONST, V_LOCAL, V_REG, V_FREG };

struct vval {
	u8 kind;
	bool w64;		/* i64, f64 or a reference; else i32 or f32 */
	u8 reg;
	s64 val;		/* V_CONST's value, V_LOCAL's index */
};

/*
 * Registers for locals: s6-s11 (and s3 on a guarded memory), and fs0-fs11
 * (callee-saved in lp64d; spilled around C in lp64).
 */
#define LREG_FP		32
#define LOCAL_REGS	19
static const u8 local_int_regs[] = { 22, 23, 24, 25, 26, 27, 19 };
static const u8 local_fp_regs[] = { 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27 };

struct fixup {
	u32 at;			/* word index of the jal/auipc */
	u32 target;		/* instruction index, or function index for calls */
};

/* A 64-bit constant loaded pc-relatively (auipc at `at`, then ld or fld) from the function's pool. */
struct pool_ent {
	u32 at;
	u8 base, fd;		/* fd: FP destination, or 0xff for an ld into base */
	u64 val;
};

struct jit {
	const struct wasm_module *m;
	const struct wasm_alloc *al;
	u32 *buf;
	u32 n, cap;
	const char *fail;
	/* The function being compiled. */
	u32 fidx, nlocals;
	u32 stack_trap, trap_exit, ret_exit;
	u32 *pcoff;		/* instruction index to word index */
	s32 *tgt_h;		/* operand height at branch targets, -1 if none yet */
	bool *is_target;	/* instructions some branch goes to */
	struct vval *vs;	/* the value stack, max_height entries */
	s32 int_owner[32], fp_owner[32];	/* stack position in each register, -1 */
	u32 nlocal_refs;	/* V_LOCAL entries on the stack */
	/*
	 * The most used locals live in callee-saved registers: lreg[x] is 0
	 * (in its slot), an integer register, or LREG_FP + an FP register.
	 */
	u8 *lreg;
	u8 saved[LOCAL_REGS];	/* the registers this function saves, lreg's encoding */
	u32 nsaved, frame;
	/* The instruction after this one, if no label is between: it may be fused in. */
	const struct wasm_insn *next;
	bool fused;		/* set when next was compiled with this one */
	u32 fused_pop;		/* what that next instruction popped: 1 or 0 (local.tee) */
	u32 cur;		/* index of the instruction being compiled */
	struct fixup *fix;
	u32 nfix, capfix;
	struct pool_ent *pool;	/* this function's constants, placed after its code */
	u32 npool, cappool;
	/* Direct calls, patched once every function has its place. */
	struct fixup *calls;
	u32 ncalls, capcalls;
	u32 *func_off, *trap_off;
	bool guarded;		/* WASM_JIT_GUARDED */
};

static bool grow(struct jit *j, void **p, u32 *cap, u32 want, size_t elem)
{
	void *np;
	u32 ncap;

	if (want <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 256;
	while (ncap < want)
		ncap *= 2;
	np = j->al->zalloc((size_t)ncap * elem);
	if (!np) {
		j->fail = "out of memory";
		return false;
	}
	if (*p)
		memcpy(np, *p, (size_t)*cap * elem);
	j->al->free(*p);
	*p = np;
	*cap = ncap;
	return true;
}

static void emit(struct jit *j, u32 w)
{
	if (j->n >= (64u << 20) / 4) {
		j->fail = "code too large";
		return;
	}
	if (!grow(j, (void **)&j->buf, &j->cap, j->n + 1, sizeof(u32)))
		return;
	j->buf[j->n++] = w;
}

static void add_fix(struct jit *j, struct fixup **list, u32 *n, u32 *cap, u32 target)
{
	if (!grow(j, (void **)list, cap, *n + 1, sizeof(**list)))
		return;
	(*list)[*n].at = j->n;
	(*list)[(*n)++].target = target;
}

/* A jal to word index `to` from word index `at`: ±1 MiB. */
static u32 jal_to(struct jit *j, u32 rd, u32 at, u32 to)
{
	s64 off = ((s64)to - at) * 4;

	if (off < -(1 << 20) || off >= (1 << 20)) {
		j->fail = "function too large";
		return 0;
	}
	return rv_j(rd, (s32)off);
}

static void jump_back(struct jit *j, u32 to)
{
	emit(j, jal_to(j, ZERO, j->n, to));
}

/* A jump to instruction index pc of this function, patched at its end. */
static void jump_insn(struct jit *j, u32 pc)
{
	add_fix(j, &j->fix, &j->nfix, &j->capfix, pc);
	emit(j, 0);
}

/* Forward branch over what follows: emit a placeholder, then patch it. */
static u32 skip_begin(struct jit *j)
{
	emit(j, 0);
	return j->n - 1;
}

static void skip_end(struct jit *j, u32 at, u32 cond, u32 rs1, u32 rs2)
{
	s64 off = ((s64)j->n - at) * 4;

	if (off >= 4096) {
		j->fail = "branch too far";
		return;
	}
	if (j->buf)
		j->buf[at] = rv_b(cond, rs1, rs2, (s32)off);
}

static void load_const(struct jit *j, u32 base, u32 fd, u64 v);

static void li(struct jit *j, u32 rd, s64 v)
{
	if (rv_fits12(v)) {
		emit(j, RV_ADDI(rd, ZERO, (s32)v));
	} else if (v == (s32)v) {
		s32 hi = (s32)(((s64)v + 0x800) >> 12), lo = (s32)(v - (s64)((u64)(s64)hi << 12));

		emit(j, rv_u(OP_LUI, rd, (u32)hi));
		if (lo)
			emit(j, RV_ADDIW(rd, rd, lo));
	} else {
		s64 lo = (s64)((u64)v << 52) >> 52, hi = (s64)((u64)v - (u64)lo) >> 12;
		int sh = 12;

		while (!(hi & 1)) {
			hi >>= 1;
			sh++;
		}
		/* Short when the upper part is a 12-bit immediate; else from the pool. */
		if (rv_fits12(hi)) {
			li(j, rd, hi);
			emit(j, RV_SLLI(rd, rd, sh));
			if (lo)
				emit(j, RV_ADDI(rd, rd, (s32)lo));
		} else {
			load_const(j, rd, 0xff, (u64)v);
		}
	}
}

/* base (and fd) = a 64-bit constant from the pool: auipc, ld or fld. */
static void load_const(struct jit *j, u32 base, u32 fd, u64 v)
{
	if (!grow(j, (void **)&j->pool, &j->cappool, j->npool + 1, sizeof(*j->pool)))
		return;
	j->pool[j->npool++] = (struct pool_ent){ .at = j->n, .base = (u8)base, .fd = (u8)fd, .val = v };
	emit(j, 0);
	emit(j, 0);
}

/* After the function: its constants, 8-byte aligned, and the loads pointing at them. */
static void flush_pool(struct jit *j)
{
	if (!j->npool)
		return;
	if (j->n & 1)
		emit(j, RV_ADDI(ZERO, ZERO, 0));
	for (u32 k = 0; k < j->npool; k++) {
		const struct pool_ent *e = &j->pool[k];
		s64 off = ((s64)j->n - e->at) * 4;
		s32 hi = (s32)((off + 0x800) >> 12), lo = (s32)(off - (s64)((u64)(s64)hi << 12));

		if (j->buf) {
			j->buf[e->at] = rv_u(OP_AUIPC, e->base, (u32)hi);
			j->buf[e->at + 1] = e->fd == 0xff ? RV_LD(e->base, e->base, lo) :
					    rv_i(OP_LOADFP, W_D, e->fd, e->base, lo);
		}
		emit(j, (u32)e->val);
		emit(j, (u32)(e->val >> 32));
	}
	j->npool = 0;
}

/* A load or store at base+off of any size; t6 carries offsets beyond 12 bits. */
static void access(struct jit *j, u32 op, u32 width, u32 reg, u32 base, s64 off)
{
	if (!rv_fits12(off)) {
		li(j, T6, off);
		emit(j, RV_ADD(T6, base, T6));
		base = T6;
		off = 0;
	}
	if (op == OP_STORE || op == OP_STOREFP)
		emit(j, rv_s(op, width, base, reg, (s32)off));
	else
		emit(j, rv_i(op, width, reg, base, (s32)off));
}

/* Slot i of the frame: locals first, then the operand at height h is nlocals + h. */
static void ld_slot(struct jit *j, u32 width, u32 rd, u32 slot)
{
	access(j, OP_LOAD, width, rd, S0, (s64)slot * 8);
}

static void st_slot(struct jit *j, u32 width, u32 rs, u32 slot)
{
	access(j, OP_STORE, width, rs, S0, (s64)slot * 8);
}

static void fl_slot(struct jit *j, bool dbl, u32 fd, u32 slot)
{
	access(j, OP_LOADFP, dbl ? W_D : W_W, fd, S0, (s64)slot * 8);
}

static void fs_slot(struct jit *j, bool dbl, u32 fs, u32 slot)
{
	access(j, OP_STOREFP, dbl ? W_D : W_W, fs, S0, (s64)slot * 8);
}

static void addr_slot(struct jit *j, u32 rd, u32 slot)
{
	if (rv_fits12((s64)slot * 8)) {
		emit(j, RV_ADDI(rd, S0, (s32)slot * 8));
	} else {
		li(j, rd, (s64)slot * 8);
		emit(j, RV_ADD(rd, S0, rd));
	}
}

static void trap_now(struct jit *j, enum wasm_trap t)
{
	emit(j, RV_ADDI(A0, ZERO, t));
	jump_back(j, j->trap_exit);
}

/* Traps with t unless rs1 <cond> rs2. */
static void trap_unless(struct jit *j, u32 cond, u32 rs1, u32 rs2, enum wasm_trap t)
{
	emit(j, rv_b(cond, rs1, rs2, 12));
	trap_now(j, t);
}

/* After a call that reported a trap in a0: return it as it is. */
static void propagate(struct jit *j)
{
	emit(j, rv_b(BEQ, A0, ZERO, 8));
	jump_back(j, j->ret_exit);
}

static void reload_mem(struct jit *j)
{
	if (!j->m->nmems)
		return;
	emit(j, RV_LD(T0, S1, OFF(struct wasm_instance, mems)));
	emit(j, RV_LD(T0, T0, 0));
	emit(j, RV_LD(S2, T0, OFF(struct wasm_memory, data)));
	if (!j->guarded)
		emit(j, RV_LD(S3, T0, OFF(struct wasm_memory, size)));
}

/* A register holding memory 0's size: s3, or on a guarded memory t6 loaded now. */
static u32 mem_size_reg(struct jit *j)
{
	if (!j->guarded)
		return S3;
	emit(j, RV_LD(T6, S1, OFF(struct wasm_instance, mems)));
	emit(j, RV_LD(T6, T6, 0));
	emit(j, RV_LD(T6, T6, OFF(struct wasm_memory, size)));
	return T6;
}

static const u8 int_pool[] = { A1, A2, A3, A4, A5, A6, A7, T3, T4 };
static const u8 fp_pool[] = { 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31 };
/* Scratch: t0-t2 operands, t5 spills, t6 far offsets; ft0, ft1 float operands. */
#define T_SPILL	T5

static bool is64(u8 t)
{
	return t == WASM_I64 || t == WASM_F64 || t == WASM_FUNCREF || t == WASM_EXTERNREF;
}

static bool local_w64(const struct jit *j, u32 x)
{
	return is64(j->m->codes[j->fidx - j->m->nfunc_imports].local_types[x]);
}

static void spill(struct jit *j, u32 pos)
{
	struct vval *v = &j->vs[pos];
	u32 slot = j->nlocals + pos;

	switch (v->kind) {
	case V_MEM:
		return;
	case V_CONST:
		if (v->val) {
			li(j, T_SPILL, v->val);
			st_slot(j, W_D, T_SPILL, slot);
		} else {
			st_slot(j, W_D, ZERO, slot);
		}
		break;
	case V_LOCAL: {
		u32 lr = j->lreg[v->val];

		if (!lr) {
			ld_slot(j, W_D, T_SPILL, (u32)v->val);
			st_slot(j, W_D, T_SPILL, slot);
		} else if (lr >= LREG_FP) {
			fs_slot(j, local_w64(j, (u32)v->val), lr - LREG_FP, slot);
		} else {
			st_slot(j, W_D, lr, slot);
		}
		j->nlocal_refs--;
		break;
	}
	case V_REG:
		st_slot(j, W_D, v->reg, slot);
		j->int_owner[v->reg] = -1;
		break;
	default:
		fs_slot(j, v->w64, v->reg, slot);
		j->fp_owner[v->reg] = -1;
	}
	v->kind = V_MEM;
}

static void spill_all(struct jit *j, u32 h)
{
	for (u32 i = 0; i < h; i++)
		spill(j, i);
}

/* At a label: every operand in its slot, every register free. */
static void reset_stack(struct jit *j, u32 max)
{
	for (u32 i = 0; i < max; i++)
		j->vs[i].kind = V_MEM;
	for (u32 r = 0; r < 32; r++)
		j->int_owner[r] = j->fp_owner[r] = -1;
	j->nlocal_refs = 0;
}

/* Forgets the operand at pos (popped): its register is free again. */
static void drop(struct jit *j, u32 pos)
{
	struct vval *v = &j->vs[pos];

	if (v->kind == V_REG)
		j->int_owner[v->reg] = -1;
	else if (v->kind == V_FREG)
		j->fp_owner[v->reg] = -1;
	else if (v->kind == V_LOCAL)
		j->nlocal_refs--;
	v->kind = V_MEM;
}

static u32 alloc_reg(struct jit *j, bool fp)
{
	s32 *owner = fp ? j->fp_owner : j->int_owner;
	const u8 *pool = fp ? fp_pool : int_pool;
	u32 n = fp ? sizeof(fp_pool) : sizeof(int_pool), victim = ~0u;

	for (u32 i = 0; i < n; i++) {
		if (owner[pool[i]] < 0)
			return pool[i];
		if (victim == ~0u || owner[pool[i]] < owner[pool[victim]])
			victim = i;
	}
	/* All taken: the deepest operand goes to its slot. */
	spill(j, (u32)owner[pool[victim]]);
	return pool[victim];
}

/* Pushes a result at pos, in a register taken from the pool. */
static u32 push_reg(struct jit *j, u32 pos, bool fp, bool w64)
{
	u32 r = alloc_reg(j, fp);

	j->vs[pos] = (struct vval){ .kind = fp ? V_FREG : V_REG, .w64 = w64, .reg = (u8)r };
	(fp ? j->fp_owner : j->int_owner)[r] = (s32)pos;
	return r;
}

static void push_mem(struct jit *j, u32 pos, bool w64)
{
	j->vs[pos] = (struct vval){ .kind = V_MEM, .w64 = w64 };
}

/* The operand at pos in an integer register (scratch if it has to be loaded). */
static u32 use_int(struct jit *j, u32 pos, u32 scratch)
{
	struct vval *v = &j->vs[pos];

	switch (v->kind) {
	case V_REG:
		return v->reg;
	case V_FREG:
		emit(j, rv_fp(v->w64 ? 0x71 : 0x70, 0, scratch, v->reg, 0));
		return scratch;
	case V_CONST:
		if (!v->val)
			return ZERO;
		li(j, scratch, v->val);
		return scratch;
	case V_LOCAL: {
		u32 lr = j->lreg[v->val];

		if (!lr) {
			ld_slot(j, v->w64 ? W_D : W_W, scratch, (u32)v->val);
		} else if (lr >= LREG_FP) {
			emit(j, rv_fp(v->w64 ? 0x71 : 0x70, 0, scratch, lr - LREG_FP, 0));
		} else if (!v->w64 && local_w64(j, (u32)v->val)) {
			/* i32.wrap of a 64-bit local. */
			emit(j, RV_ADDIW(scratch, lr, 0));
		} else {
			return lr;
		}
		return scratch;
	}
	default:
		ld_slot(j, v->w64 ? W_D : W_W, scratch, j->nlocals + pos);
		return scratch;
	}
}

static u32 use_fp(struct jit *j, u32 pos, u32 scratch)
{
	struct vval *v = &j->vs[pos];

	switch (v->kind) {
	case V_FREG:
		return v->reg;
	case V_CONST:
		if (v->w64 && v->val) {
			load_const(j, T_SPILL, scratch, (u64)v->val);
			return scratch;
		}
		/* fall through */
	case V_REG:
		emit(j, rv_fp(v->w64 ? 0x79 : 0x78, 0, scratch, use_int(j, pos, T_SPILL), 0));
		return scratch;
	case V_LOCAL: {
		u32 lr = j->lreg[v->val];

		if (!lr)
			fl_slot(j, v->w64, scratch, (u32)v->val);
		else if (lr >= LREG_FP)
			return lr - LREG_FP;
		else
			emit(j, rv_fp(v->w64 ? 0x79 : 0x78, 0, scratch, lr, 0));
		return scratch;
	}
	default:
		fl_slot(j, v->w64, scratch, j->nlocals + pos);
		return scratch;
	}
}

/* Before local x changes: operands that are still "local x" get its old value. */
static void local_changes(struct jit *j, u32 x, u32 h)
{
	for (u32 i = 0; i < h && j->nlocal_refs; i++)
		if (j->vs[i].kind == V_LOCAL && (u32)j->vs[i].val == x)
			spill(j, i);
}

/* FP registers holding locals to their slots and back: C code under lp64 may use them all. */
static void fp_locals(struct jit *j, bool save)
{
	const struct wasm_code *code = &j->m->codes[j->fidx - j->m->nfunc_imports];

	for (u32 x = 0; x < code->nlocals && j->nsaved; x++) {
		if (j->lreg[x] < LREG_FP)
			continue;
		if (save)
			fs_slot(j, local_w64(j, x), j->lreg[x] - LREG_FP, x);
		else
			fl_slot(j, local_w64(j, x), j->lreg[x] - LREG_FP, x);
	}
}

/* wasm_rt_op(inst, op, a, b, &slot[base], this function's index), the whole stack in slots. */
static void call_rt(struct jit *j, u32 op, u32 a, u64 b, u32 base, u32 h)
{
	spill_all(j, h);
	emit(j, RV_MV(A0, S1));
	li(j, A1, op);
	li(j, A2, a);
	li(j, A3, (s64)b);
	addr_slot(j, A4, j->nlocals + base);
	li(j, A5, j->fidx);
	fp_locals(j, true);
	emit(j, RV_JALR(RA, S5, 0));
	fp_locals(j, false);
	propagate(j);
}

/* Copies n slots down (or not at all): a branch's kept values. */
static void move_slots(struct jit *j, u32 dst, u32 src, u32 n)
{
	if (dst == src)
		return;
	for (u32 i = 0; i < n; i++) {
		ld_slot(j, W_D, T0, src + i);
		st_slot(j, W_D, T0, dst + i);
	}
}

/* A branch's value moves and jump; h is the height before it, the stack already spilled. */
static void branch(struct jit *j, const struct wasm_insn *in, u32 h)
{
	move_slots(j, j->nlocals + (u32)in->b, j->nlocals + h - in->arity, in->arity);
	for (u32 i = 0; i < in->arity; i++)
		j->vs[in->b + i].w64 = j->vs[h - in->arity + i].w64;
	j->tgt_h[in->a] = (s32)(in->b + in->arity);
	jump_insn(j, in->a);
}

static bool branch_moves(const struct wasm_insn *in, u32 h)
{
	return in->arity && in->b != h - in->arity;
}

/* Integer comparisons, in the order of the opcodes after eqz: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u. */
static void int_cmp(struct jit *j, u32 k, u32 rd, u32 ra, u32 rb)
{
	static const u8 swap[] = { 0, 0, 0, 0, 1, 1, 1, 1, 0, 0 };
	u32 a = swap[k] ? rb : ra, b = swap[k] ? ra : rb;

	if (k < 2) {
		emit(j, RV_XOR(rd, ra, rb));
		emit(j, k ? RV_SLTU(rd, ZERO, rd) : RV_SLTIU(rd, rd, 1));
		return;
	}
	emit(j, (k & 1) ? RV_SLTU(rd, a, b) : RV_SLT(rd, a, b));
	if (k >= 6)
		emit(j, RV_XORI(rd, rd, 1));
}

static void float_cmp(struct jit *j, u32 k, bool dbl, u32 rd, u32 fa, u32 fb)
{
	u32 f7 = 0x50 | dbl;

	switch (k) {
	case 0: emit(j, rv_fp(f7, 2, rd, fa, fb)); break;
	case 1: emit(j, rv_fp(f7, 2, rd, fa, fb)); emit(j, RV_XORI(rd, rd, 1)); break;
	case 2: emit(j, rv_fp(f7, 1, rd, fa, fb)); break;
	case 3: emit(j, rv_fp(f7, 1, rd, fb, fa)); break;
	case 4: emit(j, rv_fp(f7, 0, rd, fa, fb)); break;
	default: emit(j, rv_fp(f7, 0, rd, fb, fa)); break;
	}
}

/* i32 (w) and i64 arithmetic, opcodes from add to rotr; rd is written last. */
static void int_arith(struct jit *j, u32 k, bool w, u32 rd, u32 ra, u32 rb)
{
	u32 op = w ? OP_OP32 : OP_OP;
	u32 at;

	switch (k) {
	case 0: emit(j, rv_r(op, 0, 0, rd, ra, rb)); return;
	case 1: emit(j, rv_r(op, 0, 0x20, rd, ra, rb)); return;
	case 2: emit(j, rv_r(op, 0, 1, rd, ra, rb)); return;
	case 3: case 4: case 5: case 6:
		trap_unless(j, BNE, rb, ZERO, WASM_TRAP_DIV_ZERO);
		if (k == 3) {
			/* INT_MIN / -1 overflows; remainder's is 0 on RISC-V, as wasm wants. */
			emit(j, RV_ADDI(T2, ZERO, -1));
			at = skip_begin(j);
			if (w) {
				emit(j, rv_u(OP_LUI, T2, 0x80000));
			} else {
				emit(j, RV_ADDI(T2, ZERO, 1));
				emit(j, RV_SLLI(T2, T2, 63));
			}
			trap_unless(j, BNE, ra, T2, WASM_TRAP_INT_OVERFLOW);
			skip_end(j, at, BNE, rb, T2);
		}
		emit(j, rv_r(op, 4 + (k - 3), 1, rd, ra, rb));
		return;
	case 7: emit(j, rv_r(OP_OP, 7, 0, rd, ra, rb)); return;
	case 8: emit(j, RV_OR(rd, ra, rb)); return;
	case 9: emit(j, RV_XOR(rd, ra, rb)); return;
	case 10: emit(j, rv_r(op, 1, 0, rd, ra, rb)); return;
	case 11: emit(j, rv_r(op, 5, 0x20, rd, ra, rb)); return;
	case 12: emit(j, rv_r(op, 5, 0, rd, ra, rb)); return;
	default: {
		/* Rotations: the shifts take the count modulo the width, so -n is width - n. */
		u32 left = k == 13 ? 1 : 5, right = k == 13 ? 5 : 1;

		emit(j, RV_SUB(T5, ZERO, rb));
		emit(j, rv_r(op, left, 0, T2, ra, rb));
		emit(j, rv_r(op, right, 0, T5, ra, T5));
		emit(j, RV_OR(rd, T2, T5));
	}
	}
}

static const u8 load_width[] = { W_W, W_D, W_W, W_D, W_B, W_BU, W_H, W_HU, W_B, W_BU, W_H, W_HU,
				 W_W, W_WU };
static const u8 load_size[] = { 4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4 };
static const u8 store_width[] = { W_W, W_D, W_W, W_D, W_B, W_H, W_B, W_H, W_W };
static const u8 store_size[] = { 4, 8, 4, 8, 1, 2, 1, 2, 4 };

/*
 * Traps unless size bytes at operand pos + offset are inside memory 0;
 * t0 + the returned displacement is then their host address.
 */
static s32 mem_addr(struct jit *j, u32 pos, u32 offset, u32 size)
{
	struct vval *v = &j->vs[pos];
	bool guard = j->guarded && (u64)offset + size <= WASM_GUARD_BYTES;
	u32 r = T0;

	if (guard && v->kind == V_CONST) {
		/*
		 * A constant address and its offset are one displacement from
		 * the base: its upper part added, the low 12 bits left to the
		 * access (clang addresses globals as 0 plus an offset).
		 */
		u64 ea = (u64)(u32)v->val + offset;
		s32 lo = (s32)((s64)(ea << 52) >> 52);

		if (ea - lo) {
			li(j, T0, (s64)(ea - lo));
			emit(j, RV_ADD(T0, T0, S2));
		} else {
			emit(j, RV_MV(T0, S2));
		}
		return lo;
	}
	if (guard && (v->kind == V_REG || (v->kind == V_LOCAL && j->lreg[v->val]))) {
		/*
		 * An address in a register is used as RV64 holds it,
		 * sign-extended, instead of paying two instructions to
		 * zero-extend it: from 2 GiB on (which a guarded memory never
		 * reaches) it lands below the base, in the reservation too. A
		 * positive offset would carry such an address back into the
		 * memory, so it is refused by its sign first.
		 */
		r = v->kind == V_LOCAL ? j->lreg[v->val] : v->reg;
		if (offset)
			trap_unless(j, BGE, r, ZERO, WASM_TRAP_MEM_OOB);
	} else if (v->kind == V_MEM || (v->kind == V_LOCAL && !j->lreg[v->val])) {
		ld_slot(j, W_WU, T0, v->kind == V_MEM ? j->nlocals + pos : (u32)v->val);
	} else if (v->kind == V_CONST) {
		li(j, T0, (u32)v->val);
	} else {
		emit(j, RV_SLLI(T0, v->kind == V_LOCAL ? j->lreg[v->val] : v->reg, 32));
		emit(j, RV_SRLI(T0, T0, 32));
	}
	if (guard) {
		/* The reservation holds any such access: past the size, the MMU traps. */
		emit(j, RV_ADD(T0, r, S2));
		if (rv_fits12(offset))
			return (s32)offset;
		li(j, T1, offset);
		emit(j, RV_ADD(T0, T0, T1));
		return 0;
	}
	if (rv_fits12((s64)offset + size)) {
		emit(j, RV_ADDI(T1, T0, (s32)(offset + size)));
		trap_unless(j, BGEU, mem_size_reg(j), T1, WASM_TRAP_MEM_OOB);
		emit(j, RV_ADD(T0, T0, S2));
		return (s32)offset;
	}
	if (rv_fits12(offset)) {
		if (offset)
			emit(j, RV_ADDI(T0, T0, (s32)offset));
	} else {
		li(j, T1, offset);
		emit(j, RV_ADD(T0, T0, T1));
	}
	emit(j, RV_ADDI(T1, T0, (s32)size));
	trap_unless(j, BGEU, mem_size_reg(j), T1, WASM_TRAP_MEM_OOB);
	emit(j, RV_ADD(T0, T0, S2));
	return 0;
}

/* Whether a helper's (or an untyped) result is 64 bits wide. */
static bool rt_result_w64(u32 op)
{
	switch (op) {
	case 0x25: case 0x79: case 0x7a: case 0x7b: case 0x9b: case 0x9c: case 0x9d: case 0x9e:
	case 0xa4: case 0xa5: case 0xae: case 0xaf: case 0xb0: case 0xb1:
	case 0xfc04: case 0xfc05: case 0xfc06: case 0xfc07:
		return true;
	}
	return false;
}

/*
 * A comparison followed by br_if or if becomes one conditional branch:
 * cond holds for ra, rb; h is the height without the two operands.
 */
/*
 * A branch to instruction target that is a loop's back edge near enough
 * for a conditional branch: its (negative) byte offset from here; else 0.
 */
static s32 back_edge(struct jit *j, u32 target)
{
	if (target > j->cur || (s64)(j->n - j->pcoff[target]) * 4 > 4096)
		return 0;
	return -(s32)(j->n - j->pcoff[target]) * 4;
}

static bool fuse_branch(struct jit *j, u32 cond, u32 ra, u32 rb, u32 h)
{
	const struct wasm_insn *next = j->next;

	if (!next || (next->op != 0x0d && next->op != 0x04) ||
	    (next->op == 0x0d && branch_moves(next, h)))
		return false;
	spill_all(j, h);
	if (next->op == 0x0d && back_edge(j, next->a)) {
		/* A loop's back edge, near enough: one branch. */
		emit(j, rv_b(cond, ra, rb, back_edge(j, next->a)));
	} else if (next->op == 0x0d) {
		/* Over the jump unless cond; BEQ/BNE, BLT/BGE, BLTU/BGEU differ in bit 0. */
		emit(j, rv_b(cond ^ 1, ra, rb, 8));
		branch(j, next, h);
	} else {
		emit(j, rv_b(cond, ra, rb, 8));
		j->tgt_h[next->a] = (s32)h;
		jump_insn(j, next->a);
	}
	j->fused = true;
	j->fused_pop = 1;
	return true;
}

/*
 * The register for a result at pos: the local's own when local.set or
 * local.tee of a local in a register of that class follows (it is then
 * done; after local.tee the operand is the local), else a new one.
 */
static u32 result_reg(struct jit *j, u32 pos, bool fp, bool w64)
{
	const struct wasm_insn *next = j->next;
	u32 lr = next && (next->op == 0x21 || next->op == 0x22) ? j->lreg[next->a] : 0;

	if (lr && (lr >= LREG_FP) == fp) {
		local_changes(j, next->a, pos);
		j->fused = true;
		j->fused_pop = next->op == 0x21;
		if (next->op == 0x22) {
			j->vs[pos] = (struct vval){ .kind = V_LOCAL, .w64 = w64, .val = next->a };
			j->nlocal_refs++;
		}
		return fp ? lr - LREG_FP : lr;
	}
	return push_reg(j, pos, fp, w64);
}

/*
 * add, sub, and, or, xor and the shifts by a constant that fits: the
 * I-type form (the W one for i32). funct3 in *f3, the immediate in *imm.
 */
static bool imm_form(u32 k, bool w, s64 c, u32 *opc, u32 *f3, s32 *imm)
{
	static const s8 f3s[] = { 0, 0, -1, -1, -1, -1, -1, 7, 6, 4, 1, 5, 5, -1, -1 };
	u32 mask = w ? 31 : 63;

	if (k > 12 || f3s[k] < 0)
		return false;
	if (k == 1)
		c = rv_fits12(c) ? -c : 4096;
	if (k < 10 && !rv_fits12(c))
		return false;
	*f3 = (u32)f3s[k];
	*opc = w && (k <= 1 || k >= 10) ? OP_IMM32 : OP_IMM;
	*imm = k >= 10 ? (s32)((u64)c & mask) | (k == 11 ? 0x400 : 0) : (s32)c;
	return true;
}

/* Integer binary operations: the operands, then rd. */
static void int_binop(struct jit *j, u32 h, u32 k, bool w, bool cmp)
{
	static const u8 cond[] = { BEQ, BNE, BLT, BLTU, BLT, BLTU, BGE, BGEU, BGE, BGEU };
	static const u8 swap[] = { 0, 0, 0, 0, 1, 1, 1, 1, 0, 0 };
	const struct vval *b = &j->vs[h - 1];
	u32 ra, rb, rd, opc, f3;
	s32 imm;

	if (!cmp && b->kind == V_CONST && imm_form(k, w, b->val, &opc, &f3, &imm)) {
		ra = use_int(j, h - 2, T0);
		drop(j, h - 2);
		drop(j, h - 1);
		rd = result_reg(j, h - 2, false, !w);
		emit(j, rv_i(opc, f3, rd, ra, imm));
		return;
	}
	ra = use_int(j, h - 2, T0);
	rb = use_int(j, h - 1, T1);
	drop(j, h - 2);
	drop(j, h - 1);
	if (cmp && fuse_branch(j, cond[k], swap[k] ? rb : ra, swap[k] ? ra : rb, h - 2))
		return;
	if (cmp) {
		rd = push_reg(j, h - 2, false, false);
		int_cmp(j, k, rd, ra, rb);
	} else {
		rd = result_reg(j, h - 2, false, !w);
		int_arith(j, k, w, rd, ra, rb);
	}
}

/* One live instruction at height h; returns the height after it. */
static u32 insn(struct jit *j, const struct wasm_insn *in, u32 h, bool *live)
{
	const struct wasm_module *m = j->m;
	u32 L = j->nlocals, op = in->op, pop, push, r, rd;
	struct vval *top = h ? &j->vs[h - 1] : NULL;

	switch (op) {
	case 0x00:
		trap_now(j, WASM_TRAP_UNREACHABLE);
		*live = false;
		return h;
	case 0x04:
		r = use_int(j, h - 1, T0);
		drop(j, --h);
		spill_all(j, h);
		emit(j, rv_b(BNE, r, ZERO, 8));
		j->tgt_h[in->a] = (s32)h;
		jump_insn(j, in->a);
		return h;
	case 0x05:
		spill_all(j, h);
		j->tgt_h[in->a] = (s32)h;
		jump_insn(j, in->a);
		*live = false;
		return h;
	case 0x0c:
		spill_all(j, h);
		branch(j, in, h);
		*live = false;
		return h;
	case 0x0d: {
		u32 at;

		r = use_int(j, h - 1, T0);
		drop(j, --h);
		spill_all(j, h);
		if (!branch_moves(in, h)) {
			if (back_edge(j, in->a)) {
				emit(j, rv_b(BNE, r, ZERO, back_edge(j, in->a)));
				return h;
			}
			emit(j, rv_b(BEQ, r, ZERO, 8));
			branch(j, in, h);
			return h;
		}
		emit(j, rv_b(BNE, r, ZERO, 8));
		at = j->n;
		emit(j, 0);
		branch(j, in, h);
		if (j->buf)
			j->buf[at] = jal_to(j, ZERO, at, j->n);
		return h;
	}
	case 0x0e: {
		u32 count = in->a, table, *stub_at;

		r = use_int(j, h - 1, T0);
		drop(j, --h);
		spill_all(j, h);
		if (r != T0)
			emit(j, RV_MV(T0, r));
		li(j, T1, count);
		emit(j, rv_b(BLTU, T0, T1, 8));
		emit(j, RV_MV(T0, T1));
		emit(j, rv_u(OP_AUIPC, T1, 0));
		emit(j, RV_SLLI(T0, T0, 2));
		emit(j, RV_ADD(T1, T1, T0));
		emit(j, RV_JALR(ZERO, T1, 16));
		table = j->n;
		stub_at = j->al->zalloc((size_t)(count + 1) * sizeof(u32));
		if (!stub_at) {
			j->fail = "out of memory";
			return h;
		}
		for (u32 k = 0; k <= count; k++) {
			if (branch_moves(&in[1 + k], h))
				emit(j, 0);
			else
				branch(j, &in[1 + k], h);
		}
		for (u32 k = 0; k <= count; k++) {
			if (!branch_moves(&in[1 + k], h))
				continue;
			stub_at[k] = j->n;
			branch(j, &in[1 + k], h);
		}
		for (u32 k = 0; k <= count && j->buf; k++)
			if (branch_moves(&in[1 + k], h))
				j->buf[table + k] = jal_to(j, ZERO, table + k, stub_at[k]);
		j->al->free(stub_at);
		*live = false;
		return h;
	}
	case 0x0f:
		spill_all(j, h);
		move_slots(j, 0, L + h - in->arity, in->arity);
		emit(j, RV_MV(A0, ZERO));
		jump_back(j, j->ret_exit);
		*live = false;
		return h;
	case 0x10:
	case 0x11: {
		const struct wasm_functype *ft = &m->types[op == 0x10 ? m->func_types[in->a] : in->a];
		u32 base = h - ft->nparams - (op == 0x11);

		if (op == 0x11 || in->a < m->nfunc_imports) {
			call_rt(j, op, in->a, in->b, base, h);
		} else {
			spill_all(j, h);
			addr_slot(j, A0, L + base);
			add_fix(j, &j->calls, &j->ncalls, &j->capcalls, in->a - m->nfunc_imports);
			emit(j, rv_u(OP_AUIPC, RA, 0));
			emit(j, RV_JALR(RA, RA, 0));
			propagate(j);
		}
		reload_mem(j);
		for (u32 i = 0; i < ft->nresults; i++)
			push_mem(j, base + i, is64(ft->types[ft->nparams + i]));
		return base + ft->nresults;
	}
	case 0x1a:
		drop(j, h - 1);
		return h - 1;
	case 0x1b: {
		u32 rc = use_int(j, h - 1, T2), ra = use_int(j, h - 3, T0), rb = use_int(j, h - 2, T1);
		bool w64 = j->vs[h - 3].w64;

		emit(j, RV_MV(T5, ra));
		emit(j, rv_b(BNE, rc, ZERO, 8));
		emit(j, RV_MV(T5, rb));
		drop(j, h - 1);
		drop(j, h - 2);
		drop(j, h - 3);
		rd = push_reg(j, h - 3, false, w64);
		emit(j, RV_MV(rd, T5));
		return h - 2;
	}
	case 0x20:
		j->vs[h] = (struct vval){ .kind = V_LOCAL, .w64 = local_w64(j, in->a), .val = in->a };
		j->nlocal_refs++;
		return h + 1;
	case 0x21:
	case 0x22:
		local_changes(j, in->a, h - 1);
		rd = j->lreg[in->a];
		if (top->kind == V_LOCAL && (u32)top->val == in->a) {
			/* its own value */
		} else if (rd >= LREG_FP) {
			r = use_fp(j, h - 1, 0);
			emit(j, rv_fp(0x10 | local_w64(j, in->a), 0, rd - LREG_FP, r, r));
		} else if (rd) {
			r = use_int(j, h - 1, T0);
			if (r != rd)
				emit(j, RV_MV(rd, r));
		} else if (top->kind == V_FREG) {
			fs_slot(j, top->w64, top->reg, in->a);
		} else {
			r = use_int(j, h - 1, T0);
			st_slot(j, W_D, r, in->a);
		}
		if (op == 0x22)
			return h;
		drop(j, h - 1);
		return h - 1;
	case 0x23:
	case 0x24:
		emit(j, RV_LD(T1, S1, OFF(struct wasm_instance, globals)));
		access(j, OP_LOAD, W_D, T1, T1, (s64)in->a * 8);
		if (op == 0x23) {
			bool w64 = is64(m->globals[in->a].gt.type);

			rd = push_reg(j, h, false, w64);
			emit(j, rv_i(OP_LOAD, w64 ? W_D : W_W, rd, T1, OFF(struct wasm_global, val)));
			return h + 1;
		}
		r = use_int(j, h - 1, T0);
		emit(j, RV_SD(r, T1, OFF(struct wasm_global, val)));
		drop(j, h - 1);
		return h - 1;
	case 0x41:
	case 0x42:
		j->vs[h] = (struct vval){ .kind = V_CONST, .w64 = op == 0x42,
					  .val = op == 0x41 ? (s64)(s32)in->b : (s64)in->b };
		return h + 1;
	case 0x45:
	case 0x50:
	case 0xd1:
		r = use_int(j, h - 1, T0);
		drop(j, h - 1);
		if (op != 0xd1 && fuse_branch(j, BEQ, r, ZERO, h - 1))
			return h - 1;
		rd = push_reg(j, h - 1, false, false);
		emit(j, RV_SLTIU(rd, r, 1));
		return h;
	case 0x8b:
	case 0x99:
		r = use_int(j, h - 1, T0);
		drop(j, h - 1);
		rd = push_reg(j, h - 1, false, op == 0x99);
		emit(j, RV_SLLI(rd, r, op == 0x8b ? 33 : 1));
		emit(j, RV_SRLI(rd, rd, op == 0x8b ? 33 : 1));
		return h;
	case 0x8c:
	case 0x9a:
		r = use_int(j, h - 1, T0);
		drop(j, h - 1);
		rd = push_reg(j, h - 1, false, op == 0x9a);
		emit(j, RV_ADDI(T1, ZERO, -1));
		emit(j, RV_SLLI(T1, T1, op == 0x8c ? 31 : 63));
		emit(j, RV_XOR(rd, r, T1));
		return h;
	case 0x98:
	case 0xa6: {
		u32 sh = op == 0x98 ? 33 : 1, sign = op == 0x98 ? 31 : 63, ra, rb;

		ra = use_int(j, h - 2, T0);
		rb = use_int(j, h - 1, T1);
		emit(j, RV_SLLI(T0, ra, sh));
		emit(j, RV_SRLI(T0, T0, sh));
		emit(j, RV_SRLI(T1, rb, sign));
		emit(j, RV_SLLI(T1, T1, sign));
		drop(j, h - 2);
		drop(j, h - 1);
		rd = push_reg(j, h - 2, false, op == 0xa6);
		emit(j, RV_OR(rd, T0, T1));
		if (op == 0x98)
			emit(j, RV_ADDIW(rd, rd, 0));
		return h - 1;
	}
	case 0x91:
	case 0x9f:
		r = use_fp(j, h - 1, 0);
		drop(j, h - 1);
		rd = push_reg(j, h - 1, true, op == 0x9f);
		emit(j, rv_fp(op == 0x9f ? 0x2d : 0x2c, 7, rd, r, 0));
		return h;
	case 0xbc: case 0xbd: case 0xbe: case 0xbf:
		return h;
	case 0xa7:
		/* wrap: a 64-bit value's low half, sign-extended. */
		if (top->kind == V_CONST) {
			top->val = (s32)top->val;
		} else if (top->kind == V_REG || top->kind == V_FREG) {
			r = use_int(j, h - 1, T0);
			drop(j, h - 1);
			rd = push_reg(j, h - 1, false, false);
			emit(j, RV_ADDIW(rd, r, 0));
		}
		top->w64 = false;
		return h;
	case 0xac: case 0xad: case 0xc0: case 0xc1: case 0xc2: case 0xc3: case 0xc4: {
		/* Sign and zero extensions: shift left, then back. */
		static const u8 sh[] = { 32, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					 0, 56, 48, 56, 48, 32 };

		r = use_int(j, h - 1, T0);
		drop(j, h - 1);
		rd = push_reg(j, h - 1, false, op != 0xc0 && op != 0xc1);
		if (op == 0xac || op == 0xc4) {
			emit(j, RV_ADDIW(rd, r, 0));
		} else {
			emit(j, RV_SLLI(rd, r, sh[op - 0xac]));
			emit(j, op == 0xad ? RV_SRLI(rd, rd, 32) :
			     rv_i(OP_IMM, 5, rd, rd, 0x400 | sh[op - 0xac]));
		}
		return h;
	}
	case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb7: case 0xb8: case 0xb9: case 0xba: {
		/* fcvt.{s,d}.{w,wu,l,lu}: rs2 picks the integer type. */
		bool dbl = op >= 0xb7;
		u32 k = op - (dbl ? 0xb7 : 0xb2);

		r = use_int(j, h - 1, T0);
		drop(j, h - 1);
		rd = push_reg(j, h - 1, true, dbl);
		emit(j, rv_fp(0x68 | dbl, 7, rd, r, k));
		return h;
	}
	case 0xb6:
	case 0xbb: {
		bool to_dbl = op == 0xbb;

		r = use_fp(j, h - 1, 0);
		drop(j, h - 1);
		rd = push_reg(j, h - 1, true, to_dbl);
		emit(j, rv_fp(to_dbl ? 0x21 : 0x20, 7, rd, r, to_dbl ? 0 : 1));
		return h;
	}
	case 0xd2:
		emit(j, RV_LD(T0, S1, OFF(struct wasm_instance, funcs)));
		rd = push_reg(j, h, false, true);
		access(j, OP_LOAD, W_D, rd, T0, (s64)in->a * 8);
		return h + 1;
	}
	if (op >= 0x28 && op <= 0x35) {
		bool fp = op == 0x2a || op == 0x2b;

		s32 disp = mem_addr(j, h - 1, in->a, load_size[op - 0x28]);

		drop(j, h - 1);
		rd = result_reg(j, h - 1, fp, op == 0x29 || op == 0x2b || op >= 0x30);
		emit(j, rv_i(fp ? OP_LOADFP : OP_LOAD, load_width[op - 0x28], rd, T0, disp));
		return h - j->fused_pop;
	}
	if (op >= 0x36 && op <= 0x3e) {
		bool fp = top->kind == V_FREG && (op == 0x38 || op == 0x39);

		s32 disp;

		r = fp ? top->reg : use_int(j, h - 1, T2);
		disp = mem_addr(j, h - 2, in->a, store_size[op - 0x36]);
		emit(j, rv_s(fp ? OP_STOREFP : OP_STORE, store_width[op - 0x36], T0, r, disp));
		drop(j, h - 1);
		drop(j, h - 2);
		return h - 2;
	}
	if ((op >= 0x46 && op <= 0x4f) || (op >= 0x51 && op <= 0x5a)) {
		int_binop(j, h, op - (op <= 0x4f ? 0x46 : 0x51), op <= 0x4f, true);
		return h - 1 - j->fused_pop;
	}
	if (op >= 0x5b && op <= 0x66) {
		bool dbl = op >= 0x61;
		u32 fa = use_fp(j, h - 2, 0), fb = use_fp(j, h - 1, 1);

		drop(j, h - 2);
		drop(j, h - 1);
		rd = push_reg(j, h - 2, false, false);
		float_cmp(j, op - (dbl ? 0x61 : 0x5b), dbl, rd, fa, fb);
		return h - 1;
	}
	if ((op >= 0x6a && op <= 0x78) || (op >= 0x7c && op <= 0x8a)) {
		int_binop(j, h, op - (op <= 0x78 ? 0x6a : 0x7c), op <= 0x78, false);
		return h - 1 - j->fused_pop;
	}
	if ((op >= 0x92 && op <= 0x95) || (op >= 0xa0 && op <= 0xa3)) {
		/* fadd fsub fmul fdiv: funct7 0, 4, 8, 12 plus the format. */
		bool dbl = op >= 0xa0;
		u32 fa = use_fp(j, h - 2, 0), fb = use_fp(j, h - 1, 1);

		drop(j, h - 2);
		drop(j, h - 1);
		rd = result_reg(j, h - 2, true, dbl);
		emit(j, rv_fp((op - (dbl ? 0xa0 : 0x92)) * 4 | dbl, 7, rd, fa, fb));
		return h - 1 - j->fused_pop;
	}
	if (wasm_op_effect(op, &pop, &push)) {
		call_rt(j, op, in->a, in->b, h - pop, h);
		if (op == 0x40)
			reload_mem(j);
		if (push)
			push_mem(j, h - pop, rt_result_w64(op));
		return h - pop + push;
	}
	j->fail = "unknown instruction";
	return h;
}

/* ra, s0 and the local registers on the native stack, or back. */
static void save_regs(struct jit *j, bool save)
{
	emit(j, save ? RV_SD(RA, SP, 0) : RV_LD(RA, SP, 0));
	emit(j, save ? RV_SD(S0, SP, 8) : RV_LD(S0, SP, 8));
	for (u32 i = 0; i < j->nsaved; i++) {
		u32 r = j->saved[i], off = 16 + 8 * i;

		if (r >= LREG_FP)
			emit(j, save ? rv_s(OP_STOREFP, W_D, SP, r - LREG_FP, (s32)off) :
			     rv_i(OP_LOADFP, W_D, r - LREG_FP, SP, (s32)off));
		else
			emit(j, save ? RV_SD(r, SP, (s32)off) : RV_LD(r, SP, (s32)off));
	}
}

/* Picks the locals that live in registers: the most used of each class, used twice at least. */
/* A backward branch from i to in->a: a loop's back edge, which covers [in->a, i]. */
static void count_back_edge(s32 *depth, u32 target, u32 i)
{
	if (target <= i) {
		depth[target]++;
		depth[i + 1]--;
	}
}

/*
 * The locals to keep in registers: the most used, each use weighing 8 times
 * more per loop around it (the back edges' ranges, at most four deep), so
 * an inner loop's locals win over the ones set up once outside it.
 */
static bool pick_local_regs(struct jit *j, const struct wasm_code *code)
{
	u32 *uses = j->al->zalloc((size_t)(code->nlocals ? code->nlocals : 1) * sizeof(u32));
	s32 *depth = j->al->zalloc((size_t)(code->ninsns + 1) * sizeof(s32));
	u32 nint = 0, nfp = 0;
	s32 d = 0;

	j->lreg = j->al->zalloc(code->nlocals ? code->nlocals : 1);
	if (!uses || !depth || !j->lreg) {
		j->al->free(uses);
		j->al->free(depth);
		return false;
	}
	for (u32 i = 0; i < code->ninsns; i++) {
		const struct wasm_insn *in = &code->insns[i];

		if (in->op == 0x0c || in->op == 0x0d)
			count_back_edge(depth, in->a, i);
		if (in->op == 0x0e) {
			for (u32 k = 0; k <= in->a; k++)
				count_back_edge(depth, in[1 + k].a, i);
			i += in->a + 1;
		}
	}
	for (u32 i = 0; i < code->ninsns; i++) {
		const struct wasm_insn *in = &code->insns[i];

		d += depth[i];
		if (in->op >= 0x20 && in->op <= 0x22) {
			u32 w = 1u << (3 * (d < 0 ? 0 : d > 4 ? 4 : d));

			uses[in->a] = uses[in->a] > 0xffffffffu - w ? 0xffffffffu : uses[in->a] + w;
		}
		if (in->op == 0x0e) {
			for (u32 k = 1; k <= in->a + 1; k++)
				d += depth[i + k];
			i += in->a + 1;
		}
	}
	j->al->free(depth);
	j->nsaved = 0;
	for (;;) {
		u32 best = ~0u;

		for (u32 x = 0; x < code->nlocals; x++) {
			bool fp = code->local_types[x] == WASM_F32 || code->local_types[x] == WASM_F64;

			if (uses[x] >= 2 && (fp ? nfp < sizeof(local_fp_regs) :
					     nint < sizeof(local_int_regs) - !j->guarded) &&
			    (best == ~0u || uses[x] > uses[best]))
				best = x;
		}
		if (best == ~0u)
			break;
		if (code->local_types[best] == WASM_F32 || code->local_types[best] == WASM_F64)
			j->lreg[best] = LREG_FP + local_fp_regs[nfp++];
		else
			j->lreg[best] = local_int_regs[nint++];
		j->saved[j->nsaved++] = j->lreg[best];
		uses[best] = 0;
	}
	j->frame = (16 + 8 * j->nsaved + 15) & ~15u;
	j->al->free(uses);
	return true;
}

static void compile_func(struct jit *j, u32 fidx)
{
	const struct wasm_module *m = j->m;
	const struct wasm_code *code = &m->codes[fidx - m->nfunc_imports];
	const struct wasm_functype *ft = &m->types[code->type];
	u32 h = 0, np = ft->nparams;
	bool live = true;

	j->fidx = fidx;
	j->nlocals = code->nlocals;
	j->nfix = 0;
	j->pcoff = j->al->zalloc((size_t)(code->ninsns + 1) * sizeof(u32));
	j->tgt_h = j->al->zalloc((size_t)(code->ninsns + 1) * sizeof(s32));
	j->is_target = j->al->zalloc(code->ninsns + 1);
	j->vs = j->al->zalloc((size_t)(code->max_height + 1) * sizeof(*j->vs));
	if (!j->pcoff || !j->tgt_h || !j->is_target || !j->vs || !pick_local_regs(j, code)) {
		j->fail = "out of memory";
		goto out;
	}
	for (u32 i = 0; i <= code->ninsns; i++)
		j->tgt_h[i] = -1;
	/* Labels first: the stack goes to its slots before each (loops are entered from behind too). */
	for (u32 i = 0; i < code->ninsns; i++) {
		const struct wasm_insn *in = &code->insns[i];

		if (in->op == 0x04 || in->op == 0x05 || in->op == 0x0c || in->op == 0x0d)
			j->is_target[in->a] = true;
		if (in->op == 0x0e) {
			for (u32 k = 0; k <= in->a; k++)
				j->is_target[in[1 + k].a] = true;
			i += in->a + 1;
		}
	}
	reset_stack(j, code->max_height);

	/* Exits first, so traps jump back to them: stack trap, trap (naming us), return. */
	j->stack_trap = j->n;
	emit(j, RV_ADDI(A0, ZERO, WASM_TRAP_STACK_EXHAUSTED));
	j->trap_exit = j->n;
	j->trap_off[fidx - m->nfunc_imports] = j->n * 4;
	li(j, T0, fidx);
	emit(j, rv_s(OP_STORE, W_W, S4, T0, OFF(struct wasm_store, trap_func)));
	j->ret_exit = j->n;
	save_regs(j, false);
	emit(j, RV_ADDI(SP, SP, (s32)j->frame));
	emit(j, RV_RET);

	j->func_off[fidx - m->nfunc_imports] = j->n * 4;
	emit(j, RV_ADDI(SP, SP, -(s32)j->frame));
	save_regs(j, true);
	emit(j, RV_MV(S0, A0));
	emit(j, RV_LD(T0, S4, OFF(struct wasm_store, jit_sp_limit)));
	emit(j, rv_b(BGEU, SP, T0, 8));
	jump_back(j, j->stack_trap);
	addr_slot(j, T0, code->nlocals + code->max_height + 1);
	emit(j, RV_LD(T1, S4, OFF(struct wasm_store, stack_end)));
	emit(j, rv_b(BGEU, T1, T0, 8));
	jump_back(j, j->stack_trap);
	/* Declared locals start at zero. */
	if (code->nlocals - np <= 16) {
		for (u32 i = np; i < code->nlocals; i++)
			st_slot(j, W_D, ZERO, i);
	} else {
		u32 loop;

		addr_slot(j, T0, np);
		addr_slot(j, T1, code->nlocals);
		loop = j->n;
		emit(j, RV_SD(ZERO, T0, 0));
		emit(j, RV_ADDI(T0, T0, 8));
		emit(j, rv_b(BLTU, T0, T1, ((s32)loop - (s32)j->n) * 4));
	}
	/* Locals in registers: parameters from their slots, the others zero. */
	for (u32 x = 0; x < code->nlocals; x++) {
		u32 lr = j->lreg[x];

		if (!lr)
			continue;
		if (lr >= LREG_FP && x < np)
			fl_slot(j, local_w64(j, x), lr - LREG_FP, x);
		else if (lr >= LREG_FP)
			emit(j, rv_fp(local_w64(j, x) ? 0x79 : 0x78, 0, lr - LREG_FP, ZERO, 0));
		else if (x < np)
			ld_slot(j, local_w64(j, x) ? W_D : W_W, lr, x);
		else
			emit(j, RV_MV(lr, ZERO));
	}

	for (u32 i = 0; i < code->ninsns && !j->fail; i++) {
		const struct wasm_insn *in = &code->insns[i];

		if (live && j->is_target[i])
			spill_all(j, h);
		j->pcoff[i] = j->n;
		if (j->tgt_h[i] >= 0) {
			h = (u32)j->tgt_h[i];
			live = true;
		}
		if (j->is_target[i])
			reset_stack(j, code->max_height);
		if (!live) {
			/* Unreachable code: br_table's entries go with it. */
			if (in->op == 0x0e)
				i += in->a + 1;
			continue;
		}
		j->next = i + 1 < code->ninsns && !j->is_target[i + 1] ? in + 1 : NULL;
		j->fused = false;
		j->fused_pop = 0;
		j->cur = i;
		h = insn(j, in, h, &live);
		if (in->op == 0x0e)
			i += in->a + 1;
		if (j->fused)
			j->pcoff[++i] = j->n;
	}
	flush_pool(j);
	for (u32 k = 0; k < j->nfix && j->buf && !j->fail; k++)
		j->buf[j->fix[k].at] = jal_to(j, ZERO, j->fix[k].at, j->pcoff[j->fix[k].target]);
out:
	j->al->free(j->pcoff);
	j->al->free(j->tgt_h);
	j->al->free(j->is_target);
	j->al->free(j->vs);
	j->al->free(j->lreg);
	j->lreg = NULL;
	j->pcoff = NULL;
	j->tgt_h = NULL;
	j->is_target = NULL;
	j->vs = NULL;
}

/*
 * Offset 0: the trampoline from C, enter(fp, inst, fn, helper): saves the
 * callee-saved registers the code uses and sets the module-wide ones.
 */
static void trampoline(struct jit *j)
{
	static const u8 saved[] = { RA, S0, S1, S2, S3, S4, S5 };
	u32 at;

	emit(j, RV_ADDI(SP, SP, -64));
	for (u32 i = 0; i < sizeof(saved); i++)
		emit(j, RV_SD(saved[i], SP, (s32)i * 8));
	emit(j, RV_MV(S1, A1));
	emit(j, RV_MV(S5, A3));
	emit(j, RV_LD(S4, S1, OFF(struct wasm_instance, store)));
	emit(j, RV_MV(S2, ZERO));
	emit(j, RV_MV(S3, ZERO));
	emit(j, RV_LD(T0, S1, OFF(struct wasm_instance, mems)));
	emit(j, RV_LD(T0, T0, 0));
	at = skip_begin(j);
	emit(j, RV_LD(S2, T0, OFF(struct wasm_memory, data)));
	emit(j, RV_LD(S3, T0, OFF(struct wasm_memory, size)));
	skip_end(j, at, BEQ, T0, ZERO);
	emit(j, RV_JALR(RA, A2, 0));
	for (u32 i = 0; i < sizeof(saved); i++)
		emit(j, RV_LD(saved[i], SP, (s32)i * 8));
	emit(j, RV_ADDI(SP, SP, 64));
	emit(j, RV_RET);
}

struct wasm_jit *wasm_jit_compile(const struct wasm_module *m, const struct wasm_alloc *al,
				  const struct wasm_code_alloc *ca, unsigned flags,
				  struct wasm_error *err)
{
	struct jit j = { .m = m, .al = al, .guarded = flags & WASM_JIT_GUARDED };
	struct wasm_jit *out = NULL;
	u32 ndef = m->nfuncs - m->nfunc_imports;

	if (ndef && !m->codes) {
		j.fail = "module was loaded for validation only";
		goto done;
	}
	j.func_off = al->zalloc((size_t)(ndef ? ndef : 1) * sizeof(u32));
	j.trap_off = al->zalloc((size_t)(ndef ? ndef : 1) * sizeof(u32));
	if (!j.func_off || !j.trap_off) {
		j.fail = "out of memory";
		goto done;
	}
	trampoline(&j);
	for (u32 f = m->nfunc_imports; f < m->nfuncs && !j.fail; f++)
		compile_func(&j, f);
	for (u32 k = 0; k < j.ncalls && !j.fail; k++) {
		s64 off = (s64)j.func_off[j.calls[k].target] - (s64)j.calls[k].at * 4;
		s32 hi = (s32)((off + 0x800) >> 12), lo = (s32)(off - (s64)((u64)(s64)hi << 12));

		j.buf[j.calls[k].at] = rv_u(OP_AUIPC, RA, (u32)hi);
		j.buf[j.calls[k].at + 1] = RV_JALR(RA, RA, lo);
	}
	if (j.fail)
		goto done;
	out = al->zalloc(sizeof(*out));
	if (!out) {
		j.fail = "out of memory";
		goto done;
	}
	out->size = (size_t)j.n * 4;
	out->code = ca->map(out->size);
	if (!out->code) {
		j.fail = "out of memory for code";
		goto done;
	}
	memcpy(out->code, j.buf, out->size);
	if (ca->seal(out->code, out->size)) {
		j.fail = "cannot map code executable";
		goto done;
	}
	out->func_off = j.func_off;
	out->trap_off = j.trap_off;
	out->guarded = j.guarded;
	out->nfuncs = ndef;
	j.func_off = NULL;
	j.trap_off = NULL;
done:
	if (j.fail && out) {
		if (out->code)
			ca->unmap(out->code, out->size);
		al->free(out);
		out = NULL;
	}
	if (j.fail && err) {
		size_t n = strnlen(j.fail, sizeof(err->msg) - 1);

		memcpy(err->msg, j.fail, n);
		err->msg[n] = 0;
		err->offset = 0;
	}
	al->free(j.buf);
	al->free(j.fix);
	al->free(j.pool);
	al->free(j.calls);
	al->free(j.func_off);
	al->free(j.trap_off);
	return out;
}

bool wasm_jit_fault(const struct wasm_jit *jc, unsigned long *gregs, uintptr_t addr)
{
	uintptr_t code = (uintptr_t)jc->code, mem = gregs[S2];
	u32 off, lo = 0, hi = jc->nfuncs;

	if (!jc->guarded || gregs[0] < code || gregs[0] - code >= jc->size || !mem ||
	    addr - (mem - WASM_RESERVE_BELOW) >= WASM_RESERVE_BELOW + WASM_RESERVE_BYTES)
		return false;
	/*
	 * Each function is its exits (the stack trap's one instruction, then
	 * the trap exit) and its body: the last one starting at or before pc.
	 */
	off = (u32)(gregs[0] - code);
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (jc->trap_off[mid] - 4 <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;	/* the trampoline touches no linear memory */
	gregs[0] = code + jc->trap_off[lo - 1];
	gregs[A0] = WASM_TRAP_MEM_OOB;
	return true;
}

void wasm_jit_free(struct wasm_jit *jc, const struct wasm_alloc *al,
		   const struct wasm_code_alloc *ca)
{
	if (!jc)
		return;
	ca->unmap(jc->code, jc->size);
	al->free(jc->func_off);
	al->free(jc->trap_off);
	al->free(jc);
}
