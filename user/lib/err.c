/* SPDX-License-Identifier: BSD-2-Clause */
/* warn()/err(): a program's error messages, each one write() like the rest of stdio. */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *program_invocation_short_name = "";

static void vwarn_errno(int e, const char *fmt, va_list ap)
{
	char msg[512];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);

	if (n < 0)
		msg[0] = '\0';
	if (e >= 0)
		dprintf(2, "%s: %s: %s\n", program_invocation_short_name, msg,
			strerror(e));
	else
		dprintf(2, "%s: %s\n", program_invocation_short_name, msg);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_errno(errno, fmt, ap);
	va_end(ap);
}

void warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_errno(-1, fmt, ap);
	va_end(ap);
}

void err(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_errno(errno, fmt, ap);
	va_end(ap);
	exit(status);
}

void errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_errno(-1, fmt, ap);
	va_end(ap);
	exit(status);
}
