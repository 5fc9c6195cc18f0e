/* SPDX-License-Identifier: BSD-2-Clause */
/* cat [file...]: copies the files ("-" or none: standard input) to standard output. */
#include <err.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static char buf[8192];

/* 0, or 1 after reporting an error. */
static int copy(int fd, const char *name)
{
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, n - off);

			if (w < 0) {
				warn("write error");
				return 1;
			}
			off += w;
		}
	}
	if (n < 0) {
		warn("%s", name);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i, fd, ret = 0;

	if (argc < 2)
		return copy(0, "-");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			ret |= copy(0, "-");
			continue;
		}
		fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			warn("%s", argv[i]);
			ret = 1;
			continue;
		}
		ret |= copy(fd, argv[i]);
		close(fd);
	}
	return ret;
}
