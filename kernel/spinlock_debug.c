/* SPDX-License-Identifier: BSD-2-Clause */
/* CONFIG_DEBUG_SPINLOCK: spinlocks that catch recursion, foreign unlocks and long holds. */
#include <hartix/kallsyms.h>
#include <hartix/kernel.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/sprintf.h>
#include <hartix/time.h>
#include <asm/stacktrace.h>

unsigned int spin_debug_timeout_ms = 1000;
unsigned long spin_debug_reports;

/* Set while this CPU reports: the report's own printk must not report. */
static bool reporting[NR_CPUS];

static void __noreturn spin_bug(spinlock_t *lock, const char *what)
{
	char sym[96], holder[16] = "nobody";

	printk_enter_panic();
	if (lock->owner)
		scnprintf(holder, sizeof(holder), "CPU%u", lock->owner - 1);
	pr_emerg("BUG: spinlock %s on CPU%u: lock %p, held by %s, taken at %s\n",
		 what, smp_processor_id(), (void *)lock, holder,
		 lock->owner_pc ? sprint_backtrace(sym, sizeof(sym),
						  lock->owner_pc) : "-");
	panic("spinlock %s", what);
}

static void report_long_hold(spinlock_t *lock, u64 waited_ms)
{
	unsigned int holder = READ_ONCE(lock->owner);
	char sym[96];

	/*
	 * Nothing to say if it was released just now; and printing while we
	 * hold a ticket of printk's own lock would queue behind ourselves.
	 */
	if (!holder || printk_lock_is(lock))
		return;
	reporting[smp_processor_id()] = true;
	__atomic_fetch_add(&spin_debug_reports, 1, __ATOMIC_RELAXED);
	pr_warn("spinlock %p: CPU%u waited %llu ms; held by CPU%u, taken at %s\n",
		(void *)lock, smp_processor_id(), (unsigned long long)waited_ms,
		holder - 1,
		sprint_backtrace(sym, sizeof(sym), READ_ONCE(lock->owner_pc)));
	dump_stack();
	if (IS_ENABLED(CONFIG_SMP))
		smp_send_backtrace(holder - 1);
	reporting[smp_processor_id()] = false;
}

static void set_owner(spinlock_t *lock, unsigned long pc)
{
	lock->owner = smp_processor_id() + 1;
	lock->owner_pc = pc;
}

/* A waiter's check, once per spin: reports a wait from start past the timeout, once. */
static void check_wait(spinlock_t *lock, u64 start, bool *reported)
{
	u64 deadline = start + spin_debug_timeout_ms * timebase_freq / 1000;

	if (!*reported && !reporting[smp_processor_id()] && get_ticks() > deadline) {
		report_long_hold(lock, ticks_to_ns(get_ticks() - start) / NSEC_PER_MSEC);
		*reported = true;
	}
}

void do_raw_spin_lock(spinlock_t *lock)
{
	unsigned long pc = (unsigned long)__builtin_return_address(0);
	bool reported = false;
	u64 start;
	u32 ticket;

	if (READ_ONCE(lock->owner) == smp_processor_id() + 1)
		spin_bug(lock, "recursion");
	ticket = arch_spin_take_ticket(&lock->raw);
	start = get_ticks();
	while (!arch_spin_ticket_served(&lock->raw, ticket)) {
		cpu_relax();
		check_wait(lock, start, &reported);
	}
	set_owner(lock, pc);
}

void do_raw_spin_lock_unfair(spinlock_t *lock)
{
	unsigned long pc = (unsigned long)__builtin_return_address(0);
	bool reported = false;
	u64 start;

	if (READ_ONCE(lock->owner) == smp_processor_id() + 1)
		spin_bug(lock, "recursion");
	start = get_ticks();
	while (!arch_spin_trylock(&lock->raw)) {
		cpu_relax();
		check_wait(lock, start, &reported);
	}
	set_owner(lock, pc);
}

bool do_raw_spin_trylock(spinlock_t *lock)
{
	if (!arch_spin_trylock(&lock->raw))
		return false;
	set_owner(lock, (unsigned long)__builtin_return_address(0));
	return true;
}

void do_raw_spin_unlock(spinlock_t *lock)
{
	if (lock->owner != smp_processor_id() + 1)
		spin_bug(lock, "unlocked by a CPU that does not hold it");
	lock->owner = 0;
	arch_spin_unlock(&lock->raw);
}
