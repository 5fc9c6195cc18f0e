/* SPDX-License-Identifier: BSD-2-Clause */
/* Waiting for children: wait4, waitid, and the stop/continue reports of job control. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/siginfo.h>
#include <hartix/signal.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <abi/time.h>
#include <abi/wait.h>

/* task.wait_report: what a parent's wait may still collect (besides an exit). */
#define WREPORT_STOPPED 1
#define WREPORT_CONTINUED 2

/* Which children a wait is for, and what it found. */
struct wait_opts {
	int type, id; /* P_ALL, P_PID or P_PGID (id 0 made the caller's group) */
	unsigned int options; /* WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT */
	struct task *self;
	/* Found: */
	int pid;
	int status; /* wait4's encoding */
	int code; /* CLD_* for waitid */
	int si_status; /* exit code or signal */
	struct child_usage usage;
};

/*
 * As Linux, a child that signals something other than SIGCHLD at exit (a
 * "clone" child) is waited for only with __WCLONE, and __WALL takes both.
 */
static bool wait_matches(const struct wait_opts *w, const struct task *c)
{
	if (!(w->options & __WALL) &&
	    !(w->options & __WCLONE) != (c->exit_signal == SIGCHLD))
		return false;
	return w->type == P_ALL ? true :
	       w->type == P_PID ? c->pid == w->id :
	       c->pgid == w->id;
}

/*
 * Caller holds tasklist_lock: a process whose every thread has exited.
 * From the moment its parent may see SIGCHLD, not only once its last
 * thread is a zombie: busybox's sh takes SIGCHLD, polls with WNOHANG and
 * then waits in sigsuspend() for the next SIGCHLD, which never comes.
 * Reaping it early is safe: task_reap() waits until it is off its hart.
 */
static bool process_dead(const struct task *c)
{
	return c->process_ended;
}

/*
 * tasklist_lock held: what child c has to report, filled into w; a zombie
 * to reap is unlinked and returned in *reap (its use counted into ours).
 */
static bool child_report(struct wait_opts *w, struct task **link,
			 struct task **reap)
{
	struct task *c = *link;
	bool consume = !(w->options & WNOWAIT);
	int code;

	if (process_dead(c)) {
		if (!(w->options & WEXITED))
			return false;
		code = c->exit_code;
		w->status = code;
		w->code = !WIFSIGNALED(code) ? CLD_EXITED :
			  (code & 0x80) ? CLD_DUMPED : CLD_KILLED;
		w->si_status = WIFSIGNALED(code) ? WTERMSIG(code) :
						   WEXITSTATUS(code);
		if (consume) {
			*link = c->sibling;
			rusage_add_child(w->self, c);
			*reap = c;
		}
	} else if (c->wait_report == WREPORT_STOPPED &&
		   (w->options & WSTOPPED)) {
		w->status = (c->stop_sig << 8) | 0x7f;
		w->code = CLD_STOPPED;
		w->si_status = c->stop_sig;
	} else if (c->wait_report == WREPORT_CONTINUED &&
		   (w->options & WCONTINUED)) {
		w->status = 0xffff;
		w->code = CLD_CONTINUED;
		w->si_status = SIGCONT;
	} else {
		return false;
	}
	if (consume)
		c->wait_report = 0;
	w->pid = c->pid;
	child_usage_of(c, &w->usage);
	return true;
}

/* tasklist_lock held: 1 found (w filled), 0 nothing yet, -ECHILD no such child. */
static int scan_children(struct wait_opts *w, struct task **reap)
{
	struct task **p;
	int ret = -ECHILD;

	for (p = &w->self->children; *p; p = &(*p)->sibling) {
		if (!wait_matches(w, *p))
			continue;
		ret = 0;
		if (child_report(w, p, reap))
			return 1;
	}
	return ret;
}

static bool wait_ready(void *arg)
{
	struct wait_opts *w = arg;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct wait_opts probe = *w;
	struct task *reap = NULL;
	bool ready;

	probe.options |= WNOWAIT; /* only look */
	ready = signal_pending(current_task()) || scan_children(&probe, &reap);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ready;
}

/* The pid reported (w filled), 0 (WNOHANG, nothing yet), or -errno. */
static long do_wait(struct wait_opts *w)
{
	struct task *reap;
	unsigned long flags;
	int found;

	/* Any thread waits for the children of the process: the leader's. */
	w->self = current_task()->group_leader;
	for (;;) {
		reap = NULL;
		flags = spin_lock_irqsave(&tasklist_lock);
		found = scan_children(w, &reap);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (reap) {
			thread_group_reap(reap);
			task_reap(reap);
		}
		if (found)
			return found < 0 ? found : w->pid;
		if (w->options & WNOHANG)
			return 0;
		if (signal_pending(current_task()))
			return -ERESTARTSYS;
		wait_event(&w->self->child_exit, wait_ready, w);
	}
}

/* wait4's pid: > 0 that child, -1 any, 0 the caller's group, < -1 group -pid. */
static long wait4_pid(struct wait_opts *w, int pid)
{
	if (pid == -2147483647 - 1)
		return -ESRCH; /* Linux: -INT_MIN is no process group */
	w->type = pid > 0 ? P_PID : pid == -1 ? P_ALL : P_PGID;
	w->id = pid > 0 ? pid : pid == 0 ? current_task()->pgid : -pid;
	return do_wait(w);
}

long process_wait(int pid, int *status, int options)
{
	struct wait_opts w = { .options = WEXITED | (unsigned int)options };
	long ret = wait4_pid(&w, pid);

	if (ret > 0)
		*status = w.status;
	return ret;
}

static int put_rusage(struct rusage *uru, const struct child_usage *u)
{
	struct rusage ru;

	rusage_of_child(u, &ru);
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

SYSCALL_DEFINE4(wait4, int, pid, int *, ustatus, unsigned int, options,
		struct rusage *, uru)
{
	/* WUNTRACED is WSTOPPED. */
	struct wait_opts w = { .options = options | WEXITED };
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	ret = wait4_pid(&w, pid);
	/* Like Linux: the child is reaped even if the status cannot be stored. */
	if (ret > 0 && ustatus &&
	    copy_to_user(ustatus, &w.status, sizeof(w.status)))
		return -EFAULT;
	if (ret > 0 && uru && put_rusage(uru, &w.usage))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE5(waitid, int, type, int, id, struct user_siginfo *, uinfo,
		unsigned int, options, struct rusage *, uru)
{
	struct wait_opts w = { .type = type, .id = id, .options = options };
	struct user_siginfo si;
	long ret;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (type == P_PGID && id == 0)
		w.id = current_task()->pgid;
	else if ((type != P_ALL && type != P_PID && type != P_PGID) ||
		 (type != P_ALL && id <= 0))
		return -EINVAL;
	ret = do_wait(&w);
	if (ret < 0)
		return ret;
	/* WNOHANG with nothing to report: a zeroed siginfo, as Linux. */
	memset(&si, 0, sizeof(si));
	if (ret > 0) {
		si.signo = SIGCHLD;
		si.code = w.code;
		si.proc.pid = w.pid;
		si.proc.status = w.si_status;
	}
	if (uinfo && copy_to_user(uinfo, &si, sizeof(si)))
		return -EFAULT;
	if (ret > 0 && uru && put_rusage(uru, &w.usage))
		return -EFAULT;
	return 0;
}

void process_job_notify(struct task *t, int stopsig)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	t->wait_report = stopsig ? WREPORT_STOPPED : WREPORT_CONTINUED;
	t->stop_sig = (u8)stopsig;
	if (t->parent)
		signal_child_job_locked(t, stopsig);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	process_notify_job(t);
}
