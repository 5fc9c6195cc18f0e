/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel logging: printk with Linux-style levels, and the consoles it writes to. */
#ifndef HARTIX_PRINTK_H
#define HARTIX_PRINTK_H

#include <hartix/compiler.h>
#include <hartix/types.h>
#include <stdarg.h>

/* A level is a two-byte prefix of the format string, as in Linux. */
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define LOGLEVEL_DEFAULT 6 /* for a format without a level prefix */
#define LOGLEVEL_DEBUG 7

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)

/* One record of the log buffer, as handed out by log_read(). */
struct log_entry {
	u64 seq;
	u64 ticks; /* time stamp: ticks since kernel entry */
	u32 hartid;
	u8 level;
	u16 len;
	char text[256];
};

/*
 * Copies the record with sequence number *seq (or the oldest still kept, if
 * *seq was overwritten) and advances *seq. Returns false past the newest.
 */
bool log_read(u64 *seq, struct log_entry *out);

/* The sequence number the next record will get. */
u64 log_seq_next(void);

/* Format "[    1.234567][hart0] text" for output; returns the length. */
size_t log_format(const struct log_entry *e, char *buf, size_t size);

struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	void *data;
};

/*
 * Offered by a console driver for the device tree node it drives: it
 * becomes the console if it matches console= or /chosen/stdout-path (or
 * nothing was asked for and no console exists yet); the log so far is
 * replayed on it. Returns true when taken.
 */
bool console_offer(struct console *con, int fdt_node);

/* After all drivers bound: fall back to the SBI console if none registered. */
void console_init_late(void);

/* Log level for the console, set by loglevel= (0..8). */
extern int console_loglevel;

/*
 * Bytes straight to the console, not logged (the tty's echo); under the
 * log lock, so they never land inside a line from printk.
 */
void console_write_raw(const char *s, size_t len);

/* Panic mode: no more waiting for the log lock, everything goes out. */
void printk_enter_panic(void);

#endif
