/* SPDX-License-Identifier: BSD-2-Clause */
/* WASI test program: creates, writes, seeks in and reads back a file under the preopened "/" (path_open, fd_seek, fd_close). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/wasm_files.txt";
	char buf[64] = "";
	FILE *f = fopen(path, "w+");

	if (!f) {
		printf("fopen %s: %s\n", path, strerror(errno));
		return 1;
	}
	fputs("0123456789abcdef", f);
	fseek(f, 10, SEEK_SET);
	fgets(buf, sizeof(buf), f);
	printf("after seek: %s\n", buf);
	printf("size: %ld\n", (fseek(f, 0, SEEK_END), ftell(f)));
	fclose(f);
	f = fopen("/no/such/file", "r");
	printf("missing file: %s\n", f ? "opened" : strerror(errno));
	return 0;
}
