/* SPDX-License-Identifier: BSD-2-Clause */
/* Trap entry and exit for both privilege levels, with a short path for system calls. */
#include <hartix/errno.h>
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
 *
 * A system call saves only what the C code may clobber (ra, t0-t6,
 * a0-a7), what it does not know of (sp, tp, gp: the kernel never sets gp,
 * but another task's return may have) and the CSRs, calls the table's
 * entry with the user's a0-a5 still in place and returns the same way.
 * s0-s11 stay in the registers, kept by the C calling convention: their
 * frame slots are stale. Everything that reads or writes the whole user
 * state first stores them: the exit work (signal frames, rescheduling,
 * restarts) and the SYSCALL_FULL_FRAME() calls (fork, execve,
 * rt_sigreturn), which then leave through the full restore.
 */

/* Caller-saved registers but t0 and a0, which the paths handle apart. */
.macro caller_saved op
	\op	x1, PT_REG(1)(sp)
	.irp	n, 6,7,11,12,13,14,15,16,17,28,29,30,31
	\op	x\n, PT_REG(\n)(sp)
	.endr
.endm

/* s0-s11: what the system call path leaves out. */
.macro callee_saved op
	.irp	n, 8,9,18,19,20,21,22,23,24,25,26,27
	\op	x\n, PT_REG(\n)(sp)
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
	sd	t0, PT_REG(5)(sp)
	sd	gp, PT_REG(3)(sp)
	sd	a0, PT_REG(10)(sp)
	caller_saved sd
	callee_saved sd
	sd	tp, PT_REG(4)(sp)
	addi	t0, sp, PT_SIZE
	sd	t0, PT_REG(2)(sp)
	csrr	t0, CSR_SEPC
	csrr	t1, CSR_SSTATUS
	csrr	t2, CSR_SCAUSE
	sd	t0, PT_EPC(sp)
	sd	t1, PT_STATUS(sp)
	sd	t2, PT_CAUSE(sp)
	j	.Lsave_tval

.Lfrom_user:
	sd	sp, CPU_SCRATCH(tp)
	ld	sp, CPU_STACK_HI(tp)
	addi	sp, sp, -PT_SIZE
	sd	t0, PT_REG(5)(sp)
	sd	gp, PT_REG(3)(sp)
	sd	a0, PT_REG(10)(sp)
	caller_saved sd
	ld	t0, CPU_SCRATCH(tp)
	sd	t0, PT_REG(2)(sp)		/* user sp */
	csrrw	t0, CSR_SSCRATCH, zero
	sd	t0, PT_REG(4)(sp)		/* user tp */
	csrr	t0, CSR_SEPC
	csrr	t1, CSR_SSTATUS
	csrr	t2, CSR_SCAUSE
	sd	t1, PT_STATUS(sp)
	sd	t2, PT_CAUSE(sp)
	li	t3, EXC_ECALL_U
	beq	t2, t3, .Lsyscall
	sd	t0, PT_EPC(sp)
	callee_saved sd

.Lsave_tval:
	csrr	t3, CSR_STVAL
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
	callee_saved ld
	ld	x3, PT_REG(3)(sp)
	ld	x10, PT_REG(10)(sp)
	j	.Lrestore_caller_saved

/*
 * A system call from user mode: t0 = its address. Past the ecall, with
 * interrupts on, a7 indexes the table; orig_a0 keeps the first argument
 * for a restart.
 */
.Lsyscall:
	addi	t0, t0, 4
	sd	t0, PT_EPC(sp)
	sd	a0, PT_ORIG_A0(sp)
	li	t4, SR_SUM
	csrc	CSR_SSTATUS, t4
	csrsi	CSR_SSTATUS, SR_SIE
#ifdef CONFIG_SYSCALL_STATS
	ld	t0, CPU_SYSCALLS(tp)
	addi	t0, t0, 1
	sd	t0, CPU_SYSCALLS(tp)
#endif
	li	t0, NR_SYSCALLS
	bgeu	a7, t0, .Lenosys
	slli	t0, a7, 3
	lla	t1, sys_call_table
	add	t1, t1, t0
	ld	t1, 0(t1)
	jalr	t1
.Lsyscall_done:
#ifdef CONFIG_SYSCALL_TRACE
	lbu	t0, syscall_trace_mode
	bnez	t0, .Lsyscall_trace
.Lsyscall_traced:
#endif
	/*
	 * With interrupts off until sret (a signal sent later interrupts the
	 * user code): anything to do on the way out? A reschedule, a pending
	 * signal (blocked or not: the C code tells), or -ERESTART* to settle.
	 */
	csrci	CSR_SSTATUS, SR_SIE
	lbu	t0, CPU_NEED_RESCHED(tp)
	ld	t1, CPU_CURRENT(tp)
	ld	t1, TASK_SIG_WORK(t1)
	or	t0, t0, t1
	addi	t1, a0, ERESTARTNOHAND
	sltiu	t1, t1, ERESTARTNOHAND - ERESTARTSYS + 1
	or	t0, t0, t1
	bnez	t0, .Lsyscall_work
	ld	t0, PT_EPC(sp)
	ld	t1, PT_STATUS(sp)
	csrw	CSR_SEPC, t0
	csrw	CSR_SSTATUS, t1
	csrw	CSR_SSCRATCH, tp
	ld	tp, PT_REG(4)(sp)
	ld	gp, PT_REG(3)(sp)
.Lrestore_caller_saved:
	caller_saved ld
	ld	t0, PT_REG(5)(sp)
	ld	sp, PT_REG(2)(sp)
	sret

.Lenosys:
	li	a0, -ENOSYS
	j	.Lsyscall_done

#ifdef CONFIG_SYSCALL_TRACE
/* The frame holds the arguments (a0 as orig_a0); caller-saved ones reload. */
.Lsyscall_trace:
	mv	a1, a0
	mv	a0, sp
	call	syscall_trace_exit
	j	.Lsyscall_traced
#endif

/* The slow way out: the whole frame, for exit_to_user_mode() to change. */
.Lsyscall_work:
	sd	a0, PT_REG(10)(sp)
	callee_saved sd
	mv	a0, sp
	call	exit_to_user_mode
	j	ret_from_trap

/*
 * __full_sys_<name> (asm/syscall.h) comes here from the table with the
 * entry point in t0, sp the frame and s0-s11 still the user's.
 */
	.globl	syscall_full_frame
syscall_full_frame:
	callee_saved sd
	jalr	t0
	sd	a0, PT_REG(10)(sp)
	mv	a0, sp
	call	exit_to_user_mode
	j	ret_from_trap

.Lbad_stack:
	mv	a0, sp
	csrr	a1, CSR_SEPC
	ld	sp, CPU_OVERFLOW_SP(tp)
	li	s0, 0
	call	handle_bad_stack
