/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exhaust: run the system out of processes, memory, descriptors, pipes and tmpfs space, and back.
 *
 * Each case exhausts one resource with forked children on every hart at
 * once, checks the error Linux gives (EAGAIN, the OOM kill or ENOMEM,
 * EMFILE, ENOSPC), ends and reaps everything, and then checks what every
 * hostile run checks (hostile.h): no task left, the kernel still runs a
 * program, free memory back at its value before the case. And one
 * munmap() of a huge empty range, which once stalled a hart for minutes.
 *
 * Usage: exhaust (no arguments; the cases are deterministic)
 * utest: smp=1,4 timeout=180
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "hostile.h"

#define DIR_ "/tmp/exhaust"
/* Each child says what stopped it: one byte, an errno value. */
static int report[2];

/* After a run: nothing left, programs run. */
static void after(const char *what)
{
	char tasks[256], name[96];
	int left;

	snprintf(name, sizeof(name), "%s: every task reaped", what);
	check(hx_reap_all(HX_KILL_MS) >= 0, name);
	left = hx_leftover_tasks(tasks, sizeof(tasks));
	if (left)
		printf("# left in /proc:%s\n", tasks);
	snprintf(name, sizeof(name), "%s: no task left", what);
	check(left == 0, name);
	snprintf(name, sizeof(name), "%s: programs still run", what);
	check(hx_kernel_answers(), name);
}

/*
 * A case runs twice. Free memory must be back after each run; after the
 * first it may not be while caches keep what the run made them grow (the
 * slab's empty pages), so the second run tells a leak from a cache: it
 * starts with the caches grown and must end exactly where it started.
 */
static void twice(void (*run)(void), const char *what)
{
	char name[96];
	unsigned long before = hx_free_ram();
	long first, second;

	run();
	first = hx_memory_back(what, before);
	before = hx_free_ram();
	run();
	second = hx_memory_back(what, before);
	if (first > 0)
		printf("# %s: %ld pages not back after the first run, %ld after the second\n",
		       what, first, second);
	snprintf(name, sizeof(name), "%s: memory back", what);
	check(first <= 0, name);
	snprintf(name, sizeof(name), "%s: memory back after a second run (no leak)", what);
	check(second <= 0, name);
}

/* n children, each in the group of the first; child(i) must not return. */
static pid_t spawn(int n, void (*child)(int i))
{
	pid_t group = 0;
	int i;

	pipe(report);
	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			setpgid(0, group);
			close(report[0]);
			child(i);
		}
		if (p > 0) {
			if (!group)
				group = p;
			setpgid(p, group);
		}
	}
	close(report[1]);
	return group;
}

/*
 * SIGKILL to a spawn()ed group. None when every fork failed: group 0
 * would make it kill(0), our own group, us included (as init, the run).
 */
static void kill_group(pid_t group)
{
	if (group > 0)
		kill(-group, SIGKILL);
}

static void say(int err)
{
	char c = (char)err;

	write(report[1], &c, 1);
}

#define E(err) (1UL << (err))

/* Up to n reports (one per child) within ms; how many were in errs (E() bits). */
static int collect(int n, unsigned long errs, unsigned long ms)
{
	unsigned long end = now_ms() + ms;
	int got = 0, match = 0;

	fcntl(report[0], F_SETFL, O_NONBLOCK);
	while (got < n && now_ms() < end) {
		char c;

		if (read(report[0], &c, 1) == 1) {
			got++;
			if (c > 0 && c < 64 && (errs & E(c)))
				match++;
			else
				printf("# a child stopped with errno %d\n", c);
		} else {
			usleep(5000);
		}
	}
	close(report[0]);
	return match;
}

/* Fork until EAGAIN, every process of the tree, then wait to be killed. */
static void bomb(int i)
{
	int told = 0;

	(void)i;
	for (;;) {
		pid_t p = fork();

		if (p < 0 && !told) {
			say(errno);
			told = 1;
		}
		if (p < 0)
			pause();
	}
}

static void fork_bomb_run(void)
{
	int n = hx_parallel();
	pid_t group;

	group = spawn(n, bomb);
	check(collect(1, E(EAGAIN), 30000) == 1, "fork bomb: fork fails with EAGAIN");
	kill_group(group);
	if (hx_is_init())
		kill(-1, SIGKILL); /* also what the dead bombers' children forked */
	after("fork bomb");
}

/* Touch fresh memory until stopped. */
static void hog(int i)
{
	(void)i;
	for (;;) {
		char *p = mmap(0, 1 << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned long k;

		if (p == MAP_FAILED) {
			say(errno);
			pause();
		}
		for (k = 0; k < (1 << 20); k += 4096)
			p[k] = 1;
	}
}

/*
 * One hog per hart: the OOM killer (or ENOMEM from mmap) stops them. A
 * hog told ENOMEM waits; the others may still be running into the wall,
 * so the case waits for each to report or die, then kills the rest.
 */
static void memory_hogs_run(void)
{
	int n = hx_parallel() / 2, status, ended = 0, oom = 0, other = 0;
	unsigned long end = now_ms() + 60000;
	pid_t group, p;

	group = spawn(n, hog);
	fcntl(report[0], F_SETFL, O_NONBLOCK);
	while (ended < n && now_ms() < end) {
		char c;

		if (read(report[0], &c, 1) == 1) {
			ended++;
			if (c != ENOMEM) {
				printf("# a hog stopped with errno %d\n", c);
				other++;
			}
			continue;
		}
		p = waitpid(-1, &status, WNOHANG);
		if (p > 0) {
			ended++;
			oom += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
			if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
				printf("# a hog ended with wait status %#x\n", status);
				other++;
			}
		} else {
			usleep(5000);
		}
	}
	close(report[0]);
	printf("# %d hogs, %d killed by SIGKILL (the OOM killer)\n", n, oom);
	/* Linux's answer: the OOM killer's SIGKILL, not a fault's SIGSEGV. */
	check(ended >= n && !other, "memory hogs: each stopped by ENOMEM or SIGKILL");
	kill_group(group);
	after("memory hogs");
}

/* Descriptors until EMFILE, then exit holding them all. */
static void fd_hog(int i)
{
	(void)i;
	for (;;) {
		if (open("/dev/null", O_RDONLY) < 0) {
			say(errno);
			_exit(0);
		}
	}
}

static void fd_exhaustion_run(void)
{
	int n = hx_parallel(), fd;

	spawn(n, fd_hog);
	check(collect(n, E(EMFILE), 30000) == n, "descriptors: open fails with EMFILE");
	fd = open("/dev/null", O_RDONLY);
	check(fd >= 0, "descriptors: this process can still open");
	close(fd);
	after("descriptors");
}

/* Pipes until they run out, each filled until EAGAIN; exit holding them. */
static void pipe_hog(int i)
{
	static char buf[4096];
	int p[2];

	(void)i;
	for (;;) {
		if (pipe2(p, O_NONBLOCK)) {
			say(errno);
			_exit(0);
		}
		while (write(p[1], buf, sizeof(buf)) > 0)
			;
		if (errno != EAGAIN) {
			say(errno);
			_exit(0);
		}
	}
}

static void pipe_exhaustion_run(void)
{
	int n = hx_parallel();

	spawn(n, pipe_hog);
	/*
	 * Full pipes on every hart hold more than the RAM there is: EMFILE,
	 * or ENOMEM when memory runs out first (Linux caps a user's pipe
	 * pages instead; then pipe2 runs into EMFILE).
	 */
	check(collect(n, E(EMFILE) | E(ENOMEM), 60000) == n,
	      "pipes: pipe2 fails with EMFILE or ENOMEM");
	after("pipes");
}

/* A file of its own in tmpfs, written until ENOSPC. */
static void tmpfs_hog(int i)
{
	static char buf[16384];
	char path[64];
	int fd;

	snprintf(path, sizeof(path), DIR_ "/f%d", i);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		say(errno);
		_exit(0);
	}
	memset(buf, i, sizeof(buf));
	while (write(fd, buf, sizeof(buf)) > 0)
		;
	say(errno);
	_exit(0);
}

static void tmpfs_exhaustion_run(void)
{
	int n = hx_parallel();
	pid_t group;

	mkdir(DIR_, 0755);
	group = spawn(n, tmpfs_hog);
	check(collect(n, E(ENOSPC), 60000) == n, "tmpfs: every writer gets ENOSPC");
	kill_group(group); /* writers that never got there */
	hx_rmtree(DIR_);
	after("tmpfs");
}

static void fork_bomb(void)
{
	twice(fork_bomb_run, "fork bomb");
}

static void memory_hogs(void)
{
	twice(memory_hogs_run, "memory hogs");
}

static void fd_exhaustion(void)
{
	twice(fd_exhaustion_run, "descriptors");
}

static void pipe_exhaustion(void)
{
	twice(pipe_exhaustion_run, "pipes");
}

static void tmpfs_exhaustion(void)
{
	twice(tmpfs_exhaustion_run, "tmpfs");
}

/* Forks children that pause, with a big address space so each fork is long. */
static void slow_forker(int i)
{
	size_t size = 8 << 20, k;
	char *p = mmap(0, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)i;
	if (p != MAP_FAILED)
		for (k = 0; k < size; k += 4096)
			p[k] = 1;
	for (;;) {
		pid_t c = fork();

		if (c <= 0)
			for (;;)
				pause();
	}
}

/*
 * SIGKILL to a group whose members are in the middle of fork(): a child
 * forked while the kill walked the tasks gets it too (Linux restarts the
 * fork after the signal), so nothing of the group is left. It once was:
 * each fork bomb run left live bombers nobody had killed, with their
 * zombie children never reaped.
 */
static void fork_kill_race(void)
{
	int round, left = 0, n = hx_parallel();

	for (round = 0; round < 20 && !left; round++) {
		unsigned long end;
		pid_t group = spawn(n, slow_forker);

		if (group <= 0)
			break;
		usleep(20000 + round * 5000);
		kill(-group, SIGKILL);
		/* The orphans' zombies go to init: as init, reap them here. */
		end = now_ms() + HX_KILL_MS;
		while ((left = kill(-group, 0) == 0) && now_ms() < end) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			usleep(5000);
		}
		if (left) {
			char tasks[256];

			hx_leftover_tasks(tasks, sizeof(tasks));
			printf("# round %d: group %d still there after SIGKILL; in /proc:%s\n",
			       round, group, tasks);
		}
		kill(-group, SIGKILL);
		close(report[0]);
	}
	check(round > 0 && !left, "fork during a group kill: every child killed");
	after("fork during a group kill");
}

/*
 * munmap() of 64 GiB where nothing is mapped: nothing to do, and it must
 * not cost a TLB flush per page (the run's check for a soft lockup "BUG:"
 * line catches it: it once took minutes with the address space's lock held).
 */
static void huge_munmap(void)
{
	check(munmap((void *)(1UL << 32), 1UL << 36) == 0,
	      "munmap of 64 GiB where nothing is mapped");
	check(hx_kernel_answers(), "huge munmap: programs still run");
}

static const struct utest_case cases[] = {
	UTEST_CASE(huge_munmap),
	UTEST_CASE(fork_bomb),
	UTEST_CASE(fork_kill_race),
	UTEST_CASE(memory_hogs),
	UTEST_CASE(fd_exhaustion),
	UTEST_CASE(pipe_exhaustion),
	UTEST_CASE(tmpfs_exhaustion),
};

int main(void)
{
	hx_warm_up();
	return UTEST_RUN("exhaust", cases);
}
