/* SPDX-License-Identifier: BSD-2-Clause */
/* Saving and loading the F/D registers; the kernel itself is built without FP. */
#include <asm/csr.h>
#include <generated/asm-offsets.h>

	.option	push
	.option	arch, +d
	.text

/* __fpu_save(struct fpu_state *): FP instructions need sstatus.FS on. */
	.globl	__fpu_save
__fpu_save:
	li	t0, SR_FS
	csrs	CSR_SSTATUS, t0
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t1
	sw	t1, FPU_FCSR(a0)
	ret

/* __fpu_load(const struct fpu_state *) */
	.globl	__fpu_load
__fpu_load:
	li	t0, SR_FS
	csrs	CSR_SSTATUS, t0
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	lw	t1, FPU_FCSR(a0)
	fscsr	t1
	ret

	.option	pop
