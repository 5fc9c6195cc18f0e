/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's random bytes, for getrandom() and /dev/random, /dev/urandom. */
#ifndef HARTIX_RANDOM_H
#define HARTIX_RANDOM_H

#include <hartix/types.h>

/* Boot: seeds the generator from /chosen/rng-seed (if any) and the time. */
void random_init(void);

/* A random word for the kernel's own use (ASLR offsets, hash keys). */
u64 get_random_u64(void);

/* Fills n user bytes: n, or what was copied before a fault (-EFAULT if none). */
long random_read_user(void *ubuf, size_t n);

/* Mixes n bytes of kernel memory into the state (a hardware generator's). */
void random_add_entropy(const void *buf, size_t n);

/* Mixes n user bytes into the state (writes to /dev/random): n or -EFAULT. */
long random_write_user(const void *ubuf, size_t n);

#endif
