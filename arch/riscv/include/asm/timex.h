/* SPDX-License-Identifier: BSD-2-Clause */
/* The RISC-V time CSR: the monotonic tick source. */
#ifndef ASM_TIMEX_H
#define ASM_TIMEX_H

#include <hartix/types.h>

static inline u64 get_ticks(void)
{
	u64 t;

	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

#endif
