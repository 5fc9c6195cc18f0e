/* SPDX-License-Identifier: BSD-2-Clause */
/* printk: the log ring buffer and its output to the console. */
#include <hartix/compiler.h>
#include <hartix/boot.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <asm/sbi.h>

#define LOG_BUF_LEN (1U << CONFIG_LOG_BUF_SHIFT)
#define LOG_LINE_MAX 256

/*
 * Variable-length records, 8-byte aligned. A header with size 0 marks the
 * end of the used part before the buffer wraps (as in Linux 3.x printk).
 */
struct log_rec {
	u64 ticks;
	u32 hartid;
	u16 size; /* header + text, rounded up to 8; 0 = wrap marker */
	u16 len;
	u8 level;
	u8 pad[7];
};

/*
 * logbuf_lock protects the ring (log_buf and the first/next indexes and
 * sequence numbers) and console_seq, and serialises console output so
 * lines from different harts never interleave.
 */
static DEFINE_SPINLOCK(logbuf_lock);
static char log_buf[LOG_BUF_LEN] __aligned(8);
static u32 log_first_idx, log_next_idx;
static u64 log_first_seq, log_next_seq;
static u64 console_seq; /* next record the console has not printed */

static struct console *console;
static bool earlycon; /* print through SBI before a console registers */
static bool in_panic;
int console_loglevel = CONFIG_LOG_DEFAULT_LEVEL;

static struct log_rec *rec_at(u32 idx)
{
	return (struct log_rec *)(log_buf + idx);
}

/* Index of the record at idx, following a wrap marker to the start. */
static u32 rec_resolve(u32 idx)
{
	return rec_at(idx)->size ? idx : 0;
}

static u32 rec_next(u32 idx)
{
	idx = rec_resolve(idx);
	return idx + rec_at(idx)->size;
}

static bool log_has_space(u32 size, bool empty)
{
	u32 space;

	if (log_next_idx > log_first_idx || empty)
		space = max(LOG_BUF_LEN - log_next_idx, log_first_idx);
	else
		space = log_first_idx - log_next_idx;
	/* Room for a wrap marker is always kept as well. */
	return space >= size + sizeof(struct log_rec);
}

static void log_store(int level, u64 ticks, const char *text, u16 len)
{
	u32 size = ALIGN_UP((u32)(sizeof(struct log_rec) + len), 8U);
	struct log_rec *r;

	while (log_first_seq < log_next_seq && !log_has_space(size, false)) {
		log_first_idx = rec_next(log_first_idx);
		log_first_seq++;
	}
	if (log_first_seq == log_next_seq)
		log_first_idx = log_next_idx = 0;
	if (log_next_idx + size + sizeof(struct log_rec) > LOG_BUF_LEN) {
		memset(rec_at(log_next_idx), 0, sizeof(struct log_rec));
		log_next_idx = 0;
	}
	r = rec_at(log_next_idx);
	r->ticks = ticks;
	r->hartid = (u32)current_hartid();
	r->size = (u16)size;
	r->len = len;
	r->level = (u8)level;
	memcpy(r + 1, text, len);
	log_next_idx += size;
	log_next_seq++;
}

/* Finds the record with sequence number seq; the caller holds the lock. */
static struct log_rec *rec_by_seq(u64 seq)
{
	u32 idx = log_first_idx;
	u64 s;

	for (s = log_first_seq; s < seq; s++)
		idx = rec_next(idx);
	return rec_at(rec_resolve(idx));
}

static void copy_entry(u64 seq, struct log_entry *e)
{
	struct log_rec *r = rec_by_seq(seq);

	e->seq = seq;
	e->ticks = r->ticks;
	e->hartid = r->hartid;
	e->level = r->level;
	e->len = min(r->len, (u16)sizeof(e->text));
	memcpy(e->text, r + 1, e->len);
}

bool log_read(u64 *seq, struct log_entry *out)
{
	unsigned long flags = spin_lock_irqsave(&logbuf_lock);
	bool ok = false;

	if (*seq < log_first_seq)
		*seq = log_first_seq;
	if (*seq < log_next_seq) {
		copy_entry(*seq, out);
		(*seq)++;
		ok = true;
	}
	spin_unlock_irqrestore(&logbuf_lock, flags);
	return ok;
}

u64 log_seq_next(void)
{
	unsigned long flags = spin_lock_irqsave(&logbuf_lock);
	u64 seq = log_next_seq;

	spin_unlock_irqrestore(&logbuf_lock, flags);
	return seq;
}

size_t log_format(const struct log_entry *e, char *buf, size_t size)
{
	u64 ns = ticks_to_ns(e->ticks);

	return scnprintf(buf, size, "[%5llu.%06llu][hart%u] %.*s\n",
			 (unsigned long long)(ns / NSEC_PER_SEC),
			 (unsigned long long)(ns % NSEC_PER_SEC / 1000),
			 e->hartid, (int)e->len, e->text);
}

static void sbi_console_emit(struct console *con, const char *s, size_t len)
{
	sbi_console_write(s, len);
}

static struct console sbi_console = {
	.name = "sbi",
	.write = sbi_console_emit,
};

static struct console *output_console(void)
{
	if (console)
		return console;
	return (earlycon || in_panic) ? &sbi_console : NULL;
}

/*
 * Prints what the console has not seen yet. Called with logbuf_lock held;
 * entries are large, so one static buffer serves (the lock guards it).
 */
static void console_flush(void)
{
	static struct log_entry e;
	static char line[LOG_LINE_MAX + 40];
	struct console *con = output_console();

	if (!con)
		return;
	if (console_seq < log_first_seq) {
		size_t n = scnprintf(line, sizeof(line),
				     "** %llu printk messages dropped **\n",
				     (unsigned long long)(log_first_seq -
							  console_seq));
		con->write(con, line, n);
		console_seq = log_first_seq;
	}
	for (; console_seq < log_next_seq; console_seq++) {
		copy_entry(console_seq, &e);
		if (e.level < console_loglevel)
			con->write(con, line, log_format(&e, line, sizeof(line)));
	}
}

/* In a panic the lock holder may be stopped forever: wait a while, then go. */
static bool printk_lock(unsigned long *flags)
{
	unsigned long spins;

	if (!in_panic) {
		*flags = spin_lock_irqsave(&logbuf_lock);
		return true;
	}
	*flags = local_irq_save();
	for (spins = 0; spins < 10000000; spins++)
		if (spin_trylock(&logbuf_lock))
			return true;
	return false;
}

static void printk_unlock(bool locked, unsigned long flags)
{
	if (locked)
		spin_unlock(&logbuf_lock);
	local_irq_restore(flags);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	int level = LOGLEVEL_DEFAULT, len;
	u64 ticks = get_ticks() - boot_entry_ticks;
	unsigned long flags;
	const char *p, *end;
	char *text;
	bool locked;

	/* As in Linux the level is read from the formatted text, so it may come from a %s. */
	len = vscnprintf(buf, sizeof(buf), fmt, ap);
	text = buf;
	if (len >= 2 && text[0] == KERN_SOH[0] && text[1] >= '0' &&
	    text[1] <= '7') {
		level = text[1] - '0';
		text += 2;
		len -= 2;
	}

	locked = printk_lock(&flags);
	/* One record per line; a trailing newline is implied. */
	for (p = text; p < text + len; p = end + 1) {
		end = memchr(p, '\n', (size_t)(text + len - p));
		if (!end)
			end = text + len;
		log_store(level, ticks, p, (u16)(end - p));
	}
	console_flush();
	printk_unlock(locked, flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void console_write_raw(const char *s, size_t len)
{
	unsigned long flags;
	bool locked = printk_lock(&flags);
	struct console *con = output_console();

	if (con)
		con->write(con, s, len);
	printk_unlock(locked, flags);
}

bool printk_lock_is(const spinlock_t *lock)
{
	return lock == &logbuf_lock;
}

void printk_enter_panic(void)
{
	in_panic = true;
}

/* ------------------------------------------------------------------------ */
/* Console selection: console=, earlycon, /chosen/stdout-path. */

static char console_param[64];
static bool console_param_sbi;

static int set_console(const char *val)
{
	if (!val || !*val)
		return -EINVAL;
	if (!strcmp(val, "sbi") || !strcmp(val, "hvc0")) {
		console_param_sbi = true;
		return 0;
	}
	if (strscpy(console_param, val, sizeof(console_param)) < 0)
		return -EINVAL;
	return 0;
}
kernel_param("console", set_console);

static int set_earlycon(const char *val)
{
	if (val && strcmp(val, "sbi"))
		return -EINVAL;
	earlycon = true;
	return 0;
}
kernel_param("earlycon", set_earlycon);

static int set_loglevel(const char *val)
{
	unsigned int level;
	int err = param_parse_uint(val, 0, 8, &level);

	if (!err)
		console_loglevel = (int)level;
	return err;
}
kernel_param("loglevel", set_loglevel);

static void console_switch(struct console *con)
{
	unsigned long flags = spin_lock_irqsave(&logbuf_lock);

	console = con;
	console_flush();
	spin_unlock_irqrestore(&logbuf_lock, flags);
}

/*
 * The node the user asked for: console= (an alias or path, options after a
 * comma), else /chosen/stdout-path. -1 = any serial port, -2 = none (the SBI
 * console was asked for).
 */
static int wanted_console_node(const void *fdt)
{
	const char *opts, *comma;
	int node;

	if (console_param_sbi)
		return -2;
	if (!console_param[0]) {
		node = fdt_stdout_node(fdt, &opts);
		return node >= 0 ? node : -1;
	}
	comma = strchr(console_param, ',');
	node = fdt_path_offset(fdt, console_param,
			       comma ? (size_t)(comma - console_param)
				     : strlen(console_param));
	if (node < 0) {
		pr_warn("console=%s: no such device tree node or alias\n",
			console_param);
		console_param[0] = '\0';
		return wanted_console_node(fdt);
	}
	return node;
}

bool console_offer(struct console *con, int node)
{
	int want;

	if (console)
		return false;
	want = wanted_console_node(boot_fdt);
	if (want == -2 || (want >= 0 && want != node))
		return false;
	console_switch(con);
	return true;
}

void console_init_late(void)
{
	if (console)
		return;
	console_switch(&sbi_console);
	pr_info("console: using the SBI firmware console\n");
}
