/* SPDX-License-Identifier: BSD-2-Clause */
/* rm [-rf] file...: removes files; -r directories and what is in them; -f no complaints about missing files. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int force, recursive;

static int remove_path(const char *path);

/*
 * Reads every name first and removes them after: a directory's positions
 * may shift while entries go, and readdir() would skip some.
 */
static int remove_children(const char *dir)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int ret = 0;
	DIR *d = opendir(dir);

	if (!d) {
		warn("cannot remove '%s'", dir);
		return 1;
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			char **bigger = realloc(names, (cap = cap * 2 + 16) * sizeof(*names));

			if (!bigger)
				err(1, "out of memory");
			names = bigger;
		}
		if (asprintf(&names[n], "%s/%s", dir, de->d_name) < 0)
			err(1, "out of memory");
		n++;
	}
	if (errno) {
		warn("cannot read directory '%s'", dir);
		ret = 1;
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		ret |= remove_path(names[i]);
		free(names[i]);
	}
	free(names);
	return ret;
}

static int remove_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (force && errno == ENOENT)
			return 0;
		warn("cannot remove '%s'", path);
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!recursive) {
			errno = EISDIR;
			warn("cannot remove '%s'", path);
			return 1;
		}
		if (remove_children(path))
			return 1;
		if (rmdir(path) < 0) {
			warn("cannot remove '%s'", path);
			return 1;
		}
		return 0;
	}
	if (unlink(path) < 0 && !(force && errno == ENOENT)) {
		warn("cannot remove '%s'", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int c, ret = 0;

	while ((c = getopt(argc, argv, "rRf")) != -1) {
		switch (c) {
		case 'r':
		case 'R': recursive = 1; break;
		case 'f': force = 1; break;
		default:
			dprintf(2, "usage: rm [-rf] file...\n");
			return 1;
		}
	}
	if (optind == argc) {
		if (force)
			return 0;
		errx(1, "missing operand");
	}
	for (int i = optind; i < argc; i++)
		ret |= remove_path(argv[i]);
	return ret;
}
