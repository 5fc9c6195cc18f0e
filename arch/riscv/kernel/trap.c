/* SPDX-License-Identifier: BSD-2-Clause */
/* Trap dispatch: interrupts to their handlers; kernel exceptions to fixups, BUG/WARN, or an oops. */
#include <hartix/compiler.h>
#include <hartix/irq.h>
#include <hartix/kallsyms.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/oom.h>
#include <hartix/preempt.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/smp.h>
#include <hartix/softlockup.h>
#include <hartix/sprintf.h>
#include <hartix/timer.h>
#include <asm/bug.h>
#include <asm/csr.h>
#include <asm/extable.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>

void do_trap(struct pt_regs *regs);
void exit_to_user_mode(struct pt_regs *regs);

void __noreturn handle_bad_stack(unsigned long sp, unsigned long epc);

extern const struct bug_entry __start___bug_table[], __stop___bug_table[];

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

static const char *exception_name(unsigned long cause)
{
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
	pr_emerg(" ra: %s\n", sprint_backtrace(sym, sizeof(sym), regs->ra));
	for (i = 0; i < 32; i += 4)
		pr_emerg("%4s: %016lx %4s: %016lx %4s: %016lx %4s: %016lx\n",
			 names[i], pt_regs_gpr(regs, i), names[i + 1],
			 pt_regs_gpr(regs, i + 1), names[i + 2],
			 pt_regs_gpr(regs, i + 2), names[i + 3],
			 pt_regs_gpr(regs, i + 3));
	pr_emerg("status: %016lx badaddr: %016lx cause: %016lx\n", regs->status,
		 regs->tval, regs->cause);
}

static const struct bug_entry *find_bug(unsigned long addr)
{
	const struct bug_entry *b;

	for (b = __start___bug_table; b < __stop___bug_table; b++)
		if (b->addr == addr)
			return b;
	return NULL;
}

bool report_bug(struct pt_regs *regs)
{
	const struct bug_entry *b = find_bug(regs->epc);
	char what[128];
	u16 insn;

	if (!b)
		return false;
	if (!(b->flags & BUGFLAG_WARNING)) {
		scnprintf(what, sizeof(what), "kernel BUG at %s:%u", b->file,
			  b->line);
		die(regs, what);
	}
	pr_warn("WARNING: at %s:%u on hart %lu, cpu %u\n", b->file, b->line,
		current_hartid(), smp_processor_id());
	show_backtrace(regs, KERN_WARNING);
	/* Step over the ebreak, which the assembler may have compressed. */
	insn = *(const u16 *)regs->epc;
	regs->epc += (insn & 3) == 3 ? 4 : 2;
	return true;
}

static void handle_interrupt(struct pt_regs *regs, unsigned long irq)
{
	struct cpu *cpu = this_cpu();

	switch (irq) {
	case IRQ_S_TIMER:
		cpu->timer_irqs++;
		cpu->tick_from_user = !(regs->status & SR_SPP);
		timer_interrupt();
		softlockup_tick(regs);
		return;
	case IRQ_S_EXT:
		cpu->irqs++;
		handle_external_irq();
		return;
#ifdef CONFIG_SMP
	case IRQ_S_SOFT:
		handle_ipi(regs);
		return;
#endif
	}
	pr_warn("spurious interrupt %lu on hart %lu, masked\n", irq,
		current_hartid());
	csr_clear(CSR_SIE, 1UL << irq);
}

static bool fault_access(unsigned long cause, enum fault_access *acc)
{
	switch (cause) {
	case EXC_LOAD_PAGE_FAULT:
		*acc = FAULT_READ;
		return true;
	case EXC_STORE_PAGE_FAULT:
		*acc = FAULT_WRITE;
		return true;
	case EXC_INST_PAGE_FAULT:
		*acc = FAULT_EXEC;
		return true;
	}
	return false;
}

/*
 * The kernel touched user memory: only the uaccess routines may (they run
 * with sstatus.SUM set), and a fault inside a valid region is resolved and
 * the access retried.
 */
static bool kernel_user_fault(struct pt_regs *regs)
{
	struct mm *mm = this_cpu()->mm;
	enum fault_access acc;
	int err;

	if (!fault_access(regs->cause, &acc) || !(regs->status & SR_SUM) ||
	    !mm || regs->tval >= TASK_SIZE || current_task()->pagefault_disabled)
		return false;
	/*
	 * The trap masked interrupts, but resolving the fault may sleep (a
	 * page of a file read from its disk, whose completion is an
	 * interrupt): as Linux, they come back on if the access had them.
	 */
	if (regs->status & SR_SPIE)
		local_irq_enable();
	err = handle_mm_fault(mm, regs->tval, acc);
	/*
	 * As Linux: a kernel access that finds no memory fails (EFAULT);
	 * the OOM killer still frees some for what comes next.
	 */
	if (err == -ENOMEM)
		out_of_memory();
	local_irq_disable();
	return err == 0;
}

/*
 * A hart may have cached the absence of a mapping made since (vmalloc,
 * ioremap on another hart): if the entry now allows the access, drop the
 * stale translation and retry, as Linux does for its vmalloc area.
 */
static bool spurious_kernel_fault(struct pt_regs *regs)
{
	enum fault_access acc;
	pte_t pte;

	if (!fault_access(regs->cause, &acc) || regs->tval < VMALLOC_START)
		return false;
	pte = kernel_pte(regs->tval);
	if (!(pte & PTE_V) || !(pte & (acc == FAULT_WRITE ? PTE_W :
				      acc == FAULT_EXEC ? PTE_X : PTE_R)))
		return false;
	local_flush_tlb_range(regs->tval, PAGE_SIZE);
	return true;
}

/* SEGV_ACCERR if a region is there (it forbids the access), else SEGV_MAPERR. */
static int segv_code(struct mm *mm, unsigned long addr)
{
	bool mapped;

	spin_lock(&mm->lock);
	mapped = vma_find(&mm->vmas, addr) != NULL;
	spin_unlock(&mm->lock);
	return mapped ? SEGV_ACCERR : SEGV_MAPERR;
}

/* To the handler if the task has one for sig, not blocked; else the kill line. */
static void user_fault(struct pt_regs *regs, const char *what, int sig,
		       int code, unsigned long addr)
{
	if (!signal_fault(sig, code, addr))
		user_fault_kill(regs, what, sig);
}

static void handle_user_exception(struct pt_regs *regs, unsigned long cause)
{
	const char *what = exception_name(cause);

	switch (cause) {
	case EXC_ILLEGAL_INST:
		user_fault(regs, what, SIGILL, ILL_ILLOPC, regs->epc);
		break;
	case EXC_BREAKPOINT:
		user_fault(regs, what, SIGTRAP, TRAP_BRKPT, regs->epc);
		break;
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:
	case EXC_INST_ACCESS:
		user_fault(regs, what, SIGSEGV, SEGV_ACCERR, regs->tval);
		break;
	default: /* misaligned */
		user_fault(regs, what, SIGBUS, BUS_ADRALN, regs->tval);
	}
}

/*
 * On the way back to user mode, on whichever hart runs the task now: the
 * preemption point, then signals. The last check is made with interrupts
 * off, so a signal sent later interrupts the user code. Also entry.S's
 * slow way out of a system call, which has saved the whole frame.
 */
void exit_to_user_mode(struct pt_regs *regs)
{
	for (;;) {
		local_irq_disable();
		if (READ_ONCE(this_cpu()->need_resched)) {
			schedule();
			continue;
		}
		if (!signal_pending(current_task()) &&
		    !syscall_wants_restart(regs))
			break;
		local_irq_enable();
		do_signal(regs);
	}
}

/* Not a system call: entry.S dispatches those itself. */
static void handle_user_trap(struct pt_regs *regs)
{
	unsigned long cause = regs->cause;
	struct mm *mm = current_task()->mm;
	enum fault_access acc;
	int err;

	if (cause & CAUSE_IRQ_FLAG) {
		handle_interrupt(regs, cause & ~CAUSE_IRQ_FLAG);
	} else if (fault_access(cause, &acc)) {
		this_cpu()->page_faults++;
		local_irq_enable();
		err = handle_mm_fault(mm, regs->tval, acc);
		if (err == -ENOMEM)
			out_of_memory_wait(); /* then the access is retried */
		else if (err == -EIO) /* a file page past its end */
			user_fault(regs, exception_name(cause), SIGBUS,
				   BUS_ADRERR, regs->tval);
		else if (err)
			user_fault(regs, exception_name(cause), SIGSEGV,
				   segv_code(mm, regs->tval), regs->tval);
		current_task()->min_flt++;
	} else {
		local_irq_enable();
		handle_user_exception(regs, cause);
	}
	exit_to_user_mode(regs);
}

void do_trap(struct pt_regs *regs)
{
	unsigned long cause = regs->cause;

	if (!(regs->status & SR_SPP)) {
		handle_user_trap(regs);
		return;
	}
	if (cause & CAUSE_IRQ_FLAG) {
		handle_interrupt(regs, cause & ~CAUSE_IRQ_FLAG);
		/*
		 * Kernel preemption, back to code that had interrupts on.
		 * Here in C, with interrupts masked: the task switched to
		 * returns through its own frame; this one is resumed later,
		 * maybe on another hart (ret_from_trap keeps the live tp).
		 */
		if (IS_ENABLED(CONFIG_PREEMPT) && (regs->status & SR_SPIE))
			preempt_schedule_irq();
		return;
	}
	if (cause == EXC_BREAKPOINT && report_bug(regs))
		return;
	if (kernel_user_fault(regs) || spurious_kernel_fault(regs))
		return;
	if (fixup_exception(regs))
		return;
	die(regs, exception_name(cause));
}

/* entry.S found sp outside this hart's stack; we run on the overflow stack. */
void handle_bad_stack(unsigned long sp, unsigned long epc)
{
	struct cpu *cpu = this_cpu();
	/* Just below the bottom: ran into the guard page, or about to. */
	bool overflow = sp < cpu->stack_lo + PT_SIZE &&
			sp + PAGE_SIZE >= cpu->stack_lo;
	char sym[96];

	if (overflow)
		pr_emerg("kernel stack overflow on hart %lu, cpu %u, task %d (%s): sp %#lx, stack %#lx-%#lx\n",
			 cpu->hartid, smp_processor_id(),
			 cpu->current ? cpu->current->pid : 0,
			 cpu->current ? cpu->current->comm : "boot", sp,
			 cpu->stack_lo, cpu->stack_hi);
	else
		pr_emerg("Kernel stack pointer %#lx is outside this hart's stack [%#lx-%#lx): corrupt stack pointer\n",
			 sp, cpu->stack_lo, cpu->stack_hi);
	pr_emerg("Trapped at %s on hart %lu, cpu %u\n",
		 sprint_symbol(sym, sizeof(sym), epc), cpu->hartid,
		 smp_processor_id());
	panic(overflow ? "kernel stack overflow" : "corrupt kernel stack pointer");
}
