/* SPDX-License-Identifier: BSD-2-Clause */
/* User floating-point state: saved per task, switched lazily by sstatus.FS. */
#ifndef ASM_FPU_H
#define ASM_FPU_H

#include <hartix/types.h>

/* The D extension's registers, as in the signal frame (__riscv_d_ext_state). */
struct fpu_state {
	u64 f[32];
	u32 fcsr;
};

struct task;
struct pt_regs;

#ifdef CONFIG_FPU
/* Context switch: saves prev's registers if dirty, loads next's. */
void fpu_switch(struct task *prev, struct task *next);
/* The current task's registers into t->fp if dirty (regs is its frame). */
void fpu_flush(struct task *t);
/* t->fp into the registers of this hart; t runs here and will be dirty. */
void fpu_load(struct task *t);
/* exec: zeroed registers, FS Initial; the sstatus bits for a new image. */
void fpu_exec(struct task *t);
#else
static inline void fpu_switch(struct task *prev, struct task *next) {}
static inline void fpu_flush(struct task *t) {}
static inline void fpu_load(struct task *t) {}
static inline void fpu_exec(struct task *t) {}
#endif

#endif
