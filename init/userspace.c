/* SPDX-License-Identifier: BSD-2-Clause */
/* Starting user space: PID 1 from the initramfs, or rCore's batch of apps in order. */
#include <hartix/boot.h>
#include <hartix/cmdline.h>
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/initramfs.h>
#include <hartix/kshell.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/reboot.h>
#include <hartix/sched.h>
#include <hartix/string.h>
#include <hartix/vmalloc.h>

static char init_path[64] = "/init";

static int set_init(const char *val)
{
	if (!val || val[0] != '/' || strscpy(init_path, val, sizeof(init_path)) < 0)
		return -EINVAL;
	return 0;
}
kernel_param("init", set_init);

/* Linux's name for the initramfs's init; here there is only one kind. */
static int set_rdinit(const char *val)
{
	return set_init(val);
}
kernel_param("rdinit", set_rdinit);

#define MAX_INIT_ARGS 16

/* Runs one program from the file system to its end; its wait status, or -errno. */
static int run_program(const char *path, int cpu, const char *const *argv,
		       bool is_init)
{
	const char *why = "";
	struct task *t;
	int err;

	t = user_task_spawn(path, argv, cpu, is_init ? INIT_PID : 0, &err,
			    &why);
	if (!t) {
		pr_err("%s: cannot run: %s (error %d)\n", path, why, err);
		return err;
	}
	if (is_init)
		process_set_init(t);
	return task_reap(t);
}

static void report(const char *what, const char *path, int status)
{
	if (status < 0)
		return;
	if (WIFSIGNALED(status))
		pr_info("%s %s was killed by signal %d\n", what, path,
			WTERMSIG(status));
	else
		pr_info("%s %s exited with status %d\n", what, path,
			WEXITSTATUS(status));
}

static void run_batch_entry(const struct cpio_entry *e, void *arg)
{
	char path[64] = "/";

	strscpy(path + 1, e->name, sizeof(path) - 1);
	pr_info("batch: running %s\n", path);
	/* rCore's batch system: one at a time, on the boot hart. */
	report("batch:", path,
	       run_program(path, 0, (const char *const[]){ path, NULL }, false));
}

/* argv for init: its path, then the words after "--" on the command line. */
static const char *const *init_argv(void)
{
	static const char *argv[MAX_INIT_ARGS + 2];
	char *args = skip_spaces(init_args), *param, *val;
	int n = 0;

	argv[n++] = init_path;
	while (*args && n <= MAX_INIT_ARGS) {
		args = next_arg(args, &param, &val);
		/* key=value words were split by next_arg: put them back. */
		if (val)
			val[-1] = '=';
		argv[n++] = param;
	}
	argv[n] = NULL;
	return argv;
}

/* Returns only when there is no program to run. */
void run_userspace(void)
{
	struct inode *ino;
	u64 size;
	int status;

	initramfs_init();
	mount_root();
	kshell_init();
	if (IS_ENABLED(CONFIG_SCHED_BATCH)) {
		initramfs_for_each("bin/", run_batch_entry, NULL);
		pr_info("batch: all apps done\n");
		machine_power_off(EXIT_OK);
	}
	if (fs_open_exec(init_path, &ino, &size)) {
		pr_warn("No init program found (tried %s): nothing to run\n",
			init_path);
		kshell_enter("no init program");
		return;
	}
	fs_put_inode(ino);
	status = run_program(init_path, -1, init_argv(), true);
	report("init:", init_path, status);
	root_poweroff();
	/* On QEMU the status becomes QEMU's exit status (sifive,test0). */
	machine_power_off(status < 0 ? EXIT_FAILURE :
			  WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
						WEXITSTATUS(status));
}
