/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Random bytes: a splitmix64 generator, seeded at boot from the device
 * tree's /chosen/rng-seed (when the boot loader or QEMU put one there)
 * and the time CSR. It is NOT cryptographic: its output is a bijective
 * mix of a counter, so anyone who learns one output word can predict the
 * rest. It is good for hash seeds, AT_RANDOM-style canaries and tests.
 *
 * Lock-free: each caller reserves its stretch of the sequence with one
 * atomic add to the counter, then mixes it on its own; writes XOR into the
 * counter atomically.
 */
#include <hartix/boot.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/kernel.h>
#include <hartix/preempt.h>
#include <hartix/random.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/string.h>
#include <hartix/uaccess.h>
#include <asm/timex.h>

#define GOLDEN 0x9e3779b97f4a7c15ULL
#define BLOCK_WORDS 8

static u64 random_counter = GOLDEN;

static u64 mix64(u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void random_mix_word(u64 w)
{
	__atomic_fetch_xor(&random_counter, mix64(w), __ATOMIC_RELAXED);
}

void random_init(void)
{
	const u8 *seed = NULL;
	int node, len = 0, i;
	u64 w = 0;

	node = boot_fdt ? fdt_path_offset(boot_fdt, "/chosen", 7) : -1;
	if (node >= 0)
		seed = fdt_getprop(boot_fdt, node, "rng-seed", &len);
	for (i = 0; seed && i < len; i++) {
		w = w << 8 | seed[i];
		if (i % 8 == 7 || i == len - 1)
			random_mix_word(w + (u64)i);
	}
	random_mix_word(get_ticks());
}

/* The next n bytes of the sequence (n <= BLOCK_WORDS * 8). */
static void random_block(u8 *buf, size_t n)
{
	u64 base = __atomic_fetch_add(&random_counter, BLOCK_WORDS * GOLDEN,
				      __ATOMIC_RELAXED);
	size_t i;

	for (i = 0; i < n; i += 8) {
		u64 w = mix64(base + (i / 8 + 1) * GOLDEN);

		memcpy(buf + i, &w, min(n - i, (size_t)8));
	}
}

u64 get_random_u64(void)
{
	u64 w;

	random_block((u8 *)&w, sizeof(w));
	return w;
}

long random_read_user(void *ubuf, size_t n)
{
	u8 buf[BLOCK_WORDS * 8];
	size_t done = 0;

	while (done < n) {
		size_t chunk = min(n - done, sizeof(buf));
		size_t left;

		if (done && fatal_signal_pending(current_task()))
			break;
		cond_resched();
		random_block(buf, chunk);
		left = copy_to_user((char *)ubuf + done, buf, chunk);
		done += chunk - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

void random_add_entropy(const void *buf, size_t n)
{
	const u8 *p = buf;
	size_t i;

	for (i = 0; i < n; i += 8) {
		u64 w = 0;

		memcpy(&w, p + i, min(n - i, sizeof(w)));
		random_mix_word(w + i);
	}
}

long random_write_user(const void *ubuf, size_t n)
{
	u64 buf[BLOCK_WORDS];
	size_t done = 0;

	while (done < n) {
		size_t chunk = min(n - done, sizeof(buf));

		if (done && fatal_signal_pending(current_task()))
			break;
		cond_resched();
		if (copy_from_user(buf, (const char *)ubuf + done, chunk))
			return done ? (long)done : -EFAULT;
		random_add_entropy(buf, chunk);
		done += chunk;
	}
	return (long)done;
}
