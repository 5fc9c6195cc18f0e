/* SPDX-License-Identifier: BSD-2-Clause */
/* What early boot found out, for the rest of the kernel. */
#ifndef HARTIX_BOOT_H
#define HARTIX_BOOT_H

#include <hartix/types.h>

struct fdt_boot_info;

/* The validated device tree (direct-mapped) and what fdt_scan_boot() read. */
extern const void *boot_fdt;
extern struct fdt_boot_info boot_info;

void start_kernel(unsigned long hartid, phys_addr_t fdt_pa);

/* Runs /init (or init=), or the batch of apps; returns if there is none. */
void run_userspace(void);

/* "0.1.0" plus CONFIG_LOCALVERSION: the banner and uname(). */
extern const char hartix_release[];
/* /proc/version's line (init/version.c, with uname()'s strings). */
extern const char proc_version_line[];

/* Architecture setup: FDT, boot arguments, memory map. */
void setup_arch(phys_addr_t fdt_pa);

#endif
