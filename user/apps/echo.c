/* SPDX-License-Identifier: BSD-2-Clause */
/* echo [-n] [string...]: writes its arguments separated by spaces, then a newline unless -n. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len = 1, off = 0;
	int i = 1, newline = 1;
	char *buf;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		i = 2;
	}
	/* One write(), so the line is not torn by other writers. */
	for (int j = i; j < argc; j++)
		len += strlen(argv[j]) + 1;
	buf = malloc(len);
	if (!buf)
		return 1;
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]);

		memcpy(buf + off, argv[i], n);
		off += n;
		if (i + 1 < argc)
			buf[off++] = ' ';
	}
	if (newline)
		buf[off++] = '\n';
	while (off) {
		ssize_t w = write(1, buf, off);

		if (w <= 0)
			return 1;
		memmove(buf, buf + w, off - w);
		off -= w;
	}
	return 0;
}
