/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel addresses shown to user space: hashed, real or zero, as kptr_restrict says. */
#ifndef HARTIX_KPTR_H
#define HARTIX_KPTR_H

#include <hartix/types.h>

#ifdef CONFIG_HASH_KERNEL_POINTERS
/*
 * What a /proc file prints for kernel address p (Linux's %pK):
 * kptr_restrict=0 (default) a keyed hash of p, 32 bits, stable for the
 * boot; 1 the address (every Hartix process has root's rights); 2 zero.
 */
unsigned long kptr_value(const void *p);
/* Boot, after random_init(): picks the hash key. */
void kptr_hash_init(void);
/* SipHash-2-4 of one 64-bit word under a 128-bit key (for the ktest). */
u64 siphash_1u64(u64 word, const u64 key[2]);
#else
static inline unsigned long kptr_value(const void *p)
{
	return (unsigned long)p;
}

static inline void kptr_hash_init(void)
{
}
#endif

#endif
