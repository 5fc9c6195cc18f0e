/* SPDX-License-Identifier: BSD-2-Clause */
/* POSIX signals: sending, masks, handlers, default actions, kill and the process-group calls. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>

/*
 * Each task's sig.lock protects its struct sig_state (signal_types.h),
 * its group's lock the process's shared set. Senders hold tasklist_lock,
 * so the target cannot be reaped meanwhile. A sender queues the signal,
 * marks the thread that is to take it (sig.work), then wakes it; a
 * sleeper marks itself asleep, then schedule() looks at sig.work: with a
 * full fence on both sides one of the two sees the other (see schedule()).
 *
 * As Linux, a signal to a thread (tgkill, a fault, a timer's
 * SIGEV_THREAD_ID) waits in its own set; one to the process (kill, a
 * timer, rt_sigqueueinfo) in the process's shared set, and a thread that
 * does not block it is picked to take it. Whichever thread takes it
 * first has it; a thread that blocks it after being picked hands it on
 * (retarget()), so it never hangs on a thread that will not take it.
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
static bool pgrp_orphaned(int pgid, const struct task *ignored);

/*
 * Real-time instances queued now, against RLIMIT_SIGPENDING. Linux counts
 * them per user; every process here is uid 0, so this is that user's.
 * Atomic.
 */
static int sigqueue_count;

static bool valid_signal(int sig)
{
	return sig >= 1 && sig < _NSIG;
}

/*
 * The group whose shared set holds t's process signals: none without
 * CONFIG_THREADS, where a process is one task and they are its own.
 */
static struct thread_group *shared_tg(const struct task *t)
{
	return IS_ENABLED(CONFIG_THREADS) ? t->tg : NULL;
}

/* The next signal of set to take: faults first, then the lowest number. */
static int next_signal(sigset_t set)
{
	int sig;

	if (set & SIG_SYNCHRONOUS)
		set &= SIG_SYNCHRONOUS;
	if (!set)
		return 0;
	for (sig = 1; !(set & sigmask(sig)); sig++)
		; /* no libgcc for ctz */
	return sig;
}

static void sigqueue_free(struct sigqueue *q)
{
	__atomic_sub_fetch(&sigqueue_count, 1, __ATOMIC_RELAXED);
	kfree(q);
}

/*
 * Owner's lock held: sig with info joins p, limited by limit's
 * RLIMIT_SIGPENDING. 0, or -EAGAIN when a real-time one found no room
 * and its sender must hear it (Linux: all but kill() and the kernel's).
 */
static int pending_add(struct sigpending *p, int sig, const struct k_siginfo *info,
		       struct thread_group *limit)
{
	struct sigqueue *q = NULL, **ring;
	u64 max;

	if (sig < SIGRTMIN) {
		if (!(p->set & sigmask(sig)))
			p->info[sig - 1] = *info;
		p->set |= sigmask(sig);
		return 0;
	}
	if (!IS_ENABLED(CONFIG_SIGNAL_EXTRA)) {
		p->set |= sigmask(sig); /* merged, without its siginfo */
		return 0;
	}
	/* A timer has one instance at a time (the rest count as overruns). */
	max = info->code == SI_TIMER ? ~0ULL :
	      limit ? READ_ONCE(limit->rlim[RLIMIT_SIGPENDING].cur) : 0;
	if ((u64)__atomic_add_fetch(&sigqueue_count, 1, __ATOMIC_RELAXED) <= max)
		q = kmalloc(sizeof(*q), __GFP_NOWARN);
	if (!q) {
		__atomic_sub_fetch(&sigqueue_count, 1, __ATOMIC_RELAXED);
		if (info->code != SI_USER && info->code != SI_KERNEL)
			return -EAGAIN;
		p->set |= sigmask(sig); /* the instance, without its siginfo */
		return 0;
	}
	q->info = *info;
	ring = &p->rt[sig - SIGRTMIN];
	q->next = *ring ? (*ring)->next : q;
	if (*ring)
		(*ring)->next = q;
	*ring = q;
	p->set |= sigmask(sig);
	return 0;
}

/* Owner's lock held, sig pending in p: takes its oldest instance's info. */
static void pending_take(struct sigpending *p, int sig, struct k_siginfo *info)
{
	struct sigqueue **ring, *q;

	if (sig < SIGRTMIN) {
		*info = p->info[sig - 1];
		p->set &= ~sigmask(sig);
		return;
	}
	ring = &p->rt[sig - SIGRTMIN];
	q = *ring ? (*ring)->next : NULL;
	if (!q) {
		*info = (struct k_siginfo){ .code = SI_USER };
		p->set &= ~sigmask(sig);
		return;
	}
	if (q == *ring)
		*ring = NULL;
	else
		(*ring)->next = q->next;
	if (!*ring)
		p->set &= ~sigmask(sig);
	*info = q->info;
	sigqueue_free(q);
}

/* Owner's lock held: every instance of the signals of set leaves p. */
static void pending_flush(struct sigpending *p, sigset_t set)
{
	struct k_siginfo info;
	int sig;

	while ((sig = next_signal(p->set & set)))
		pending_take(p, sig, &info);
}

/* Owner's lock held: the pending instance of timer timerid's sig in p, or NULL. */
static struct k_siginfo *pending_timer(struct sigpending *p, int sig, int timerid)
{
	struct sigqueue *last, *q;

	if (!(p->set & sigmask(sig)))
		return NULL;
	if (sig < SIGRTMIN)
		return p->info[sig - 1].code == SI_TIMER &&
		       p->info[sig - 1].timerid == timerid ? &p->info[sig - 1] : NULL;
	last = p->rt[sig - SIGRTMIN];
	for (q = last ? last->next : NULL; q; q = q == last ? NULL : q->next)
		if (q->info.code == SI_TIMER && q->info.timerid == timerid)
			return &q->info;
	return NULL;
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

/* Makes t look at its signals now: asleep, it wakes; in user mode on another hart, it is interrupted. */
static void signal_wake(struct task *t)
{
	/* Pairs with the fence in schedule(): see the comment on top. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wake_up_task(t);
	if (t->cpu != smp_processor_id())
		smp_send_reschedule(t->cpu);
}

/*
 * t->sig.lock held: t's work is what it has pending and what of its
 * process's it may take now (that lock nests inside ours).
 */
static void recalc_work(struct task *t)
{
	struct thread_group *tg = shared_tg(t);
	sigset_t work = t->sig.pending.set;

	if (tg) {
		spin_lock(&tg->lock);
		work |= tg->shared.set & ~t->sig.blocked;
		spin_unlock(&tg->lock);
	}
	WRITE_ONCE(t->sig.work, work);
}

/*
 * tasklist_lock held: what sending sig does at once to t's process, as
 * Linux's prepare_signal(): a stop signal cancels a pending SIGCONT, and
 * SIGCONT the pending stop signals and continues every stopped thread
 * (even when SIGCONT itself is ignored).
 */
static void prepare_signal(struct task *t, int sig)
{
	sigset_t drop = sig == SIGCONT ? SIG_DFL_STOP :
			SIG_DFL_STOP & sigmask(sig) ? sigmask(SIGCONT) : 0;
	struct thread_group *tg = shared_tg(t);
	struct task *o = tg ? tg->threads : t;
	unsigned long flags;
	bool wake;

	if (!drop)
		return;
	for (; o; o = tg ? o->thread_next : NULL) {
		flags = spin_lock_irqsave(&o->sig.lock);
		pending_flush(&o->sig.pending, drop);
		wake = sig == SIGCONT && o->sig.stopped;
		if (wake)
			WRITE_ONCE(o->sig.stopped, false);
		spin_unlock_irqrestore(&o->sig.lock, flags);
		if (wake)
			signal_wake(o);
	}
	if (tg) {
		flags = spin_lock_irqsave(&tg->lock);
		pending_flush(&tg->shared, drop);
		spin_unlock_irqrestore(&tg->lock, flags);
	}
}

/* Caller holds tasklist_lock, prepare_signal() done: sig to thread t alone. 0 or -errno. */
static int queue_thread_locked(struct task *t, int sig, const struct k_siginfo *info)
{
	unsigned long flags;
	bool wake = false;
	int err = 0;

	if (READ_ONCE(t->state) == TASK_ZOMBIE)
		return 0;
	flags = spin_lock_irqsave(&t->sig.lock);
	if (!t->sig.exiting && !sig_ignored(t, sig)) {
		err = pending_add(&t->sig.pending, sig, info, t->tg);
		if (!err) {
			WRITE_ONCE(t->sig.work, t->sig.work | sigmask(sig));
			wake = signal_pending(t);
		}
	}
	spin_unlock_irqrestore(&t->sig.lock, flags);
	if (wake)
		signal_wake(t);
	return err;
}

/* Caller holds tasklist_lock: sig to thread t (tgkill, faults). 0 or -errno. */
static int send_info_locked(struct task *t, int sig, const struct k_siginfo *info)
{
	if (!t->mm)
		return -EPERM; /* kernel threads take no signals */
	if (READ_ONCE(t->state) == TASK_ZOMBIE)
		return 0;
	prepare_signal(t, sig);
	return queue_thread_locked(t, sig, info);
}

/* tasklist_lock held: o is to take what of set it does not block; set loses that. */
static void shared_pick_one(struct task *o, sigset_t *set)
{
	unsigned long flags = spin_lock_irqsave(&o->sig.lock);
	sigset_t take = o->sig.exiting || READ_ONCE(o->state) == TASK_ZOMBIE ?
				0 : *set & ~o->sig.blocked;
	bool wake = false;

	if (take) {
		WRITE_ONCE(o->sig.work, o->sig.work | take);
		wake = signal_pending(o);
	}
	spin_unlock_irqrestore(&o->sig.lock, flags);
	if (wake)
		signal_wake(o);
	*set &= ~take;
}

/*
 * tasklist_lock held: process signals set wait in the shared set of
 * first's process; threads that do not block them are picked to take
 * them, first first (as Linux's complete_signal()), and woken.
 */
static void shared_pick(struct task *first, sigset_t set)
{
	struct task *o;

	shared_pick_one(first, &set);
	for (o = first->tg->threads; o && set; o = o->thread_next)
		if (o != first)
			shared_pick_one(o, &set);
}

/*
 * Caller holds tasklist_lock: sig to t's whole process (kill). SIGKILL,
 * SIGSTOP and SIGCONT reach every thread; any other waits in the shared
 * set, and a thread that does not block it (t first) takes it.
 */
static int send_process_locked(struct task *t, int sig,
			       const struct k_siginfo *info)
{
	struct thread_group *tg = shared_tg(t);
	struct task *o;
	unsigned long flags;
	bool ignored;
	int err;

	if (!tg || !t->mm)
		return send_info_locked(t, sig, info);
	prepare_signal(t, sig);
	if (sigmask(sig) & (SIG_KERNEL_ONLY | sigmask(SIGCONT))) {
		for (o = tg->threads; o; o = o->thread_next)
			queue_thread_locked(o, sig, info);
		return 0;
	}
	flags = spin_lock_irqsave(&t->sig.lock);
	ignored = sig_ignored(t, sig);
	spin_unlock_irqrestore(&t->sig.lock, flags);
	if (ignored)
		return 0;
	flags = spin_lock_irqsave(&tg->lock);
	err = pending_add(&tg->shared, sig, info, tg);
	spin_unlock_irqrestore(&tg->lock, flags);
	if (!err)
		shared_pick(t, sigmask(sig));
	return err;
}

int signal_send_locked(struct task *t, int sig)
{
	struct k_siginfo info = { .code = SI_KERNEL };

	return send_info_locked(t, sig, &info);
}

/* tasklist_lock held: kill() to every process match() accepts: 0, or -ESRCH when none. */
static int send_matching_locked(bool (*match)(struct task *t, int arg), int arg,
				int sig, const struct k_siginfo *info)
{
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
	return err;
}

static int send_matching(bool (*match)(struct task *t, int arg), int arg,
			 int sig, const struct k_siginfo *info)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int err = send_matching_locked(match, arg, sig, info);

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* The set a timer's signal goes to: thread t's own, or its process's. */
static struct sigpending *timer_pending(struct task *t, bool thread, spinlock_t **lock)
{
	if (thread || !shared_tg(t)) {
		*lock = &t->sig.lock;
		return &t->sig.pending;
	}
	*lock = &t->tg->lock;
	return &t->tg->shared;
}

int signal_send_timer_locked(struct task *t, bool thread, int sig,
			     const struct k_siginfo *info)
{
	spinlock_t *lock;
	struct sigpending *p = timer_pending(t, thread, &lock);
	unsigned long flags = spin_lock_irqsave(lock);
	struct k_siginfo *q = pending_timer(p, sig, info->timerid);
	int overrun = 0;

	if (q) {
		/* Saturates at DELAYTIMER_MAX (INT_MAX), as Linux. */
		s64 n = (s64)q->overrun + 1 + info->overrun;

		q->overrun = overrun = n > 0x7fffffff ? 0x7fffffff : (int)n;
	}
	spin_unlock_irqrestore(lock, flags);
	if (!q) {
		if (thread)
			send_info_locked(t, sig, info);
		else
			send_process_locked(t, sig, info);
	}
	return overrun;
}

bool signal_timer_pending(struct task *t, bool thread, int sig, int timerid)
{
	spinlock_t *lock;
	struct sigpending *p = timer_pending(t, thread, &lock);
	unsigned long flags = spin_lock_irqsave(lock);
	bool pending = pending_timer(p, sig, timerid);

	spin_unlock_irqrestore(lock, flags);
	return pending;
}

int signal_send_info(int pid, int tid, int sig, const struct k_siginfo *info)
{
	if (sig < 0 || sig >= _NSIG)
		return -EINVAL;
	return tid ? send_one(tid, pid, sig, info) : send_one(pid, 0, sig, info);
}

/*
 * t->sig.lock held: takes the next signal of allowed, t's own first,
 * then its process's (as Linux's dequeue_signal()); its number or 0.
 */
static int dequeue(struct task *t, sigset_t allowed, struct k_siginfo *info)
{
	struct thread_group *tg = shared_tg(t);
	int sig = next_signal(t->sig.pending.set & allowed);

	if (sig) {
		pending_take(&t->sig.pending, sig, info);
	} else if (tg) {
		spin_lock(&tg->lock);
		sig = next_signal(tg->shared.set & allowed);
		if (sig)
			pending_take(&tg->shared, sig, info);
		spin_unlock(&tg->lock);
	}
	recalc_work(t);
	return sig;
}

int signal_dequeue(sigset_t set, struct k_siginfo *info)
{
	struct task *t = current_task();
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	int sig = dequeue(t, set & ~SIG_KERNEL_ONLY, info);

	spin_unlock_irqrestore(&t->sig.lock, flags);
	return sig;
}

int signal_send(struct task *t, int sig)
{
	struct k_siginfo info = { .code = SI_KERNEL };
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int err = send_process_locked(t, sig, &info);

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

static bool in_group(struct task *t, int pgid)
{
	return t->pgid == pgid;
}

static bool process_live(struct task *p)
{
	return p->tg ? READ_ONCE(p->tg->live) > 0 :
		       READ_ONCE(p->state) != TASK_ZOMBIE;
}

/*
 * tasklist_lock held: is group pgid orphaned, ignored aside (Linux's
 * will_become_orphaned_pgrp())? It is when no live process of it has a
 * parent in another group of the same session; init is no such parent.
 */
static bool pgrp_orphaned(int pgid, const struct task *ignored)
{
	struct task *p;

	for (p = all_tasks; p; p = p->all_next) {
		if (!p->mm || p != p->group_leader || p->pgid != pgid ||
		    p == ignored || !process_live(p) || !p->parent ||
		    process_is_init(p->parent))
			continue;
		if (p->parent->pgid != pgid && p->parent->sid == p->sid)
			return false;
	}
	return true;
}

/* tasklist_lock held: has group pgid a stopped thread? */
static bool pgrp_has_stopped(int pgid)
{
	struct task *p;

	for (p = all_tasks; p; p = p->all_next)
		if (p->mm && p->group_leader->pgid == pgid &&
		    READ_ONCE(p->sig.stopped))
			return true;
	return false;
}

void signal_orphaned_pgrp_locked(struct task *p, struct task *parent)
{
	struct k_siginfo info = { .code = SI_KERNEL };
	struct task *ignored = parent ? NULL : p;

	if (!parent)
		parent = p->parent;
	if (!parent || parent->pgid == p->pgid || parent->sid != p->sid ||
	    !pgrp_orphaned(p->pgid, ignored) || !pgrp_has_stopped(p->pgid))
		return;
	send_matching_locked(in_group, p->pgid, SIGHUP, &info);
	send_matching_locked(in_group, p->pgid, SIGCONT, &info);
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
		send_process_locked(child->parent, child->exit_signal, &info);
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
		send_process_locked(parent, SIGCHLD, &info);
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
		/* The fault's own siginfo, whatever an earlier one said. */
		pending_flush(&t->sig.pending, sigmask(sig));
		pending_add(&t->sig.pending, sig,
			    &(struct k_siginfo){ .code = code, .addr = addr }, NULL);
		WRITE_ONCE(t->sig.work, t->sig.work | sigmask(sig));
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
	while (t->sig.stopped && !(t->sig.pending.set & sigmask(SIGKILL))) {
		/* Under sig.lock, which the sender of SIGCONT takes first. */
		t->state = TASK_SLEEPING;
		spin_unlock_irqrestore(&t->sig.lock, *flags);
		schedule();
		*flags = spin_lock_irqsave(&t->sig.lock);
	}
	WRITE_ONCE(t->sig.stopped, false);
	if (!(t->sig.pending.set & sigmask(SIGKILL))) {
		spin_unlock_irqrestore(&t->sig.lock, *flags);
		process_job_notify(t, 0);
		*flags = spin_lock_irqsave(&t->sig.lock);
	}
}

/*
 * t->sig.lock held (dropped meanwhile): is t's process group orphaned?
 * Then a stop signal from the terminal (SIGTSTP, SIGTTIN, SIGTTOU) with
 * its default action is thrown away, as Linux: nobody could continue it.
 */
static bool stop_discarded(struct task *t, int sig, unsigned long *flags)
{
	unsigned long f;
	bool orphaned;

	if (sig == SIGSTOP)
		return false;
	spin_unlock_irqrestore(&t->sig.lock, *flags);
	f = spin_lock_irqsave(&tasklist_lock);
	orphaned = pgrp_orphaned(t->group_leader->pgid, NULL);
	spin_unlock_irqrestore(&tasklist_lock, f);
	*flags = spin_lock_irqsave(&t->sig.lock);
	return orphaned;
}

int signal_get(struct k_sigaction *ka, struct k_siginfo *info)
{
	struct task *t = current_task();
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	int sig;

	while ((sig = dequeue(t, ~t->sig.blocked, info))) {
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
			if (!stop_discarded(t, sig, &flags))
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

/*
 * tasklist_lock not held: process signals of set that t was picked for,
 * and now blocks, go to threads that do not (Linux's
 * retarget_shared_pending()).
 */
static void retarget(struct task *t, sigset_t set)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	shared_pick(t, set);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void signal_set_blocked(sigset_t set)
{
	struct task *t = current_task();
	struct thread_group *tg = shared_tg(t);
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	sigset_t newly = set & ~SIG_KERNEL_ONLY & ~t->sig.blocked, moved = 0;

	WRITE_ONCE(t->sig.blocked, set & ~SIG_KERNEL_ONLY);
	if (tg) {
		spin_lock(&tg->lock);
		moved = tg->shared.set & newly & t->sig.work;
		spin_unlock(&tg->lock);
	}
	recalc_work(t);
	spin_unlock_irqrestore(&t->sig.lock, flags);
	if (moved)
		retarget(t, moved);
}

void signal_thread_exit(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&t->sig.lock);
	struct thread_group *tg = shared_tg(t);
	sigset_t moved = 0;

	t->sig.exiting = true;
	/* SIGKILL stays: the rest of the exit path asks for it. */
	pending_flush(&t->sig.pending, ~sigmask(SIGKILL));
	if (tg) {
		spin_lock(&tg->lock);
		moved = t->sig.work & tg->shared.set;
		spin_unlock(&tg->lock);
	}
	WRITE_ONCE(t->sig.work, t->sig.pending.set);
	spin_unlock_irqrestore(&t->sig.lock, flags);
	if (moved)
		retarget(t, moved);
}

void signal_group_free(struct thread_group *tg)
{
	if (IS_ENABLED(CONFIG_THREADS))
		pending_flush(&tg->shared, ~0ULL);
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
			pending_flush(&o->sig.pending, sigmask(sig));
		spin_unlock(&o->sig.lock);
		if (ignore && shared_tg(o) && o == o->group_leader) {
			spin_lock(&o->tg->lock);
			pending_flush(&o->tg->shared, sigmask(sig));
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
	sigset_t set = (READ_ONCE(t->sig.pending.set) |
			(shared_tg(t) ? READ_ONCE(t->tg->shared.set) : 0)) &
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
		return send_matching(in_group, pid ? -pid : self->group_leader->pgid,
				     sig, &info);
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
