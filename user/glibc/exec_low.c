/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exec_low: exec_test's helper linked with its text at 0x1000 (Linux's
 * mmap_min_addr, as many small static test programs are): prints where
 * main is.
 */
#include <stdio.h>

int main(void)
{
	printf("low %lx\n", (unsigned long)&main);
	return 0;
}
