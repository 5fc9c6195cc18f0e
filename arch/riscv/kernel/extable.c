/* SPDX-License-Identifier: BSD-2-Clause */
/* Exception-table lookup: a fault at a listed instruction resumes at its fixup. */
#include <asm/extable.h>
#include <asm/ptrace.h>

extern const struct exception_table_entry __start___ex_table[],
	__stop___ex_table[];

/* A linear scan: only faults come here, never a fast path. */
bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e;

	for (e = __start___ex_table; e < __stop___ex_table; e++) {
		if ((unsigned long)&e->insn + e->insn == regs->epc) {
			regs->epc = (unsigned long)&e->fixup + e->fixup;
			return true;
		}
	}
	return false;
}
