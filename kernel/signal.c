/* SPDX-License-Identifier: BSD-2-Clause */
/* POSIX signals: sending, masks, handlers, default actions, kill and the process-group calls. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>

/*
 * Each task's sig.lock protects its struct sig_state (signal_types.h).
 * Senders hold tasklist_lock, so the target cannot be reaped meanwhile.
 * A sender sets the pending bit, then wakes the target; a sleeper marks
 * itself asleep, then schedule() looks at the pending bits: with a full
 * fence on both sides one of the two sees the other (see schedule()).
 * Signals do not queue: a second one of a pending number is merged, and
 * the first one's siginfo is kept.
 */

/* Default action ignore: never queued while neither blocked nor caught. */
#define SIG_DFL_IGNORE (sigmask(SIGCHLD) | sigmask(SIGURG) | \
			sigmask(SIGWINCH) | sigmask(SIGCONT))
/* Default action stop. */
#define SIG_DFL_STOP (sigmask(SIGSTOP) | sigmask(SIGTSTP) | \
		      sigmask(SIGTTIN) | sigmask(SIGTTOU))
/* Synchronous (faults): delivered before the others, as Linux does. */
#define SIG_SYNCHRONOUS (sigmask(SIGSEGV) | sigmask(SIGBUS) | \
			 sigmask(SIGILL) | sigmask(SIGTRAP) | \
			 sigmask(SIGFPE) | sigmask(SIGSYS))

static void set_action(struct task *t, int sig, const struct k_sigaction *act);
static int send_one(int pid, int tgid, int sig, const struct k_siginfo *info);

static bool valid_signal(int sig)
{
	return sig >= 1 && sig < _NSIG;
}

/* t->sig.lock held: would sig be thrown away on delivery right now? */
static bool sig_ignored(struct task *t, int sig)
{
	unsigned long h = t->sig.action[sig - 1].handler;

	/*
	 * The handler may change before it is unblocked; a mask a wait
	 * lifted for now counts, as Linux's real_blocked for rt_sigtimedwait
	 * (Linux does not count sigsuspend's: there a signal it would drop
	 * is queued, then dropped when taken).
	 */
	if ((t->sig.blocked | (t->sig.restore_blocked ? t->sig.saved_blocked : 0)) &
	    sigmask(sig))
		return false;
	/*
	 * Init takes only the signals it handles (or blocks, to wait for
	 * them), as Linux's SIGNAL_UNKILLABLE: a stray kill or a child's odd
	 * exit signal must not end the system. SIGKILL and SIGSTOP still
	 * reach it, so its own exit_group() ends its threads.
	 */
	if (h == SIG_DFL && sig != SIGKILL && sig != SIGSTOP &&
	    process_is_init(t->tg ? t->group_leader : t))
		return true;
	return h == SIG_IGN || (h == SIG_DFL && (SIG_DFL_IGNORE & sigmask(sig)));
}

/* Caller holds tasklist_lock. */
static int send_info_locked(struct task *t, int sig, const struct k_siginfo *info)
{
	unsigned long flags;
	bool wake = false;

	if (!t->mm)
		return -EPERM; /* kernel threads take no signals */
	if (READ_ONCE(t->state) == TASK_ZOMBIE)
		return 0;
	flags = spin_lock_irqsave(&t->sig.lock);
	if (sig == SIGCONT) {
		/* Continues the task even when SIGCONT itself is ignored. */
		t->sig.pending &= ~SIG_DFL_STOP;
		wake = t->sig.stopped;
		WRITE_ONCE(t->sig.stopped, false);
	} else if (SIG_DFL_STOP & sigmask(sig)) {
		t->sig.pending &= ~sigmask(SIGCONT);
	}
	if (!sig_ignored(t, sig)) {
		if (!(t->sig.pending & sigmask(sig)))
			t->sig.info[sig - 1] = *info;
		WRITE_ONCE(t->sig.pending, t->sig.pending | sigmask(sig));
		wake |= signal_pending(t);
	}
	spin_unlock_irqrestore(&t->sig.lock, flags);
	if (wake) {
		/* Pairs with the fence in schedule(): see the comment on top. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		/* Asleep: wake it; in user mode on another hart: interrupt it. */
		wake_up_task(t);
		if (t->cpu != smp_processor_id())
			smp_send_reschedule(t->cpu);
	}
	return 0;
}

/*
 * Caller holds tasklist_lock: sig to t's whole process (kill), as Linux's
 * complete_signal(). SIGKILL, SIGSTOP and SIGCONT reach every thread; any
 * other goes to t if it does not block it, else to a thread that does
 * not, else it waits in the group's shared set until a thread unblocks it
 * (signal_set_blocked() moves it over). tg->lock, which also orders the
 * threads' mask changes, makes that choice and the move exclusive.
 */
static int send_process_locked(struct task *t, int sig,
			       const struct k_siginfo *info)
{
	struct thread_group *tg = t->tg;
	struct task *o;
	unsigned long flags;

	if (!IS_ENABLED(CONFIG_THREADS) || !tg || !t->mm)
		return send_info_locked(t, sig, info);
	if (sigmask(sig) & (SIG_KERNEL_ONLY | sigmask(SIGCONT))) {
		for (o = tg->threads; o; o = o->thread_next)
			send_info_locked(o, sig, info);
		return 0;
	}
	flags = spin_lock_irqsave(&tg->lock);
	o = t;
	if (READ_ONCE(t->state) == TASK_ZOMBIE ||
	    (READ_ONCE(t->sig.blocked) & sigmask(sig)))
		for (o = tg->threads; o; o = o->thread_next)
			if (READ_ONCE(o->state) != TASK_ZOMBIE &&
			    !(READ_ONCE(o->sig.blocked) & sigmask(sig)))
				break;
	if (!o) {
		if (!(tg->shared_pending & sigmask(sig)))
			tg->shared_info[sig - 1] = *info;
		tg->shared_pending |= sigmask(sig);
	}
	spin_unlock_irqrestore(&tg->lock, flags);
	return o ? send_info_locked(o, sig, info) : 0;
}

int signal_send_locked(struct task *t, int sig)
{
	struct k_siginfo info = { .code = SI_KERNEL };

	return send_info_locked(t, sig, &info);
}

/* kill() to every task match() accepts: 0, or -ESRCH when none. */
static int send_matching(bool (*match)(struct task *t, int arg), int arg,
			 int sig, const struct k_siginfo *info)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int err = -ESRCH, e;
	struct task *t;

	for (t = all_tasks; t; t = t->all_next) {
		/* Once per process: its leader stands for it. */
		if (!t->mm || t != t->group_leader || !match(t, arg))
			continue;
		e = sig ? send_process_locked(t, sig, info) : 0;
		if (err == -ESRCH || !e)
			err = e;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

int signal_send_timer_locked(struct task *t, int sig,
			     const struct k_siginfo *info)
{
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	struct k_siginfo *p = &t->sig.info[sig - 1];
	bool merged = (t->sig.pending & sigmask(sig)) &&
		      p->code == SI_TIMER && p->timerid == info->timerid;
	int overrun = 0;

	if (merged) {
		/* Saturates at DELAYTIMER_MAX (INT_MAX), as Linux. */
		s64 n = (s64)p->overrun + 1 + info->overrun;

		p->overrun = overrun = n > 0x7fffffff ? 0x7fffffff : (int)n;
	}
	spin_unlock_irqrestore(&t->sig.lock, flags);
	if (!merged)
		send_info_locked(t, sig, info);
	return overrun;
}

bool signal_timer_pending(struct task *t, int sig, int timerid)
{
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	bool pending = (t->sig.pending & sigmask(sig)) &&
		       t->sig.info[sig - 1].code == SI_TIMER &&
		       t->sig.info[sig - 1].timerid == timerid;

	spin_unlock_irqrestore(&t->sig.lock, flags);
	return pending;
}

int signal_send_info(int pid, int sig, const struct k_siginfo *info)
{
	if (sig < 0 || sig >= _NSIG)
		return -EINVAL;
	return send_one(pid, 0, sig, info);
}

int signal_dequeue(sigset_t set, struct k_siginfo *info)
{
	struct task *t = current_task();
	struct thread_group *tg = t->tg;
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	sigset_t ready = t->sig.pending & set & ~SIG_KERNEL_ONLY;
	int sig = 0;

	if (ready) {
		for (sig = 1; !(ready & sigmask(sig)); sig++)
			; /* the lowest number first, as signal_get() */
		WRITE_ONCE(t->sig.pending, t->sig.pending & ~sigmask(sig));
		*info = t->sig.info[sig - 1];
	} else if (tg) {
		/* A process signal every thread blocked waits in the group's set. */
		spin_lock(&tg->lock);
		ready = tg->shared_pending & set & ~SIG_KERNEL_ONLY;
		if (ready) {
			for (sig = 1; !(ready & sigmask(sig)); sig++)
				;
			tg->shared_pending &= ~sigmask(sig);
			*info = tg->shared_info[sig - 1];
		}
		spin_unlock(&tg->lock);
	}
	spin_unlock_irqrestore(&t->sig.lock, flags);
	return sig;
}

int signal_send(struct task *t, int sig)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int err = signal_send_locked(t, sig);

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

static bool in_group(struct task *t, int pgid)
{
	return t->pgid == pgid;
}

int signal_send_pgrp(int pgid, int sig)
{
	struct k_siginfo info = { .code = SI_KERNEL };

	return send_matching(in_group, pgid, sig, &info);
}

void signal_child_exit_locked(struct task *child)
{
	int code = child->exit_code;
	struct k_siginfo info = {
		.code = WIFSIGNALED(code) ? CLD_KILLED : CLD_EXITED,
		.pid = child->pid,
		.status = WIFSIGNALED(code) ? WTERMSIG(code) : WEXITSTATUS(code),
	};

	/* clone()'s exit signal; none when it is 0 or out of range, as Linux. */
	if (valid_signal(child->exit_signal))
		send_info_locked(child->parent, child->exit_signal, &info);
}

void signal_child_job_locked(struct task *child, int stopsig)
{
	struct task *parent = child->parent;
	struct k_siginfo info = {
		.code = stopsig ? CLD_STOPPED : CLD_CONTINUED,
		.pid = child->pid,
		.status = stopsig ? stopsig : SIGCONT,
	};
	unsigned long flags = spin_lock_irqsave(&parent->sig.lock);
	bool quiet = parent->sig.action[SIGCHLD - 1].flags & SA_NOCLDSTOP;

	spin_unlock_irqrestore(&parent->sig.lock, flags);
	if (!quiet)
		send_info_locked(parent, SIGCHLD, &info);
}

void signal_fork(struct task *child, struct task *parent)
{
	unsigned long flags = spin_lock_irqsave(&parent->sig.lock);

	child->sig.blocked = parent->sig.blocked;
	memcpy(child->sig.action, parent->sig.action, sizeof(child->sig.action));
	child->sig.tramp = parent->sig.tramp;
	spin_unlock_irqrestore(&parent->sig.lock, flags);
}

void signal_exec(struct task *t, unsigned long tramp)
{
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	int i;

	for (i = 0; i < _NSIG - 1; i++) {
		struct k_sigaction *ka = &t->sig.action[i];

		if (ka->handler != SIG_IGN)
			*ka = (struct k_sigaction){ .handler = SIG_DFL };
	}
	t->sig.tramp = tramp;
	spin_unlock_irqrestore(&t->sig.lock, flags);
}

bool signal_fault(int sig, int code, unsigned long addr)
{
	struct task *t = current_task();
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	unsigned long h = t->sig.action[sig - 1].handler;
	bool caught = h != SIG_DFL && h != SIG_IGN &&
		      !(t->sig.blocked & sigmask(sig));

	if (caught) {
		t->sig.info[sig - 1] = (struct k_siginfo){ .code = code,
							    .addr = addr };
		WRITE_ONCE(t->sig.pending, t->sig.pending | sigmask(sig));
	}
	spin_unlock_irqrestore(&t->sig.lock, flags);
	return caught;
}

/* Default action stop: sleeps until SIGCONT clears stopped or SIGKILL comes. */
static void do_stop(struct task *t, int sig, unsigned long *flags)
{
	WRITE_ONCE(t->sig.stopped, true);
	/* The parent learns of the stop, and later of the continue, from us. */
	spin_unlock_irqrestore(&t->sig.lock, *flags);
	process_job_notify(t, sig);
	*flags = spin_lock_irqsave(&t->sig.lock);
	while (t->sig.stopped && !(t->sig.pending & sigmask(SIGKILL))) {
		/* Under sig.lock, which the sender of SIGCONT takes first. */
		t->state = TASK_SLEEPING;
		spin_unlock_irqrestore(&t->sig.lock, *flags);
		schedule();
		*flags = spin_lock_irqsave(&t->sig.lock);
	}
	WRITE_ONCE(t->sig.stopped, false);
	if (!(t->sig.pending & sigmask(SIGKILL))) {
		spin_unlock_irqrestore(&t->sig.lock, *flags);
		process_job_notify(t, 0);
		*flags = spin_lock_irqsave(&t->sig.lock);
	}
}

int signal_get(struct k_sigaction *ka, struct k_siginfo *info)
{
	struct task *t = current_task();
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	sigset_t set;
	int sig;

	for (;;) {
		set = t->sig.pending & ~t->sig.blocked;
		if (!set)
			break;
		if (set & SIG_SYNCHRONOUS)
			set &= SIG_SYNCHRONOUS;
		for (sig = 1; !(set & sigmask(sig)); sig++)
			; /* the lowest number first (no libgcc for ctz) */
		WRITE_ONCE(t->sig.pending, t->sig.pending & ~sigmask(sig));
		*info = t->sig.info[sig - 1];
		*ka = t->sig.action[sig - 1];
		if (ka->handler == SIG_IGN)
			continue;
		if (ka->handler != SIG_DFL) {
			spin_unlock_irqrestore(&t->sig.lock, flags);
			if (ka->flags & SA_RESETHAND)
				set_action(t, sig, &(struct k_sigaction){ SIG_DFL });
			return sig;
		}
		if (SIG_DFL_IGNORE & sigmask(sig))
			continue;
		if (SIG_DFL_STOP & sigmask(sig)) {
			do_stop(t, sig, &flags);
			continue;
		}
		spin_unlock_irqrestore(&t->sig.lock, flags);
		/* Terminate, the whole process: wait status "killed by sig". */
		do_group_exit(sig);
	}
	spin_unlock_irqrestore(&t->sig.lock, flags);
	return 0;
}

sigset_t signal_frame_mask(void)
{
	struct task *t = current_task();
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	sigset_t set = t->sig.restore_blocked ? t->sig.saved_blocked :
						t->sig.blocked;

	t->sig.restore_blocked = false;
	spin_unlock_irqrestore(&t->sig.lock, flags);
	return set;
}

void signal_set_blocked(sigset_t set)
{
	struct task *t = current_task();
	struct thread_group *tg = t->tg;
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	sigset_t take;
	int sig;

	if (tg)
		spin_lock(&tg->lock);
	WRITE_ONCE(t->sig.blocked, set & ~SIG_KERNEL_ONLY);
	/* Process signals every thread blocked: ours now, if we take them. */
	take = tg ? tg->shared_pending & ~t->sig.blocked : 0;
	for (sig = 1; take && sig < _NSIG; sig++) {
		if (!(take & sigmask(sig)))
			continue;
		take &= ~sigmask(sig);
		if (!(t->sig.pending & sigmask(sig)))
			t->sig.info[sig - 1] = tg->shared_info[sig - 1];
		tg->shared_pending &= ~sigmask(sig);
		WRITE_ONCE(t->sig.pending, t->sig.pending | sigmask(sig));
	}
	if (tg)
		spin_unlock(&tg->lock);
	spin_unlock_irqrestore(&t->sig.lock, flags);
}

sigset_t signal_block_all(void)
{
	sigset_t old = current_task()->sig.blocked;

	signal_set_blocked(~sigmask(SIGKILL));
	return old;
}

void signal_handler_started(int sig, const struct k_sigaction *ka)
{
	struct task *t = current_task();
	sigset_t add = ka->mask | (ka->flags & SA_NODEFER ? 0 : sigmask(sig));

	signal_set_blocked(t->sig.blocked | add);
}

void signal_set_temporary_mask(sigset_t set)
{
	struct task *t = current_task();

	t->sig.saved_blocked = t->sig.blocked;
	t->sig.restore_blocked = true;
	signal_set_blocked(set);
}

void signal_restore_saved_mask(void)
{
	struct task *t = current_task();

	if (t->sig.restore_blocked) {
		t->sig.restore_blocked = false;
		signal_set_blocked(t->sig.saved_blocked);
	}
}

/*
 * sig's action becomes act in t and every task sharing its handlers
 * (CLONE_SIGHAND). POSIX: setting "ignore" discards a pending one.
 */
static void set_action(struct task *t, int sig, const struct k_sigaction *act)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	bool ignore = act->handler == SIG_IGN ||
		      (act->handler == SIG_DFL && (SIG_DFL_IGNORE & sigmask(sig)));
	struct task *o;

	for (o = all_tasks; o; o = o->all_next) {
		if (o != t && !sighand_shared(o, t))
			continue;
		spin_lock(&o->sig.lock);
		o->sig.action[sig - 1] = *act;
		if (ignore)
			WRITE_ONCE(o->sig.pending, o->sig.pending & ~sigmask(sig));
		spin_unlock(&o->sig.lock);
		if (ignore && o->tg && o == o->group_leader) {
			spin_lock(&o->tg->lock);
			o->tg->shared_pending &= ~sigmask(sig);
			spin_unlock(&o->tg->lock);
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* The system calls. */

SYSCALL_DEFINE4(rt_sigaction, int, sig, unsigned long, uact,
		unsigned long, uoact, unsigned long, sigsetsize)
{
	struct task *t = current_task();
	struct k_sigaction act, old;
	unsigned long flags;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (uact && copy_from_user(&act, (const void *)uact, sizeof(act)))
		return -EFAULT;
	if (!valid_signal(sig) || (uact && (SIG_KERNEL_ONLY & sigmask(sig))))
		return -EINVAL;
	flags = spin_lock_irqsave(&t->sig.lock);
	old = t->sig.action[sig - 1];
	spin_unlock_irqrestore(&t->sig.lock, flags);
	if (uact) {
		act.mask &= ~SIG_KERNEL_ONLY;
		set_action(t, sig, &act);
	}
	if (uoact && copy_to_user((void *)uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, unsigned long, uset,
		unsigned long, uoset, unsigned long, sigsetsize)
{
	struct task *t = current_task();
	sigset_t old = t->sig.blocked, set;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, (const void *)uset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK:
			set |= old;
			break;
		case SIG_UNBLOCK:
			set = old & ~set;
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
		/* Newly unblocked ones are delivered on the way out. */
		signal_set_blocked(set);
	}
	if (uoset && copy_to_user((void *)uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, unsigned long, uset, unsigned long, sigsetsize)
{
	struct task *t = current_task();
	sigset_t set = (READ_ONCE(t->sig.pending) |
			(t->tg ? READ_ONCE(t->tg->shared_pending) : 0)) &
		       t->sig.blocked;

	if (sigsetsize > sizeof(set))
		return -EINVAL;
	return copy_to_user((void *)uset, &set, sigsetsize) ? -EFAULT : 0;
}

/* Waits for a signal with the given mask; the old mask returns after its handler. */
SYSCALL_DEFINE2(rt_sigsuspend, unsigned long, uset, unsigned long, sigsetsize)
{
	struct task *t = current_task();
	sigset_t set;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, (const void *)uset, sizeof(set)))
		return -EFAULT;
	signal_set_temporary_mask(set);
	while (!signal_pending(t)) {
		/* schedule() keeps us running if a signal came meanwhile. */
		t->state = TASK_SLEEPING;
		schedule();
	}
	return -ERESTARTNOHAND;
}

static bool any_process(struct task *t, int self)
{
	return t->pid != 1 && t->pid != self;
}

/*
 * sig (0: only the checks) to the task with this pid. tgid > 0: it must
 * be that process's thread; tgid != 0: a zombie counts as gone (tkill),
 * where kill() still finds it until it is reaped.
 */
static int send_one(int pid, int tgid, int sig, const struct k_siginfo *info)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_task(pid);
	int err = 0;

	if (!t || (tgid > 0 && t->tgid != tgid) ||
	    (tgid && READ_ONCE(t->state) == TASK_ZOMBIE))
		err = -ESRCH;
	else if (!t->mm)
		err = -EPERM;
	else if (sig && tgid)
		err = send_info_locked(t, sig, info);
	else if (sig)
		err = send_process_locked(t, sig, info);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

int signal_kill(int pid, int sig)
{
	struct task *self = current_task();
	struct k_siginfo info = { .code = SI_USER, .pid = self->pid };

	if (sig < 0 || sig >= _NSIG)
		return -EINVAL;
	if (pid == -1)
		return send_matching(any_process, self->pid, sig, &info);
	if (pid <= 0) {
		if (pid == -2147483647 - 1)
			return -ESRCH; /* Linux: -INT_MIN is no group */
		return send_matching(in_group, pid ? -pid : self->pgid, sig,
				     &info);
	}
	return send_one(pid, 0, sig, &info);
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	return signal_kill(pid, sig);
}

/* One thread: tid, of process tgid if tgid > 0. */
static long send_tid(int tgid, int tid, int sig)
{
	struct k_siginfo info = { .code = SI_TKILL, .pid = current_task()->pid };

	if (tid <= 0 || sig < 0 || sig >= _NSIG)
		return -EINVAL;
	return send_one(tid, tgid ? tgid : -1, sig, &info);
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
	return send_tid(0, tid, sig);
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return send_tid(tgid, tid, sig);
}

/* Process groups and sessions, all under tasklist_lock. */

static bool group_in_session(int pgid, int sid)
{
	struct task *t;

	for (t = all_tasks; t; t = t->all_next)
		if (t->mm && t->pgid == pgid && t->sid == sid)
			return true;
	return false;
}

int process_pgrp_check(int pgid, int sid)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int err = group_in_session(pgid, sid) ? 0 : -ESRCH;
	struct task *t;

	for (t = all_tasks; t && err; t = t->all_next)
		if (t->mm && t->pgid == pgid)
			err = -EPERM; /* it exists, in another session */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct task *self = current_task(), *t;
	unsigned long flags;
	long err = 0;

	if (!pid)
		pid = self->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&tasklist_lock);
	t = find_task(pid);
	if (!t || !t->mm || (t != self && t->parent != self))
		err = -ESRCH;
	else if (t->sid != self->sid || t->sid == t->pid)
		err = -EPERM; /* another session's, or a session leader */
	else if (pgid != pid && !group_in_session(pgid, self->sid))
		err = -EPERM;
	else
		t->pgid = pgid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* getpgid/getsid: pid 0 is the caller. */
static long get_id(int pid, bool sid)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = pid ? find_task(pid) : current_task();
	long ret = !t || !t->mm ? -ESRCH : sid ? t->sid : t->pgid;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
	return get_id(pid, false);
}

SYSCALL_DEFINE1(getsid, int, pid)
{
	return get_id(pid, true);
}

SYSCALL_DEFINE0(setsid)
{
	struct task *self = current_task(), *t;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	long ret = self->pid;

	/* A group with our pid as its id exists (we lead it, or did). */
	for (t = all_tasks; t; t = t->all_next)
		if (t->mm && t->pgid == self->pid)
			ret = -EPERM;
	if (ret > 0)
		self->sid = self->pgid = self->pid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}
