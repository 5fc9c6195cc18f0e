/* SPDX-License-Identifier: BSD-2-Clause */
/* KASLR: how far the kernel image was moved from its link address at boot, and why. */
#ifndef HARTIX_KASLR_H
#define HARTIX_KASLR_H

#ifndef __ASSEMBLY__
/* Where arch/riscv/boot/early.c took the base's seed from. */
enum kaslr_seed_source {
	KASLR_SEED_NONE,	/* CONFIG_RANDOMIZE_BASE is off */
	KASLR_DISABLED,		/* nokaslr on the command line */
	KASLR_SEED_DT_KASLR_SEED,
	KASLR_SEED_DT_RNG_SEED,
	KASLR_SEED_ZKR,		/* the time and the Zkr seed CSR */
	KASLR_SEED_TIME,
};

/* Set before the MMU is on (early.c), read-only afterwards. */
extern unsigned long kaslr_offset_value;
extern int kaslr_seed_source;

/* Runtime virtual address minus link address of every kernel symbol. */
static inline unsigned long kaslr_offset(void)
{
	return IS_ENABLED(CONFIG_RANDOMIZE_BASE) ? kaslr_offset_value : 0;
}

/* Boot log: where the kernel went. */
void kaslr_report(void);
#endif

#endif
