/* SPDX-License-Identifier: BSD-2-Clause */
/* Free memory as /proc/meminfo reports it, for tests that require it back after their work. */
#ifndef MEMINFO_H
#define MEMINFO_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * MemFree + Slab in KiB, or -1: pages the slab caches hold for objects in
 * use at that moment (a task being torn down on another hart, say) are
 * not a leak (mm.rst).
 */
static inline long free_kib(void)
{
	char buf[1024], *s;
	long free = -1, slab = -1;
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	if ((s = strstr(buf, "MemFree:")))
		free = strtol(s + 8, 0, 10);
	if ((s = strstr(buf, "Slab:")))
		slab = strtol(s + 5, 0, 10);
	return free < 0 || slab < 0 ? -1 : free + slab;
}

#endif
