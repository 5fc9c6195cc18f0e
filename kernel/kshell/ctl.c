/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel shell commands that act: run, kill, ktest, bt, panic, fault, reboot, poweroff. */
#include <hartix/cmdline.h>
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/ktest.h>
#include <hartix/printk.h>
#include <hartix/reboot.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <abi/wait.h>
#include <hartix/smp.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <hartix/timer.h>
#include <hartix/vmalloc.h>
#include "kshell.h"

#define BT_TIMEOUT_MS 1000

static void report_status(const char *path, int pid, int status)
{
	if (WIFSIGNALED(status))
		kshell_printf("run: %s (pid %d) was killed by signal %d\n", path,
			      pid, WTERMSIG(status));
	else
		kshell_printf("run: %s (pid %d) exited with status %d\n", path,
			      pid, WEXITSTATUS(status));
}

/*
 * The program is the shell thread's child: it waits for it like a parent,
 * looking at the keyboard in between so Ctrl-C can stop it. The program
 * reads nothing from the console while the shell owns it.
 */
static int cmd_run(int argc, char **argv)
{
	const char *why = "";
	int err, status, pid;
	struct task *t;
	void *image;
	size_t size;
	long ret;

	err = fs_read_file(argv[1], &image, &size);
	if (err) {
		kshell_printf("run: %s: %s (error %d)\n", argv[1],
			      err == -ENOENT ? "no such file" :
			      err == -EACCES ? "not an executable file" :
					       "cannot read it", err);
		return err;
	}
	t = user_task_spawn(image, size, argv[1],
			    (const char *const *)argv + 1, -1, 0, &err, &why);
	kvfree(image);
	if (!t) {
		kshell_printf("run: %s: cannot run: %s (error %d)\n", argv[1],
			      why, err);
		return err;
	}
	pid = t->pid;
	process_set_parent(t, current_task());
	kshell_printf("run: started %s as pid %d (Ctrl-C stops it)\n", argv[1],
		      pid);
	while (!(ret = process_wait(pid, &status, WNOHANG))) {
		int c = kshell_poll_char();

		if (c == 0x03) {
			kshell_printf("^C\n");
			signal_kill(pid, SIGINT);
		}
		msleep(20);
	}
	if (ret < 0) {
		kshell_printf("run: waiting for pid %d failed: error %ld\n", pid,
			      ret);
		return (int)ret;
	}
	report_status(argv[1], pid, status);
	return 0;
}
KSHELL_CMD("run", cmd_run, 1, 15, "<program> [args...]",
	   "run a program from the file system, wait for it");

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "TERM", SIGTERM }, { "STOP", SIGSTOP }, { "CONT", SIGCONT },
};

static int parse_signal(const char *s, int *sig)
{
	unsigned int n, i;

	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (i = 0; i < ARRAY_SIZE(signals); i++)
		if (!strcmp(s, signals[i].name)) {
			*sig = signals[i].sig;
			return 0;
		}
	if (kstrtouint(s, 10, &n) || n >= _NSIG)
		return -EINVAL;
	*sig = (int)n;
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	int sig = SIGTERM;
	long err;
	int pid;

	if (kstrtoint(argv[1], 10, &pid) || pid <= 0) {
		kshell_printf("kill: '%s' is not a process id (a number above 0)\n",
			      argv[1]);
		return -EINVAL;
	}
	if (argc > 2 && parse_signal(argv[2], &sig)) {
		kshell_printf("kill: '%s' is not a signal (0-%d, or TERM, KILL, INT, ...)\n",
			      argv[2], _NSIG - 1);
		return -EINVAL;
	}
	err = signal_kill(pid, sig);
	if (err == -ESRCH)
		kshell_printf("kill: no process with pid %d\n", pid);
	else if (err == -EPERM)
		kshell_printf("kill: pid %d is a kernel thread: it takes no signals\n",
			      pid);
	else if (err)
		kshell_printf("kill: pid %d: error %ld\n", pid, err);
	else
		kshell_printf("kill: sent signal %d to pid %d\n", sig, pid);
	return (int)err;
}
KSHELL_CMD("kill", cmd_kill, 1, 2, "<pid> [signal]",
	   "send a signal (default TERM) to a process");

#ifdef CONFIG_KTEST
static int cmd_ktest(int argc, char **argv)
{
	u64 seq = log_seq_next();
	int failed = ktest_run(argc > 1 ? argv[1] : NULL);

	kshell_show_log_since(seq);
	kshell_printf("ktest: %s\n", failed ? "FAILED" : "all passed");
	return 0;
}
KSHELL_CMD("ktest", cmd_ktest, 0, 1, "[suite[.case]]",
	   "run the in-kernel tests ('*' wildcards)");
#endif

static int cmd_bt(int argc, char **argv)
{
	unsigned int cpu;
	u64 seq;
	int err;

	if (kshell_parse_uint("bt", argv[1], &cpu))
		return -EINVAL;
	if (cpu >= NR_CPUS || !cpumask_test(&cpu_online_mask, cpu)) {
		kshell_printf("bt: CPU%u is not online (%u CPUs are, from 0)\n",
			      cpu, num_online_cpus());
		return -EINVAL;
	}
	seq = log_seq_next();
	err = smp_backtrace(cpu, BT_TIMEOUT_MS);
	kshell_show_log_since(seq);
	if (err)
		kshell_printf("bt: CPU%u did not answer within %u ms (interrupts masked?)\n",
			      cpu, BT_TIMEOUT_MS);
	return err;
}
KSHELL_CMD("bt", cmd_bt, 1, 1, "<cpu>",
	   "backtrace of what a CPU is running (through an IPI)");

static int cmd_panic(int argc, char **argv)
{
	char msg[200];
	size_t len = 0;
	int i;

	for (i = 1; i < argc; i++)
		len += scnprintf(msg + len, sizeof(msg) - len, "%s%s",
				 i > 1 ? " " : "", argv[i]);
	panic("%s", msg);
}
KSHELL_CMD("panic", cmd_panic, 1, 15, "<message>",
	   "panic with the message (tests the crash path)");

static __noinline int cmd_fault(int argc, char **argv)
{
	unsigned long addr = 0x8;

	kshell_printf("fault: loading from address %#lx\n", addr);
	/* Hidden from the compiler, which could otherwise prove it bad. */
	__asm__("" : "+r"(addr));
	return (int)*(volatile unsigned long *)addr;
}
KSHELL_CMD("fault", cmd_fault, 0, 0, "",
	   "a kernel load page fault (tests the oops path)");

static int cmd_reboot(int argc, char **argv)
{
	kshell_printf("reboot: restarting\n");
	machine_restart();
}
KSHELL_CMD("reboot", cmd_reboot, 0, 0, "", "restart the machine");

static int cmd_poweroff(int argc, char **argv)
{
	kshell_printf("poweroff: powering off\n");
	machine_power_off(EXIT_OK);
}
KSHELL_CMD("poweroff", cmd_poweroff, 0, 0, "", "power the machine off");
