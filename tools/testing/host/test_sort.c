/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for lib/sort.c: results against qsort, comparison bounds, no out-of-array accesses. */
#include <hartix/compiler.h>
#include <hartix/sort.h>
#include "htest.h"

#define MAXNUM 200
#define MAXSIZE 24

/* What the comparator checks while sort() runs: only elements of this array. */
static struct {
	const char *base;
	size_t num, size;
	bool check_bounds;
	unsigned long calls;
	bool bad_pointer;
} ctx;

static unsigned long long key_of(const void *p)
{
	unsigned long long k = 0;

	memcpy(&k, p, min(ctx.size, sizeof(k)));
	return k;
}

static bool in_array(const char *p)
{
	return p >= ctx.base && p < ctx.base + ctx.num * ctx.size &&
	       (size_t)(p - ctx.base) % ctx.size == 0;
}

static int cmp_key(const void *a, const void *b)
{
	unsigned long long x = key_of(a), y = key_of(b);

	if (ctx.check_bounds) {
		ctx.calls++;
		if (!in_array(a) || !in_array(b))
			ctx.bad_pointer = true;
	}
	return (x > y) - (x < y);
}

static int cmp_bytes(const void *a, const void *b)
{
	return memcmp(a, b, ctx.size);
}

/*
 * Keys from a narrow range, for duplicates; the other bytes derive from the
 * key unless 'payload'.
 */
static void fill(char *a, size_t num, size_t size, bool payload)
{
	size_t i, j;

	for (i = 0; i < num; i++) {
		unsigned long long k = rand() % (num / 2 + 1);
		char *e = a + i * size;

		if (size == 1)
			k %= 256;
		memcpy(e, &k, min(size, sizeof(k)));
		for (j = sizeof(k); j < size; j++)
			e[j] = payload ? rand() : (char)(k * 31 + j);
	}
}

static unsigned long log2_ceil(size_t n)
{
	unsigned long l = 0;

	while ((1UL << l) < n)
		l++;
	return l;
}

static void run_sort(char *a, size_t num, size_t size)
{
	ctx.base = a;
	ctx.num = num;
	ctx.size = size;
	ctx.calls = 0;
	ctx.bad_pointer = false;
	ctx.check_bounds = true;
	sort(a, num, size, cmp_key);
	ctx.check_bounds = false;
	CHECK(!ctx.bad_pointer);
	/* Heapsort's worst case is about 2 n log2 n comparisons. */
	CHECK(ctx.calls <= 2 * num * log2_ceil(num) + num);
}

static void test_against_qsort(void)
{
	static const size_t sizes[] = { 1, 4, 8, 24 };
	static char a[MAXNUM * MAXSIZE], ref[MAXNUM * MAXSIZE];
	size_t s, num;
	int round;

	for (s = 0; s < ARRAY_SIZE(sizes); s++)
		for (num = 0; num <= MAXNUM; num++)
			for (round = 0; round < 3; round++) {
				size_t size = sizes[s];

				fill(a, num, size, false);
				memcpy(ref, a, num * size);
				run_sort(a, num, size);
				qsort(ref, num, size, cmp_key);
				CHECK(!memcmp(a, ref, num * size));
			}
}

/* Equal keys with different payloads: sorted by key and still a permutation. */
static void test_permutation(void)
{
	static char a[MAXNUM * MAXSIZE], orig[MAXNUM * MAXSIZE];
	size_t num, i;

	for (num = 0; num <= MAXNUM; num++) {
		fill(a, num, MAXSIZE, true);
		memcpy(orig, a, num * MAXSIZE);
		run_sort(a, num, MAXSIZE);
		for (i = 1; i < num; i++)
			CHECK(key_of(a + (i - 1) * MAXSIZE) <= key_of(a + i * MAXSIZE));
		qsort(a, num, MAXSIZE, cmp_bytes);
		qsort(orig, num, MAXSIZE, cmp_bytes);
		CHECK(!memcmp(a, orig, num * MAXSIZE));
	}
}

static void test_presorted(void)
{
	int a[MAXNUM], i;

	for (i = 0; i < MAXNUM; i++)
		a[i] = MAXNUM - i;
	run_sort((char *)a, MAXNUM, sizeof(int));
	for (i = 0; i < MAXNUM; i++)
		CHECK_EQ(a[i], i + 1);
	run_sort((char *)a, MAXNUM, sizeof(int));
	for (i = 0; i < MAXNUM; i++)
		CHECK_EQ(a[i], i + 1);
}

int main(void)
{
	srand(1);
	HTEST_RUN(test_against_qsort);
	HTEST_RUN(test_permutation);
	HTEST_RUN(test_presorted);
	return htest_done();
}
