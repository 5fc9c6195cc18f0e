/* SPDX-License-Identifier: BSD-2-Clause */
/* sigaltstack: the alternate stack SA_ONSTACK handlers run on (arch signal.c pushes the frame there). */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/sched.h>
#include <hartix/siginfo.h>
#include <hartix/signal.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>

/* Only the task itself reads and writes its sas_* fields: no lock. */

bool on_sig_stack(struct task *t, unsigned long sp)
{
	return sp > t->sas_sp && sp - t->sas_sp <= t->sas_size;
}

void sigaltstack_get(struct task *t, unsigned long sp, struct user_stack *ss)
{
	ss->ss_sp = t->sas_sp;
	ss->ss_size = t->sas_size;
	ss->ss_flags = !t->sas_size ? SS_DISABLE :
		       on_sig_stack(t, sp) ? SS_ONSTACK : 0;
	ss->ss_flags |= t->sas_flags;
}

long sigaltstack_set(struct task *t, unsigned long sp,
		     const struct user_stack *ss)
{
	unsigned int mode = (unsigned int)ss->ss_flags & ~SS_AUTODISARM;

	if (on_sig_stack(t, sp))
		return -EPERM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		t->sas_sp = t->sas_size = 0;
		t->sas_flags = 0;
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	t->sas_sp = ss->ss_sp;
	t->sas_size = ss->ss_size;
	t->sas_flags = (int)((unsigned int)ss->ss_flags & SS_AUTODISARM);
	return 0;
}

void sigaltstack_reset(struct task *t)
{
	t->sas_sp = t->sas_size = 0;
	t->sas_flags = 0;
}

SYSCALL_DEFINE2(sigaltstack, const struct user_stack *, uss,
		struct user_stack *, uoss)
{
	struct task *t = current_task();
	unsigned long sp = task_user_regs(t)->sp;
	struct user_stack ss, old;
	long err;

	sigaltstack_get(t, sp, &old);
	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		err = sigaltstack_set(t, sp, &ss);
		if (err)
			return err;
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
