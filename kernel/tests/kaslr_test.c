/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests of KASLR's relocation, the stack canary and the pointer hash. */
#include <hartix/kaslr.h>
#include <hartix/kptr.h>
#include <hartix/ktest.h>
#include <asm/page.h>

extern const u32 __kaslr_relocs_start[], __kaslr_relocs_end[];
extern char _start[], _end[];

static void relocated_pointer_matches(struct ktest *t);

/* An absolute word in data: early.c must have moved it with the kernel. */
static void (*const data_pointer)(struct ktest *) = relocated_pointer_matches;

static void relocated_pointer_matches(struct ktest *t)
{
	/* Code reaches the function PC-relatively: its real address. */
	void (*volatile here)(struct ktest *) = relocated_pointer_matches;

	KT_EXPECT_EQ(t, (unsigned long)data_pointer, (unsigned long)here);
	KT_EXPECT(t, (unsigned long)_start >= KERNEL_LINK_ADDR);
	KT_EXPECT_EQ(t, (unsigned long)_start, KERNEL_LINK_ADDR + kaslr_offset());
	KT_EXPECT_EQ(t, kaslr_offset() % PMD_SIZE, 0);
}

/* Sorted, word-aligned offsets inside the image: what tools/relocs.py writes. */
static void relocation_table_sane(struct ktest *t)
{
	const u32 *r, *end = __kaslr_relocs_end;

	if (!IS_ENABLED(CONFIG_RANDOMIZE_BASE)) {
		ktest_skip(t, "CONFIG_RANDOMIZE_BASE is off");
		return;
	}
	KT_EXPECT(t, end > __kaslr_relocs_start);
	for (r = __kaslr_relocs_start; r < end; r++) {
		KT_ASSERT(t, *r % 8 == 0 && *r < (unsigned long)(_end - _start));
		KT_ASSERT(t, r == __kaslr_relocs_start || r[-1] < *r);
	}
}

static void canary_is_random_with_zero_low_byte(struct ktest *t)
{
#ifdef CONFIG_STACKPROTECTOR
	extern unsigned long __stack_chk_guard;

	KT_EXPECT(t, __stack_chk_guard != 0);
	KT_EXPECT_EQ(t, __stack_chk_guard & 0xff, 0);
#else
	ktest_skip(t, "CONFIG_STACKPROTECTOR is off");
#endif
}

/* The reference implementation's vector: key 00..0f, message 00..07. */
static void siphash_test_vector(struct ktest *t)
{
#ifdef CONFIG_HASH_KERNEL_POINTERS
	static const u64 key[2] = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };

	KT_EXPECT_EQ(t, siphash_1u64(0x0706050403020100ULL, key),
		     0x93f5f5799a932462ULL);
#else
	ktest_skip(t, "CONFIG_HASH_KERNEL_POINTERS is off");
#endif
}

static void kptr_value_stable(struct ktest *t)
{
	KT_EXPECT_EQ(t, kptr_value(_start), kptr_value(_start));
	KT_EXPECT(t, kptr_value(_start) != kptr_value(_start + 8) ||
		     kptr_value(_start) == 0);
}

KTEST_SUITE(kaslr, KTEST_CASE(relocated_pointer_matches),
	    KTEST_CASE(relocation_table_sane),
	    KTEST_CASE(canary_is_random_with_zero_low_byte),
	    KTEST_CASE(siphash_test_vector), KTEST_CASE(kptr_value_stable));
