/* SPDX-License-Identifier: BSD-2-Clause */
/* What the test programs share: counting checks, reporting them as KTAP, and a millisecond clock. */
#ifndef UTEST_H
#define UTEST_H

#include <errno.h>
#include <stdio.h>
#include <time.h>

/* Each test program is one file: these are its totals. */
static int passed, failed;

/* A named check, reported either way: "ok: what" or "FAIL: what". */
static inline void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	if (ok)
		passed++;
	else
		failed++;
}

/* An unnamed one, reported only when it fails: the condition, line and errno. */
#define CHECK(cond) check_at(!!(cond), #cond, __LINE__)

static inline void check_at(int ok, const char *what, int line)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL line %d: %s (errno %d)\n", line, what, errno);
	}
}

static inline unsigned long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

/*
 * KTAP output, the format of the kernel's own tests (testing.rst): the
 * program is one suite and each case one line, so tools/testing/run_tests.py
 * reads a user test like a ktest run. A program that declares itself with a
 * "utest:" line in its opening comment is found and run by the runner
 * without being registered there (testing.rst, "Adding a user test").
 */
struct utest_case {
	const char *name;
	void (*fn)(void);
};

#define UTEST_CASE(fn) { #fn, fn }

static const char *utest_skip_reason;

/* Called by a case: report it skipped (a failed check in it still wins). */
static inline void utest_skip(const char *reason)
{
	utest_skip_reason = reason;
}

static inline void ktap_begin(const char *suite, int ncases)
{
	printf("KTAP version 1\n1..1\n    KTAP version 1\n"
	       "    # Subtest: %s\n    1..%d\n", suite, ncases);
}

/* One case's line: ok (1), not ok (0) or skipped (ok, with a reason). */
static inline void ktap_case(int n, int ok, const char *name, const char *skip)
{
	printf("    %s %d %s%s%s\n", ok ? "ok" : "not ok", n, name,
	       skip ? " # SKIP " : "", skip ? skip : "");
	/* A crash in the next case must not take this line with it. */
	fflush(stdout);
}

/* The suite's line and the totals; the exit status for main(). */
static inline int ktap_end(const char *suite, int pass, int fail, int skip)
{
	printf("%s 1 %s\n# Totals: pass:%d fail:%d skip:%d\n",
	       fail ? "not ok" : "ok", suite, pass, fail, skip);
	return fail ? 1 : 0;
}

/* Run each case in turn; a case fails if a check in it failed. */
static inline int utest_run(const char *suite, const struct utest_case *cases,
			    int n)
{
	int i, pass = 0, fail = 0, skip = 0;

	ktap_begin(suite, n);
	for (i = 0; i < n; i++) {
		int before = failed;

		utest_skip_reason = NULL;
		cases[i].fn();
		if (failed != before)
			fail++;
		else if (utest_skip_reason)
			skip++;
		else
			pass++;
		ktap_case(i + 1, failed == before, cases[i].name,
			  failed == before ? utest_skip_reason : NULL);
	}
	return ktap_end(suite, pass, fail, skip);
}

#define UTEST_RUN(suite, cases) \
	utest_run(suite, cases, (int)(sizeof(cases) / sizeof((cases)[0])))

#endif
