/* SPDX-License-Identifier: BSD-2-Clause */
/* WASI test program: exits with the status given as argument (proc_exit), after reading stdin to its end (fd_read). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long n = 0;
	int c;

	while ((c = getchar()) != EOF)
		n++;
	printf("read %ld bytes\n", n);
	return argc > 1 ? atoi(argv[1]) : 0;
}
