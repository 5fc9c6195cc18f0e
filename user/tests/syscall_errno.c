/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syscall_errno: bad arguments must fail with Linux's errno. Each case is
 * checked twice: the raw ecall must return -errno in a0, and the libc
 * wrapper must return -1 with errno set. KTAP, one case per system call,
 * after the token argv[1] (so no fixed text passes); exit status 1 if any
 * failed. Runs unchanged under qemu-riscv64 (Linux).
 *
 * (write with the pointer 0x1 must fail with EFAULT whatever fd 1 is, as
 * on Linux for a console, pipe or file; only a sink like /dev/null that
 * never reads the buffer would accept it.)
 * utest: smp=1,4 args="{token}"
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "utest.h"

static long raw3(long n, long a, long b, long c)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
	return a0;
}

static void check_raw(const char *what, long got, int err)
{
	char line[128];

	snprintf(line, sizeof(line), "raw %s = %ld, expected -%d", what, got, err);
	check(got == -err, line);
}

static void check_libc(const char *what, long got, int err)
{
	int e = errno; /* before snprintf can change it */
	char line[160];

	snprintf(line, sizeof(line), "%s = %ld, errno %d; expected -1, errno %d (%s)",
		 what, got, got == -1 ? e : 0, err, strerror(err));
	check(got == -1 && e == err, line);
}

static void write_bad_fd(void)
{
	check_raw("write(99, buf, 1)", raw3(__NR_write, 99, (long)"x", 1), EBADF);
	check_libc("write(99, buf, 1)", write(99, "x", 1), EBADF);
}

static void write_bad_pointer(void)
{
	check_raw("write(1, 0x1, 1)", raw3(__NR_write, 1, 1, 1), EFAULT);
	check_libc("write(1, 0x1, 1)", write(1, (const void *)1, 1), EFAULT);
}

static void unknown_syscall(void)
{
	check_raw("syscall 9999", raw3(9999, 0, 0, 0), ENOSYS);
	check_libc("syscall(9999)", syscall(9999), ENOSYS);
}

static void close_bad_fd(void)
{
	check_raw("close(-1)", raw3(__NR_close, -1, 0, 0), EBADF);
	check_libc("close(-1)", close(-1), EBADF);
}

static const struct utest_case cases[] = {
	UTEST_CASE(write_bad_fd),
	UTEST_CASE(write_bad_pointer),
	UTEST_CASE(unknown_syscall),
	UTEST_CASE(close_bad_fd),
};

int main(int argc, char **argv)
{
	printf("# syscall_errno: token %s\n", argc > 1 ? argv[1] : "-");
	return UTEST_RUN("syscall_errno", cases);
}
