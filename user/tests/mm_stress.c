/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm_stress: fork, copy-on-write, munmap and exit racing on every hart.
 * Workers fill private pages with a pattern made of their pid and the
 * offset, fork, and then parent and child write their own patterns,
 * unmap parts and exit while the other still shares pages with them;
 * every word of every page is checked after each step. On Hartix, free
 * memory (MemFree + Slab of /proc/meminfo) must come back exactly once
 * every child is reaped. Usage: mm_stress TOKEN [WORKERS [ROUNDS]].
 * KTAP after the token; exit status 1 if any case failed.
 * utest: smp=1 args="{token} 4 10" timeout=120
 * utest: smp=4 args="{token} 4 8" timeout=120
 * utest: smp=8 args="{token} 8 2" timeout=120
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "meminfo.h"
#include "utest.h"

#define PAGE 4096UL
#define PAGES 48 /* per region */
#define WORDS (PAGE / 8)

static unsigned long pattern(int pid, int gen, unsigned long off)
{
	return ((unsigned long)pid << 40) ^ ((unsigned long)gen << 32) ^ off ^
	       0x9e3779b97f4a7c15UL;
}

static void fill(unsigned long *p, unsigned long first, unsigned long n,
		 int pid, int gen)
{
	unsigned long i;

	for (i = first * WORDS; i < (first + n) * WORDS; i++)
		p[i] = pattern(pid, gen, i);
}

/* 0 if every word of pages [first, first + n) holds pid's gen pattern. */
static int verify(const unsigned long *p, unsigned long first, unsigned long n,
		  int pid, int gen)
{
	unsigned long i;

	for (i = first * WORDS; i < (first + n) * WORDS; i++)
		if (p[i] != pattern(pid, gen, i)) {
			printf("mm_stress: pid %d: word %lu is %#lx, expected %#lx (pid %d gen %d)\n",
			       getpid(), i, p[i], pattern(pid, gen, i), pid, gen);
			return 1;
		}
	return 0;
}

/* The child's side: inherited bytes, its own writes, partial unmaps. */
static int child_round(unsigned long *p, volatile unsigned long *shared,
		       int parent, int r)
{
	int me = getpid(), bad = 0;

	bad |= verify(p, 0, PAGES, parent, r);
	fill(p, PAGES / 2, PAGES / 2, me, r);
	bad |= verify(p, 0, PAGES / 2, parent, r);
	bad |= verify(p, PAGES / 2, PAGES / 2, me, r);
	if (munmap(p + (PAGES / 4) * WORDS, (PAGES / 4) * PAGE))
		bad = 1;
	bad |= verify(p, 0, PAGES / 4, parent, r);
	bad |= verify(p, PAGES / 2, PAGES / 2, me, r);
	shared[0] = pattern(me, r, 0);
	/* Odd rounds exit with everything still mapped: exit tears it down. */
	if (r & 1)
		return bad;
	return munmap(p, PAGES * PAGE) ? 1 : bad;
}

/*
 * Parent and child drop the same copy-on-write pages at the same moment,
 * on two harts: munmap against munmap, or against exit in odd rounds.
 * Then fresh pages must read as zero.
 */
static int teardown_race(volatile unsigned long *go, int r)
{
	unsigned long *p = mmap(0, 4 * PAGES * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status, bad = 0;
	unsigned long i;
	pid_t pid;

	if (p == MAP_FAILED)
		return 1;
	fill(p, 0, 4 * PAGES, getpid(), r);
	*go = 0;
	pid = fork();
	if (pid < 0)
		return 1;
	/*
	 * Each side copies different pages first, so that the two sets of
	 * pages being dropped differ but overlap.
	 */
	for (i = 0; i < 4 * PAGES; i += pid ? 3 : 2)
		p[i * WORDS] = 1;
	__atomic_add_fetch(go, 1, __ATOMIC_SEQ_CST);
	while (*go < 2)
		sched_yield();
	if (pid == 0)
		_exit(r & 1 ? 0 : munmap(p, 4 * PAGES * PAGE) != 0);
	bad |= munmap(p, 4 * PAGES * PAGE) != 0;
	bad |= waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	       WEXITSTATUS(status);
	p = mmap(0, 4 * PAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (i = 0; i < 4 * PAGES * WORDS; i++)
		if (p[i]) {
			printf("mm_stress: a fresh page holds %#lx\n", p[i]);
			bad = 1;
			break;
		}
	munmap(p, 4 * PAGES * PAGE);
	return bad;
}

static int worker(int rounds)
{
	volatile unsigned long *shared = mmap(0, PAGE, PROT_READ | PROT_WRITE,
					      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int me = getpid(), r, bad = 0;

	if (shared == MAP_FAILED)
		return 1;
	for (r = 0; r < rounds && !bad; r++) {
		unsigned long *p = mmap(0, PAGES * PAGE, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int status;
		pid_t pid;

		if (p == MAP_FAILED)
			return 1;
		fill(p, 0, PAGES, me, r);
		pid = fork();
		if (pid == 0)
			_exit(child_round(p, shared, me, r));
		if (pid < 0)
			return 1;
		/* Meanwhile: our own writes and unmaps, against the child's. */
		fill(p, 0, PAGES / 4, me, r + 1000);
		bad |= verify(p, PAGES / 4, PAGES * 3 / 4, me, r);
		if (munmap(p + (PAGES * 3 / 4) * WORDS, (PAGES / 4) * PAGE))
			bad = 1;
		bad |= verify(p, 0, PAGES / 4, me, r + 1000);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			printf("mm_stress: pid %d: child %d failed in round %d\n",
			       me, pid, r);
			bad = 1;
		}
		if (shared[0] != pattern(pid, r, 0)) {
			printf("mm_stress: pid %d: the shared page lost child %d's word\n",
			       me, pid);
			bad = 1;
		}
		/* After the child's exit: the pages are ours alone again. */
		bad |= verify(p, PAGES / 4, PAGES / 2, me, r);
		fill(p, PAGES / 4, PAGES / 2, me, r + 2000);
		bad |= verify(p, 0, PAGES / 4, me, r + 1000);
		bad |= verify(p, PAGES / 4, PAGES / 2, me, r + 2000);
		if (munmap(p, (PAGES * 3 / 4) * PAGE))
			bad = 1;
		bad |= teardown_race(shared + 1, r);
	}
	munmap((void *)shared, PAGE);
	return bad;
}

/* Runs n workers at once; the number that failed. */
static int run(int n, int rounds)
{
	int i, status, bad = 0;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(worker(rounds));
		if (pid < 0)
			bad++;
	}
	while (wait(&status) > 0)
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	return bad;
}

static int workers = 8, rounds = 20, hartix;
static long free_before;

/* A first pass lets the kernel's object caches grow to the load. */
static void warm_up(void)
{
	check(run(workers, 2) == 0, "warm-up pass");
	if (hartix)
		free_before = free_kib();
}

static void every_byte_right(void)
{
	unsigned long t0 = now_ms();

	check(run(workers, rounds) == 0,
	      "every byte right through fork, copy-on-write, munmap and exit");
	printf("# mm_stress: %d workers x %d rounds in %lu ms\n", workers,
	       rounds, now_ms() - t0);
}

static void free_memory_back(void)
{
	long after;

	if (!hartix) {
		utest_skip("Hartix's /proc/meminfo accounting only");
		return;
	}
	after = free_kib();
	printf("# mm_stress: free %ld KiB before, %ld KiB after\n", free_before,
	       after);
	check(free_before > 0 && after == free_before,
	      "free memory returns exactly to its starting value");
}

static const struct utest_case cases[] = {
	UTEST_CASE(warm_up),
	UTEST_CASE(every_byte_right),
	UTEST_CASE(free_memory_back),
};

int main(int argc, char **argv)
{
	struct utsname u;

	if (argc > 2)
		workers = atoi(argv[2]);
	if (argc > 3)
		rounds = atoi(argv[3]);
	hartix = !uname(&u) && !strcmp(u.sysname, "Hartix");
	printf("# mm_stress: token %s\n", argc > 1 ? argv[1] : "-");
	return UTEST_RUN("mm_stress", cases);
}
