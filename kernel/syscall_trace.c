/* CONFIG_SYSCALL_TRACE: print system calls as they return (boot argument strace=), to see why a program fails. */
/* SPDX-License-Identifier: BSD-2-Clause */
#include <hartix/errno.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <asm/ptrace.h>

/* What to print; written once while the boot arguments are parsed. */
enum { TRACE_OFF, TRACE_ERRORS, TRACE_ALL };
unsigned char syscall_trace_mode; /* read by entry.S on every return */
static char trace_comm[TASK_COMM_LEN];

static const char *const syscall_names[NR_SYSCALLS] = {
#define __SYSCALL_SYM(sym)
#define __SYSCALL(name, sym) [__NR_##name] = #name,
#include <generated/syscall-list.h>
#undef __SYSCALL_SYM
#undef __SYSCALL
};

/* strace=errors or strace=all, then optionally ",COMM": only that program. */
static int set_strace(const char *val)
{
	const char *comma;
	size_t len;

	if (!val)
		return -EINVAL;
	comma = strchr(val, ',');
	len = comma ? (size_t)(comma - val) : strlen(val);
	if (len == 6 && !strncmp(val, "errors", 6))
		syscall_trace_mode = TRACE_ERRORS;
	else if (len == 3 && !strncmp(val, "all", 3))
		syscall_trace_mode = TRACE_ALL;
	else
		return -EINVAL;
	if (comma && strscpy(trace_comm, comma + 1, sizeof(trace_comm)) < 0)
		return -EINVAL;
	return 0;
}
kernel_param("strace", set_strace);

/*
 * Called by entry.S with the call's frame and result; returns the result.
 * Errors are -1..-4095, as user space's syscall() takes them.
 */
long syscall_trace_exit(struct pt_regs *regs, long ret)
{
	unsigned long nr = regs->a7;
	const char *name = nr < NR_SYSCALLS ? syscall_names[nr] : NULL;
	struct task *t = current_task();

	if (syscall_trace_mode == TRACE_ERRORS && !(ret < 0 && ret >= -4095))
		return ret;
	if (trace_comm[0] && strcmp(t->comm, trace_comm))
		return ret;
	pr_notice("strace: %d %s %s[%lu](%#lx, %#lx, %#lx, %#lx) = %ld\n",
		  t->pid, t->comm, name ? name : "?", nr, regs->orig_a0,
		  regs->a1, regs->a2, regs->a3, ret);
	return ret;
}
