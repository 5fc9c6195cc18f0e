/* SPDX-License-Identifier: BSD-2-Clause */
/* head [-n N | -N] [file...]: the first N (10) lines of each file or of standard input. */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[4096];

/* 0, or 1 after reporting an error. */
static int head(int fd, const char *name, long lines)
{
	ssize_t n;

	while (lines > 0 && (n = read(fd, buf, sizeof(buf))) != 0) {
		ssize_t len = 0;

		if (n < 0) {
			warn("%s", name);
			return 1;
		}
		while (len < n && lines > 0)
			if (buf[len++] == '\n')
				lines--;
		if (write(1, buf, len) != len) {
			warn("write error");
			return 1;
		}
	}
	return 0;
}

static long parse_count(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0)
		errx(1, "invalid number of lines: '%s'", s);
	return v;
}

int main(int argc, char **argv)
{
	long lines = 10;
	int c, fd, ret = 0, nfiles;

	/* The old form "head -5". */
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		lines = parse_count(argv[1] + 1);
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((c = getopt(argc, argv, "n:")) != -1) {
		if (c != 'n') {
			dprintf(2, "usage: head [-n N] [file...]\n");
			return 1;
		}
		lines = parse_count(optarg);
	}
	nfiles = argc - optind;
	if (!nfiles)
		return head(0, "standard input", lines);
	for (int i = optind; i < argc; i++) {
		const char *name = argv[i];

		fd = strcmp(name, "-") ? open(name, O_RDONLY) : 0;
		if (fd < 0) {
			warn("%s", name);
			ret = 1;
			continue;
		}
		if (nfiles > 1)
			printf("%s==> %s <==\n", i > optind ? "\n" : "",
			       fd ? name : "standard input");
		ret |= head(fd, name, lines);
		if (fd)
			close(fd);
	}
	return ret;
}
