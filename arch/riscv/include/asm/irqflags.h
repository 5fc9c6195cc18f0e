/* SPDX-License-Identifier: BSD-2-Clause */
/* Masking supervisor interrupts on the local hart. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <asm/csr.h>

static inline unsigned long local_irq_save(void)
{
	return csr_read_clear(CSR_SSTATUS, SR_SIE) & SR_SIE;
}

static inline void local_irq_restore(unsigned long flags)
{
	csr_set(CSR_SSTATUS, flags & SR_SIE);
}

static inline void local_irq_disable(void)
{
	csr_clear(CSR_SSTATUS, SR_SIE);
}

static inline void local_irq_enable(void)
{
	csr_set(CSR_SSTATUS, SR_SIE);
}

#endif
