/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unbuffered stdio: each call formats the whole text (lib/vsprintf.c) and
 * writes it with one write(); texts longer than the stack buffer are
 * formatted into a malloc()ed one.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libc_internal.h"

struct __file {
	int fd;
};

static FILE std_files[3] = { { 0 }, { 1 }, { 2 } };
FILE *stdin = &std_files[0];
FILE *stdout = &std_files[1];
FILE *stderr = &std_files[2];

int __write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		buf += w;
		n -= w;
	}
	return 0;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char stackbuf[256], *buf = stackbuf;
	va_list ap2;
	int n, ret;

	va_copy(ap2, ap);
	n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, ap);
	if (n >= (int)sizeof(stackbuf)) {
		buf = malloc((size_t)n + 1);
		if (buf)
			vsnprintf(buf, (size_t)n + 1, fmt, ap2);
		else
			buf = stackbuf, n = sizeof(stackbuf) - 1;
	}
	va_end(ap2);
	ret = __write_all(fd, buf, n) < 0 ? -1 : n;
	if (buf != stackbuf)
		free(buf);
	return ret;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return vdprintf(f->fd, fmt, ap);
}

int vprintf(const char *fmt, va_list ap)
{
	return vdprintf(1, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(f->fd, fmt, ap);
	va_end(ap);
	return n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

/* vsnprintf() and snprintf() are the kernel's (lib/vsprintf.c). */
int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, INT_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, INT_MAX, fmt, ap);
	va_end(ap);
	return n;
}

int vasprintf(char **strp, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	*strp = malloc((size_t)n + 1);
	if (!*strp)
		return -1;
	return vsnprintf(*strp, (size_t)n + 1, fmt, ap);
}

int asprintf(char **strp, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(strp, fmt, ap);
	va_end(ap);
	return n;
}

int fputs(const char *s, FILE *f)
{
	return __write_all(f->fd, s, strlen(s)) < 0 ? EOF : 0;
}

int puts(const char *s)
{
	return dprintf(1, "%s\n", s) < 0 ? EOF : 0;
}

int fputc(int c, FILE *f)
{
	char ch = c;

	return __write_all(f->fd, &ch, 1) < 0 ? EOF : (unsigned char)ch;
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fgetc(FILE *f)
{
	unsigned char c;
	ssize_t r;

	do
		r = read(f->fd, &c, 1);
	while (r < 0 && errno == EINTR);
	return r == 1 ? c : EOF;
}

int getchar(void)
{
	return fgetc(stdin);
}

/* One byte per read(): no buffer, so nothing is read past the newline. */
char *fgets(char *buf, int size, FILE *f)
{
	int i = 0, c;

	if (size <= 0)
		return NULL;
	while (i < size - 1) {
		c = fgetc(f);
		if (c == EOF)
			break;
		buf[i++] = c;
		if (c == '\n')
			break;
	}
	if (i == 0)
		return NULL;
	buf[i] = '\0';
	return buf;
}

int fflush(FILE *f)
{
	(void)f;
	return 0;
}

int fileno(FILE *f)
{
	return f->fd;
}

void perror(const char *s)
{
	int e = errno;

	if (s && *s)
		dprintf(2, "%s: %s\n", s, strerror(e));
	else
		dprintf(2, "%s\n", strerror(e));
}
