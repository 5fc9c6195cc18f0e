/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests of symbol lookup and frame-pointer backtraces. */
#include <hartix/kallsyms.h>
#include <hartix/ktest.h>
#include <hartix/string.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>

static void lookup_function_start(struct ktest *t)
{
	unsigned long size, offset;
	const char *name;

	if (!IS_ENABLED(CONFIG_KALLSYMS)) {
		ktest_skip(t, "CONFIG_KALLSYMS is off");
		return;
	}
	name = kallsyms_lookup((unsigned long)kallsyms_lookup, &size, &offset);
	KT_EXPECT_STREQ(t, name, "kallsyms_lookup");
	KT_EXPECT_EQ(t, offset, 0);
	KT_EXPECT(t, size > 0);
	name = kallsyms_lookup((unsigned long)kallsyms_lookup + size - 1, &size,
			       &offset);
	KT_EXPECT_STREQ(t, name, "kallsyms_lookup");
	KT_EXPECT(t, offset == size - 1);
}

static void sprint_symbol_format(struct ktest *t)
{
	char buf[96];

	if (!IS_ENABLED(CONFIG_KALLSYMS)) {
		ktest_skip(t, "CONFIG_KALLSYMS is off");
		return;
	}
	sprint_symbol(buf, sizeof(buf), (unsigned long)sprint_symbol + 4);
	KT_EXPECT(t, !strncmp(buf, "sprint_symbol+0x4/0x", 20));
	sprint_symbol(buf, sizeof(buf), 0x1234);
	KT_EXPECT_STREQ(t, buf, "0x1234");
}

struct trace {
	unsigned long pcs[16];
	int n;
};

static bool collect(void *arg, unsigned long pc)
{
	struct trace *tr = arg;

	tr->pcs[tr->n++] = pc;
	return tr->n < 16;
}

static __noinline void backtrace_inner(struct trace *tr)
{
	walk_stackframe(NULL, (unsigned long)__builtin_frame_address(0),
			(unsigned long)backtrace_inner, collect, tr);
	barrier();
}

static __noinline void backtrace_outer(struct trace *tr)
{
	backtrace_inner(tr);
	barrier();
}

/* The walk must pass through both callers, in order, and end cleanly. */
static void backtrace_walks_callers(struct ktest *t)
{
	unsigned long size, offset;
	struct trace tr = { .n = 0 };
	const char *names[3] = { NULL, NULL, NULL };
	int i;

	backtrace_outer(&tr);
	KT_ASSERT(t, tr.n >= 3);
	if (!IS_ENABLED(CONFIG_KALLSYMS)) {
		KT_EXPECT(t, tr.pcs[0] == (unsigned long)backtrace_inner);
		return;
	}
	for (i = 0; i < 3; i++)
		names[i] = kallsyms_lookup(tr.pcs[i], &size, &offset);
	KT_EXPECT_STREQ(t, names[0], "backtrace_inner");
	KT_EXPECT_STREQ(t, names[1], "backtrace_outer");
	KT_EXPECT_STREQ(t, names[2], "backtrace_walks_callers");
	KT_EXPECT(t, tr.n < 16);
}

/*
 * A trap taken on a function's first instruction: its frame is not linked
 * yet, so its caller is only in ra. Before, the walk went from s0 and
 * left that caller out (ktest/softlockup-warning-with-backtrace failed
 * when the tick came at the entry of softlockup_reports()).
 */
static __noinline void prologue_outer(struct trace *tr)
{
	struct pt_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.epc = (unsigned long)backtrace_inner;
	regs.ra = (unsigned long)prologue_outer + 8;
	regs.s0 = (unsigned long)__builtin_frame_address(0);
	walk_stackframe(&regs, regs.s0, regs.epc, collect, tr);
	barrier();
}

static void backtrace_from_a_prologue(struct ktest *t)
{
	static const char *const want[] = { "backtrace_inner", "prologue_outer",
					    "backtrace_from_a_prologue" };
	struct trace tr = { .n = 0 };
	unsigned long size, offset;
	unsigned int i;

	if (!IS_ENABLED(CONFIG_KALLSYMS) || !IS_ENABLED(CONFIG_FRAME_POINTER)) {
		ktest_skip(t, "needs CONFIG_KALLSYMS and CONFIG_FRAME_POINTER");
		return;
	}
	prologue_outer(&tr);
	KT_ASSERT(t, tr.n >= 3);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		KT_EXPECT_STREQ(t, kallsyms_lookup(tr.pcs[i], &size, &offset), want[i]);
}

KTEST_SUITE(kallsyms,
	    KTEST_CASE(lookup_function_start),
	    KTEST_CASE(sprint_symbol_format),
	    KTEST_CASE(backtrace_walks_callers),
	    KTEST_CASE(backtrace_from_a_prologue));
