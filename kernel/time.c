/* SPDX-License-Identifier: BSD-2-Clause */
/* Tick/nanosecond conversion and the boot time reference. */
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
