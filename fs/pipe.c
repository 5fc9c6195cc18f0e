/* SPDX-License-Identifier: BSD-2-Clause */
/* Pipes: pipe2(), a 64 KiB ring from the write end to the read end; FIFOs (named pipes) on it. */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/poll.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <abi/poll.h>
#include <asm/page.h>

#include "internal.h"

#define PIPE_ORDER 4
#define PIPE_SIZE (PAGE_SIZE << PIPE_ORDER) /* Linux's default: 64 KiB */
#define PIPE_BUF 4096 /* writes up to this size are never interleaved */

BUILD_BUG_ON(PIPE_SIZE & (PIPE_SIZE - 1));

/*
 * Locking. p->lock (a spinlock, interrupts masked) protects head, tail,
 * readers, writers, rbusy and wbusy, and is held only to look at or move
 * them: never while touching user memory, which can fault and sleep.
 *
 * The bytes themselves are copied between user memory and the ring with
 * no lock held. A reader first claims the read side (rbusy), which keeps
 * other readers out, and copies from [tail, head); writers only ever
 * write at or past head, so those bytes stay put. A writer claims the
 * write side (wbusy) and copies into [head, tail + PIPE_SIZE), which
 * readers do not look at. Each then retakes the lock to publish its work
 * (moves tail or head; the lock orders the bytes before the index) and to
 * give up its claim. So one reader and one writer run at once on any
 * harts, and a writer's bytes go in as one piece: a write of up to
 * PIPE_BUF bytes waits until there is room for all of it, then copies it
 * in one claim, so records from several writers never interleave.
 *
 * Sleeping: readers on rd_wait (for data, EOF, or the read side to be
 * free), writers on wr_wait. The wait conditions read the fields without
 * p->lock; every change is followed by a wake_up() of both (after p->lock
 * is dropped). Pollers of a read end wait on rd_wait, of a write end on
 * wr_wait (pipe_poll()); their entries hold a file of the pipe, so the
 * pipe outlives them.
 */
struct pipe {
	spinlock_t lock;
	unsigned int head, tail; /* free-running: head - tail bytes queued */
	int readers, writers; /* open struct files of each end */
	int ends; /* struct files not yet through release; atomic (FIFOs: under fs_lock) */
	unsigned int r_counter, w_counter; /* FIFO opens of each end so far */
	bool rbusy, wbusy; /* a reader / a writer is copying */
	struct wait_queue rd_wait, wr_wait;
	char *buf; /* PIPE_SIZE bytes */
};

struct pipe_wait {
	struct pipe *p;
	size_t need; /* writers: room wanted */
};

static bool pipe_readable(void *arg)
{
	struct pipe *p = ((struct pipe_wait *)arg)->p;

	return (!READ_ONCE(p->rbusy) &&
		(READ_ONCE(p->head) != READ_ONCE(p->tail) ||
		 !READ_ONCE(p->writers))) ||
	       signal_pending(current_task());
}

static bool pipe_writable(void *arg)
{
	struct pipe_wait *w = arg;
	struct pipe *p = w->p;

	return !READ_ONCE(p->readers) ||
	       (!READ_ONCE(p->wbusy) &&
		PIPE_SIZE - (READ_ONCE(p->head) - READ_ONCE(p->tail)) >= w->need) ||
	       signal_pending(current_task());
}

/* Sleeps until cond; -ERESTARTSYS (EINTR, or a restart) if a signal ended it. */
static int pipe_sleep(struct wait_queue *wq, bool (*cond)(void *),
		      struct pipe_wait *w)
{
	wait_event(wq, cond, w);
	return signal_pending(current_task()) ? -ERESTARTSYS : 0;
}

/* After head, tail, readers or writers moved: whoever waits looks again. */
static void pipe_wake(struct pipe *p)
{
	wake_up(&p->rd_wait);
	wake_up(&p->wr_wait);
}

/* Bytes not copied, like copy_to_user(); pos is a free-running index. */
static size_t ring_to_user(struct pipe *p, unsigned int pos, char *ubuf,
			   size_t n)
{
	size_t off = pos % PIPE_SIZE, first = min(n, PIPE_SIZE - off), left;

	left = copy_to_user(ubuf, p->buf + off, first);
	if (left || first == n)
		return left + (n - first);
	return copy_to_user(ubuf + first, p->buf, n - first);
}

static size_t ring_from_user(struct pipe *p, unsigned int pos,
			     const char *ubuf, size_t n)
{
	size_t off = pos % PIPE_SIZE, first = min(n, PIPE_SIZE - off), left;

	left = copy_from_user(p->buf + off, ubuf, first);
	if (left || first == n)
		return left + (n - first);
	return copy_from_user(p->buf, ubuf + first, n - first);
}

/* sendfile()'s: from a kernel buffer, nothing can be left. */
static size_t ring_from_kernel(struct pipe *p, unsigned int pos,
			       const char *buf, size_t n)
{
	size_t off = pos % PIPE_SIZE, first = min(n, PIPE_SIZE - off);

	memcpy(p->buf + off, buf, first);
	memcpy(p->buf, buf + first, n - first);
	return 0;
}

static long pipe_read(struct file *f, char *ubuf, size_t n)
{
	struct pipe *p = f->private_data;
	struct pipe_wait w = { p, 0 };
	unsigned long flags;
	unsigned int tail, avail;
	size_t left;
	int err;

	if (!n)
		return 0;
	/*
	 * A blocking read of an empty pipe (a ping-pong's every read) goes to
	 * sleep without taking p->lock first: wait_event() looks again.
	 */
	if (!(READ_ONCE(f->flags) & O_NONBLOCK) && !pipe_readable(&w)) {
		err = pipe_sleep(&p->rd_wait, pipe_readable, &w);
		if (err)
			return err;
	}
	for (;;) {
		flags = spin_lock_irqsave(&p->lock);
		avail = p->head - p->tail;
		if (!p->rbusy && (avail || !p->writers))
			break;
		spin_unlock_irqrestore(&p->lock, flags);
		/* Another reader's copy is short: O_NONBLOCK waits it out too. */
		if ((READ_ONCE(f->flags) & O_NONBLOCK) && !READ_ONCE(p->rbusy))
			return -EAGAIN;
		err = pipe_sleep(&p->rd_wait, pipe_readable, &w);
		if (err)
			return err;
	}
	if (!avail) {
		spin_unlock_irqrestore(&p->lock, flags);
		return 0; /* every writer is gone: EOF */
	}
	p->rbusy = true;
	tail = p->tail;
	spin_unlock_irqrestore(&p->lock, flags);

	n = min(n, (size_t)avail);
	left = ring_to_user(p, tail, ubuf, n);

	flags = spin_lock_irqsave(&p->lock);
	p->tail = tail + (unsigned int)(n - left);
	p->rbusy = false;
	spin_unlock_irqrestore(&p->lock, flags);
	pipe_wake(p);
	return n > left ? (long)(n - left) : -EFAULT;
}

/* Every reader is gone: SIGPIPE for the writer, and EPIPE. */
static long pipe_broken(void)
{
	signal_send(current_task(), SIGPIPE);
	return -EPIPE;
}

/* ubuf is a kernel buffer with kernel (sendfile). */
static long pipe_write_core(struct file *f, const char *ubuf, size_t n,
			    bool kernel)
{
	struct pipe *p = f->private_data;
	/* All at once when it fits in PIPE_BUF, else any room will do. */
	struct pipe_wait w = { p, n <= PIPE_BUF ? n : 1 };
	unsigned long flags;
	size_t done = 0, chunk, left;
	unsigned int head, room;
	long err;

	while (done < n) {
		/* A write of gigabytes to a fast reader: let others run, and die. */
		if (done && fatal_signal_pending(current_task()))
			return (long)done;
		cond_resched();
		flags = spin_lock_irqsave(&p->lock);
		if (!p->readers) {
			spin_unlock_irqrestore(&p->lock, flags);
			err = pipe_broken();
			return done ? (long)done : err;
		}
		room = PIPE_SIZE - (p->head - p->tail);
		if (p->wbusy || room < w.need) {
			spin_unlock_irqrestore(&p->lock, flags);
			if ((READ_ONCE(f->flags) & O_NONBLOCK) &&
			    !READ_ONCE(p->wbusy))
				return done ? (long)done : -EAGAIN;
			err = pipe_sleep(&p->wr_wait, pipe_writable, &w);
			if (err)
				return done ? (long)done : err;
			continue;
		}
		p->wbusy = true;
		head = p->head;
		spin_unlock_irqrestore(&p->lock, flags);

		chunk = min(n - done, (size_t)room);
		left = kernel ? ring_from_kernel(p, head, ubuf + done, chunk) :
				ring_from_user(p, head, ubuf + done, chunk);

		flags = spin_lock_irqsave(&p->lock);
		p->head = head + (unsigned int)(chunk - left);
		p->wbusy = false;
		spin_unlock_irqrestore(&p->lock, flags);
		pipe_wake(p);
		done += chunk - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

static long pipe_write(struct file *f, const char *ubuf, size_t n)
{
	return pipe_write_core(f, ubuf, n, false);
}

static long pipe_write_kernel(struct file *f, const char *buf, size_t n)
{
	return pipe_write_core(f, buf, n, true);
}

/*
 * A FIFO opened O_RDWR is both ends, as Linux's FMODE_READ | FMODE_WRITE.
 * Without p->lock, as Linux: the fields may move while we look, but every
 * move is followed by a wake-up of the queues we are on (or, with pt NULL,
 * the caller looks again after its own wake-up), so a stale view is
 * corrected. tail is read before head, so the count is never below what
 * is queued, and it is capped at what fits.
 */
static inline unsigned int pipe_mask(struct pipe *p, unsigned int acc)
{
	unsigned int tail = READ_ONCE(p->tail), mask = 0;
	unsigned int queued = min(READ_ONCE(p->head) - tail, (unsigned int)PIPE_SIZE);

	if (acc != O_WRONLY) {
		if (queued)
			mask |= POLLIN | POLLRDNORM;
		if (!READ_ONCE(p->writers))
			mask |= POLLHUP;
	}
	if (acc != O_RDONLY) {
		if (PIPE_SIZE - queued >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!READ_ONCE(p->readers))
			mask |= POLLERR;
	}
	return mask;
}

/* The queues first, then the state: out of line, so a scan that queues nothing calls a leaf. */
static __noinline unsigned int pipe_poll_queue(struct file *f, struct pipe *p, unsigned int acc,
					       struct poll_table *pt)
{
	if (acc != O_WRONLY)
		poll_wait(f, &p->rd_wait, pt);
	if (acc != O_RDONLY)
		poll_wait(f, &p->wr_wait, pt);
	return pipe_mask(p, acc);
}

static unsigned int pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->private_data;
	unsigned int acc = f->flags & O_ACCMODE;

	if (pt)
		return pipe_poll_queue(f, p, acc, pt);
	return pipe_mask(p, acc);
}

/* f's end (both, for a FIFO opened O_RDWR) is gone. */
static void pipe_drop_end(struct file *f, struct pipe *p)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	unsigned int acc = f->flags & O_ACCMODE;

	if (acc != O_WRONLY)
		p->readers--;
	if (acc != O_RDONLY)
		p->writers--;
	spin_unlock_irqrestore(&p->lock, flags);
	pipe_wake(p); /* EOF for readers, EPIPE for writers */
}

static void pipe_free(struct pipe *p)
{
	free_pages(p->buf, PIPE_ORDER);
	kfree(p);
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->private_data;

	pipe_drop_end(f, p);
	/*
	 * The other end's release may run at the same time on another hart:
	 * whichever finishes its wake-up last frees the pipe (freeing on the
	 * count of readers and writers let one end free it while the other
	 * was still waking its queues). With no file left, no task is inside
	 * a pipe operation.
	 */
	if (__atomic_sub_fetch(&p->ends, 1, __ATOMIC_ACQ_REL) == 0)
		pipe_free(p);
}

static const struct file_operations pipe_fops = {
	.read = pipe_read, .write = pipe_write,
	.write_kernel = pipe_write_kernel, .poll = pipe_poll,
	.release = pipe_release,
};

/* An empty pipe with no ends yet, or NULL. */
static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p), __GFP_NOWARN);

	if (!p)
		return NULL;
	p->buf = alloc_pages(PIPE_ORDER, __GFP_NOWARN);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	p->lock = (spinlock_t)SPINLOCK_UNLOCKED;
	p->rd_wait = (struct wait_queue)WAIT_QUEUE_INIT;
	p->wr_wait = (struct wait_queue)WAIT_QUEUE_INIT;
	return p;
}

#ifdef CONFIG_FIFO
/*
 * FIFOs: the pipe of a named pipe inode (ino->pipe, under fs_lock) lives
 * while some file has it open, and its data with it. Opens follow
 * Linux's fifo_open(): a reader waits for a writer and a writer for a
 * reader (the other end opened since, even if closed again, will do),
 * unless O_NONBLOCK, where a writer with no reader gets ENXIO; O_RDWR
 * never waits. Waits end with a signal (-ERESTARTSYS).
 */
struct fifo_wait {
	struct pipe *p;
	unsigned int *counter, start;
};

static bool fifo_partner(void *arg)
{
	struct fifo_wait *w = arg;

	return READ_ONCE(*w->counter) != w->start ||
	       signal_pending(current_task());
}

static void fifo_release(struct file *f)
{
	struct pipe *p = f->private_data;
	unsigned long irq;
	bool last;

	pipe_drop_end(f, p);
	irq = fs_lock_irqsave();
	last = --p->ends == 0;
	if (last)
		f->inode->pipe = NULL;
	fs_unlock_irqrestore(irq);
	if (last)
		pipe_free(p);
}

static int fifo_open(struct file *f)
{
	struct pipe *p, *fresh = pipe_alloc();
	unsigned int acc = f->flags & O_ACCMODE;
	struct fifo_wait w = { 0 };
	unsigned long irq, flags;
	int err = 0;

	irq = fs_lock_irqsave();
	p = f->inode->pipe;
	if (!p && fresh) {
		p = f->inode->pipe = fresh;
		fresh = NULL;
	}
	if (p)
		p->ends++;
	fs_unlock_irqrestore(irq);
	if (fresh)
		pipe_free(fresh);
	if (!p)
		return -ENOMEM;
	f->private_data = p;
	w.p = p;
	flags = spin_lock_irqsave(&p->lock);
	if (acc == O_WRONLY && (f->flags & O_NONBLOCK) && !p->readers) {
		err = -ENXIO;
	} else {
		if (acc != O_WRONLY) {
			p->readers++;
			p->r_counter++;
		}
		if (acc != O_RDONLY) {
			p->writers++;
			p->w_counter++;
		}
		if (acc == O_RDONLY && !(f->flags & O_NONBLOCK) && !p->writers)
			w.counter = &p->w_counter;
		else if (acc == O_WRONLY && !p->readers)
			w.counter = &p->r_counter;
		if (w.counter)
			w.start = *w.counter;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	pipe_wake(p); /* a partner waiting in open, or a reader at EOF */
	if (!err && w.counter) {
		wait_event(acc == O_RDONLY ? &p->rd_wait : &p->wr_wait,
			   fifo_partner, &w);
		if (READ_ONCE(*w.counter) == w.start)
			err = -ERESTARTSYS;
	}
	if (err == -ERESTARTSYS)
		pipe_drop_end(f, p);
	if (err) {
		/* As fifo_release(), but the file keeps its other fields. */
		irq = fs_lock_irqsave();
		if (--p->ends == 0)
			f->inode->pipe = NULL;
		else
			p = NULL;
		fs_unlock_irqrestore(irq);
		if (p)
			pipe_free(p);
	}
	return err;
}

const struct file_operations fifo_fops = {
	.open = fifo_open, .read = pipe_read, .write = pipe_write,
	.write_kernel = pipe_write_kernel, .poll = pipe_poll,
	.release = fifo_release,
};
#endif

SYSCALL_DEFINE2(pipe2, int *, ufds, int, flags)
{
	struct file *rf, *wf;
	struct inode *ino;
	struct pipe *p;
	unsigned long irq;
	int fds[2] = { -1, -1 };
	bool cloexec = flags & O_CLOEXEC;
	unsigned int fl = (unsigned int)flags & O_NONBLOCK;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	p = pipe_alloc();
	if (!p)
		return -ENOMEM;
	p->readers = p->writers = 1;
	p->ends = 2;

	rf = kzalloc(sizeof(*rf), __GFP_NOWARN);
	wf = kzalloc(sizeof(*wf), __GFP_NOWARN);
	irq = fs_lock_irqsave();
	ino = rf && wf ? inode_new_anon(S_IFIFO | 0600) : NULL;
	if (ino) {
		file_init(rf, ino, &pipe_fops, O_RDONLY | fl, p);
		file_init(wf, ino, &pipe_fops, O_WRONLY | fl, p);
	}
	fs_unlock_irqrestore(irq);
	if (!ino) {
		kfree(rf);
		kfree(wf);
		pipe_free(p);
		return -ENOMEM;
	}
	fds[0] = fd_install(rf, cloexec);
	if (fds[0] >= 0)
		fds[1] = fd_install(wf, cloexec);
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds))) {
		/* Undone before anyone could use them (one thread per process). */
		long err = fds[1] < 0 ? -EMFILE : -EFAULT;

		if (fds[0] >= 0)
			fd_close(fds[0]);
		else
			fput(rf);
		if (fds[1] >= 0)
			fd_close(fds[1]);
		else
			fput(wf);
		return err;
	}
	return 0;
}
