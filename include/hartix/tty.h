/* The console tty's input: bytes from the serial driver, echoed and queued for a reader. */
#ifndef HARTIX_TTY_H
#define HARTIX_TTY_H

/* Bytes queued before the reader falls behind and new ones are dropped. */
#define TTY_BUF_SIZE 256

/*
 * From the serial driver's interrupt handler: queues c and echoes it. Every
 * byte is queued as received ('\r' too, erase characters too: a reader may
 * already have consumed what they erase, so it edits its own line); the
 * echo shows '\r' as a new line and backspace/DEL as erasing the last
 * character typed on the line. Other control characters are not echoed,
 * so an escape sequence cannot move the cursor. A full queue drops c.
 * While the kernel shell owns the console, c goes to it instead.
 */
void tty_receive_char(char c);

/*
 * From the serial driver's interrupt handler: a BREAK came in on the line.
 * It enters or leaves the kernel shell (CONFIG_KSHELL), like Linux's
 * magic SysRq; without it the break is ignored.
 */
void tty_receive_break(void);

/* The next queued byte (0..255), or -1 if there is none. */
int tty_read_char(void);

/*
 * Sleeps until a byte is queued (0) or the task is being killed (-EINTR).
 * Task context only.
 */
int tty_wait_input(void);

#endif
