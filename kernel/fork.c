/* SPDX-License-Identifier: BSD-2-Clause */
/* clone, clone3, threads and thread groups: what a new task shares, how a group exits. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/futex.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <abi/sched.h>
#include <abi/wait.h>

/*
 * Sharing. A thread group (struct thread_group) is what CLONE_THREAD
 * joins. CLONE_VM shares the mm (mm->users counts the tasks running on
 * it, the last one out calls mm_exit()), CLONE_FILES the descriptor
 * table (files->refs; files->lock guards its slots, fs/file.c) and
 * CLONE_SIGHAND the handlers (rt_sigaction() writes the action into
 * every task with the same sighand, kernel/signal.c). A process's
 * children hang on its group leader, whatever thread forked them, so
 * wait4() in any thread sees them all and getppid() in any of theirs is
 * the group's id, as on Linux.
 */
struct sighand {
	int refs; /* atomic */
};

/*
 * CLONE_VFORK: the parent sleeps on wq until done. The parent and the
 * child each hold a reference: a parent killed meanwhile leaves first.
 */
struct vfork_wait {
	struct wait_queue wq;
	bool done;
	int refs; /* atomic */
};

#ifdef CONFIG_THREADS
#define CLONE_THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			    CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | \
			    CLONE_VFORK | CLONE_PARENT)
#else
#define CLONE_THREAD_FLAGS 0
#endif
/* Flags Hartix acts on or, as Linux without the feature, may ignore. */
#define CLONE_KNOWN (CLONE_THREAD_FLAGS | CLONE_PARENT_SETTID | \
		     CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | \
		     CLONE_DETACHED | CLONE_UNTRACED | CLONE_PTRACE | CLONE_IO | \
		     CLONE_CLEAR_SIGHAND)

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
	if ((f & CLONE_PARENT) && process_is_init(current_task()->group_leader))
		return -EINVAL; /* init's siblings would have no reaper */
	if (f & ~CLONE_KNOWN)
		return -EINVAL; /* namespaces, pidfds: none in Hartix */
	return 0;
}

static void sighand_put(struct task *t)
{
	if (t->sighand &&
	    !__atomic_sub_fetch(&t->sighand->refs, 1, __ATOMIC_ACQ_REL))
		kfree(t->sighand);
	t->sighand = NULL;
}

int thread_group_new(struct task *t)
{
	struct thread_group *tg = kzalloc(sizeof(*tg), 0);

	t->sighand = kzalloc(sizeof(*t->sighand), 0);
	if (!tg || !t->sighand) {
		kfree(tg);
		sighand_put(t);
		return -ENOMEM;
	}
	t->sighand->refs = 1;
	tg->refs = 1;
	tg->live = 1;
	tg->lock = (spinlock_t)SPINLOCK_UNLOCKED;
	rlimit_init(tg->rlim);
	tg->threads = t;
	t->tg = tg;
	t->tgid = t->pid;
	t->group_leader = t;
	return 0;
}

void thread_group_put(struct task *t)
{
	sighand_put(t);
	if (t->tg && !__atomic_sub_fetch(&t->tg->refs, 1, __ATOMIC_ACQ_REL)) {
		signal_group_free(t->tg);
		kfree(t->tg);
	}
	t->tg = NULL;
}

bool sighand_shared(const struct task *a, const struct task *b)
{
	return a->sighand && a->sighand == b->sighand;
}

/* The new task's share of what its creator has; task_free() undoes it. */
static int copy_resources(struct task *child, struct task *parent,
			  const struct clone_req *req)
{
	u64 f = req->flags;

	if (f & CLONE_VM) {
		mm_get(parent->mm);
		__atomic_add_fetch(&parent->mm->users, 1, __ATOMIC_RELAXED);
		child->mm = parent->mm;
	} else {
		child->mm = mm_dup(parent->mm);
		if (!child->mm)
			return -ENOMEM;
	}
	child->files = f & CLONE_FILES ? files_get(parent->files) :
					 files_dup(parent->files);
	if (!child->files)
		return -ENOMEM;
	if (f & CLONE_THREAD) {
		child->tg = parent->tg;
		__atomic_add_fetch(&child->tg->refs, 1, __ATOMIC_RELAXED);
		child->tgid = parent->tgid;
		child->group_leader = parent->group_leader;
	} else if (thread_group_new(child)) {
		return -ENOMEM;
	}
	if (f & CLONE_SIGHAND) {
		sighand_put(child);
		child->sighand = parent->sighand;
		__atomic_add_fetch(&child->sighand->refs, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static void mm_drop_user(struct mm *mm)
{
	if (!__atomic_sub_fetch(&mm->users, 1, __ATOMIC_ACQ_REL))
		mm_exit(mm);
}

/* Frees the group's exited threads (not the leader); wait: also those still switching out. */
static void reap_threads(struct thread_group *tg, bool wait)
{
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&tasklist_lock);
		struct task **p, *t = NULL;

		for (p = &tg->threads; *p; p = &(*p)->thread_next) {
			struct task *c = *p;

			/* wait: every thread is on its way out (live is 0). */
			if (c != c->group_leader && (wait || task_reapable(c))) {
				*p = c->thread_next;
				task_time_thread_reaped(tg, c);
				t = c;
				break;
			}
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!t)
			return;
		task_reap(t);
	}
}

void thread_group_reap(struct task *leader)
{
	if (IS_ENABLED(CONFIG_THREADS) && leader->tg)
		reap_threads(leader->tg, true);
}

static void vfork_put(struct vfork_wait *v)
{
	if (!__atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL))
		kfree(v);
}

static bool vfork_done(void *arg)
{
	struct vfork_wait *v = arg;

	return READ_ONCE(v->done) || fatal_signal_pending(current_task());
}

/* exec or exit of a vfork child: its parent goes on. */
static void vfork_release(struct task *t)
{
	struct vfork_wait *v = t->vfork;

	if (!IS_ENABLED(CONFIG_THREADS) || !v)
		return; /* CLONE_VFORK is one of CONFIG_THREADS' flags */
	t->vfork = NULL;
	WRITE_ONCE(v->done, true);
	wake_up(&v->wq); /* under its lock: the waiter rechecks done */
	vfork_put(v);
}

/* A child that never ran: what copy_resources() gave it goes back. */
static void clone_undo(struct task *child)
{
	if (child->mm)
		mm_drop_user(child->mm);
	files_put(child->files);
	task_free(child);
}

long process_fork(struct pt_regs *regs, const struct clone_req *req)
{
	struct task *parent = current_task(), *child;
	struct vfork_wait *vfork = NULL;
	struct pt_regs *cregs;
	sigset_t saved;
	long err;
	int tid;

	if (req->flags & CLONE_VFORK) {
		vfork = kmalloc(sizeof(*vfork), 0);
		if (!vfork)
			return -ENOMEM;
		*vfork = (struct vfork_wait){ WAIT_QUEUE_INIT, false, 2 };
	}
	if (process_charge()) {
		kfree(vfork);
		return -EAGAIN; /* a fork bomb stops here */
	}
	child = task_alloc(parent->comm, 0);
	if (!child) {
		process_uncharge();
		kfree(vfork);
		return -ENOMEM;
	}
	/* From here task_free() uncounts it (it has an mm) or we do. */
	err = copy_resources(child, parent, req);
	if (err) {
		if (!child->mm)
			process_uncharge();
		clone_undo(child);
		kfree(vfork);
		return err;
	}
	fpu_flush(parent); /* its registers may be newer than parent->fp */
	child->fp = parent->fp;
	signal_fork(child, parent);
	/* The alternate signal stack: a new process keeps it; a thread (CLONE_VM) gets none, as Linux. */
	if (!(req->flags & CLONE_VM)) {
		child->sas_sp = parent->sas_sp;
		child->sas_size = parent->sas_size;
		child->sas_flags = parent->sas_flags;
	}
	if (req->flags & CLONE_CLEAR_SIGHAND)
		signal_exec(child, child->sig.tramp);
	cregs = task_user_regs(child);
	*cregs = *regs;
	cregs->a0 = 0; /* the child's clone() returns 0 */
	if (req->stack)
		cregs->sp = req->stack;
	if (req->flags & CLONE_SETTLS)
		cregs->tp = req->tls;
	if (req->flags & CLONE_CHILD_SETTID)
		child->set_child_tid = req->child_tid;
	if (req->flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = req->child_tid;
	child->exit_signal = req->flags & CLONE_THREAD ? 0 : req->exit_signal;
	child->ctx.ra = (unsigned long)user_trampoline;
	child->ctx.sp = (unsigned long)cregs;
	child->cpus_allowed = parent->cpus_allowed; /* as Linux: inherited */
	child->vfork = vfork;
	err = process_link(child, parent, req->flags);
	if (err) {
		clone_undo(child);
		kfree(vfork);
		return err;
	}
	tid = child->pid;
	if (req->flags & CLONE_PARENT_SETTID)
		(void)copy_to_user(req->parent_tid, &tid, sizeof(tid));
	/* Exited dead threads of ours are freed as new ones come. */
	reap_threads(parent->tg, false);
	task_start(child, -1);
	if (vfork) {
		/* As Linux's killable wait: other signals wait until after. */
		saved = signal_block_all();
		wait_event(&vfork->wq, vfork_done, vfork);
		signal_set_blocked(saved);
		vfork_put(vfork);
	}
	return tid;
}

long kernel_clone(const struct clone_req *req)
{
	long err = clone_flags_check(req);

	return err ? err : process_fork(task_user_regs(current_task()), req);
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

void exec_de_thread(struct task *t)
{
	struct thread_group *tg = t->tg;
	struct task *o, *old_leader = t->group_leader;
	struct files *files;
	unsigned long flags;

	/* Without CONFIG_THREADS a process is one task and shares nothing. */
	if (!IS_ENABLED(CONFIG_THREADS) || !tg)
		return;
	flags = spin_lock_irqsave(&tasklist_lock);
	/* Their SIGKILL ends only them (do_group_exit()), not us. */
	tg->exec_task = t;
	for (o = tg->threads; o; o = o->thread_next)
		if (o != t)
			signal_send_locked(o, SIGKILL);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	/* They die at their next return towards user mode: soon. */
	while (READ_ONCE(tg->live) > 1 && !fatal_signal_pending(t))
		yield();
	flags = spin_lock_irqsave(&tasklist_lock);
	if (t != t->group_leader && tg->live == 1)
		process_take_leader(t);
	tg->exec_task = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	/* The process's timers were on the old leader: its interval timers stay the process's. */
	if (old_leader != t->group_leader)
		posix_timers_new_leader(t, old_leader);
	reap_threads(tg, false);
	/* As Linux's unshare_files(): the new image's table is its own. */
	if (READ_ONCE(t->files->refs) > 1) {
		files = files_dup(t->files);
		if (files) {
			files_put(t->files);
			t->files = files;
		}
	}
}

void exec_mm_release(struct task *t, struct mm *old)
{
	mm_drop_user(old);
	mm_put(old);
	vfork_release(t);
}

void thread_exit_release(struct task *t)
{
	if (t->mm)
		mm_drop_user(t->mm);
	vfork_release(t);
}

void __noreturn do_group_exit(int code)
{
	struct task *t = current_task();
	struct thread_group *tg = t->tg;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *o;

	if (tg && tg->group_exit) {
		code = tg->group_exit_code; /* a sibling ended the group first */
	} else if (tg && tg->exec_task) {
		/* Killed by a sibling's execve(): only this thread ends. */
	} else if (tg) {
		tg->group_exit = true;
		tg->group_exit_code = code;
		for (o = tg->threads; o; o = o->thread_next)
			if (o != t)
				signal_send_locked(o, SIGKILL);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	task_exit(code);
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

#ifdef CONFIG_THREADS
/* clone3: Linux's size rules (VER0 at least, a bigger struct's tail all zero). */
SYSCALL_DEFINE2(clone3, struct clone_args *, uargs, unsigned long, size)
{
	struct clone_args a = { 0 };
	struct clone_req req;
	unsigned long i;
	u8 c;

	if (size < CLONE_ARGS_SIZE_VER0 || size > PAGE_SIZE)
		return size < CLONE_ARGS_SIZE_VER0 ? -EINVAL : -E2BIG;
	if (copy_from_user(&a, uargs, min(size, sizeof(a))))
		return -EFAULT;
	for (i = sizeof(a); i < size; i++) {
		if (copy_from_user(&c, (u8 *)uargs + i, 1))
			return -EFAULT;
		if (c)
			return -E2BIG;
	}
	/* set_tid needs pid namespaces; a cgroup, cgroups. */
	if (a.set_tid || a.set_tid_size || (a.flags & CLONE_INTO_CGROUP) ||
	    (a.flags & CLONE_DETACHED) || (a.flags & CSIGNAL) ||
	    a.exit_signal >= _NSIG ||
	    ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal))
		return -EINVAL;
	if ((a.flags & CLONE_CLEAR_SIGHAND) && (a.flags & CLONE_SIGHAND))
		return -EINVAL;
	if (!a.stack != !a.stack_size ||
	    (a.stack && a.stack + a.stack_size < a.stack))
		return -EINVAL;
	req = (struct clone_req){
		.flags = a.flags,
		.exit_signal = (int)a.exit_signal,
		.stack = (unsigned long)(a.stack + a.stack_size),
		.tls = (unsigned long)a.tls,
		.parent_tid = (int *)(unsigned long)a.parent_tid,
		.child_tid = (int *)(unsigned long)a.child_tid,
	};
	return kernel_clone(&req);
}
SYSCALL_FULL_FRAME(clone3);
#endif

/* glibc's pthread_create() and every thread's start: the word to clear at exit. */
SYSCALL_DEFINE1(set_tid_address, int *, uaddr)
{
	current_task()->clear_child_tid = uaddr;
	return current_task()->pid;
}

SYSCALL_DEFINE1(exit, unsigned long, code)
{
	task_exit(W_EXITCODE(code));
}

SYSCALL_DEFINE1(exit_group, unsigned long, code)
{
	do_group_exit(W_EXITCODE(code));
}

SYSCALL_DEFINE0(getpid)
{
	return current_task()->tgid;
}

SYSCALL_DEFINE0(gettid)
{
	return current_task()->pid;
}
