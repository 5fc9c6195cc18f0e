/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syscall_errno: bad arguments must fail with Linux's errno. Each case is
 * checked twice: the raw ecall must return -errno in a0, and the libc
 * wrapper must return -1 with errno set. Prints one line per check, then
 * "syscall_errno: N passed, M failed"; exit status 0 only if none failed.
 *
 * (write with the pointer 0x1 must fail with EFAULT whatever fd 1 is, as
 * on Linux for a console, pipe or file; only a sink like /dev/null that
 * never reads the buffer would accept it.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int passed, failed;

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
	if (got == -err) {
		passed++;
		printf("ok: raw %s = -%d\n", what, err);
	} else {
		failed++;
		printf("FAIL: raw %s = %ld, expected -%d\n", what, got, err);
	}
}

static void check_libc(const char *what, long got, int err)
{
	if (got == -1 && errno == err) {
		passed++;
		printf("ok: %s = -1, errno %d (%s)\n", what, err, strerror(err));
	} else {
		failed++;
		printf("FAIL: %s = %ld, errno %d; expected -1, errno %d (%s)\n",
		       what, got, errno, err, strerror(err));
	}
}

int main(void)
{
	errno = 0;
	check_raw("write(99, buf, 1)", raw3(__NR_write, 99, (long)"x", 1), EBADF);
	check_libc("write(99, buf, 1)", write(99, "x", 1), EBADF);

	check_raw("write(1, 0x1, 1)", raw3(__NR_write, 1, 1, 1), EFAULT);
	check_libc("write(1, 0x1, 1)", write(1, (const void *)1, 1), EFAULT);

	check_raw("syscall 9999", raw3(9999, 0, 0, 0), ENOSYS);
	check_libc("syscall(9999)", syscall(9999), ENOSYS);

	check_raw("close(-1)", raw3(__NR_close, -1, 0, 0), EBADF);
	check_libc("close(-1)", close(-1), EBADF);

	printf("syscall_errno: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
