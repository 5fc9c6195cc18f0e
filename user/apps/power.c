/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * power: rCore-Tutorial's chapter-2 "02power". Computes 3^i mod 10007 for
 * i up to 100000 in a ring of 10 values, printing every 10000th; a long
 * compute-bound run with some output, good for watching scheduling.
 */
#include <stdio.h>

#define SIZE	10
#define P	3U
#define STEP	100000U
#define MOD	10007U

int main(void)
{
	unsigned int pow[SIZE] = { 0 };
	unsigned int index = 0, i;

	pow[index] = 1;
	for (i = 1; i <= STEP; i++) {
		unsigned int last = pow[index];

		index = (index + 1) % SIZE;
		pow[index] = last * P % MOD;
		if (i % 10000 == 0)
			printf("%u^%u=%u(MOD %u)\n", P, i, pow[index], MOD);
	}
	printf("Test power OK!\n");
	return 0;
}
