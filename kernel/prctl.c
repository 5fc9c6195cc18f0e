/* SPDX-License-Identifier: BSD-2-Clause */
/* prctl(): the calling thread's name (PR_SET_NAME, PR_GET_NAME); other options are EINVAL. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/sched.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>

#define PR_SET_NAME 15
#define PR_GET_NAME 16

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3,
		unsigned long, arg4, unsigned long, arg5)
{
	char comm[TASK_COMM_LEN] = "";

	(void)arg3;
	(void)arg4;
	(void)arg5;
	switch (option) {
	case PR_SET_NAME:
		/* As Linux: the first 15 bytes, a longer name is cut. */
		if (strncpy_from_user(comm, (const char *)arg2, sizeof(comm) - 1) < 0)
			return -EFAULT;
		return process_set_comm(current_task()->pid, comm);
	case PR_GET_NAME:
		process_get_comm(comm);
		return copy_to_user((char *)arg2, comm, sizeof(comm)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}
