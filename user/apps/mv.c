/* SPDX-License-Identifier: BSD-2-Clause */
/* mv src dst, mv src... dir: renames files (one file system: no copying). */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int move(const char *src, const char *dst)
{
	if (rename(src, dst) < 0) {
		warn("cannot move '%s' to '%s'", src, dst);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir;
	int ret = 0;

	if (argc > 1 && !strcmp(argv[1], "--")) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	if (argc < 2)
		errx(1, "missing file operand");
	if (argc < 3)
		errx(1, "missing destination file operand after '%s'", argv[1]);
	dir = argv[argc - 1];
	if (!is_dir(dir)) {
		if (argc > 3)
			errx(1, "target '%s' is not a directory", dir);
		return move(argv[1], dir);
	}
	for (int i = 1; i < argc - 1; i++) {
		const char *base = strrchr(argv[i], '/');
		char *dst;

		base = base ? base + 1 : argv[i];
		if (asprintf(&dst, "%s/%s", dir, base) < 0)
			err(1, "out of memory");
		ret |= move(argv[i], dst);
		free(dst);
	}
	return ret;
}
