/* SPDX-License-Identifier: BSD-2-Clause */
/* Fast user-space mutexes: futex() waits and wakes, robust futex lists, clean-up at thread exit. */
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/futex.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/uaccess.h>
#include <asm/futex.h>
#include <abi/futex.h>
#include <abi/time.h>

/*
 * A waiter sleeps on a struct futex_q on its own stack, queued in the
 * bucket its key hashes to. Each bucket's lock protects its list and the
 * key and lock_ptr of every futex_q on it.
 *
 * No lost wake-ups: a waiter reads the futex word with the bucket locked
 * and queues itself before unlocking; a waker changes the word in user
 * space first and only then takes the bucket lock to look for waiters.
 * So either the waker's lock comes first and the waiter's read (after
 * its own lock) sees the new value and returns EAGAIN, or the waiter is
 * queued when the waker looks and is woken.
 *
 * Sleeping: the waiter marks itself TASK_SLEEPING while it still holds
 * the bucket lock, so a waker (which needs that lock) can only come after
 * and its wake_up_task() finds it asleep or on its way to schedule().
 *
 * A waker takes the futex_q off the list, wakes the task and stores NULL
 * into lock_ptr last, with release order, all with the bucket locked. The
 * waiter returns 0 as soon as it sees lock_ptr NULL and may then free the
 * stack the futex_q is on: nobody touches it after that store. A waiter
 * that wakes for another reason (signal, timeout) locks the bucket its
 * lock_ptr names (rechecking it: a requeue may move it meanwhile) and
 * dequeues itself; if lock_ptr is NULL it was woken after all and returns
 * 0, as Linux does.
 *
 * Keys: a FUTEX_PRIVATE_FLAG operation keys by (mm, address) without
 * looking at the memory; a shared one looks the region up: a MAP_SHARED
 * region keys by physical address (the same page in every process that
 * maps it), a private one by (mm, address), as a different key from the
 * private operation's (Linux's FUT_OFF_MMSHARED). Shared pages are not
 * pinned: a waiter on a page that is unmapped and reused may see a
 * spurious wake-up, which futex users must tolerate anyway.
 *
 * Lock order: a bucket lock (two in address order), then mm->lock (a
 * futex word that faults while a bucket is locked is faulted in; the trap
 * code takes the mm's lock, so key lookups never hold it while locking a
 * bucket), then a run queue's lock (wake_up_task()).
 */

#define FUTEX_HASH_BITS 8
#define FUTEX_HASH_SIZE (1u << FUTEX_HASH_BITS)

enum futex_key_type {
	KEY_PRIVATE, /* (mm, address), FUTEX_PRIVATE_FLAG */
	KEY_MM, /* (mm, address), a shared operation on private memory */
	KEY_PHYS, /* (0, physical address): MAP_SHARED memory */
};

struct futex_key {
	unsigned long base; /* the mm, or 0 */
	unsigned long addr; /* user or physical address of the word */
	enum futex_key_type type;
};

struct futex_q {
	struct futex_q *next, *prev; /* in the bucket's circular list */
	struct futex_key key;
	u32 bitset; /* FUTEX_WAKE_BITSET wakes it if they share a bit */
	struct task *task;
	spinlock_t *lock_ptr; /* its bucket's lock; NULL once woken */
};

struct futex_bucket {
	spinlock_t lock;
	struct futex_q head; /* list sentinel */
};

static struct futex_bucket futex_table[FUTEX_HASH_SIZE];

/* A timeout: the time CSR deadline's timer wakes the waiter. */
struct futex_timeout {
	struct timer timer;
	struct task *task;
	bool expired; /* the timer fired */
	bool done; /* and is finished with this struct */
};

static bool keys_match(const struct futex_key *a, const struct futex_key *b)
{
	return a->base == b->base && a->addr == b->addr && a->type == b->type;
}

static struct futex_bucket *hash_bucket(const struct futex_key *key)
{
	u64 h = (key->base ^ key->addr ^ key->type) * 0x9e3779b97f4a7c15ULL;
	struct futex_bucket *hb = &futex_table[h >> (64 - FUTEX_HASH_BITS)];

	/* The table is static and zeroed: an empty list points at itself. */
	if (unlikely(!READ_ONCE(hb->head.next))) {
		spin_lock(&hb->lock);
		if (!hb->head.next)
			hb->head.next = hb->head.prev = &hb->head;
		spin_unlock(&hb->lock);
	}
	return hb;
}

static void q_add(struct futex_bucket *hb, struct futex_q *q)
{
	q->next = &hb->head;
	q->prev = hb->head.prev;
	hb->head.prev->next = q;
	hb->head.prev = q;
	/* Read without the lock by its waiter (is it NULL yet?). */
	__atomic_store_n(&q->lock_ptr, &hb->lock, __ATOMIC_RELAXED);
}

static void q_del(struct futex_q *q)
{
	q->prev->next = q->next;
	q->next->prev = q->prev;
}

/*
 * Linux's get_futex_key(): -EINVAL for a misaligned word, -EFAULT for one
 * outside the user half or (shared operations) in no readable region.
 */
static int get_futex_key(u32 *uaddr, bool private, struct futex_key *key)
{
	unsigned long addr = (unsigned long)uaddr;
	struct mm *mm = current_task()->mm;
	phys_addr_t pa;
	int ret;

	if (addr % sizeof(u32))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	key->base = (unsigned long)mm;
	key->addr = addr;
	key->type = KEY_PRIVATE;
	if (private)
		return 0;
	ret = mm_shared_page(mm, addr, &pa);
	if (ret < 0)
		return ret;
	if (ret) {
		key->type = KEY_MM;
	} else {
		key->base = 0;
		key->addr = pa;
		key->type = KEY_PHYS;
	}
	return 0;
}

/* Both buckets, the lower address first (one lock when they are the same). */
static void double_lock(struct futex_bucket *a, struct futex_bucket *b)
{
	if (a > b) {
		struct futex_bucket *t = a;

		a = b;
		b = t;
	}
	spin_lock(&a->lock);
	if (a != b)
		spin_lock(&b->lock);
}

static void double_unlock(struct futex_bucket *a, struct futex_bucket *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

/* Bucket locked: q leaves it and its task runs; see the comment on top. */
static void wake_q(struct futex_q *q)
{
	q_del(q);
	wake_up_task(q->task);
	__atomic_store_n(&q->lock_ptr, NULL, __ATOMIC_RELEASE);
}

/*
 * Locks the bucket q is queued on and returns its lock, or NULL when q
 * was woken (it is on no bucket then).
 */
static spinlock_t *lock_q(struct futex_q *q)
{
	for (;;) {
		spinlock_t *lock = __atomic_load_n(&q->lock_ptr, __ATOMIC_ACQUIRE);

		if (!lock)
			return NULL;
		spin_lock(lock);
		/* A requeue may have moved q while we waited for the lock. */
		if (lock == READ_ONCE(q->lock_ptr))
			return lock;
		spin_unlock(lock);
	}
}

/* Takes q off its bucket: true, or false when a waker did first. */
static bool unqueue(struct futex_q *q)
{
	spinlock_t *lock = lock_q(q);

	if (!lock)
		return false;
	q_del(q);
	q->lock_ptr = NULL;
	spin_unlock(lock);
	return true;
}

static void timeout_fire(struct timer *timer)
{
	struct futex_timeout *to = container_of(timer, struct futex_timeout, timer);
	struct task *task = to->task;

	WRITE_ONCE(to->expired, true);
	/* Pairs with the waiter's fence: it sees expired, or is asleep. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wake_up_task(task);
	/* The last touch of *to: the waiter may return once it sees this. */
	__atomic_store_n(&to->done, true, __ATOMIC_RELEASE);
}

static void timeout_stop(struct futex_timeout *to)
{
	/* Already taken off its queue: its callback may be running elsewhere. */
	if (!timer_cancel(&to->timer))
		while (!__atomic_load_n(&to->done, __ATOMIC_ACQUIRE))
			cpu_relax();
}

/*
 * q is queued and its bucket's lock (lock) held: sleeps until woken (0),
 * the timeout passes (-ETIMEDOUT) or a signal comes (restart).
 */
static int futex_sleep(struct futex_q *q, spinlock_t *lock,
		       struct futex_timeout *to, int restart)
{
	struct task *t = current_task();
	enum task_state sleeping;
	int ret;

	for (;;) {
		bool expired;

		__atomic_store_n(&t->state, TASK_SLEEPING, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		expired = to && READ_ONCE(to->expired);
		spin_unlock(lock);
		sleeping = TASK_SLEEPING;
		/*
		 * The timer fired before we were asleep: stay awake unless
		 * a wake-up already queued us (then schedule() sorts it).
		 * schedule() itself keeps us awake if a signal is pending.
		 */
		if (!expired ||
		    !__atomic_compare_exchange_n(&t->state, &sleeping,
						 TASK_RUNNING, false,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			schedule();
		if (!__atomic_load_n(&q->lock_ptr, __ATOMIC_ACQUIRE))
			return 0;
		if (to && READ_ONCE(to->expired)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (signal_pending(t)) {
			ret = restart;
			break;
		}
		/* Spurious: sleep again, still queued. */
		lock = lock_q(q);
		if (!lock)
			return 0;
	}
	return unqueue(q) ? ret : 0;
}

/* Reads the word with its bucket locked (faulting it in if need be). */
static int futex_wait(u32 *uaddr, bool private, u32 val, u64 deadline,
		      u32 bitset, int restart)
{
	struct futex_q q = { .bitset = bitset, .task = current_task() };
	struct futex_timeout to = { .timer = { .fn = timeout_fire },
				    .task = current_task() };
	struct futex_bucket *hb;
	u32 uval;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, private, &q.key);
	if (ret)
		return ret;
	hb = hash_bucket(&q.key);
	spin_lock(&hb->lock);
	ret = futex_get_user(&uval, uaddr);
	if (!ret && uval != val)
		ret = -EAGAIN;
	if (ret) {
		spin_unlock(&hb->lock);
		return ret;
	}
	q_add(hb, &q);
	if (deadline)
		timer_add(&to.timer, deadline);
	ret = futex_sleep(&q, &hb->lock, deadline ? &to : NULL, restart);
	if (deadline)
		timeout_stop(&to);
	return ret;
}

/* Wakes up to nr (at least one, as Linux) waiters on key whose bitset meets bitset. */
static int wake_key(struct futex_bucket *hb, const struct futex_key *key,
		    int nr, u32 bitset)
{
	struct futex_q *q, *next;
	int woken = 0;

	for (q = hb->head.next; q != &hb->head; q = next) {
		next = q->next;
		if (!keys_match(&q->key, key) || !(q->bitset & bitset))
			continue;
		wake_q(q);
		if (++woken >= nr)
			break;
	}
	return woken;
}

static int futex_wake(u32 *uaddr, bool private, int nr, u32 bitset)
{
	struct futex_key key;
	struct futex_bucket *hb;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, private, &key);
	if (ret)
		return ret;
	hb = hash_bucket(&key);
	spin_lock(&hb->lock);
	ret = wake_key(hb, &key, nr, bitset);
	spin_unlock(&hb->lock);
	return ret;
}

/*
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE (cmpval non-NULL): wakes nr_wake
 * waiters on uaddr and moves up to nr_requeue more to uaddr2.
 */
static int futex_requeue(u32 *uaddr, bool private, u32 *uaddr2, int nr_wake,
			 int nr_requeue, const u32 *cmpval)
{
	struct futex_key key1, key2;
	struct futex_bucket *hb1, *hb2;
	struct futex_q *q, *next;
	int ret, count = 0;
	u32 cur;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	ret = get_futex_key(uaddr, private, &key1);
	if (!ret)
		ret = get_futex_key(uaddr2, private, &key2);
	if (ret)
		return ret;
	hb1 = hash_bucket(&key1);
	hb2 = hash_bucket(&key2);
	double_lock(hb1, hb2);
	if (cmpval) {
		ret = futex_get_user(&cur, uaddr);
		if (!ret && cur != *cmpval)
			ret = -EAGAIN;
		if (ret)
			goto out;
	}
	for (q = hb1->head.next; q != &hb1->head; q = next) {
		next = q->next;
		if (count - nr_wake >= nr_requeue)
			break;
		if (!keys_match(&q->key, &key1))
			continue;
		if (++count <= nr_wake) {
			wake_q(q);
			continue;
		}
		q->key = key2;
		if (hb1 != hb2) {
			/* Its waiter's lock_q() rechecks lock_ptr under hb1's lock. */
			q_del(q);
			q_add(hb2, q);
		}
	}
	ret = count;
out:
	double_unlock(hb1, hb2);
	return ret;
}

/*
 * FUTEX_WAKE_OP: *uaddr2 = *uaddr2 OP oparg atomically, wake nr waiters
 * on uaddr, and nr2 on uaddr2 if the old value compares true.
 */
static int futex_wake_op(u32 *uaddr, bool private, u32 *uaddr2, int nr,
			 int nr2, u32 encoded)
{
	unsigned int op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	/* Both 12-bit fields are signed. */
	int oparg = (int)(encoded << 8) >> 20, cmparg = (int)(encoded << 20) >> 20;
	struct futex_key key1, key2;
	struct futex_bucket *hb1, *hb2;
	int ret, cond;
	u32 old;

	ret = get_futex_key(uaddr, private, &key1);
	if (!ret)
		ret = get_futex_key(uaddr2, private, &key2);
	if (ret)
		return ret;
	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28))
		oparg = (int)(1u << (oparg & 31)); /* Linux masks a bad shift too */
	hb1 = hash_bucket(&key1);
	hb2 = hash_bucket(&key2);
	double_lock(hb1, hb2);
	ret = futex_atomic_op_user(op, (u32)oparg, &old, uaddr2);
	if (ret)
		goto out;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: cond = (int)old == cmparg; break;
	case FUTEX_OP_CMP_NE: cond = (int)old != cmparg; break;
	case FUTEX_OP_CMP_LT: cond = (int)old < cmparg; break;
	case FUTEX_OP_CMP_GE: cond = (int)old >= cmparg; break;
	case FUTEX_OP_CMP_LE: cond = (int)old <= cmparg; break;
	case FUTEX_OP_CMP_GT: cond = (int)old > cmparg; break;
	default:
		/* As Linux: the operation was done, nobody is woken. */
		ret = -ENOSYS;
		goto out;
	}
	ret = wake_key(hb1, &key1, nr, FUTEX_BITSET_MATCH_ANY);
	if (cond) {
		/* The same bucket may hold both keys: hb1 is still locked. */
		ret += wake_key(hb2, &key2, nr2, FUTEX_BITSET_MATCH_ANY);
	}
out:
	double_unlock(hb1, hb2);
	return ret;
}

/* Time CSR ticks in ns nanoseconds, rounded up, saturating. */
static u64 ns_to_deadline_ticks(u64 ns)
{
	return ns / NSEC_PER_SEC * timebase_freq +
	       (ns % NSEC_PER_SEC * timebase_freq + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
}

enum timeout_kind { TIMEOUT_RELATIVE, TIMEOUT_MONOTONIC, TIMEOUT_REALTIME };

/*
 * The deadline (time CSR) of a wait with timeout ts: relative for
 * FUTEX_WAIT, absolute on CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME,
 * CLOCK_REALTIME for FUTEX_WAIT_BITSET (converted with the clocks' offset
 * now: a later clock_settime() does not move it). Far ones saturate
 * (Linux's KTIME_MAX, about 292 years).
 */
static int timeout_deadline(const struct timespec *ts, enum timeout_kind kind,
			    u64 *deadline)
{
	const u64 max_ns = (1ULL << 63) - 1;
	u64 ns, now = get_ticks();

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	ns = (u64)ts->tv_sec >= max_ns / NSEC_PER_SEC ? max_ns :
	     (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
	if (kind == TIMEOUT_REALTIME) {
		s64 offset = ktime_get_real_ns() - (s64)ktime_get_ns();

		if (offset >= 0)
			ns = ns > (u64)offset ? ns - (u64)offset : 0;
		else
			ns = ns + (u64)-offset > max_ns ? max_ns : ns + (u64)-offset;
	}
	*deadline = (kind == TIMEOUT_RELATIVE ? now : boot_entry_ticks) +
		    ns_to_deadline_ticks(ns);
	/* 0 means no timeout: an absolute time before boot has passed anyway. */
	if (!*deadline)
		*deadline = 1;
	return 0;
}

SYSCALL_DEFINE6(futex, u32 *, uaddr, int, op, u32, val, unsigned long, utime,
		u32 *, uaddr2, u32, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool private = op & FUTEX_PRIVATE_FLAG;
	bool has_timeout = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
	/* The timeout argument is a count for the requeue and wake-op calls. */
	int val2 = (int)utime;
	u64 deadline = 0;
	int ret;

	if (utime && has_timeout) {
		struct timespec ts;

		if (copy_from_user(&ts, (const void *)utime, sizeof(ts)))
			return -EFAULT;
		ret = timeout_deadline(&ts, cmd == FUTEX_WAIT ? TIMEOUT_RELATIVE :
					    op & FUTEX_CLOCK_REALTIME ? TIMEOUT_REALTIME :
					    TIMEOUT_MONOTONIC, &deadline);
		if (ret)
			return ret;
	}
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		/*
		 * Without a timeout a handler with SA_RESTART restarts it;
		 * with one, Linux's restart block gives EINTR after any
		 * handler and restarts only when none ran.
		 */
		return futex_wait(uaddr, private, val, deadline, val3,
				  deadline ? -ERESTARTNOHAND : -ERESTARTSYS);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, private, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, private, uaddr2, (int)val, val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, private, uaddr2, (int)val, val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, private, uaddr2, (int)val, val2, val3);
	}
	return -ENOSYS; /* FUTEX_FD and the priority-inheritance calls */
}

SYSCALL_DEFINE2(set_robust_list, unsigned long, head, size_t, len)
{
	if (len != sizeof(struct robust_list_head))
		return -EINVAL;
	current_task()->robust_list = head;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, unsigned long *, uhead,
		size_t *, ulen)
{
	size_t len = sizeof(struct robust_list_head);
	unsigned long head, flags;
	struct task *t;

	flags = spin_lock_irqsave(&tasklist_lock);
	t = pid ? find_task(pid) : current_task();
	head = t ? t->robust_list : 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!t)
		return -ESRCH;
	if (copy_to_user(ulen, &len, sizeof(len)) ||
	    copy_to_user(uhead, &head, sizeof(head)))
		return -EFAULT;
	return 0;
}

/*
 * A dying thread t held the robust futex at uaddr (or was taking or
 * releasing it: pending): mark it FUTEX_OWNER_DIED and wake a waiter,
 * who gets EOWNERDEAD from the C library. As Linux's handle_futex_death().
 */
static void futex_owner_died(struct task *t, u32 *uaddr, bool pi, bool pending)
{
	u32 uval, nval, mval;

	if ((unsigned long)uaddr % sizeof(u32) || !access_ok(uaddr, sizeof(u32)))
		return;
	for (;;) {
		if (futex_get_user(&uval, uaddr))
			return;
		/*
		 * Died between the unlock (word 0) and taking itself off the
		 * list: a waiter may be asleep with nobody left to wake it.
		 */
		if (pending && !pi && !uval) {
			futex_wake(uaddr, false, 1, FUTEX_BITSET_MATCH_ANY);
			return;
		}
		if ((uval & FUTEX_TID_MASK) != (u32)t->pid)
			return;
		mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		if (futex_cmpxchg_user(&nval, uaddr, uval, mval))
			return;
		if (nval == uval)
			break;
	}
	/* The C library waits with a shared futex on robust mutexes. */
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake(uaddr, false, 1, FUTEX_BITSET_MATCH_ANY);
}

/* One user pointer of the list: the address, and bit 0 (a PI futex). */
static int fetch_entry(unsigned long uptr, unsigned long *entry, bool *pi)
{
	unsigned long v;

	if (copy_from_user(&v, (const void *)uptr, sizeof(v)))
		return -EFAULT;
	*entry = v & ~1UL;
	*pi = v & 1;
	return 0;
}

/*
 * Walks the list the user gave (it may be garbage or loop): at most
 * ROBUST_LIST_LIMIT entries, stopping at the first fault.
 */
static void exit_robust_list(struct task *t)
{
	unsigned long head = t->robust_list, entry, next, pending;
	unsigned int limit = ROBUST_LIST_LIMIT;
	bool pi, next_pi, pending_pi;
	long offset;

	if (fetch_entry(head + __builtin_offsetof(struct robust_list_head, list), &entry, &pi) ||
	    copy_from_user(&offset, (const void *)(head + __builtin_offsetof(struct robust_list_head,
								  futex_offset)),
			   sizeof(offset)) ||
	    fetch_entry(head + __builtin_offsetof(struct robust_list_head, list_op_pending),
			&pending, &pending_pi))
		return;
	while (entry != head) {
		int err = fetch_entry(entry, &next, &next_pi);

		/* The pending one is done last, whether it is on the list or not. */
		if (entry != pending)
			futex_owner_died(t, (u32 *)(entry + offset), pi, false);
		if (err || !--limit)
			break;
		entry = next;
		pi = next_pi;
	}
	if (pending)
		futex_owner_died(t, (u32 *)(pending + offset), pending_pi, true);
}

void futex_exit_release(struct task *t)
{
	u32 *tid = (u32 *)t->clear_child_tid;

	if (t->robust_list)
		exit_robust_list(t);
	t->robust_list = 0;
	/*
	 * pthread_join() waits on the word (a shared futex). As Linux, only
	 * while another task uses the memory: a process's last task leaves
	 * it as it was (glibc's fork sets it in every child).
	 */
	if (tid && __atomic_load_n(&t->mm->users, __ATOMIC_ACQUIRE) > 1 &&
	    !((unsigned long)tid % sizeof(u32)) && access_ok(tid, sizeof(u32)) &&
	    !futex_put_user(0, tid))
		futex_wake(tid, false, 1, FUTEX_BITSET_MATCH_ANY);
	t->clear_child_tid = NULL;
}
