/* SPDX-License-Identifier: BSD-2-Clause */
/* Spinlocks: fair ticket locks that disable preemption; the _irqsave forms also mask local interrupts. */
#ifndef HARTIX_SPINLOCK_H
#define HARTIX_SPINLOCK_H

#include <hartix/preempt.h>
#include <asm/irqflags.h>
#include <asm/spinlock.h>

#ifdef CONFIG_DEBUG_SPINLOCK
/*
 * Owner tracking catches recursion and unlocking a lock this CPU does not
 * hold; a wait longer than spin_debug_timeout_ms reports the holder.
 * A zeroed lock is a valid unlocked one.
 */
typedef struct {
	arch_spinlock_t raw;
	unsigned int owner; /* holding CPU + 1; 0 = free */
	unsigned long owner_pc; /* where it was taken */
} spinlock_t;

#define SPINLOCK_UNLOCKED { ARCH_SPINLOCK_UNLOCKED, 0, 0 }

void do_raw_spin_lock(spinlock_t *lock);
void do_raw_spin_lock_unfair(spinlock_t *lock);
bool do_raw_spin_trylock(spinlock_t *lock);
void do_raw_spin_unlock(spinlock_t *lock);

extern unsigned int spin_debug_timeout_ms;
extern unsigned long spin_debug_reports; /* held-too-long reports so far */
#else
typedef struct {
	arch_spinlock_t raw;
} spinlock_t;

#define SPINLOCK_UNLOCKED { ARCH_SPINLOCK_UNLOCKED }

static inline void do_raw_spin_lock(spinlock_t *lock)
{
	arch_spin_lock(&lock->raw);
}

static inline bool do_raw_spin_trylock(spinlock_t *lock)
{
	return arch_spin_trylock(&lock->raw);
}

static inline void do_raw_spin_lock_unfair(spinlock_t *lock)
{
	while (!arch_spin_trylock(&lock->raw))
		while (arch_spin_is_locked(&lock->raw))
			cpu_relax();
}

static inline void do_raw_spin_unlock(spinlock_t *lock)
{
	arch_spin_unlock(&lock->raw);
}
#endif

/*
 * A holder is never switched out (a waiter on its hart would spin on a
 * lock its holder cannot release): the lock disables preemption until it
 * is released. So no code may sleep with a spinlock held.
 */
static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	do_raw_spin_lock(lock);
}

static inline bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (do_raw_spin_trylock(lock))
		return true;
	preempt_enable_no_resched();
	return false;
}

static inline void spin_unlock(spinlock_t *lock)
{
	do_raw_spin_unlock(lock);
	preempt_enable();
}

#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_UNLOCKED

/* Is this printk's log lock? (Lock debugging must not print while waiting on it.) */
bool printk_lock_is(const spinlock_t *lock);

static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = local_irq_save();

	spin_lock(lock);
	return flags;
}

/*
 * For a lock every user takes this way (unlocked with
 * spin_unlock_irqrestore()): taken by trylock alone, a test-and-set lock
 * rather than a fair ticket one, as Linux's virt_spin_lock() in a guest.
 * Under QEMU on a loaded host the hart whose ticket comes up is often not
 * running, and every hart behind it waits for it; unfair, the lock goes
 * to a hart that runs. Only for short sections: a waiter may lose turns.
 */
static inline unsigned long spin_lock_irqsave_unfair(spinlock_t *lock)
{
	unsigned long flags = local_irq_save();

	preempt_disable();
	do_raw_spin_lock_unfair(lock);
	return flags;
}

/* Interrupts back on before preemption is: a due switch happens here. */
static inline void spin_unlock_irqrestore(spinlock_t *lock,
					  unsigned long flags)
{
	do_raw_spin_unlock(lock);
	local_irq_restore(flags);
	preempt_enable();
}

#endif
