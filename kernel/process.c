/* SPDX-License-Identifier: BSD-2-Clause */
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
#include <hartix/syscalls.h>
#include <abi/sched.h>
#include <abi/wait.h>

static void count_process(void);

static const char *basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

struct task *user_task_spawn(const char *path, const char *const *argv,
			     int cpu, int pid, int *err, const char **why)
{
	static const char *const envp[] = { "HOME=/", "TERM=vt100", NULL };
	struct task *t = task_alloc(basename(path), pid);

	if (!t) {
		*err = -ENOMEM;
		*why = "out of memory";
		return NULL;
	}
	t->files = files_alloc_console(); /* stdin, stdout, stderr */
	if (!t->files || thread_group_new(t)) {
		files_put(t->files);
		task_free(t);
		*err = -ENOMEM;
		*why = "out of memory";
		return NULL;
	}
	*err = exec_kernel(t, path, argv, envp, why);
	if (*err) {
		files_put(t->files);
		t->files = NULL;
		task_free(t);
		return NULL;
	}
	t->pgid = t->sid = t->pid;
	t->exit_signal = SIGCHLD;
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
	do_group_exit(sig);
}

/*
 * tasklist_lock protects every task's parent, children and sibling links,
 * pgid and sid, its mm pointer (for readers on other harts: /proc), the
 * list of all tasks, nr_processes, nr_created and init_task. Lock order: a
 * wait queue's lock or fs_lock, then tasklist_lock, then a task's sig.lock.
 */
DEFINE_SPINLOCK(tasklist_lock);
struct task *all_tasks;
static unsigned int nr_processes;
static unsigned long nr_created; /* tasks since boot (/proc/stat's processes) */
static struct task *init_task; /* adopts orphans */

void task_list_add(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	t->all_next = all_tasks;
	all_tasks = t;
	nr_created++;
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

struct task *find_task(int pid)
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

bool process_is_init(const struct task *t)
{
	return t == init_task;
}

/* A task with a user address space counts against MAX_PROCESSES. */
static void count_process(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	nr_processes++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/*
 * Called by task_exit(): files close, the mm goes with its last user. The
 * last thread of a process out makes it a zombie: orphans go to init,
 * the parent gets its exit signal (process_notify_parent() wakes it
 * later). The exit code is the group's if it ended as a group, else the
 * leader's own, as Linux.
 */
void process_exit(struct task *t)
{
	unsigned long flags;
	struct task *c, *next, *adopter, *leader = t->tg ? t->group_leader : t;
	bool zombie_moved = false;
	struct files *files;

	task_time_exit(t); /* its timers fire no more */
	signal_thread_exit(t);
	/*
	 * Its open files close and its memory goes now, not when it is
	 * reaped. The table leaves the task under tasklist_lock, which
	 * /proc/<pid>/fd reads it under (fs/proc_fd.c).
	 */
	flags = spin_lock_irqsave(&tasklist_lock);
	files = t->files;
	t->files = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	files_put(files);
	thread_exit_release(t);
	flags = spin_lock_irqsave(&tasklist_lock);
	if (t->tg && --t->tg->live) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return;
	}
	if (t->tg && t->tg->group_exit)
		leader->exit_code = t->tg->group_exit_code;
	adopter = init_task != leader ? init_task : NULL;

	for (c = leader->children; c; c = next) {
		next = c->sibling;
		c->parent = adopter;
		if (adopter) {
			/* As Linux: init reaps it with a plain wait(), whatever it asked for. */
			c->exit_signal = SIGCHLD;
			c->sibling = adopter->children;
			adopter->children = c;
			zombie_moved |= c->process_ended;
		}
		signal_orphaned_pgrp_locked(c, leader);
	}
	leader->children = NULL;
	signal_orphaned_pgrp_locked(leader, NULL);
	leader->process_ended = true;
	if (leader->parent)
		signal_child_exit_locked(leader);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (zombie_moved)
		wake_up(&adopter->child_exit);
	/* Not reaped before we are off this hart: the leader is still there. */
	task_time_process_exit(leader);
}

/* tasklist_lock held (released here): wakes parent's wait (NULL: nobody). */
static void wake_waiting_parent(struct task *parent, unsigned long flags)
{
	/*
	 * The wake-up runs without the lock (it takes the queue's lock, which
	 * orders before tasklist_lock): until it is done, task_reap() of the
	 * parent waits on child_wakers, so the parent is not freed under us.
	 */
	if (parent)
		__atomic_add_fetch(&parent->child_wakers, 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (parent) {
		wake_up(&parent->child_exit);
		__atomic_sub_fetch(&parent->child_wakers, 1, __ATOMIC_RELEASE);
	}
}

void process_notify_parent(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	/* A thread's exit wakes nobody until its whole process is gone. */
	wake_waiting_parent(!t->tg ? t->parent :
			    t->tg->live ? NULL : t->group_leader->parent, flags);
}

void process_notify_job(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	wake_waiting_parent(t->tg ? t->group_leader->parent : t->parent, flags);
}

void process_take_leader(struct task *t)
{
	struct task *old = t->group_leader, *o, **p;
	int pid = t->pid;

	/* As Linux's de_thread(): the pid, place in the tree and role swap. */
	t->pid = old->pid;
	old->pid = pid;
	t->parent = old->parent;
	t->exit_signal = old->exit_signal;
	t->pgid = old->pgid;
	t->sid = old->sid;
	t->children = old->children;
	old->children = NULL;
	old->parent = NULL;
	for (o = t->children; o; o = o->sibling)
		o->parent = t;
	if (t->parent) {
		for (p = &t->parent->children; *p != old; p = &(*p)->sibling)
			;
		*p = t;
		t->sibling = old->sibling;
	}
	for (o = t->tg->threads; o; o = o->thread_next)
		o->group_leader = t;
	if (init_task == old)
		init_task = t;
}

int process_charge(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int err = nr_processes >= MAX_PROCESSES ? -EAGAIN : 0;

	nr_processes += !err;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

void process_uncharge(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	nr_processes--;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

long process_link(struct task *child, struct task *parent, u64 clone_flags)
{
	struct task *leader = parent->group_leader, *pp;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	/*
	 * As Linux's copy_process(): a signal sent since the fork began (a
	 * kill(-1), a group kill, the OOM killer) walked the task list under
	 * this lock before the child was in it with an mm and a group, so it
	 * missed the child. The parent takes the signal first and the fork
	 * restarts afterwards; else a killed fork bomb leaves live children
	 * nobody sent SIGKILL, and their zombie children are never reaped.
	 * The same covers a thread made while its group is exiting.
	 */
	if (signal_pending(parent)) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -ERESTARTNOINTR;
	}
	child->pgid = leader->pgid;
	child->sid = leader->sid;
	if (clone_flags & CLONE_THREAD) {
		child->thread_next = child->tg->threads;
		child->tg->threads = child;
		child->tg->live++;
	} else {
		pp = clone_flags & CLONE_PARENT ? leader->parent : leader;
		if (clone_flags & CLONE_PARENT)
			child->exit_signal = leader->exit_signal;
		child->parent = pp;
		if (pp) {
			child->sibling = pp->children;
			pp->children = child;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

int process_getppid(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *p = current_task()->group_leader->parent;
	int pid = p ? p->pid : 0;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;
}

/* tasklist_lock held: is t a thread of process tgid (0: any) that task/ lists? */
static bool thread_listed(const struct task *t, int tgid)
{
	/* An exited thread is gone from task/ as Linux's is; the leader stays. */
	return t && (!tgid || t->tgid == tgid) &&
	       (t == t->group_leader || READ_ONCE(t->state) != TASK_ZOMBIE);
}

bool process_snapshot(int tgid, int tid, struct task_snapshot *s)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_task(tid ? tid : tgid);
	struct child_usage u;
	bool found = tid ? thread_listed(t, tgid) : t != NULL;

	if (found) {
		s->pid = t->pid;
		s->tgid = t->tgid;
		s->nr_threads = t->tg ? t->tg->live : 1;
		/* The process's parent, group and session: its leader's. */
		s->ppid = t->group_leader->parent ?
			  t->group_leader->parent->pid : 0;
		s->pgid = t->group_leader->pgid;
		s->sid = t->group_leader->sid;
		s->state = READ_ONCE(t->state);
		s->cpu = READ_ONCE(t->cpu);
		memcpy(s->comm, t->comm, sizeof(s->comm));
		s->comm[sizeof(s->comm) - 1] = '\0'; /* exec may be rewriting it */
		if (tid) {
			s->runtime_ticks = READ_ONCE(t->runtime_ticks);
			s->utime_ticks = READ_ONCE(t->utime_ticks);
			s->min_flt = READ_ONCE(t->min_flt);
		} else {
			/* Linux's whole-process view: every thread, live or gone. */
			process_usage_locked(t, &u);
			s->runtime_ticks = u.runtime_ticks;
			s->utime_ticks = u.utime_ticks;
			s->min_flt = u.min_flt;
		}
		s->start_ns = t->start_ns;
		/* A zombie keeps its mm until it is reaped, but shows none, as in Linux. */
		s->mm = s->state == TASK_ZOMBIE ? NULL : t->mm;
		if (s->mm)
			mm_get(s->mm);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

int process_next_thread(int tgid, int from)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *p = find_task(tgid), *t;
	int best = -1;

	if (p && !p->tg && p->pid >= from) {
		best = p->pid; /* a task with no group is its only thread */
	} else if (p && p->tg) {
		/* tgid may name any thread of it (/proc/<tid>/task/, as Linux). */
		for (t = p->tg->threads; t; t = t->thread_next)
			if (t->pid >= from && (best < 0 || t->pid < best) &&
			    thread_listed(t, p->tgid))
				best = t->pid;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

int process_tgid(int tid)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_task(tid);
	int tgid = thread_listed(t, 0) ? t->tgid : -1;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return tgid;
}

int process_set_comm(int tid, const char *name)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_task(tid);
	int ret = 0;

	if (!thread_listed(t, 0))
		ret = -ESRCH;
	else if (t->tgid != current_task()->tgid)
		ret = -EINVAL; /* Linux's comm_write(): only the caller's own threads */
	else
		strscpy(t->comm, name, sizeof(t->comm));
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

void process_get_comm(char comm[TASK_COMM_LEN])
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	memcpy(comm, current_task()->comm, TASK_COMM_LEN);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	comm[TASK_COMM_LEN - 1] = '\0';
}

struct exe_path *process_exe(int pid)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_task(pid);
	struct exe_path *e = NULL;

	if (t && READ_ONCE(t->state) != TASK_ZOMBIE && t->mm)
		e = exe_path_get(t->mm->exe);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return e;
}

int process_next_pid(int from)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t;
	int best = -1;

	/* Processes only: a thread's directory is under its process's task/. */
	for (t = all_tasks; t; t = t->all_next)
		if (t->pid >= from && (best < 0 || t->pid < best) &&
		    (!t->tg || t == t->group_leader))
			best = t->pid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

void process_counts(unsigned long *created, unsigned long *running)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t;

	*created = nr_created;
	*running = 0;
	for (t = all_tasks; t; t = t->all_next) {
		enum task_state st = READ_ONCE(t->state);

		*running += st == TASK_RUNNING || st == TASK_RUNNABLE;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

struct mm *process_swap_mm(struct task *t, struct mm *mm)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct mm *old = t->mm;

	t->mm = mm;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return old;
}

int process_init_pgid(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int pgid = init_task ? init_task->pgid : 0;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pgid;
}

unsigned int process_count(void)
{
	return READ_ONCE(nr_processes);
}
