/* SPDX-License-Identifier: BSD-2-Clause */
/* Address-space switches and ASIDs: a flush only when an ASID generation rolls over. */
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>
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

#ifdef CONFIG_DEBUG_ASID
static unsigned int asid_bits = 16;

kernel_param_uint("asid_bits", asid_bits, 0, 16);

static void asid_cap(void)
{
	unsigned long cap = (1UL << asid_bits) - 1;

	if (asid_max > cap) {
		asid_max = cap;
		pr_notice("mm: ASIDs limited to %lu by asid_bits=%u\n", cap,
			  asid_bits);
	}
}

/*
 * What each hart's TLB may hold as far as the allocator knows: the address
 * space, and the generation of its number, that each ASID was last loaded
 * for since the hart's last rollover flush. A number loaded for anything
 * else before that hart flushed would let the new address space use the
 * old one's translations. QEMU flushes its TLB at every satp write, so no
 * test would ever see such a translation there; this check reports the
 * missing flush instead. Kept for the first ASID_TRACK numbers, enough for
 * small asid_bits. Each hart's row is its own, written with interrupts
 * masked in mm_activate().
 */
#define ASID_TRACK 16

static struct asid_use {
	const struct mm *mm;
	u64 gen;
} asid_used[NR_CPUS][ASID_TRACK];
static int asid_reported; /* an int: RV64 has no byte-wide atomics */

static void asid_check(unsigned int cpu, const struct mm *mm,
		       unsigned long asid, u64 gen, bool flushed)
{
	struct asid_use *u = asid_used[cpu];

	if (asid >= ASID_TRACK)
		return;
	if (flushed)
		memset(asid_used[cpu], 0, sizeof(asid_used[cpu]));
	/* Once: it is reached from every switch, interrupts masked. */
	if (u[asid].mm && (u[asid].mm != mm || u[asid].gen != gen) &&
	    !__atomic_exchange_n(&asid_reported, 1, __ATOMIC_RELAXED))
		pr_err("BUG: hart %u loads ASID %lu for another address space without a flush\n",
		       cpu, asid);
	u[asid] = (struct asid_use){ mm, gen };
}
#else
static inline void asid_cap(void)
{
}

static inline void asid_check(unsigned int cpu, const struct mm *mm,
			      unsigned long asid, u64 gen, bool flushed)
{
}
#endif

/* How many ASID bits the hart implements: write ones, read back. */
void asid_init(void)
{
	unsigned long satp = csr_read(CSR_SATP);

	csr_write(CSR_SATP, satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	asid_max = (csr_read(CSR_SATP) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(CSR_SATP, satp);
	asid_cap();
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
 * handovers a second, every hart in mm_activate().
 *
 * Why the pair read is one the lock handed out. Under asid_lock a number
 * is published as: W1 mm->asid_gen = 0; release fence; W2 mm->asid = n;
 * W3 mm->asid_gen = G (release). An mm gets at most one number per
 * generation (only when its asid_gen is not asid_gen) and generations only
 * grow, so G is written to mm->asid_gen once, by W3. This reader does R1
 * load-acquire mm->asid_gen, R2 load mm->asid, acquire fence, R3 load
 * mm->asid_gen. If R1 reads g, it read W3 of generation g, so R2 sees that
 * W2 or a later number. A later number comes from a renumbering in a
 * generation G' > g, whose W1' (0) precedes its release fence and W2':
 * R2 reading W2' makes that fence synchronise with our acquire fence, so
 * R3 reads 0 or G', not g, and we fall back to the lock. So R1 == R3 == g
 * proves that the number read was handed out in generation g.
 *
 * Why a generation g older than the newest is still safe to load. g came
 * from asid_gen, read by this hart; its later reads never see an older
 * value (coherence), so cpu->asid_gen_seen only moves forward and the hart
 * flushed when it first loaded a number of g. Since then it loaded only
 * numbers of g, which are unique within g; another hart handing the same
 * number to another mm in g + 1 affects that hart's TLB, and this one
 * flushes before it loads any number of g + 1. Shootdowns flush by address
 * for every ASID (tlbflush.c), so an mm known by two numbers on two harts
 * is flushed under both. asid_check() tests these rules under
 * CONFIG_DEBUG_ASID, where QEMU cannot (it flushes at every satp write).
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

/*
 * This hart no longer has @old (not NULL: the address space it ran as its
 * own, whose reference its task or the caller still holds) in satp, so
 * shootdowns of old can skip it: its entries of old's number stay in the
 * TLB but are unused until it loads old again, and then it flushes them
 * (joined, in mm_activate()). Under a fork bomb every copy-on-write fault
 * sent an SBI remote fence to each hart the process had ever run on, 40 to
 * 85 ms with preemption off on a loaded host (smp.rst). An address space
 * only borrowed (lazy TLB) keeps its bit: its last mm_put() may be freeing
 * it, and mm_unlazy() reads the bit to find the harts to send off it.
 */
static void mm_leave(struct mm *old, unsigned int cpu)
{
	if (old)
		cpumask_clear_cpu(&old->cpus_ran, cpu);
}

void mm_activate(struct mm *mm)
{
	/* satp and cpu->mm of one hart: no preemption in between. */
	unsigned long irq = local_irq_save();
	struct cpu *cpu = this_cpu();
	unsigned long asid = 0, flags;
	bool flushed;
	u64 gen = 0;

	/* What this hart leaves: see mm_leave(). */
	struct mm *old = cpu->mm_lazy ? NULL : cpu->mm;
	bool joined;

	cpu->mm_lazy = false; /* mm is the running task's own now */
	if (!mm) {
		csr_write(CSR_SATP, early_satp);
		mm_leave(old, cpu->id);
		cpu->mm = NULL;
		local_irq_restore(irq);
		return;
	}
	/*
	 * Before the switch, so a shootdown from now on includes us. Ordered
	 * both ways (seq_cst, and flush_tlb_mask()'s fence before it reads
	 * the mask) with a shooter's page-table write: either it sees our bit
	 * or our walks after the flush below see its write.
	 */
	joined = !(__atomic_fetch_or(&mm->cpus_ran.bits, 1ULL << cpu->id,
				     __ATOMIC_SEQ_CST) & (1ULL << cpu->id));
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
	flushed = !asid_max || cpu->asid_gen_seen != gen;
	if (flushed) {
		local_flush_tlb_all();
		cpu->asid_gen_seen = asid_max ? gen : 0;
	} else if (joined) {
		/* Entries of mm's number from before we left it missed shootdowns. */
		local_flush_tlb_asid(asid);
	}
	asid_check(cpu->id, mm, asid, gen, flushed);
	if (old != mm)
		mm_leave(old, cpu->id);
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
