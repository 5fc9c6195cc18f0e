/* SPDX-License-Identifier: BSD-2-Clause */
/* User-memory copies: every access has an exception-table entry; SUM is set only here. */
#include <asm/csr.h>

/* Adds an exception-table entry sending a fault at the instruction to fix. */
.macro user_to fix, insn:vararg
99:	\insn
	.pushsection __ex_table, "a"
	.balign	4
	.long	99b - .
	.long	\fix - .
	.popsection
.endm

.macro user insn:vararg
	user_to .Lfault, \insn
.endm

/*
 * unsigned long __copy_user(void *dst, const void *src, unsigned long n)
 * Copies n bytes, words while both pointers are 8-byte aligned (four at
 * a time: a struct stat is 16 words); returns how many bytes were not
 * copied (0 on success).
 */
	.text
	.globl	__copy_user
__copy_user:
	li	t6, SR_SUM
	csrs	CSR_SSTATUS, t6
	or	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, 2f
	li	t1, 32
0:	bltu	a2, t1, 1f
	user	ld t2, 0(a1)
	user	ld t3, 8(a1)
	user	ld t4, 16(a1)
	user	ld t5, 24(a1)
	user	sd t2, 0(a0)
	user_to	.Lfault8, sd t3, 8(a0)	/* the words before it were copied */
	user_to	.Lfault16, sd t4, 16(a0)
	user_to	.Lfault24, sd t5, 24(a0)
	addi	a0, a0, 32
	addi	a1, a1, 32
	addi	a2, a2, -32
	j	0b
1:	li	t1, 8
6:	bltu	a2, t1, 2f
	user	ld t2, 0(a1)
	user	sd t2, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	6b
2:	beqz	a2, .Ldone
	user	lbu t2, 0(a1)
	user	sb t2, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	2b

/* unsigned long __clear_user(void *dst, unsigned long n): bytes not cleared. */
	.globl	__clear_user
__clear_user:
	li	t6, SR_SUM
	csrs	CSR_SSTATUS, t6
	mv	a2, a1
3:	beqz	a2, .Ldone
	user	sb zero, 0(a0)
	addi	a0, a0, 1
	addi	a2, a2, -1
	j	3b

/*
 * long __strncpy_user(char *dst, const char *src, long n)
 * Copies up to n bytes, stopping after a NUL; returns the string's length
 * (< n), n if no NUL came, or -1 after a fault.
 */
	.globl	__strncpy_user
__strncpy_user:
	li	t6, SR_SUM
	csrs	CSR_SSTATUS, t6
	mv	t0, a0				/* where the next byte goes */
	add	a3, a0, a2			/* the end of dst */
	li	a2, -1				/* what a fault returns */
4:	beq	t0, a3, 5f
	user	lbu t2, 0(a1)
	sb	t2, 0(t0)
	addi	a1, a1, 1
	addi	t0, t0, 1
	bnez	t2, 4b
	addi	t0, t0, -1			/* the NUL is not counted */
5:	sub	a2, t0, a0
	j	.Ldone

.Ldone:
	csrc	CSR_SSTATUS, t6
	mv	a0, a2
	ret

.Lfault24:
	addi	a2, a2, -8
.Lfault16:
	addi	a2, a2, -8
.Lfault8:
	addi	a2, a2, -8
/* Returns a2: what is left to copy, or -1 in __strncpy_user. */
.Lfault:
	li	t6, SR_SUM
	csrc	CSR_SSTATUS, t6
	mv	a0, a2
	ret
