/* SPDX-License-Identifier: BSD-2-Clause */
/* Tasks and the scheduler: per-CPU run queues, idle harts in wfi, work stealing. */
#ifndef HARTIX_SCHED_H
#define HARTIX_SCHED_H

#include <hartix/cpumask.h>
#include <hartix/resource.h>
#include <hartix/signal_types.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/task_time.h>
#include <hartix/types.h>
#include <asm/fpu.h>

/* Callee-saved state of a task switched out in __switch_to (switch.S). */
struct task_context {
	unsigned long ra, sp;
	unsigned long s[12];
};

enum task_state {
	TASK_RUNNING, /* on a CPU */
	TASK_RUNNABLE, /* on a run queue */
	TASK_SLEEPING, /* waiting for wake_up_task() */
	TASK_ZOMBIE, /* exited, waiting to be reaped */
};

#define TASK_COMM_LEN 16

struct files;

/*
 * Sleeping: a wait queue is a list of entries, each a task asleep in
 * wait_event() or a poll table's entry for one file (fs/select.c).
 * wq->lock protects the list and every entry's links; wake_up() calls each
 * entry's func with it held (interrupts masked), so an entry may be freed
 * as soon as its owner has taken it off the queue under that lock.
 */
struct wait_entry {
	struct wait_entry *next, **pprev; /* pprev NULL: on no queue */
	void (*func)(struct wait_entry *e);
};

struct wait_queue {
	spinlock_t lock;
	struct wait_entry *head;
};

#define WAIT_QUEUE_INIT { SPINLOCK_UNLOCKED, NULL }

struct task {
	struct task_context ctx;
	unsigned long kstack; /* vmalloc'd, guard page below */
	unsigned long kstack_size;
	enum task_state state;
	int on_cpu; /* 1 from picking until its context is saved */
	int preempt_count; /* include/hartix/preempt.h; only it changes it */
	unsigned int cpu; /* run queue it is on or last ran on */
	cpumask_t cpus_allowed;
	struct task *rq_next, *rq_prev;
	int pid;
	char comm[TASK_COMM_LEN];
	u64 runtime_ticks; /* ticks it was running at */
	u64 utime_ticks; /* of those, ticks that found it in user mode */
	u64 min_flt; /* page faults from user mode it recovered from */
	u64 start_ns; /* ktime_get_ns() when it was made */
	/*
	 * Time-CSR tick it was last queued, switched in or switched out (0:
	 * never started); the hung-task scan's "runnable since".
	 */
	u64 sched_stamp;
	u64 hung_reported; /* sched_stamp when the scan last reported it */
	u8 lost_scans; /* scans in a row that found it runnable on no queue */
	/*
	 * DEBUG_SCHED's lost-task scan and the hung-task scan (tasklist_lock):
	 * the sched_stamp the last scan found it on no queue and no CPU with,
	 * and waiting past the limit with; 0 if it did not.
	 */
	u64 lost_seen, hung_seen;
	unsigned int slice_left; /* ticks until preemption */
	int exit_code;
	void (*fn)(void *arg); /* kernel thread body */
	void *arg;
	struct mm *mm;
	struct mm *active_mm; /* in satp when it last switched out (schedule()) */
	struct files *files; /* descriptor table (include/hartix/fs.h); NULL in kernel threads */

	/* The process tree, under tasklist_lock (kernel/process.c). */
	struct task *parent; /* NULL: started by the kernel, which reaps it */
	struct task *children, *sibling;
	struct task *all_next; /* every task, for lookups by pid */
	struct wait_queue child_exit; /* a child became a zombie */
	int child_wakers; /* children waking child_exit now (kernel/process.c); atomic */
	int pgid, sid; /* process group and session, under tasklist_lock */
	struct sig_state sig; /* kernel/signal.c */
	struct fpu_state fp; /* user FP registers (arch fpu.c) */

	/*
	 * Threads (kernel/fork.c). set_child_tid: CLONE_CHILD_SETTID's user
	 * word, written with the tid when the child first runs, then NULL.
	 * clear_child_tid: CLONE_CHILD_CLEARTID's or set_tid_address()'s
	 * user word, zeroed and futex-woken when the thread exits. Only the
	 * task itself reads or writes them (and clone before it starts).
	 * exit_signal: sent to the parent at exit (0: none).
	 * tgid, group_leader and tg are set before the task starts and never
	 * change; thread_next (the group's list, tg->threads) is under
	 * tasklist_lock. sighand: the token tasks sharing their handlers
	 * (CLONE_SIGHAND) have in common. vfork: the parent's wait, until
	 * this task execs or exits (CLONE_VFORK).
	 */
	int *set_child_tid, *clear_child_tid;
	int exit_signal;
	int tgid; /* the process id: its first thread's pid */
	struct task *group_leader; /* that first thread */
	struct thread_group *tg; /* NULL in kernel threads */
	struct task *thread_next;
	struct sighand *sighand;
	struct vfork_wait *vfork;
	/* Robust futexes (kernel/futex.c): set_robust_list()'s head, 0 if none. */
	unsigned long robust_list;

	/* Time, resource use and timers (kernel/time/, include/hartix/task_time.h). */
	u64 nvcsw, nivcsw; /* switched out asleep, or while still runnable */
	unsigned long maxrss; /* pages: the most its mm was seen holding */
	struct child_usage cusage; /* reaped children's, under tasklist_lock */
	struct task_timers timers;
	/* sigaltstack (kernel/sigaltstack.c): only the task itself uses it. */
	unsigned long sas_sp, sas_size;
	int sas_flags; /* SS_DISABLE, or 0 */
	/* wait4/waitid: a stop or continue the parent has not yet collected (under tasklist_lock). */
	u8 wait_report; /* WREPORT_* (kernel/process.c) */
	u8 stop_sig; /* the signal that stopped it */
	/*
	 * A leader's: its process has ended and the parent was sent its exit
	 * signal, in one tasklist_lock section (kernel/process.c), so a wait
	 * after that signal always finds it, even while its last thread is
	 * still on its way off the hart. Under tasklist_lock.
	 */
	bool process_ended;
	/*
	 * copy_from_user_nofault() (mm/uaccess.c): a fault on user memory is
	 * not resolved, the copy ends short. Only the task itself uses it.
	 */
	bool pagefault_disabled;
};

/*
 * What the threads of one process share (Linux's signal_struct), under
 * tasklist_lock; shared under lock, which nests
 * inside the threads' sig.lock. refs counts the tasks pointing here.
 */
struct thread_group {
	int refs; /* atomic */
	int live; /* threads that have not exited */
	bool group_exit; /* exit_group() or a fatal signal ended it */
	int group_exit_code;
	struct task *exec_task; /* execve() is ending the other threads */
	struct task *threads; /* every thread, zombies too, until freed */
	spinlock_t lock;
	/* Signals to the process, until a thread takes them (kernel/signal.c). */
	struct sigpending shared;
	/*
	 * Resource limits (kernel/resource.c, RLIMIT_*): the creator's at
	 * fork, kept by exec; written under tasklist_lock, read without it.
	 */
	struct rlimit64 rlim[RLIM_NLIMITS];
	/*
	 * CPU time of the whole process (kernel/time/cputime.c): every
	 * thread's scheduler ticks (atomic), and the other counts of threads
	 * already freed (under tasklist_lock).
	 */
	u64 runtime_ticks, utime_ticks;
	struct child_usage freed;
};

#define KERNEL_STACK_SIZE (16 * 1024)
#define SCHED_SLICE_TICKS 5

/* The task running on this hart. */
static inline struct task *current_task(void)
{
	return this_cpu_read(current);
}

/* Boot: the scheduler structures, and the boot hart's idle task. */
void sched_init(void);
/* Each hart, once it is online: its idle task and run queue. */
void sched_cpu_init(void);
/* The idle loop of this hart: runs queued tasks, else waits in wfi. */
void __noreturn cpu_idle(void);

/*
 * A kernel thread running fn(arg), queued on cpu (or any CPU if cpu is
 * -1); when fn returns the thread exits. NULL when out of memory.
 */
struct task *kthread_run(void (*fn)(void *arg), void *arg, const char *name,
			 int cpu);

/* Init's pid, as on Linux: no other task ever gets it. */
#define INIT_PID 1

/*
 * A task with a kernel stack and a pid (pid, or the next one when 0), not
 * yet started; task_free() undoes it.
 */
struct task *task_alloc(const char *name, int pid);
void task_free(struct task *t);
/* Queues a prepared task on cpu (-1: the least loaded). */
void task_start(struct task *t, int cpu);

/* Pick another task if there is one; the caller goes back on the queue. */
void schedule(void);
void yield(void);
/* Ends the current task; it becomes a zombie until task_reap(). */
void __noreturn task_exit(int code);
/* t is a zombie off every CPU: task_reap() would not wait. */
bool task_reapable(struct task *t);
/* Waits until t is a zombie off every CPU, frees it, returns its code. */
int task_reap(struct task *t);


/*
 * Sleeps until cond(arg) is true; cond is checked with wq->lock held, once
 * more after queuing, and wake_up() of a non-empty queue takes the lock, so
 * no wake-up is lost between check and sleep (kernel/sched/core.c).
 */
void wait_event(struct wait_queue *wq, bool (*cond)(void *arg), void *arg);
void wake_up(struct wait_queue *wq);
/* Queue or unqueue an entry of one's own (poll tables); they take wq->lock. */
void wait_entry_add(struct wait_queue *wq, struct wait_entry *e);
void wait_entry_del(struct wait_queue *wq, struct wait_entry *e);
/* Makes a sleeping task runnable again; false if it was not sleeping. */
bool wake_up_task(struct task *t);

/* Timer tick: accounts the running task, asks for preemption. */
void sched_tick(void);

/*
 * For the scheduler checks (kernel/hung_task.c), tasklist_lock held,
 * interrupts masked: 1 if t is where its state says (running on a hart,
 * or on a run queue, or not the scheduler's: asleep, a zombie), 0 if not,
 * -1 if its run queue's lock was busy.
 */
int sched_task_placed(struct task *t);
void sched_show_placement(const struct task *t);

#endif
