/* SPDX-License-Identifier: BSD-2-Clause */
/* ps: the processes from /proc/<pid>/stat; every one, like procps "ps -e" ("ps ax" adds STAT). */
#include <stdio.h>
#include <string.h>

#include "procutil.h"

#define MAX_PIDS 1024

/* procps's names for the common terminal majors; "?" for none. */
static void tty_name(int tty_nr, char *buf, size_t size)
{
	unsigned int major = ((unsigned int)tty_nr >> 8) & 0xfff;
	unsigned int minor = ((unsigned int)tty_nr & 0xff) |
			     (((unsigned int)tty_nr >> 12) & 0xfff00);

	if (!tty_nr)
		snprintf(buf, size, "?");
	else if (major == 4)
		snprintf(buf, size, "tty%u", minor);
	else if (major == 136)
		snprintf(buf, size, "pts/%u", minor);
	else if (major == 5 && minor == 1)
		snprintf(buf, size, "console");
	else if (major == 204 && minor >= 64)
		snprintf(buf, size, "ttyS%u", minor - 64);
	else
		snprintf(buf, size, "%u,%u", major, minor);
}

int main(int argc, char **argv)
{
	static int pids[MAX_PIDS];
	int n, i, bsd = 0;
	char tty[16];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-e") || !strcmp(argv[i], "-A")) {
			bsd = 0;
		} else if (!strcmp(argv[i], "ax") || !strcmp(argv[i], "aux") ||
			   !strcmp(argv[i], "x")) {
			bsd = 1;
		} else {
			fprintf(stderr, "usage: ps [-e | -A | ax]\n");
			return 1;
		}
	}
	n = proc_list_pids(pids, MAX_PIDS);
	if (n < 0) {
		perror("ps: /proc");
		return 1;
	}
	printf(bsd ? "  PID TTY      STAT   TIME COMMAND\n" :
		     "  PID TTY          TIME CMD\n");
	for (i = 0; i < n; i++) {
		struct proc_stat st;
		unsigned long secs;

		if (proc_read_stat(pids[i], &st))
			continue; /* it exited meanwhile */
		secs = (st.utime + st.stime) / 100;
		tty_name(st.tty_nr, tty, sizeof(tty));
		if (bsd)
			/* Kernel threads have no command line: [name], as procps shows. */
			printf("%5d %-8s %-4c %2lu:%02lu %s%s%s\n", st.pid, tty,
			       st.state, secs / 60, secs % 60,
			       st.flags & PF_KTHREAD ? "[" : "", st.comm,
			       st.flags & PF_KTHREAD ? "]" : "");
		else
			printf("%5d %-8s %02lu:%02lu:%02lu %s\n", st.pid, tty,
			       secs / 3600, secs / 60 % 60, secs % 60, st.comm);
	}
	return 0;
}
