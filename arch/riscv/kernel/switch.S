/* SPDX-License-Identifier: BSD-2-Clause */
/* __switch_to(prev, next): save prev's callee-saved registers, load next's. */

#include <generated/asm-offsets.h>

#define CTX_S(n) (CTX_S0 + 8 * (n))

	.text
	.globl	__switch_to
__switch_to:
	sd	ra, CTX_RA(a0)
	sd	sp, CTX_SP(a0)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, CTX_S(\n)(a0)
	.endr
	ld	ra, CTX_RA(a1)
	ld	sp, CTX_SP(a1)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, CTX_S(\n)(a1)
	.endr
	/* Returns prev, in the new task: it finishes the switch. */
	ret

/*
 * A new kernel thread's first return from __switch_to lands here: a0 is
 * the task switched away from; s0 and s1 hold fn and arg.
 */
	.globl	kthread_trampoline
kthread_trampoline:
	call	schedule_tail
	mv	a0, s0
	mv	a1, s1
	call	kthread_main
1:	j	1b

/*
 * A new user task's first return from __switch_to: its kernel stack pointer
 * is the register frame built by user_task_create(); leave through it.
 */
	.globl	user_trampoline
user_trampoline:
	call	schedule_tail
	call	clone_child_start
	j	ret_from_trap
