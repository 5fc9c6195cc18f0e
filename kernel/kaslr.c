/* SPDX-License-Identifier: BSD-2-Clause */
/* KASLR after boot: the boot-log line saying where the kernel went, and the nokaslr word. */
#include <hartix/kaslr.h>
#include <hartix/kernel.h>
#include <hartix/params.h>
#include <asm/page.h>

static const char *const seed_names[] = {
	[KASLR_SEED_NONE] = "not built in",
	[KASLR_DISABLED] = "disabled by nokaslr",
	[KASLR_SEED_DT_KASLR_SEED] = "seed from /chosen/kaslr-seed",
	[KASLR_SEED_DT_RNG_SEED] = "seed from /chosen/rng-seed",
	[KASLR_SEED_ZKR] = "seed from the time and the Zkr seed CSR",
	[KASLR_SEED_TIME] = "seed from the time",
};

void kaslr_report(void)
{
	pr_info("KASLR: kernel virtual base %#lx (offset %#lx, %s)\n",
		KERNEL_LINK_ADDR + kaslr_offset(), kaslr_offset(),
		seed_names[kaslr_seed_source]);
}

/* Acted on before the MMU is on (arch/riscv/boot/early.c). */
static int set_nokaslr(const char *val)
{
	return 0;
}
kernel_param("nokaslr", set_nokaslr);
