/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel time: ticks of the RISC-V time CSR, converted with the FDT's timebase. */
#ifndef HARTIX_TIME_H
#define HARTIX_TIME_H

#include <hartix/types.h>
#include <asm/timex.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

/* Time CSR value at kernel entry (recorded by head.S). */
extern u64 boot_entry_ticks;
/* Ticks per second, from /cpus/timebase-frequency. */
extern u64 timebase_freq;

u64 ticks_to_ns(u64 ticks);

/* Nanoseconds since kernel entry. */
static inline u64 ktime_get_ns(void)
{
	return ticks_to_ns(get_ticks() - boot_entry_ticks);
}

/*
 * Wall-clock time: CLOCK_REALTIME = monotonic time + an offset set from
 * the RTC at boot and by clock_settime/settimeofday (kernel/time.c).
 */
s64 ktime_get_real_ns(void);
void ktime_set_real_ns(s64 ns);

/* Nanoseconds to time CSR ticks, rounded up (never sleeps short). */
u64 ns_to_ticks(u64 ns);

#endif
