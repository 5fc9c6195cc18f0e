/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File locks, as Linux's fs/locks.c: flock() (whole file, owned by the
 * open file description), fcntl() POSIX record locks (byte ranges, owned
 * by the process: its descriptor table) and OFD record locks (byte
 * ranges, owned by the open file description). POSIX and OFD locks
 * conflict with each other; flock locks only with flock locks.
 *
 * A POSIX lock goes when its process closes any descriptor of the file
 * (locks_remove_posix() from close) or exits; flock and OFD locks when
 * the last descriptor of their open file goes (locks_remove_file()).
 *
 * Locking: lock_lock protects every inode's lock list and the list of
 * blocked requests. Blocked requests sleep on lock_wait, which any
 * unlock wakes; each retries under lock_lock from the wait condition, so
 * no wake-up is lost. Allocations under the lock never sleep, and a
 * request brings the two structs a split may need.
 */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>

#include "internal.h"

#define OFFSET_MAX 0x7fffffffffffffffULL

enum { FL_POSIX, FL_OFD, FL_FLOCK };

struct file_lock {
	struct file_lock *next; /* the inode's list */
	const void *owner; /* POSIX: struct files; OFD, flock: struct file */
	int pid; /* shown by F_GETLK: the owner's, -1 for OFD locks */
	u8 flavor, type; /* FL_*, F_RDLCK or F_WRLCK (F_UNLCK: a request) */
	u64 start, end; /* bytes, end included */
};

/* A request, and while it waits, the entry other requests see it by. */
struct lock_req {
	struct file_lock fl;
	struct inode *ino;
	struct lock_req *next_blocked;
	const void *blocker; /* owner of the lock it waits for */
	struct file_lock *spare[2]; /* kmalloc'd beforehand for splits */
	long ret; /* of the last try */
	bool wait;
};

static DEFINE_SPINLOCK(lock_lock);
static struct wait_queue lock_wait = WAIT_QUEUE_INIT;
static struct lock_req *blocked; /* requests asleep, under lock_lock */

#define MAX_DEADLK_ITERATIONS 10

static bool same_class(const struct file_lock *a, const struct file_lock *b)
{
	return (a->flavor == FL_FLOCK) == (b->flavor == FL_FLOCK);
}

static bool conflicts(const struct file_lock *have,
		      const struct file_lock *want)
{
	return same_class(have, want) && have->owner != want->owner &&
	       (have->type == F_WRLCK || want->type == F_WRLCK) &&
	       have->start <= want->end && want->start <= have->end;
}

/* Caller holds lock_lock. */
static struct file_lock *find_conflict(struct inode *ino,
				       const struct file_lock *want)
{
	struct file_lock *l;

	for (l = ino->locks; l; l = l->next)
		if (conflicts(l, want))
			return l;
	return NULL;
}

/*
 * Linux's posix_locks_deadlock(): the owner holding the conflicting lock
 * waits for a lock whose owner waits ... for one of ours. Caller holds
 * lock_lock.
 */
static bool deadlock(const void *me, const void *holder)
{
	struct lock_req *r;
	int i = 0;

	while (holder) {
		for (r = blocked; r && r->fl.owner != holder; r = r->next_blocked)
			;
		if (!r || i++ > MAX_DEADLK_ITERATIONS)
			return false;
		holder = r->blocker;
		if (holder == me)
			return true;
	}
	return false;
}

static struct file_lock *take_spare(struct lock_req *r)
{
	struct file_lock *l = r->spare[0] ? r->spare[0] : r->spare[1];

	if (l == r->spare[0])
		r->spare[0] = NULL;
	else
		r->spare[1] = NULL;
	return l;
}

/*
 * Caller holds lock_lock and found no conflict: the owner's locks of this
 * class in [start, end] become the request (nothing, for F_UNLCK), parts
 * outside are kept, and neighbours of the same type merge, as Linux's
 * posix_lock_inode(). Freed locks are handed back in *freed.
 */
static void apply(struct lock_req *r, struct file_lock **freed)
{
	struct file_lock *want = &r->fl, **pp = &r->ino->locks, *l, *n;
	u64 start = want->start, end = want->end;

	while ((l = *pp)) {
		bool adjacent = (l->end != OFFSET_MAX && l->end + 1 == start) ||
				(end != OFFSET_MAX && end + 1 == l->start);

		if (l->owner != want->owner || !same_class(l, want) ||
		    (!adjacent && (l->end < start || l->start > end)) ||
		    (adjacent && l->type != want->type)) {
			pp = &l->next;
			continue;
		}
		if (want->type != F_UNLCK && l->type == want->type) {
			/* Same type: the request grows over it. */
			start = min(start, l->start);
			end = max(end, l->end);
		} else if (l->start < want->start && l->end > want->end) {
			/* Split: the part above the request goes in a new lock. */
			n = take_spare(r);
			*n = *l;
			n->start = want->end + 1;
			n->next = l->next;
			l->next = n;
			l->end = want->start - 1;
			pp = &n->next;
			continue;
		} else if (l->start < want->start) {
			l->end = want->start - 1;
			pp = &l->next;
			continue;
		} else if (l->end > want->end) {
			l->start = want->end + 1;
			pp = &l->next;
			continue;
		}
		*pp = l->next;
		l->next = *freed;
		*freed = l;
	}
	if (want->type == F_UNLCK)
		return;
	n = take_spare(r);
	*n = *want;
	n->start = start;
	n->end = end;
	n->next = r->ino->locks;
	r->ino->locks = n;
}

static void free_list(struct file_lock *l)
{
	while (l) {
		struct file_lock *next = l->next;

		kfree(l);
		l = next;
	}
}

static void unblock(struct lock_req *r)
{
	struct lock_req **pp;

	for (pp = &blocked; *pp; pp = &(*pp)->next_blocked) {
		if (*pp == r) {
			*pp = r->next_blocked;
			break;
		}
	}
}

/*
 * One try, under lock_lock: true when done (r->ret says how), false to
 * sleep on. The wait condition of lock_wait, so it runs with that
 * queue's lock held too.
 */
static bool try_lock(void *arg)
{
	struct lock_req *r = arg;
	struct file_lock *c, *freed = NULL;
	unsigned long flags = spin_lock_irqsave(&lock_lock);
	bool done = true;

	c = r->fl.type == F_UNLCK ? NULL : find_conflict(r->ino, &r->fl);
	if (!c) {
		apply(r, &freed);
		r->ret = 0;
	} else if (!r->wait) {
		r->ret = -EAGAIN;
	} else if (r->fl.flavor == FL_POSIX && deadlock(r->fl.owner, c->owner)) {
		r->ret = -EDEADLK;
	} else if (signal_pending(current_task())) {
		r->ret = -ERESTARTSYS;
	} else {
		if (!r->blocker) {
			r->next_blocked = blocked;
			blocked = r;
		}
		r->blocker = c->owner;
		done = false;
	}
	if (done && r->blocker)
		unblock(r);
	spin_unlock_irqrestore(&lock_lock, flags);
	free_list(freed);
	return done;
}

static long lock_request(struct lock_req *r)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		r->spare[i] = kmalloc(sizeof(struct file_lock), __GFP_NOWARN);
		if (!r->spare[i]) {
			kfree(r->spare[0]);
			return -ENOLCK;
		}
	}
	wait_event(&lock_wait, try_lock, r);
	kfree(r->spare[0]);
	kfree(r->spare[1]);
	/* Unlocks, and locks that replaced or merged others, free ranges. */
	wake_up(&lock_wait);
	return r->ret;
}

/* Removes the locks of ino that match; wakes the waiters if any went. */
static void remove_locks(struct inode *ino, int flavor, const void *owner)
{
	struct file_lock **pp, *l, *freed = NULL;
	unsigned long flags = spin_lock_irqsave(&lock_lock);

	for (pp = &ino->locks; (l = *pp);) {
		if (l->owner == owner && (l->flavor == flavor ||
					  (flavor == FL_OFD && l->flavor == FL_FLOCK))) {
			*pp = l->next;
			l->next = freed;
			freed = l;
		} else {
			pp = &l->next;
		}
	}
	spin_unlock_irqrestore(&lock_lock, flags);
	if (freed) {
		free_list(freed);
		wake_up(&lock_wait);
	}
}

void locks_remove_posix(struct files *owner, struct file *f)
{
	if (READ_ONCE(f->inode->locks))
		remove_locks(f->inode, FL_POSIX, owner);
}

void locks_remove_file(struct file *f)
{
	if (READ_ONCE(f->inode->locks))
		remove_locks(f->inode, FL_OFD, f); /* and its flock lock */
}

#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8

/*
 * Linux's flock_lock_inode(): changing a lock's type drops the old one
 * first, so a conversion is not atomic there either.
 */
SYSCALL_DEFINE2(flock, int, fd, unsigned int, cmd)
{
	struct file *f __free(fput) = fget(fd);
	struct lock_req r = { 0 };
	int type;

	if (!f)
		return -EBADF;
	switch (cmd & ~LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	r.ino = f->inode;
	r.fl = (struct file_lock){ .owner = f, .pid = current_task()->tgid,
				   .flavor = FL_FLOCK, .type = (u8)type,
				   .start = 0, .end = OFFSET_MAX };
	if (type != F_UNLCK) {
		unsigned long flags = spin_lock_irqsave(&lock_lock);
		struct file_lock *l;
		bool same = false;

		for (l = r.ino->locks; l; l = l->next)
			if (l->owner == f && l->flavor == FL_FLOCK)
				same = l->type == type;
		spin_unlock_irqrestore(&lock_lock, flags);
		if (same)
			return 0;
		remove_locks(r.ino, FL_FLOCK, f);
	}
	r.wait = !(cmd & LOCK_NB);
	return lock_request(&r);
}

/* struct flock of the riscv64 ABI (asm-generic/fcntl.h): 32 bytes. */
struct flock {
	short l_type, l_whence;
	long l_start, l_len;
	int l_pid;
};

BUILD_BUG_ON(sizeof(struct flock) != 32);

/* Linux's flock64_to_posix_lock(). */
static long to_range(struct file *f, const struct flock *u, struct file_lock *l)
{
	unsigned long irq;
	s64 base;

	irq = fs_lock_irqsave();
	switch (u->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (s64)f->f_pos;
		break;
	case SEEK_END:
		base = (s64)f->inode->i_size;
		break;
	default:
		base = -1;
	}
	fs_unlock_irqrestore(irq);
	if (base < 0)
		return -EINVAL;
	if (u->l_start > (s64)OFFSET_MAX - base)
		return -EOVERFLOW;
	base += u->l_start;
	if (base < 0)
		return -EINVAL;
	l->start = (u64)base;
	if (u->l_len > 0) {
		if (u->l_len - 1 > (s64)OFFSET_MAX - base)
			return -EOVERFLOW;
		l->end = (u64)(base + u->l_len - 1);
	} else if (u->l_len < 0) {
		if (base + u->l_len < 0)
			return -EINVAL;
		l->end = (u64)base - 1;
		l->start = (u64)(base + u->l_len);
	} else {
		l->end = OFFSET_MAX;
	}
	return 0;
}

long fcntl_lock(struct file *f, unsigned int cmd, void *uarg)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
		   cmd == F_OFD_SETLKW;
	struct lock_req r = { 0 };
	struct file_lock *c;
	struct flock u;
	unsigned long flags;
	long ret;

	if (copy_from_user(&u, uarg, sizeof(u)))
		return -EFAULT;
	if (u.l_type != F_RDLCK && u.l_type != F_WRLCK && u.l_type != F_UNLCK)
		return -EINVAL;
	if (ofd && u.l_pid)
		return -EINVAL;
	r.ino = f->inode;
	r.fl.flavor = ofd ? FL_OFD : FL_POSIX;
	r.fl.owner = ofd ? (const void *)f : current_task()->files;
	r.fl.pid = ofd ? -1 : current_task()->tgid;
	r.fl.type = (u8)u.l_type;
	ret = to_range(f, &u, &r.fl);
	if (ret)
		return ret;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (u.l_type == F_UNLCK)
			return -EINVAL;
		flags = spin_lock_irqsave(&lock_lock);
		c = find_conflict(r.ino, &r.fl);
		if (c) {
			u.l_type = c->type;
			u.l_whence = SEEK_SET;
			u.l_start = (long)c->start;
			u.l_len = c->end == OFFSET_MAX ? 0 :
				  (long)(c->end - c->start + 1);
			u.l_pid = c->pid;
		} else {
			u.l_type = F_UNLCK;
		}
		spin_unlock_irqrestore(&lock_lock, flags);
		return copy_to_user(uarg, &u, sizeof(u)) ? -EFAULT : 0;
	}
	if ((u.l_type == F_RDLCK && (f->flags & O_ACCMODE) == O_WRONLY) ||
	    (u.l_type == F_WRLCK && (f->flags & O_ACCMODE) == O_RDONLY))
		return -EBADF;
	r.wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
	return lock_request(&r);
}
