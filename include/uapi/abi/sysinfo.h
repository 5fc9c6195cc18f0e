/* SPDX-License-Identifier: BSD-2-Clause */
/* struct sysinfo of the sysinfo() system call: Linux's layout on a 64-bit ABI (112 bytes). */
#ifndef _ABI_SYSINFO_H
#define _ABI_SYSINFO_H

#define SI_LOAD_SHIFT 16

struct sysinfo {
	long uptime; /* seconds since boot */
	unsigned long loads[3]; /* 1, 5, 15 minute load averages << SI_LOAD_SHIFT */
	unsigned long totalram; /* in units of mem_unit bytes, as the rest */
	unsigned long freeram;
	unsigned long sharedram; /* the RAM file system's data */
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs;
	unsigned short pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	unsigned int mem_unit;
	char _f[4]; /* 20 - 2 * sizeof(long) - sizeof(int) on 64-bit: padding to 112 */
};

#endif
