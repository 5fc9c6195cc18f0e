/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench: module start-up, a program of about 100 KiB of code (200 distinct functions) that main barely uses. */
#include "bench.h"

#define F(n) \
	__attribute__((noinline)) static unsigned f##n(unsigned x) \
	{ \
		for (unsigned i = 0; i < (x & 7); i++) { \
			x = x * 2654435761u + n##u; \
			x ^= x >> 13; \
			x += x & 1 ? i * 3 : n##u; \
		} \
		switch (x % 5) { \
		case 0: return x + n##u; \
		case 1: return x * 3 + (x >> 7); \
		case 2: return x ^ (n##u * 77u); \
		case 3: return (x >> 2) | (x << 30); \
		default: return x - n##u; \
		} \
	}
#define F10(n) F(n##0) F(n##1) F(n##2) F(n##3) F(n##4) F(n##5) F(n##6) F(n##7) F(n##8) F(n##9)
#define F100(n) F10(n##0) F10(n##1) F10(n##2) F10(n##3) F10(n##4) F10(n##5) F10(n##6) \
	F10(n##7) F10(n##8) F10(n##9)
#define T10(n) f##n##0, f##n##1, f##n##2, f##n##3, f##n##4, f##n##5, f##n##6, f##n##7, \
	f##n##8, f##n##9,
#define T100(n) T10(n##0) T10(n##1) T10(n##2) T10(n##3) T10(n##4) T10(n##5) T10(n##6) \
	T10(n##7) T10(n##8) T10(n##9)

F100(1) F100(2)

static unsigned (*const fns[])(unsigned) = { T100(1) T100(2) };

int main(int argc, char **argv)
{
	int rounds = bench_rounds(argc, argv);
	unsigned x = 1;

	for (int r = 0; r < rounds; r++)
		for (unsigned i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
			x = fns[i](x);
	printf("startup %08x\n", x);
	return 0;
}
