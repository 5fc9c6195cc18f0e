/* The console tty's input side: a ring of received bytes, echoed as they arrive. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/kshell.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/spinlock.h>
#include <hartix/tty.h>

BUILD_BUG_ON(TTY_BUF_SIZE & (TTY_BUF_SIZE - 1));

#define CHAR_BS 0x08
#define CHAR_DEL 0x7f

/*
 * tty_lock protects the ring (tty_buf, tty_head, tty_tail) and echo_col.
 * The echo is written while holding it, so the screen shows bytes in the
 * order they were queued. Lock order: tty_lock, then printk's lock.
 */
static DEFINE_SPINLOCK(tty_lock);
static char tty_buf[TTY_BUF_SIZE];
/* Free-running indexes: head - tail bytes are queued. */
static unsigned int tty_head, tty_tail;
/* Characters echoed since the last new line: an erase stops at its start. */
static unsigned int echo_col;
/* Readers waiting for a byte (tty_wait_input); woken for each one queued. */
static struct wait_queue tty_wait = WAIT_QUEUE_INIT;

/* Caller holds tty_lock. */
static void tty_echo(char c)
{
	if (c == '\r' || c == '\n') {
		/* Consoles expand "\n" to "\r\n" themselves. */
		console_write_raw("\n", 1);
		echo_col = 0;
	} else if (c == CHAR_BS || c == CHAR_DEL) {
		if (echo_col) {
			console_write_raw("\b \b", 3);
			echo_col--;
		}
	} else if ((unsigned char)c >= ' ') {
		console_write_raw(&c, 1);
		echo_col++;
	}
}

void tty_receive_char(char c)
{
	unsigned long flags;

	if (kshell_input(c))
		return;
	flags = spin_lock_irqsave(&tty_lock);

	/* Dropped bytes are not echoed: the screen shows what a reader gets. */
	if (tty_head - tty_tail < TTY_BUF_SIZE) {
		tty_buf[tty_head++ % TTY_BUF_SIZE] = c;
		tty_echo(c);
	}
	spin_unlock_irqrestore(&tty_lock, flags);
	wake_up(&tty_wait);
}

void tty_receive_break(void)
{
	kshell_break();
}

/* Checked under tty_wait's lock: a byte queued after it wakes the reader. */
static bool tty_input_ready(void *arg)
{
	return READ_ONCE(tty_head) != READ_ONCE(tty_tail) ||
	       signal_pending(current_task());
}

int tty_wait_input(void)
{
	wait_event(&tty_wait, tty_input_ready, NULL);
	return signal_pending(current_task()) ? -EINTR : 0;
}

int tty_read_char(void)
{
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	int c = -1;

	if (tty_tail != tty_head)
		c = (unsigned char)tty_buf[tty_tail++ % TTY_BUF_SIZE];
	spin_unlock_irqrestore(&tty_lock, flags);
	return c;
}
