/* SPDX-License-Identifier: BSD-2-Clause */
/* Tick/nanosecond conversion, the boot time reference and the wall-clock offset. */
#include <hartix/time.h>

u64 boot_entry_ticks;
/* QEMU virt's rate, used only until the device tree has been read. */
u64 timebase_freq = 10000000;

u64 ticks_to_ns(u64 ticks)
{
	/* Split so ticks * 1e9 cannot overflow for any real timebase. */
	return ticks / timebase_freq * NSEC_PER_SEC +
	       ticks % timebase_freq * NSEC_PER_SEC / timebase_freq;
}

u64 ns_to_ticks(u64 ns)
{
	return ns / NSEC_PER_SEC * timebase_freq +
	       (ns % NSEC_PER_SEC * timebase_freq + NSEC_PER_SEC - 1) /
		       NSEC_PER_SEC;
}

/*
 * CLOCK_REALTIME - CLOCK_MONOTONIC. One aligned 64-bit word: readers on
 * any hart need no lock, and a setter replaces it whole.
 */
static s64 realtime_offset_ns;

s64 ktime_get_real_ns(void)
{
	return (s64)ktime_get_ns() +
	       __atomic_load_n(&realtime_offset_ns, __ATOMIC_RELAXED);
}

void ktime_set_real_ns(s64 ns)
{
	__atomic_store_n(&realtime_offset_ns, ns - (s64)ktime_get_ns(),
			 __ATOMIC_RELAXED);
}
