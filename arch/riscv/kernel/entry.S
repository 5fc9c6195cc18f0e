/* Trap entry and exit: save the full register frame, call do_trap(), restore. */
#include <asm/csr.h>
#include <asm/percpu.h>
#include <asm/ptrace.h>

/*
 * Only S-mode traps exist so far (sscratch stays 0; the U-mode path that
 * swaps to the task's kernel stack comes with user space): the frame goes
 * on the current kernel stack, after checking sp is inside this hart's
 * stack with room for the frame. A bad sp would fault again on every save
 * and loop forever, so it is reported from a separate small stack instead.
 * s0 is left untouched until do_trap() runs, so a backtrace taken in the
 * handler walks on into the interrupted code's frames.
 */
	.text
	.balign	4
	.globl	handle_exception
handle_exception:
	sd	t0, CPU_SCRATCH(tp)
	ld	t0, CPU_STACK_LO(tp)
	addi	t0, t0, PT_SIZE
	bltu	sp, t0, .Lbad_stack
	ld	t0, CPU_STACK_HI(tp)
	bgtu	sp, t0, .Lbad_stack
	ld	t0, CPU_SCRATCH(tp)
	addi	sp, sp, -PT_SIZE
	.irp	n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, PT_REG(\n)(sp)
	.endr
	addi	t0, sp, PT_SIZE
	sd	t0, PT_REG(2)(sp)
	csrr	t0, CSR_SEPC
	csrr	t1, CSR_SSTATUS
	csrr	t2, CSR_SCAUSE
	csrr	t3, CSR_STVAL
	/* Handlers never touch user memory by accident; sret restores SUM. */
	li	t4, SR_SUM
	csrc	CSR_SSTATUS, t4
	sd	t0, PT_EPC(sp)
	sd	t1, PT_STATUS(sp)
	sd	t2, PT_CAUSE(sp)
	sd	t3, PT_TVAL(sp)

	mv	a0, sp
	call	do_trap

	ld	t0, PT_EPC(sp)
	ld	t1, PT_STATUS(sp)
	csrw	CSR_SEPC, t0
	csrw	CSR_SSTATUS, t1
	.irp	n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
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
