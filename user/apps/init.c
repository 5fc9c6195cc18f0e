/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /init: PID 1. Prints a banner, runs /bin/sh (or the program given after
 * "--" on the kernel command line) in a new session whose controlling
 * terminal is the console, reaps orphans, and exits with the shell's status
 * when it ends (the kernel then powers off with that status).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>

int main(int argc, char **argv)
{
	char *shell[] = { "/bin/sh", NULL };
	char **cmd = argc > 1 ? argv + 1 : shell;
	struct utsname u;
	pid_t pid, child;
	int st;

	setenv("PATH", "/bin", 0);
	setenv("HOME", "/", 0);
	setenv("TERM", "vt100", 0);
	if (!uname(&u))
		printf("\n%s %s %s: init starting %s\n", u.sysname, u.release,
		       u.machine, cmd[0]);
	child = fork();
	if (child < 0) {
		perror("init: fork");
		return 1;
	}
	if (!child) {
		/* The console's foreground group can only be set from its session. */
		if (setsid() < 0 && errno != ENOSYS)
			perror("init: setsid");
		ioctl(0, TIOCSCTTY, 0);
		execv(cmd[0], cmd);
		dprintf(2, "init: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	/* PID 1 inherits every orphan: reap them until the shell itself ends. */
	for (;;) {
		pid = wait(&st);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			perror("init: wait");
			return 1;
		}
		if (pid == child)
			break;
	}
	if (WIFSIGNALED(st)) {
		printf("init: %s killed by signal %d\n", cmd[0], WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	return WEXITSTATUS(st);
}
