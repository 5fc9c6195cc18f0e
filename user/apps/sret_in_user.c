/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sret_in_user: rCore-Tutorial's "03priv_inst". Executes sret in U-mode,
 * an illegal instruction there; the kernel must kill it (Linux: SIGILL).
 * Exit status 1 if it survives.
 */
#include <stdio.h>

int main(void)
{
	printf("Try to execute privileged instruction in U Mode\n");
	printf("Kernel should kill this application!\n");
	__asm__ volatile("sret" ::: "memory");
	printf("sret_in_user: FAIL: sret returned\n");
	return 1;
}
