/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WASI test program: CRC32 and an insertion sort over generated data, with
 * float arithmetic; prints checksums. "compute N time" also prints the
 * nanoseconds the work took (instructions under QEMU -icount shift=0); it
 * builds natively too, for comparing the interpreter with native code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atoi(argv[1]) : 4096;
	uint8_t *buf = malloc(n);
	int32_t *v = malloc(n * sizeof(*v));
	uint32_t x = 12345;
	double sum = 0;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
		v[i] = (int32_t)(x >> 8);
		sum += (double)v[i] / 3.0;
	}
	for (size_t i = 1; i < n; i++) {
		int32_t t = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > t; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
	printf("crc32=%08x min=%d max=%d sum=%.3f\n", (unsigned)crc32(buf, n), (int)v[0],
	       (int)v[n - 1], sum);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (argc > 2)
		printf("time_ns=%lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000000000 +
		       (t1.tv_nsec - t0.tv_nsec));
	return 0;
}
