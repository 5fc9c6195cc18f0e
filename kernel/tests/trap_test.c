/* SPDX-License-Identifier: BSD-2-Clause */
/* Trap tests: faults caught by the exception table, WARN continuing. */
#include <hartix/kernel.h>
#include <hartix/ktest.h>
#include <asm/extable.h>

static void faulting_load_returns_efault(struct ktest *t)
{
	unsigned long v = 123;

	KT_EXPECT_EQ(t, read_ulong_nofault((const unsigned long *)8, &v),
		     -EFAULT);
	KT_EXPECT_EQ(t, v, 0);
	v = 7;
	KT_EXPECT_EQ(t, read_ulong_nofault(&v, &v), 0);
	KT_EXPECT_EQ(t, v, 7);
}

/* An illegal instruction with a fixup: the trap resumes at the fixup. */
static int try_illegal_instruction(void)
{
	int err = 0;

	__asm__ __volatile__("1:	.4byte 0\n"
			     "2:\n"
			     "	.pushsection .fixup, \"ax\"\n"
			     "3:	li %[err], %[einval]\n"
			     "	j 2b\n"
			     "	.popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : [err] "+r"(err)
			     : [einval] "i"(-EINVAL));
	return err;
}

static void illegal_instruction_returns_error(struct ktest *t)
{
	KT_EXPECT_EQ(t, try_illegal_instruction(), -EINVAL);
}

static void warn_continues(struct ktest *t)
{
	volatile bool after = false;

	KT_EXPECT(t, WARN_ON(t != NULL));
	after = true;
	KT_EXPECT(t, after);
	KT_EXPECT(t, !WARN_ON(t == NULL));
}

KTEST_SUITE(trap,
	    KTEST_CASE(faulting_load_returns_efault),
	    KTEST_CASE(illegal_instruction_returns_error),
	    KTEST_CASE(warn_continues));
