/* User tasks: starting one from an executable, and ending one that faulted. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>

void user_trampoline(void);
static void count_process(void);

static const char *basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

struct task *user_task_spawn(const void *image, size_t size, const char *path,
			     const char *const *argv, int cpu, int *err,
			     const char **why)
{
	static const char *const envp[] = { "HOME=/", "TERM=vt100", NULL };
	struct task *t = task_alloc(basename(path));

	if (!t) {
		*err = -ENOMEM;
		*why = "out of memory";
		return NULL;
	}
	t->files = files_alloc_console(); /* stdin, stdout, stderr */
	if (!t->files) {
		task_free(t);
		*err = -ENOMEM;
		*why = "out of memory";
		return NULL;
	}
	*err = exec_image(t, image, size, path, argv, envp, why);
	if (*err) {
		files_close_all(t->files);
		t->files = NULL;
		task_free(t);
		return NULL;
	}
	t->pgid = t->sid = t->pid;
	count_process();
	/* First switch in: schedule_tail, then out through the frame. */
	t->ctx.ra = (unsigned long)user_trampoline;
	t->ctx.sp = (unsigned long)task_user_regs(t);
	task_start(t, cpu);
	return t;
}

static const char *const signal_names[] = {
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGBUS] = "SIGBUS",
	[SIGKILL] = "SIGKILL", [SIGSEGV] = "SIGSEGV",
};

/* Ends the current task for a fault, with a line saying what and where. */
void __noreturn user_fault_kill(struct pt_regs *regs, const char *what, int sig)
{
	struct task *t = current_task();

	/* For an illegal instruction stval holds its encoding, not an address. */
	pr_err("[hart %lu] pid %d (%s): %s %s0x%lx, pc 0x%lx: killed (%s)\n",
	       current_hartid(), t->pid, t->comm, what,
	       sig == SIGILL ? "" : "at ", regs->tval, regs->epc,
	       signal_names[sig]);
	task_exit(sig);
}

/*
 * tasklist_lock protects every task's parent, children and sibling links,
 * the list of all tasks, nr_processes and init_task. Lock order: a wait
 * queue's lock, then tasklist_lock.
 */
static DEFINE_SPINLOCK(tasklist_lock);
static struct task *all_tasks;
static unsigned int nr_processes;
static struct task *init_task; /* adopts orphans */

void task_list_add(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	t->all_next = all_tasks;
	all_tasks = t;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void task_list_del(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task **p;

	for (p = &all_tasks; *p; p = &(*p)->all_next)
		if (*p == t) {
			*p = t->all_next;
			break;
		}
	if (t->mm)
		nr_processes--;
	if (init_task == t)
		init_task = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* Caller holds tasklist_lock. */
static struct task *find_task(int pid)
{
	struct task *t;

	for (t = all_tasks; t; t = t->all_next)
		if (t->pid == pid)
			return t;
	return NULL;
}

void task_for_each(void (*fn)(const struct task *t, void *arg), void *arg)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t;

	for (t = all_tasks; t; t = t->all_next)
		fn(t, arg);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void process_set_parent(struct task *t, struct task *parent)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	t->parent = parent;
	t->sibling = parent->children;
	parent->children = t;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void process_set_init(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	init_task = t;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* A task with a user address space counts against MAX_PROCESSES. */
static void count_process(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	nr_processes++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* Called by task_exit(): orphans go to init, the parent learns of it. */
void process_exit(struct task *t)
{
	unsigned long flags;
	struct task *c, *next, *adopter;
	bool zombie_moved = false;

	/* Its open files close now, not when it is reaped. */
	files_close_all(t->files);
	t->files = NULL;
	flags = spin_lock_irqsave(&tasklist_lock);
	adopter = init_task != t ? init_task : NULL;

	for (c = t->children; c; c = next) {
		next = c->sibling;
		c->parent = adopter;
		if (adopter) {
			c->sibling = adopter->children;
			adopter->children = c;
			zombie_moved |= READ_ONCE(c->state) == TASK_ZOMBIE;
		}
	}
	t->children = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (zombie_moved)
		wake_up(&adopter->child_exit);
	if (t->parent)
		wake_up(&t->parent->child_exit);
}

long process_fork(struct pt_regs *regs, unsigned long newsp)
{
	struct task *parent = current_task(), *child;
	unsigned long flags;
	struct pt_regs *cregs;

	flags = spin_lock_irqsave(&tasklist_lock);
	if (nr_processes >= MAX_PROCESSES) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EAGAIN; /* a fork bomb stops here */
	}
	nr_processes++;
	spin_unlock_irqrestore(&tasklist_lock, flags);

	child = task_alloc(parent->comm);
	if (child)
		child->mm = mm_dup(parent->mm);
	if (child && child->mm) {
		child->files = files_dup(parent->files);
		if (!child->files) {
			task_free(child); /* with an mm: uncounted there */
			return -ENOMEM;
		}
	}
	if (!child || !child->mm) {
		flags = spin_lock_irqsave(&tasklist_lock);
		nr_processes--;
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -ENOMEM;
	}
	cregs = task_user_regs(child);
	*cregs = *regs;
	cregs->a0 = 0; /* the child's fork() returns 0 */
	if (newsp)
		cregs->sp = newsp;
	child->ctx.ra = (unsigned long)user_trampoline;
	child->ctx.sp = (unsigned long)cregs;

	flags = spin_lock_irqsave(&tasklist_lock);
	child->parent = parent;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->sibling = parent->children;
	parent->children = child;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	task_start(child, -1);
	return child->pid;
}

struct wait_ctx {
	struct task *self;
	int pid;
};

/* Caller holds tasklist_lock: a matching zombie child, unlinked; or NULL. */
static struct task *take_zombie(struct task *self, int pid, bool *any)
{
	struct task **p;

	*any = false;
	for (p = &self->children; *p; p = &(*p)->sibling) {
		struct task *c = *p;

		if (pid > 0 && c->pid != pid)
			continue;
		*any = true;
		if (READ_ONCE(c->state) == TASK_ZOMBIE) {
			*p = c->sibling;
			return c;
		}
	}
	return NULL;
}

static bool child_ready(void *arg)
{
	struct wait_ctx *w = arg;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *c;
	bool ready = READ_ONCE(w->self->pending_kill);

	for (c = w->self->children; c && !ready; c = c->sibling)
		ready = (w->pid <= 0 || c->pid == w->pid) &&
			READ_ONCE(c->state) == TASK_ZOMBIE;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ready;
}

long process_wait(int pid, int *status, bool nohang)
{
	struct task *self = current_task(), *z;
	struct wait_ctx w = { self, pid };
	unsigned long flags;
	bool any;
	int zpid;

	if (pid < -1 || pid == 0)
		return -EINVAL; /* process groups come with signals */
	for (;;) {
		flags = spin_lock_irqsave(&tasklist_lock);
		z = take_zombie(self, pid, &any);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (z) {
			zpid = z->pid;
			*status = task_reap(z);
			return zpid;
		}
		if (!any)
			return -ECHILD;
		if (nohang)
			return 0;
		if (self->pending_kill)
			return -EINTR;
		wait_event(&self->child_exit, child_ready, &w);
	}
}

/*
 * Default actions only so far: every signal but the ignored ones ends the
 * task at its next return to user mode.
 */
static bool signal_ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
	       sig == SIGCONT;
}

int signal_send_locked(struct task *t, int sig)
{
	if (!t->mm)
		return -EPERM; /* kernel threads take no signals */
	if (READ_ONCE(t->state) == TASK_ZOMBIE || signal_ignored_by_default(sig))
		return 0;
	if (!t->pending_kill)
		WRITE_ONCE(t->pending_kill, sig);
	/* Asleep: wake it; in user mode on another hart: interrupt it. */
	wake_up_task(t);
	if (t->cpu != smp_processor_id())
		smp_send_reschedule(t->cpu);
	return 0;
}

int signal_send_pgrp(int pgid, int sig)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int err = -ESRCH;
	struct task *t;

	for (t = all_tasks; t; t = t->all_next)
		if (t->mm && t->pgid == pgid && !signal_send_locked(t, sig))
			err = 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

bool signal_pending(struct task *t)
{
	return READ_ONCE(t->pending_kill) != 0;
}

/* kill(): pid > 0 one process, 0 the caller's group, < -1 group -pid. */
long process_kill(int pid, int sig)
{
	unsigned long flags;
	struct task *t;
	long err = 0;

	if (sig < 0 || sig >= _NSIG)
		return -EINVAL;
	if (pid == -1)
		return -EINVAL; /* every process: not supported */
	if (pid <= 0) {
		int pgid = pid ? -pid : current_task()->pgid;

		if (!sig) {
			flags = spin_lock_irqsave(&tasklist_lock);
			for (t = all_tasks, err = -ESRCH; t; t = t->all_next)
				if (t->mm && t->pgid == pgid)
					err = 0;
			spin_unlock_irqrestore(&tasklist_lock, flags);
			return err;
		}
		return signal_send_pgrp(pgid, sig);
	}
	flags = spin_lock_irqsave(&tasklist_lock);
	t = find_task(pid);
	if (!t)
		err = -ESRCH;
	else if (READ_ONCE(t->state) == TASK_ZOMBIE)
		err = 0; /* not reaped yet: still there for kill() */
	else if (!t->mm)
		err = -EPERM;
	else if (sig)
		err = signal_send_locked(t, sig);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

int process_getppid(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *p = current_task()->parent;
	int pid = p ? p->pid : 0;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;
}
