/* SPDX-License-Identifier: BSD-2-Clause */
/* Frame-pointer stack unwinding and the symbolized backtraces of panics and oopses. */
#include <hartix/kallsyms.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <asm/csr.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>

extern char _stext[], _etext[];

/* With -fno-omit-frame-pointer, GCC's RISC-V frame record sits just below fp. */
struct stackframe {
	unsigned long fp;
	unsigned long ra;
};

static bool on_stack(unsigned long addr, unsigned long size)
{
	struct cpu *cpu = this_cpu();

	return addr >= cpu->stack_lo && addr <= cpu->stack_hi - size;
}

static bool is_kernel_text(unsigned long pc)
{
	return pc >= (unsigned long)_stext && pc < (unsigned long)_etext;
}

/*
 * Has the function around pc, interrupted there, linked its frame record
 * yet? Not before its prologue's "s0 = sp + n" (addi, c.addi4spn, or add
 * for a big frame): until then s0 is still the caller's frame and the
 * caller is only in ra. Only the first instructions are looked at; a
 * function with no such instruction there (assembly) never links one.
 */
#define PROLOGUE_BYTES 64

static bool frame_linked(unsigned long pc)
{
	unsigned long size, off, a, start;

	if (!kallsyms_lookup(pc, &size, &off))
		return true; /* unknown: trust s0, as before */
	start = pc - off;
	for (a = start; a < pc && a < start + PROLOGUE_BYTES;) {
		u16 lo = *(const u16 *)a;
		u32 insn;

		if ((lo & 3) != 3) {
			/* c.addi4spn s0, sp, n: funct3 000, rd' 000 (x8), op 00. */
			if ((lo & 0xe01f) == 0 && lo)
				return true;
			a += 2;
			continue;
		}
		insn = lo | (u32)*(const u16 *)(a + 2) << 16;
		/* addi s0, sp, n */
		if ((insn & 0xfffff) == 0x10413)
			return true;
		/* add s0, sp, rX or add s0, rX, sp */
		if ((insn & 0xfe007fff) == 0x00000433 &&
		    (((insn >> 15) & 31) == 2 || ((insn >> 20) & 31) == 2))
			return true;
		a += 4;
	}
	return pc >= start + PROLOGUE_BYTES;
}

/*
 * Every frame pointer is checked against the current stack's bounds and
 * must move up, so a corrupt chain ends the walk instead of faulting or
 * looping. regs (may be NULL) is the trap frame the walk starts from: the
 * interrupted function may be a leaf that saved no return address.
 * Without CONFIG_FRAME_POINTER, s0 is an ordinary register: only the
 * first pc is known.
 */
void walk_stackframe(const struct pt_regs *regs, unsigned long fp,
		     unsigned long pc, bool (*fn)(void *arg, unsigned long pc),
		     void *arg)
{
	bool first = true;

	while (is_kernel_text(pc) && fn(arg, pc)) {
		const struct stackframe *frame;

		if (!IS_ENABLED(CONFIG_FRAME_POINTER))
			break;
		if (first && regs && !frame_linked(pc)) {
			/* Caught in a prologue: fp is still the caller's. */
			pc = regs->ra;
			first = false;
			continue;
		}
		if (!IS_ALIGNED(fp, 8) || !on_stack(fp - sizeof(*frame),
						     sizeof(*frame)))
			break;
		frame = (const struct stackframe *)fp - 1;
		if (first && regs && on_stack(frame->ra, 0) && frame->ra > fp) {
			/* Leaf function: the slot holds the caller's fp. */
			fp = frame->ra;
			pc = regs->ra;
		} else {
			if (frame->fp <= fp)
				break;
			fp = frame->fp;
			pc = frame->ra;
		}
		first = false;
	}
}

struct print_state {
	const char *loglvl;
	bool first; /* the first pc is where execution is, not a return address */
};

static bool print_frame(void *arg, unsigned long pc)
{
	struct print_state *ps = arg;
	char sym[96];

	if (ps->first)
		sprint_symbol(sym, sizeof(sym), pc);
	else
		sprint_backtrace(sym, sizeof(sym), pc);
	ps->first = false;
	printk("%s [<%016lx>] %s\n", ps->loglvl, pc, sym);
	return true;
}

void show_backtrace(const struct pt_regs *regs, const char *loglvl)
{
	struct print_state ps = { .loglvl = loglvl, .first = true };

	printk("%sCall trace:\n", loglvl);
	if (regs)
		walk_stackframe(regs, regs->s0, regs->epc, print_frame, &ps);
	else
		walk_stackframe(NULL, (unsigned long)__builtin_frame_address(0),
				(unsigned long)show_backtrace, print_frame, &ps);
}

void show_interrupted(const struct pt_regs *regs, const char *loglvl)
{
	struct task *t = current_task();

	printk("%sCPU%u (hart %lu) running pid %d (%s), interrupted %s at pc %016lx:\n",
	       loglvl, smp_processor_id(), current_hartid(), t ? t->pid : -1,
	       t ? t->comm : "?",
	       regs->status & SR_SPP ? "in the kernel" : "in user mode",
	       regs->epc);
	if (regs->status & SR_SPP)
		show_backtrace(regs, loglvl);
}

void dump_stack(void)
{
	show_backtrace(NULL, KERN_WARNING);
}
