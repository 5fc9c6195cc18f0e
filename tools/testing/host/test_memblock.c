/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for mm/memblock.c: a bitmap model under random operations, plus boot cases. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/memblock.h>
#include "htest.h"

#define TOP (~(phys_addr_t)0)

struct range {
	phys_addr_t start, end;
};

/* Compares the whole free-range walk with the expected list. */
static void check_free(const struct memblock *mb, const struct range *expect, int n)
{
	phys_addr_t start, end;
	u64 cursor = 0;
	int i = 0;

	/* Stops one range past the expected ones, should the walk never end. */
	while (i <= n && memblock_next_free(mb, &cursor, &start, &end)) {
		if (i < n) {
			CHECK_EQ(start, expect[i].start);
			CHECK_EQ(end, expect[i].end);
		}
		i++;
	}
	CHECK_EQ(i, n);
}

#define CHECK_FREE(mb, ...)                                           \
	do {                                                          \
		static const struct range expect[] = { __VA_ARGS__ }; \
		check_free(mb, expect, ARRAY_SIZE(expect));           \
	} while (0)

static void check_region(const struct memblock_region *r, phys_addr_t base,
			 phys_addr_t size, const char *name)
{
	CHECK_EQ(r->base, base);
	CHECK_EQ(r->size, size);
	if (name)
		CHECK_STR(r->name, name);
	else
		CHECK(r->name == NULL);
}

/* A copy of all table contents, to prove failed calls change nothing. */
struct snapshot {
	struct memblock_region mem[64], resv[64];
	int mem_cnt, resv_cnt;
};

static void take_snapshot(const struct memblock *mb, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->mem, mb->memory.regions, mb->memory.cnt * sizeof(s->mem[0]));
	memcpy(s->resv, mb->reserved.regions, mb->reserved.cnt * sizeof(s->resv[0]));
	s->mem_cnt = mb->memory.cnt;
	s->resv_cnt = mb->reserved.cnt;
}

static bool same_snapshot(const struct memblock *mb, const struct snapshot *s)
{
	struct snapshot now;

	take_snapshot(mb, &now);
	return !memcmp(&now, s, sizeof(now));
}

static void test_qemu_virt(void)
{
	struct memblock_region mem[64], resv[64];
	struct memblock mb;

	memblock_init(&mb, mem, 64, resv, 64);
	CHECK_EQ(memblock_add(&mb, 0x80000000, 256 << 20), 0);
	CHECK_EQ(memblock_reserve(&mb, 0x8fe00000, 0x10000, "fdt"), 0);
	CHECK_EQ(memblock_reserve(&mb, 0x80200000, 1 << 20, "kernel"), 0);
	CHECK_EQ(memblock_reserve(&mb, 0x80000000, 512 << 10, "firmware"), 0);

	CHECK_FREE(&mb, { 0x80080000, 0x80200000 }, { 0x80300000, 0x8fe00000 },
		   { 0x8fe10000, 0x90000000 });
	CHECK_EQ(memblock_total(&mb), 256 << 20);
	CHECK_EQ(memblock_free_total(&mb),
		 (256 << 20) - (512 << 10) - (1 << 20) - 0x10000);
	CHECK_EQ(mb.reserved.cnt, 3);
	check_region(&resv[0], 0x80000000, 512 << 10, "firmware");
	check_region(&resv[1], 0x80200000, 1 << 20, "kernel");
	check_region(&resv[2], 0x8fe00000, 0x10000, "fdt");

	/* Top-down: the highest page, then the highest below a limit. */
	CHECK_EQ(memblock_alloc(&mb, 0x1000, 0x1000, "pgtable"), 0x8ffff000);
	CHECK_EQ(memblock_alloc_range(&mb, 0x1000, 0x1000, 0, 0x80200000, "pgtable"),
		 0x801ff000);
	CHECK_EQ(memblock_alloc_range(&mb, 0x200000, 0x200000, 0, TOP, "huge"),
		 0x8fc00000);
	CHECK_FREE(&mb, { 0x80080000, 0x801ff000 }, { 0x80300000, 0x8fc00000 },
		   { 0x8fe10000, 0x8ffff000 });
}

static void test_merge_memory(void)
{
	struct memblock_region mem[8], resv[8];
	struct memblock mb;

	memblock_init(&mb, mem, 8, resv, 8);
	CHECK_EQ(memblock_add(&mb, 0x3000, 0x1000), 0);
	CHECK_EQ(memblock_add(&mb, 0x1000, 0x1000), 0);
	CHECK_EQ(mb.memory.cnt, 2);
	check_region(&mem[0], 0x1000, 0x1000, NULL);
	check_region(&mem[1], 0x3000, 0x1000, NULL);

	/* Adjacent on both sides: three become one. */
	CHECK_EQ(memblock_add(&mb, 0x2000, 0x1000), 0);
	CHECK_EQ(mb.memory.cnt, 1);
	check_region(&mem[0], 0x1000, 0x3000, NULL);

	CHECK_EQ(memblock_add(&mb, 0x800, 0x1000), 0);
	CHECK_EQ(memblock_add(&mb, 0x2000, 0x100), 0);
	CHECK_EQ(mb.memory.cnt, 1);
	check_region(&mem[0], 0x800, 0x3800, NULL);

	/* One range swallowing several, out of order. */
	CHECK_EQ(memblock_add(&mb, 0x20000, 0x1000), 0);
	CHECK_EQ(memblock_add(&mb, 0x10000, 0x1000), 0);
	CHECK_EQ(memblock_add(&mb, 0x14000, 0x1000), 0);
	CHECK_EQ(mb.memory.cnt, 4);
	CHECK_EQ(memblock_add(&mb, 0xf000, 0x11000), 0);
	CHECK_EQ(mb.memory.cnt, 2);
	check_region(&mem[0], 0x800, 0x3800, NULL);
	check_region(&mem[1], 0xf000, 0x12000, NULL);
	CHECK_EQ(memblock_total(&mb), 0x3800 + 0x12000);
}

static void test_merge_reserved(void)
{
	struct memblock_region mem[8], resv[8];
	char kernel[] = "kernel"; /* equal name, different address */
	struct memblock mb;

	memblock_init(&mb, mem, 8, resv, 8);
	CHECK_EQ(memblock_add(&mb, 0, 0x10000), 0);
	CHECK_EQ(memblock_reserve(&mb, 0x1000, 0x1000, "kernel"), 0);
	CHECK_EQ(memblock_reserve(&mb, 0x2000, 0x1000, "fdt"), 0);
	CHECK_EQ(mb.reserved.cnt, 2);

	/* Overlaps "fdt" but merges only with "kernel". */
	CHECK_EQ(memblock_reserve(&mb, 0x1800, 0x1000, kernel), 0);
	CHECK_EQ(mb.reserved.cnt, 2);
	check_region(&resv[0], 0x1000, 0x1800, "kernel");
	check_region(&resv[1], 0x2000, 0x1000, "fdt");

	CHECK_EQ(memblock_reserve(&mb, 0x3000, 0x1000, "fdt"), 0);
	CHECK_EQ(memblock_reserve(&mb, 0x0, 0x800, NULL), 0);
	CHECK_EQ(memblock_reserve(&mb, 0x800, 0x800, NULL), 0);
	CHECK_EQ(mb.reserved.cnt, 3);
	check_region(&resv[0], 0x0, 0x1000, NULL);
	check_region(&resv[2], 0x2000, 0x2000, "fdt");

	/* Reservations beyond memory are harmless. */
	CHECK_EQ(memblock_reserve(&mb, 0xf000, 0x100000, "initrd"), 0);
	CHECK_FREE(&mb, { 0x4000, 0xf000 });
}

static void test_table_full(void)
{
	struct memblock_region mem[2], resv[2];
	struct snapshot snap;
	struct memblock mb;

	memblock_init(&mb, mem, 2, resv, 2);
	CHECK_EQ(memblock_add(&mb, 0x10000, 0x1000), 0);
	CHECK_EQ(memblock_add(&mb, 0x20000, 0x1000), 0);
	take_snapshot(&mb, &snap);
	CHECK_EQ(memblock_add(&mb, 0x30000, 0x1000), -ENOSPC);
	CHECK_EQ(memblock_add(&mb, 0x1000, 0x1000), -ENOSPC);
	CHECK(same_snapshot(&mb, &snap));
	/* Merging needs no new entry, even when full. */
	CHECK_EQ(memblock_add(&mb, 0x11000, 0x1000), 0);
	CHECK_EQ(memblock_add(&mb, 0x12000, 0xe000), 0);
	CHECK_EQ(mb.memory.cnt, 1);
	check_region(&mem[0], 0x10000, 0x11000, NULL);

	CHECK_EQ(memblock_reserve(&mb, 0x10000, 0x1000, "a"), 0);
	CHECK_EQ(memblock_reserve(&mb, 0x1c000, 0x1000, "b"), 0);
	take_snapshot(&mb, &snap);
	CHECK_EQ(memblock_reserve(&mb, 0x10000, 0x1000, "c"), -ENOSPC);
	/* An allocation that cannot merge with a same-name entry fails cleanly. */
	CHECK_EQ(memblock_alloc(&mb, 0x1000, 0x1000, "c"), 0);
	CHECK(same_snapshot(&mb, &snap));
	/* One that extends its same-name neighbour needs no new entry. */
	CHECK_EQ(memblock_alloc_range(&mb, 0x1000, 0x1000, 0, 0x12000, "a"), 0x11000);
	CHECK_EQ(mb.reserved.cnt, 2);
	check_region(&resv[0], 0x10000, 0x2000, "a");
}

static void test_overflow(void)
{
	struct memblock_region mem[8], resv[8];
	struct snapshot snap;
	struct memblock mb;

	memblock_init(&mb, mem, 8, resv, 8);
	take_snapshot(&mb, &snap);
	CHECK_EQ(memblock_add(&mb, 0x1000, 0), -EINVAL);
	CHECK_EQ(memblock_add(&mb, TOP - 0xfff, 0x1000), -EINVAL); /* ends at 2^64 */
	CHECK_EQ(memblock_add(&mb, TOP, 1), -EINVAL);
	CHECK_EQ(memblock_add(&mb, TOP, TOP), -EINVAL);
	CHECK_EQ(memblock_add(&mb, 1, TOP), -EINVAL);
	CHECK_EQ(memblock_reserve(&mb, TOP - 0xfff, 0x1000, "x"), -EINVAL);
	CHECK_EQ(memblock_reserve(&mb, 0, 0, "x"), -EINVAL);
	CHECK(same_snapshot(&mb, &snap));

	CHECK_EQ(memblock_add(&mb, 0, TOP), 0); /* everything but the last byte */
	CHECK_EQ(memblock_reserve(&mb, 0, 0x1000, "low"), 0);
	CHECK_EQ(memblock_reserve(&mb, TOP - 0x2000, 0x1000, "high"), 0);
	CHECK_FREE(&mb, { 0x1000, TOP - 0x2000 }, { TOP - 0x1000, TOP });
	CHECK(memblock_free_total(&mb) == TOP - 0x2000);

	/* Free ranges end at ...fff: the top aligned page fit is two pages below "high". */
	CHECK(memblock_alloc(&mb, 0x1000, 0x1000, "a") == TOP - 0x3fff);
	CHECK(memblock_alloc(&mb, 0x1000, 1, "b") == TOP - 0x1000);
	CHECK(memblock_alloc(&mb, 0x1000, 1ULL << 63, "c") == 1ULL << 63);
	CHECK(memblock_alloc_range(&mb, 0x10, 0x10, TOP - 0x100, TOP, "d") == 0);
}

static void test_alloc_failure(void)
{
	struct memblock_region mem[4], resv[4];
	struct snapshot snap;
	struct memblock mb;

	memblock_init(&mb, mem, 4, resv, 4);
	CHECK_EQ(memblock_alloc(&mb, 0x1000, 0x1000, "x"), 0);
	CHECK_EQ(memblock_free_total(&mb), 0);

	/* Address 0 is never returned, so a page at 0 is unusable. */
	CHECK_EQ(memblock_add(&mb, 0, 0x2000), 0);
	CHECK_EQ(memblock_alloc(&mb, 0x2000, 0x1000, "x"), 0);
	CHECK_EQ(memblock_alloc(&mb, 0x1000, 0, "x"), 0x1000);
	CHECK_EQ(memblock_alloc(&mb, 0x1000, 0x1000, "x"), 0);
	CHECK_EQ(memblock_alloc(&mb, 0xfff, 1, "x"), 1);

	CHECK_EQ(memblock_add(&mb, 0x100000, 0x10000), 0);
	take_snapshot(&mb, &snap);
	CHECK_EQ(memblock_alloc(&mb, 0x11000, 0x1000, "x"), 0);
	CHECK_EQ(memblock_alloc(&mb, 0, 0x1000, "x"), 0);
	CHECK_EQ(memblock_alloc(&mb, 0x1000, 0x3000, "x"), 0); /* not a power of two */
	CHECK_EQ(memblock_alloc(&mb, 0x1000, 0x200000, "x"), 0); /* no such alignment inside */
	CHECK_EQ(memblock_alloc_range(&mb, 0x1000, 0x1000, 0x100800, 0x101800, "x"), 0);
	CHECK_EQ(memblock_alloc_range(&mb, 0x1000, 0x1000, 0x200000, TOP, "x"), 0);
	CHECK_EQ(memblock_alloc_range(&mb, 0x1000, 0x1000, 0x108000, 0x108000, "x"), 0);
	CHECK(same_snapshot(&mb, &snap));
	CHECK_EQ(memblock_alloc_range(&mb, 0x1000, 0x1000, 0x100800, 0x102800, "x"), 0x101000);
}

/*
 * The model: NUNITS units of UNIT bytes from 'origin'; each is memory or
 * not, and reserved or not. Every operation is applied to both and the
 * results compared, including the exact top-down choice of allocations.
 */
#define NUNITS 4096
#define UNIT 4096

struct model {
	phys_addr_t origin;
	bool mem[NUNITS], resv[NUNITS];
};

static const char *const names[] = { "firmware", "kernel", "fdt", "initrd" };

static phys_addr_t addr_of(const struct model *m, size_t unit)
{
	return m->origin + (phys_addr_t)unit * UNIT;
}

static bool unit_free(const struct model *m, size_t u)
{
	return m->mem[u] && !m->resv[u];
}

static void check_model(const struct memblock *mb, const struct model *m)
{
	phys_addr_t start, end, total = 0;
	u64 cursor = 0;
	size_t u = 0, run;
	int i;

	while (memblock_next_free(mb, &cursor, &start, &end)) {
		while (u < NUNITS && !unit_free(m, u))
			u++;
		for (run = u; run < NUNITS && unit_free(m, run); run++)
			;
		if (u == NUNITS || start != addr_of(m, u) || end != addr_of(m, run)) {
			printf("#   free range [%#llx, %#llx) not in model\n",
			       (unsigned long long)start, (unsigned long long)end);
			htest_case_failed = 1;
			return;
		}
		u = run;
	}
	while (u < NUNITS && !unit_free(m, u))
		u++;
	CHECK_EQ(u, NUNITS);

	/* Table invariants: sorted; memory disjoint and non-adjacent. */
	for (i = 0; i < mb->memory.cnt; i++) {
		total += mb->memory.regions[i].size;
		if (i)
			CHECK(mb->memory.regions[i - 1].base +
				      mb->memory.regions[i - 1].size <
			      mb->memory.regions[i].base);
	}
	CHECK(total == memblock_total(mb));

	/* Reservations: sorted; same-name ones disjoint and non-adjacent. */
	for (i = 0; i < mb->reserved.cnt; i++) {
		const struct memblock_region *a = &mb->reserved.regions[i];
		int j;

		if (i)
			CHECK(a[-1].base <= a->base);
		for (j = i + 1; j < mb->reserved.cnt; j++) {
			const struct memblock_region *b = &mb->reserved.regions[j];

			if (!strcmp(a->name, b->name))
				CHECK(a->base + a->size < b->base);
		}
	}
}

static void model_set(bool *map, size_t first, size_t n)
{
	memset(map + first, 1, n);
}

/* Highest fit by brute force: what top-down first fit must return. */
static phys_addr_t model_alloc(const struct model *m, size_t units, phys_addr_t align,
			       size_t lo, size_t hi)
{
	size_t a, k;

	for (a = hi - units + 1; a-- > lo;) {
		if (addr_of(m, a) == 0 || addr_of(m, a) % align)
			continue;
		for (k = 0; k < units && unit_free(m, a + k); k++)
			;
		if (k == units)
			return addr_of(m, a);
	}
	return 0;
}

static int enospc_seen, allocs_ok;

static void random_step(struct memblock *mb, struct model *m)
{
	size_t first = rand() % NUNITS, n = 1 + rand() % 256;
	const char *name = names[rand() % ARRAY_SIZE(names)];
	struct snapshot snap;
	int op = rand() % 10, err;

	n = min(n, NUNITS - first);
	take_snapshot(mb, &snap);
	if (op < 2) {
		err = memblock_add(mb, addr_of(m, first), (phys_addr_t)n * UNIT);
		if (!err)
			model_set(m->mem, first, n);
	} else if (op < 5) {
		err = memblock_reserve(mb, addr_of(m, first), (phys_addr_t)n * UNIT, name);
		if (!err)
			model_set(m->resv, first, n);
	} else {
		size_t units = 1 + rand() % 64, lo = 0, hi = NUNITS;
		phys_addr_t align = (phys_addr_t)UNIT << (rand() % 6), got, want;

		if (rand() % 2) {
			lo = rand() % NUNITS;
			hi = lo + rand() % (NUNITS - lo + 1);
		}
		if (hi - lo < units)
			return;
		want = model_alloc(m, units, align, lo, hi);
		got = memblock_alloc_range(mb, (phys_addr_t)units * UNIT, align,
					   addr_of(m, lo), addr_of(m, hi), name);
		if (got) {
			CHECK(got == want);
			CHECK(got % align == 0);
			model_set(m->resv, (got - m->origin) / UNIT, units);
			allocs_ok++;
		} else if (want) {
			/* Only a full reservation table may refuse a fit. */
			CHECK_EQ(mb->reserved.cnt, mb->reserved.max);
			CHECK(same_snapshot(mb, &snap));
			enospc_seen++;
		}
		return;
	}
	if (err) {
		CHECK_EQ(err, -ENOSPC);
		CHECK(same_snapshot(mb, &snap));
		enospc_seen++;
	}
}

static void run_model(phys_addr_t origin)
{
	static struct model m;
	struct memblock_region mem[16], resv[64];
	struct memblock mb;
	int round, step;

	for (round = 0; round < 40; round++) {
		memset(&m, 0, sizeof(m));
		m.origin = origin;
		memblock_init(&mb, mem, ARRAY_SIZE(mem), resv, ARRAY_SIZE(resv));
		for (step = 0; step < 300; step++) {
			random_step(&mb, &m);
			check_model(&mb, &m);
			if (htest_case_failed)
				return;
		}
	}
}

static void test_model(void)
{
	run_model(0x80000000);
	run_model(0); /* address 0 inside: must never be returned */
	printf("#   %d allocations, %d table-full refusals checked\n", allocs_ok,
	       enospc_seen);
	CHECK(allocs_ok > 1000 && enospc_seen > 10);
}

int main(void)
{
	srand(1);
	HTEST_RUN(test_qemu_virt);
	HTEST_RUN(test_merge_memory);
	HTEST_RUN(test_merge_reserved);
	HTEST_RUN(test_table_full);
	HTEST_RUN(test_overflow);
	HTEST_RUN(test_alloc_failure);
	HTEST_RUN(test_model);
	return htest_done();
}
