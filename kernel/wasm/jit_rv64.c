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
 * reloaded after anything that may grow the memory. A function returns its
 * trap code in a0 (0 = none) and its results in its first slots. 32-bit
 * values are read with 32-bit loads, so a slot's upper half is don't-care.
 */

#define OFF(type, field)	((s32)__builtin_offsetof(type, field))

struct fixup {
	u32 at;			/* word index of the jal/auipc */
	u32 target;		/* instruction index, or function index for calls */
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
	struct fixup *fix;
	u32 nfix, capfix;
	/* Direct calls, patched once every function has its place. */
	struct fixup *calls;
	u32 ncalls, capcalls;
	u32 *func_off;
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
		li(j, rd, hi);
		emit(j, RV_SLLI(rd, rd, sh));
		if (lo)
			emit(j, RV_ADDI(rd, rd, (s32)lo));
	}
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
	emit(j, RV_LD(S3, T0, OFF(struct wasm_memory, size)));
}

/* wasm_rt_op(inst, op, a, b, &slot[base], this function's index). */
static void call_rt(struct jit *j, u32 op, u32 a, u64 b, u32 base)
{
	emit(j, RV_MV(A0, S1));
	li(j, A1, op);
	li(j, A2, a);
	li(j, A3, (s64)b);
	addr_slot(j, A4, base);
	li(j, A5, j->fidx);
	emit(j, RV_JALR(RA, S5, 0));
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

/* A branch's target height, and its value moves; h is the height before it. */
static void branch(struct jit *j, const struct wasm_insn *in, u32 h)
{
	move_slots(j, j->nlocals + (u32)in->b, j->nlocals + h - in->arity, in->arity);
	j->tgt_h[in->a] = (s32)(in->b + in->arity);
	jump_insn(j, in->a);
}

static bool branch_moves(const struct wasm_insn *in, u32 h)
{
	return in->arity && in->b != h - in->arity;
}

/* Integer comparisons, in the order of the opcodes after eqz: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u. */
static void int_cmp(struct jit *j, u32 k)
{
	static const u8 swap[] = { 0, 0, 0, 0, 1, 1, 1, 1, 0, 0 };
	u32 a = swap[k] ? T1 : T0, b = swap[k] ? T0 : T1;

	if (k < 2) {
		emit(j, RV_XOR(T0, T0, T1));
		emit(j, k ? RV_SLTU(T0, ZERO, T0) : RV_SLTIU(T0, T0, 1));
		return;
	}
	emit(j, (k & 1) ? RV_SLTU(T0, a, b) : RV_SLT(T0, a, b));
	if (k >= 6)
		emit(j, RV_XORI(T0, T0, 1));
}

static void float_cmp(struct jit *j, u32 k, bool dbl)
{
	u32 f7 = 0x50 | dbl;

	switch (k) {
	case 0: emit(j, rv_fp(f7, 2, T0, 0, 1)); break;
	case 1: emit(j, rv_fp(f7, 2, T0, 0, 1)); emit(j, RV_XORI(T0, T0, 1)); break;
	case 2: emit(j, rv_fp(f7, 1, T0, 0, 1)); break;
	case 3: emit(j, rv_fp(f7, 1, T0, 1, 0)); break;
	case 4: emit(j, rv_fp(f7, 0, T0, 0, 1)); break;
	default: emit(j, rv_fp(f7, 0, T0, 1, 0)); break;
	}
}

/* i32 (w) and i64 arithmetic, opcodes from add to rotr. */
static void int_arith(struct jit *j, u32 k, bool w)
{
	u32 op = w ? OP_OP32 : OP_OP;
	u32 at;

	switch (k) {
	case 0: emit(j, rv_r(op, 0, 0, T0, T0, T1)); return;
	case 1: emit(j, rv_r(op, 0, 0x20, T0, T0, T1)); return;
	case 2: emit(j, rv_r(op, 0, 1, T0, T0, T1)); return;
	case 3: case 4: case 5: case 6:
		trap_unless(j, BNE, T1, ZERO, WASM_TRAP_DIV_ZERO);
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
			trap_unless(j, BNE, T0, T2, WASM_TRAP_INT_OVERFLOW);
			skip_end(j, at, BNE, T1, T2);
		}
		emit(j, rv_r(op, 4 + (k - 3), 1, T0, T0, T1));
		return;
	case 7: emit(j, rv_r(OP_OP, 7, 0, T0, T0, T1)); return;
	case 8: emit(j, RV_OR(T0, T0, T1)); return;
	case 9: emit(j, RV_XOR(T0, T0, T1)); return;
	case 10: emit(j, rv_r(op, 1, 0, T0, T0, T1)); return;
	case 11: emit(j, rv_r(op, 5, 0x20, T0, T0, T1)); return;
	case 12: emit(j, rv_r(op, 5, 0, T0, T0, T1)); return;
	default: {
		/* Rotations: the shifts take the count modulo the width, so -n is width - n. */
		u32 left = k == 13 ? 1 : 5, right = k == 13 ? 5 : 1;

		emit(j, RV_SUB(T3, ZERO, T1));
		emit(j, rv_r(op, left, 0, T2, T0, T1));
		emit(j, rv_r(op, right, 0, T3, T0, T3));
		emit(j, RV_OR(T0, T2, T3));
	}
	}
}

static const u8 load_width[] = { W_W, W_D, W_W, W_D, W_B, W_BU, W_H, W_HU, W_B, W_BU, W_H, W_HU,
				 W_W, W_WU };
static const u8 load_size[] = { 4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4 };
static const u8 store_width[] = { W_W, W_D, W_W, W_D, W_B, W_H, W_B, W_H, W_W };
static const u8 store_size[] = { 4, 8, 4, 8, 1, 2, 1, 2, 4 };

/* t0 = memory address of the access at slot addr + offset, trapping when size bytes do not fit. */
static void mem_addr(struct jit *j, u32 addr, u32 offset, u32 size)
{
	ld_slot(j, W_WU, T0, addr);
	if (rv_fits12(offset)) {
		if (offset)
			emit(j, RV_ADDI(T0, T0, (s32)offset));
	} else {
		li(j, T1, offset);
		emit(j, RV_ADD(T0, T0, T1));
	}
	emit(j, RV_ADDI(T1, T0, (s32)size));
	trap_unless(j, BGEU, S3, T1, WASM_TRAP_MEM_OOB);
	emit(j, RV_ADD(T0, T0, S2));
}

/* One live instruction at height h; returns the height after it. */
static u32 insn(struct jit *j, const struct wasm_insn *in, u32 h, bool *live)
{
	const struct wasm_module *m = j->m;
	u32 L = j->nlocals, op = in->op, pop, push;

	switch (op) {
	case 0x00:
		trap_now(j, WASM_TRAP_UNREACHABLE);
		*live = false;
		return h;
	case 0x04:
		ld_slot(j, W_W, T0, L + h - 1);
		h--;
		emit(j, rv_b(BNE, T0, ZERO, 8));
		j->tgt_h[in->a] = (s32)h;
		jump_insn(j, in->a);
		return h;
	case 0x05:
		j->tgt_h[in->a] = (s32)h;
		jump_insn(j, in->a);
		*live = false;
		return h;
	case 0x0c:
		branch(j, in, h);
		*live = false;
		return h;
	case 0x0d: {
		u32 at;

		ld_slot(j, W_W, T0, L + h - 1);
		h--;
		if (!branch_moves(in, h)) {
			emit(j, rv_b(BEQ, T0, ZERO, 8));
			branch(j, in, h);
			return h;
		}
		emit(j, rv_b(BNE, T0, ZERO, 8));
		at = j->n;
		emit(j, 0);
		branch(j, in, h);
		if (j->buf)
			j->buf[at] = jal_to(j, ZERO, at, j->n);
		return h;
	}
	case 0x0e: {
		u32 count = in->a, table, *stub_at;

		ld_slot(j, W_WU, T0, L + h - 1);
		h--;
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
		move_slots(j, 0, L + h - in->arity, in->arity);
		emit(j, RV_MV(A0, ZERO));
		jump_back(j, j->ret_exit);
		*live = false;
		return h;
	case 0x10: {
		const struct wasm_functype *ft = &m->types[m->func_types[in->a]];
		u32 base = L + h - ft->nparams;

		if (in->a < m->nfunc_imports) {
			call_rt(j, op, in->a, 0, base);
		} else {
			addr_slot(j, A0, base);
			add_fix(j, &j->calls, &j->ncalls, &j->capcalls, in->a - m->nfunc_imports);
			emit(j, rv_u(OP_AUIPC, RA, 0));
			emit(j, RV_JALR(RA, RA, 0));
			propagate(j);
		}
		reload_mem(j);
		return h - ft->nparams + ft->nresults;
	}
	case 0x11: {
		const struct wasm_functype *ft = &m->types[in->a];

		call_rt(j, op, in->a, in->b, L + h - ft->nparams - 1);
		reload_mem(j);
		return h - ft->nparams - 1 + ft->nresults;
	}
	case 0x1a:
		return h - 1;
	case 0x1b: {
		u32 at;

		ld_slot(j, W_W, T0, L + h - 1);
		at = skip_begin(j);
		ld_slot(j, W_D, T1, L + h - 2);
		st_slot(j, W_D, T1, L + h - 3);
		skip_end(j, at, BNE, T0, ZERO);
		return h - 2;
	}
	case 0x20:
		ld_slot(j, W_D, T0, in->a);
		st_slot(j, W_D, T0, L + h);
		return h + 1;
	case 0x21:
	case 0x22:
		ld_slot(j, W_D, T0, L + h - 1);
		st_slot(j, W_D, T0, in->a);
		return op == 0x21 ? h - 1 : h;
	case 0x23:
	case 0x24:
		emit(j, RV_LD(T0, S1, OFF(struct wasm_instance, globals)));
		access(j, OP_LOAD, W_D, T0, T0, (s64)in->a * 8);
		if (op == 0x23) {
			emit(j, RV_LD(T1, T0, OFF(struct wasm_global, val)));
			st_slot(j, W_D, T1, L + h);
			return h + 1;
		}
		ld_slot(j, W_D, T1, L + h - 1);
		emit(j, RV_SD(T1, T0, OFF(struct wasm_global, val)));
		return h - 1;
	case 0x41:
	case 0x42:
		li(j, T0, op == 0x41 ? (s64)(s32)in->b : (s64)in->b);
		st_slot(j, W_D, T0, L + h);
		return h + 1;
	case 0x45:
	case 0x50:
		ld_slot(j, op == 0x45 ? W_W : W_D, T0, L + h - 1);
		emit(j, RV_SLTIU(T0, T0, 1));
		st_slot(j, W_D, T0, L + h - 1);
		return h;
	case 0x8b:
	case 0x99:
		ld_slot(j, W_D, T0, L + h - 1);
		emit(j, RV_SLLI(T0, T0, op == 0x8b ? 33 : 1));
		emit(j, RV_SRLI(T0, T0, op == 0x8b ? 33 : 1));
		st_slot(j, W_D, T0, L + h - 1);
		return h;
	case 0x8c:
	case 0x9a:
		ld_slot(j, W_D, T0, L + h - 1);
		emit(j, RV_ADDI(T1, ZERO, 1));
		emit(j, RV_SLLI(T1, T1, op == 0x8c ? 31 : 63));
		emit(j, RV_XOR(T0, T0, T1));
		st_slot(j, W_D, T0, L + h - 1);
		return h;
	case 0x98:
	case 0xa6: {
		u32 sh = op == 0x98 ? 33 : 1, sign = op == 0x98 ? 31 : 63;

		ld_slot(j, W_D, T0, L + h - 2);
		ld_slot(j, W_D, T1, L + h - 1);
		emit(j, RV_SLLI(T0, T0, sh));
		emit(j, RV_SRLI(T0, T0, sh));
		emit(j, RV_SRLI(T1, T1, sign));
		emit(j, RV_SLLI(T1, T1, sign));
		emit(j, RV_OR(T0, T0, T1));
		st_slot(j, W_D, T0, L + h - 2);
		return h - 1;
	}
	case 0x91:
	case 0x9f:
		fl_slot(j, op == 0x9f, 0, L + h - 1);
		emit(j, rv_fp(op == 0x9f ? 0x2d : 0x2c, 7, 0, 0, 0));
		fs_slot(j, op == 0x9f, 0, L + h - 1);
		return h;
	case 0xa7: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
		return h;
	case 0xac: case 0xad: case 0xc0: case 0xc1: case 0xc2: case 0xc3: case 0xc4: {
		static const u8 w[] = { W_W, W_WU, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					0, W_B, W_H, W_B, W_H, W_W };

		ld_slot(j, w[op - 0xac], T0, L + h - 1);
		st_slot(j, W_D, T0, L + h - 1);
		return h;
	}
	case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb7: case 0xb8: case 0xb9: case 0xba: {
		/* fcvt.{s,d}.{w,wu,l,lu}: rs2 picks the integer type. */
		bool dbl = op >= 0xb7;
		u32 k = op - (dbl ? 0xb7 : 0xb2);

		ld_slot(j, W_D, T0, L + h - 1);
		emit(j, rv_fp(0x68 | dbl, 7, 0, T0, k));
		fs_slot(j, dbl, 0, L + h - 1);
		return h;
	}
	case 0xb6:
	case 0xbb: {
		bool to_dbl = op == 0xbb;

		fl_slot(j, !to_dbl, 0, L + h - 1);
		emit(j, rv_fp(to_dbl ? 0x21 : 0x20, 7, 0, 0, to_dbl ? 0 : 1));
		fs_slot(j, to_dbl, 0, L + h - 1);
		return h;
	}
	case 0xd1:
		ld_slot(j, W_D, T0, L + h - 1);
		emit(j, RV_SLTIU(T0, T0, 1));
		st_slot(j, W_D, T0, L + h - 1);
		return h;
	case 0xd2:
		emit(j, RV_LD(T0, S1, OFF(struct wasm_instance, funcs)));
		access(j, OP_LOAD, W_D, T0, T0, (s64)in->a * 8);
		st_slot(j, W_D, T0, L + h);
		return h + 1;
	}
	if (op >= 0x28 && op <= 0x35) {
		mem_addr(j, L + h - 1, in->a, load_size[op - 0x28]);
		emit(j, rv_i(OP_LOAD, load_width[op - 0x28], T2, T0, 0));
		st_slot(j, W_D, T2, L + h - 1);
		return h;
	}
	if (op >= 0x36 && op <= 0x3e) {
		ld_slot(j, W_D, T2, L + h - 1);
		mem_addr(j, L + h - 2, in->a, store_size[op - 0x36]);
		emit(j, rv_s(OP_STORE, store_width[op - 0x36], T0, T2, 0));
		return h - 2;
	}
	if ((op >= 0x46 && op <= 0x4f) || (op >= 0x51 && op <= 0x5a)) {
		bool w = op <= 0x4f;

		ld_slot(j, w ? W_W : W_D, T0, L + h - 2);
		ld_slot(j, w ? W_W : W_D, T1, L + h - 1);
		int_cmp(j, op - (w ? 0x46 : 0x51));
		st_slot(j, W_D, T0, L + h - 2);
		return h - 1;
	}
	if (op >= 0x5b && op <= 0x66) {
		bool dbl = op >= 0x61;

		fl_slot(j, dbl, 0, L + h - 2);
		fl_slot(j, dbl, 1, L + h - 1);
		float_cmp(j, op - (dbl ? 0x61 : 0x5b), dbl);
		st_slot(j, W_D, T0, L + h - 2);
		return h - 1;
	}
	if ((op >= 0x6a && op <= 0x78) || (op >= 0x7c && op <= 0x8a)) {
		bool w = op <= 0x78;

		ld_slot(j, w ? W_W : W_D, T0, L + h - 2);
		ld_slot(j, w ? W_W : W_D, T1, L + h - 1);
		int_arith(j, op - (w ? 0x6a : 0x7c), w);
		st_slot(j, W_D, T0, L + h - 2);
		return h - 1;
	}
	if ((op >= 0x92 && op <= 0x95) || (op >= 0xa0 && op <= 0xa3)) {
		/* fadd fsub fmul fdiv: funct7 0, 4, 8, 12 plus the format. */
		bool dbl = op >= 0xa0;

		fl_slot(j, dbl, 0, L + h - 2);
		fl_slot(j, dbl, 1, L + h - 1);
		emit(j, rv_fp((op - (dbl ? 0xa0 : 0x92)) * 4 | dbl, 7, 0, 0, 1));
		fs_slot(j, dbl, 0, L + h - 2);
		return h - 1;
	}
	if (wasm_op_effect(op, &pop, &push)) {
		call_rt(j, op, in->a, in->b, L + h - pop);
		if (op == 0x40)
			reload_mem(j);
		return h - pop + push;
	}
	j->fail = "unknown instruction";
	return h;
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
	if (!j->pcoff || !j->tgt_h) {
		j->fail = "out of memory";
		goto out;
	}
	for (u32 i = 0; i <= code->ninsns; i++)
		j->tgt_h[i] = -1;

	/* Exits first, so traps jump back to them: stack trap, trap (naming us), return. */
	j->stack_trap = j->n;
	emit(j, RV_ADDI(A0, ZERO, WASM_TRAP_STACK_EXHAUSTED));
	j->trap_exit = j->n;
	li(j, T0, fidx);
	emit(j, rv_s(OP_STORE, W_W, S4, T0, OFF(struct wasm_store, trap_func)));
	j->ret_exit = j->n;
	emit(j, RV_LD(RA, SP, 8));
	emit(j, RV_LD(S0, SP, 0));
	emit(j, RV_ADDI(SP, SP, 16));
	emit(j, RV_RET);

	j->func_off[fidx - m->nfunc_imports] = j->n * 4;
	emit(j, RV_ADDI(SP, SP, -16));
	emit(j, RV_SD(RA, SP, 8));
	emit(j, RV_SD(S0, SP, 0));
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

	for (u32 i = 0; i < code->ninsns && !j->fail; i++) {
		const struct wasm_insn *in = &code->insns[i];

		j->pcoff[i] = j->n;
		if (j->tgt_h[i] >= 0) {
			h = (u32)j->tgt_h[i];
			live = true;
		}
		if (!live) {
			/* Unreachable code: br_table's entries go with it. */
			if (in->op == 0x0e)
				i += in->a + 1;
			continue;
		}
		h = insn(j, in, h, &live);
		if (in->op == 0x0e)
			i += in->a + 1;
	}
	for (u32 k = 0; k < j->nfix && j->buf && !j->fail; k++)
		j->buf[j->fix[k].at] = jal_to(j, ZERO, j->fix[k].at, j->pcoff[j->fix[k].target]);
out:
	j->al->free(j->pcoff);
	j->al->free(j->tgt_h);
	j->pcoff = NULL;
	j->tgt_h = NULL;
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
				  const struct wasm_code_alloc *ca, struct wasm_error *err)
{
	struct jit j = { .m = m, .al = al };
	struct wasm_jit *out = NULL;
	u32 ndef = m->nfuncs - m->nfunc_imports;

	if (ndef && !m->codes) {
		j.fail = "module was loaded for validation only";
		goto done;
	}
	j.func_off = al->zalloc((size_t)(ndef ? ndef : 1) * sizeof(u32));
	if (!j.func_off) {
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
	j.func_off = NULL;
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
	al->free(j.calls);
	al->free(j.func_off);
	return out;
}

void wasm_jit_free(struct wasm_jit *jc, const struct wasm_alloc *al,
		   const struct wasm_code_alloc *ca)
{
	if (!jc)
		return;
	ca->unmap(jc->code, jc->size);
	al->free(jc->func_off);
	al->free(jc);
}
