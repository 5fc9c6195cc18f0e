/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot command line tokenizing and overflow-checked number parsing (lib/cmdline.c). */
#ifndef HARTIX_CMDLINE_H
#define HARTIX_CMDLINE_H

#include <hartix/types.h>

/* Returns s advanced past spaces, tabs, newlines and other ASCII whitespace. */
char *skip_spaces(const char *s);

/*
 * Splits off the first argument of args, in place, Linux style:
 *   key=value     *param = "key", *val = "value"
 *   key=          *param = "key", *val = ""
 *   word          *param = "word", *val = NULL
 *   key="a b"     *param = "key", *val = "a b"
 *   "a b"         *param = "a b", *val = NULL
 * Whitespace inside double quotes does not split; an unbalanced quote runs
 * to the end of the string. Leading whitespace is skipped; when nothing is
 * left, *param and *val are NULL. Returns the rest of the string with its
 * leading whitespace skipped, so the usual loop is:
 *
 *	args = skip_spaces(args);
 *	while (*args) {
 *		args = next_arg(args, &param, &val);
 *		...
 *	}
 */
char *next_arg(char *args, char **param, char **val);

/*
 * Parse a whole string as an integer, Linux's kstrto*() rules: base 2..16,
 * or 0 for C-style detection ("0x" hex, leading "0" octal, else decimal);
 * base 16 also accepts a "0x" prefix. An optional '+' (and '-' for the
 * signed ones) comes first, a single trailing '\n' is ignored, anything
 * else is -EINVAL. Values out of the type's range give -ERANGE. *res is only
 * written on success.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);

/* y/Y/1/on -> true, n/N/0/off -> false; as in Linux only the first two characters count. */
int kstrtobool(const char *s, bool *res);

/*
 * A size such as "64M": a base-0 number as above, then an optional K, M, G
 * or T suffix (any case) multiplying by 2^10..2^40, then an optional '\n'.
 * -EINVAL for anything else, -ERANGE when the result exceeds 64 bits.
 */
int memparse(const char *s, u64 *res);

#endif
