/* SPDX-License-Identifier: BSD-2-Clause */
/* The in-kernel test runner: selects suites by boot argument and reports KTAP. */
#include <hartix/cmdline.h>
#include <hartix/errno.h>
#include <hartix/ktest.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/softlockup.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>

extern const struct ktest_suite *const __ktest_suites_start[],
	*const __ktest_suites_end[];

static bool run_all;
static char filter[64]; /* "suite" or "suite.case"; '*' matches any run */

static int set_run(const char *val)
{
	return kstrtobool(val ? val : "1", &run_all) ? -EINVAL : 0;
}
kernel_param("ktest.run", set_run);

static int set_filter(const char *val)
{
	if (!val || !*val || strscpy(filter, val, sizeof(filter)) < 0)
		return -EINVAL;
	return 0;
}
kernel_param("ktest.filter", set_filter);

/* Shell-style '*' wildcard; everything else matches itself. */
static bool glob_match(const char *pat, const char *str)
{
	if (*pat == '*')
		return glob_match(pat + 1, str) ||
		       (*str && glob_match(pat, str + 1));
	if (!*pat)
		return !*str;
	return *pat == *str && glob_match(pat + 1, str + 1);
}

/* pat NULL or empty selects everything. */
static bool selected(const char *pat, const struct ktest_suite *s,
		     const struct ktest_case *c)
{
	char full[128];

	if (!pat || !pat[0])
		return true;
	if (glob_match(pat, s->name))
		return true;
	scnprintf(full, sizeof(full), "%s.%s", s->name, c->name);
	return glob_match(pat, full);
}

static int count_selected(const char *pat, const struct ktest_suite *s)
{
	const struct ktest_case *c;
	int n = 0;

	for (c = s->cases; c->name; c++)
		n += selected(pat, s, c);
	return n;
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_info("    # %s: %s:%d: %s\n", t->name, file, line, msg);
	t->failed = true;
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skip_reason = reason;
}

/* Runs one suite as a KTAP subtest; returns the number of failed cases. */
static int run_suite(const char *pat, const struct ktest_suite *s, int index,
		     int *skipped, int *passed)
{
	const struct ktest_case *c;
	int n = 0, failed = 0;

	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: %s\n", s->name);
	pr_info("    1..%d\n", count_selected(pat, s));
	for (c = s->cases; c->name; c++) {
		struct ktest t = { .name = c->name };

		if (!selected(pat, s, c))
			continue;
		/* A long run is not a soft lockup: cases may take seconds each. */
		touch_softlockup_watchdog();
		c->run(&t);
		n++;
		if (t.failed) {
			failed++;
			pr_info("    not ok %d %s\n", n, c->name);
		} else if (t.skip_reason) {
			(*skipped)++;
			pr_info("    ok %d %s # SKIP %s\n", n, c->name,
				t.skip_reason);
		} else {
			(*passed)++;
			pr_info("    ok %d %s\n", n, c->name);
		}
	}
	pr_info("%s %d %s\n", failed ? "not ok" : "ok", index, s->name);
	return failed;
}

int ktest_run(const char *pat)
{
	const struct ktest_suite *const *s;
	int nsuites = 0, index = 0, failed = 0, skipped = 0, passed = 0;

	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		nsuites += count_selected(pat, *s) > 0;
	if (!nsuites) {
		/* A typo in the filter must not look like a passing run. */
		pr_err("ktest: no test matches %s%s\n",
		       pat == filter ? "ktest.filter=" : "", pat);
		return 1;
	}
	pr_info("KTAP version 1\n");
	pr_info("1..%d\n", nsuites);
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (count_selected(pat, *s))
			failed += run_suite(pat, *s, ++index, &skipped, &passed);
	pr_info("# Totals: pass:%d fail:%d skip:%d\n", passed, failed,
		skipped);
	return failed;
}

int ktest_run_requested(void)
{
	if (!run_all && !filter[0])
		return -1;
	return ktest_run(filter);
}
