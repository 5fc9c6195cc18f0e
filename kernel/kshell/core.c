/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel shell: console ownership, the line editor, the session thread and command dispatch. */
#include <hartix/cmdline.h>
#include <hartix/errno.h>
#include <hartix/kshell.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <hartix/timer.h>
#include "kshell.h"

#define KSHELL_LINE_MAX 256 /* with the NUL */
#define KSHELL_HISTORY 16
#define KSHELL_MAX_ARGS 16
#define KSHELL_INBUF 1024 /* a power of two; a pasted line fits */

#define CH_CTRL_C 0x03
#define CH_BS 0x08
#define CH_CTRL_U 0x15
#define CH_ESC 0x1b
#define CH_DEL 0x7f

extern const struct kshell_cmd __kshell_cmds_start[], __kshell_cmds_end[];

/*
 * kshell_lock protects the input ring (in_buf, in_head, in_tail), active,
 * leave_requested and enter_reason. The UART's interrupt handler fills the
 * ring; only the shell thread empties it, edits and echoes.
 */
static DEFINE_SPINLOCK(kshell_lock);
static char in_buf[KSHELL_INBUF];
static unsigned int in_head, in_tail; /* free-running */
static bool active; /* the shell owns the console */
static bool leave_requested;
static const char *enter_reason;
/* The shell thread sleeps here for input, or to be entered or left. */
static struct wait_queue kshell_wait = WAIT_QUEUE_INIT;

static bool boot_requested; /* "kshell" on the command line */

static int set_kshell(const char *val)
{
	return kstrtobool(val ? val : "1", &boot_requested) ? -EINVAL : 0;
}
kernel_param("kshell", set_kshell);

void kshell_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write_raw(buf, (size_t)n);
}

void kshell_write(const char *s, size_t len)
{
	console_write_raw(s, len);
}

bool kshell_input(char c)
{
	unsigned long flags = spin_lock_irqsave(&kshell_lock);
	bool taken = active;

	/* A full ring drops the byte; the line editor keeps up with typing. */
	if (taken && in_head - in_tail < KSHELL_INBUF)
		in_buf[in_head++ % KSHELL_INBUF] = c;
	spin_unlock_irqrestore(&kshell_lock, flags);
	if (taken)
		wake_up(&kshell_wait);
	return taken;
}

/* Enters, or asks a running session to end; true if it entered. */
static bool toggle(const char *why, bool may_leave)
{
	unsigned long flags = spin_lock_irqsave(&kshell_lock);
	bool entered = !active;

	if (!active) {
		active = true;
		leave_requested = false;
		in_head = in_tail = 0;
		enter_reason = why;
	} else if (may_leave) {
		leave_requested = true;
	}
	spin_unlock_irqrestore(&kshell_lock, flags);
	wake_up(&kshell_wait);
	return entered;
}

void kshell_break(void)
{
	toggle("BREAK", true);
}

void kshell_enter(const char *why)
{
	toggle(why, false);
}

void kshell_request_leave(void)
{
	unsigned long flags = spin_lock_irqsave(&kshell_lock);

	leave_requested = true;
	spin_unlock_irqrestore(&kshell_lock, flags);
}

int kshell_poll_char(void)
{
	unsigned long flags = spin_lock_irqsave(&kshell_lock);
	int c = -1;

	if (leave_requested)
		c = KSHELL_LEAVE;
	else if (in_tail != in_head)
		c = (unsigned char)in_buf[in_tail++ % KSHELL_INBUF];
	spin_unlock_irqrestore(&kshell_lock, flags);
	return c;
}

/* Checked under kshell_wait's lock: a byte or a request wakes the thread. */
static bool input_or_leave(void *arg)
{
	return READ_ONCE(in_head) != READ_ONCE(in_tail) ||
	       READ_ONCE(leave_requested);
}

static int get_char(void)
{
	int c;

	while ((c = kshell_poll_char()) == -1)
		wait_event(&kshell_wait, input_or_leave, NULL);
	return c;
}

void kshell_show_log_since(u64 seq)
{
	static struct log_entry e; /* only the shell thread uses it */
	char line[sizeof(e.text) + 40];

	while (log_read(&seq, &e))
		if (e.level >= console_loglevel)
			kshell_write(line, log_format(&e, line, sizeof(line)));
}

int kshell_parse_uint(const char *what, const char *s, unsigned int *out)
{
	if (kstrtouint(s, 0, out)) {
		kshell_printf("%s: '%s' is not a number\n", what, s);
		return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* The line editor. */

static char history[KSHELL_HISTORY][KSHELL_LINE_MAX];
static unsigned int history_len; /* lines ever added; the last 16 are kept */

static void erase_chars(size_t n)
{
	while (n--)
		kshell_write("\b \b", 3);
}

static void history_add(const char *line)
{
	if (!*line || (history_len &&
		       !strcmp(history[(history_len - 1) % KSHELL_HISTORY], line)))
		return;
	strscpy(history[history_len % KSHELL_HISTORY], line, KSHELL_LINE_MAX);
	history_len++;
}

struct editor {
	char *buf;
	size_t len;
	unsigned int hist_pos; /* history_len: the line being typed */
	int bad; /* first byte that is not printable ASCII, or -1 */
	bool too_long;
	int esc; /* 0, 1 after ESC, 2 inside an ESC [ sequence */
};

static void editor_reset(struct editor *ed)
{
	ed->len = 0;
	ed->bad = -1;
	ed->too_long = false;
	ed->esc = 0;
	ed->hist_pos = history_len;
	kshell_write("kshell> ", 8);
}

/* Up (-1) and down (+1) through the history, replacing the line. */
static void editor_history(struct editor *ed, int dir)
{
	unsigned int oldest = history_len > KSHELL_HISTORY ?
				      history_len - KSHELL_HISTORY : 0;
	const char *line;

	if ((dir < 0 && ed->hist_pos <= oldest) ||
	    (dir > 0 && ed->hist_pos >= history_len))
		return;
	ed->hist_pos += dir;
	line = ed->hist_pos == history_len ?
		       "" : history[ed->hist_pos % KSHELL_HISTORY];
	erase_chars(ed->len);
	ed->len = strlen(line);
	memcpy(ed->buf, line, ed->len);
	kshell_write(ed->buf, ed->len);
	ed->bad = -1;
	ed->too_long = false;
}

/* ESC [ <parameters> <final byte>: arrows move in the history, the rest is ignored. */
static void editor_escape(struct editor *ed, int c)
{
	if (ed->esc == 1) {
		ed->esc = c == '[' ? 2 : 0;
		return;
	}
	if (c >= 0x40 && c <= 0x7e) {
		ed->esc = 0;
		if (c == 'A')
			editor_history(ed, -1);
		else if (c == 'B')
			editor_history(ed, 1);
	}
}

/*
 * Reads one line into buf (NUL-terminated). Returns its length, or
 * KSHELL_LEAVE. Lines with other bytes than printable ASCII, or longer
 * than KSHELL_LINE_MAX - 1, are refused with a message.
 */
static int read_line(char *buf)
{
	struct editor ed = { .buf = buf };
	int c, last = 0;

	editor_reset(&ed);
	for (;; last = c) {
		c = get_char();
		if (c == KSHELL_LEAVE)
			return KSHELL_LEAVE;
		if (ed.esc) {
			editor_escape(&ed, c);
			continue;
		}
		if (c == '\n' && last == '\r')
			continue; /* CR LF is one end of line */
		if (c == '\r' || c == '\n') {
			kshell_write("\n", 1);
			if (ed.too_long)
				kshell_printf("kshell: line longer than %d bytes, ignored\n",
					      KSHELL_LINE_MAX - 1);
			else if (ed.bad >= 0)
				kshell_printf("kshell: byte 0x%02x is not printable ASCII, line ignored\n",
					      ed.bad);
			else {
				buf[ed.len] = '\0';
				return (int)ed.len;
			}
			editor_reset(&ed);
		} else if (c == CH_CTRL_C) {
			kshell_write("^C\n", 3);
			editor_reset(&ed);
		} else if (c == CH_CTRL_U) {
			erase_chars(ed.len);
			ed.len = 0;
			ed.bad = -1;
			ed.too_long = false;
		} else if (c == CH_BS || c == CH_DEL) {
			if (ed.len && !ed.too_long) {
				ed.len--;
				erase_chars(1);
			}
		} else if (c == CH_ESC) {
			ed.esc = 1;
		} else if (c >= ' ' && c < CH_DEL) {
			if (ed.len < KSHELL_LINE_MAX - 1) {
				buf[ed.len++] = (char)c;
				kshell_write(buf + ed.len - 1, 1);
			} else {
				ed.too_long = true;
			}
		} else if (ed.bad < 0) {
			ed.bad = c;
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Commands. */

static const struct kshell_cmd *find_cmd(const char *name)
{
	const struct kshell_cmd *c;

	for (c = __kshell_cmds_start; c < __kshell_cmds_end; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void run_line(char *line)
{
	char *argv[KSHELL_MAX_ARGS + 1], *args = skip_spaces(line), *param, *val;
	const struct kshell_cmd *cmd;
	int argc = 0, err;

	while (*args) {
		if (argc == KSHELL_MAX_ARGS) {
			kshell_printf("kshell: more than %d words, line ignored\n",
				      KSHELL_MAX_ARGS);
			return;
		}
		args = next_arg(args, &param, &val);
		if (val) /* key=value is one word here */
			val[-1] = '=';
		argv[argc++] = param;
	}
	if (!argc)
		return;
	argv[argc] = NULL;
	cmd = find_cmd(argv[0]);
	if (!cmd) {
		kshell_printf("kshell: unknown command '%s' (try 'help')\n",
			      argv[0]);
		return;
	}
	if (argc - 1 < cmd->min_args || argc - 1 > cmd->max_args) {
		kshell_printf("%s: expects %s%d argument%s\n", cmd->name,
			      cmd->min_args == cmd->max_args ? "" :
			      argc - 1 < cmd->min_args ? "at least " : "at most ",
			      argc - 1 < cmd->min_args ? cmd->min_args :
							 cmd->max_args,
			      (argc - 1 < cmd->min_args ? cmd->min_args :
							  cmd->max_args) == 1 ?
				      "" : "s");
		err = -EINVAL;
	} else {
		err = cmd->fn(argc, argv);
	}
	if (err == -EINVAL)
		kshell_printf("usage: %s %s\n", cmd->name, cmd->usage);
}

/* In name order: the table is in link order. */
static int cmd_help(int argc, char **argv)
{
	const struct kshell_cmd *c, *next, *prev = NULL;
	char head[48];

	kshell_printf("Kernel shell commands (BREAK or 'exit' leaves; Ctrl-C, Ctrl-U and the arrows edit):\n");
	for (;; prev = next) {
		next = NULL;
		for (c = __kshell_cmds_start; c < __kshell_cmds_end; c++)
			if ((!prev || strcmp(c->name, prev->name) > 0) &&
			    (!next || strcmp(c->name, next->name) < 0))
				next = c;
		if (!next)
			return 0;
		scnprintf(head, sizeof(head), "%s %s", next->name, next->usage);
		kshell_printf("  %-26s %s\n", head, next->help);
	}
}
KSHELL_CMD("help", cmd_help, 0, 0, "", "this list");

static int cmd_exit(int argc, char **argv)
{
	kshell_request_leave();
	return 0;
}
KSHELL_CMD("exit", cmd_exit, 0, 0, "", "leave the shell; the console goes back to user programs");

/* ------------------------------------------------------------------------ */
/* The session thread. */

static bool is_active(void *arg)
{
	return READ_ONCE(active);
}

static void session(void)
{
	static char line[KSHELL_LINE_MAX];
	unsigned long flags;

	kshell_printf("\nkshell: kernel shell on CPU%u (%s); 'help' lists commands, BREAK or 'exit' leaves\n",
		      smp_processor_id(), enter_reason);
	for (;;) {
		if (read_line(line) == KSHELL_LEAVE)
			break;
		history_add(line);
		run_line(line);
		if (READ_ONCE(leave_requested))
			break;
	}
	flags = spin_lock_irqsave(&kshell_lock);
	active = false;
	leave_requested = false;
	in_head = in_tail = 0;
	spin_unlock_irqrestore(&kshell_lock, flags);
	kshell_printf("kshell: left; the console is back to user programs\n");
}

static void kshell_thread(void *arg)
{
	for (;;) {
		wait_event(&kshell_wait, is_active, NULL);
		session();
	}
}

void kshell_init(void)
{
	if (!kthread_run(kshell_thread, NULL, "kshell", -1)) {
		pr_err("kshell: cannot start its thread: out of memory\n");
		return;
	}
	if (!boot_requested)
		return;
	kshell_enter("kshell on the command line");
	/*
	 * The boot hart's idle task cannot sleep on a wait queue: it lets
	 * queued tasks (the shell, maybe) run and waits in wfi between looks.
	 */
	while (READ_ONCE(active)) {
		yield();
		msleep(10);
	}
}
