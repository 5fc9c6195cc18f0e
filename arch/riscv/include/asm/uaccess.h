/* SPDX-License-Identifier: BSD-2-Clause */
/* A window of user access (sstatus.SUM) around a batch of user copies. */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <asm/csr.h>

/*
 * Inside a window the copy routines leave SUM on (arch/riscv/lib/uaccess.S),
 * so a system call that copies several arguments in, or several results
 * out, changes SUM twice instead of twice a copy. That is a CSR write on
 * hardware, but under QEMU (7.2) every change of SUM flushes the hart's
 * whole TLB and its jump cache, which costs more than the copies
 * (Documentation/benchmarks.rst, select and ppoll). Only copy routine
 * calls and plain stores to kernel variables go between begin and end:
 * any other code would run with user memory open to it.
 */
static inline void user_access_begin(void)
{
	csr_set(CSR_SSTATUS, SR_SUM);
}

static inline void user_access_end(void)
{
	csr_clear(CSR_SSTATUS, SR_SUM);
}

#endif
