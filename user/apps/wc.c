/* SPDX-License-Identifier: BSD-2-Clause */
/* wc [-lwc] [file...]: counts lines, words and bytes of each file or of standard input. */
#include <ctype.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { LINES, WORDS, BYTES, NCOUNTS };

static char buf[8192];
static int show[NCOUNTS];
static int nshown;

/* 0, or 1 after reporting an error. */
static int count(int fd, const char *name, unsigned long c[NCOUNTS])
{
	int in_word = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		c[BYTES] += n;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n')
				c[LINES]++;
			if (isspace((unsigned char)buf[i])) {
				in_word = 0;
			} else if (!in_word) {
				in_word = 1;
				c[WORDS]++;
			}
		}
	}
	if (n < 0) {
		warn("%s", name);
		return 1;
	}
	return 0;
}

/* Like coreutils on standard input: one count alone, several in columns of 7. */
static void print(const unsigned long c[NCOUNTS], const char *name)
{
	char line[128];
	int len = 0;

	for (int i = 0; i < NCOUNTS; i++)
		if (show[i])
			len += snprintf(line + len, sizeof(line) - len, "%s%*lu",
					len ? " " : "", nshown > 1 ? 7 : 0, c[i]);
	printf("%s%s%s\n", line, name ? " " : "", name ? name : "");
}

int main(int argc, char **argv)
{
	unsigned long total[NCOUNTS] = { 0 };
	int c, fd, ret = 0, nfiles;

	while ((c = getopt(argc, argv, "lwc")) != -1) {
		switch (c) {
		case 'l': show[LINES] = 1; break;
		case 'w': show[WORDS] = 1; break;
		case 'c': show[BYTES] = 1; break;
		default:
			dprintf(2, "usage: wc [-lwc] [file...]\n");
			return 1;
		}
	}
	if (!show[LINES] && !show[WORDS] && !show[BYTES])
		show[LINES] = show[WORDS] = show[BYTES] = 1;
	nshown = show[LINES] + show[WORDS] + show[BYTES];
	nfiles = argc - optind;
	if (!nfiles) {
		ret = count(0, "standard input", total);
		print(total, NULL);
		return ret;
	}
	for (int i = optind; i < argc; i++) {
		unsigned long n[NCOUNTS] = { 0 };
		const char *name = argv[i];

		fd = strcmp(name, "-") ? open(name, O_RDONLY) : 0;
		if (fd < 0) {
			warn("%s", name);
			ret = 1;
			continue;
		}
		if (count(fd, name, n)) {
			ret = 1;
		} else {
			print(n, name);
			for (int k = 0; k < NCOUNTS; k++)
				total[k] += n[k];
		}
		if (fd)
			close(fd);
	}
	if (nfiles > 1)
		print(total, "total");
	return ret;
}
