/* The scheduler: per-CPU run queues, switching, idle harts in wfi, work stealing. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/softlockup.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/vmalloc.h>
#include <asm/irqflags.h>

BUILD_BUG_ON(__builtin_offsetof(struct task_context, sp) != 8);
BUILD_BUG_ON(__builtin_offsetof(struct task_context, s) != 16);

/*
 * A run queue's lock protects its list, its count and the state, cpu and
 * queue links of the tasks on it. A task is handed between harts only
 * after its previous hart cleared on_cpu (after __switch_to saved it), so
 * a stolen or woken task never runs on two harts at once.
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

/* The first queued task allowed on cpu, taken off the queue; rq locked. */
static struct task *rq_take(struct run_queue *rq, unsigned int cpu)
{
	struct task *t = rq->head;
	unsigned int i;

	for (i = 0; i < rq->nr; i++, t = t->rq_next) {
		if (cpumask_test(&t->cpus_allowed, cpu)) {
			rq_del(rq, t);
			return t;
		}
	}
	return NULL;
}

/* k23's idea: an idle hart takes work from the busiest other queue. */
static struct task *steal(unsigned int self)
{
	unsigned int cpu, best = self, most = 0;
	struct task *t = NULL;

	for_each_online_cpu(cpu) {
		unsigned int nr = READ_ONCE(run_queues[cpu].nr);

		if (cpu != self && nr > most) {
			most = nr;
			best = cpu;
		}
	}
	if (best == self)
		return NULL;
	spin_lock(&run_queues[best].lock);
	t = rq_take(&run_queues[best], self);
	spin_unlock(&run_queues[best].lock);
	return t;
}

/* Queues t on its CPU and kicks that hart if it may be idle. */
static void enqueue(struct task *t)
{
	struct run_queue *rq = &run_queues[t->cpu];
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	t->state = TASK_RUNNABLE;
	rq_add(rq, t);
	spin_unlock_irqrestore(&rq->lock, flags);
	if (t->cpu != smp_processor_id())
		smp_send_reschedule(t->cpu);
}

/* Runs in the new task right after __switch_to: prev is off this hart now. */
void schedule_tail(struct task *prev)
{
	__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	local_irq_enable();
}

void schedule(void)
{
	struct cpu *cpu = this_cpu();
	struct task *prev = cpu->current, *next;
	struct run_queue *rq = &run_queues[cpu->id];
	unsigned long flags = local_irq_save();

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
	if (prev->state == TASK_RUNNING && prev != cpu->idle &&
	    cpumask_test(&prev->cpus_allowed, cpu->id)) {
		prev->state = TASK_RUNNABLE;
		prev->cpu = cpu->id;
		rq_add(rq, prev);
	}
	next = rq_take(rq, cpu->id);
	spin_unlock(&rq->lock);
	if (!next)
		next = steal(cpu->id);
	if (!next)
		next = prev->state == TASK_RUNNING ? prev : cpu->idle;
	if (next == prev) {
		prev->state = TASK_RUNNING;
		/*
		 * A new slice: a task queued here later by an interrupt (a
		 * local wake-up sends no IPI) must get its turn when it ends.
		 */
		prev->slice_left = SCHED_SLICE_TICKS;
		local_irq_restore(flags);
		return;
	}
	/* Its last hart may still be saving it. */
	while (__atomic_load_n(&next->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	next->on_cpu = 1;
	next->state = TASK_RUNNING;
	next->cpu = cpu->id;
	next->slice_left = SCHED_SLICE_TICKS;
	cpu->current = next;
	cpu->context_switches++;
	/*
	 * Trap entry checks sp against these: from here to the switch nothing
	 * traps (interrupts are masked), after it we are on next's stack.
	 */
	cpu->stack_lo = next->kstack;
	cpu->stack_hi = next->kstack + next->kstack_size;
	if (next->mm != prev->mm)
		mm_activate(next->mm);
	fpu_switch(prev, next);
	prev = __switch_to(prev, next);
	/* Back in this task (maybe on another hart): finish the switch. */
	__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	local_irq_restore(flags);
}

void yield(void)
{
	schedule();
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
	if (t->slice_left && --t->slice_left == 0)
		WRITE_ONCE(cpu->need_resched, true);
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
	t->start_ns = ktime_get_ns();
	strscpy(t->comm, name, sizeof(t->comm));
	t->cpus_allowed = cpu_online_mask;
	task_list_add(t);
	return t;
}

void task_free(struct task *t)
{
	task_list_del(t);
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

/* Spreads new work over the least loaded online CPU. */
static unsigned int pick_cpu(void)
{
	unsigned int cpu, best = smp_processor_id();

	for_each_online_cpu(cpu)
		if (READ_ONCE(run_queues[cpu].nr) <
		    READ_ONCE(run_queues[best].nr))
			best = cpu;
	return best;
}

void task_start(struct task *t, int cpu)
{
	if (cpu >= 0) {
		t->cpus_allowed = (cpumask_t){ 1ULL << cpu };
		t->cpu = (unsigned int)cpu;
	} else {
		t->cpu = pick_cpu();
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
	process_exit(t);
	local_irq_disable();
	__atomic_store_n(&t->state, TASK_ZOMBIE, __ATOMIC_RELEASE);
	/* Only now: a parent woken before would find no zombie and sleep on. */
	process_notify_parent(t);
	schedule();
	BUG(); /* a zombie is never picked again */
}

static bool reapable(struct task *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == TASK_ZOMBIE &&
	       !__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&t->child_wakers, __ATOMIC_ACQUIRE);
}

int task_reap(struct task *t)
{
	int code;

	while (!reapable(t)) {
		struct cpu *cpu;

		yield();
		/* The idle task cannot sleep: with nothing to run, wait in wfi. */
		local_irq_disable();
		cpu = this_cpu(); /* after yield(): maybe another hart */
		if (cpu->current == cpu->idle && !reapable(t) &&
		    !READ_ONCE(run_queues[cpu->id].nr))
			cpu_wait_for_interrupt();
		local_irq_enable();
	}
	code = t->exit_code;
	task_free(t);
	return code;
}

/* wq->lock held: takes t off the queue if it is still on it. */
static void wait_unlink(struct wait_queue *wq, struct task *t)
{
	struct task **p;

	for (p = &wq->head; *p; p = &(*p)->wait_next)
		if (*p == t) {
			*p = t->wait_next;
			return;
		}
}

void wait_event(struct wait_queue *wq, bool (*cond)(void *arg), void *arg)
{
	struct task *t = current_task();
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	while (!cond(arg)) {
		t->state = TASK_SLEEPING;
		t->wait_next = wq->head;
		wq->head = t;
		spin_unlock_irqrestore(&wq->lock, flags);
		schedule();
		flags = spin_lock_irqsave(&wq->lock);
		/* Woken by a signal, not wake_up(): still queued. */
		wait_unlink(wq, t);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

/*
 * Under the lock: a task a signal woke may run meanwhile, but it takes the
 * lock to leave the queue, so its wait_next stays put while we walk.
 */
void wake_up(struct wait_queue *wq)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);
	struct task *t;

	for (t = wq->head; t; t = t->wait_next)
		wake_up_task(t);
	wq->head = NULL;
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
