/* SPDX-License-Identifier: BSD-2-Clause */
/* futex(), robust futex lists and membarrier(): Linux's operation codes, flags and structures. */
#ifndef _ABI_FUTEX_H
#define _ABI_FUTEX_H

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_FD		2
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13

#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

/* FUTEX_WAIT and FUTEX_WAKE are FUTEX_*_BITSET with every bit set. */
#define FUTEX_BITSET_MATCH_ANY	0xffffffff

/* FUTEX_WAKE_OP's operation word: op, cmp, oparg, cmparg. */
#define FUTEX_OP_SET		0 /* *uaddr2 = oparg */
#define FUTEX_OP_ADD		1 /* *uaddr2 += oparg */
#define FUTEX_OP_OR		2 /* *uaddr2 |= oparg */
#define FUTEX_OP_ANDN		3 /* *uaddr2 &= ~oparg */
#define FUTEX_OP_XOR		4 /* *uaddr2 ^= oparg */
#define FUTEX_OP_OPARG_SHIFT	8 /* oparg is 1 << oparg */
#define FUTEX_OP_CMP_EQ		0
#define FUTEX_OP_CMP_NE		1
#define FUTEX_OP_CMP_LT		2
#define FUTEX_OP_CMP_LE		3
#define FUTEX_OP_CMP_GT		4
#define FUTEX_OP_CMP_GE		5
#define FUTEX_OP(op, oparg, cmp, cmparg)                                 \
	(((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | \
	 (cmparg & 0xfff))

/* A robust futex word: the owner's tid and two flags. */
#define FUTEX_WAITERS		0x80000000
#define FUTEX_OWNER_DIED	0x40000000
#define FUTEX_TID_MASK		0x3fffffff

/* set_robust_list(): a list of held locks the kernel releases when the thread dies. */
struct robust_list {
	struct robust_list *next; /* bit 0: a PI futex */
};

struct robust_list_head {
	struct robust_list list; /* circular: the last entry points here */
	long futex_offset; /* from an entry to its futex word */
	struct robust_list *list_op_pending; /* being locked or unlocked */
};

/* At most this many entries are walked: the list is the user's and may loop. */
#define ROBUST_LIST_LIMIT	2048

/* membarrier() commands (flags 0; MEMBARRIER_CMD_FLAG_CPU only for RSEQ). */
#define MEMBARRIER_CMD_QUERY				0
#define MEMBARRIER_CMD_GLOBAL				(1 << 0)
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED			(1 << 1)
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED	(1 << 2)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED		(1 << 3)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED	(1 << 4)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE	(1 << 5)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE (1 << 6)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ		(1 << 7)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ	(1 << 8)
#define MEMBARRIER_CMD_GET_REGISTRATIONS		(1 << 9)
#define MEMBARRIER_CMD_FLAG_CPU				(1 << 0)

#endif
