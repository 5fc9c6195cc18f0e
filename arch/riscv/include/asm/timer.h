/* SPDX-License-Identifier: BSD-2-Clause */
/* The hart's timer interrupt: the Sstc stimecmp CSR when present, else SBI. */
#ifndef ASM_TIMER_H
#define ASM_TIMER_H

#include <hartix/types.h>

/* Does this hart have Sstc with stimecmp enabled by the firmware? */
bool arch_timer_probe_sstc(void);
/* Interrupt at deadline; U64_MAX means never (and clears a pending one). */
void arch_timer_program(u64 deadline);

#endif
