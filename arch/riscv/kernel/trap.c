/* Trap dispatch: decodes scause; a kernel exception becomes an oops. */
#include <hartix/compiler.h>
#include <hartix/kallsyms.h>
#include <hartix/kernel.h>
#include <hartix/smp.h>
#include <asm/csr.h>
#include <asm/ptrace.h>

void do_trap(struct pt_regs *regs);

static const char *const exception_names[] = {
	[EXC_INST_MISALIGNED] = "instruction address misaligned",
	[EXC_INST_ACCESS] = "instruction access fault",
	[EXC_ILLEGAL_INST] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store address misaligned",
	[EXC_STORE_ACCESS] = "store access fault",
	[EXC_ECALL_U] = "environment call from U-mode",
	[EXC_ECALL_S] = "environment call from S-mode",
	[EXC_INST_PAGE_FAULT] = "instruction page fault",
	[EXC_LOAD_PAGE_FAULT] = "load page fault",
	[EXC_STORE_PAGE_FAULT] = "store page fault",
};

static const char *trap_name(unsigned long cause)
{
	if (cause & CAUSE_IRQ_FLAG)
		return "unexpected interrupt";
	if (cause < ARRAY_SIZE(exception_names) && exception_names[cause])
		return exception_names[cause];
	return "unknown exception";
}

void show_regs(const struct pt_regs *regs)
{
	static const char *const names[32] = {
		"epc", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
		"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
		"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
		"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	char sym[96];
	int i;

	pr_emerg("epc: %s\n", sprint_symbol(sym, sizeof(sym), regs->epc));
	pr_emerg(" ra: %s\n", sprint_symbol(sym, sizeof(sym), regs->ra));
	for (i = 0; i < 32; i += 4)
		pr_emerg("%4s: %016lx %4s: %016lx %4s: %016lx %4s: %016lx\n",
			 names[i], pt_regs_gpr(regs, i), names[i + 1],
			 pt_regs_gpr(regs, i + 1), names[i + 2],
			 pt_regs_gpr(regs, i + 2), names[i + 3],
			 pt_regs_gpr(regs, i + 3));
	pr_emerg("status: %016lx badaddr: %016lx cause: %016lx\n", regs->status,
		 regs->tval, regs->cause);
}

void do_trap(struct pt_regs *regs)
{
	/* No interrupt source is enabled yet: every trap here is a bug. */
	die(regs, trap_name(regs->cause));
}
