/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * _start: the entry point of every Hartix user program (ELF e_entry).
 *
 * The kernel starts it as Linux does on riscv64: sp points at
 *
 *	sp+0	argc
 *	sp+8	argv[0] ... argv[argc-1], NULL
 *		envp[0] ... NULL
 *		auxv: (type, value) pairs ... (AT_NULL, 0)
 *
 * and every other register is unspecified (Linux sets a0 to a function for
 * atexit() on dynamic programs; a static program ignores it). _start sets
 * gp, calls __libc_init(argc, argv, envp), then main(argc, argv, envp), then
 * exit() with main's return value, which ends in exit_group.
 */
#include <sys/syscall.h>

	.section .text.entry, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	/* gp first: the linker may have relaxed accesses to gp-relative ones. */
	.option	push
	.option	norelax
	lla	gp, __global_pointer$
	.option	pop

	ld	s1, 0(sp)		/* argc */
	addi	s2, sp, 8		/* argv */
	slli	s3, s1, 3
	add	s3, s3, s2
	addi	s3, s3, 8		/* envp = &argv[argc + 1] */

	andi	sp, sp, -16		/* the psABI wants 16 (Linux gives 16) */
	li	s0, 0			/* outermost frame for unwinders */
	li	ra, 0

	mv	a0, s1
	mv	a1, s2
	mv	a2, s3
	call	__libc_init

	mv	a0, s1
	mv	a1, s2
	mv	a2, s3
	call	main

	call	exit			/* atexit handlers, then exit_group(a0) */

	/* Not reached; if it were, never run off the end. */
1:	li	a7, __NR_exit_group
	ecall
	j	1b
	.size	_start, . - _start
