/* SPDX-License-Identifier: BSD-2-Clause */
/* uname [-asnrvm]: prints system information (the kernel's struct utsname). */
#include <err.h>
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

enum { F_S = 1, F_N = 2, F_R = 4, F_V = 8, F_M = 16 };

int main(int argc, char **argv)
{
	struct utsname u;
	int c, which = 0;
	const char *sep = "";

	while ((c = getopt(argc, argv, "asnrvm")) != -1) {
		switch (c) {
		case 'a': which |= F_S | F_N | F_R | F_V | F_M; break;
		case 's': which |= F_S; break;
		case 'n': which |= F_N; break;
		case 'r': which |= F_R; break;
		case 'v': which |= F_V; break;
		case 'm': which |= F_M; break;
		default:
			dprintf(2, "usage: uname [-asnrvm]\n");
			return 1;
		}
	}
	if (optind < argc)
		errx(1, "extra operand '%s'", argv[optind]);
	if (!which)
		which = F_S;
	if (uname(&u) < 0)
		err(1, "cannot get system name");
	/* The order is the same as coreutils', whatever the order of the options. */
	const char *field[] = { u.sysname, u.nodename, u.release, u.version, u.machine };
	char line[5 * sizeof(u.sysname) + 8];
	int len = 0;

	for (int i = 0; i < 5; i++) {
		if (!(which & (1 << i)))
			continue;
		len += snprintf(line + len, sizeof(line) - len, "%s%s", sep, field[i]);
		sep = " ";
	}
	printf("%s\n", line);
	return 0;
}
