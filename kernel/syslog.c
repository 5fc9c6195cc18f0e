/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syslog() (glibc's klogctl(), dmesg's source): the kernel log ring of
 * kernel/printk.c read as Linux's do_syslog() reads it, each record as
 * "<level>[seconds.micros] text\n".
 *
 * syslog_lock protects the two positions kept here: syslog_seq (the
 * next record SYSLOG_ACTION_READ consumes) and clear_seq (the first one
 * READ_ALL shows, moved by CLEAR).
 */
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/spinlock.h>
#include <hartix/sprintf.h>
#include <hartix/syscalls.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/uaccess.h>

enum {
	SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ,
	SYSLOG_ACTION_READ_ALL, SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_CLEAR,
	SYSLOG_ACTION_CONSOLE_OFF, SYSLOG_ACTION_CONSOLE_ON,
	SYSLOG_ACTION_CONSOLE_LEVEL, SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

#define MINIMUM_CONSOLE_LOGLEVEL 1
#define LOG_LINE_MAX 320 /* a record's text (256) and its prefix */

static DEFINE_SPINLOCK(syslog_lock);
static u64 syslog_seq, clear_seq;
static int saved_console_loglevel = -1;

/* Record *seq (or the oldest kept) formatted into line; its length, 0 past the end. */
static size_t format_next(u64 *seq, char *line)
{
	struct log_entry e;
	u64 ns;

	if (!log_read(seq, &e))
		return 0;
	ns = ticks_to_ns(e.ticks);
	return scnprintf(line, LOG_LINE_MAX, "<%u>[%5llu.%06llu] %.*s\n",
			 e.level, (unsigned long long)(ns / NSEC_PER_SEC),
			 (unsigned long long)(ns % NSEC_PER_SEC / 1000),
			 (int)e.len, e.text);
}

/* Bytes of the records from seq on. */
static size_t bytes_from(u64 seq, char *line)
{
	size_t n = 0, len;

	while ((len = format_next(&seq, line)))
		n += len;
	return n;
}

/*
 * Whole records from *seq on into ubuf, at most n bytes; with partial, a
 * first record longer than n is cut (SYSLOG_ACTION_READ, as Linux).
 * *seq moves past them.
 */
static long copy_records(u64 *seq, char *ubuf, size_t n, char *line,
			 bool partial)
{
	size_t done = 0, len;
	u64 s = *seq;

	while (done < n) {
		u64 next = s;

		len = format_next(&next, line);
		if (!len || (done + len > n && (done || !partial)))
			break;
		len = min(len, n - done);
		if (copy_to_user(ubuf + done, line, len))
			return done ? (long)done : -EFAULT;
		done += len;
		s = next;
	}
	*seq = s;
	return (long)done;
}

static u64 get_seq(u64 *p)
{
	unsigned long flags = spin_lock_irqsave(&syslog_lock);
	u64 v = *p;

	spin_unlock_irqrestore(&syslog_lock, flags);
	return v;
}

static void set_seq(u64 *p, u64 v)
{
	unsigned long flags = spin_lock_irqsave(&syslog_lock);

	*p = v;
	spin_unlock_irqrestore(&syslog_lock, flags);
}

/* READ: waits (interruptibly, looking every 50 ms) for a record not yet read. */
static long syslog_read(char *ubuf, size_t n, char *line)
{
	u64 seq;
	long ret;

	while (get_seq(&syslog_seq) >= log_seq_next()) {
		if (signal_pending(current_task()))
			return -ERESTARTSYS;
		msleep(50);
	}
	seq = get_seq(&syslog_seq);
	ret = copy_records(&seq, ubuf, n, line, true);
	if (ret > 0)
		set_seq(&syslog_seq, seq);
	return ret;
}

/* READ_ALL: the newest records from clear_seq on that fit in n bytes. */
static long syslog_read_all(char *ubuf, size_t n, char *line, bool clear)
{
	u64 seq = get_seq(&clear_seq), end = log_seq_next();
	size_t total = bytes_from(seq, line);
	long ret;

	/* Skip the oldest until the rest fits. */
	while (total > n && seq < end) {
		u64 s = seq;
		size_t len = format_next(&s, line);

		if (!len)
			break;
		total -= len;
		seq = s;
	}
	ret = copy_records(&seq, ubuf, n, line, false);
	if (clear && ret >= 0)
		set_seq(&clear_seq, end);
	return ret;
}

/* Everyone is root here: every action is allowed. */
SYSCALL_DEFINE3(syslog, int, type, char *, ubuf, int, len)
{
	char *line;
	long ret;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!ubuf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!access_ok(ubuf, (size_t)len))
			return -EFAULT;
		break;
	case SYSLOG_ACTION_CLEAR:
		set_seq(&clear_seq, log_seq_next());
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_console_loglevel == -1)
			saved_console_loglevel = console_loglevel;
		console_loglevel = MINIMUM_CONSOLE_LOGLEVEL;
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_loglevel != -1) {
			console_loglevel = saved_console_loglevel;
			saved_console_loglevel = -1;
		}
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		console_loglevel = max(len, MINIMUM_CONSOLE_LOGLEVEL);
		saved_console_loglevel = -1; /* CONSOLE_ON no longer undoes it */
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
	case SYSLOG_ACTION_SIZE_BUFFER:
		break;
	default:
		return -EINVAL;
	}
	line = kmalloc(LOG_LINE_MAX, __GFP_NOWARN);
	if (!line)
		return -ENOMEM;
	switch (type) {
	case SYSLOG_ACTION_READ:
		ret = syslog_read(ubuf, (size_t)len, line);
		break;
	case SYSLOG_ACTION_SIZE_UNREAD:
		ret = (long)bytes_from(get_seq(&syslog_seq), line);
		break;
	case SYSLOG_ACTION_SIZE_BUFFER:
		ret = 1L << CONFIG_LOG_BUF_SHIFT;
		break;
	default:
		ret = syslog_read_all(ubuf, (size_t)len, line,
				      type == SYSLOG_ACTION_READ_CLEAR);
		break;
	}
	kfree(line);
	return ret;
}
