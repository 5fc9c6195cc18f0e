/* SPDX-License-Identifier: BSD-2-Clause */
/* WASI test program: prints its arguments and one environment variable (args_get, environ_get). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	const char *v = getenv("WASM_TEST");

	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("WASM_TEST=%s\n", v ? v : "(unset)");
	return 0;
}
