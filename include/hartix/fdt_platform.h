/* SPDX-License-Identifier: BSD-2-Clause */
/* Platform discovery from the device tree: usable harts, PLIC contexts, the console node. */
#ifndef HARTIX_FDT_PLATFORM_H
#define HARTIX_FDT_PLATFORM_H

#include <hartix/fdt_scan.h>
#include <hartix/types.h>

/*
 * Which harts Hartix brings up, and which it leaves out and why. Logical CPU
 * ids are dense: cpu[0] is the boot hart, the others follow in device-tree
 * order. Shared by the kernel's SMP bring-up and tools/dtcheck.
 */
struct fdt_hart_plan {
	unsigned int nr_cpus;
	u64 hartid[FDT_MAX_CPUS]; /* index = logical CPU id */
	int cpu_node[FDT_MAX_CPUS]; /* the /cpus/cpu@N node of each */
	unsigned int nr_skipped;
	struct {
		u64 hartid;
		const char *reason; /* static: "disabled", "no MMU", ... */
	} skipped[FDT_MAX_CPUS];
};

/*
 * Fills plan from the scanned /cpus: skips disabled harts, harts without an
 * MMU (mmu-type missing or "riscv,none"), repeated hart ids and harts beyond
 * max_cpus. Returns 0, or -ENOENT when boot_hartid is not a usable hart of
 * the tree (plan then holds only the boot hart, so the caller can go on
 * uniprocessor, and skipped[0] says why the tree rules it out).
 */
int fdt_plan_harts(const struct fdt_boot_info *bi, u64 boot_hartid,
		   unsigned int max_cpus, struct fdt_hart_plan *plan);

#define FDT_PLIC_MAX_CONTEXTS 64

/* A PLIC node: registers, sources, and each hart's S-mode context. */
struct fdt_plic_info {
	u64 base, size;
	u32 ndev; /* riscv,ndev: sources are 1..ndev */
	unsigned int nr_contexts; /* all contexts, M-mode and skipped ones too */
	unsigned int nr_s; /* entries in s_ctx */
	struct {
		u64 hartid;
		unsigned int context;
	} s_ctx[FDT_PLIC_MAX_CONTEXTS];
};

/*
 * Parses reg, riscv,ndev and interrupts-extended (pairs of <&cpu-intc N>;
 * N = 9 is the S-mode external interrupt, 11 M-mode; a phandle of
 * 0xffffffff or one that is not a hart's interrupt controller marks a
 * context to skip). 0, or -EINVAL with the reason in *why.
 */
int fdt_plic_parse(const void *fdt, int node, struct fdt_plic_info *info,
		   const char **why);

/* The S-mode context of hartid, or -1 if it has none. */
int fdt_plic_context_of(const struct fdt_plic_info *info, u64 hartid);

/*
 * The console node: /chosen stdout-path, else the first enabled node whose
 * compatible is in the NULL-terminated list. -ENOENT if there is none.
 */
int fdt_console_node(const void *fdt, const char *const *compatibles);

/*
 * Interrupt @index of a device: that cell of "interrupts", or -ENOENT. Only
 * one-cell specifiers are understood (the PLIC's): -EINVAL if the interrupt
 * parent's #interrupt-cells is not 1, or there is no interrupt parent.
 */
int fdt_device_irq(const void *fdt, int node, int index);

#endif
