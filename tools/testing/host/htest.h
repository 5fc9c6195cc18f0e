/* SPDX-License-Identifier: BSD-2-Clause */
/* Minimal TAP harness for host unit tests of Hartix's freestanding code. */
#ifndef HTEST_H
#define HTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A test case is a function; CHECK*() record failures and keep going so one
 * run shows every broken expectation. htest_run() prints one TAP line per case
 * and htest_done() the plan and the exit status.
 */
static int htest_case_failed;
static int htest_count, htest_failures;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			printf("#   %s:%d: CHECK(%s) failed\n", __FILE__,   \
			       __LINE__, #cond);                             \
			htest_case_failed = 1;                               \
		}                                                            \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		long long _a = (long long)(a), _b = (long long)(b);          \
		if (_a != _b) {                                              \
			printf("#   %s:%d: %s == %lld, expected %s == %lld\n", \
			       __FILE__, __LINE__, #a, _a, #b, _b);          \
			htest_case_failed = 1;                               \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *_a = (a), *_b = (b);                             \
		if (!_a || !_b || strcmp(_a, _b) != 0) {                     \
			printf("#   %s:%d: %s is \"%s\", expected \"%s\"\n",   \
			       __FILE__, __LINE__, #a, _a ? _a : "(null)",   \
			       _b ? _b : "(null)");                          \
			htest_case_failed = 1;                               \
		}                                                            \
	} while (0)

static inline void htest_run(const char *name, void (*fn)(void))
{
	htest_case_failed = 0;
	fn();
	htest_count++;
	if (htest_case_failed)
		htest_failures++;
	printf("%s %d %s\n", htest_case_failed ? "not ok" : "ok", htest_count,
	       name);
	fflush(stdout);
}

#define HTEST_RUN(fn) htest_run(#fn, fn)

static inline int htest_done(void)
{
	printf("1..%d\n", htest_count);
	return htest_failures ? 1 : 0;
}

#endif
