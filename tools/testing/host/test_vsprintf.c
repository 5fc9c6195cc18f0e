/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for lib/vsprintf.c: randomized comparison with glibc, truncation, own rules. */
#include <hartix/compiler.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <hartix/types.h>
#include "htest.h"

#define OUTSZ 512

static int reported;

/*
 * Formats once with Hartix and once with glibc (via the builtin name) and
 * compares. Not __printf-annotated: formats are built at run time or combine
 * flags on purpose that -Wformat would flag as pointless.
 */
static void check(const char *fmt, ...)
{
	char out[OUTSZ], ref[OUTSZ];
	va_list ap, aq;
	int n, m;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(out, sizeof(out), fmt, ap);
	m = __builtin_vsnprintf(ref, sizeof(ref), fmt, aq);
	va_end(aq);
	va_end(ap);
	if (n != m || m < 0 || m >= OUTSZ || __builtin_memcmp(out, ref, m + 1)) {
		if (reported++ < 20)
			printf("#   format \"%s\": got \"%s\" (%d), glibc \"%s\" (%d)\n",
			       fmt, out, n, ref, m);
		htest_case_failed = 1;
	}
}

/* Mostly edge values, the rest random magnitudes of either sign. */
static unsigned long long random_value(void)
{
	static const unsigned long long edges[] = {
		0, 1, -1ULL, 7, 8, 9, 10, 15, 16, 127, 128, 255, 256, 32767,
		32768, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
	};
	unsigned long long v;

	if (rand() % 3 == 0)
		return edges[rand() % ARRAY_SIZE(edges)];
	v = ((unsigned long long)rand() << 33) ^ ((unsigned long long)rand() << 11) ^ rand();
	v >>= rand() % 64;
	return rand() % 2 ? v : -v;
}

/* Appends a random width and precision, literal or '*', collecting star values. */
static char *random_field(char *p, int *stars, int *nstars, bool precision_ok)
{
	switch (rand() % 3) {
	case 1:
		p += sprintf(p, "%d", rand() % 26);
		break;
	case 2:
		*p++ = '*';
		stars[(*nstars)++] = rand() % 51 - 25;
		break;
	}
	if (!precision_ok)
		return p;
	switch (rand() % 4) {
	case 1:
		*p++ = '.';
		break;
	case 2:
		p += sprintf(p, ".%d", rand() % 26);
		break;
	case 3:
		p += sprintf(p, ".*");
		stars[(*nstars)++] = rand() % 31 - 5;
		break;
	}
	return p;
}

static char *random_flags(char *p, const char *allowed)
{
	int n = rand() % 4, len = __builtin_strlen(allowed);

	while (n--)
		*p++ = allowed[rand() % len];
	return p;
}

/* Passes the star arguments, then v converted to T. */
#define CHECK_WITH_STARS(fmt, stars, nstars, T, v)                       \
	do {                                                             \
		if ((nstars) == 0)                                       \
			check(fmt, (T)(v));                              \
		else if ((nstars) == 1)                                  \
			check(fmt, (stars)[0], (T)(v));                  \
		else                                                     \
			check(fmt, (stars)[0], (stars)[1], (T)(v));      \
	} while (0)

static void test_random_integers(void)
{
	static const char *const lengths[] = { "", "hh", "h", "l", "ll", "z", "t", "j" };
	static const char convs[] = "diuxXo";
	int i;

	for (i = 0; i < 40000; i++) {
		char fmt[64], *p = fmt, conv = convs[rand() % 6];
		int stars[2], nstars = 0, len = rand() % ARRAY_SIZE(lengths);
		unsigned long long v = random_value();

		*p++ = '<';
		*p++ = '%';
		/* '#' is undefined for decimal conversions. */
		p = random_flags(p, conv == 'x' || conv == 'X' || conv == 'o' ?
					    "-+ 0#" : "-+ 0");
		p = random_field(p, stars, &nstars, true);
		p += sprintf(p, "%s%c>", lengths[len], conv);

		/* One argument type per length modifier, as the callee reads it. */
		switch (len) {
		case 3:
			CHECK_WITH_STARS(fmt, stars, nstars, long, v);
			break;
		case 4:
			CHECK_WITH_STARS(fmt, stars, nstars, long long, v);
			break;
		case 5:
			CHECK_WITH_STARS(fmt, stars, nstars, ssize_t, v);
			break;
		case 6:
			CHECK_WITH_STARS(fmt, stars, nstars, ptrdiff_t, v);
			break;
		case 7:
			CHECK_WITH_STARS(fmt, stars, nstars, intmax_t, v);
			break;
		default:
			CHECK_WITH_STARS(fmt, stars, nstars, int, v);
			break;
		}
	}
}

static void test_random_strings_and_chars(void)
{
	static const char *const strings[] = {
		"", "a", "hello", "with spaces  ", "\x80\xff high", "0123456789abcdefghij",
	};
	int i;

	for (i = 0; i < 20000; i++) {
		char fmt[64], *p = fmt;
		int stars[2], nstars = 0;
		bool is_string = rand() % 2;

		*p++ = '[';
		*p++ = '%';
		/* '0' is undefined for %s/%c, precision for %c. */
		p = random_flags(p, "-");
		p = random_field(p, stars, &nstars, is_string);
		p += sprintf(p, "%c]", is_string ? 's' : 'c');
		if (is_string)
			CHECK_WITH_STARS(fmt, stars, nstars, const char *,
					 strings[rand() % ARRAY_SIZE(strings)]);
		else
			CHECK_WITH_STARS(fmt, stars, nstars, int, rand() % 256);
	}
}

static void test_fixed_formats(void)
{
	check("");
	check("plain text");
	check("100%% sure, %d%%", 42);
	check("%d %i %u %x %X %o", -1, 2, 3u, 0xabcu, 0xabcu, 8u);
	check("%hhd %hhu %hd %hu", 300, 300, 70000, -1);
	check("%lld %llu %llx", -9223372036854775807LL - 1, -1ULL, -1ULL);
	check("%zd %zu %td %jd %ju", (ssize_t)-5, (size_t)-1, (ptrdiff_t)-7,
	      (intmax_t)-9, (uintmax_t)-1);
	check("%#o %#.0o %#x %#.0x %.0d %.0u|", 0u, 0u, 0u, 0u, 0, 0u);
	check("%+d % d %+ d % +d %+u", 0, 0, 5, 5, 5u);
	check("%08.3d|%-08d|%08d|%+08d|%#010x", -5, -5, -5, 5, 0x1fu);
	check("%*d|%-*d|%*.*d|%.*d", 6, 1, 6, 2, -6, 3, 4, -1, 5);
	check("%c%c%c", 'a', 0, 'z');
	check("%.0s|%.2s|%10.3s|%-10s|", "abc", "abc", "abcdef", "x");
	check("%s=%d, %s=%#x\n", "one", 1, "two", 2u);
}

static void test_pointers(void)
{
	char buf[64];

	CHECK_EQ(snprintf(buf, sizeof(buf), "%p", NULL), 18);
	CHECK_STR(buf, "0x0000000000000000");
	snprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80001234UL);
	CHECK_STR(buf, "0xffffffff80001234");
	snprintf(buf, sizeof(buf), "[%20p][%-20p]", (void *)0x1234, (void *)0xab);
	CHECK_STR(buf, "[  0x0000000000001234][0x00000000000000ab  ]");
}

/* Not __printf-annotated: these calls are deliberately outside ISO C. */
static int format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

static void test_null_string(void)
{
	char buf[64];

	format_unchecked(buf, sizeof(buf), "%s|%.3s|%8s|%-8s|", (char *)NULL,
		 (char *)NULL, (char *)NULL, (char *)NULL);
	CHECK_STR(buf, "(null)|(nu|  (null)|(null)  |");
}

static void test_unknown_conversions(void)
{
	char buf[64];

	CHECK_EQ(format_unchecked(buf, sizeof(buf), "%y"), 2);
	CHECK_STR(buf, "%y");
	format_unchecked(buf, sizeof(buf), "a%-5.2yb %d", 7);
	CHECK_STR(buf, "a%-5.2yb 7");
	format_unchecked(buf, sizeof(buf), "%n %f %d", 3);
	CHECK_STR(buf, "%n %f 3");
	CHECK_EQ(format_unchecked(buf, sizeof(buf), "100%"), 4);
	CHECK_STR(buf, "100%");
	format_unchecked(buf, sizeof(buf), "cut %08l");
	CHECK_STR(buf, "cut %08l");
	format_unchecked(buf, sizeof(buf), "%hh");
	CHECK_STR(buf, "%hh");
	/* Absurd widths saturate instead of overflowing. */
	CHECK_EQ(format_unchecked(buf, sizeof(buf), "%99999999999999999999d", 1),
		 2147483647);
	CHECK_EQ(buf[0], ' ');
	CHECK_EQ(buf[sizeof(buf) - 1], '\0');
}

/* Every buffer size from 0 to one past the full length. */
static void check_truncation(const char *fmt, ...)
{
	char full[OUTSZ], buf[OUTSZ];
	va_list ap, aq;
	int len, size;

	va_start(ap, fmt);
	va_copy(aq, ap);
	len = vsnprintf(full, sizeof(full), fmt, aq);
	va_end(aq);
	CHECK_EQ(vsnprintf(NULL, 0, fmt, ap), len);
	va_end(ap);

	for (size = 0; size <= len + 1; size++) {
		int expect_cn = size ? min(len, size - 1) : 0;

		__builtin_memset(buf, 0x5a, sizeof(buf));
		va_start(ap, fmt);
		CHECK_EQ(vsnprintf(buf, size, fmt, ap), len);
		va_end(ap);
		CHECK(!__builtin_memcmp(buf, full, expect_cn));
		if (size)
			CHECK_EQ(buf[expect_cn], '\0');
		CHECK_EQ(buf[size], 0x5a);

		va_start(ap, fmt);
		CHECK_EQ(vscnprintf(buf, size, fmt, ap), expect_cn);
		va_end(ap);
	}
}

static void test_truncation(void)
{
	char buf[8];

	check_truncation("%s=%08x|%-6d|%p", "key", 0xbeefu, -42, (void *)0x1234);
	check_truncation("%c%c", 'a', 'b');
	check_truncation("");
	check_truncation("%5s%%", "abcdefgh");
	CHECK_EQ(scnprintf(buf, sizeof(buf), "%d", 123456789), 7);
	CHECK_STR(buf, "1234567");
	CHECK_EQ(scnprintf(buf, 0, "%d", 1), 0);
	CHECK_EQ(scnprintf(buf, sizeof(buf), "%d", 12), 2);
}

int main(void)
{
	srand(1);
	HTEST_RUN(test_random_integers);
	HTEST_RUN(test_random_strings_and_chars);
	HTEST_RUN(test_fixed_formats);
	HTEST_RUN(test_pointers);
	HTEST_RUN(test_null_string);
	HTEST_RUN(test_unknown_conversions);
	HTEST_RUN(test_truncation);
	return htest_done();
}
