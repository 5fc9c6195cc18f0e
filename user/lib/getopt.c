/* SPDX-License-Identifier: BSD-2-Clause */
/* getopt(): POSIX short-option parsing, with messages like glibc's. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;

/* Where in argv[optind] the next option letter is, for grouped "-abc". */
static int optpos = 1;

int getopt(int argc, char *const argv[], const char *optstring)
{
	int colon = optstring[0] == ':';
	const char *arg, *spec;
	int c;

	optarg = NULL;
	if (optind >= argc)
		return -1;
	arg = argv[optind];
	if (optpos == 1) {
		if (arg[0] != '-' || arg[1] == '\0')
			return -1;
		if (!strcmp(arg, "--")) {
			optind++;
			return -1;
		}
	}
	c = (unsigned char)arg[optpos++];
	spec = c == ':' ? NULL : strchr(optstring + colon, c);
	if (!spec) {
		optopt = c;
		if (opterr && !colon)
			dprintf(2, "%s: invalid option -- '%c'\n", argv[0], c);
		c = '?';
	} else if (spec[1] == ':') {
		if (arg[optpos]) {
			optarg = (char *)arg + optpos;
		} else if (optind + 1 < argc) {
			optarg = argv[++optind];
		} else {
			optopt = c;
			if (opterr && !colon)
				dprintf(2, "%s: option requires an argument -- '%c'\n",
					argv[0], c);
			c = colon ? ':' : '?';
		}
		optind++;
		optpos = 1;
		return c;
	}
	if (!arg[optpos]) {
		optind++;
		optpos = 1;
	}
	return c;
}
