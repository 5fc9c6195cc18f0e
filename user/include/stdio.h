/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Formatted output for Hartix user programs.
 *
 * Unbuffered: every call is one write() of the whole formatted text (longer
 * texts are formatted into a heap buffer first), so output from parent and
 * child never interleaves mid-line and nothing is lost when a program dies.
 * Formatting is the kernel's lib/vsprintf.c: d i u x X o c s p %, flags,
 * width, precision, hh h l ll z t j; no floating point, no %n.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

typedef struct __file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

#define __printf_fmt(a, b) __attribute__((format(printf, a, b)))

int printf(const char *fmt, ...) __printf_fmt(1, 2);
int fprintf(FILE *f, const char *fmt, ...) __printf_fmt(2, 3);
int dprintf(int fd, const char *fmt, ...) __printf_fmt(2, 3);
int sprintf(char *buf, const char *fmt, ...) __printf_fmt(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf_fmt(3, 4);
int vprintf(const char *fmt, va_list ap) __printf_fmt(1, 0);
int vfprintf(FILE *f, const char *fmt, va_list ap) __printf_fmt(2, 0);
int vdprintf(int fd, const char *fmt, va_list ap) __printf_fmt(2, 0);
int vsprintf(char *buf, const char *fmt, va_list ap) __printf_fmt(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf_fmt(3, 0);
/* *strp = a malloc()ed string; the length, or -1 (ENOMEM). */
int asprintf(char **strp, const char *fmt, ...) __printf_fmt(2, 3);
int vasprintf(char **strp, const char *fmt, va_list ap) __printf_fmt(2, 0);

int puts(const char *s);
int fputs(const char *s, FILE *f);
int putchar(int c);
int fputc(int c, FILE *f);
#define putc(c, f) fputc(c, f)
int getchar(void);
int fgetc(FILE *f);
#define getc(f) fgetc(f)
char *fgets(char *buf, int size, FILE *f);
int fflush(FILE *f);
int fileno(FILE *f);
void perror(const char *s);

/* renameat2(AT_FDCWD, old, AT_FDCWD, new, 0). */
int rename(const char *oldpath, const char *newpath);
int renameat2(int olddirfd, const char *oldpath, int newdirfd,
	      const char *newpath, unsigned int flags);

#endif
