/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * long syscall(long number, ...): up to six arguments, Linux convention
 * (number in a7, arguments in a0-a5, result in a0). A result in
 * [-4095, -1] is -errno: errno is set and -1 returned.
 */
	.text
	.globl	syscall
	.type	syscall, @function
syscall:
	mv	t0, a0
	mv	a0, a1
	mv	a1, a2
	mv	a2, a3
	mv	a3, a4
	mv	a4, a5
	mv	a5, a6
	mv	a7, t0
	ecall
	li	t0, -4095
	bgeu	a0, t0, 1f		/* unsigned: a0 in [-4095, -1] */
	ret
1:	tail	__syscall_ret		/* sets errno from a0, returns -1 */
	.size	syscall, . - syscall
