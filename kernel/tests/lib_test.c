/* SPDX-License-Identifier: BSD-2-Clause */
/* lib/ as compiled for the kernel: formatting and memory functions on the target. */
#include <hartix/cmdline.h>
#include <hartix/ktest.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>

static void snprintf_64bit(struct ktest *t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%lx %ld %llu", 0xffffffff80000000UL,
		 -9223372036854775807L - 1, 18446744073709551615ULL);
	KT_EXPECT_STREQ(t, buf,
			"ffffffff80000000 -9223372036854775808 18446744073709551615");
	snprintf(buf, sizeof(buf), "%p", (void *)0xffffffc000001000UL);
	KT_EXPECT_STREQ(t, buf, "0xffffffc000001000");
	KT_EXPECT_EQ(t, snprintf(buf, 4, "%s", "truncated"), 9);
	KT_EXPECT_STREQ(t, buf, "tru");
}

/* Word-wise copies must respect alignment: -mstrict-align hardware traps. */
static void memcpy_all_alignments(struct ktest *t)
{
	static u8 src[96], dst[96];
	int so, doff, len, i, bad = 0;

	for (i = 0; i < 96; i++)
		src[i] = (u8)(i * 7 + 1);
	for (so = 0; so < 8; so++)
		for (doff = 0; doff < 8; doff++)
			for (len = 0; len < 64; len += 5) {
				memset(dst, 0, sizeof(dst));
				memcpy(dst + doff, src + so, (size_t)len);
				bad += memcmp(dst + doff, src + so, (size_t)len) != 0;
				bad += doff + len < 96 && dst[doff + len] != 0;
			}
	KT_EXPECT_EQ(t, bad, 0);
}

static void memmove_overlap(struct ktest *t)
{
	char buf[16];

	memcpy(buf, "0123456789", 11);
	memmove(buf + 2, buf, 8);
	KT_EXPECT(t, !memcmp(buf, "0101234567", 10));
	memcpy(buf, "0123456789", 11);
	memmove(buf, buf + 3, 7);
	KT_EXPECT(t, !memcmp(buf, "3456789789", 10));
}

static void next_arg_tokens(struct ktest *t)
{
	char line[] = "  a=1 quiet  b=\"x y\"";
	char *args = skip_spaces(line), *param, *val;

	args = next_arg(args, &param, &val);
	KT_EXPECT_STREQ(t, param, "a");
	KT_EXPECT_STREQ(t, val, "1");
	args = next_arg(args, &param, &val);
	KT_EXPECT_STREQ(t, param, "quiet");
	KT_EXPECT(t, val == NULL);
	args = next_arg(args, &param, &val);
	KT_EXPECT_STREQ(t, param, "b");
	KT_EXPECT_STREQ(t, val, "x y");
	KT_EXPECT_EQ(t, *args, '\0');
}

KTEST_SUITE(lib,
	    KTEST_CASE(snprintf_64bit),
	    KTEST_CASE(memcpy_all_alignments),
	    KTEST_CASE(memmove_overlap),
	    KTEST_CASE(next_arg_tokens));
