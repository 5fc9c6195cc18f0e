/* SPDX-License-Identifier: BSD-2-Clause */
/* ppoll() and pselect6(): sleeping until one of several files is ready, a timeout or a signal. */
#include <hartix/bitops.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/poll.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/uaccess.h>
#include <abi/poll.h>
#include <abi/time.h>
#include <asm/page.h>
#include <asm/timex.h>

#include "internal.h"

/* Linux's default RLIMIT_NOFILE: more pollfds than this is EINVAL. */
#define POLL_MAX_NFDS 1024
/* Files without a poll operation (regular files, memory devices). */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
/* The signal mask is a 64-bit sigset_t on riscv64. */
#define SIGSET_SIZE 8

/*
 * Poll tables, as Linux's poll_wqueues. A ppoll()/pselect6() call has one
 * on its stack. On the scan before it first sleeps (do_poll()) each
 * file's ->poll calls poll_wait() for the wait queues that are woken when
 * that file may have become ready, and the table queues one entry on
 * each, holding a reference to the file (whose private data holds the
 * queue: it lives while the entry is queued). A wake_up() of such a
 * queue calls pollwake(), which marks the table triggered and wakes its
 * task: only the pollers of that file wake, and they scan again.
 *
 * Locking: an entry's links are its queue's, under that queue's lock
 * (include/hartix/sched.h); pollwake() runs with it held and touches the
 * entry and its table only then. The poller takes each entry off its
 * queue under the same lock before it frees the table (poll_table_free()),
 * so no waker can reach the entries or the table, nor the poller's task,
 * once it has: a waker on another hart and a poller returning meet at
 * the queue's lock; the timeout timer is stopped with timer_cancel_sync()
 * first. pt->triggered and pt->timed_out are atomics; the other fields
 * are the poller's alone.
 *
 * Sleeping (poll_sleep()): the poller marks itself TASK_SLEEPING, then
 * reads triggered, timed_out and its signals; a waker sets triggered (the
 * timer timed_out, a signal its bit), then wakes the task, with a fence
 * between on both sides: either the poller sees the news or the wake-up
 * finds it asleep.
 */
#define POLL_INLINE_ENTRIES 16 /* on the stack: polls of a few files allocate nothing */

struct poll_entry {
	struct wait_entry wait;
	struct wait_queue *wq;
	struct file *file;
	struct poll_table *pt;
};

/* More entries, when the inline ones are used up. */
struct poll_chunk {
	struct poll_chunk *next;
	unsigned int used;
	struct poll_entry entries[];
};

#define POLL_CHUNK_ENTRIES \
	((PAGE_SIZE - sizeof(struct poll_chunk)) / sizeof(struct poll_entry))

struct poll_table {
	struct task *task;
	bool triggered; /* a queue of ours was woken since the last scan */
	bool timed_out;
	bool timer_on;
	int error; /* -ENOMEM: an entry could not be allocated */
	struct timer timer;
	struct poll_chunk *chunks; /* the newest first */
	unsigned int inline_used;
	struct poll_entry inline_entries[POLL_INLINE_ENTRIES];
};

/* A queue's lock held (see above). */
static void pollwake(struct wait_entry *e)
{
	struct poll_table *pt = container_of(e, struct poll_entry, wait)->pt;

	__atomic_store_n(&pt->triggered, true, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* pairs with poll_sleep()'s */
	wake_up_task(pt->task);
}

static void poll_timeout(struct timer *t)
{
	struct poll_table *pt = container_of(t, struct poll_table, timer);

	__atomic_store_n(&pt->timed_out, true, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wake_up_task(pt->task);
}

static struct poll_entry *poll_entry_alloc(struct poll_table *pt)
{
	struct poll_chunk *c = pt->chunks;

	if (pt->inline_used < POLL_INLINE_ENTRIES)
		return &pt->inline_entries[pt->inline_used++];
	if (!c || c->used == POLL_CHUNK_ENTRIES) {
		c = kmalloc(PAGE_SIZE, __GFP_NOWARN);
		if (!c)
			return NULL;
		c->next = pt->chunks;
		c->used = 0;
		pt->chunks = c;
	}
	return &c->entries[c->used++];
}

void poll_table_add(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	struct poll_entry *pe = poll_entry_alloc(pt);

	if (!pe) {
		pt->error = -ENOMEM;
		return;
	}
	file_get(f);
	*pe = (struct poll_entry){ { NULL, NULL, pollwake }, wq, f, pt };
	wait_entry_add(wq, &pe->wait);
}

static void poll_entry_free(struct poll_entry *pe)
{
	wait_entry_del(pe->wq, &pe->wait);
	fput(pe->file);
}

/* Every entry off its queue, every file reference dropped, the timer stopped. */
static void poll_table_free(struct poll_table *pt)
{
	struct poll_chunk *c, *next;
	unsigned int i;

	if (pt->timer_on)
		timer_cancel_sync(&pt->timer);
	for (i = 0; i < pt->inline_used; i++)
		poll_entry_free(&pt->inline_entries[i]);
	for (c = pt->chunks; c; c = next) {
		next = c->next;
		for (i = 0; i < c->used; i++)
			poll_entry_free(&c->entries[i]);
		kfree(c);
	}
}

static bool poll_woken(struct poll_table *pt)
{
	return __atomic_load_n(&pt->triggered, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&pt->timed_out, __ATOMIC_SEQ_CST) ||
	       signal_pending(pt->task);
}

/*
 * Sleeps until a queue of ours is woken, the timer fires or a signal
 * comes (or not at all, if one did since the last scan). Once marked
 * asleep the task must go through schedule() unless it takes the mark
 * back itself: a waker that saw it has queued it to run.
 */
static void poll_sleep(struct poll_table *pt)
{
	struct task *t = pt->task;
	enum task_state sleeping = TASK_SLEEPING;

	__atomic_store_n(&t->state, TASK_SLEEPING, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!poll_woken(pt) ||
	    !__atomic_compare_exchange_n(&t->state, &sleeping, TASK_RUNNING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		schedule();
	/* Cleared before the next scan looks: a wake-up during it counts. */
	__atomic_store_n(&pt->triggered, false, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* What f says is ready, its queues into pt (NULL: none). */
static inline unsigned int file_poll(struct file *f, struct poll_table *pt)
{
	return f->ops->poll ? f->ops->poll(f, pt) : DEFAULT_POLLMASK;
}

/*
 * One scan of what a call asks for (ppoll's pollfds, pselect6's sets):
 * sets its results, returns how many are ready, or -errno. pt: the
 * files' queues go into it, until one is ready (the call will not sleep
 * then).
 */
typedef long (*poll_scan_fn)(void *req, struct poll_table *pt);

/* ppoll's pollfds. */
struct pollfd_req {
	struct pollfd *pfd;
	unsigned int nfds;
};

/* Sets each revents to what is ready of events, plus errors and hang-ups unasked. */
static long pollfd_scan(void *arg, struct poll_table *pt)
{
	struct pollfd_req *req = arg;
	struct pollfd *pfd = req->pfd, *end = pfd + req->nfds;
	long n = 0;

	for (; pfd < end; pfd++) {
		unsigned int mask = 0;
		struct file *f;
		bool ref;

		if (pfd->fd >= 0) {
			f = fget_light(pfd->fd, &ref);
			if (!f) {
				mask = POLLNVAL;
			} else {
				mask = file_poll(f, n ? NULL : pt) &
				       ((unsigned short)pfd->events | POLLERR | POLLHUP);
				fput_light(f, ref);
			}
		}
		pfd->revents = (short)mask;
		n += mask != 0;
	}
	return n;
}

/*
 * Scans until a file is ready, the deadline (time CSR ticks; NULL: none)
 * passes or a signal comes (-ERESTARTNOHAND: EINTR to the caller). The
 * first scan queues nothing: a call that finds a file ready, or has a zero
 * timeout, allocates no entries. One that would sleep scans again, queuing
 * its entries, before it does.
 */
static long do_poll(poll_scan_fn scan, void *req, const u64 *deadline)
{
	struct poll_table pt;
	bool queue = false, queued = false;
	long n;

	pt.task = current_task();
	pt.triggered = pt.timed_out = pt.timer_on = false;
	pt.error = 0;
	pt.chunks = NULL;
	pt.inline_used = 0;
	for (;;) {
		n = scan(req, queue ? &pt : NULL);
		if (!n)
			n = pt.error;
		if (n)
			break;
		if (deadline && (READ_ONCE(pt.timed_out) || get_ticks() >= *deadline))
			break;
		if (signal_pending(pt.task)) {
			n = -ERESTARTNOHAND; /* EINTR once a handler runs, as Linux */
			break;
		}
		if (!queued) {
			queue = queued = true; /* the next scan queues the entries */
			continue;
		}
		queue = false;
		if (deadline && !pt.timer_on) {
			pt.timer = (struct timer){ .fn = poll_timeout };
			timer_add(&pt.timer, *deadline);
			pt.timer_on = true;
		}
		poll_sleep(&pt);
	}
	poll_table_free(&pt);
	return n;
}

/* A timeout read in as a deadline (time CSR ticks); -EINVAL. */
static long timespec_deadline(struct timespec ts, u64 *deadline)
{
	u64 ticks;

	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	/* Past ~30 years the wait is as good as forever. */
	if ((u64)ts.tv_sec > 1000000000ULL)
		ts.tv_sec = 1000000000L;
	ticks = (u64)ts.tv_sec * timebase_freq +
		(u64)ts.tv_nsec * timebase_freq / NSEC_PER_SEC;
	*deadline = get_ticks() + ticks;
	return 0;
}

/*
 * What Linux writes back into the caller's timeout: the time left. Not
 * for a zero timeout (Linux leaves that alone; *write false).
 */
static struct timespec time_left(const struct timespec *timeout, u64 deadline, bool *write)
{
	u64 now = get_ticks(), left = deadline > now ? deadline - now : 0;

	*write = timeout->tv_sec || timeout->tv_nsec;
	return (struct timespec){ (long)(left / timebase_freq),
				  (long)(left % timebase_freq * NSEC_PER_SEC / timebase_freq) };
}

/* The caller's mask argument: NULL (none), or *set read from user memory. */
static long get_sigmask(const void *umask, size_t size, sigset_t *set,
			bool *given)
{
	*given = umask != NULL;
	if (!umask)
		return 0;
	if (size != SIGSET_SIZE)
		return -EINVAL;
	return copy_from_user(set, umask, sizeof(*set)) ? -EFAULT : 0;
}

/*
 * Polls with the caller's mask in force, as Linux: interrupted
 * (-ERESTARTNOHAND), the old mask comes back after the handler runs;
 * otherwise at once.
 */
static long poll_masked(poll_scan_fn scan, void *req, u64 *deadline, bool masked, sigset_t set)
{
	long ret;

	if (masked)
		signal_set_temporary_mask(set);
	ret = do_poll(scan, req, deadline);
	if (masked && ret != -ERESTARTNOHAND)
		signal_restore_saved_mask();
	return ret;
}

/*
 * ppoll() and pselect6() read all their arguments under one user-access
 * window and write all their results under another (asm/uaccess.h says
 * why), then report the first error in Linux's order.
 */
SYSCALL_DEFINE5(ppoll, struct pollfd *, ufds, unsigned int, nfds,
		struct timespec *, utmo, const void *, umask, size_t, sigsetsize)
{
	size_t size = (size_t)nfds * sizeof(struct pollfd);
	bool ts_fault, mask_fault, fds_fault, write_left = false;
	struct timespec ts, left;
	struct pollfd_req req;
	struct pollfd *pfd;
	sigset_t set = 0;
	u64 deadline;
	long ret;

	if (nfds > POLL_MAX_NFDS)
		return -EINVAL;
	pfd = kmalloc(size ? size : 1, __GFP_NOWARN);
	if (!pfd)
		return -ENOMEM;
	user_access_begin();
	ts_fault = utmo && copy_from_user(&ts, utmo, sizeof(ts));
	mask_fault = umask && sigsetsize == SIGSET_SIZE &&
		     copy_from_user(&set, umask, sizeof(set));
	fds_fault = copy_from_user(pfd, ufds, size);
	user_access_end();
	ret = !utmo ? 0 : ts_fault ? -EFAULT : timespec_deadline(ts, &deadline);
	if (!ret && umask)
		ret = sigsetsize != SIGSET_SIZE ? -EINVAL : mask_fault ? -EFAULT : 0;
	if (!ret && fds_fault)
		ret = -EFAULT;
	if (ret) {
		kfree(pfd);
		return ret;
	}
	req = (struct pollfd_req){ pfd, nfds };
	ret = poll_masked(pollfd_scan, &req, utmo ? &deadline : NULL, umask != NULL, set);
	if (utmo)
		left = time_left(&ts, deadline, &write_left);
	user_access_begin();
	if (ret >= 0 && copy_to_user(ufds, pfd, size))
		ret = -EFAULT;
	if (write_left)
		copy_to_user(utmo, &left, sizeof(left)); /* errors ignored, as Linux */
	user_access_end();
	kfree(pfd);
	return ret;
}

/* pselect6's last argument. */
struct sigset_arg {
	const void *mask;
	size_t size;
};

#define FDSET_WORD_BITS 64
#define FDSET_WORDS (NR_OPEN / FDSET_WORD_BITS)

/*
 * pselect6's sets, scanned as they are (as Linux's do_select()), not
 * made into pollfds: asked[s] are the three sets read in, with no bit at
 * or past nfds; ready[s] what the last scan found.
 */
struct select_req {
	unsigned int words; /* of each set that count */
	u64 asked[3][FDSET_WORDS], ready[3][FDSET_WORDS];
};

/* What makes a descriptor ready for each set (Linux's POLL*_SET). */
static const unsigned int select_ready[3] = {
	POLLIN | POLLRDNORM | POLLHUP | POLLERR,
	POLLOUT | POLLWRNORM | POLLERR, POLLPRI };

/* Counts the bits set in ready (an fd in two sets counts twice, as Linux); -EBADF for a closed fd. */
static long select_scan(void *arg, struct poll_table *pt)
{
	struct select_req *req = arg;
	unsigned int w;
	bool ref;
	long n = 0;

	for (w = 0; w < req->words; w++) {
		u64 in = req->asked[0][w], out = req->asked[1][w], ex = req->asked[2][w];
		u64 all = in | out | ex, *ready = &req->ready[0][w];

		/* Results go to memory, rarely: the loop keeps the rest in registers across ->poll. */
		ready[0] = ready[FDSET_WORDS] = ready[2 * FDSET_WORDS] = 0;
		for (; all; all &= all - 1) {
			u64 bit = all & -all;
			struct file *f = fget_light((int)(w * FDSET_WORD_BITS + lowest_bit64(all)), &ref);
			unsigned int mask;

			if (!f)
				return -EBADF;
			mask = file_poll(f, n ? NULL : pt);
			fput_light(f, ref);
			if ((in & bit) && (mask & select_ready[0])) {
				ready[0] |= bit;
				n++;
			}
			if ((out & bit) && (mask & select_ready[1])) {
				ready[FDSET_WORDS] |= bit;
				n++;
			}
			if ((ex & bit) && (mask & select_ready[2])) {
				ready[2 * FDSET_WORDS] |= bit;
				n++;
			}
		}
	}
	return n;
}

SYSCALL_DEFINE6(pselect6, int, nfds, u64 *, uin, u64 *, uout, u64 *, uex,
		struct timespec *, utmo, const struct sigset_arg *, usig)
{
	u64 *uset[3] = { uin, uout, uex };
	bool ts_fault, sig_fault, sets_fault = false, masked = false, write_left = false;
	struct timespec ts, left;
	struct select_req req;
	struct sigset_arg sig;
	sigset_t set = 0;
	unsigned int s;
	size_t bytes;
	u64 deadline;
	long ret;

	if (nfds < 0)
		return -EINVAL;
	nfds = min(nfds, NR_OPEN); /* as Linux: no descriptor lies beyond */
	req.words = ALIGN_UP((unsigned int)nfds, FDSET_WORD_BITS) / FDSET_WORD_BITS;
	bytes = req.words * sizeof(u64);
	user_access_begin();
	ts_fault = utmo && copy_from_user(&ts, utmo, sizeof(ts));
	sig_fault = usig && copy_from_user(&sig, usig, sizeof(sig));
	for (s = 0; s < 3; s++)
		sets_fault |= uset[s] && copy_from_user(req.asked[s], uset[s], bytes);
	user_access_end();
	if (utmo) {
		ret = ts_fault ? -EFAULT : timespec_deadline(ts, &deadline);
		if (ret)
			return ret;
	}
	if (usig) {
		if (sig_fault)
			return -EFAULT;
		ret = get_sigmask(sig.mask, sig.size, &set, &masked);
		if (ret)
			return ret;
	}
	if (sets_fault)
		return -EFAULT;
	for (s = 0; s < 3; s++) {
		if (!uset[s])
			memset(req.asked[s], 0, bytes);
		/* Bits past nfds do not count. */
		if (nfds % FDSET_WORD_BITS)
			req.asked[s][req.words - 1] &= (1ULL << (nfds % FDSET_WORD_BITS)) - 1;
	}
	ret = poll_masked(select_scan, &req, utmo ? &deadline : NULL, masked, set);
	if (utmo)
		left = time_left(&ts, deadline, &write_left);
	user_access_begin();
	for (s = 0; ret >= 0 && s < 3; s++)
		if (uset[s] && copy_to_user(uset[s], req.ready[s], bytes))
			ret = -EFAULT;
	if (write_left)
		copy_to_user(utmo, &left, sizeof(left)); /* errors ignored, as Linux */
	user_access_end();
	return ret;
}
