/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot information (memory, reservations, /chosen, harts) from a DTB. */
#ifndef HARTIX_FDT_SCAN_H
#define HARTIX_FDT_SCAN_H

#include <hartix/types.h>

#define FDT_MAX_MEM	16
#define FDT_MAX_RESV	32
#define FDT_MAX_CPUS	64

struct fdt_mem_region {
	u64 base;
	u64 size;
};

struct fdt_resv_region {
	u64 base;
	u64 size;
	/* The /reserved-memory child ("mmode_resv0@80000000") or NULL. */
	const char *name;
	bool no_map;
};

/* Strings point into the blob, which must stay mapped while they are used. */
struct fdt_cpu {
	int node;
	u64 hartid;
	bool enabled;
	/* "riscv,sv39" etc.; NULL when absent. See fdt_cpu_has_mmu(). */
	const char *mmu_type;
	/* riscv,isa, or NULL. */
	const char *isa;
	/* riscv,isa-base and the riscv,isa-extensions string list, or NULL. */
	const char *isa_base;
	const char *isa_ext;
	int isa_ext_len;
};

struct fdt_boot_info {
	const char *model;
	u32 boot_hartid;	/* the header's boot_cpuid_phys */

	struct fdt_mem_region mem[FDT_MAX_MEM];
	int nmem;
	struct fdt_resv_region resv[FDT_MAX_RESV];
	int nresv;

	const char *bootargs;
	const char *stdout_path;
	const void *rng_seed;
	int rng_seed_len;
	bool has_initrd;
	u64 initrd_start;
	u64 initrd_end;

	u32 timebase_freq;	/* 0 if the tree does not say */
	struct fdt_cpu cpu[FDT_MAX_CPUS];
	int ncpus;

	/* Why fdt_scan_boot() failed: a static string, or NULL. */
	const char *error;
};

/* @where names the node or property concerned, or is NULL. */
typedef void (*fdt_warn_fn)(void *ctx, const char *msg, const char *where);

/*
 * Fill @bi from a blob that passed fdt_check(). Problems the kernel can boot
 * past go to @warn (which may be NULL); a tree without memory or harts gives
 * -EINVAL with bi->error set, everything else found is still filled in.
 */
int fdt_scan_boot(const void *fdt, struct fdt_boot_info *bi, fdt_warn_fn warn,
		  void *ctx);

/* False when mmu-type is absent or "riscv,none". */
bool fdt_cpu_has_mmu(const struct fdt_cpu *cpu);

/*
 * Does the hart implement @ext: a single letter ("a", "v", "h") or a
 * multi-letter name ("zicbom", "sstc"), compared case-insensitively, from
 * riscv,isa-base + riscv,isa-extensions when present, else from riscv,isa.
 */
bool fdt_cpu_has_ext(const struct fdt_cpu *cpu, const char *ext);

#endif
