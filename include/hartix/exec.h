/* SPDX-License-Identifier: BSD-2-Clause */
/* User programs: loading an executable, user tasks, system calls. */
#ifndef HARTIX_EXEC_H
#define HARTIX_EXEC_H

#include <hartix/sched.h>
#include <hartix/types.h>
#include <asm/ptrace.h>
#include <abi/signal.h>

/* A user task's register frame: the top of its kernel stack. */
static inline struct pt_regs *task_user_regs(struct task *t)
{
	return (struct pt_regs *)(t->kstack + t->kstack_size - PT_SIZE);
}

/*
 * execve for the kernel's own callers (kernel strings): t, the caller or
 * a new task not yet started, runs the program at path (#! scripts and
 * dynamically linked programs included). 0, or a negative errno with t
 * unchanged and a reason in *why (-ENOEXEC for a bad executable).
 */
int exec_kernel(struct task *t, const char *path, const char *const *argv,
		const char *const *envp, const char **why);

/*
 * A new task running the executable, queued on cpu (-1: any), with pid
 * (INIT_PID for init; 0: the next one). NULL with *err and *why set when
 * the executable cannot run.
 */
struct task *user_task_spawn(const char *path, const char *const *argv,
			     int cpu, int pid, int *err, const char **why);

/*
 * The path of the program an address space runs (/proc/<pid>/exe):
 * shared by fork's copies, freed with the last reference.
 */
struct exe_path {
	unsigned long refs; /* atomic */
	struct inode *ino; /* the file, with a reference */
	char name[];
};

static inline struct exe_path *exe_path_get(struct exe_path *e)
{
	if (e)
		__atomic_add_fetch(&e->refs, 1, __ATOMIC_RELAXED);
	return e;
}

void exe_path_put(struct exe_path *e);
/*
 * ETXTBSY: mm's program is denied writes (deny: exec, fork) or allowed
 * them again (the last task on mm gone, or mm freed); once each way.
 */
void exe_deny_write(struct mm *mm, bool deny);

/* Ends the current task for a fault, naming it and where it happened. */
void __noreturn user_fault_kill(struct pt_regs *regs, const char *what, int sig);

/* A fork bomb runs into this (RLIMIT_NPROC-like, for everyone). */
#define MAX_PROCESSES 512

/*
 * The process tree (kernel/process.c). tasklist_lock protects it, the
 * list of every task (all_tasks, linked by all_next) and pgid/sid.
 */
extern spinlock_t tasklist_lock;
extern struct task *all_tasks;
/* Caller holds tasklist_lock: the task with this pid, or NULL. */
struct task *find_task(int pid);
void task_list_add(struct task *t);
void task_list_del(struct task *t);
void process_set_init(struct task *t);
/* Caller holds tasklist_lock: is t the init process (whatever its pid)? */
bool process_is_init(const struct task *t);
/*
 * Calls fn for every task under tasklist_lock (interrupts masked): fn only
 * copies what it needs, it must not sleep, allocate or take the lock.
 */
void task_for_each(void (*fn)(const struct task *t, void *arg), void *arg);
/*
 * Makes parent (a task the kernel started, e.g. a kernel thread) the
 * parent of t, so it can wait for it with process_wait().
 */
void process_set_parent(struct task *t, struct task *parent);
void process_exit(struct task *t);
/* Wakes t's parent's wait4(): t is a zombie, or stopped or continued. */
void process_notify_parent(struct task *t);
/* Wakes the wait of t's process's parent: t stopped or continued. */
void process_notify_job(struct task *t);
/* What clone() and clone3() ask for (kernel/fork.c checks it first). */
struct clone_req {
	u64 flags; /* CLONE_*, without the exit signal */
	int exit_signal; /* to the parent at exit; 0: none */
	unsigned long stack; /* the child's sp; 0: the parent's */
	unsigned long tls; /* CLONE_SETTLS: the child's tp */
	int *parent_tid, *child_tid; /* user words for the *_SETTID flags */
};
/* A copy of the current task as req asks; its tid, or -errno. */
long process_fork(struct pt_regs *regs, const struct clone_req *req);
long kernel_clone(const struct clone_req *req);
/* user_task_spawn(), clone: t leads a new thread group (-ENOMEM). */
int thread_group_new(struct task *t);
/* task_free(): t's references to its group and handlers. */
void thread_group_put(struct task *t);
/* Same handlers (CLONE_SIGHAND)? */
bool sighand_shared(const struct task *a, const struct task *b);
/* wait4, before freeing a dead process's leader: its other threads. */
void thread_group_reap(struct task *leader);
/* Ends the whole thread group (exit_group, fatal signals): code is its status. */
void __noreturn do_group_exit(int code);
/* process_exit(): t's mm loses a user, a vfork parent goes on. */
void thread_exit_release(struct task *t);
/*
 * exec, past the point of no return: t's other threads are killed and
 * reaped, t takes the leader's pid, and a descriptor table shared with
 * another process becomes t's own copy.
 */
void exec_de_thread(struct task *t);
/* exec_de_thread(), tasklist_lock held: t (not the leader) becomes the leader, with its pid. */
void process_take_leader(struct task *t);
/* exec: old (t's previous mm) loses a user and a reference. */
void exec_mm_release(struct task *t, struct mm *old);
/* One more task against MAX_PROCESSES (-EAGAIN at the limit), and back. */
int process_charge(void);
void process_uncharge(void);
/* clone: links child into its parent's process or thread group; -ERESTARTNOINTR if a signal came. */
long process_link(struct task *child, struct task *parent, u64 clone_flags);
void user_trampoline(void);
/* A new user task's first step (user_trampoline): CLONE_CHILD_SETTID. */
void clone_child_start(void);
/* A child's pid with its status (kernel/wait.c; options: WNOHANG, __WCLONE, __WALL), 0 (WNOHANG), or -errno. */
long process_wait(int pid, int *status, int options);
/*
 * Job control (kernel/wait.c), by t itself with no lock held: it stopped
 * for stopsig, or (stopsig 0) was continued; its parent's wait can report
 * it (WUNTRACED/WSTOPPED, WCONTINUED) and gets SIGCHLD.
 */
void process_job_notify(struct task *t, int stopsig);
int process_getppid(void);
/* Processes in the system (for sysinfo). */
unsigned int process_count(void);

/* What /proc shows of one task, copied under tasklist_lock. */
struct task_snapshot {
	int pid, ppid, pgid, sid;
	int tgid, nr_threads; /* its process, and that process's live threads */
	enum task_state state;
	unsigned int cpu; /* last ran on */
	char comm[TASK_COMM_LEN];
	u64 runtime_ticks, utime_ticks, min_flt, start_ns;
	struct mm *mm; /* holds a reference (mm_put() it); NULL: none or a zombie */
};
/*
 * tid 0: process tgid as a whole (times and faults of all its threads,
 * as Linux's /proc/<pid>/stat); else its thread tid alone (task/<tid>/),
 * of any process if tgid is 0 (pids are never reused, so a tid found
 * once names that thread). False if there is no such process or thread.
 */
bool process_snapshot(int tgid, int tid, struct task_snapshot *s);
/* The lowest tid >= from of a thread of process tgid that task/ lists, or -1. */
int process_next_thread(int tgid, int from);
/* The program pid runs, with a reference (exe_path_put() it); NULL: none or a zombie. */
struct exe_path *process_exe(int pid);
/* Thread names (/proc/<pid>/comm, prctl PR_SET_NAME): */
/* The process of thread tid as task/ lists it (a leader: its own pid), or -1. */
int process_tgid(int tid);
/* Names thread tid (name truncated): -ESRCH, or -EINVAL outside the caller's process. */
int process_set_comm(int tid, const char *name);
/* The calling thread's name, NUL-terminated. */
void process_get_comm(char comm[TASK_COMM_LEN]);
/* The lowest pid >= from that is in use, or -1. */
int process_next_pid(int from);
/* Tasks made since boot, and those running or runnable now. */
void process_counts(unsigned long *created, unsigned long *running);
/* exec: t's address space becomes mm; returns the old one (to mm_put()). */
struct mm *process_swap_mm(struct task *t, struct mm *mm);

/* Wait status encodings (Linux's). */
#define W_EXITCODE(code) (((code) & 0xff) << 8)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0)
#define WTERMSIG(s) ((s) & 0x7f)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)

#endif
