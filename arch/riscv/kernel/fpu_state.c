/* SPDX-License-Identifier: BSD-2-Clause */
/* Lazy per-task FP state: saved only when sstatus.FS says the task wrote it. */
#include <hartix/exec.h>
#include <hartix/preempt.h>
#include <hartix/sched.h>
#include <hartix/string.h>
#include <asm/csr.h>
#include <asm/fpu.h>

/*
 * A user task's FS field lives in the sstatus of its register frame while
 * it is in the kernel (the kernel never touches FP, so the hardware field
 * only changes in user mode). Off: no FPU; Initial/Clean: t->fp holds the
 * values; Dirty: only the registers of the hart running it do. t->fp is
 * only touched by the task itself or while it is switched out.
 */
void __fpu_save(struct fpu_state *fp);
void __fpu_load(const struct fpu_state *fp);

static unsigned long fs_of(struct task *t)
{
	return task_user_regs(t)->status & SR_FS;
}

static void set_fs(struct task *t, unsigned long fs)
{
	struct pt_regs *regs = task_user_regs(t);

	regs->status = (regs->status & ~SR_FS) | fs;
}

/* Preemption or interrupts off: the registers of this hart, and its flag. */
static inline void save_if_dirty(struct task *t)
{
	if (fs_of(t) == SR_FS_DIRTY) {
		__fpu_save(&t->fp);
		set_fs(t, SR_FS_CLEAN);
		this_cpu()->fpu_regs_zero = false;
	}
}

void fpu_flush(struct task *t)
{
	preempt_disable();
	save_if_dirty(t);
	preempt_enable();
}

void fpu_load(struct task *t)
{
	preempt_disable(); /* the registers of this hart, and its flag */
	if (fs_of(t) != SR_FS_OFF) {
		__fpu_load(&t->fp);
		set_fs(t, SR_FS_CLEAN);
		this_cpu()->fpu_regs_zero = false;
	}
	preempt_enable();
}

/*
 * FS=Initial means t->fp is all zeroes and the task has not written an FP
 * register since they were loaded (a write makes FS Dirty). So once a
 * hart holds zeroes, tasks that never use FP (most: the libc is soft
 * float) switch in without loading anything.
 */
void fpu_switch(struct task *prev, struct task *next)
{
	struct cpu *cpu = this_cpu();
	unsigned long fs;

	if (prev->mm)
		save_if_dirty(prev); /* schedule() has interrupts masked */
	if (!next->mm || (fs = fs_of(next)) == SR_FS_OFF)
		return;
	if (fs == SR_FS_INITIAL && cpu->fpu_regs_zero)
		return;
	__fpu_load(&next->fp);
	cpu->fpu_regs_zero = fs == SR_FS_INITIAL;
}

/*
 * FS is WARL: on a hart without F it stays Off, and user FP instructions
 * then raise illegal-instruction faults (SIGILL).
 */
void fpu_exec(struct task *t)
{
	memset(&t->fp, 0, sizeof(t->fp));
	preempt_disable();
	csr_set(CSR_SSTATUS, SR_FS_INITIAL);
	if (!(csr_read(CSR_SSTATUS) & SR_FS))
		set_fs(t, SR_FS_OFF);
	else
		set_fs(t, SR_FS_INITIAL);
	if (fs_of(t) != SR_FS_OFF && t == current_task()) {
		__fpu_load(&t->fp); /* the old image's values must not leak */
		this_cpu()->fpu_regs_zero = true;
	}
	preempt_enable();
}
