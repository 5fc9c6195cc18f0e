/* SPDX-License-Identifier: BSD-2-Clause */
/* clone, clone3 and set_tid_address: new processes, with Linux's flag checks. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <abi/sched.h>

/* Flags Hartix acts on or, as Linux without the feature, may ignore. */
#define CLONE_KNOWN (CSIGNAL | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | \
		     CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED | \
		     CLONE_PTRACE | CLONE_IO)

/* Linux's copy_process() checks, in its order; 0 or -EINVAL. */
static long clone_flags_check(const struct clone_req *req)
{
	u64 f = req->flags;

	if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS) ||
	    (f & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return -EINVAL;
	if ((f & CLONE_PARENT) && process_is_init(current_task()))
		return -EINVAL; /* init's siblings would have no reaper */
	if (f & ~CLONE_KNOWN)
		return -EINVAL; /* namespaces, pidfds: none in Hartix */
	return 0;
}

long kernel_clone(const struct clone_req *req)
{
	long tid = clone_flags_check(req);

	if (tid)
		return tid;
	tid = process_fork(task_user_regs(current_task()), req);
	/* As Linux: after the copy, so only the parent's memory has it. */
	if (tid > 0 && (req->flags & CLONE_PARENT_SETTID))
		(void)copy_to_user(req->parent_tid, &tid, sizeof(int));
	return tid;
}

void clone_child_start(void)
{
	struct task *t = current_task();
	int tid = t->pid;

	/* A fault here is the child's problem, as on Linux: ignored. */
	if (t->set_child_tid)
		(void)copy_to_user(t->set_child_tid, &tid, sizeof(tid));
	t->set_child_tid = NULL;
}

/* riscv's argument order: flags, stack, parent_tid, tls, child_tid. */
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp,
		unsigned long, ptid, unsigned long, tls, unsigned long, ctid)
{
	struct clone_req req = {
		.flags = flags & ~CSIGNAL & 0xffffffffUL,
		.exit_signal = (int)(flags & CSIGNAL),
		.stack = newsp,
		.tls = tls,
		.parent_tid = (int *)ptid,
		.child_tid = (int *)ctid,
	};

	return kernel_clone(&req);
}
SYSCALL_FULL_FRAME(clone);

/* glibc's pthread_create() and every thread's start: the word to clear at exit. */
SYSCALL_DEFINE1(set_tid_address, int *, uaddr)
{
	current_task()->clear_child_tid = uaddr;
	return current_task()->pid;
}
