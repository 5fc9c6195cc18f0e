/* SPDX-License-Identifier: BSD-2-Clause */
/* exit() and atexit(), abort(), number conversions, qsort(), rand(). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "libc_internal.h"

#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

void __run_atexit(void)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
}

/* stdio is unbuffered, so there is nothing to flush. */
void exit(int status)
{
	__run_atexit();
	_exit(status);
}

void _Exit(int status)
{
	_exit(status);
}

void abort(void)
{
	raise(SIGABRT);
	kill(getpid(), SIGKILL);
	_exit(127);
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * The common part of the strto* family: optional space, sign, 0x/0 prefix
 * by base; saturates at 'limit' (ERANGE). *neg tells the caller the sign.
 */
static unsigned long long parse_ull(const char *s, char **end, int base,
				    unsigned long long limit, int *neg)
{
	const char *p = s, *digits;
	unsigned long long v = 0;
	int overflow = 0, d;

	*neg = 0;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 0x20) == 'x' &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	digits = p;
	for (; (d = digit_value(*p)) < base; p++) {
		if (v > (limit - d) / base)
			overflow = 1;
		else
			v = v * base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	if (overflow) {
		errno = ERANGE;
		return limit;
	}
	return v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg;
	unsigned long long v = parse_ull(s, end, base, ULLONG_MAX, &neg);

	return neg ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

long long strtoll(const char *s, char **end, int base)
{
	int neg;
	unsigned long long v;

	/* Parse the magnitude against the limit of the sign, found first. */
	v = parse_ull(s, end, base, (unsigned long long)LLONG_MAX + 1, &neg);
	if (!neg && v > LLONG_MAX) {
		errno = ERANGE;
		return LLONG_MAX;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

int abs(int x)
{
	return x < 0 ? -x : x;
}

long labs(long x)
{
	return x < 0 ? -x : x;
}

/* The kernel's heapsort (lib/sort.c): not stable, O(n log n), no recursion. */
void qsort(void *base, size_t n, size_t size,
	   int (*cmp)(const void *, const void *))
{
	__hx_sort(base, n, size, cmp);
}

static unsigned long long rand_state = 1;

void srand(unsigned int seed)
{
	rand_state = seed;
}

/* A 64-bit LCG (Knuth's MMIX constants); the top bits are the output. */
int rand(void)
{
	rand_state = rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)(rand_state >> 33);
}
