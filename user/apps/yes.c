/* SPDX-License-Identifier: BSD-2-Clause */
/* yes [string...]: prints the strings (or "y") on a line, forever, until the write fails. */
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[4096];
	size_t line = 0, len = 0;
	int i;

	for (i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (line + n + 1 > sizeof(buf) / 2)
			n = sizeof(buf) / 2 - line - 1;
		memcpy(buf + line, argv[i], n);
		line += n;
		buf[line++] = i + 1 < argc ? ' ' : '\n';
		if (line >= sizeof(buf) / 2 - 1)
			break;
	}
	if (!line) {
		buf[0] = 'y';
		buf[1] = '\n';
		line = 2;
	}
	/* Whole lines filling the buffer: fewer system calls. */
	for (len = line; len + line <= sizeof(buf); len += line)
		memcpy(buf + len, buf, line);
	for (;;)
		if (write(1, buf, len) < 0)
			return 1;
}
