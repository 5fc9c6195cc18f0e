/* SPDX-License-Identifier: BSD-2-Clause */
/* ioctl() and the terminal functions built on it (tcgetattr, tcsetpgrp, isatty). */
#include <errno.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "libc_internal.h"

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	long arg;

	va_start(ap, request);
	arg = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__syscall3(__NR_ioctl, fd, request, arg));
}

int tcgetattr(int fd, struct termios *t)
{
	if (ioctl(fd, TCGETS, t) < 0)
		return -1;
	t->c_ispeed = t->c_ospeed = t->c_cflag & CBAUD;
	return 0;
}

int tcsetattr(int fd, int action, const struct termios *t)
{
	static const unsigned long req[] = { TCSETS, TCSETSW, TCSETSF };

	if (action < TCSANOW || action > TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(fd, req[action], t);
}

pid_t tcgetpgrp(int fd)
{
	pid_t pgrp;

	return ioctl(fd, TIOCGPGRP, &pgrp) < 0 ? -1 : pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	return ioctl(fd, TIOCSPGRP, &pgrp);
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
			ICRNL | IXON);
	t->c_oflag &= ~OPOST;
	t->c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag &= ~(CSIZE | PARENB);
	t->c_cflag |= CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

int isatty(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) == 0)
		return 1;
	/* Like glibc: EBADF stays, anything else becomes ENOTTY. */
	if (errno != EBADF)
		errno = ENOTTY;
	return 0;
}
