/* SPDX-License-Identifier: BSD-2-Clause */
/* sysinfo(): uptime, memory from the page allocator and the RAM file system, process count. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/loadavg.h>
#include <hartix/mm.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/uaccess.h>
#include <abi/sysinfo.h>
#include <asm/page.h>

BUILD_BUG_ON(sizeof(struct sysinfo) != 112);

/*
 * freeram counts the pages in per-CPU caches too: they are free, only
 * parked. The slab caches first give back their free objects and empty
 * slabs, so that free memory is back exactly where it was once what a
 * program allocated in the kernel is freed, however the caches grew
 * meanwhile (the hostile tests check this after every run). sharedram is file data, as Linux counts tmpfs there. The load
 * averages are /proc/loadavg's (kernel/sched/loadavg.c). No swap.
 */
SYSCALL_DEFINE1(sysinfo, struct sysinfo *, uinfo)
{
	struct page_alloc_stats st;
	unsigned long used, max;
	struct sysinfo si;
	unsigned int i;

	kmem_cache_shrink_all();
	page_alloc_get_stats(&st);
	fs_data_pages(&used, &max);
	memset(&si, 0, sizeof(si));
	si.uptime = (long)(ktime_get_ns() / NSEC_PER_SEC);
	si.totalram = (unsigned long)st.total_pages * PAGE_SIZE;
	si.freeram = (unsigned long)(st.free_pages + st.cached_pages) * PAGE_SIZE;
	si.sharedram = used * PAGE_SIZE;
	si.procs = (unsigned short)min(process_count(), 0xffffU);
	get_avenrun(si.loads);
	for (i = 0; i < 3; i++)
		si.loads[i] <<= 16 - FSHIFT; /* SI_LOAD_SHIFT */
	si.mem_unit = 1; /* bytes, as Linux reports when they fit in a long */
	return copy_to_user(uinfo, &si, sizeof(si)) ? -EFAULT : 0;
}
