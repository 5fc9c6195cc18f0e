/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench: 64x64 double matrix product, argv[1] times. */
#include <string.h>

#include "bench.h"

#define N 64

static double a[N][N], b[N][N], c[N][N];

int main(int argc, char **argv)
{
	int rounds = bench_rounds(argc, argv);
	unsigned seed = 3;
	unsigned long long bits = 0;
	double sum = 0;

	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			a[i][j] = (double)(bench_rand(&seed) % 1000) / 100.0;
			b[i][j] = (double)(bench_rand(&seed) % 1000) / 100.0;
		}
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++) {
				double s = 0;

				for (int k = 0; k < N; k++)
					s += a[i][k] * b[k][j];
				c[i][j] = s;
			}
		a[r % N][r % N] = c[N - 1][r % N] / 1000.0;
	}
	for (int i = 0; i < N; i++)
		sum += c[i][i];
	memcpy(&bits, &sum, sizeof(bits));
	printf("matmul %016llx\n", bits);
	return 0;
}
