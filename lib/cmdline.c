/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot command line tokenizer and the strict number parsers its handlers use. */
#include <hartix/cmdline.h>
#include <hartix/errno.h>
#include <limits.h>

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

char *skip_spaces(const char *s)
{
	while (is_space(*s))
		s++;
	return (char *)s;
}

/* end == open: the token's only quote was the opening one, already stepped over. */
static void strip_closing_quote(char *open, char *end)
{
	if (end > open && end[-1] == '"')
		end[-1] = '\0';
}

char *next_arg(char *args, char **param, char **val)
{
	char *end, *eq = NULL;
	bool quoted, in_quote;

	args = skip_spaces(args);
	*param = *val = NULL;
	if (!*args)
		return args;

	/*
	 * As in Linux, a quote opening the token pairs with one closing it,
	 * so "key=a b" is key / a b; '=' splits even inside quotes.
	 */
	quoted = in_quote = *args == '"';
	if (quoted)
		args++;
	for (end = args; *end && (in_quote || !is_space(*end)); end++) {
		if (*end == '"')
			in_quote = !in_quote;
		else if (*end == '=' && !eq)
			eq = end;
	}

	*param = args;
	if (eq) {
		*eq = '\0';
		*val = eq + 1;
		if (**val == '"')
			strip_closing_quote(++*val, end);
	}
	if (quoted)
		strip_closing_quote(args, end);
	if (*end)
		*end++ = '\0';
	return skip_spaces(end);
}

/* Digit value in bases up to 16; anything else is >= 16, never a digit. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20; /* ASCII lower case */
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return 16;
}

static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] | 0x20) == 'x' && digit_value(s[2]) < 16;
}

/*
 * Parses the unsigned digits at s, setting *end past them. Overflow is
 * reported after the digits are consumed so it wins over trailing garbage,
 * as in Linux.
 */
static int parse_digits(const char *s, unsigned int base,
			unsigned long long *res, const char **end)
{
	unsigned long long v = 0;
	bool overflow = false;
	const char *p;
	unsigned int d;

	if (base == 0)
		base = has_hex_prefix(s) ? 16 : s[0] == '0' ? 8 : 10;
	if (base < 2 || base > 16)
		return -EINVAL;
	if (base == 16 && has_hex_prefix(s))
		s += 2;

	for (p = s; (d = digit_value(*p)) < base; p++) {
		if (v > (ULLONG_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	*end = p;
	if (overflow)
		return -ERANGE;
	if (p == s)
		return -EINVAL;
	*res = v;
	return 0;
}

/* The tail allowed after a number: nothing, or one newline (from sysfs-style writes). */
static bool at_end(const char *s)
{
	return !s[*s == '\n'];
}

static int parse_whole(const char *s, unsigned int base, unsigned long long *res)
{
	const char *end;
	int err = parse_digits(s, base, res, &end);

	if (err)
		return err;
	return at_end(end) ? 0 : -EINVAL;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v;
	int err = parse_whole(*s == '+' ? s + 1 : s, base, &v);

	if (err)
		return err;
	*res = v;
	return 0;
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int err;

	if (*s != '-') {
		err = kstrtoull(s, base, &v);
		if (err)
			return err;
		if (v > LLONG_MAX)
			return -ERANGE;
		*res = v;
		return 0;
	}

	err = parse_whole(s + 1, base, &v);
	if (err)
		return err;
	if (v > (unsigned long long)LLONG_MAX + 1)
		return -ERANGE;
	/* Negating in unsigned arithmetic handles LLONG_MIN without overflow. */
	*res = (long long)-v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long v;
	int err = kstrtoll(s, base, &v);

	if (err)
		return err;
	if (v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	/* NULL is what next_arg() gives for a bare word: not a value. */
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y':
	case 'Y':
	case '1':
		*res = true;
		return 0;
	case 'n':
	case 'N':
	case '0':
		*res = false;
		return 0;
	case 'o':
	case 'O':
		switch (s[1] | 0x20) {
		case 'n':
			*res = true;
			return 0;
		case 'f':
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

int memparse(const char *s, u64 *res)
{
	unsigned long long v;
	unsigned int shift;
	const char *end;
	int err = parse_digits(s, 0, &v, &end);

	if (err)
		return err;
	switch (*end | 0x20) {
	case 'k':
		shift = 10;
		break;
	case 'm':
		shift = 20;
		break;
	case 'g':
		shift = 30;
		break;
	case 't':
		shift = 40;
		break;
	default:
		shift = 0;
		break;
	}
	if (shift)
		end++;
	if (!at_end(end))
		return -EINVAL;
	if (v > UINT64_MAX >> shift)
		return -ERANGE;
	*res = v << shift;
	return 0;
}
