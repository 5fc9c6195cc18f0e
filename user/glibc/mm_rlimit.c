/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm_rlimit: getrlimit/setrlimit/prlimit64 checks, and each enforced limit hit: RLIMIT_NOFILE, RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK; inherited across fork and exec; RLIMIT_NPROC does not hold back root.
 *
 * utest: smp=1,4
 *
 * qemu-riscv64 accepts RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK but does
 * not apply them (they would limit the emulator): those are checked on
 * Hartix only. What needs root (raising a hard limit, NPROC ignored) is
 * checked where we are root.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

#define MIB (1UL << 20)

static int hartix;
static const char *self;

static int on_hartix(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "hartix");
}

/* Runs fn in a child; its exit status (or 128 + signal). */
static int in_child(int (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

static int nofile_is_20(void)
{
	struct rlimit r;

	return getrlimit(RLIMIT_NOFILE, &r) || r.rlim_cur != 20 ||
	       r.rlim_max != 30;
}

static int does_nothing(void)
{
	return 0;
}

static void calls_and_errnos(void)
{
	struct rlimit r, bad = { 10, 5 };
	struct rlimit64 { unsigned long cur, max; } r64, r64b;

	CHECK(getrlimit(RLIMIT_STACK, &r) == 0 && r.rlim_cur >= 8 * MIB);
	CHECK(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur >= 64 &&
	      r.rlim_cur <= r.rlim_max);
	errno = 0;
	CHECK(setrlimit(RLIMIT_NOFILE, &bad) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(syscall(SYS_getrlimit, 99, &r) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(syscall(SYS_prlimit64, 0, 99, NULL, &r64) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &r64) == 0 &&
	      r64.cur == r.rlim_cur);
	CHECK(syscall(SYS_prlimit64, getpid(), RLIMIT_NOFILE, NULL, &r64b) == 0 &&
	      r64b.cur == r64.cur && r64b.max == r64.max);
	errno = 0;
	CHECK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, (void *)8) == -1 &&
	      errno == EFAULT);
	errno = 0;
	CHECK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, (void *)8, NULL) == -1 &&
	      errno == EFAULT);
	errno = 0; /* past the kernel's descriptor limit (Linux's nr_open) */
	bad.rlim_cur = bad.rlim_max = 1UL << 40;
	CHECK(setrlimit(RLIMIT_NOFILE, &bad) == -1 && errno == EPERM);
}

static int nofile_child(void)
{
	struct rlimit r = { 8, 8 };
	int fd, last = -1, bad = 0;

	if (setrlimit(RLIMIT_NOFILE, &r))
		return 10;
	while ((fd = open("/", O_RDONLY)) >= 0)
		last = fd;
	bad |= last != 7 || errno != EMFILE;
	errno = 0;
	bad |= (dup(0) != -1 || errno != EMFILE) << 1;
	errno = 0;
	bad |= (dup2(0, 8) != -1 || errno != EBADF) << 2;
	errno = 0;
	bad |= (fcntl(0, F_DUPFD, 8) != -1 || errno != EINVAL) << 3;
	close(5);
	bad |= (fcntl(0, F_DUPFD, 3) != 5) << 4;
	return bad;
}

static void nofile_limits_descriptors(void)
{
	CHECK(in_child(nofile_child) == 0);
}

static int as_child(void)
{
	struct rlimit r = { 256 * MIB, 256 * MIB };
	void *p;
	int bad = 0;

	if (setrlimit(RLIMIT_AS, &r))
		return 10;
	errno = 0;
	p = mmap(NULL, 512 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad |= p != MAP_FAILED || errno != ENOMEM;
	p = mmap(NULL, 16 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad |= (p == MAP_FAILED) << 1;
	/* mremap may not grow past it either. */
	errno = 0;
	bad |= (mremap(p, 16 * MIB, 512 * MIB, MREMAP_MAYMOVE) != MAP_FAILED ||
		errno != ENOMEM) << 2;
	bad |= (malloc(300 * MIB) != NULL) << 3;
	return bad;
}

static void as_limits_mappings(void)
{
	if (!hartix) {
		utest_skip("qemu-riscv64 does not apply RLIMIT_AS");
		return;
	}
	CHECK(in_child(as_child) == 0);
}

static int data_child(void)
{
	struct rlimit r = { 8 * MIB, 8 * MIB };
	void *p;
	int bad = 0;

	if (setrlimit(RLIMIT_DATA, &r))
		return 10;
	errno = 0;
	p = mmap(NULL, 16 * MIB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad |= p != MAP_FAILED || errno != ENOMEM;
	/* Neither read-only nor shared memory is data. */
	p = mmap(NULL, 16 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad |= (p == MAP_FAILED) << 1;
	p = mmap(NULL, 1 * MIB, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	bad |= (p == MAP_FAILED) << 2;
	errno = 0;
	bad |= (sbrk(16 * MIB) != (void *)-1 || errno != ENOMEM) << 3;
	return bad;
}

static void data_limits_heap_and_private_writable(void)
{
	if (!hartix) {
		utest_skip("qemu-riscv64 does not apply RLIMIT_DATA");
		return;
	}
	CHECK(in_child(data_child) == 0);
}

static volatile unsigned long *deepest;

static unsigned long recurse(unsigned long depth, char *top)
{
	char frame[4000];

	memset(frame, (int)depth, sizeof(frame));
	*deepest = (unsigned long)(top - frame);
	if (depth > 1000000) /* 4 GB down: never, the limit stops it first */
		return 0;
	return recurse(depth + 1, top) + frame[depth % sizeof(frame)];
}

static int stack_child(void)
{
	struct rlimit r = { 512 * 1024, 512 * 1024 };
	char top;

	if (setrlimit(RLIMIT_STACK, &r))
		return 10;
	return (int)recurse(0, &top);
}

static void stack_growth_stops_at_limit(void)
{
	if (!hartix) {
		utest_skip("qemu-riscv64 does not apply RLIMIT_STACK");
		return;
	}
	deepest = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(deepest != MAP_FAILED);
	if (deepest == MAP_FAILED)
		return;
	CHECK(in_child(stack_child) == 128 + SIGSEGV);
	printf("# mm_rlimit: the stack grew to %lu KiB under a 512 KiB limit\n",
	       *deepest / 1024);
	CHECK(*deepest > 256 * 1024 && *deepest <= 512 * 1024);
	munmap((void *)deepest, 4096);
}

static int inherit_child(void)
{
	struct rlimit r = { 20, 30 };
	char *argv[] = { (char *)self, "nofile", NULL };

	if (setrlimit(RLIMIT_NOFILE, &r))
		return 10;
	/* Fork keeps it... */
	if (in_child(nofile_is_20) != 0)
		return 11;
	/*
	 * ...and so does exec (qemu-riscv64 cannot exec a riscv64 program
	 * without binfmt_misc: there, only fork is checked).
	 */
	execv(self, argv);
	return hartix || errno != ENOEXEC ? 12 : 0;
}

static void inherited_across_fork_and_exec(void)
{
	CHECK(in_child(inherit_child) == 0);
}

static int nproc_child(void)
{
	struct rlimit r = { 1, 1 };

	if (setrlimit(RLIMIT_NPROC, &r))
		return 10;
	/* uid 0: Linux does not count its processes against the limit. */
	return in_child(does_nothing);
}

static void nproc_and_hard_limits_as_root(void)
{
	struct rlimit r;

	if (getuid() != 0) {
		utest_skip("not root");
		return;
	}
	CHECK(in_child(nproc_child) == 0);
	CHECK(getrlimit(RLIMIT_CORE, &r) == 0);
	r.rlim_max = r.rlim_cur = 0;
	CHECK(setrlimit(RLIMIT_CORE, &r) == 0);
	/*
	 * Raising the hard limit: root may (CAP_SYS_RESOURCE, which root in
	 * the container qemu-riscv64 may run in lacks).
	 */
	r.rlim_max = RLIM_INFINITY;
	CHECK(setrlimit(RLIMIT_CORE, &r) == 0 || (!hartix && errno == EPERM));
}

static const struct utest_case cases[] = {
	UTEST_CASE(calls_and_errnos),
	UTEST_CASE(nofile_limits_descriptors),
	UTEST_CASE(as_limits_mappings),
	UTEST_CASE(data_limits_heap_and_private_writable),
	UTEST_CASE(stack_growth_stops_at_limit),
	UTEST_CASE(inherited_across_fork_and_exec),
	UTEST_CASE(nproc_and_hard_limits_as_root),
};

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && strcmp(argv[1], "nofile") == 0)
		return nofile_is_20();
	hartix = on_hartix();
	return UTEST_RUN("mm_rlimit", cases);
}
