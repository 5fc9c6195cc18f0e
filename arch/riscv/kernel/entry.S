/* Trap entry and exit for both privilege levels: save the register frame, call do_trap(), restore. */
#include <asm/csr.h>
#include <asm/percpu.h>
#include <asm/ptrace.h>

/*
 * sscratch is 0 while the hart runs the kernel and holds its struct cpu
 * while it runs user code, so the first instruction tells the two apart
 * and a user trap finds the kernel's tp. A user trap's frame goes at the
 * top of the running task's kernel stack (stack_hi follows the task). A
 * kernel trap's frame goes on the current stack after checking sp is
 * inside it with room for the frame: a bad sp would fault again on every
 * save and loop forever, so it is reported from a separate small stack.
 * s0 is left untouched until do_trap() runs, so a backtrace taken in the
 * handler walks on into the interrupted code's frames.
 */
.macro save_gprs
	.irp	n, 1,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, PT_REG(\n)(sp)
	.endr
.endm

	.text
	.balign	4
	.globl	handle_exception
handle_exception:
	csrrw	tp, CSR_SSCRATCH, tp
	bnez	tp, .Lfrom_user
	csrrw	tp, CSR_SSCRATCH, zero		/* tp back, sscratch 0 again */
	sd	t0, CPU_SCRATCH(tp)
	ld	t0, CPU_STACK_LO(tp)
	addi	t0, t0, PT_SIZE
	bltu	sp, t0, .Lbad_stack
	ld	t0, CPU_STACK_HI(tp)
	bgtu	sp, t0, .Lbad_stack
	ld	t0, CPU_SCRATCH(tp)
	addi	sp, sp, -PT_SIZE
	save_gprs
	sd	tp, PT_REG(4)(sp)
	addi	t0, sp, PT_SIZE
	sd	t0, PT_REG(2)(sp)
	j	.Lsave_csrs

.Lfrom_user:
	sd	sp, CPU_SCRATCH(tp)
	ld	sp, CPU_STACK_HI(tp)
	addi	sp, sp, -PT_SIZE
	save_gprs
	ld	t0, CPU_SCRATCH(tp)
	sd	t0, PT_REG(2)(sp)		/* user sp */
	csrrw	t0, CSR_SSCRATCH, zero
	sd	t0, PT_REG(4)(sp)		/* user tp */

.Lsave_csrs:
	csrr	t0, CSR_SEPC
	csrr	t1, CSR_SSTATUS
	csrr	t2, CSR_SCAUSE
	csrr	t3, CSR_STVAL
	sd	t0, PT_EPC(sp)
	sd	t1, PT_STATUS(sp)
	sd	t2, PT_CAUSE(sp)
	sd	t3, PT_TVAL(sp)
	/* Handlers never touch user memory by accident; sret restores SUM. */
	li	t4, SR_SUM
	csrc	CSR_SSTATUS, t4

	mv	a0, sp
	call	do_trap

/* sp = the frame to return through (also the first entry of a user task). */
	.globl	ret_from_trap
ret_from_trap:
	csrci	CSR_SSTATUS, SR_SIE		/* until sret: sscratch must stay right */
	ld	t0, PT_EPC(sp)
	ld	t1, PT_STATUS(sp)
	csrw	CSR_SEPC, t0
	csrw	CSR_SSTATUS, t1
	andi	t1, t1, SR_SPP
	bnez	t1, 1f
	csrw	CSR_SSCRATCH, tp		/* to user: leave our struct cpu */
	ld	tp, PT_REG(4)(sp)
1:
	/* A kernel return keeps the live tp: the task may have changed hart. */
	.irp	n, 1,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, PT_REG(\n)(sp)
	.endr
	ld	x2, PT_REG(2)(sp)
	sret

.Lbad_stack:
	mv	a0, sp
	csrr	a1, CSR_SEPC
	ld	sp, CPU_OVERFLOW_SP(tp)
	li	s0, 0
	call	handle_bad_stack
