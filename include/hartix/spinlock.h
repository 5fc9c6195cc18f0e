/* Spinlocks: fair ticket locks; the _irqsave forms also mask local interrupts. */
#ifndef HARTIX_SPINLOCK_H
#define HARTIX_SPINLOCK_H

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

void spin_lock(spinlock_t *lock);
bool spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

extern unsigned int spin_debug_timeout_ms;
extern unsigned long spin_debug_reports; /* held-too-long reports so far */
#else
typedef struct {
	arch_spinlock_t raw;
} spinlock_t;

#define SPINLOCK_UNLOCKED { ARCH_SPINLOCK_UNLOCKED }

static inline void spin_lock(spinlock_t *lock)
{
	arch_spin_lock(&lock->raw);
}

static inline bool spin_trylock(spinlock_t *lock)
{
	return arch_spin_trylock(&lock->raw);
}

static inline void spin_unlock(spinlock_t *lock)
{
	arch_spin_unlock(&lock->raw);
}
#endif

#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_UNLOCKED

/* Is this printk's log lock? (Lock debugging must not print while waiting on it.) */
bool printk_lock_is(const spinlock_t *lock);

static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = local_irq_save();

	spin_lock(lock);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *lock,
					  unsigned long flags)
{
	spin_unlock(lock);
	local_irq_restore(flags);
}

#endif
