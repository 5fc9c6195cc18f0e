/* SPDX-License-Identifier: BSD-2-Clause */
/* RV64GC instruction encoders for the baseline compiler (the 32-bit forms only). */
#ifndef KERNEL_WASM_RV64_H
#define KERNEL_WASM_RV64_H

#include <hartix/types.h>

/* Integer registers by ABI name. */
enum {
	ZERO = 0, RA = 1, SP = 2, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9,
	A0 = 10, A1, A2, A3, A4, A5, A6, A7,
	S2 = 18, S3, S4, S5, T3 = 28, T4, T5, T6,
};

/* Major opcodes. */
enum {
	OP_LOAD = 0x03, OP_LOADFP = 0x07, OP_MISCMEM = 0x0f, OP_IMM = 0x13, OP_AUIPC = 0x17,
	OP_IMM32 = 0x1b, OP_STORE = 0x23, OP_STOREFP = 0x27, OP_OP = 0x33, OP_LUI = 0x37,
	OP_OP32 = 0x3b, OP_FP = 0x53, OP_BRANCH = 0x63, OP_JALR = 0x67, OP_JAL = 0x6f,
	OP_SYSTEM = 0x73,
};

/* Branch conditions (funct3). */
enum { BEQ = 0, BNE = 1, BLT = 4, BGE = 5, BLTU = 6, BGEU = 7 };

/* Load and store widths (funct3). */
enum { W_B = 0, W_H = 1, W_W = 2, W_D = 3, W_BU = 4, W_HU = 5, W_WU = 6 };

static inline u32 rv_r(u32 op, u32 f3, u32 f7, u32 rd, u32 rs1, u32 rs2)
{
	return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static inline u32 rv_i(u32 op, u32 f3, u32 rd, u32 rs1, s32 imm)
{
	return ((u32)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static inline u32 rv_s(u32 op, u32 f3, u32 rs1, u32 rs2, s32 imm)
{
	u32 i = (u32)imm;

	return (i >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (i & 0x1f) << 7 | op;
}

static inline u32 rv_b(u32 f3, u32 rs1, u32 rs2, s32 off)
{
	u32 i = (u32)off;

	return (i >> 12 & 1) << 31 | (i >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       (i >> 1 & 0xf) << 8 | (i >> 11 & 1) << 7 | OP_BRANCH;
}

static inline u32 rv_j(u32 rd, s32 off)
{
	u32 i = (u32)off;

	return (i >> 20 & 1) << 31 | (i >> 1 & 0x3ff) << 21 | (i >> 11 & 1) << 20 |
	       (i >> 12 & 0xff) << 12 | rd << 7 | OP_JAL;
}

static inline u32 rv_u(u32 op, u32 rd, u32 imm20)
{
	return (imm20 & 0xfffff) << 12 | rd << 7 | op;
}

static inline bool rv_fits12(s64 v)
{
	return v >= -2048 && v <= 2047;
}

#define RV_ADDI(rd, rs, imm)	rv_i(OP_IMM, 0, rd, rs, imm)
#define RV_ADDIW(rd, rs, imm)	rv_i(OP_IMM32, 0, rd, rs, imm)
#define RV_SLTIU(rd, rs, imm)	rv_i(OP_IMM, 3, rd, rs, imm)
#define RV_XORI(rd, rs, imm)	rv_i(OP_IMM, 4, rd, rs, imm)
#define RV_SLLI(rd, rs, sh)	rv_i(OP_IMM, 1, rd, rs, sh)
#define RV_SRLI(rd, rs, sh)	rv_i(OP_IMM, 5, rd, rs, sh)
#define RV_SRLIW(rd, rs, sh)	rv_i(OP_IMM32, 5, rd, rs, sh)
#define RV_ADD(rd, a, b)	rv_r(OP_OP, 0, 0, rd, a, b)
#define RV_SUB(rd, a, b)	rv_r(OP_OP, 0, 0x20, rd, a, b)
#define RV_OR(rd, a, b)		rv_r(OP_OP, 6, 0, rd, a, b)
#define RV_XOR(rd, a, b)	rv_r(OP_OP, 4, 0, rd, a, b)
#define RV_SLT(rd, a, b)	rv_r(OP_OP, 2, 0, rd, a, b)
#define RV_SLTU(rd, a, b)	rv_r(OP_OP, 3, 0, rd, a, b)
#define RV_LD(rd, rs, off)	rv_i(OP_LOAD, W_D, rd, rs, off)
#define RV_SD(rs2, rs1, off)	rv_s(OP_STORE, W_D, rs1, rs2, off)
#define RV_JALR(rd, rs, off)	rv_i(OP_JALR, 0, rd, rs, off)
#define RV_MV(rd, rs)		RV_ADDI(rd, rs, 0)
#define RV_RET			RV_JALR(ZERO, RA, 0)
#define RV_FENCE_I		0x0000100fu
/* fsflags zero / frflags rd: the accrued exception flags (CSR fflags, 1). */
#define RV_FSFLAGS_ZERO		rv_i(OP_SYSTEM, 1, ZERO, ZERO, 1)
#define RV_FRFLAGS(rd)		rv_i(OP_SYSTEM, 2, rd, ZERO, 1)

/* OP-FP: funct7 holds the operation in its top five bits and the format (0 s, 1 d) below. */
static inline u32 rv_fp(u32 f7, u32 rm, u32 rd, u32 rs1, u32 rs2)
{
	return rv_r(OP_FP, rm, f7, rd, rs1, rs2);
}

#endif
