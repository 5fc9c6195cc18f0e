/* SPDX-License-Identifier: BSD-2-Clause */
/* In-kernel tests: suites of cases collected through a linker section, reported as KTAP. */
#ifndef HARTIX_KTEST_H
#define HARTIX_KTEST_H

#include <hartix/compiler.h>
#include <hartix/types.h>

struct ktest {
	const char *name;
	bool failed;
	const char *skip_reason; /* non-NULL once ktest_skip() was called */
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases; /* ends with an empty entry */
};

#define KTEST_CASE(fn) { #fn, fn }

#define KTEST_SUITE(sname, ...)                                              \
	static const struct ktest_case __ktest_cases_##sname[] = {           \
		__VA_ARGS__, { NULL, NULL }                                  \
	};                                                                   \
	static const struct ktest_suite __ktest_suite_##sname = {            \
		#sname, __ktest_cases_##sname                                \
	};                                                                   \
	static const struct ktest_suite *const __ktest_ptr_##sname __used    \
		__section(".ktest_suites") __aligned(8) = &__ktest_suite_##sname

__printf(4, 5) void ktest_fail(struct ktest *t, const char *file, int line,
			       const char *fmt, ...);
void ktest_skip(struct ktest *t, const char *reason);

#define KT_EXPECT(t, cond)                                                   \
	do {                                                                 \
		if (!(cond))                                                 \
			ktest_fail(t, __FILE__, __LINE__, "expected %s", #cond); \
	} while (0)

#define KT_ASSERT(t, cond)                                                   \
	do {                                                                 \
		if (!(cond)) {                                               \
			ktest_fail(t, __FILE__, __LINE__, "assertion %s failed", \
				   #cond);                                   \
			return;                                              \
		}                                                            \
	} while (0)

#define KT_EXPECT_EQ(t, a, b)                                                \
	do {                                                                 \
		long long __a = (long long)(a), __b = (long long)(b);        \
		if (__a != __b)                                              \
			ktest_fail(t, __FILE__, __LINE__,                    \
				   "%s == %lld, expected %s == %lld", #a, __a, \
				   #b, __b);                                 \
	} while (0)

#define KT_EXPECT_STREQ(t, a, b)                                             \
	do {                                                                 \
		const char *__a = (a), *__b = (b);                           \
		if (!__a || !__b || strcmp(__a, __b))                        \
			ktest_fail(t, __FILE__, __LINE__,                    \
				   "%s is \"%s\", expected \"%s\"", #a,      \
				   __a ? __a : "(null)", __b ? __b : "(null)"); \
	} while (0)

/*
 * Runs the suites selected by ktest.filter= (all with ktest.run=1) and
 * returns the number of failed cases; -1 when no run was asked for.
 */
int ktest_run_requested(void);

/*
 * Runs the suites and cases pat selects ("suite", "suite.case", '*'
 * wildcards; NULL or "" for all) and returns the number of failed cases,
 * 1 if nothing matched. From the boot code or a kernel thread.
 */
int ktest_run(const char *pat);

/* Crashes on purpose if crashtest= names a kind (crash_kinds[] in kernel/tests/crashtest.c). */
void crashtest_run(void);

#endif
