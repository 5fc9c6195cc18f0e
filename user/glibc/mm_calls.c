/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm_calls: mremap (shrink, grow in place, move, FIXED, DONTUNMAP, files, duplicating a shared region), madvise, mincore, msync, MAP_SHARED|MAP_ANONYMOUS across fork, MAP_FIXED_NOREPLACE; errnos as Linux; huge sizes fail at once; hostile arguments leak nothing.
 *
 * utest: smp=1,4
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "meminfo.h"
#include "utest.h"

#define PAGE 4096L

static char *map_anon(long len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int hartix;

/*
 * qemu-riscv64 emulates mremap(), madvise() and MAP_FIXED_NOREPLACE
 * itself and differs from Linux there (ENOMEM for a zero new length,
 * EINVAL past the region, madvise() ignored): what Linux's source does is
 * checked on Hartix only.
 */
#define LINUX_CHECK(cond) CHECK(!hartix || (cond))

static int on_hartix(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "hartix");
}

static void mremap_shrink_grow_move(void)
{
	char *p = map_anon(4 * PAGE), *q, *r;
	int i, ok = 1;

	CHECK(p != NULL);
	if (!p)
		return;
	for (i = 0; i < 4; i++)
		p[i * PAGE] = (char)('A' + i);
	/* Shrink: the tail goes. */
	CHECK(mremap(p, 4 * PAGE, 2 * PAGE, 0) == p);
	/* Grow in place into the room just freed. */
	CHECK(mremap(p, 2 * PAGE, 3 * PAGE, 0) == p);
	CHECK(p[0] == 'A' && p[PAGE] == 'B' && p[2 * PAGE] == 0);
	/* A neighbour above: no room, so ENOMEM without MAYMOVE... */
	q = mmap(p + 3 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == p + 3 * PAGE);
	errno = 0;
	CHECK(mremap(p, 3 * PAGE, 8 * PAGE, 0) == MAP_FAILED && errno == ENOMEM);
	/* ...and a move with it: the contents go along. */
	r = mremap(p, 3 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
	CHECK(r != MAP_FAILED && r != p);
	if (r == MAP_FAILED)
		return;
	CHECK(r[0] == 'A' && r[PAGE] == 'B' && r[63 * PAGE] == 0);
	for (i = 0; i < 64; i++)
		ok &= r[i * PAGE] == (i == 0 ? 'A' : i == 1 ? 'B' : 0);
	CHECK(ok);
	/* The old place is free now: MAP_FIXED_NOREPLACE may take it. */
	q = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == p);
	errno = 0;
	LINUX_CHECK(mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			 MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED &&
		    errno == EEXIST);
	munmap(p, 4 * PAGE);
	munmap(r, 64 * PAGE);
}

static void mremap_fixed_and_dontunmap(void)
{
	char *p = map_anon(2 * PAGE), *dst = map_anon(4 * PAGE), *r;

	CHECK(p && dst);
	if (!p || !dst)
		return;
	strcpy(p, "hello");
	strcpy(p + PAGE, "world");
	r = mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   dst + PAGE);
	CHECK(r == dst + PAGE);
	CHECK(strcmp(dst + PAGE, "hello") == 0 && strcmp(dst + 2 * PAGE, "world") == 0);
	errno = 0;
	CHECK(mremap(dst, PAGE, PAGE, MREMAP_FIXED, p) == MAP_FAILED &&
	      errno == EINVAL);
	errno = 0; /* overlapping source and destination */
	CHECK(mremap(dst, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		     dst + PAGE) == MAP_FAILED && errno == EINVAL);
	/* DONTUNMAP: the pages move, the old range stays mapped, empty. */
	r = mremap(dst + PAGE, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	CHECK(r != MAP_FAILED && r != dst + PAGE);
	if (r != MAP_FAILED) {
		CHECK(strcmp(r, "hello") == 0);
		CHECK(dst[PAGE] == 0);
		munmap(r, PAGE);
	}
	errno = 0;
	CHECK(mremap(dst, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0) ==
		      MAP_FAILED && errno == EINVAL);
	munmap(dst, 4 * PAGE);
}

/*
 * Old length 0: a second mapping of a shared region's pages; EINVAL for a
 * private one (qemu-riscv64's own mremap() has ENOMEM for both).
 */
static void mremap_duplicate_shared(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0), *q, *priv;

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	p[0] = 'a';
	p[PAGE] = 'b';
	q = mremap(p, 0, 2 * PAGE, MREMAP_MAYMOVE);
	LINUX_CHECK(q != MAP_FAILED && q != p);
	if (q != MAP_FAILED) {
		CHECK(q[0] == 'a' && q[PAGE] == 'b');
		q[PAGE] = 'c';
		p[0] = 'd';
		CHECK(p[PAGE] == 'c' && q[0] == 'd');
		munmap(q, 2 * PAGE);
	}
	/* The original stays. */
	LINUX_CHECK(p[0] == 'd');
	errno = 0; /* it cannot grow in place by 0 */
	CHECK(mremap(p, 0, PAGE, 0) == MAP_FAILED && errno == ENOMEM);
	munmap(p, 2 * PAGE);
	priv = map_anon(PAGE);
	CHECK(priv != NULL);
	if (!priv)
		return;
	errno = 0;
	LINUX_CHECK(mremap(priv, 0, PAGE, MREMAP_MAYMOVE) == MAP_FAILED &&
		    errno == EINVAL);
	munmap(priv, PAGE);
}

static void mremap_errnos_and_huge_sizes(void)
{
	char *p = map_anon(2 * PAGE);

	CHECK(p != NULL);
	if (!p)
		return;
	errno = 0;
	CHECK(mremap(p + 1, PAGE, PAGE, 0) == MAP_FAILED && errno == EINVAL);
	errno = 0;
	LINUX_CHECK(mremap(p, PAGE, 0, 0) == MAP_FAILED && errno == EINVAL);
	errno = 0;
	CHECK(mremap(p, PAGE, PAGE, 0x80) == MAP_FAILED && errno == EINVAL);
	errno = 0; /* past the region */
	LINUX_CHECK(mremap(p, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE) ==
			    MAP_FAILED && errno == EFAULT);
	munmap(p + PAGE, PAGE);
	errno = 0; /* nothing mapped there */
	CHECK(mremap(p + PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED &&
	      errno == EFAULT);
	errno = 0;
	CHECK(mremap(p, PAGE, 1UL << 62, MREMAP_MAYMOVE) == MAP_FAILED &&
	      errno == ENOMEM);
	errno = 0;
	CHECK(mremap(p, PAGE, 1UL << 46, MREMAP_MAYMOVE) == MAP_FAILED &&
	      errno == ENOMEM);
	errno = 0; /* rounds up to 0 */
	LINUX_CHECK(mremap(p, PAGE, -1UL, MREMAP_MAYMOVE) == MAP_FAILED &&
		    errno == EINVAL);
	CHECK(p[0] == 0);
	munmap(p, PAGE);
	/* mmap of absurd lengths fails at once too. */
	errno = 0;
	CHECK(mmap(NULL, -PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
		      MAP_FAILED && errno == ENOMEM);
	errno = 0;
	CHECK(mmap(NULL, 1UL << 60, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0) == MAP_FAILED && errno == ENOMEM);
}

static void mremap_file_mapping(void)
{
	char path[64], *p, *r;
	int fd;

	snprintf(path, sizeof(path), "/tmp/mm_calls.%d", (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && ftruncate(fd, 8 * PAGE) == 0);
	unlink(path);
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		goto out;
	p[PAGE] = 'x';
	r = mremap(p, 2 * PAGE, 6 * PAGE, MREMAP_MAYMOVE);
	CHECK(r != MAP_FAILED);
	if (r == MAP_FAILED)
		goto out;
	r[5 * PAGE] = 'y'; /* the grown part maps the file further on */
	CHECK(r[PAGE] == 'x');
	CHECK(lseek(fd, 5 * PAGE, SEEK_SET) == 5 * PAGE);
	{
		char c = 0;

		CHECK(read(fd, &c, 1) == 1 && c == 'y');
	}
	munmap(r, 6 * PAGE);
out:
	close(fd);
}

static void madvise_dontneed(void)
{
	char path[64], *a = map_anon(2 * PAGE), *f;
	int fd;

	CHECK(a != NULL);
	if (!a)
		return;
	a[0] = 'a';
	a[PAGE] = 'b';
	CHECK(madvise(a, 2 * PAGE, MADV_DONTNEED) == 0);
	LINUX_CHECK(a[0] == 0 && a[PAGE] == 0);
	for (int adv = 0; adv <= 3; adv++) /* NORMAL, RANDOM, SEQUENTIAL, WILLNEED */
		CHECK(madvise(a, 2 * PAGE, adv) == 0);
	errno = 0;
	LINUX_CHECK(madvise(a, PAGE, 12345) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(madvise(a + 1, PAGE, MADV_NORMAL) == -1 && errno == EINVAL);
	CHECK(madvise(a, 0, MADV_DONTNEED) == 0);
	munmap(a + PAGE, PAGE);
	errno = 0; /* a hole */
	LINUX_CHECK(madvise(a, 2 * PAGE, MADV_WILLNEED) == -1 &&
		    errno == ENOMEM);
	munmap(a, PAGE);

	/* A private file page rereads the file; the shared one keeps the write. */
	snprintf(path, sizeof(path), "/tmp/mm_calls.%d", (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "file", 4) == 4);
	unlink(path);
	f = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(f != MAP_FAILED);
	if (f != MAP_FAILED) {
		f[0] = 'P';
		CHECK(madvise(f, PAGE, MADV_DONTNEED) == 0);
		LINUX_CHECK(f[0] == 'f');
		munmap(f, PAGE);
	}
	f = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(f != MAP_FAILED);
	if (f != MAP_FAILED) {
		f[0] = 'S';
		CHECK(madvise(f, PAGE, MADV_DONTNEED) == 0);
		CHECK(f[0] == 'S');
		munmap(f, PAGE);
	}
	close(fd);
}

static void mincore_and_msync(void)
{
	char *p = map_anon(4 * PAGE);
	unsigned char vec[4] = { 9, 9, 9, 9 };

	CHECK(p != NULL);
	if (!p)
		return;
	p[PAGE] = 1;
	p[3 * PAGE] = 1;
	CHECK(mincore(p, 4 * PAGE, vec) == 0);
	CHECK(!(vec[0] & 1) && (vec[1] & 1) && !(vec[2] & 1) && (vec[3] & 1));
	errno = 0;
	CHECK(mincore(p + 1, PAGE, vec) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(mincore(p, PAGE, (unsigned char *)8) == -1 && errno == EFAULT);
	CHECK(msync(p, 4 * PAGE, MS_ASYNC) == 0);
	CHECK(msync(p, 4 * PAGE, MS_SYNC | MS_INVALIDATE) == 0);
	errno = 0;
	CHECK(msync(p, PAGE, MS_SYNC | MS_ASYNC) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(msync(p + 1, PAGE, MS_SYNC) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(msync(p, PAGE, 0x40) == -1 && errno == EINVAL);
	munmap(p + 2 * PAGE, PAGE);
	errno = 0;
	CHECK(msync(p, 4 * PAGE, MS_SYNC) == -1 && errno == ENOMEM);
	errno = 0;
	CHECK(mincore(p, 4 * PAGE, vec) == -1 && errno == ENOMEM);
	munmap(p, 4 * PAGE);
}

static void shared_anonymous_across_fork(void)
{
	int *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0), *q;
	int status = -1;
	pid_t pid;

	CHECK(s != MAP_FAILED);
	if (s == MAP_FAILED)
		return;
	s[0] = 1;
	/* DONTNEED leaves shared anonymous memory as it is. */
	CHECK(madvise(s, PAGE, MADV_DONTNEED) == 0);
	pid = fork();
	if (pid == 0) {
		s[1] = s[0] + 41;
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(s[1] == 42);
	/*
	 * Grown and moved by mremap: the page is still shared. The grown
	 * part lies past the object behind the mapping: SIGBUS, as Linux.
	 */
	q = mremap(s, PAGE, 3 * PAGE, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED);
	if (q == MAP_FAILED) {
		munmap(s, PAGE);
		return;
	}
	pid = fork();
	if (pid == 0) {
		q[2] = 7;
		q[2 * PAGE / sizeof(int)] = 1;
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	CHECK(q[0] == 1 && q[1] == 42 && q[2] == 7);
	/* DONTUNMAP of shared memory: both places map the same page. */
	s = mremap(q, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	CHECK(s != MAP_FAILED);
	if (s != MAP_FAILED) {
		s[3] = 99;
		CHECK(q[3] == 99 && s[1] == 42);
		munmap(s, PAGE);
	}
	munmap(q, 3 * PAGE);
}

static unsigned long rnd(unsigned long *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

#define ARENA (64 * 1024 * 1024L)

/*
 * An address for the hostile calls: inside the arena (any page, or not
 * page aligned), or one no region can have (NULL, small, past the user
 * half, the kernel's): never the caller's own stack or text.
 */
static unsigned long hostile_addr(unsigned long *x, char *arena)
{
	static const unsigned long bad[] = { 0, 4096, 1UL << 38, -4096UL,
					     0xffffffc000000000UL };
	unsigned long r = rnd(x) % 10;

	if (r < 1)
		return bad[rnd(x) % 5];
	return (unsigned long)arena + (rnd(x) % (ARENA / PAGE)) * PAGE +
	       (r == 9 ? rnd(x) % PAGE : 0);
}

static unsigned long hostile_len(unsigned long *x)
{
	static const unsigned long big[] = { 0, 1, -1UL, -PAGE, 1UL << 38,
					     1UL << 62, ARENA * 4 };
	unsigned long r = rnd(x) % 10;

	return r < 2 ? big[rnd(x) % 7] : (rnd(x) % 64 + 1) * PAGE;
}

/*
 * A child making mremap, madvise, mincore, msync, mmap of a file, munmap,
 * mprotect and ftruncate calls with hostile arguments into its arena, and
 * touching pages (SIGSEGV and SIGBUS end it: that is allowed).
 */
static void hostile_child(unsigned long seed, int fd)
{
	unsigned long x = seed * 2654435761UL + 1;
	char *arena = mmap(NULL, ARENA, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	unsigned char vec[64];
	int i;

	if (arena == MAP_FAILED)
		_exit(1);
	for (i = 0; i < 1500; i++) {
		unsigned long a = hostile_addr(&x, arena), b = hostile_addr(&x, arena);
		unsigned long l = hostile_len(&x), l2 = hostile_len(&x);
		int prot = (int)(rnd(&x) % 8), sh = rnd(&x) % 2;

		switch (rnd(&x) % 10) {
		case 0:
			mremap((void *)a, l, l2, rnd(&x) % 8, (void *)b);
			break;
		case 1:
			madvise((void *)a, l, (int)(rnd(&x) % 26));
			break;
		case 2:
			mincore((void *)a, l < 64 * PAGE ? l : 64 * PAGE, vec);
			break;
		case 3:
			msync((void *)a, l, (int)(rnd(&x) % 8));
			break;
		case 4:
		case 5:
			mmap((void *)a, l, prot, (sh ? MAP_SHARED : MAP_PRIVATE) |
			     (rnd(&x) % 2 ? MAP_FIXED : 0), rnd(&x) % 4 ? fd : -1,
			     (long)(rnd(&x) % 4 ? (rnd(&x) % 32) * PAGE : rnd(&x)));
			break;
		case 6:
			mmap((void *)a, l, prot, (sh ? MAP_SHARED : MAP_PRIVATE) |
			     MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		case 7:
			mprotect((void *)a, l, prot);
			break;
		case 8:
			ftruncate(fd, (long)(rnd(&x) % 40) * PAGE + (long)(rnd(&x) % 3));
			break;
		default:
			/* A touch of a mapped page (in the arena only). */
			if (a >= (unsigned long)arena && a < (unsigned long)arena + ARENA &&
			    !mincore((void *)(a & ~(PAGE - 1)), 1, vec))
				*(volatile char *)a += 1;
		}
	}
	_exit(0);
}

static void hostile_arguments(void)
{
	char path[64];
	int i, fd, ended = 0;

	if (!hartix) {
		/* Its page tracking asserts on some (start < end in page_set_flags). */
		utest_skip("qemu-riscv64 itself aborts on such calls");
		return;
	}
	snprintf(path, sizeof(path), "/tmp/mm_calls.h%d", (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && ftruncate(fd, 16 * PAGE) == 0);
	unlink(path);
	for (i = 0; i < 8; i++) {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			hostile_child((unsigned long)i + 1, fd);
		/* Ends, by itself or by SIGSEGV/SIGBUS: never stuck, never lost. */
		if (pid > 0 && waitpid(pid, &status, 0) == pid &&
		    (WIFEXITED(status) || WTERMSIG(status) == SIGSEGV ||
		     WTERMSIG(status) == SIGBUS))
			ended++;
	}
	CHECK(ended == 8);
	close(fd);
}

/* All of it again, with the memory measured around. */
static void nothing_leaks(void)
{
	long before, after;
	int i;

	if (!hartix) {
		utest_skip("/proc/meminfo is the host's under qemu-riscv64");
		return;
	}
	mremap_shrink_grow_move();
	mremap_fixed_and_dontunmap();
	mremap_file_mapping();
	hostile_arguments();
	before = free_kib();
	for (i = 0; i < 3; i++) {
		mremap_shrink_grow_move();
		mremap_fixed_and_dontunmap();
		mremap_errnos_and_huge_sizes();
		mremap_file_mapping();
		madvise_dontneed();
		mincore_and_msync();
		hostile_arguments();
	}
	after = free_kib();
	printf("# mm_calls: free %ld KiB before, %ld after\n", before, after);
	CHECK(before > 0 && after >= before);
}

static const struct utest_case cases[] = {
	UTEST_CASE(mremap_shrink_grow_move),
	UTEST_CASE(mremap_fixed_and_dontunmap),
	UTEST_CASE(mremap_errnos_and_huge_sizes),
	UTEST_CASE(mremap_duplicate_shared),
	UTEST_CASE(mremap_file_mapping),
	UTEST_CASE(madvise_dontneed),
	UTEST_CASE(mincore_and_msync),
	UTEST_CASE(shared_anonymous_across_fork),
	UTEST_CASE(hostile_arguments),
	UTEST_CASE(nothing_leaks),
};

int main(void)
{
	hartix = on_hartix();
	return UTEST_RUN("mm_calls", cases);
}
