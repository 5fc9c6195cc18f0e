/* SPDX-License-Identifier: BSD-2-Clause */
/* Address-space switches and ASIDs: a flush only when an ASID generation rolls over. */
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <asm/csr.h>
#include <asm/page.h>
#include <asm/tlbflush.h>

#define SATP_ASID_MASK 0xffffUL

/*
 * ASID 0 is the kernel's. Numbers are handed out in generations: when they
 * run out a new generation starts, every address space gets a new number
 * on its next switch, and each hart flushes its TLB once on its first
 * switch in the new generation, so no stale entry of a reused number
 * survives. asid_lock serialises the writers of asid_gen, asid_next and
 * each mm's asid/asid_gen; a switch reads them without it when mm's
 * number is still of the current generation (asid_current()).
 */
static DEFINE_SPINLOCK(asid_lock);
static u64 asid_gen = 1;
static unsigned long asid_next = 1, asid_max;

extern unsigned long early_satp;

/* How many ASID bits the hart implements: write ones, read back. */
void asid_init(void)
{
	unsigned long satp = csr_read(CSR_SATP);

	csr_write(CSR_SATP, satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	asid_max = (csr_read(CSR_SATP) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(CSR_SATP, satp);
	if (asid_max)
		pr_info("mm: %lu ASIDs\n", asid_max);
	else
		pr_info("mm: no ASIDs, the TLB is flushed on every address-space switch\n");
}

/*
 * mm's number and the generation, if the number is of the current one,
 * read without asid_lock. Every switch between processes took the lock:
 * with hundreds of processes on 4 harts of a loaded host (proc_test's fork
 * bomb, 3 busy loops beside QEMU) its waiters formed a convoy of about 14
 * handovers a second, every hart in mm_activate(). Under the lock a new
 * number is published as generation 0, the number, then its generation:
 * the same generation read before and after the number proves they match.
 * A new generation started right after this is no worse than one started
 * right after the lock was dropped: the hart flushes at its next switch.
 */
static bool asid_current(struct mm *mm, unsigned long *asid, u64 *gen)
{
	u64 g = __atomic_load_n(&asid_gen, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&mm->asid_gen, __ATOMIC_ACQUIRE) != g)
		return false;
	*asid = READ_ONCE(mm->asid);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (READ_ONCE(mm->asid_gen) != g)
		return false;
	*gen = g;
	return true;
}

void mm_activate(struct mm *mm)
{
	/* satp and cpu->mm of one hart: no preemption in between. */
	unsigned long irq = local_irq_save();
	struct cpu *cpu = this_cpu();
	unsigned long asid = 0, flags;
	u64 gen = 0;

	cpu->mm_lazy = false; /* mm is the running task's own now */
	if (!mm) {
		csr_write(CSR_SATP, early_satp);
		cpu->mm = NULL;
		local_irq_restore(irq);
		return;
	}
	/* Before the switch, so a shootdown from now on includes us. */
	cpumask_set(&mm->cpus_ran, cpu->id);
	if (asid_max && !asid_current(mm, &asid, &gen)) {
		flags = spin_lock_irqsave(&asid_lock);
		if (mm->asid_gen != asid_gen) {
			if (asid_next > asid_max) {
				__atomic_store_n(&asid_gen, asid_gen + 1,
						 __ATOMIC_RELEASE);
				asid_next = 1;
			}
			/* See asid_current(): 0, the number, its generation. */
			WRITE_ONCE(mm->asid_gen, 0);
			__atomic_thread_fence(__ATOMIC_RELEASE);
			WRITE_ONCE(mm->asid, asid_next++);
			__atomic_store_n(&mm->asid_gen, asid_gen, __ATOMIC_RELEASE);
		}
		asid = mm->asid;
		gen = asid_gen;
		spin_unlock_irqrestore(&asid_lock, flags);
	}
	csr_write(CSR_SATP, SATP_MODE_SV39 | (asid << SATP_ASID_SHIFT) |
				    (virt_to_phys(mm->pgd) >> PAGE_SHIFT));
	if (!asid_max || cpu->asid_gen_seen != gen) {
		local_flush_tlb_all();
		cpu->asid_gen_seen = asid_max ? gen : 0;
	}
	cpu->mm = mm;
	local_irq_restore(irq);
}

struct mm *mm_active(void)
{
	unsigned long irq = local_irq_save();
	struct cpu *cpu = this_cpu();
	struct mm *mm = cpu->mm_lazy ? NULL : cpu->mm;

	local_irq_restore(irq);
	return mm;
}

#ifdef CONFIG_LAZY_TLB
/* Cross-call: off mm, if this hart still has it (it may have switched meanwhile). */
static void unlazy_local(void *mm)
{
	if (this_cpu()->mm == mm)
		mm_activate(NULL);
}

/*
 * Linux's MMU_LAZY_TLB_SHOOTDOWN. Only a lazy borrower can still have mm
 * loaded: every task that used it holds a reference, and a hart borrows
 * only what its previous task had loaded, before that task's on_cpu
 * release (which its reaper acquires before the last mm_put()). So a hart
 * read here without mm cannot take it up again, and one read with it
 * can only move off it: the cross-call checks once more.
 */
void mm_unlazy(struct mm *mm)
{
	cpumask_t mask = { 0 };
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpumask_test(&mm->cpus_ran, cpu) &&
		    READ_ONCE(cpus[cpu].mm) == mm)
			cpumask_set(&mask, cpu);
	if (cpumask_bits(&mask))
		smp_call_function(&mask, unlazy_local, mm, true);
}
#endif
