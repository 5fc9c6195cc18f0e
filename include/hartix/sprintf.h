/* SPDX-License-Identifier: BSD-2-Clause */
/* Bounded formatted output (lib/vsprintf.c): C99 printf minus floating point. */
#ifndef HARTIX_SPRINTF_H
#define HARTIX_SPRINTF_H

#include <stdarg.h>
#include <hartix/compiler.h>
#include <hartix/types.h>

/*
 * Conversions: d i u x X o c s p %, flags - + space 0 #, width and precision
 * (also '*'), length modifiers hh h l ll z t j. Differences from ISO C:
 * %p prints "0x" and 16 hex digits, %s of NULL prints "(null)" (cut by the
 * precision like any string), and a conversion that is not supported (%n,
 * %f, ...) is copied to the output as text, consuming no argument.
 *
 * vsnprintf() and snprintf() return the length the whole output has (without
 * the NUL), even when it was cut to fit; the buffer is NUL-terminated
 * whenever size > 0. Lengths beyond INT_MAX are reported as INT_MAX.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Same, but return what was actually stored: at most size - 1, 0 when size is 0. */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf(3, 0);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
