/* SPDX-License-Identifier: BSD-2-Clause */
/* The auxiliary vector the kernel puts after envp on the initial stack. */
#ifndef _SYS_AUXV_H
#define _SYS_AUXV_H

#include <abi/auxvec.h>

/* The value of entry 'type', or 0 (errno ENOENT) if there is none. */
unsigned long getauxval(unsigned long type);

#endif
