/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User-memory copies: every access has an exception-table entry; SUM is
 * set only here and inside user_access_begin()/end() (asm/uaccess.h).
 * Each routine leaves SUM as it found it (a7 keeps sstatus from entry),
 * so a batch of copies under one window changes it only twice.
 */
#include <asm/csr.h>

/* Adds an exception-table entry sending a fault at the instruction to fixup. */
.macro user_to fixup, insn:vararg
99:	\insn
	.pushsection __ex_table, "a"
	.balign	4
	.long	99b - .
	.long	\fixup - .
	.popsection
.endm

/* The usual one: a fault ends the copy, returning what is left. */
.macro user insn:vararg
	user_to .Lfault, \insn
.endm

/*
 * unsigned long __copy_user(void *dst, const void *src, unsigned long n)
 * Copies n bytes, words while both pointers are 8-byte aligned; returns
 * how many bytes were not copied (0 on success). Aligned, eight words a
 * round (a word a round spent most of its instructions on the loop);
 * the pointers move after a whole round, so a fault inside one goes
 * back to the word loop (.Lwords), which copies that round again up to
 * the word that faults: the count left stays exact.
 */
	.text
	.globl	__copy_user
__copy_user:
	li	t6, SR_SUM
	csrrs	a7, CSR_SSTATUS, t6
	or	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, 2f
	li	t1, 64
0:	bltu	a2, t1, .Lwords
	user_to	.Lwords, ld t2, 0(a1)
	user_to	.Lwords, ld t3, 8(a1)
	user_to	.Lwords, ld t4, 16(a1)
	user_to	.Lwords, ld t5, 24(a1)
	user_to	.Lwords, ld a3, 32(a1)
	user_to	.Lwords, ld a4, 40(a1)
	user_to	.Lwords, ld a5, 48(a1)
	user_to	.Lwords, ld a6, 56(a1)
	user_to	.Lwords, sd t2, 0(a0)
	user_to	.Lwords, sd t3, 8(a0)
	user_to	.Lwords, sd t4, 16(a0)
	user_to	.Lwords, sd t5, 24(a0)
	user_to	.Lwords, sd a3, 32(a0)
	user_to	.Lwords, sd a4, 40(a0)
	user_to	.Lwords, sd a5, 48(a0)
	user_to	.Lwords, sd a6, 56(a0)
	addi	a0, a0, 64
	addi	a1, a1, 64
	addi	a2, a2, -64
	j	0b
.Lwords:
	li	t1, 8
1:	bltu	a2, t1, 2f
	user	ld t2, 0(a1)
	user	sd t2, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	1b
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
	csrrs	a7, CSR_SSTATUS, t6
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
	csrrs	a7, CSR_SSTATUS, t6
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
	mv	a0, a2
/* SUM back off unless a7 says a window had it on. */
.Lrestore_sum:
	and	a7, a7, t6
	bnez	a7, 6f
	csrc	CSR_SSTATUS, t6
6:	ret

/* Returns a2: what is left to copy, or -1 in __strncpy_user. */
.Lfault:
	li	t6, SR_SUM
	mv	a0, a2
	j	.Lrestore_sum
