/* SPDX-License-Identifier: BSD-2-Clause */
/* TLB shootdowns: the local hart directly, others through SBI RFENCE or cross-calls. */
#include <hartix/preempt.h>
#include <hartix/smp.h>
#include <asm/page.h>
#include <asm/sbi.h>
#include <asm/tlbflush.h>

struct flush_range {
	unsigned long start, size;
};

/*
 * Above this many pages one full flush is cheaper than a fence per page
 * (Linux's tlb_flush_all_threshold); a 16 GiB range would take millions.
 */
#define FLUSH_ALL_THRESHOLD (64 * PAGE_SIZE)

static void flush_local(void *arg)
{
	struct flush_range *r = arg;

	if (r->size > FLUSH_ALL_THRESHOLD)
		local_flush_tlb_all();
	else
		local_flush_tlb_range(r->start, r->size);
}

void flush_tlb_mask(const cpumask_t *mask, unsigned long start,
		    unsigned long size)
{
	/* On one hart throughout: "self" and the local flush must agree. */
	u64 self = (preempt_disable(), 1ULL << smp_processor_id());
	u64 remote;

	/*
	 * The caller's page-table writes before the mask read: a hart joining
	 * the address space (mm_activate()) either is in the mask or walks
	 * the new tables.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	remote = cpumask_bits(mask) & cpumask_bits(&cpu_online_mask) & ~self;
	struct flush_range r = { start, size };
	cpumask_t remote_mask = { remote };

	/* SBI's "whole address space" is size ULONG_MAX. */
	if (tlb_flush_is_full(size))
		r = (struct flush_range){ 0, ~0UL };

	if (cpumask_bits(mask) & self)
		flush_local(&r);
	if (remote && sbi_remote_sfence_vma_cpus(remote, r.start, r.size))
		smp_call_function(&remote_mask, flush_local, &r, true);
	preempt_enable();
}

void flush_tlb_kernel_range(unsigned long start, unsigned long size)
{
	/*
	 * Every hart, this one too: the boot hart unmaps (ioremap probes of
	 * empty device slots) before it is in cpu_online_mask, and a stale
	 * entry would send a later mapping of the same address to the old page.
	 */
	cpumask_t all = { ~0ULL };

	flush_tlb_mask(&all, start, size);
}
