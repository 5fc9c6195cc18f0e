/* SPDX-License-Identifier: BSD-2-Clause */
/* membarrier(): a memory barrier on every hart that may run the caller's threads. */
#include <hartix/errno.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <hartix/syscalls.h>
#include <abi/futex.h>

#define MEMBARRIER_REGISTRATIONS                                             \
	(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED |                          \
	 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |                         \
	 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE)

/* What MEMBARRIER_CMD_QUERY answers: no RSEQ (Hartix has no rseq()). */
#define MEMBARRIER_SUPPORTED                                                 \
	(MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |           \
	 MEMBARRIER_CMD_PRIVATE_EXPEDITED |                                  \
	 MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE |                        \
	 MEMBARRIER_REGISTRATIONS | MEMBARRIER_CMD_GET_REGISTRATIONS)

static void barrier_ipi(void *arg)
{
	__asm__ __volatile__("fence rw, rw" ::: "memory");
	/* SYNC_CORE: instructions written before are fetched anew. */
	if (arg)
		__asm__ __volatile__("fence.i" ::: "memory");
}

/*
 * Every online hart, this one too, runs a full fence (and fence.i for
 * sync_core) before this returns. Linux limits the IPIs to the harts
 * whose current task uses the caller's mm, which relies on a full
 * barrier in its scheduler between switching mm and user mode; Hartix's
 * switch has none, so every hart gets one: a hart that switches to one
 * of our threads later ran the fence before it did.
 */
static long barrier_all(bool sync_core)
{
	on_each_cpu(barrier_ipi, sync_core ? (void *)1 : NULL, true);
	return 0;
}

SYSCALL_DEFINE3(membarrier, int, cmd, unsigned int, flags, int, cpu_id)
{
	struct mm *mm = current_task()->mm;
	unsigned int state = __atomic_load_n(&mm->membarrier_state, __ATOMIC_ACQUIRE);

	(void)cpu_id; /* only MEMBARRIER_CMD_FLAG_CPU with RSEQ uses it */
	if (flags)
		return -EINVAL;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MEMBARRIER_SUPPORTED;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		return barrier_all(false);
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		if (!(state & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED))
			return -EPERM;
		return barrier_all(false);
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		if (!(state & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE))
			return -EPERM;
		return barrier_all(true);
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
		/* Registration is for the whole address space, every thread. */
		__atomic_fetch_or(&mm->membarrier_state, (unsigned int)cmd,
				  __ATOMIC_RELEASE);
		return 0;
	case MEMBARRIER_CMD_GET_REGISTRATIONS:
		return state & MEMBARRIER_REGISTRATIONS;
	}
	return -EINVAL; /* unknown, and the RSEQ commands */
}
