/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal to the user library: raw system calls and shared helpers. */
#ifndef _LIBC_INTERNAL_H
#define _LIBC_INTERNAL_H

#include <stddef.h>
#include <sys/syscall.h>
#include <sys/types.h>

/*
 * Raw Linux riscv64 system calls: number in a7, arguments in a0-a5,
 * 'ecall', result (or -errno) in a0. Nothing else is clobbered.
 */
static inline long __syscall6(long n, long a, long b, long c, long d, long e,
			      long f)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
			 : "memory");
	return a0;
}

static inline long __syscall3(long n, long a, long b, long c)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
	return a0;
}

#define __syscall0(n)			__syscall3(n, 0, 0, 0)
#define __syscall1(n, a)		__syscall3(n, (long)(a), 0, 0)
#define __syscall2(n, a, b)		__syscall3(n, (long)(a), (long)(b), 0)
#define __syscall4(n, a, b, c, d)	__syscall6(n, (long)(a), (long)(b), \
						   (long)(c), (long)(d), 0, 0)
#define __syscall5(n, a, b, c, d, e)	__syscall6(n, (long)(a), (long)(b), \
						   (long)(c), (long)(d), (long)(e), 0)

/* Turns a raw result into the libc convention: -1 and errno for [-4095, -1]. */
long __syscall_ret(unsigned long r);

/* Writes all n bytes (retrying short writes and EINTR); 0 or -1. */
int __write_all(int fd, const char *buf, size_t n);

/* Runs the atexit() handlers (exit() does, _exit() does not). */
void __run_atexit(void);

/* The kernel's lib/sort.c, compiled as __hx_sort. */
void __hx_sort(void *base, size_t num, size_t size,
	       int (*cmp)(const void *, const void *));

/* crt0.S calls it before main(). */
void __libc_init(int argc, char **argv, char **envp);

#endif
