/* SPDX-License-Identifier: BSD-2-Clause */
/* mkdir [-p] dir...: creates directories; -p creates missing parents and accepts existing ones. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir(), where an existing directory is fine. */
static int mkdir_exists_ok(const char *path)
{
	struct stat st;

	if (!mkdir(path, 0777))
		return 0;
	if (errno != EEXIST)
		return -1;
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return 0;
	errno = EEXIST;
	return -1;
}

static int mkdir_parents(char *path)
{
	char *p = path;

	for (;;) {
		while (*p == '/')
			p++;
		p = strchr(p, '/');
		if (!p)
			return mkdir_exists_ok(path);
		*p = '\0';
		if (mkdir_exists_ok(path) < 0) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
}

int main(int argc, char **argv)
{
	int c, parents = 0, ret = 0;

	while ((c = getopt(argc, argv, "p")) != -1) {
		if (c != 'p') {
			dprintf(2, "usage: mkdir [-p] dir...\n");
			return 1;
		}
		parents = 1;
	}
	if (optind == argc)
		errx(1, "missing operand");
	for (int i = optind; i < argc; i++) {
		if ((parents ? mkdir_parents(argv[i]) : mkdir(argv[i], 0777)) < 0) {
			warn("cannot create directory '%s'", argv[i]);
			ret = 1;
		}
	}
	return ret;
}
