/* SPDX-License-Identifier: BSD-2-Clause */
/* The scheduler: per-CPU run queues, switching, idle harts in wfi, work stealing. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/futex.h>
#include <hartix/kernel.h>
#include <hartix/loadavg.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/softlockup.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/vmalloc.h>
#include <asm/csr.h>
#include <asm/irqflags.h>

/*
 * A run queue's lock protects its list, its count and the state, cpu and
 * queue links of the tasks on it. A task is queued only on a CPU its
 * cpus_allowed names (enqueue() picks one), so some hart that may run it
 * always looks at its queue. A task may be queued while its last hart is
 * still switching away from it (on_cpu set: a wake-up, or a move off a
 * CPU it may no longer use); no other hart takes it until that hart
 * cleared on_cpu after __switch_to saved it, so it never runs on two harts
 * at once, and no hart ever waits with interrupts masked for another one
 * that may be waiting for it.
 */
struct run_queue {
	spinlock_t lock;
	struct task *head; /* circular, FIFO */
	unsigned int nr;
};

static struct run_queue run_queues[NR_CPUS];
static struct kmem_cache *task_cache;
static int next_pid = INIT_PID + 1; /* INIT_PID is given only to init */

struct task *__switch_to(struct task *prev, struct task *next);
void kthread_trampoline(void);
void schedule_tail(struct task *prev);
void __noreturn kthread_main(void (*fn)(void *), void *arg);

static void rq_add(struct run_queue *rq, struct task *t)
{
	if (!rq->head) {
		t->rq_next = t->rq_prev = t;
		rq->head = t;
	} else {
		t->rq_next = rq->head;
		t->rq_prev = rq->head->rq_prev;
		rq->head->rq_prev->rq_next = t;
		rq->head->rq_prev = t;
	}
	rq->nr++;
}

static void rq_del(struct run_queue *rq, struct task *t)
{
	if (t->rq_next == t) {
		rq->head = NULL;
	} else {
		t->rq_prev->rq_next = t->rq_next;
		t->rq_next->rq_prev = t->rq_prev;
		if (rq->head == t)
			rq->head = t->rq_next;
	}
	rq->nr--;
}

/* cpus_allowed is one word, changed by sched_setaffinity() at any time. */
static bool may_run_on(const struct task *t, unsigned int cpu)
{
	return cpumask_test(&t->cpus_allowed, cpu);
}

/*
 * The first queued task cpu may run now, taken off the queue; rq locked.
 * Not one another hart is still switching away from (prev, this hart's
 * own, is fine: it continues).
 */
static struct task *rq_take(struct run_queue *rq, unsigned int cpu,
			    const struct task *prev)
{
	struct task *t = rq->head;
	unsigned int i;

	for (i = 0; i < rq->nr; i++, t = t->rq_next) {
		if (may_run_on(t, cpu) &&
		    (t == prev || !__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))) {
			rq_del(rq, t);
			return t;
		}
	}
	return NULL;
}

/*
 * k23's idea: a hart with nothing to run takes work from the other queues,
 * the busiest first. Every queue is tried: the busiest may hold only tasks
 * this hart may not run, while another holds one it may.
 */
static struct task *steal(unsigned int self)
{
	unsigned int cpu;
	u64 tried = 0;
	struct task *t = NULL;

	while (!t) {
		unsigned int best = self, most = 0;

		for_each_online_cpu(cpu) {
			unsigned int nr = READ_ONCE(run_queues[cpu].nr);

			if (cpu != self && !(tried & (1ULL << cpu)) && nr > most) {
				most = nr;
				best = cpu;
			}
		}
		if (best == self)
			return NULL;
		tried |= 1ULL << best;
		spin_lock(&run_queues[best].lock);
		t = rq_take(&run_queues[best], self, NULL);
		spin_unlock(&run_queues[best].lock);
	}
	return t;
}

/* Queued tasks plus the running one: an idle hart is 0. */
static unsigned int cpu_load(unsigned int cpu)
{
	return READ_ONCE(run_queues[cpu].nr) +
	       (READ_ONCE(cpus[cpu].current) != cpus[cpu].idle);
}

/*
 * Its last CPU if it may still run there, else the least loaded it may,
 * counting the task running there: a new thread goes to an idle hart,
 * not behind its creator on a queue idle harts do not steal from.
 */
static unsigned int select_cpu(const struct task *t, unsigned int last)
{
	unsigned int cpu, best = NR_CPUS;

	if (last < NR_CPUS && cpumask_test(&cpu_online_mask, last) &&
	    may_run_on(t, last))
		return last;
	for_each_online_cpu(cpu)
		if (may_run_on(t, cpu) &&
		    (best == NR_CPUS || cpu_load(cpu) < cpu_load(best)))
			best = cpu;
	/* sched_setaffinity() only allows online CPUs, which stay online. */
	return best < NR_CPUS ? best : smp_processor_id();
}

/* Queues t on a CPU it may run on and kicks that hart if it may be idle. */
static void enqueue(struct task *t)
{
	unsigned int last = READ_ONCE(t->cpu), cpu = select_cpu(t, last);
	unsigned int self = smp_processor_id();
	struct run_queue *rq = &run_queues[cpu];
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	t->state = TASK_RUNNABLE;
	t->cpu = cpu;
	t->sched_stamp = get_ticks();
	rq_add(rq, t);
	spin_unlock_irqrestore(&rq->lock, flags);
	if (cpu != self)
		smp_send_reschedule(cpu);
	/*
	 * Queued away from a hart that still holds it (its affinity changed):
	 * that hart may be waiting in its context (idle_in_place()) and must
	 * let it go before the new one can take it.
	 */
	if (IS_ENABLED(CONFIG_SCHED_IDLE_IN_PLACE) && last != cpu &&
	    last != self && last < NR_CPUS &&
	    __atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		smp_send_reschedule(last);
}

/*
 * In the task switched to, right after __switch_to: prev is saved, another
 * hart may take it. If it was queued over there meanwhile (moved off this
 * CPU by its affinity), that hart skipped it: kick it. Read before on_cpu
 * is cleared; after, prev may run, exit and be freed.
 */
static void finish_switch(struct task *prev)
{
	unsigned int cpu = READ_ONCE(prev->cpu);
	bool kick = READ_ONCE(prev->state) == TASK_RUNNABLE &&
		    cpu != smp_processor_id();

	__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	if (kick)
		smp_send_reschedule(cpu);
}

void schedule_tail(struct task *prev)
{
	finish_switch(prev);
	local_irq_enable();
}

/*
 * What each hart's idle task is about, for idle_in_place(): a task may wait
 * in place only while its hart's idle task has nothing to do (cpu_idle())
 * or waits to reap a task (task_reap(); it must run once that one is
 * reapable). Outside those, boot code and the in-kernel tests run as the
 * idle task and may be waiting for anything. Each written by its idle task.
 */
static bool idle_looping[NR_CPUS];
static struct task *idle_reaping[NR_CPUS];

static bool idle_may_wait(unsigned int cpu)
{
	return READ_ONCE(idle_looping[cpu]) || READ_ONCE(idle_reaping[cpu]);
}

/*
 * prev goes to sleep and this hart has nothing else to run: wait for an
 * interrupt here, on prev's stack, with the idle task as current (other
 * harts see this one idle and kick it; the tick counts idle time). prev
 * keeps on_cpu and its address space and FPU registers stay loaded, so
 * when its wake-up queues it here it continues without a switch either
 * way. Returns the task to run (prev, one queued here or stolen), or NULL
 * when prev was woken onto another hart's queue: then the caller switches
 * to the idle task, whose finish_switch() lets that hart have it.
 * Interrupts masked; prev's saved context (t->ctx) is stale meanwhile.
 */
static struct task *idle_in_place(struct cpu *cpu, struct task *prev)
{
	struct run_queue *rq = &run_queues[cpu->id];
	struct task *next = NULL;
	bool kicked = false;

	cpu->current = cpu->idle;
	cpu->preempt_count = &cpu->idle->preempt_count;
	for (;;) {
		if (READ_ONCE(rq->nr)) {
			spin_lock(&rq->lock);
			next = rq_take(rq, cpu->id, prev);
			spin_unlock(&rq->lock);
			if (next)
				break;
		}
		if (READ_ONCE(prev->state) != TASK_SLEEPING)
			break;
		/* The idle task's reap can go on (checked at each interrupt, as it does). */
		if (READ_ONCE(idle_reaping[cpu->id]) &&
		    task_reapable(idle_reaping[cpu->id]))
			break;
		/* The tick saw work elsewhere, or a kick: schedule() stole once. */
		if (kicked && (next = steal(cpu->id)))
			break;
		cpu_wait_for_interrupt();
		kicked = READ_ONCE(cpu->need_resched);
		WRITE_ONCE(cpu->need_resched, false);
	}
	cpu->current = prev;
	cpu->preempt_count = &prev->preempt_count;
	if (next == prev) {
		/*
		 * It did sleep: getrusage() counts it, and /proc/stat's ctxt
		 * the two switches Linux makes (to idle and back).
		 */
		prev->nvcsw++;
		cpu->context_switches += 2;
	}
	return next;
}

void schedule(void)
{
	/* Interrupts first: only then is this hart's struct cpu ours. */
	unsigned long flags = local_irq_save();
	struct cpu *cpu = this_cpu();
	struct task *prev = cpu->current, *next;
	struct run_queue *rq = &run_queues[cpu->id];
	bool moved = false;

	/* A lock holder that sleeps: a waiter on this hart spins forever. */
	if (IS_ENABLED(CONFIG_DEBUG_SCHED) && unlikely(preempt_count())) {
		pr_err("BUG: scheduling while atomic: %s/%d/0x%08x\n",
		       prev->comm, prev->pid, preempt_count());
		WARN_ON(1);
	}

	WRITE_ONCE(cpu->need_resched, false);
	/*
	 * Linux's signal_pending_state(): a task going to sleep with a signal
	 * pending stays awake, so every sleep of a user task is interruptible
	 * (sleeps recheck their condition). The fence pairs with the sender's
	 * (kernel/signal.c): it sees the sleep, or we see the signal.
	 */
	if (prev->state == TASK_SLEEPING) {
		enum task_state sleeping = TASK_SLEEPING;

		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (signal_pending(prev))
			__atomic_compare_exchange_n(&prev->state, &sleeping,
						    TASK_RUNNING, false,
						    __ATOMIC_ACQ_REL,
						    __ATOMIC_ACQUIRE);
	}
	touch_softlockup_watchdog();
	spin_lock(&rq->lock);
	if (prev->state == TASK_RUNNING && prev != cpu->idle) {
		if (may_run_on(prev, cpu->id)) {
			prev->state = TASK_RUNNABLE;
			prev->cpu = cpu->id;
			rq_add(rq, prev);
		} else {
			moved = true; /* its affinity changed: queued below */
		}
	}
	next = rq_take(rq, cpu->id, prev);
	spin_unlock(&rq->lock);
	/*
	 * Onto a CPU it may use (it sits there, skipped, until we saved it);
	 * this hart then runs something else, the idle task at least.
	 */
	if (moved)
		enqueue(prev);
	if (!next)
		next = steal(cpu->id);
	if (IS_ENABLED(CONFIG_SCHED_IDLE_IN_PLACE) && !next &&
	    prev->state == TASK_SLEEPING && prev != cpu->idle &&
	    idle_may_wait(cpu->id))
		next = idle_in_place(cpu, prev);
	if (!next)
		next = prev->state == TASK_RUNNING ? prev : cpu->idle;
	if (next == prev) {
		prev->state = TASK_RUNNING;
		/* A switch in, for the scans: see check_lost(). */
		prev->sched_stamp = get_ticks();
		/*
		 * A new slice: a task queued here later by an interrupt (a
		 * local wake-up sends no IPI) must get its turn when it ends.
		 */
		prev->slice_left = SCHED_SLICE_TICKS;
		local_irq_restore(flags);
		return;
	}
	/* getrusage's context switches: it went to sleep, or was preempted. */
	if (prev->state == TASK_SLEEPING || prev->state == TASK_ZOMBIE)
		prev->nvcsw++;
	else if (prev != cpu->idle)
		prev->nivcsw++;
	next->on_cpu = 1; /* rq_take() saw it 0: saved, and nobody else's */
	next->state = TASK_RUNNING;
	next->sched_stamp = prev->sched_stamp = get_ticks();
	next->cpu = cpu->id;
	next->slice_left = SCHED_SLICE_TICKS;
	cpu->current = next;
	cpu->preempt_count = &next->preempt_count;
	cpu->context_switches++;
	/*
	 * Trap entry checks sp against these: from here to the switch nothing
	 * traps (interrupts are masked), after it we are on next's stack.
	 */
	cpu->stack_lo = next->kstack;
	cpu->stack_hi = next->kstack + next->kstack_size;
	/*
	 * The address space each task had active when it switched out: exec
	 * loads the new image into an mm that is not yet task->mm. None for
	 * a task that only borrowed the hart's (lazy TLB): a task with none
	 * of its own keeps what is loaded, so idle and back to the same
	 * process writes satp neither way.
	 */
	prev->active_mm = cpu->mm_lazy ? NULL : cpu->mm;
	if (next->active_mm || !IS_ENABLED(CONFIG_LAZY_TLB)) {
		if (next->active_mm != cpu->mm)
			mm_activate(next->active_mm);
		cpu->mm_lazy = false;
	} else if (cpu->mm) {
		cpu->mm_lazy = true;
	}
	fpu_switch(prev, next);
	prev = __switch_to(prev, next);
	/* Back in this task (maybe on another hart): finish the switch. */
	finish_switch(prev);
	local_irq_restore(flags);
}

/*
 * For the scheduler checks: 1 if rq holds t, 0 if not, -1 if its lock was
 * busy (they run with other locks held and must not wait for this one).
 */
static int rq_holds(struct run_queue *rq, const struct task *t)
{
	struct task *q;
	int found = 0;

	if (!spin_trylock(&rq->lock))
		return -1;
	q = rq->head;
	for (unsigned int i = 0; i < rq->nr && !found; i++, q = q->rq_next)
		found = q == t;
	spin_unlock(&rq->lock);
	return found;
}

int sched_task_placed(struct task *t)
{
	enum task_state state = READ_ONCE(t->state);
	unsigned int cpu;

	if (state == TASK_RUNNING) {
		for_each_online_cpu(cpu)
			if (READ_ONCE(cpus[cpu].current) == t)
				return 1;
		return 0;
	}
	if (state != TASK_RUNNABLE)
		return 1;
	cpu = READ_ONCE(t->cpu);
	return rq_holds(&run_queues[cpu < NR_CPUS ? cpu : 0], t);
}

/*
 * The lost-task report's second half: each hart's current task and queue,
 * and which queue holds t, read as they are now (no lock waited for).
 */
void sched_show_placement(const struct task *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct run_queue *rq = &run_queues[cpu];
		struct task *cur = READ_ONCE(cpus[cpu].current);
		int queued = rq_holds(rq, t);

		pr_err("  cpu%u: running %s/%d, %u queued%s\n", cpu, cur->comm,
		       cur->pid, READ_ONCE(rq->nr),
		       queued > 0 ? ", it among them" :
		       queued < 0 ? " (queue locked)" : "");
	}
}

void yield(void)
{
	schedule();
}

static bool irqs_enabled(void)
{
	return csr_read(CSR_SSTATUS) & SR_SIE;
}

/*
 * Interrupts masked, preemption count 0: switches while this hart is due
 * one. Not a task on its way to sleep (it calls schedule() itself, and
 * switched out now it would sleep with no wake-up coming), nor idle.
 */
static void preempt_now(void)
{
	for (;;) {
		struct cpu *cpu = this_cpu(); /* again: maybe another hart */
		struct task *t = cpu->current;

		if (!READ_ONCE(cpu->need_resched) || !t || t == cpu->idle ||
		    READ_ONCE(t->state) != TASK_RUNNING)
			return;
		schedule();
	}
}

void preempt_schedule(void)
{
	unsigned long flags;

	/* Masked: the interrupt (or preempt_enable()) after unmasking does it. */
	if (!irqs_enabled())
		return;
	flags = local_irq_save();
	if (!preempt_count())
		preempt_now();
	local_irq_restore(flags);
}

void preempt_schedule_irq(void)
{
	if (!preempt_count())
		preempt_now();
}

/* Work this hart could run: its own queue, or one with tasks to spare. */
static bool work_available(unsigned int self)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (READ_ONCE(run_queues[cpu].nr) > (cpu == self ? 0U : 1U))
			return true;
	return false;
}

void sched_tick(void)
{
	struct cpu *cpu = this_cpu();
	struct task *t = cpu->current;

	loadavg_tick();
	if (!t || t == cpu->idle) {
		cpu->idle_ticks++;
		if (work_available(cpu->id))
			WRITE_ONCE(cpu->need_resched, true);
		return;
	}
	t->runtime_ticks++;
	if (cpu->tick_from_user) {
		cpu->user_ticks++;
		t->utime_ticks++;
	} else {
		cpu->system_ticks++;
	}
	task_time_tick(t, cpu->tick_from_user);
	if (t->slice_left && --t->slice_left == 0)
		WRITE_ONCE(cpu->need_resched, true);
}

unsigned long sched_nr_active(void)
{
	unsigned long n = 0;
	unsigned int c;

	for_each_online_cpu(c) {
		struct task *cur = READ_ONCE(cpus[c].current);

		n += READ_ONCE(run_queues[c].nr) + (cur && cur != cpus[c].idle);
	}
	return n;
}

int sched_last_pid(void)
{
	return READ_ONCE(next_pid) - 1;
}

struct task *task_alloc(const char *name, int pid)
{
	struct task *t = kmem_cache_alloc(task_cache, __GFP_ZERO);

	if (!t)
		return NULL;
	t->kstack = (unsigned long)vmalloc(KERNEL_STACK_SIZE);
	t->kstack_size = KERNEL_STACK_SIZE;
	if (!t->kstack) {
		kmem_cache_free(task_cache, t);
		return NULL;
	}
	t->pid = pid ? pid : __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
	t->tgid = t->pid;
	t->group_leader = t; /* a thread's clone() sets its group's */
	t->start_ns = ktime_get_ns();
	strscpy(t->comm, name, sizeof(t->comm));
	t->cpus_allowed = cpu_online_mask;
	task_list_add(t);
	return t;
}

void task_free(struct task *t)
{
	task_list_del(t);
	thread_group_put(t);
	if (t->mm)
		mm_put(t->mm);
	vfree((void *)t->kstack);
	kmem_cache_free(task_cache, t);
}

void __noreturn kthread_main(void (*fn)(void *), void *arg)
{
	fn(arg);
	task_exit(0);
}

void task_start(struct task *t, int cpu)
{
	t->active_mm = t->mm;
	if (cpu >= 0) {
		t->cpus_allowed = (cpumask_t){ 1ULL << cpu };
		t->cpu = (unsigned int)cpu;
	} else {
		t->cpu = select_cpu(t, NR_CPUS); /* the least loaded */
	}
	enqueue(t);
}

struct task *kthread_run(void (*fn)(void *arg), void *arg, const char *name,
			 int cpu)
{
	struct task *t = task_alloc(name, 0);

	if (!t)
		return NULL;
	t->ctx.ra = (unsigned long)kthread_trampoline;
	t->ctx.sp = t->kstack + KERNEL_STACK_SIZE;
	t->ctx.s[0] = (unsigned long)fn;
	t->ctx.s[1] = (unsigned long)arg;
	task_start(t, cpu);
	return t;
}

void task_exit(int code)
{
	struct task *t = current_task();

	t->exit_code = code; /* for the parent's SIGCHLD */
	if (t->mm)
		futex_exit_release(t); /* needs its memory: before process_exit() */
	process_exit(t);
	local_irq_disable();
	__atomic_store_n(&t->state, TASK_ZOMBIE, __ATOMIC_RELEASE);
	/* Only now: a parent woken before would find no zombie and sleep on. */
	process_notify_parent(t);
	schedule();
	BUG(); /* a zombie is never picked again */
}

bool task_reapable(struct task *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == TASK_ZOMBIE &&
	       !__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&t->child_wakers, __ATOMIC_ACQUIRE);
}

int task_reap(struct task *t)
{
	struct cpu *self = this_cpu();
	/* Only an idle task is its hart's idle: it never leaves the hart. */
	bool idle = current_task() == self->idle;
	int code;

	if (idle)
		WRITE_ONCE(idle_reaping[self->id], t);
	while (!task_reapable(t)) {
		struct cpu *cpu;

		yield();
		/* The idle task cannot sleep: with nothing to run, wait in wfi. */
		local_irq_disable();
		cpu = this_cpu(); /* after yield(): maybe another hart */
		if (cpu->current == cpu->idle && !task_reapable(t) &&
		    !READ_ONCE(run_queues[cpu->id].nr))
			cpu_wait_for_interrupt();
		local_irq_enable();
	}
	if (idle)
		WRITE_ONCE(idle_reaping[self->id], NULL);
	code = t->exit_code;
	task_free(t);
	return code;
}

/* wq->lock held. */
static void entry_link(struct wait_queue *wq, struct wait_entry *e)
{
	e->next = wq->head;
	if (e->next)
		e->next->pprev = &e->next;
	e->pprev = &wq->head;
	wq->head = e;
}

/* wq->lock held: takes e off the queue if it is still on it. */
static void entry_unlink(struct wait_entry *e)
{
	if (!e->pprev)
		return;
	*e->pprev = e->next;
	if (e->next)
		e->next->pprev = e->pprev;
	e->pprev = NULL;
}

/*
 * The owner looks at its condition after this returns: the fence orders the
 * entry's link before those loads (see wake_up()).
 */
void wait_entry_add(struct wait_queue *wq, struct wait_entry *e)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	entry_link(wq, e);
	spin_unlock_irqrestore(&wq->lock, flags);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void wait_entry_del(struct wait_queue *wq, struct wait_entry *e)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	entry_unlink(e);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* A task in wait_event(): its entry lives on its stack. */
struct task_wait {
	struct wait_entry entry;
	struct task *task;
};

/* Woken tasks leave the queue at once: the next wake_up() skips them. */
static void task_wake(struct wait_entry *e)
{
	entry_unlink(e);
	wake_up_task(container_of(e, struct task_wait, entry)->task);
}

/*
 * The entry is queued before each look at cond, with a full fence between
 * (paired with wake_up()'s): a waker that changes the condition after the
 * look finds the entry. Queued first, not after a first look, because
 * cond may be costly (wait4's scan of the children) and callers mostly
 * sleep: they looked themselves before calling.
 */
void wait_event(struct wait_queue *wq, bool (*cond)(void *arg), void *arg)
{
	struct task_wait w = { { NULL, NULL, task_wake }, current_task() };
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	for (;;) {
		entry_link(wq, &w.entry);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (cond(arg))
			break;
		w.task->state = TASK_SLEEPING;
		spin_unlock_irqrestore(&wq->lock, flags);
		schedule();
		flags = spin_lock_irqsave(&wq->lock);
		/* Woken by a signal, not wake_up(): still queued. */
		entry_unlink(&w.entry);
	}
	entry_unlink(&w.entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/*
 * An empty queue is left without its lock (Linux's wq_has_sleeper()): the
 * fence orders the caller's change of the condition before the look at
 * the list, and every waiter queues itself, fences and only then looks at
 * the condition (wait_event(), wait_entry_add()), so one of the two sees
 * the other. Under the lock: a task a signal woke may run meanwhile, but
 * it takes the lock to leave the queue, so its entry stays put while we
 * walk. An entry's func may unlink it: its successor is read first.
 */
void wake_up(struct wait_queue *wq)
{
	unsigned long flags;
	struct wait_entry *e, *next;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!READ_ONCE(wq->head))
		return;
	flags = spin_lock_irqsave(&wq->lock);
	for (e = wq->head; e; e = next) {
		next = e->next;
		e->func(e);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

bool wake_up_task(struct task *t)
{
	enum task_state sleeping = TASK_SLEEPING;

	/* It may not have left its hart yet: the on_cpu handshake covers it. */
	if (!__atomic_compare_exchange_n(&t->state, &sleeping, TASK_RUNNABLE,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return false;
	enqueue(t);
	return true;
}

static struct task idle_tasks[NR_CPUS];

void sched_cpu_init(void)
{
	struct cpu *cpu = this_cpu();
	struct task *idle = &idle_tasks[cpu->id];

	/* The idle task runs on the stack this hart booted on. */
	idle->kstack = cpu->stack_lo;
	idle->kstack_size = cpu->stack_hi - cpu->stack_lo;
	idle->state = TASK_RUNNING;
	idle->on_cpu = 1;
	idle->preempt_count = cpu->boot_preempt;
	cpu->preempt_count = &idle->preempt_count;
	idle->cpu = cpu->id;
	idle->pid = 0;
	strscpy(idle->comm, "idle", sizeof(idle->comm));
	cpu->idle = idle;
	cpu->current = idle;
}

void sched_init(void)
{
	task_cache = kmem_cache_create("task", sizeof(struct task), 16);
	if (!task_cache)
		panic("sched: cannot create the task cache");
	sched_cpu_init();
}

void cpu_idle(void)
{
	struct cpu *cpu = this_cpu();

	WRITE_ONCE(idle_looping[cpu->id], true);
	for (;;) {
		local_irq_disable();
		if (READ_ONCE(cpu->need_resched) ||
		    READ_ONCE(run_queues[cpu->id].nr)) {
			local_irq_enable();
			schedule();
			continue;
		}
		/* Wake-ups and the tick's work check set need_resched. */
		cpu_wait_for_interrupt();
		local_irq_enable();
	}
}
