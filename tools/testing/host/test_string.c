/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for lib/string.c: each function against glibc on randomized inputs. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/string.h>
#include "htest.h"

#define MAXLEN 300
#define GUARD 32
#define BUFSZ (GUARD + 16 + MAXLEN + GUARD)

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void fill_random(unsigned char *p, size_t n)
{
	while (n--)
		*p++ = rand();
}

/* A small alphabet makes strstr/strchr/strcmp hit matches and near misses. */
static void fill_string(char *p, size_t n)
{
	static const char alphabet[] = "ab\x80\xff";

	while (n--)
		*p++ = alphabet[rand() % (sizeof(alphabet) - 1)];
	*p = '\0';
}

static void test_memcpy(void)
{
	unsigned char src[BUFSZ], dst[BUFSZ], ref[BUFSZ];
	size_t sa, da, n;

	fill_random(src, sizeof(src));
	for (sa = 0; sa < 16; sa++)
		for (da = 0; da < 16; da++)
			for (n = 0; n <= MAXLEN; n++) {
				__builtin_memset(dst, 0xa5, sizeof(dst));
				__builtin_memset(ref, 0xa5, sizeof(ref));
				__builtin_memcpy(ref + GUARD + da, src + GUARD + sa, n);
				CHECK(memcpy(dst + GUARD + da, src + GUARD + sa, n) ==
				      dst + GUARD + da);
				CHECK(!__builtin_memcmp(dst, ref, sizeof(dst)));
			}
}

/* Every distance within +-20 bytes, so both directions and word overlaps. */
static void test_memmove(void)
{
	unsigned char buf[BUFSZ], ref[BUFSZ], init[BUFSZ];
	size_t sa, n;
	int delta;

	fill_random(init, sizeof(init));
	for (sa = 0; sa < 16; sa++)
		for (delta = -20; delta <= 20; delta++)
			for (n = 0; n <= MAXLEN; n++) {
				unsigned char *s = buf + GUARD + sa;
				unsigned char *d = s + delta;

				__builtin_memcpy(buf, init, sizeof(buf));
				__builtin_memcpy(ref, init, sizeof(ref));
				__builtin_memmove(ref + (d - buf), ref + (s - buf), n);
				CHECK(memmove(d, s, n) == d);
				CHECK(!__builtin_memcmp(buf, ref, sizeof(buf)));
			}
}

static void test_memset(void)
{
	static const int values[] = { 0, 0x5a, 0xff, -1, -128, 0x1234, 257 };
	unsigned char buf[BUFSZ], ref[BUFSZ];
	size_t a, n, v;

	for (v = 0; v < ARRAY_SIZE(values); v++)
		for (a = 0; a < 16; a++)
			for (n = 0; n <= MAXLEN; n++) {
				__builtin_memset(buf, 0xa5, sizeof(buf));
				__builtin_memset(ref, 0xa5, sizeof(ref));
				__builtin_memset(ref + GUARD + a, values[v], n);
				CHECK(memset(buf + GUARD + a, values[v], n) ==
				      buf + GUARD + a);
				CHECK(!__builtin_memcmp(buf, ref, sizeof(buf)));
			}
}

static void test_memcmp(void)
{
	unsigned char a[BUFSZ], b[BUFSZ];
	size_t oa, ob, n;

	for (oa = 0; oa < 16; oa++)
		for (ob = 0; ob < 16; ob++)
			for (n = 0; n <= MAXLEN; n++) {
				unsigned char *x = a + GUARD + oa, *y = b + GUARD + ob;

				fill_random(x, n);
				__builtin_memcpy(y, x, n);
				if (n && rand() % 4)
					y[rand() % n] = rand();
				CHECK_EQ(sign(memcmp(x, y, n)),
					 sign(__builtin_memcmp(x, y, n)));
				CHECK_EQ(sign(memcmp(y, x, n)),
					 sign(__builtin_memcmp(y, x, n)));
			}
}

static void test_memchr(void)
{
	static const int needles[] = { 'a', 'b', 0x80, 0xff, -1, 0x161, 0 };
	char s[BUFSZ];
	size_t i, n, k;

	for (i = 0; i < 2000; i++) {
		n = rand() % (MAXLEN + 1);
		fill_string(s, n);
		for (k = 0; k < ARRAY_SIZE(needles); k++) {
			size_t len = rand() % (n + 2);

			CHECK(memchr(s, needles[k], len) ==
			      __builtin_memchr(s, needles[k], len));
		}
	}
}

static void test_str_search(void)
{
	static const int needles[] = { 'a', 'b', 0x80, 0xff, -1, 0x161, 0 };
	char s[BUFSZ], needle[8];
	size_t i, k;

	for (i = 0; i < 5000; i++) {
		size_t n = rand() % 64;

		fill_string(s, n);
		CHECK_EQ(strlen(s), n);
		for (k = 0; k < ARRAY_SIZE(needles); k++) {
			CHECK(strchr(s, needles[k]) == __builtin_strchr(s, needles[k]));
			CHECK(strrchr(s, needles[k]) == __builtin_strrchr(s, needles[k]));
		}
		fill_string(needle, rand() % 6);
		CHECK(strstr(s, needle) == __builtin_strstr(s, needle));
		k = rand() % 70;
		CHECK_EQ(strnlen(s, k), __builtin_strnlen(s, k));
	}
	CHECK(strstr("", "") != NULL);
	CHECK(strstr("", "a") == NULL);
	CHECK_STR(strstr("aaab", "aab"), "aab");
}

static void test_strcmp(void)
{
	char a[80], b[80];
	size_t i;

	for (i = 0; i < 20000; i++) {
		size_t n;

		fill_string(a, rand() % 8);
		if (rand() % 2)
			__builtin_strcpy(b, a);
		else
			fill_string(b, rand() % 8);
		if (rand() % 4 == 0)
			__builtin_strcat(b, "a");
		n = rand() % 10;
		CHECK_EQ(sign(strcmp(a, b)), sign(__builtin_strcmp(a, b)));
		CHECK_EQ(sign(strncmp(a, b, n)), sign(__builtin_strncmp(a, b, n)));
	}
	CHECK(strcmp("\x80", "a") > 0);
	CHECK_EQ(strncmp("abc", "abd", 2), 0);
}

static void test_strscpy(void)
{
	char buf[8];

	__builtin_memset(buf, 'x', sizeof(buf));
	CHECK_EQ(strscpy(buf, "hello", sizeof(buf)), 5);
	CHECK_STR(buf, "hello");
	CHECK_EQ(strscpy(buf, "1234567", sizeof(buf)), 7);
	CHECK_STR(buf, "1234567");
	CHECK_EQ(strscpy(buf, "12345678", sizeof(buf)), -E2BIG);
	CHECK_STR(buf, "1234567");
	CHECK_EQ(strscpy(buf, "", sizeof(buf)), 0);
	CHECK_STR(buf, "");
	buf[0] = 'x';
	CHECK_EQ(strscpy(buf, "abc", 0), -E2BIG);
	CHECK_EQ(buf[0], 'x');
	CHECK_EQ(strscpy(buf, "abc", 1), -E2BIG);
	CHECK_EQ(buf[0], '\0');
}

int main(void)
{
	srand(1);
	HTEST_RUN(test_memcpy);
	HTEST_RUN(test_memmove);
	HTEST_RUN(test_memset);
	HTEST_RUN(test_memcmp);
	HTEST_RUN(test_memchr);
	HTEST_RUN(test_str_search);
	HTEST_RUN(test_strcmp);
	HTEST_RUN(test_strscpy);
	return htest_done();
}
