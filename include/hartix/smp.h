/* Per-CPU state: one struct cpu per logical CPU, reached through tp. */
#ifndef HARTIX_SMP_H
#define HARTIX_SMP_H

#include <hartix/types.h>
#include <asm/percpu.h>

struct cpu {
	unsigned long hartid;
	unsigned int id; /* dense logical CPU number; the boot hart is 0 */
	unsigned long stack_lo, stack_hi; /* bounds for the unwinder */
};

extern struct cpu boot_cpu;

static inline unsigned int smp_processor_id(void)
{
	return this_cpu()->id;
}

static inline unsigned long current_hartid(void)
{
	return this_cpu()->hartid;
}

#endif
