/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * store_fault: rCore-Tutorial's "01store_fault". Stores to address 0; the
 * kernel must kill it (Linux: SIGSEGV). Exit status 1 if it survives.
 */
#include <stdio.h>

int main(void)
{
	printf("Into Test store_fault, we will insert an invalid store operation...\n");
	printf("Kernel should kill this application!\n");
	/* Assembly, so the compiler cannot treat the null store as undefined. */
	__asm__ volatile("sd zero, 0(zero)" ::: "memory");
	printf("store_fault: FAIL: the store to address 0 returned\n");
	return 1;
}
