/* What the test programs share: counting checks, reporting them, and a millisecond clock. */
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

#endif
