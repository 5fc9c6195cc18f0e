/* SPDX-License-Identifier: BSD-2-Clause */
/* WASI test program: prints a greeting through wasi-libc's stdio (fd_write). */
#include <stdio.h>

int main(void)
{
	printf("hello from WebAssembly\n");
	return 0;
}
