/* SPDX-License-Identifier: BSD-2-Clause */
/* Signal delivery on RISC-V: Linux's rt_sigframe on the user stack, rt_sigreturn, system call restarts. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/siginfo.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <asm/csr.h>
#include <asm/fpu.h>
#include <asm/ptrace.h>

/*
 * The frame, as Linux riscv64 lays it out (arch/riscv/include/uapi/asm/
 * {sigcontext,ucontext}.h, arch/riscv/kernel/signal.c): siginfo_t, then
 * struct ucontext whose uc_mcontext is struct sigcontext = the 32
 * user_regs_struct words (pc, ra, sp, ... t6: pt_regs' first 32) and the
 * FP state union, of which the D layout is used.
 */
struct user_sigcontext {
	unsigned long regs[32];
	union {
		struct fpu_state d;
		struct {
			u64 f[64];
			u32 fcsr;
			u32 reserved[3]; /* zero on delivery, must be zero on return */
		} q;
	} __aligned(16) fp;
};

struct user_ucontext {
	unsigned long uc_flags;
	unsigned long uc_link;
	struct user_stack uc_stack;
	sigset_t uc_sigmask;
	u8 unused[1024 / 8 - sizeof(sigset_t)];
	struct user_sigcontext uc_mcontext;
};

struct rt_sigframe {
	struct user_siginfo info;
	struct user_ucontext uc;
};

BUILD_BUG_ON(sizeof(struct user_siginfo) != 128);
BUILD_BUG_ON(__builtin_offsetof(struct user_ucontext, uc_sigmask) != 40);
BUILD_BUG_ON(__builtin_offsetof(struct user_ucontext, uc_mcontext) != 176);
BUILD_BUG_ON(__builtin_offsetof(struct user_sigcontext, fp) != 256);
BUILD_BUG_ON(sizeof(struct rt_sigframe) != 1088);
const unsigned long signal_minsigstksz = ALIGN_UP(sizeof(struct rt_sigframe), 16);
BUILD_BUG_ON(__builtin_offsetof(struct pt_regs, t6) != 31 * sizeof(long));

/* li a7, __NR_rt_sigreturn; ecall: where ra points when a handler runs. */
static const u32 sigtramp_code[] = { 0x00000893 | (__NR_rt_sigreturn << 20),
				     0x00000073 };

long sigtramp_map(struct mm *mm)
{
	long addr = mm_map(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, false, 0);

	if (addr < 0)
		return addr;
	if (copy_to_user((void *)addr, sigtramp_code, sizeof(sigtramp_code)))
		return -EFAULT;
	return mm_protect(mm, addr, PAGE_SIZE, PROT_READ | PROT_EXEC) ?: addr;
}

/* Pushes the frame and points the registers at the handler; -EFAULT if the stack is bad. */
static int setup_rt_frame(int sig, const struct k_sigaction *ka,
			  const struct k_siginfo *info, struct pt_regs *regs)
{
	struct task *t = current_task();
	unsigned long sp = regs->sp;
	struct rt_sigframe f;

	memset(&f, 0, sizeof(f));
	siginfo_to_user(&f.info, sig, info);
	f.uc.uc_stack.ss_flags = SS_DISABLE;
	if (IS_ENABLED(CONFIG_SIGNAL_EXTRA)) {
		sigaltstack_get(t, sp, &f.uc.uc_stack);
		/* Onto the alternate stack, unless already on it. */
		if ((ka->flags & SA_ONSTACK) && t->sas_size &&
		    !on_sig_stack(t, sp)) {
			sp = t->sas_sp + t->sas_size;
			if (t->sas_flags & SS_AUTODISARM)
				sigaltstack_reset(t);
		}
	}
	sp = ALIGN_DOWN(sp - sizeof(struct rt_sigframe), 16);
	f.uc.uc_sigmask = signal_frame_mask();
	memcpy(f.uc.uc_mcontext.regs, regs, sizeof(f.uc.uc_mcontext.regs));
	fpu_flush(t);
	f.uc.uc_mcontext.fp.d = t->fp;
	if (sp >= TASK_SIZE || copy_to_user((void *)sp, &f, sizeof(f)))
		return -EFAULT;
	/* Other registers keep their values, as on Linux. */
	regs->epc = ka->handler;
	regs->ra = t->sig.tramp;
	regs->sp = sp;
	regs->a0 = (unsigned long)sig;
	regs->a1 = sp + __builtin_offsetof(struct rt_sigframe, info);
	regs->a2 = sp + __builtin_offsetof(struct rt_sigframe, uc);
	return 0;
}


/* Back into the ecall: a0 is the first argument again. */
static void restart_syscall(struct pt_regs *regs)
{
	regs->a0 = regs->orig_a0;
	regs->epc -= 4;
}

static void __noreturn bad_frame(const char *what, unsigned long sp)
{
	struct task *t = current_task();

	pr_err("[hart %lu] pid %d (%s): %s signal frame at 0x%lx: killed (SIGSEGV)\n",
	       current_hartid(), t->pid, t->comm, what, sp);
	do_group_exit(SIGSEGV);
}

/*
 * The return to user mode (trap.c) calls this while a signal is pending
 * or syscall_wants_restart():
 * one signal acted on, or an interrupted system call finished.
 */
void do_signal(struct pt_regs *regs)
{
	struct k_sigaction ka;
	struct k_siginfo info;
	int sig = signal_get(&ka, &info);

	if (regs->cause == EXC_ECALL_U) {
		regs->cause = -1UL; /* restart at most once */
		if (is_restart_errno(regs->a0)) {
			if (sig && (regs->a0 == (unsigned long)-ERESTARTNOHAND ||
				    (regs->a0 == (unsigned long)-ERESTARTSYS &&
				     !(ka.flags & SA_RESTART))))
				regs->a0 = (unsigned long)-EINTR;
			else
				restart_syscall(regs);
		}
	}
	if (!sig) {
		signal_restore_saved_mask();
		return;
	}
	if (setup_rt_frame(sig, &ka, &info, regs))
		bad_frame("cannot push a", regs->sp);
	signal_handler_started(sig, &ka);
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct task *t = current_task();
	struct pt_regs *regs = task_user_regs(t);
	unsigned long sp = regs->sp;
	struct rt_sigframe f;
	struct user_sigcontext *sc = &f.uc.uc_mcontext;

	if (sp >= TASK_SIZE || copy_from_user(&f, (const void *)sp, sizeof(f)) ||
	    sc->fp.q.reserved[0] || sc->fp.q.reserved[1] || sc->fp.q.reserved[2])
		bad_frame("bad", sp);
	signal_set_blocked(f.uc.uc_sigmask);
	/* The stack the handler's return gives back (SS_AUTODISARM's); as Linux, errors but EFAULT are ignored. */
	if (IS_ENABLED(CONFIG_SIGNAL_EXTRA))
		sigaltstack_set(t, sc->regs[2], &f.uc.uc_stack);
	/* pc and the registers only: sstatus stays the kernel's. */
	memcpy(regs, sc->regs, sizeof(sc->regs));
	t->fp = sc->fp.d;
	fpu_load(t);
	regs->cause = -1UL; /* a0 is the interrupted code's, not a result */
	return (long)regs->a0;
}
SYSCALL_FULL_FRAME(rt_sigreturn);
