/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BSD's error messages: "prog: message: strerror(errno)" on stderr, prog
 * being the last part of argv[0]; the err* forms then exit(status).
 */
#ifndef _ERR_H
#define _ERR_H

#include <stdio.h>

extern char *program_invocation_short_name;

void warn(const char *fmt, ...) __printf_fmt(1, 2);
void warnx(const char *fmt, ...) __printf_fmt(1, 2);
__attribute__((noreturn)) void err(int status, const char *fmt, ...) __printf_fmt(2, 3);
__attribute__((noreturn)) void errx(int status, const char *fmt, ...) __printf_fmt(2, 3);

#endif
