/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libc_selftest: exercises the user library and the system calls under it
 * (memory, processes, time, identity). TAP output like the host tests:
 * "ok N name" or "not ok N name" per case, "# ..." diagnostics, the plan
 * "1..N" at the end; exit status 0 only if every case passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ncase, nfail, case_failed;

#define CHECK(cond)                                                         \
	do {                                                                \
		if (!(cond)) {                                              \
			printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			case_failed = 1;                                    \
		}                                                           \
	} while (0)

static void run(const char *name, void (*fn)(void))
{
	case_failed = 0;
	fn();
	ncase++;
	nfail += case_failed;
	printf("%s %d %s\n", case_failed ? "not ok" : "ok", ncase, name);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void test_strings(void)
{
	char buf[64], *p, *save;
	int v[] = { 5, -3, 9, 0, 2 };

	strcpy(buf, "alpha");
	strcat(buf, ",beta");
	CHECK(!strcmp(buf, "alpha,beta"));
	p = strdup(buf);
	CHECK(p && !strcmp(p, buf));
	CHECK(!strcmp(strtok_r(p, ",", &save), "alpha"));
	CHECK(!strcmp(strtok_r(NULL, ",", &save), "beta"));
	CHECK(strtok_r(NULL, ",", &save) == NULL);
	free(p);
	CHECK(strtol("-0x1f", NULL, 0) == -31);
	CHECK(strtoul("777", NULL, 8) == 511);
	CHECK(atoi("  42xyz") == 42);
	errno = 0;
	CHECK(strtol("99999999999999999999", NULL, 10) == 0x7fffffffffffffffL &&
	      errno == ERANGE);
	CHECK(!strcmp(strerror(ENOENT), "No such file or directory"));
	qsort(v, 5, sizeof(v[0]), cmp_int);
	CHECK(v[0] == -3 && v[1] == 0 && v[2] == 2 && v[3] == 5 && v[4] == 9);
}

static void test_snprintf(void)
{
	char buf[64];
	char *big;
	int n;

	n = snprintf(buf, sizeof(buf), "%d|%5s|%-3x|%lu|%c", -12, "ab", 0xa,
		     18446744073709551615UL, 'z');
	CHECK(!strcmp(buf, "-12|   ab|a  |18446744073709551615|z"));
	CHECK(n == (int)strlen(buf));
	n = snprintf(buf, 4, "%s", "truncated");
	CHECK(n == 9 && !strcmp(buf, "tru"));
	/* Longer than printf's stack buffer: goes through malloc. */
	big = malloc(1001);
	CHECK(big != NULL);
	if (big) {
		memset(big, 'x', 1000);
		big[1000] = '\0';
		CHECK(dprintf(1, "# %s\n", big) == 1003);
		free(big);
	}
}

static void test_malloc(void)
{
	void *p[200];
	size_t i, j;
	char *q;

	for (i = 0; i < 200; i++) {
		p[i] = malloc(i * 37 + 1);
		CHECK(p[i] != NULL && ((uintptr_t)p[i] & 15) == 0);
		if (p[i])
			memset(p[i], (int)i, i * 37 + 1);
	}
	for (i = 0; i < 200; i++) {
		for (j = 0; p[i] && j < i * 37 + 1; j++)
			if (((unsigned char *)p[i])[j] != (unsigned char)i)
				break;
		CHECK(j == i * 37 + 1);
	}
	for (i = 0; i < 200; i += 2)
		free(p[i]);
	for (i = 1; i < 200; i += 2)
		free(p[i]);

	q = malloc(10);
	CHECK(q != NULL);
	strcpy(q, "realloc");
	q = realloc(q, 5000);
	CHECK(q && !strcmp(q, "realloc"));
	free(q);

	q = calloc(1000, 8);
	CHECK(q != NULL);
	for (i = 0; q && i < 8000; i++)
		if (q[i])
			break;
	CHECK(i == 8000);
	free(q);

	/* A large block: its own mapping. */
	q = malloc(1 << 20);
	CHECK(q != NULL);
	if (q) {
		memset(q, 0x5a, 1 << 20);
		CHECK(q[0] == 0x5a && q[(1 << 20) - 1] == 0x5a);
	}
	free(q);
	CHECK(malloc((size_t)-1) == NULL && errno == ENOMEM);
}

static void test_brk(void)
{
	char *a = sbrk(0), *b;

	CHECK(a != (char *)-1 && a != NULL);
	b = sbrk(8192);
	CHECK(b == a);
	if (b != (char *)-1) {
		b[0] = 1;
		b[8191] = 2;
		CHECK(sbrk(0) == a + 8192);
		CHECK(sbrk(-8192) == a + 8192);
		CHECK(sbrk(0) == a);
	}
}

static void test_mmap(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED && ((uintptr_t)p & 4095) == 0);
	if (p == MAP_FAILED)
		return;
	CHECK(p[0] == 0 && p[3 * 4096 - 1] == 0);
	p[0] = 'a';
	p[3 * 4096 - 1] = 'z';
	CHECK(mprotect(p, 4096, PROT_READ) == 0);
	CHECK(p[0] == 'a');
	CHECK(munmap(p + 1, 4096) == -1 && errno == EINVAL);
	CHECK(munmap(p, 3 * 4096) == 0);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED &&
	      errno == EBADF);
}

static void test_ids(void)
{
	CHECK(getpid() > 0);
	CHECK(getppid() >= 0);
	CHECK(gettid() == getpid());
	CHECK(getpid() == getpid());
}

static void test_fork_wait(void)
{
	pid_t parent = getpid(), child;
	int status = -1;

	child = fork();
	CHECK(child >= 0);
	if (child == 0)
		_exit(getppid() == parent ? 7 : 8);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	CHECK(waitpid(-1, &status, 0) == -1 && errno == ECHILD);
}

static void test_fork_kill(void)
{
	int status = -1;
	pid_t child = fork();

	CHECK(child >= 0);
	if (child == 0) {
		for (;;)
			sched_yield();
	}
	CHECK(kill(child, SIGTERM) == 0);
	CHECK(wait(&status) == child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CHECK(kill(child, 0) == -1 && errno == ESRCH);
}

static long ns_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

static void test_time(void)
{
	struct timespec t0, t1, req = { 0, 20 * 1000000L };

	CHECK(clock_gettime(CLOCK_MONOTONIC, &t0) == 0);
	CHECK(t0.tv_nsec >= 0 && t0.tv_nsec < 1000000000L);
	CHECK(nanosleep(&req, NULL) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0);
	CHECK(ns_between(&t0, &t1) >= 20 * 1000000L);
	printf("# slept %ld us for 20000\n", ns_between(&t0, &t1) / 1000);
	CHECK(clock_gettime(CLOCK_REALTIME, &t0) == 0);
	CHECK(clock_gettime(12345, &t0) == -1 && errno == EINVAL);
	req.tv_nsec = 1000000000L;
	CHECK(nanosleep(&req, NULL) == -1 && errno == EINVAL);
	CHECK(sched_yield() == 0);
}

static void test_uname(void)
{
	struct utsname u;

	memset(&u, 0xff, sizeof(u));
	CHECK(uname(&u) == 0);
	CHECK(u.sysname[0] && memchr(u.sysname, 0, sizeof(u.sysname)));
	CHECK(memchr(u.machine, 0, sizeof(u.machine)) != NULL);
	printf("# uname: %s %s %s\n", u.sysname, u.release, u.machine);
}

static void test_getrandom(void)
{
	unsigned char a[32] = { 0 }, b[32] = { 0 };

	CHECK(getrandom(a, sizeof(a), 0) == sizeof(a));
	CHECK(getrandom(b, sizeof(b), 0) == sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
}

static void test_exec_open_missing(void)
{
	char *argv[] = { "nonexistent", NULL };

	CHECK(execve("/nonexistent", argv, environ) == -1 && errno == ENOENT);
	CHECK(open("/nonexistent", O_RDONLY) == -1 && errno == ENOENT);
}

static int argc_seen;
static char **argv_seen;

static void test_startup(void)
{
	CHECK(argc_seen >= 1 && argv_seen[argc_seen] == NULL);
	CHECK(environ != NULL);
	CHECK(getauxval(AT_PAGESZ) == 4096);
	CHECK(getauxval(AT_ENTRY) == 0x10000);
}

int main(int argc, char **argv)
{
	argc_seen = argc;
	argv_seen = argv;
	run("startup_argv_envp_auxv", test_startup);
	run("strings", test_strings);
	run("snprintf", test_snprintf);
	run("malloc", test_malloc);
	run("brk", test_brk);
	run("mmap", test_mmap);
	run("ids", test_ids);
	run("fork_wait", test_fork_wait);
	run("fork_kill", test_fork_kill);
	run("time", test_time);
	run("uname", test_uname);
	run("getrandom", test_getrandom);
	run("exec_open_missing", test_exec_open_missing);
	printf("1..%d\n", ncase);
	return nfail ? 1 : 0;
}
