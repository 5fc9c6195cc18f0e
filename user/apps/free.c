/* SPDX-License-Identifier: BSD-2-Clause */
/* free: memory use from /proc/meminfo, in procps 4's layout (-b, -k default, -m, -g). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procutil.h"

static long long field(const char *text, const char *key)
{
	long long v = proc_field(text, key);

	return v < 0 ? 0 : v;
}

int main(int argc, char **argv)
{
	long long total, freekb, avail, buffers, cached, sreclaim, shmem,
		swap_total, swap_free, used, cache;
	int shift = 0, i; /* from KiB: -10 bytes, 0 KiB, 10 MiB, 20 GiB */
	char *text;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-b"))
			shift = -10;
		else if (!strcmp(argv[i], "-k"))
			shift = 0;
		else if (!strcmp(argv[i], "-m"))
			shift = 10;
		else if (!strcmp(argv[i], "-g"))
			shift = 20;
		else {
			fprintf(stderr, "usage: free [-b|-k|-m|-g]\n");
			return 1;
		}
	}
	text = proc_read_file("/proc/meminfo", NULL);
	if (!text) {
		perror("free: /proc/meminfo");
		return 1;
	}
	total = field(text, "MemTotal");
	freekb = field(text, "MemFree");
	avail = proc_field(text, "MemAvailable");
	buffers = field(text, "Buffers");
	cached = field(text, "Cached");
	sreclaim = field(text, "SReclaimable");
	shmem = field(text, "Shmem");
	swap_total = field(text, "SwapTotal");
	swap_free = field(text, "SwapFree");
	free(text);
	cache = cached + sreclaim;
	if (avail < 0 || avail > total)
		avail = freekb; /* kernels before 3.14 */
	/* procps 4: used is what is not available. */
	used = total - avail;
	if (used < 0)
		used = 0;
#define S(v) (shift < 0 ? (v) << -shift : (v) >> shift)
	printf("%-8s%12s%12s%12s%12s%12s%12s\n", "", "total", "used", "free",
	       "shared", "buff/cache", "available");
	printf("%-8s%12lld%12lld%12lld%12lld%12lld%12lld\n", "Mem:", S(total),
	       S(used), S(freekb), S(shmem), S(buffers + cache), S(avail));
	printf("%-8s%12lld%12lld%12lld\n", "Swap:", S(swap_total),
	       S(swap_total - swap_free), S(swap_free));
	return 0;
}
