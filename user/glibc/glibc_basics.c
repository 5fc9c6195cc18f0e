/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * glibc_basics: a program built against Debian's static glibc starts, forks, waits and does stdio.
 *
 * utest: smp=1,4
 *
 * glibc refuses to start on a kernel whose uname release is older than
 * the one its ABI note names, and its fork() is a clone() with
 * CHILD_SETTID|CHILD_CLEARTID: both were out of Hartix's reach once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

static void uname_is_linux_riscv64(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	CHECK(uname(&u) == 0);
	CHECK(sscanf(u.release, "%d.%d", &major, &minor) == 2);
	CHECK(major > 4 || (major == 4 && minor >= 15));
	CHECK(strcmp(u.machine, "riscv64") == 0);
}

static void fork_wait_status(void)
{
	int status = -1;
	pid_t parent = getpid(), pid = fork();

	if (pid == 0)
		_exit(getppid() == parent ? 37 : 1);
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 37);
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
}

static void stdio_file_round_trip(void)
{
	char path[64], line[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/glibc_basics.%d", (int)getpid());
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fprintf(f, "line %d\n", 42) == 8);
	CHECK(fclose(f) == 0);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fgets(line, sizeof(line), f) && strcmp(line, "line 42\n") == 0);
	CHECK(fgets(line, sizeof(line), f) == NULL && feof(f));
	CHECK(fclose(f) == 0);
	CHECK(unlink(path) == 0);
}

static void malloc_large_and_small(void)
{
	/* Past glibc's mmap threshold, then many small blocks from brk. */
	char *big = malloc(1 << 20);
	void *small[256];
	int i, ok = 1;

	CHECK(big != NULL);
	if (big) {
		memset(big, 0x5a, 1 << 20);
		CHECK(big[0] == 0x5a && big[(1 << 20) - 1] == 0x5a);
		free(big);
	}
	for (i = 0; i < 256; i++) {
		small[i] = malloc(32 + i);
		ok &= small[i] != NULL;
		if (small[i])
			memset(small[i], i, 32 + i);
	}
	for (i = 0; i < 256; i++) {
		ok &= !small[i] || ((unsigned char *)small[i])[31 + i] == (unsigned char)i;
		free(small[i]);
	}
	CHECK(ok);
}

/*
 * As init (Hartix's runs): a signal whose default action would end it is
 * ignored, and an orphan that asked for no exit signal is reaped by a
 * plain wait, as Linux does for its init.
 */
static void init_survives_and_reaps_orphans(void)
{
	int status;
	pid_t child, orphan;

	if (getpid() != 1) {
		utest_skip("not running as init");
		return;
	}
	child = fork();
	if (child == 0) {
		/* A fork without SIGCHLD: flags 0, the same stack. */
		long g = syscall(SYS_clone, 0UL, 0UL, 0UL, 0UL, 0UL);

		if (g == 0) {
			usleep(100000);
			_exit(7);
		}
		kill(1, SIGTERM);
		_exit(g > 0 ? 0 : 1);
	}
	CHECK(child > 0);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	orphan = waitpid(-1, &status, 0);
	CHECK(orphan > 0 && orphan != child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

static const struct utest_case cases[] = {
	UTEST_CASE(uname_is_linux_riscv64),
	UTEST_CASE(fork_wait_status),
	UTEST_CASE(stdio_file_round_trip),
	UTEST_CASE(malloc_large_and_small),
	UTEST_CASE(init_survives_and_reaps_orphans),
};

int main(void)
{
	return UTEST_RUN("glibc_basics", cases);
}
