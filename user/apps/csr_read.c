/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * csr_read: after rCore-Tutorial's "04priv_csr". Reads sstatus, a
 * supervisor CSR, from U-mode: an illegal instruction; the kernel must kill
 * it (Linux: SIGILL). Exit status 1 if it survives.
 */
#include <stdio.h>

int main(void)
{
	unsigned long v;

	printf("Try to access privileged CSR in U Mode\n");
	printf("Kernel should kill this application!\n");
	__asm__ volatile("csrr %0, sstatus" : "=r"(v) :: "memory");
	printf("csr_read: FAIL: read sstatus = 0x%lx\n", v);
	return 1;
}
