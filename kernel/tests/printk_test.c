/* Tests of the printk ring buffer: records, formatting, wrap-around. */
#include <hartix/ktest.h>
#include <hartix/printk.h>
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

KTEST_SUITE(printk,
	    KTEST_CASE(printk_stores_level_and_text),
	    KTEST_CASE(printk_splits_lines),
	    KTEST_CASE(log_format_prefix),
	    KTEST_CASE(ring_wraps_keeping_newest));
