/* SPDX-License-Identifier: BSD-2-Clause */
/* WASI test program: traps after printing a line (a trap must end the process with a message): divides by zero, or with "oob" loads past the end of linear memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	volatile int zero = argc > 1 ? 0 : argc - 1;

	printf("about to trap\n");
	fflush(stdout);
	if (argc > 1 && !strcmp(argv[1], "oob")) {
		/* Near the top of the 4 GiB: past the memory, inside a guarded one's reservation. */
		volatile unsigned int *far = (volatile unsigned int *)(unsigned long)(0xfffff000u - (unsigned)argc);

		return (int)*far;
	}
	return 100 / zero;
}
