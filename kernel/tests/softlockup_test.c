/* SPDX-License-Identifier: BSD-2-Clause */
/* KTAP tests of the soft-lockup detector: a hart spinning in the kernel gets reported. */
#include <hartix/ktest.h>
#include <hartix/smp.h>
#include <hartix/softlockup.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/spinlock.h>

/*
 * Spins with interrupts on, never scheduling, until the detector speaks
 * or three thresholds passed. Slow (the threshold plus a tick), so it runs
 * only with a short threshold: softlockup.timeout=1..3 on the command line.
 */
static __noinline void softlockup_spin(struct ktest *t)
{
	unsigned int secs = softlockup_timeout();
	u64 before = softlockup_reports(), deadline;

	if (!IS_ENABLED(CONFIG_SOFTLOCKUP_DETECTOR) || !secs || secs > 3) {
		ktest_skip(t, "needs softlockup.timeout=1..3 on the command line");
		return;
	}
	touch_softlockup_watchdog();
	deadline = get_ticks() + ms_to_ticks(3000ULL * secs + 1000);
	while (softlockup_reports() == before && get_ticks() < deadline)
		cpu_relax();
	KT_EXPECT(t, softlockup_reports() == before + 1);
	/* Not reported for the time before: the warning was this spin. */
	touch_softlockup_watchdog();
}

/* Sleeping as long as the threshold is no lockup: the hart scheduled. */
static void softlockup_sleep_is_fine(struct ktest *t)
{
	unsigned int secs = softlockup_timeout();
	u64 before = softlockup_reports();

	if (!IS_ENABLED(CONFIG_SOFTLOCKUP_DETECTOR) || !secs || secs > 3) {
		ktest_skip(t, "needs softlockup.timeout=1..3 on the command line");
		return;
	}
	msleep(secs * 1500);
	KT_EXPECT_EQ(t, softlockup_reports(), before);
}

KTEST_SUITE(softlockup, KTEST_CASE(softlockup_spin),
	    KTEST_CASE(softlockup_sleep_is_fine));
