/* User tasks: starting one from an executable, and ending one that faulted. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/string.h>

void user_trampoline(void);

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
	*err = exec_image(t, image, size, path, argv, envp, why);
	if (*err) {
		task_free(t);
		return NULL;
	}
	t->console_fds = 0x7; /* stdin, stdout, stderr */
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
