/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests of the printk ring buffer: records, formatting, wrap-around. */
#include <hartix/ktest.h>
#include <hartix/printk.h>
#include <hartix/smp.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>

/* The newest record whose text starts with prefix; false if none. */
static bool find_latest(const char *prefix, struct log_entry *out)
{
	static struct log_entry e;
	u64 seq = 0;
	bool found = false;

	while (log_read(&seq, &e))
		if (!strncmp(e.text, prefix, strlen(prefix))) {
			*out = e;
			found = true;
		}
	return found;
}

static void printk_stores_level_and_text(struct ktest *t)
{
	static struct log_entry e;

	printk(KERN_DEBUG "ktest-printk: value %d\n", 42);
	KT_ASSERT(t, find_latest("ktest-printk:", &e));
	KT_EXPECT_EQ(t, e.level, 7);
	KT_EXPECT_EQ(t, e.len, strlen("ktest-printk: value 42"));
	KT_EXPECT(t, !memcmp(e.text, "ktest-printk: value 42", e.len));
}

static void printk_splits_lines(struct ktest *t)
{
	static struct log_entry e;

	printk(KERN_INFO "ktest-split-a\nktest-split-b\n");
	KT_EXPECT(t, find_latest("ktest-split-a", &e));
	KT_ASSERT(t, find_latest("ktest-split-b", &e));
	KT_EXPECT_EQ(t, e.len, strlen("ktest-split-b"));
}

static void log_format_prefix(struct ktest *t)
{
	static struct log_entry e;
	char line[300];
	size_t n;

	e = (struct log_entry){ .ticks = 0, .hartid = 3, .level = 6, .len = 2 };
	memcpy(e.text, "hi", 2);
	n = log_format(&e, line, sizeof(line));
	KT_EXPECT_STREQ(t, line, "[    0.000000][hart3] hi\n");
	KT_EXPECT_EQ(t, n, strlen(line));
}

/* Writing more than the whole buffer must drop the oldest, keep the newest. */
static void ring_wraps_keeping_newest(struct ktest *t)
{
	static struct log_entry e;
	char last[32];
	u64 seq = 0;
	int i, total = (1 << CONFIG_LOG_BUF_SHIFT) / 32 + 50;

	for (i = 0; i < total; i++)
		printk(KERN_DEBUG "ktest-wrap %d\n", i);
	KT_ASSERT(t, find_latest("ktest-wrap", &e));
	snprintf(last, sizeof(last), "ktest-wrap %d", total - 1);
	KT_EXPECT_EQ(t, e.len, strlen(last));
	KT_EXPECT(t, !memcmp(e.text, last, e.len));
	KT_ASSERT(t, log_read(&seq, &e));
	/* The oldest kept record is no longer the first ever printed. */
	KT_EXPECT(t, e.seq > 0);
	KT_EXPECT(t, strncmp(e.text, "Hartix", 6) != 0);
}

#define CONCURRENT_LINES 40

/* Lines per CPU: all of them must fit in half the ring, whatever its size. */
static unsigned int concurrent_lines(void)
{
	return min(CONCURRENT_LINES,
		   (1U << CONFIG_LOG_BUF_SHIFT) / 2 / 64 / num_online_cpus());
}

static void print_lines(void *arg)
{
	unsigned int i;

	for (i = 0; i < concurrent_lines(); i++)
		printk(KERN_DEBUG "ktest-conc cpu%u line%02u end\n",
		       smp_processor_id(), i);
}

/* Every hart prints at once: each line must arrive whole and exactly once. */
static void concurrent_printk_lines_intact(struct ktest *t)
{
	static struct log_entry e;
	static u8 seen[NR_CPUS][CONCURRENT_LINES];
	unsigned int cpu, line, bad = 0, total = 0;
	u64 seq = 0;
	char expect[48];

	memset(seen, 0, sizeof(seen));
	on_each_cpu(print_lines, NULL, true);
	while (log_read(&seq, &e)) {
		if (e.len < 10 || memcmp(e.text, "ktest-conc", 10))
			continue;
		total++;
		for (cpu = 0; cpu < NR_CPUS; cpu++)
			for (line = 0; line < CONCURRENT_LINES; line++) {
				size_t n = (size_t)snprintf(expect, sizeof(expect),
					"ktest-conc cpu%u line%02u end", cpu, line);

				if (e.len == n && !memcmp(e.text, expect, n))
					seen[cpu][line]++;
			}
	}
	for_each_online_cpu(cpu)
		for (line = 0; line < concurrent_lines(); line++)
			bad += seen[cpu][line] != 1;
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, total, concurrent_lines() * num_online_cpus());
}

KTEST_SUITE(printk,
	    KTEST_CASE(printk_stores_level_and_text),
	    KTEST_CASE(printk_splits_lines),
	    KTEST_CASE(log_format_prefix),
	    KTEST_CASE(ring_wraps_keeping_newest),
	    KTEST_CASE(concurrent_printk_lines_intact));
