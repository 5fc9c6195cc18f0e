/* SPDX-License-Identifier: BSD-2-Clause */
/* The console tty: bytes from the serial driver through the line discipline to readers of /dev/console. */
#ifndef HARTIX_TTY_H
#define HARTIX_TTY_H

struct file_operations;

/* Input entries queued for readers; more are dropped until they catch up. */
#define TTY_BUF_SIZE 1024
/* The longest line canonical mode edits, with its new line. */
#define TTY_LINE_MAX 256

/*
 * The one entry point of console input: the serial driver's interrupt
 * handler passes each received byte. The line discipline (termios) edits,
 * echoes and queues it, or sends the foreground process group a signal
 * for Ctrl-C (SIGINT) and Ctrl-\ (SIGQUIT). Any context. While the
 * kernel shell owns the console, c goes to it instead.
 */
void tty_receive_char(char c);

/*
 * From the serial driver's interrupt handler: a BREAK came in on the line.
 * It enters or leaves the kernel shell (CONFIG_KSHELL), like Linux's
 * magic SysRq; without it the break is ignored.
 */
void tty_receive_break(void);

/* The next byte a read() would return now (0..255), or -1 if none is ready. */
int tty_read_char(void);

/* /dev/console, /dev/tty and descriptors 0-2 of kernel-started programs. */
extern const struct file_operations tty_fops;

#endif
