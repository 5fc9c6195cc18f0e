/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * oom_test: running out of memory kills the biggest process with
 * SIGKILL, never the task that happened to fault and never init (this
 * program runs as init). Hartix only. Usage: oom_test TOKEN [bomb]; with
 * "bomb" a fork bomb that writes memory runs for a few seconds (meant
 * for a small machine, -m 16M). Memory (MemFree + Slab) must come back
 * exactly afterwards. KTAP after the token.
 * utest: smp=1,4 args="{token}" expect="Out of memory: Killed process "
 * utest: smp=4 mem=16M args="{token} bomb" variant=fork-bomb-16M expect="Out of memory: Killed process "
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "meminfo.h"
#include "utest.h"

#define PAGE 4096UL
#define VMALLOC_TABLES_KIB (5 * 4)

/*
 * Takes all memory in MAP_SHARED chunks, which are populated at mmap: an
 * mmap that does not fit fails with ENOMEM instead of faulting.
 */
static void take_all_memory(void)
{
	unsigned long len = 4UL << 20;

	while (len >= PAGE)
		if (mmap(0, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
			len /= 2;
}

/* Touches n fresh private pages and checks them; 0 if all are right. */
static int touch_pages(unsigned long n, unsigned char v)
{
	unsigned char *p = mmap(0, n * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;
	int bad = 0;

	if (p == MAP_FAILED)
		return 1;
	for (i = 0; i < n * PAGE; i += 512)
		p[i] = (unsigned char)(v + i / 512);
	for (i = 0; i < n * PAGE; i += 512)
		bad |= p[i] != (unsigned char)(v + i / 512);
	munmap(p, n * PAGE);
	return bad;
}

/*
 * A hog that holds all memory without faulting, a small bystander, and
 * then we (init) fault: the hog must die, not us, not the bystander.
 */
static void biggest_dies(void)
{
	int ready[2], status;
	pid_t hog, bystander;
	char c;

	if (pipe(ready))
		return;
	bystander = fork();
	if (bystander == 0) {
		touch_pages(4, 1);
		for (;;)
			pause();
	}
	hog = fork();
	if (hog == 0) {
		take_all_memory();
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	check(read(ready[0], &c, 1) == 1, "the hog holds all memory");
	check(touch_pages(256, 7) == 0,
	      "init faults in 1 MiB while memory is full: it goes on");
	check(waitpid(hog, &status, 0) == hog && WIFSIGNALED(status) &&
		      WTERMSIG(status) == SIGKILL,
	      "the OOM killer ended the hog with SIGKILL");
	check(waitpid(bystander, &status, WNOHANG) == 0 && kill(bystander, 0) == 0,
	      "the small bystander lives");
	kill(bystander, SIGKILL);
	waitpid(bystander, &status, 0);
	close(ready[0]);
	close(ready[1]);
}

/*
 * We (init) are the biggest: all memory in our MAP_SHARED chunks, then a
 * small child (forked before, so it shares none of them) faults. The
 * child must die, not init, whose pid is not always 1 here (the OOM
 * killer once spared only pid 1).
 */
static void init_biggest(void)
{
	static struct { void *p; unsigned long len; } held[512];
	unsigned long len = 4UL << 20;
	int go[2], n = 0, status;
	pid_t child;
	char c;

	if (pipe(go))
		return;
	child = fork();
	if (child == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(touch_pages(4096, 5) ? 3 : 0);
	}
	while (len >= PAGE && n < 512) {
		void *p = mmap(0, len, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			len /= 2;
			continue;
		}
		held[n].p = p;
		held[n++].len = len;
	}
	check(write(go[1], "g", 1) == 1 && waitpid(child, &status, 0) == child &&
		      WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "init holds the most memory: the faulting child dies, not init");
	while (n-- > 0)
		munmap(held[n].p, held[n].len);
	close(go[0]);
	close(go[1]);
}

/* A hog that faults its memory in: it is the biggest, so it dies itself. */
static void faulting_hog(void)
{
	int status;
	pid_t hog;

	hog = fork();
	if (hog == 0) {
		for (;;) {
			unsigned char *p = mmap(0, 1 << 20, PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			unsigned long i;

			if (p == MAP_FAILED)
				_exit(3);
			for (i = 0; i < (1 << 20); i += PAGE)
				p[i] = 1;
		}
	}
	check(waitpid(hog, &status, 0) == hog && WIFSIGNALED(status) &&
		      WTERMSIG(status) == SIGKILL,
	      "a hog faulting its memory in dies by SIGKILL, not SIGSEGV");
}

/* Forks and writes memory until stopped; the processes are a group. */
static void fork_bomb(void)
{
	int status, segv = 0;
	unsigned long t0;
	pid_t root = fork(), pid;

	if (root == 0) {
		setpgid(0, 0);
		for (;;) {
			fork();
			touch_pages(64, 3);
		}
	}
	setpgid(root, root);
	t0 = now_ms();
	while (now_ms() - t0 < 4000) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0)
			segv += WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
		else
			usleep(20000);
	}
	check(touch_pages(16, 9) == 0, "init still works during the bomb");
	while (kill(-root, SIGKILL) == 0) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			segv += WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
		usleep(20000);
	}
	while (wait(&status) > 0)
		segv += WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
	check(segv == 0, "no bomb process died of SIGSEGV");
}

static int bomb;
static long free_before;

/* Caches and our own heap reach their size first; then the count starts. */
static void warm_up(void)
{
	touch_pages(16, 0);
	if (bomb) {
		fork_bomb();
	} else {
		faulting_hog();
		init_biggest();
	}
	free_before = free_kib();
}

static void faulting_hog_again(void)
{
	faulting_hog();
}

static void memory_back(void)
{
	long after = free_kib();

	printf("# oom_test: free %ld KiB before, %ld KiB after\n", free_before,
	       after);
	/*
	 * The kernel keeps the page tables of its vmalloc area, where task
	 * stacks live: a bomb that reached more processes at once than the
	 * warm-up did leaves a few more. One 4 KiB table maps 2 MiB, and 512
	 * processes (the limit) take 10 MiB of stacks and guard pages.
	 */
	check(free_before > 0 && after <= free_before &&
		      free_before - after <= (bomb ? VMALLOC_TABLES_KIB : 0),
	      "memory is back");
}

static const struct utest_case hog_cases[] = {
	UTEST_CASE(warm_up),
	UTEST_CASE(biggest_dies),
	UTEST_CASE(faulting_hog_again),
	UTEST_CASE(memory_back),
};

static const struct utest_case bomb_cases[] = {
	UTEST_CASE(warm_up),
	UTEST_CASE(fork_bomb),
	UTEST_CASE(memory_back),
};

int main(int argc, char **argv)
{
	bomb = argc > 2 && !strcmp(argv[2], "bomb");
	printf("# oom_test: token %s%s\n", argc > 1 ? argv[1] : "-",
	       bomb ? " bomb" : "");
	return bomb ? UTEST_RUN("oom_test", bomb_cases) :
		      UTEST_RUN("oom_test", hog_cases);
}
