/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding memory and string functions for the kernel (ISO C semantics plus strscpy). */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/string.h>

/*
 * Word accesses go through a may_alias type: memcpy and memset touch objects
 * of every type, and strict aliasing must not let GCC reorder around them.
 */
typedef unsigned long __attribute__((may_alias)) word_t;

#define WORD_SIZE sizeof(word_t)
#define WORD_MASK (WORD_SIZE - 1)

/*
 * RISC-V cores may trap (or emulate slowly in firmware) on misaligned loads
 * and stores, so words are only used when both pointers share the same
 * offset within a word and can be brought to alignment together.
 */
static inline bool co_aligned(const void *a, const void *b, size_t n)
{
	return n >= WORD_SIZE &&
	       (((uintptr_t)a ^ (uintptr_t)b) & WORD_MASK) == 0;
}

/*
 * Safe for overlapping buffers as long as dst is below src: every byte is
 * read before the store that could overwrite it. Once dst is aligned,
 * whole words are stored; a source at another offset is read as aligned
 * words and shifted into place (little-endian), so no access is ever
 * misaligned. An aligned word holding a wanted byte never crosses a page,
 * so reading all of it cannot fault.
 */
static void copy_forward(u8 *d, const u8 *s, size_t n)
{
	if (n >= 2 * WORD_SIZE) {
		unsigned int off, sh;

		for (; (uintptr_t)d & WORD_MASK; n--)
			*d++ = *s++;
		off = (uintptr_t)s & WORD_MASK;
		if (!off) {
			for (; n >= 4 * WORD_SIZE; n -= 4 * WORD_SIZE) {
				word_t a = ((const word_t *)s)[0];
				word_t b = ((const word_t *)s)[1];
				word_t c = ((const word_t *)s)[2];
				word_t e = ((const word_t *)s)[3];

				((word_t *)d)[0] = a;
				((word_t *)d)[1] = b;
				((word_t *)d)[2] = c;
				((word_t *)d)[3] = e;
				d += 4 * WORD_SIZE;
				s += 4 * WORD_SIZE;
			}
			for (; n >= WORD_SIZE; n -= WORD_SIZE) {
				*(word_t *)d = *(const word_t *)s;
				d += WORD_SIZE;
				s += WORD_SIZE;
			}
		} else {
			const word_t *ws = (const word_t *)(s - off);
			word_t lo = *ws++, w1, w2, w3, w4;
			unsigned int rsh;

			sh = off * 8;
			rsh = 8 * WORD_SIZE - sh;
			/*
			 * Four words a round, s recomputed after the loops: half
			 * the initramfs's file data is 4 bytes off a word, and
			 * the loop's own instructions were a third of its copy.
			 */
			for (; n >= 4 * WORD_SIZE; n -= 4 * WORD_SIZE) {
				w1 = ws[0];
				w2 = ws[1];
				w3 = ws[2];
				w4 = ws[3];
				((word_t *)d)[0] = (lo >> sh) | (w1 << rsh);
				((word_t *)d)[1] = (w1 >> sh) | (w2 << rsh);
				((word_t *)d)[2] = (w2 >> sh) | (w3 << rsh);
				((word_t *)d)[3] = (w3 >> sh) | (w4 << rsh);
				lo = w4;
				ws += 4;
				d += 4 * WORD_SIZE;
			}
			for (; n >= WORD_SIZE; n -= WORD_SIZE) {
				w1 = *ws++;
				*(word_t *)d = (lo >> sh) | (w1 << rsh);
				lo = w1;
				d += WORD_SIZE;
			}
			/* lo is the word that holds s. */
			s = (const u8 *)ws - WORD_SIZE + off;
		}
	}
	while (n--)
		*d++ = *s++;
}

static void copy_backward(u8 *d, const u8 *s, size_t n)
{
	d += n;
	s += n;
	if (co_aligned(d, s, n)) {
		for (; (uintptr_t)d & WORD_MASK; n--)
			*--d = *--s;
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	/* Unsigned distance: also true when dst is below src. */
	if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	if (n >= WORD_SIZE) {
		/* ~0 / 0xff is 0x0101...01: the byte repeated in every lane. */
		word_t w = (u8)c * (~(word_t)0 / 0xff), *wd, *wend, *wend8;

		for (; (uintptr_t)d & WORD_MASK; n--)
			*d++ = c;
		wd = (word_t *)d;
		wend = wd + n / WORD_SIZE;
		wend8 = wd + (n / WORD_SIZE & ~7UL);
		/* Eight stores a round: the loop overhead is most of the cost. */
		for (; wd != wend8; wd += 8) {
			wd[0] = w;
			wd[1] = w;
			wd[2] = w;
			wd[3] = w;
			wd[4] = w;
			wd[5] = w;
			wd[6] = w;
			wd[7] = w;
		}
		for (; wd < wend; wd++)
			*wd = w;
		d = (u8 *)wd;
		n &= WORD_MASK;
	}
	while (n--)
		*d++ = c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++)
		if (*p == (u8)c)
			return (void *)p;
	return NULL;
}

/* Non-zero if a byte of w is 0. */
static inline word_t has_zero_byte(word_t w)
{
	const word_t ones = ~(word_t)0 / 0xff;

	return (w - ones) & ~w & (ones << 7);
}

/*
 * A word at a time once aligned (device-tree names, format strings): an
 * aligned word holding a byte of the string never crosses a page, so
 * reading all of it cannot fault. The bytes after the NUL are read too,
 * which the host tests' AddressSanitizer would report: not instrumented.
 */
__attribute__((no_sanitize_address))
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	for (; n < max && ((uintptr_t)(s + n) & WORD_MASK); n++)
		if (!s[n])
			return n;
	for (; max - n >= WORD_SIZE; n += WORD_SIZE)
		if (has_zero_byte(*(const word_t *)(s + n)))
			break;
	while (n < max && s[n])
		n++;
	return n;
}

size_t strlen(const char *s)
{
	return strnlen(s, SIZE_MAX);
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const u8 *x = (const u8 *)a, *y = (const u8 *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}

ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++) {
		dst[i] = src[i];
		if (!src[i])
			return i;
	}
	if (size)
		dst[size - 1] = '\0';
	return -E2BIG;
}
