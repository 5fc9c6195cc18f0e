/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for lib/cmdline.c: tokenizer cases and number parsing at the edges. */
#include <hartix/compiler.h> /* before any libc header: see libc_rename.h */
#include <hartix/cmdline.h>
#include <hartix/errno.h>
#include <limits.h>
#include "htest.h"

struct arg {
	const char *param, *val; /* NULL val: bare word */
};

/*
 * Tokenizes a heap copy of 'line' sized exactly, so ASan catches any read
 * past its NUL, and compares with the expected arguments.
 */
static void check_args(const char *line, const struct arg *expect, int n)
{
	size_t len = strlen(line);
	char *buf = malloc(len + 1), *args, *param, *val;
	int i = 0;

	memcpy(buf, line, len + 1);
	args = skip_spaces(buf);
	while (*args) {
		args = next_arg(args, &param, &val);
		CHECK(args >= buf && args <= buf + len);
		if (i >= n) {
			printf("#   \"%s\": extra argument \"%s\"\n", line, param);
			htest_case_failed = 1;
			break;
		}
		CHECK_STR(param, expect[i].param);
		if (expect[i].val)
			CHECK_STR(val, expect[i].val);
		else
			CHECK(val == NULL);
		i++;
	}
	CHECK_EQ(i, n);
	free(buf);
}

#define CHECK_ARGS(line, ...)                                                 \
	do {                                                                  \
		static const struct arg expect[] = { __VA_ARGS__ };           \
		check_args(line, expect, ARRAY_SIZE(expect));                 \
	} while (0)

static void test_next_arg(void)
{
	CHECK_ARGS("console=ttyS0 quiet", { "console", "ttyS0" }, { "quiet", NULL });
	CHECK_ARGS("  \t a=1\n\n b  \t", { "a", "1" }, { "b", NULL });
	CHECK_ARGS("key= other", { "key", "" }, { "other", NULL });
	CHECK_ARGS("=v", { "", "v" });
	CHECK_ARGS("a=b=c", { "a", "b=c" });
	CHECK_ARGS("init=\"/bin/sh -x\" ro", { "init", "/bin/sh -x" }, { "ro", NULL });
	CHECK_ARGS("\"quoted word\" x", { "quoted word", NULL }, { "x", NULL });
	CHECK_ARGS("\"key=a b\"", { "key", "a b" });
	CHECK_ARGS("k=\"\"", { "k", "" });
	CHECK_ARGS("k=\"", { "k", "" });
	CHECK_ARGS("a\"b c\"d e", { "a\"b c\"d", NULL }, { "e", NULL });
	/* Unbalanced quotes run to the end of the string, never beyond. */
	CHECK_ARGS("k=\"a b", { "k", "a b" });
	CHECK_ARGS("x \"unterminated   ", { "x", NULL }, { "unterminated   ", NULL });
	CHECK_ARGS("\"", { "", NULL });
	CHECK_ARGS("a \"", { "a", NULL }, { "", NULL });
}

static void test_next_arg_empty(void)
{
	char empty[] = "", spaces[] = " \t\n ";
	char *param = empty, *val = empty, *rest;

	rest = next_arg(empty, &param, &val);
	CHECK(rest == empty);
	CHECK(param == NULL && val == NULL);

	rest = next_arg(spaces, &param, &val);
	CHECK(rest == spaces + 4);
	CHECK(param == NULL && val == NULL);
	CHECK(skip_spaces(spaces) == spaces + 4);
}

static void test_kstrtoull(void)
{
	unsigned long long v;

	CHECK_EQ(kstrtoull("0", 0, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(kstrtoull("18446744073709551615", 10, &v), 0);
	CHECK(v == ULLONG_MAX);
	CHECK_EQ(kstrtoull("0xffffffffffffffff", 0, &v), 0);
	CHECK(v == ULLONG_MAX);
	CHECK_EQ(kstrtoull("01777777777777777777777", 0, &v), 0);
	CHECK(v == ULLONG_MAX);
	CHECK_EQ(kstrtoull("02000000000000000000000", 0, &v), -ERANGE);
	CHECK_EQ(kstrtoull("18446744073709551616", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoull("0x10000000000000000", 0, &v), -ERANGE);
	CHECK_EQ(kstrtoull("99999999999999999999999x", 10, &v), -ERANGE);

	v = 12345;
	CHECK_EQ(kstrtoull("", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("\n", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("0x", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("0x", 16, &v), -EINVAL);
	CHECK_EQ(kstrtoull("08", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("-", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("-1", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull(" 1", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("1 ", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("1\n\n", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("12a", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull("++1", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull("1", 1, &v), -EINVAL);
	CHECK_EQ(kstrtoull("1", 17, &v), -EINVAL);
	CHECK_EQ(v, 12345); /* untouched by every failure */

	CHECK_EQ(kstrtoull("42\n", 10, &v), 0);
	CHECK_EQ(v, 42);
	CHECK_EQ(kstrtoull("+7", 10, &v), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(kstrtoull("010", 0, &v), 0);
	CHECK_EQ(v, 8);
	CHECK_EQ(kstrtoull("010", 10, &v), 0);
	CHECK_EQ(v, 10);
	CHECK_EQ(kstrtoull("0XaBc", 0, &v), 0);
	CHECK_EQ(v, 0xabc);
	CHECK_EQ(kstrtoull("0x1f", 16, &v), 0);
	CHECK_EQ(v, 0x1f);
	CHECK_EQ(kstrtoull("1f", 16, &v), 0);
	CHECK_EQ(v, 0x1f);
	CHECK_EQ(kstrtoull("101", 2, &v), 0);
	CHECK_EQ(v, 5);
	CHECK_EQ(kstrtoull("102", 2, &v), -EINVAL);
}

static void test_kstrtoll(void)
{
	long long v;

	CHECK_EQ(kstrtoll("-9223372036854775808", 10, &v), 0);
	CHECK(v == LLONG_MIN);
	CHECK_EQ(kstrtoll("9223372036854775807", 10, &v), 0);
	CHECK(v == LLONG_MAX);
	CHECK_EQ(kstrtoll("-0x8000000000000000", 0, &v), 0);
	CHECK(v == LLONG_MIN);
	CHECK_EQ(kstrtoll("-9223372036854775809", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoll("9223372036854775808", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoll("-18446744073709551616", 10, &v), -ERANGE);

	v = 5;
	CHECK_EQ(kstrtoll("-", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoll("--1", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoll("-+1", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoll("+-1", 10, &v), -EINVAL);
	CHECK_EQ(v, 5);

	CHECK_EQ(kstrtoll("-0", 10, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(kstrtoll("-010\n", 0, &v), 0);
	CHECK_EQ(v, -8);
	CHECK_EQ(kstrtoll("+12", 0, &v), 0);
	CHECK_EQ(v, 12);
}

static void test_kstrto_int(void)
{
	unsigned int u;
	int i;

	CHECK_EQ(kstrtouint("4294967295", 10, &u), 0);
	CHECK(u == UINT_MAX);
	CHECK_EQ(kstrtouint("4294967296", 10, &u), -ERANGE);
	CHECK_EQ(kstrtouint("-1", 10, &u), -EINVAL);
	CHECK_EQ(kstrtoint("2147483647", 10, &i), 0);
	CHECK_EQ(i, INT_MAX);
	CHECK_EQ(kstrtoint("-2147483648", 10, &i), 0);
	CHECK_EQ(i, INT_MIN);
	CHECK_EQ(kstrtoint("2147483648", 10, &i), -ERANGE);
	CHECK_EQ(kstrtoint("-2147483649", 10, &i), -ERANGE);
	CHECK_EQ(kstrtoint("0x7fffffff", 0, &i), 0);
	CHECK_EQ(i, INT_MAX);
	CHECK_EQ(kstrtoint("x", 0, &i), -EINVAL);
}

static void test_kstrtobool(void)
{
	static const char *const yes[] = { "y", "Y", "1", "on", "ON", "yes", "1\n" };
	static const char *const no[] = { "n", "N", "0", "off", "Off", "no" };
	static const char *const bad[] = { "", "o", "ox", "true", "2", "\x11", " y" };
	size_t k;
	bool b;

	for (k = 0; k < ARRAY_SIZE(yes); k++) {
		b = false;
		CHECK_EQ(kstrtobool(yes[k], &b), 0);
		CHECK(b);
	}
	for (k = 0; k < ARRAY_SIZE(no); k++) {
		b = true;
		CHECK_EQ(kstrtobool(no[k], &b), 0);
		CHECK(!b);
	}
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		b = true;
		CHECK_EQ(kstrtobool(bad[k], &b), -EINVAL);
		CHECK(b);
	}
	CHECK_EQ(kstrtobool(NULL, &b), -EINVAL);
}

static void test_memparse(void)
{
	static const struct {
		const char *s;
		int err;
		u64 val;
	} cases[] = {
		{ "0", 0, 0 },
		{ "4096", 0, 4096 },
		{ "64k", 0, 64ULL << 10 },
		{ "64K", 0, 64ULL << 10 },
		{ "256M", 0, 256ULL << 20 },
		{ "256m\n", 0, 256ULL << 20 },
		{ "2G", 0, 2ULL << 30 },
		{ "2g", 0, 2ULL << 30 },
		{ "3T", 0, 3ULL << 40 },
		{ "3t", 0, 3ULL << 40 },
		{ "0x1000", 0, 0x1000 },
		{ "0x10M", 0, 0x10ULL << 20 },
		{ "010k", 0, 8ULL << 10 },
		{ "18446744073709551615", 0, ULLONG_MAX },
		{ "16777215T", 0, 16777215ULL << 40 },
		{ "16777216T", -ERANGE, 0 },
		{ "17179869184G", -ERANGE, 0 },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "K", -EINVAL, 0 },
		{ "1KB", -EINVAL, 0 },
		{ "1P", -EINVAL, 0 },
		{ "1 M", -EINVAL, 0 },
		{ "-1M", -EINVAL, 0 },
		{ "08M", -EINVAL, 0 },
	};
	size_t k;

	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		u64 v = 0xdead;
		int err = memparse(cases[k].s, &v);

		if (err != cases[k].err ||
		    v != (cases[k].err ? 0xdead : cases[k].val)) {
			printf("#   memparse(\"%s\") = %d, %#llx\n", cases[k].s,
			       err, (unsigned long long)v);
			htest_case_failed = 1;
		}
	}
}

int main(void)
{
	HTEST_RUN(test_next_arg);
	HTEST_RUN(test_next_arg_empty);
	HTEST_RUN(test_kstrtoull);
	HTEST_RUN(test_kstrtoll);
	HTEST_RUN(test_kstrto_int);
	HTEST_RUN(test_kstrtobool);
	HTEST_RUN(test_memparse);
	return htest_done();
}
