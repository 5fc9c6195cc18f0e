/* SPDX-License-Identifier: BSD-2-Clause */
/* The console tty: line discipline (canonical editing, echo, signal keys), termios and its file operations. */
#include <hartix/chrdev.h>
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/kshell.h>
#include <hartix/poll.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/tty.h>
#include <hartix/uaccess.h>
#include <abi/poll.h>
#include <abi/termios.h>

BUILD_BUG_ON(TTY_BUF_SIZE & (TTY_BUF_SIZE - 1));

#define CHAR_BS 0x08
/* Ring entries: a byte, maybe flagged as ending a line (a read stops after it). */
#define TTY_LINE_END 0x100
/* An entry that is no byte: end of file (Ctrl-D on an empty line). */
#define TTY_EOF 0x200

/* The kernel's struct termios (asm-generic/termbits.h): what TCGETS/TCSETS move. */
struct kernel_termios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[NCCS];
};

BUILD_BUG_ON(sizeof(struct kernel_termios) != 36);

/*
 * tty_lock protects everything below. It is taken with interrupts masked
 * (the UART's interrupt handler calls tty_receive_char()), never while
 * touching user memory, and the echo is written while holding it so the
 * screen shows bytes in the order they were queued. Lock order: tty_lock,
 * then printk's lock. Signals are sent and wait queues woken after it is
 * dropped.
 *
 * Input goes through the line discipline into ring[], which holds only
 * what readers may have: in canonical mode the line being edited waits in
 * line[] until a new line, EOL or EOF ends it, then moves to ring[] with
 * its last entry flagged; in raw mode each byte goes straight to ring[].
 */
static DEFINE_SPINLOCK(tty_lock);
static struct kernel_termios termios = {
	/* Linux's defaults: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD|HUPCL,
	 * ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN. */
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = { [VINTR] = 3, [VQUIT] = 0x1c, [VERASE] = 0x7f, [VKILL] = 0x15,
		  [VEOF] = 4, [VTIME] = 0, [VMIN] = 1, [VSTART] = 0x11,
		  [VSTOP] = 0x13, [VSUSP] = 0x1a, [VREPRINT] = 0x12,
		  [VDISCARD] = 0xf, [VWERASE] = 0x17, [VLNEXT] = 0x16 },
};
static struct winsize winsize = { 24, 80, 0, 0 };
static u16 ring[TTY_BUF_SIZE];
static unsigned int ring_head, ring_tail; /* free-running */
static unsigned int ring_lines; /* TTY_LINE_END and TTY_EOF entries queued */
static char line[TTY_LINE_MAX];
static unsigned int line_len;
/* Characters echoed since the last new line: an erase stops at its start. */
static unsigned int echo_col;
/* The foreground process group; 0 until TIOCSPGRP: init's group. */
static int fg_pgrp;

/* Readers waiting for input (and VTIME timers) and pollers; woken at each change. */
static struct wait_queue tty_wait = WAIT_QUEUE_INIT;

/* Caller holds tty_lock. */
static void echo(const char *s, size_t n)
{
	size_t i;

	if (!(termios.c_lflag & ECHO))
		return;
	console_write_raw(s, n);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			echo_col = 0;
		else if (s[i] == '\b')
			echo_col -= echo_col > 0;
		else
			echo_col++;
	}
}

/* Caller holds tty_lock: the echo of one input byte. */
static void echo_char(char c)
{
	/* Consoles expand "\n" to "\r\n" themselves. */
	if (c == '\n' || (unsigned char)c >= ' ')
		echo(&c, 1);
}

/* Caller holds tty_lock: takes the last character of the line back. */
static bool erase_one(void)
{
	if (!line_len)
		return false;
	line_len--;
	if ((termios.c_lflag & ECHOE) && echo_col)
		echo("\b \b", 3);
	return true;
}

static unsigned int ring_room(void)
{
	return TTY_BUF_SIZE - (ring_head - ring_tail);
}

/* Caller holds tty_lock. */
static void ring_put(u16 e)
{
	ring[ring_head++ % TTY_BUF_SIZE] = e;
	if (e & (TTY_LINE_END | TTY_EOF))
		ring_lines++;
}

/*
 * Caller holds tty_lock: moves the edited line to the readers, its last
 * byte flagged (or an EOF entry for an empty line ended by EOF). A line
 * that does not fit is dropped: readers are far behind.
 */
static void push_line(bool eof)
{
	unsigned int i;

	if (ring_room() < line_len + 1) {
		line_len = 0;
		return;
	}
	for (i = 0; i < line_len; i++)
		ring_put((unsigned char)line[i] |
			 (i == line_len - 1 ? TTY_LINE_END : 0));
	if (!line_len && eof)
		ring_put(TTY_EOF);
	line_len = 0;
}

/* Caller holds tty_lock: drops every byte not yet read. */
static void flush_input(void)
{
	ring_tail = ring_head;
	ring_lines = 0;
	line_len = 0;
}

/* c is control character idx, which 0 (_POSIX_VDISABLE) turns off. */
static bool is_cc(char c, int idx)
{
	return termios.c_cc[idx] && c == (char)termios.c_cc[idx];
}

/* Caller holds tty_lock; a returned signal is for the foreground group. */
static int receive(char c)
{
	u32 lflag = termios.c_lflag, iflag = termios.c_iflag;

	if (c == '\r') {
		if (iflag & IGNCR)
			return 0;
		if (iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (iflag & INLCR)) {
		c = '\r';
	}
	if (lflag & ISIG) {
		int sig = 0;

		if (is_cc(c, VINTR))
			sig = SIGINT;
		else if (is_cc(c, VQUIT))
			sig = SIGQUIT;
		if (sig) {
			if (!(lflag & NOFLSH))
				flush_input();
			if (lflag & ECHOCTL) {
				char e[2] = { '^', (char)(c + '@') };

				echo(e, 2);
			}
			return sig;
		}
	}
	if (lflag & ICANON) {
		if (is_cc(c, VERASE) || c == CHAR_BS) {
			erase_one();
		} else if (is_cc(c, VKILL)) {
			while (erase_one())
				;
		} else if ((lflag & IEXTEN) && is_cc(c, VWERASE)) {
			while (line_len && line[line_len - 1] == ' ')
				erase_one();
			while (line_len && line[line_len - 1] != ' ')
				erase_one();
		} else if (is_cc(c, VEOF)) {
			push_line(true);
		} else if (c == '\n' || is_cc(c, VEOL) || is_cc(c, VEOL2)) {
			line[line_len++] = c; /* line[] keeps room for it */
			echo_char(c);
			push_line(false);
		} else if (line_len < TTY_LINE_MAX - 1) {
			line[line_len++] = c;
			echo_char(c);
		}
		return 0;
	}
	/* Raw: a full queue drops c, unechoed: the screen shows what a reader gets. */
	if (ring_room()) {
		ring_put((unsigned char)c);
		echo_char(c);
	}
	return 0;
}

static int foreground(void)
{
	int pgrp = READ_ONCE(fg_pgrp);

	return pgrp ? pgrp : process_init_pgid();
}

void tty_receive_char(char c)
{
	unsigned long flags;
	int sig;

	if (kshell_input(c))
		return;
	flags = spin_lock_irqsave(&tty_lock);
	sig = receive(c);

	spin_unlock_irqrestore(&tty_lock, flags);
	if (sig) {
		int pgrp = foreground();

		if (pgrp)
			signal_send_pgrp(pgrp, sig);
	}
	wake_up(&tty_wait);
}

void tty_receive_break(void)
{
	kshell_break();
}

/*
 * Caller holds tty_lock: bytes a read could take now (canonical: only
 * whole lines), 0 if none.
 */
static unsigned int readable(void)
{
	if (termios.c_lflag & ICANON)
		return ring_lines ? ring_head - ring_tail : 0;
	return ring_head - ring_tail;
}

/*
 * Caller holds tty_lock: takes up to n bytes; canonical reads stop after
 * a line's end, and an EOF entry ends a read (taken only if nothing came
 * before it: then the read returns 0).
 */
static size_t take(char *buf, size_t n)
{
	bool canon = termios.c_lflag & ICANON;
	size_t got = 0;

	while (got < n && ring_tail != ring_head) {
		u16 e = ring[ring_tail % TTY_BUF_SIZE];

		if (e & TTY_EOF) {
			if (!got) {
				ring_tail++;
				ring_lines--;
			}
			break;
		}
		ring_tail++;
		buf[got++] = (char)e;
		if (e & TTY_LINE_END) {
			ring_lines--;
			if (canon)
				break;
		}
	}
	return got;
}

int tty_read_char(void)
{
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	char c;
	int ret = readable() && take(&c, 1) ? (unsigned char)c : -1;

	spin_unlock_irqrestore(&tty_lock, flags);
	return ret;
}

struct tty_wait_arg {
	unsigned int want; /* readable bytes that end the wait */
	unsigned int seen; /* readable bytes when the VTIME timer started */
	struct wait_timer *timer; /* VTIME, or NULL */
};

/* Checked under tty_wait's lock: a byte queued after it wakes the reader. */
static bool input_ready(void *arg)
{
	struct tty_wait_arg *w = arg;
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	unsigned int avail = readable();

	spin_unlock_irqrestore(&tty_lock, flags);
	return avail >= w->want ||
	       (w->timer && (READ_ONCE(w->timer->expired) || avail != w->seen)) ||
	       signal_pending(current_task());
}

/*
 * Canonical: one line (or what fits in n). Raw, POSIX's VMIN/VTIME: wait
 * for min(VMIN, n) bytes; with VTIME too, for at most VTIME tenths of a
 * second since the last byte (VMIN > 0, once one came) or since the call
 * (VMIN = 0, for one byte); VMIN = VTIME = 0 returns what is there.
 */
static long tty_read(struct file *f, char *ubuf, size_t n)
{
	char kbuf[TTY_LINE_MAX];
	struct tty_wait_arg w = { 0 };
	struct wait_timer timer;
	unsigned long flags;
	unsigned int avail, vmin, vtime;
	long ret;

	if (!n)
		return 0;
	n = min(n, sizeof(kbuf));
	for (;;) {
		flags = spin_lock_irqsave(&tty_lock);
		avail = readable();
		vmin = vtime = 0;
		if (!(termios.c_lflag & ICANON)) {
			vmin = min((unsigned int)termios.c_cc[VMIN], (unsigned int)n);
			vtime = termios.c_cc[VTIME];
		}
		w.want = termios.c_lflag & ICANON ? 1 : vmin ? vmin : vtime ? 1 : 0;
		if (avail >= w.want || (w.timer && READ_ONCE(timer.expired)))
			break;
		spin_unlock_irqrestore(&tty_lock, flags);
		if (READ_ONCE(f->flags) & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		if (vtime && (!vmin || avail) && (!w.timer || avail != w.seen)) {
			if (w.timer)
				wait_timer_stop(&timer);
			wait_timer_start(&timer, &tty_wait,
					 get_ticks() + ms_to_ticks(vtime * 100ULL));
			w.timer = &timer;
			w.seen = avail;
		}
		wait_event(&tty_wait, input_ready, &w);
		if (signal_pending(current_task())) {
			ret = -ERESTARTSYS; /* -EINTR, or a restart with SA_RESTART */
			goto out;
		}
	}
	ret = (long)take(kbuf, n);
	spin_unlock_irqrestore(&tty_lock, flags);
	if (ret && copy_to_user(ubuf, kbuf, (size_t)ret))
		ret = -EFAULT;
out:
	if (w.timer)
		wait_timer_stop(&timer);
	return ret;
}

/* Output goes straight out; the console drivers turn "\n" into "\r\n". */
static long tty_write(struct file *f, const char *ubuf, size_t n)
{
	char buf[256];
	size_t done = 0;

	while (done < n) {
		size_t chunk = min(n - done, sizeof(buf));
		size_t left = copy_from_user(buf, ubuf + done, chunk);

		console_write_raw(buf, chunk - left);
		done += chunk - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

/* sendfile() to the console. */
static long tty_write_kernel(struct file *f, const char *buf, size_t n)
{
	console_write_raw(buf, n);
	return (long)n;
}

static unsigned int tty_poll(struct file *f, struct poll_table *pt)
{
	unsigned long flags;
	unsigned int mask = POLLOUT | POLLWRNORM;

	poll_wait(f, &tty_wait, pt);
	flags = spin_lock_irqsave(&tty_lock);
	if (readable())
		mask |= POLLIN | POLLRDNORM;
	spin_unlock_irqrestore(&tty_lock, flags);
	return mask;
}

static long set_termios(unsigned int cmd, const void *uarg)
{
	struct kernel_termios t;
	unsigned long flags;

	if (copy_from_user(&t, uarg, sizeof(t)))
		return -EFAULT;
	flags = spin_lock_irqsave(&tty_lock);
	/* Output is written synchronously: TCSETSW has nothing to wait for. */
	if (cmd == TCSETSF)
		flush_input();
	/* Leaving canonical mode: the line typed so far becomes readable. */
	if ((termios.c_lflag & ICANON) && !(t.c_lflag & ICANON) && line_len)
		push_line(false);
	termios = t;
	spin_unlock_irqrestore(&tty_lock, flags);
	wake_up(&tty_wait);
	return 0;
}

static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct kernel_termios t;
	struct winsize ws;
	unsigned long flags;
	int pgrp, err;

	switch (cmd) {
	case TCGETS:
		flags = spin_lock_irqsave(&tty_lock);
		t = termios;
		spin_unlock_irqrestore(&tty_lock, flags);
		return copy_to_user((void *)arg, &t, sizeof(t)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(cmd, (const void *)arg);
	case TIOCGPGRP:
		pgrp = foreground();
		return copy_to_user((void *)arg, &pgrp, sizeof(pgrp)) ? -EFAULT : 0;
	case TIOCSPGRP:
		if (copy_from_user(&pgrp, (const void *)arg, sizeof(pgrp)))
			return -EFAULT;
		if (pgrp < 0)
			return -EINVAL;
		err = process_pgrp_check(pgrp, current_task()->sid);
		if (err)
			return err;
		WRITE_ONCE(fg_pgrp, pgrp);
		return 0;
	case TIOCGWINSZ:
		flags = spin_lock_irqsave(&tty_lock);
		ws = winsize;
		spin_unlock_irqrestore(&tty_lock, flags);
		return copy_to_user((void *)arg, &ws, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, (const void *)arg, sizeof(ws)))
			return -EFAULT;
		flags = spin_lock_irqsave(&tty_lock);
		winsize = ws;
		spin_unlock_irqrestore(&tty_lock, flags);
		return 0;
	default:
		return -ENOTTY;
	}
}

const struct file_operations tty_fops = {
	.read = tty_read, .write = tty_write, .ioctl = tty_ioctl,
	.poll = tty_poll, .write_kernel = tty_write_kernel,
};

/* /dev/tty (5, 0) and /dev/console (5, 1) are both the one console. */
static const struct chrdev_node tty_nodes[] = {
	{ "console", 1, 0600 }, { "tty", 0, 0666 }, { NULL, 0, 0 },
};
static const struct chrdev_region tty_region = { 5, 0, 2, &tty_fops, tty_nodes };
DEFINE_CHRDEV(tty_region);
