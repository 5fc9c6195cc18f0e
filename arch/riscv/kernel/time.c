/* SPDX-License-Identifier: BSD-2-Clause */
/* The timer interrupt source: Sstc's stimecmp when the hart has it, else an SBI call. */
#include <hartix/smp.h>
#include <asm/csr.h>
#include <asm/extable.h>
#include <asm/sbi.h>
#include <asm/timer.h>

/*
 * Reading stimecmp traps (illegal instruction) unless the hart implements
 * Sstc and the firmware enabled it in menvcfg, so the probe asks the
 * hardware rather than the device tree.
 */
bool arch_timer_probe_sstc(void)
{
	unsigned long v;
	int err = 0;

	__asm__ __volatile__("1:	csrr %[v], " __stringify(CSR_STIMECMP) "\n"
			     "2:\n"
			     "	.pushsection .fixup, \"ax\"\n"
			     "3:	li %[err], 1\n"
			     "	j 2b\n"
			     "	.popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : [v] "=r"(v), [err] "+r"(err));
	return !err;
}

void arch_timer_program(u64 deadline)
{
	if (this_cpu()->has_sstc)
		csr_write(CSR_STIMECMP, deadline);
	else
		sbi_set_timer(deadline);
}
