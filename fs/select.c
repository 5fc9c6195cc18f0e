/* SPDX-License-Identifier: BSD-2-Clause */
/* ppoll() and pselect6(): sleeping until one of several files is ready, a timeout or a signal. */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
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
#include <asm/timex.h>

#include "internal.h"

/* Linux's default RLIMIT_NOFILE: more pollfds than this is EINVAL. */
#define POLL_MAX_NFDS 1024
/* Files without a poll operation (regular files, memory devices). */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
/* The signal mask is a 64-bit sigset_t on riscv64. */
#define SIGSET_SIZE 8

/*
 * Every poller sleeps on the one poll_wq: a task can sit on one wait queue
 * at a time, so it cannot wait on each of its files' own queues. A file
 * that may have become ready calls poll_wake(), which bumps poll_seq and
 * wakes all pollers; each scans its files again. Pollers count themselves
 * in nr_pollers first, so poll_wake() skips the queue's lock when there
 * are none: both sides use sequentially consistent atomics (the poller
 * adds itself, then reads poll_seq; the waker bumps poll_seq, then reads
 * nr_pollers), so one of them always sees the other.
 */
static struct wait_queue poll_wq = WAIT_QUEUE_INIT;
static unsigned long poll_seq;
static unsigned int nr_pollers;

void poll_wake(void)
{
	__atomic_add_fetch(&poll_seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&nr_pollers, __ATOMIC_SEQ_CST))
		wake_up(&poll_wq);
}

struct poll_wait {
	unsigned long seq; /* poll_seq before the last scan */
	struct wait_timer *timer;
};

static bool poll_woken(void *arg)
{
	struct poll_wait *w = arg;

	return __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST) != w->seq ||
	       (w->timer && READ_ONCE(w->timer->expired)) ||
	       signal_pending(current_task());
}

/*
 * Sets each revents to what is ready of events, plus always (poll reports
 * errors and hang-ups unasked, select does not); returns how many are not 0.
 * held (the first scan only): keeps each file's reference there, as
 * Linux's poll table entries do, so a file closed by another thread while
 * we sleep stays open (a pipe keeps its reader) until the poll returns.
 */
static long poll_scan(struct pollfd *pfd, unsigned int nfds,
		      unsigned int always, struct file **held)
{
	unsigned int i;
	long n = 0;

	for (i = 0; i < nfds; i++) {
		struct file *f __free(fput) = NULL;
		unsigned int mask;

		pfd[i].revents = 0;
		if (pfd[i].fd < 0)
			continue;
		f = fget(pfd[i].fd);
		if (!f)
			mask = POLLNVAL;
		else
			mask = (f->ops->poll ? f->ops->poll(f) : DEFAULT_POLLMASK) &
			       ((unsigned short)pfd[i].events | always);
		pfd[i].revents = (short)mask;
		n += mask != 0;
		if (held)
			held[i] = no_free_ptr(f);
	}
	return n;
}

/*
 * Scans until a file is ready, the deadline (time CSR ticks; NULL: none)
 * passes or a signal comes (-ERESTARTNOHAND: EINTR to the caller).
 */
static long do_poll(struct pollfd *pfd, unsigned int nfds, unsigned int always,
		    const u64 *deadline)
{
	struct file **held = kzalloc(max(nfds, 1U) * sizeof(*held), __GFP_NOWARN);
	struct poll_wait w = { 0, NULL };
	struct wait_timer timer;
	bool first = true;
	unsigned int i;
	long n;

	if (!held)
		return -ENOMEM;
	__atomic_add_fetch(&nr_pollers, 1, __ATOMIC_SEQ_CST);
	for (;; first = false) {
		w.seq = __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST);
		n = poll_scan(pfd, nfds, always, first ? held : NULL);
		if (n)
			break;
		if (deadline && (w.timer ? READ_ONCE(timer.expired) :
					   get_ticks() >= *deadline))
			break;
		if (signal_pending(current_task())) {
			n = -ERESTARTNOHAND; /* EINTR once a handler runs, as Linux */
			break;
		}
		if (deadline && !w.timer) {
			wait_timer_start(&timer, &poll_wq, *deadline);
			w.timer = &timer;
		}
		wait_event(&poll_wq, poll_woken, &w);
	}
	__atomic_sub_fetch(&nr_pollers, 1, __ATOMIC_SEQ_CST);
	if (w.timer)
		wait_timer_stop(&timer);
	for (i = 0; i < nfds; i++)
		if (held[i])
			fput(held[i]);
	kfree(held);
	return n;
}

/* A user timespec as a deadline; -EINVAL or -EFAULT. */
static long get_deadline(const struct timespec *uts, u64 *deadline)
{
	struct timespec ts;
	u64 ticks;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
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

/* Linux writes the time left back (errors ignored, as there). */
static void put_time_left(struct timespec *uts, u64 deadline)
{
	u64 now = get_ticks(), left = deadline > now ? deadline - now : 0;
	struct timespec ts = { (long)(left / timebase_freq),
			       (long)(left % timebase_freq * NSEC_PER_SEC /
				      timebase_freq) };

	copy_to_user(uts, &ts, sizeof(ts));
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
static long poll_masked(struct pollfd *pfd, unsigned int n, unsigned int always,
			u64 *deadline, bool masked, sigset_t set)
{
	long ret;

	if (masked)
		signal_set_temporary_mask(set);
	ret = do_poll(pfd, n, always, deadline);
	if (masked && ret != -ERESTARTNOHAND)
		signal_restore_saved_mask();
	return ret;
}

SYSCALL_DEFINE5(ppoll, struct pollfd *, ufds, unsigned int, nfds,
		struct timespec *, utmo, const void *, umask, size_t, sigsetsize)
{
	size_t size = (size_t)nfds * sizeof(struct pollfd);
	struct pollfd *pfd;
	sigset_t set;
	bool masked;
	u64 deadline;
	long ret;

	if (nfds > POLL_MAX_NFDS)
		return -EINVAL;
	if (utmo) {
		ret = get_deadline(utmo, &deadline);
		if (ret)
			return ret;
	}
	ret = get_sigmask(umask, sigsetsize, &set, &masked);
	if (ret)
		return ret;
	pfd = kmalloc(size ? size : 1, __GFP_NOWARN);
	if (!pfd)
		return -ENOMEM;
	if (copy_from_user(pfd, ufds, size)) {
		kfree(pfd);
		return -EFAULT;
	}
	ret = poll_masked(pfd, nfds, POLLERR | POLLHUP, utmo ? &deadline : NULL,
			  masked, set);
	if (ret >= 0 && copy_to_user(ufds, pfd, size))
		ret = -EFAULT;
	kfree(pfd);
	if (utmo)
		put_time_left(utmo, deadline);
	return ret;
}

/* pselect6's last argument. */
struct sigset_arg {
	const void *mask;
	size_t size;
};

#define FDSET_WORD_BITS 64

static bool fd_isset(const u64 *set, int fd)
{
	return (set[fd / FDSET_WORD_BITS] >> (fd % FDSET_WORD_BITS)) & 1;
}

static void fd_set_bit(u64 *set, int fd)
{
	set[fd / FDSET_WORD_BITS] |= 1ULL << (fd % FDSET_WORD_BITS);
}

/* select() through poll: the three sets become pollfds and back. */
SYSCALL_DEFINE6(pselect6, int, nfds, u64 *, uin, u64 *, uout, u64 *, uex,
		struct timespec *, utmo, const struct sigset_arg *, usig)
{
	u64 in[NR_OPEN / FDSET_WORD_BITS] = { 0 }, out[NR_OPEN / FDSET_WORD_BITS] = { 0 },
	    ex[NR_OPEN / FDSET_WORD_BITS] = { 0 };
	u64 *uset[3] = { uin, uout, uex }, *kset[3] = { in, out, ex };
	u64 res[3][NR_OPEN / FDSET_WORD_BITS] = { { 0 } };
	/* What makes a descriptor ready for each set (Linux's POLL*_SET). */
	static const short ready[3] = {
		POLLIN | POLLRDNORM | POLLHUP | POLLERR,
		POLLOUT | POLLWRNORM | POLLERR, POLLPRI };
	struct sigset_arg sig;
	struct pollfd *pfd;
	sigset_t set = 0;
	bool masked = false;
	unsigned int n = 0, i, s;
	size_t bytes;
	u64 deadline;
	long ret;
	int fd;

	if (nfds < 0)
		return -EINVAL;
	nfds = min(nfds, NR_OPEN); /* as Linux: no descriptor lies beyond */
	bytes = ALIGN_UP((size_t)nfds, FDSET_WORD_BITS) / 8;
	if (utmo) {
		ret = get_deadline(utmo, &deadline);
		if (ret)
			return ret;
	}
	if (usig) {
		if (copy_from_user(&sig, usig, sizeof(sig)))
			return -EFAULT;
		ret = get_sigmask(sig.mask, sig.size, &set, &masked);
		if (ret)
			return ret;
	}
	for (s = 0; s < 3; s++)
		if (uset[s] && copy_from_user(kset[s], uset[s], bytes))
			return -EFAULT;
	pfd = kmalloc(NR_OPEN * sizeof(*pfd), __GFP_NOWARN);
	if (!pfd)
		return -ENOMEM;
	for (fd = 0; fd < nfds; fd++) {
		short events = 0;

		for (s = 0; s < 3; s++)
			if (fd_isset(kset[s], fd))
				events |= ready[s];
		if (events)
			pfd[n++] = (struct pollfd){ fd, events, 0 };
	}
	ret = poll_masked(pfd, n, POLLNVAL, utmo ? &deadline : NULL, masked, set);
	for (i = 0; ret > 0 && i < n; i++)
		if (pfd[i].revents & POLLNVAL)
			ret = -EBADF;
	if (ret >= 0) {
		ret = 0;
		for (i = 0; i < n; i++) {
			for (s = 0; s < 3; s++) {
				if (fd_isset(kset[s], pfd[i].fd) &&
				    (pfd[i].revents & ready[s])) {
					fd_set_bit(res[s], pfd[i].fd);
					ret++;
				}
			}
		}
		for (s = 0; s < 3; s++)
			if (uset[s] && copy_to_user(uset[s], res[s], bytes))
				ret = -EFAULT;
	}
	kfree(pfd);
	if (utmo)
		put_time_left(utmo, deadline);
	return ret;
}
