/* SPDX-License-Identifier: BSD-2-Clause */
/* Bit searches in words, without libgcc or the Zbb extension. */
#ifndef HARTIX_BITOPS_H
#define HARTIX_BITOPS_H

#include <hartix/types.h>

/*
 * The index of the lowest set bit of x, which must not be 0: the bit
 * alone, times a de Bruijn sequence, has a distinct top 6 bits for each
 * position (a multiply and a table load instead of a loop over the bits).
 */
static inline unsigned int lowest_bit64(u64 x)
{
	static const u8 pos[64] = {
		0,  1,  48, 2,  57, 49, 28, 3,  61, 58, 50, 42, 38, 29, 17, 4,
		62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
		63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
		46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,  13, 8,  7,  6,
	};

	return pos[((x & -x) * 0x03f79d71b4cb0a89ULL) >> 58];
}

#endif
