/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * asid_rollover: many processes switching on every hart while the kernel
 * has only a few ASIDs (asid_bits=2 gives it 3), so a new ASID generation
 * starts every few switches (arch/riscv/mm/context.c). Every process keeps
 * its own pattern in private pages at the same virtual address as all the
 * others, checks every word after each sched_yield() and rewrites them
 * with the next round's pattern; now and then it unmaps them and maps
 * fresh ones there. A TLB entry of another address space that survived a
 * rollover would show that one's words. Usage: asid_rollover TOKEN [PROCS
 * [ROUNDS]]. KTAP after the token; exit status 1 if any case failed.
 * utest: smp=1,4 append="loglevel=6 asid_bits=2" args="{token} 24 1000" expect="mm: ASIDs limited to 3 by asid_bits=2" timeout=180
 * utest: smp=4 append="loglevel=6 asid_bits=0" args="{token} 8 50" variant=no-asids expect="mm: ASIDs limited to 0 by asid_bits=0" timeout=120
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

#define PAGE 4096UL
#define PAGES 2
#define WORDS (PAGES * PAGE / 8)
/* Fresh pages this often: stale entries would then point at freed ones. */
#define REMAP_EVERY 16

static int procs = 24, rounds = 200;
static unsigned long *region;

static unsigned long pattern(int pid, int round, unsigned long i)
{
	return ((unsigned long)pid << 40) ^ ((unsigned long)round << 24) ^ i ^
	       0x9e3779b97f4a7c15UL;
}

static void fill(int pid, int round)
{
	unsigned long i;

	for (i = 0; i < WORDS; i++)
		region[i] = pattern(pid, round, i);
}

/* 0 if every word is pid's pattern of round. */
static int verify(int pid, int round)
{
	unsigned long i;

	for (i = 0; i < WORDS; i++)
		if (region[i] != pattern(pid, round, i)) {
			printf("asid_rollover: pid %d round %d: word %lu is %#lx, expected %#lx\n",
			       pid, round, i, region[i], pattern(pid, round, i));
			return 1;
		}
	return 0;
}

/* Started together (the gate closes once all are forked), so each yield switches. */
static int child(int gate)
{
	int pid = getpid(), round;
	char c;

	fill(pid, 0);
	if (read(gate, &c, 1) != 0)
		return 3;
	for (round = 0; round < rounds; round++) {
		sched_yield();
		if (verify(pid, round))
			return 1;
		if (round % REMAP_EVERY == REMAP_EVERY - 1) {
			if (munmap(region, WORDS * 8) ||
			    mmap(region, WORDS * 8, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
				 0) != region)
				return 2;
		}
		fill(pid, round + 1);
	}
	return 0;
}

static void every_word_its_own(void)
{
	int parent = getpid(), i, status, bad = 0, started = 0, gate[2];

	region = mmap(NULL, WORDS * 8, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(region != MAP_FAILED);
	if (region == MAP_FAILED)
		return;
	/* The children share these copy-on-write until their first write. */
	fill(parent, 0);
	CHECK(pipe(gate) == 0);
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			close(gate[1]);
			_exit(child(gate[0]));
		}
		started += pid > 0;
	}
	close(gate[0]);
	close(gate[1]);
	CHECK(started == procs);
	while (wait(&status) > 0)
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	printf("# asid_rollover: %d processes x %d rounds, %d failed\n", procs,
	       rounds, bad);
	check(bad == 0, "each process saw only its own words");
	check(!verify(parent, 0), "the parent's copy kept its words");
	munmap(region, WORDS * 8);
}

static const struct utest_case cases[] = {
	UTEST_CASE(every_word_its_own),
};

int main(int argc, char **argv)
{
	if (argc > 2)
		procs = atoi(argv[2]);
	if (argc > 3)
		rounds = atoi(argv[3]);
	printf("# asid_rollover: token %s\n", argc > 1 ? argv[1] : "-");
	return UTEST_RUN("asid_rollover", cases);
}
