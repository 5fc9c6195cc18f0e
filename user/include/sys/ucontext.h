/* SPDX-License-Identifier: BSD-2-Clause */
/* A signal handler's third argument: Linux riscv64's ucontext (glibc's names). */
#ifndef _SYS_UCONTEXT_H
#define _SYS_UCONTEXT_H

#include <signal.h>

/* __gregs[]: pc, then x1..x31 in ISA order. */
#define REG_PC 0
#define REG_RA 1
#define REG_SP 2
#define REG_TP 4
#define REG_S0 8
#define REG_A0 10
#define NGREG 32

typedef unsigned long greg_t;
typedef greg_t gregset_t[NGREG];

struct __riscv_mc_d_ext_state {
	unsigned long long __f[32];
	unsigned int __fcsr;
};

typedef struct mcontext_t {
	gregset_t __gregs;
	union {
		struct __riscv_mc_d_ext_state __d;
		/* The Q layout sizes the union: 64 doubles, fcsr, 3 reserved. */
		struct {
			unsigned long long __f[64] __attribute__((aligned(16)));
			unsigned int __fcsr;
			unsigned int __reserved[3];
		} __q;
	} __fpregs;
} mcontext_t;

typedef struct ucontext_t {
	unsigned long __uc_flags;
	struct ucontext_t *uc_link;
	stack_t uc_stack;
	sigset_t uc_sigmask;
	char __reserved[1024 / 8 - sizeof(sigset_t)];
	mcontext_t uc_mcontext;
} ucontext_t;

#endif
