/* SPDX-License-Identifier: BSD-2-Clause */
/* vsnprintf() and friends: the formatting engine behind printk and string building. */
#include <hartix/compiler.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <limits.h>

/* Where output goes; len keeps counting past size so callers learn the full length. */
struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

enum {
	F_LEFT = 1 << 0,
	F_PLUS = 1 << 1,
	F_SPACE = 1 << 2,
	F_ZERO = 1 << 3,
	F_ALT = 1 << 4,
	F_UPPER = 1 << 5,
};

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct fmt_spec {
	unsigned int flags;
	long width;
	long precision; /* -1 when absent */
	enum length length;
};

static void put_char(struct outbuf *o, char c)
{
	if (o->len < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* Padding past the end of the buffer is only counted, however wide. */
static void put_repeat(struct outbuf *o, char c, long n)
{
	for (; n > 0 && o->len < o->size; n--)
		o->buf[o->len++] = c;
	if (n > 0)
		o->len += n;
}

static void put_mem(struct outbuf *o, const char *s, size_t n)
{
	while (n--)
		put_char(o, *s++);
}

/* %s and %c: width pads with spaces only; '0' is undefined there in ISO C. */
static void put_field(struct outbuf *o, const struct fmt_spec *spec,
		      const char *s, size_t n)
{
	long pad = spec->width - (long)n;

	if (!(spec->flags & F_LEFT))
		put_repeat(o, ' ', pad);
	put_mem(o, s, n);
	if (spec->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

/* prefix is the sign or "0x": zero padding goes between it and the digits. */
static void put_number(struct outbuf *o, const struct fmt_spec *spec,
		       unsigned long long num, unsigned int base,
		       const char *prefix)
{
	const char *digits = spec->flags & F_UPPER ? "0123456789ABCDEF" :
						     "0123456789abcdef";
	char tmp[22]; /* ULLONG_MAX in octal */
	long n = 0, prec = spec->precision < 0 ? 1 : spec->precision;
	long plen = strlen(prefix), zeros, pad;

	for (; num; num /= base)
		tmp[n++] = digits[num % base];
	/* '#' with %o: the first digit must be 0, even for 0 with precision 0. */
	if (base == 8 && (spec->flags & F_ALT) && prec <= n)
		prec = n + 1;
	zeros = prec > n ? prec - n : 0;
	pad = spec->width - plen - zeros - n;
	if ((spec->flags & (F_ZERO | F_LEFT)) == F_ZERO &&
	    spec->precision < 0 && pad > 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(spec->flags & F_LEFT))
		put_repeat(o, ' ', pad);
	put_mem(o, prefix, plen);
	put_repeat(o, '0', zeros);
	while (n)
		put_char(o, tmp[--n]);
	if (spec->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

/*
 * Returns the argument's bits widened to 64: narrow types sign-extended for
 * signed conversions. The 64-bit types are read as their signed variant for
 * both, which every ABI Hartix runs on passes identically.
 */
static unsigned long long fetch_int(va_list *ap, enum length len,
				    bool is_signed)
{
	int v;

	switch (len) {
	case LEN_HH:
		v = va_arg(*ap, int);
		return is_signed ? (signed char)v : (unsigned char)v;
	case LEN_H:
		v = va_arg(*ap, int);
		return is_signed ? (short)v : (unsigned short)v;
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return va_arg(*ap, ssize_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		v = va_arg(*ap, int);
		return is_signed ? (long long)v : (unsigned int)v;
	}
}

static unsigned int flag_of(char c)
{
	switch (c) {
	case '-':
		return F_LEFT;
	case '+':
		return F_PLUS;
	case ' ':
		return F_SPACE;
	case '0':
		return F_ZERO;
	case '#':
		return F_ALT;
	default:
		return 0;
	}
}

/* Saturates at INT_MAX: absurd widths must not overflow the arithmetic. */
static const char *parse_decimal(const char *s, long *val)
{
	long v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = min(v * 10 + (*s - '0'), (long)INT_MAX);
	*val = v;
	return s;
}

/* Parses what follows '%' up to the conversion character, which it returns. */
static const char *parse_spec(const char *fmt, struct fmt_spec *spec,
			      va_list *ap)
{
	unsigned int f;

	for (spec->flags = 0; (f = flag_of(*fmt)); fmt++)
		spec->flags |= f;

	if (*fmt == '*') {
		int w = va_arg(*ap, int);

		fmt++;
		/* A negative '*' width means left-justify, as in ISO C. */
		if (w < 0)
			spec->flags |= F_LEFT;
		spec->width = w < 0 ? -(long)w : w;
	} else {
		fmt = parse_decimal(fmt, &spec->width);
	}

	spec->precision = -1;
	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			int p = va_arg(*ap, int);

			fmt++;
			spec->precision = p < 0 ? -1 : p;
		} else {
			fmt = parse_decimal(fmt, &spec->precision);
		}
	}

	spec->length = LEN_NONE;
	switch (*fmt) {
	case 'h':
		spec->length = fmt[1] == 'h' ? LEN_HH : LEN_H;
		break;
	case 'l':
		spec->length = fmt[1] == 'l' ? LEN_LL : LEN_L;
		break;
	case 'z':
		spec->length = LEN_Z;
		break;
	case 't':
		spec->length = LEN_T;
		break;
	case 'j':
		spec->length = LEN_J;
		break;
	}
	if (spec->length == LEN_HH || spec->length == LEN_LL)
		fmt += 2;
	else if (spec->length != LEN_NONE)
		fmt++;
	return fmt;
}

/* Returns false for a conversion this implementation does not know. */
static bool convert(struct outbuf *o, struct fmt_spec *spec, char conv,
		    va_list *ap)
{
	unsigned long long num;
	const char *s;
	char c;

	switch (conv) {
	case 'd':
	case 'i':
		num = fetch_int(ap, spec->length, true);
		if ((long long)num < 0)
			put_number(o, spec, -num, 10, "-");
		else
			put_number(o, spec, num, 10,
				   spec->flags & F_PLUS	 ? "+" :
				   spec->flags & F_SPACE ? " " :
							   "");
		return true;
	case 'u':
		put_number(o, spec, fetch_int(ap, spec->length, false), 10, "");
		return true;
	case 'o':
		put_number(o, spec, fetch_int(ap, spec->length, false), 8, "");
		return true;
	case 'x':
	case 'X':
		if (conv == 'X')
			spec->flags |= F_UPPER;
		num = fetch_int(ap, spec->length, false);
		s = !(spec->flags & F_ALT) || !num ? "" :
		    conv == 'X'		       ? "0X" :
						 "0x";
		put_number(o, spec, num, 16, s);
		return true;
	case 'p':
		/* Fixed width keeps pointers aligned in kernel logs. */
		spec->precision = 2 * sizeof(void *);
		put_number(o, spec, (uintptr_t)va_arg(*ap, void *), 16, "0x");
		return true;
	case 'c':
		c = va_arg(*ap, int);
		put_field(o, spec, &c, 1);
		return true;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		put_field(o, spec, s,
			  strnlen(s, spec->precision < 0 ? SIZE_MAX :
							   (size_t)spec->precision));
		return true;
	case '%':
		put_char(o, '%');
		return true;
	default:
		return false;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { .buf = buf, .size = size };
	struct fmt_spec spec;
	const char *start;
	va_list args;

	/* A copy, so helpers can take its address whatever va_list's type. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put_char(&o, *fmt++);
			continue;
		}
		start = fmt;
		fmt = parse_spec(fmt + 1, &spec, &args);
		/* Unknown: copy "%...x" as text; a cut-off spec ends the output. */
		if (!*fmt) {
			put_mem(&o, start, fmt - start);
			break;
		}
		if (!convert(&o, &spec, *fmt, &args))
			put_mem(&o, start, fmt + 1 - start);
		fmt++;
	}
	va_end(args);

	if (size)
		buf[min(o.len, size - 1)] = '\0';
	return min(o.len, (size_t)INT_MAX);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t ret = vsnprintf(buf, size, fmt, ap);

	if (ret < size)
		return ret;
	return size ? size - 1 : 0;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
