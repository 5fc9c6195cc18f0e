/* SPDX-License-Identifier: BSD-2-Clause */
/* CONFIG_DEBUG_SPINLOCK: a lock held too long is reported with its holder. */
#include <hartix/ktest.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/timer.h>

static DEFINE_SPINLOCK(slow_lock);
static unsigned long holder_ready;

static void hold_for_a_while(void *arg)
{
	spin_lock(&slow_lock);
	__atomic_store_n(&holder_ready, 1, __ATOMIC_RELEASE);
	udelay(150 * 1000);
	spin_unlock(&slow_lock);
}

static void long_hold_reported(struct ktest *t)
{
	unsigned long before = spin_debug_reports;
	unsigned int saved = spin_debug_timeout_ms, holder;
	cpumask_t mask = { 0 };

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	holder = smp_processor_id() == 0 ? 1 : 0;
	cpumask_set(&mask, holder);
	spin_debug_timeout_ms = 50;
	holder_ready = 0;
	smp_call_function(&mask, hold_for_a_while, NULL, false);
	while (!__atomic_load_n(&holder_ready, __ATOMIC_ACQUIRE))
		cpu_relax();
	spin_lock(&slow_lock);
	KT_EXPECT_EQ(t, slow_lock.owner, smp_processor_id() + 1);
	spin_unlock(&slow_lock);
	KT_EXPECT_EQ(t, slow_lock.owner, 0);
	spin_debug_timeout_ms = saved;
	KT_EXPECT_EQ(t, spin_debug_reports, before + 1);
}

static void owner_tracked(struct ktest *t)
{
	DEFINE_SPINLOCK(lock);

	KT_EXPECT_EQ(t, lock.owner, 0);
	KT_ASSERT(t, spin_trylock(&lock));
	KT_EXPECT_EQ(t, lock.owner, smp_processor_id() + 1);
	KT_EXPECT(t, !spin_trylock(&lock));
	spin_unlock(&lock);
	KT_EXPECT_EQ(t, lock.owner, 0);
}

KTEST_SUITE(spinlock_debug,
	    KTEST_CASE(owner_tracked),
	    KTEST_CASE(long_hold_reported));
