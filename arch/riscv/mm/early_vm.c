/* SPDX-License-Identifier: BSD-2-Clause */
/* The first page tables: direct map and kernel image, built while still at physical addresses. */
#include <hartix/compiler.h>
#include <asm/csr.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/sbi.h>

/*
 * This file runs with the MMU off at the physical load address, so it may
 * only use PC-relative addressing: no absolute pointers in data, no jump
 * tables (see CFLAGS in the Makefile), no calls to other files (the SBI
 * ecall is inline).
 */
pte_t early_pg_dir[PTRS_PER_PT] __aligned(PAGE_SIZE);
static pte_t early_kernel_pmd[PTRS_PER_PT] __aligned(PAGE_SIZE);
unsigned long kernel_va_pa_offset;
/* The satp value every hart switches to (head.S stores it). */
unsigned long early_satp;

extern char _start[], _end[];

static void __noreturn early_halt(const char *msg)
{
	while (*msg)
		sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, *msg++, 0, 0, 0);
	for (;;)
		__asm__ __volatile__("wfi");
}

unsigned long setup_early_vm(unsigned long load_pa, unsigned long virt_base);

/* virt_base: the link address, or where KASLR moved the kernel to. */
unsigned long setup_early_vm(unsigned long load_pa, unsigned long virt_base)
{
	unsigned long size = (unsigned long)(_end - _start);
	unsigned long i, pa;

	if (!IS_ALIGNED(load_pa, PMD_SIZE))
		early_halt("hartix: kernel must be loaded at a 2 MiB aligned "
			   "address (RAM base + 0x200000); halting\n");
	if (size > PUD_SIZE)
		early_halt("hartix: kernel image larger than 1 GiB; halting\n");

	/* Direct map: all physical addresses below DIRECT_MAP_SIZE, in 1 GiB pages. */
	for (i = 0; i < DIRECT_MAP_SIZE / PUD_SIZE; i++)
		early_pg_dir[pt_index(PAGE_OFFSET, 2) + i] =
			pfn_pte(i * PUD_SIZE, PAGE_KERNEL);

	/* Kernel image at virt_base, in 2 MiB pages, inside one 1 GiB entry. */
	early_pg_dir[pt_index(virt_base, 2)] =
		pfn_pte((unsigned long)early_kernel_pmd, PTE_V);
	for (pa = 0; pa < size; pa += PMD_SIZE)
		early_kernel_pmd[pt_index(virt_base + pa, 1)] =
			pfn_pte(load_pa + pa, PAGE_KERNEL_EXEC);

	kernel_va_pa_offset = virt_base - load_pa;
	return SATP_MODE_SV39 | ((unsigned long)early_pg_dir >> PAGE_SHIFT);
}
