/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench: quicksort (our own, so every build runs the same code) of 20,000 integers, argv[1] times. */
#include "bench.h"

#define COUNT 20000

static int v[COUNT];

static void quicksort(int *x, int n)
{
	while (n > 16) {
		int p = x[n / 2], i = 0, j = n - 1;

		while (i <= j) {
			while (x[i] < p)
				i++;
			while (x[j] > p)
				j--;
			if (i <= j) {
				int t = x[i];

				x[i++] = x[j];
				x[j--] = t;
			}
		}
		if (j + 1 < n - i) {
			quicksort(x, j + 1);
			x += i;
			n -= i;
		} else {
			quicksort(x + i, n - i);
			n = j + 1;
		}
	}
	for (int i = 1; i < n; i++) {
		int t = x[i], j = i;

		for (; j > 0 && x[j - 1] > t; j--)
			x[j] = x[j - 1];
		x[j] = t;
	}
}

int main(int argc, char **argv)
{
	int rounds = bench_rounds(argc, argv);
	unsigned seed = 11, sum = 0;

	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < COUNT; i++)
			v[i] = (int)bench_rand(&seed);
		quicksort(v, COUNT);
		sum = sum * 31 + (unsigned)v[COUNT / 2];
	}
	for (int i = 1; i < COUNT && rounds; i++)
		if (v[i - 1] > v[i])
			printf("not sorted at %d\n", i);
	printf("sort %08x\n", sum);
	return 0;
}
