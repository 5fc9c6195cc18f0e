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
 * Replaces t's address space with the static ELF in image and sets its
 * user registers to start it with Linux's initial stack. 0, or a negative
 * errno with a reason in *why (-ENOEXEC for a bad executable).
 */
int exec_image(struct task *t, const void *image, size_t size,
	       const char *path, const char *const *argv,
	       const char *const *envp, const char **why);
/*
 * The same for the executable file at path, read piece by piece: only
 * the headers and the segments' file bytes, never the whole file.
 * -ENOENT, -EACCES and the like from the lookup as well.
 */
int exec_file(struct task *t, const char *path, const char *const *argv,
	      const char *const *envp, const char **why);

/*
 * A new task running the executable, queued on cpu (-1: any), with pid
 * (INIT_PID for init; 0: the next one). NULL with *err and *why set when
 * the executable cannot run.
 */
struct task *user_task_spawn(const void *image, size_t size, const char *path,
			     const char *const *argv, int cpu, int pid,
			     int *err, const char **why);

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
/* Wakes t's parent's wait4(); t must be a zombie already. */
void process_notify_parent(struct task *t);
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
/* wait4: a child's pid with its status, 0 (WNOHANG), or -errno. */
long process_wait(int pid, int *status, int options);
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
/* False if there is no task pid. */
bool process_snapshot(int pid, struct task_snapshot *s);
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
