/* TLB shootdowns: the local hart directly, others through SBI RFENCE or cross-calls. */
#include <hartix/smp.h>
#include <asm/page.h>
#include <asm/sbi.h>
#include <asm/tlbflush.h>

/*
 * Above this many pages one sfence.vma of everything is cheaper than one
 * per page (Linux's tlb_flush_all_threshold on riscv): an munmap of a
 * huge empty range must not cost one instruction per page of it.
 */
#define FLUSH_ALL_PAGES 64

struct flush_range {
	unsigned long start, size;
};

static void flush_local(void *arg)
{
	struct flush_range *r = arg;

	if (r->size == ~0UL || r->size > FLUSH_ALL_PAGES * PAGE_SIZE)
		local_flush_tlb_all();
	else
		local_flush_tlb_range(r->start, r->size);
}

void flush_tlb_mask(const cpumask_t *mask, unsigned long start,
		    unsigned long size)
{
	u64 self = 1ULL << smp_processor_id();
	u64 remote = cpumask_bits(mask) & cpumask_bits(&cpu_online_mask) & ~self;
	struct flush_range r = { start, size };
	cpumask_t remote_mask = { remote };

	if (cpumask_bits(mask) & self)
		flush_local(&r);
	if (remote && sbi_remote_sfence_vma_cpus(remote, start, size))
		smp_call_function(&remote_mask, flush_local, &r, true);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long size)
{
	flush_tlb_mask(&cpu_online_mask, start, size);
}
