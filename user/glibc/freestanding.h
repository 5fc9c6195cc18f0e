/* SPDX-License-Identifier: BSD-2-Clause */
/* System calls and output for exec_test's freestanding helpers (no libc: static-pie without glibc's rcrt1.o, an interpreter). */
#ifndef FREESTANDING_H
#define FREESTANDING_H

#include <stddef.h>

static inline long sys3(long n, long a, long b, long c)
{
	register long a0 __asm__("a0") = a, a1 __asm__("a1") = b,
		      a2 __asm__("a2") = c, a7 __asm__("a7") = n;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}

static inline void put(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	sys3(64 /* write */, 1, (long)s, (long)n);
}

static inline void put_hex(unsigned long v)
{
	char buf[19] = "0x";
	int i;

	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	buf[18] = '\0';
	put(buf);
}

static inline __attribute__((noreturn)) void exit_group(int status)
{
	sys3(94 /* exit_group */, status, 0, 0);
	__builtin_unreachable();
}

/* The entry point: calls fn(initial sp). */
#define FREESTANDING_ENTRY(entry, fn)              \
	void entry(void);                          \
	void fn(unsigned long *sp);                \
	__asm__(".globl " #entry "\n" #entry ":\n" \
		"	mv a0, sp\n"               \
		"	call " #fn "\n")

#endif
