/* SPDX-License-Identifier: BSD-2-Clause */
/* kptr_restrict: kernel addresses printed to user space are hashed with a boot-random key, or hidden. */
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/kptr.h>
#include <hartix/params.h>
#include <hartix/random.h>

/* Both written once at boot (parameters, then kptr_hash_init()), read-only after. */
static unsigned int kptr_restrict;
static u64 kptr_key[2];

kernel_param_uint("kptr_restrict", kptr_restrict, 0, 2);

static inline u64 rol64(u64 w, unsigned int s)
{
	return w << s | w >> (64 - s);
}

#define SIPROUND(v0, v1, v2, v3)                                          \
	do {                                                              \
		v0 += v1, v1 = rol64(v1, 13), v1 ^= v0, v0 = rol64(v0, 32); \
		v2 += v3, v3 = rol64(v3, 16), v3 ^= v2;                   \
		v0 += v3, v3 = rol64(v3, 21), v3 ^= v0;                   \
		v2 += v1, v1 = rol64(v1, 17), v1 ^= v2, v2 = rol64(v2, 32); \
	} while (0)

/* SipHash-2-4 (Aumasson and Bernstein) of an 8-byte message. */
u64 siphash_1u64(u64 word, const u64 key[2])
{
	u64 v0 = key[0] ^ 0x736f6d6570736575ULL;
	u64 v1 = key[1] ^ 0x646f72616e646f6dULL;
	u64 v2 = key[0] ^ 0x6c7967656e657261ULL;
	u64 v3 = key[1] ^ 0x7465646279746573ULL;
	u64 last = 8ULL << 56; /* the length byte, no tail bytes */

	v3 ^= word;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= word;
	v3 ^= last;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= last;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

void kptr_hash_init(void)
{
	kptr_key[0] = get_random_u64();
	kptr_key[1] = get_random_u64();
}

unsigned long kptr_value(const void *p)
{
	switch (kptr_restrict) {
	case 0:
		/* 32 bits, like Linux: plainly not an address. */
		return (u32)siphash_1u64((unsigned long)p, kptr_key);
	case 1:
		return (unsigned long)p;
	default:
		return 0;
	}
}
