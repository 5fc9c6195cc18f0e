/* SPDX-License-Identifier: BSD-2-Clause */
/* kill [-SIG | -s SIG | -n NUM] pid..., kill -l [NUM]: sends a signal (TERM) to processes or, with -pgid, groups. */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[NSIG] = {
	[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT",
	[SIGILL] = "ILL", [SIGTRAP] = "TRAP", [SIGABRT] = "ABRT",
	[SIGBUS] = "BUS", [SIGFPE] = "FPE", [SIGKILL] = "KILL",
	[SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM",
	[SIGSTKFLT] = "STKFLT", [SIGCHLD] = "CHLD", [SIGCONT] = "CONT",
	[SIGSTOP] = "STOP", [SIGTSTP] = "TSTP", [SIGTTIN] = "TTIN",
	[SIGTTOU] = "TTOU", [SIGURG] = "URG", [SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF",
	[SIGWINCH] = "WINCH", [SIGIO] = "IO", [SIGPWR] = "PWR",
	[SIGSYS] = "SYS",
};

/* "9", "KILL", "SIGKILL" or "kill"; -1 if it is none of them. */
static int parse_signal(const char *s)
{
	char *end;
	long n;

	if (isdigit((unsigned char)*s)) {
		n = strtol(s, &end, 10);
		return !*end && n >= 0 && n < NSIG ? (int)n : -1;
	}
	if (!strncmp(s, "SIG", 3) || !strncmp(s, "sig", 3))
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *a = names[i], *b = s;

		if (!a)
			continue;
		while (*a && toupper((unsigned char)*b) == *a)
			a++, b++;
		if (!*a && !*b)
			return i;
	}
	return -1;
}

static int list(const char *arg)
{
	if (arg) {
		/* A number (or an exit status 128+N) gives the name, a name the number. */
		int sig = parse_signal(arg);

		if (isdigit((unsigned char)*arg)) {
			long n = strtol(arg, NULL, 10);

			sig = n > 128 ? (int)(n - 128) : (int)n;
			if (sig <= 0 || sig >= NSIG || !names[sig])
				errx(1, "unknown signal '%s'", arg);
			printf("%s\n", names[sig]);
		} else {
			if (sig <= 0)
				errx(1, "unknown signal '%s'", arg);
			printf("%d\n", sig);
		}
		return 0;
	}
	for (int i = 1; i < NSIG; i++)
		if (names[i])
			printf("%2d) SIG%s\n", i, names[i]);
	return 0;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, ret = 0;

	if (argc > 1 && !strcmp(argv[1], "-l"))
		return list(argc > 2 ? argv[2] : NULL);
	if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--")) {
		const char *s = argv[1] + 1;

		if (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-n")) {
			if (argc < 3)
				errx(1, "option requires an argument -- '%c'", argv[1][1]);
			s = argv[2];
			i = 3;
		} else {
			i = 2;
		}
		sig = parse_signal(s);
		if (sig < 0)
			errx(1, "unknown signal '%s'; kill -l lists them", s);
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		dprintf(2, "usage: kill [-SIG | -s SIG] pid...\n");
		return 1;
	}
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);

		if (!*argv[i] || *end) {
			warnx("invalid process id '%s'", argv[i]);
			ret = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			/* bash's and procps's wording */
			dprintf(2, "kill: (%ld) - %s\n", pid, strerror(errno));
			ret = 1;
		}
	}
	return ret;
}
