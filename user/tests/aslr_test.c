/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * aslr_test: runs itself twice (fork + execve) and compares where each run
 * found its stack, its first mmap() and its heap (sbrk(0)). With "random"
 * every one must differ between the runs (CONFIG_RANDOMIZE_VA_SPACE), with
 * "fixed" (norandmaps) every one must repeat. KTAP, a case per address,
 * after the token argv[2]; exit status 1 if any failed.
 * utest: smp=2 args="random {token}" variant=random
 * utest: smp=2 append="loglevel=4 norandmaps" args="fixed {token}" variant=fixed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

#define NADDR 3
static const char *const names[NADDR] = { "stack", "mmap", "brk" };

static void report_addresses(void)
{
	int local;
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("%lx %lx %lx\n", (unsigned long)&local, (unsigned long)m,
	       (unsigned long)sbrk(0));
}

/* One run of "self child": its three addresses, or -1. */
static int run_child(const char *self, unsigned long addr[NADDR])
{
	char buf[128], *argv[] = { (char *)self, "child", NULL }, *p, *end;
	int fds[2], status, i;
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execv(self, argv);
		_exit(127);
	}
	close(fds[1]);
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		return -1;
	for (p = buf, i = 0; i < NADDR; i++, p = end) {
		addr[i] = strtoul(p, &end, 16);
		if (end == p)
			return -1;
	}
	return 0;
}

static unsigned long a[NADDR], b[NADDR];
static int random_mode, runs_ok;

/* Address i of the two runs: different when random, the same when fixed. */
static void compare(int i)
{
	char what[96];

	if (!runs_ok) {
		check(0, "both runs report their addresses");
		return;
	}
	snprintf(what, sizeof(what), "%s %s: %#lx then %#lx", names[i],
		 random_mode ? "differs" : "repeats", a[i], b[i]);
	check(random_mode ? a[i] != b[i] : a[i] == b[i], what);
}

static void stack(void)
{
	compare(0);
}

static void mmap_base(void)
{
	compare(1);
}

static void brk_base(void)
{
	compare(2);
}

static const struct utest_case cases[] = {
	UTEST_CASE(stack),
	UTEST_CASE(mmap_base),
	UTEST_CASE(brk_base),
};

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child")) {
		report_addresses();
		return 0;
	}
	random_mode = !(argc > 1 && !strcmp(argv[1], "fixed"));
	printf("# aslr_test: token %s\n", argc > 2 ? argv[2] : "-");
	runs_ok = !run_child(argv[0], a) && !run_child(argv[0], b);
	return UTEST_RUN("aslr_test", cases);
}
