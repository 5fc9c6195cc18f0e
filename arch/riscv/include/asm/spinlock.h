/* SPDX-License-Identifier: BSD-2-Clause */
/* Ticket spinlock on RISC-V AMOs: harts get the lock in the order they asked. */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <hartix/compiler.h>
#include <hartix/types.h>

typedef struct {
	union {
		u64 word; /* for trylock's single compare-and-swap */
		struct {
			u32 owner; /* ticket being served */
			u32 next; /* next ticket to hand out */
		};
	};
} arch_spinlock_t;

#define ARCH_SPINLOCK_UNLOCKED { { 0 } }

static inline void cpu_relax(void)
{
	/* Zihintpause 'pause', a hint (a no-op fence) where unsupported. */
	__asm__ __volatile__(".4byte 0x0100000f" ::: "memory");
}

#ifdef CONFIG_SMP
static inline u32 arch_spin_take_ticket(arch_spinlock_t *lock)
{
	return __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);
}

static inline bool arch_spin_ticket_served(arch_spinlock_t *lock, u32 ticket)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) == ticket;
}

static inline void arch_spin_lock(arch_spinlock_t *lock)
{
	u32 ticket = arch_spin_take_ticket(lock);

	while (!arch_spin_ticket_served(lock, ticket))
		cpu_relax();
}

static inline bool arch_spin_trylock(arch_spinlock_t *lock)
{
	u64 old = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);

	if ((u32)old != (u32)(old >> 32))
		return false;
	return __atomic_compare_exchange_n(&lock->word, &old,
					   old + (1ULL << 32), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void arch_spin_unlock(arch_spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
}

static inline bool arch_spin_is_locked(arch_spinlock_t *lock)
{
	u64 v = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);

	return (u32)v != (u32)(v >> 32);
}

#else
/*
 * One hart, and a holder is never switched out (spin_lock() disables
 * preemption): the only code that can find a lock taken is an interrupt
 * or a panic on top of its holder, which must use spin_trylock() (printk),
 * since waiting could never end. So taking a lock is a plain count, no
 * atomic and no wait; the count still makes trylock and is_locked true.
 */
static inline u32 arch_spin_take_ticket(arch_spinlock_t *lock)
{
	u32 ticket = lock->next;

	WRITE_ONCE(lock->next, ticket + 1);
	barrier();
	return ticket;
}

/* For DEBUG_SPINLOCK's wait, which reports a lock taken (a deadlock here). */
static inline bool arch_spin_ticket_served(arch_spinlock_t *lock, u32 ticket)
{
	barrier();
	return READ_ONCE(lock->owner) == ticket;
}

static inline void arch_spin_lock(arch_spinlock_t *lock)
{
	arch_spin_take_ticket(lock);
}

static inline bool arch_spin_trylock(arch_spinlock_t *lock)
{
	if (lock->owner != lock->next)
		return false;
	arch_spin_lock(lock);
	return true;
}

static inline void arch_spin_unlock(arch_spinlock_t *lock)
{
	barrier();
	WRITE_ONCE(lock->owner, lock->owner + 1);
}

static inline bool arch_spin_is_locked(arch_spinlock_t *lock)
{
	return READ_ONCE(lock->owner) != READ_ONCE(lock->next);
}
#endif

#endif
