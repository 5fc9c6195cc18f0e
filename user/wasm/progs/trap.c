/* SPDX-License-Identifier: BSD-2-Clause */
/* WASI test program: divides by zero (a trap that must end the process with a message) after printing a line. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	volatile int zero = argc - 1;

	(void)argv;
	printf("about to trap\n");
	fflush(stdout);
	return 100 / zero;
}
