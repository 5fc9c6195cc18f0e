/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU state: one struct cpu per logical CPU, reached through tp. */
#ifndef HARTIX_SMP_H
#define HARTIX_SMP_H

#include <hartix/cpumask.h>
#include <hartix/types.h>
#include <asm/percpu.h>

struct task;

/* Kinds of inter-processor interrupt (bits of ipi_pending). */
enum ipi_kind { IPI_CALL, IPI_RESCHED, IPI_STOP, IPI_BACKTRACE, NR_IPI };

/*
 * The first fields are read by assembly (entry.S, head.S) at the offsets in
 * asm/percpu.h; arch/riscv/kernel/smpboot.c checks them at build time.
 */
struct cpu {
	unsigned long hartid;
	unsigned long id; /* dense logical CPU number; the boot hart is 0 */
	unsigned long stack_lo, stack_hi; /* this hart's kernel stack */
	unsigned long overflow_sp; /* top of the stack for a bad-stack report */
	unsigned long scratch; /* trap entry's spare register slot */

	unsigned long ipi_pending; /* IPI_* bits, set by senders */
	bool has_sstc; /* timer through the stimecmp CSR, not SBI */
	bool need_resched; /* set by a reschedule IPI */
	bool fpu_regs_zero; /* this hart's FP registers hold FS=Initial's zeroes */
	struct mm *mm; /* address space in satp; NULL: kernel only */
	/*
	 * Lazy TLB (CONFIG_LAZY_TLB): mm is only borrowed, kept loaded for
	 * a task with none of its own (the idle task, a kernel thread). It
	 * holds no reference: mm_put() moves such harts off it (mm_unlazy()).
	 */
	bool mm_lazy;
	struct task *current, *idle; /* running task; this hart's idle task */
	int *preempt_count; /* the running task's (include/hartix/preempt.h) */
	int boot_preempt; /* the count until this hart's idle task runs */
	/*
	 * Counters (k23's metrics), each written only by its own hart and
	 * read racily by reports (/proc, the kernel shell): no lock.
	 */
	u64 context_switches;
	u64 syscalls, page_faults; /* from user mode; syscalls: CONFIG_SYSCALL_STATS */
	/* Timer ticks by what the hart was doing when the tick came. */
	u64 user_ticks, system_ticks, idle_ticks;
	bool tick_from_user; /* the timer interrupt came from user mode */
	u64 asid_gen_seen; /* ASID generation this hart's TLB is clean for */
	u64 ticks, irqs, ipis; /* interrupts taken, by kind */
	u64 timer_irqs; /* timer interrupts (ticks counts the scheduler's) */
	/*
	 * Hung-task evidence: time-CSR ticks by which this hart took its
	 * tick interrupts late, summed. Time the hart did not run: its vCPU
	 * not scheduled by a loaded host, or interrupts masked.
	 */
	u64 tick_late;
	u64 ipi_kinds[NR_IPI]; /* IPIs by kind; ipis counts interrupts */
};

/*
 * A pointer-sized field of the running hart's struct cpu in one load off
 * tp. With kernel preemption, this_cpu()->field is two instructions, and
 * a task preempted between them reads the hart it left: current_task()
 * would be another task.
 */
#define this_cpu_read(field)                                                 \
	({                                                                   \
		__typeof__(((struct cpu *)0)->field) __v;                    \
		BUILD_BUG_ON(sizeof(__v) != 8);                              \
		__asm__ __volatile__("ld %0, %1(tp)"                         \
				     : "=r"(__v)                             \
				     : "i"(__builtin_offsetof(struct cpu, field))); \
		__v;                                                         \
	})

/* Indexed by logical id; tp points at the running hart's entry. */
extern struct cpu cpus[NR_CPUS];
extern cpumask_t cpu_online_mask;

static inline unsigned int smp_processor_id(void)
{
	return (unsigned int)this_cpu()->id;
}

static inline unsigned long current_hartid(void)
{
	return this_cpu()->hartid;
}

static inline unsigned long cpu_hartid(unsigned int cpu)
{
	return cpus[cpu].hartid;
}

#define for_each_online_cpu(cpu) for_each_cpu(cpu, &cpu_online_mask)

/* Top of cpu's small stack for reporting a bad kernel stack pointer. */
unsigned long overflow_stack_top(unsigned int cpu);

/* Number of CPUs brought up (1 until smp_init() ran). */
unsigned int num_online_cpus(void);

/* Starts the other usable harts the device tree describes (CONFIG_SMP). */
void smp_init(void);

/* Per-CPU set-up on every hart: sscratch, FPU off, counters (early); timer, interrupts (late). */
void cpu_init_early(void);
void cpu_init_late(void);

/*
 * Runs fn(arg) on every CPU in mask (this one too, directly, with
 * interrupts masked); waits for all of them to finish if wait. Not from
 * interrupt context.
 */
void smp_call_function(const cpumask_t *mask, void (*fn)(void *arg), void *arg,
		       bool wait);
void on_each_cpu(void (*fn)(void *arg), void *arg, bool wait);
void smp_send_reschedule(unsigned int cpu);
/* Stops every other hart (panic, power-off). */
void smp_send_stop(void);

struct pt_regs;

/* Trap code: a supervisor software interrupt (IPI) arrived. */
void handle_ipi(struct pt_regs *regs);
/* smp_init(): IPIs through the device tree's ACLINT SSWI, if it has one. */
void smp_ipi_probe(void);

/*
 * Asks cpu to print a backtrace of what it was running when the IPI
 * arrived; a CPU spinning with interrupts masked does not answer.
 */
void smp_send_backtrace(unsigned int cpu);
/*
 * The same, and waits up to timeout_ms for cpu to have printed it (with
 * interrupts enabled: this CPU may be cpu). 0, or -ETIMEDOUT when it did
 * not answer. Task context.
 */
int smp_backtrace(unsigned int cpu, unsigned int timeout_ms);

/* Waits for an interrupt with interrupts masked, then takes it. */
void cpu_wait_for_interrupt(void);

#endif
