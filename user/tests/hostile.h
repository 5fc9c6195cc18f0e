/* SPDX-License-Identifier: BSD-2-Clause */
/* What the hostile tests (sysfuzz, elffuzz, exhaust) share: seeds, arguments, reaping and the after-run checks. */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <abi/sysinfo.h>

#include "utest.h"

/* The cases after a run, numbered in the order reported. */
static int hx_pass, hx_fail;

static inline int hx_result(int ok, const char *name)
{
	ktap_case(hx_pass + hx_fail + 1, ok, name, NULL);
	if (ok)
		hx_pass++;
	else
		hx_fail++;
	return ok;
}

/* xorshift64*: the whole run follows from the seed printed first. */
static inline unsigned long hx_next(unsigned long *s)
{
	unsigned long x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dUL;
}

/* A stream of its own for child n, so one child replays alone (only=n). */
static inline unsigned long hx_child_seed(unsigned long seed, unsigned long n)
{
	unsigned long s = (seed ^ 0x9e3779b97f4a7c15UL) + n * 0xbf58476d1ce4e5b9UL;

	hx_next(&s);
	return s ? s : 1;
}

/* "key=value" among the arguments, as a number; def when absent. */
static inline unsigned long hx_arg(int argc, char **argv, const char *key,
				   unsigned long def)
{
	size_t n = strlen(key);
	int i;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], key, n) && argv[i][n] == '=')
			return strtoul(argv[i] + n + 1, NULL, 0);
	return def;
}

/* The seed: seed=N, or one from getrandom() when none is given. */
static inline unsigned long hx_seed(int argc, char **argv)
{
	unsigned long seed = hx_arg(argc, argv, "seed", 0);

	if (!seed && syscall(__NR_getrandom, &seed, sizeof(seed), 0) != sizeof(seed))
		seed = now_ms();
	return seed ? seed : 1;
}

/* KiB of a /proc/meminfo field, 0 where there is none (Linux has no KernelPageTables). */
static inline unsigned long hx_meminfo_kib(const char *field)
{
	char buf[1024], *s;
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	s = strstr(buf, field);
	return s ? strtoul(s + strlen(field), 0, 10) : 0;
}

/*
 * Free memory in bytes, counting as free the kernel page tables that stay
 * once made (those of the vmalloc area a run's kernel stacks needed):
 * everything else a run takes must come back exactly.
 */
static inline unsigned long hx_free_ram(void)
{
	struct sysinfo si;

	if (syscall(__NR_sysinfo, &si))
		return 0;
	return si.freeram * si.mem_unit +
	       (hx_meminfo_kib("KernelPageTables:") << 10);
}

#define HX_PF_KTHREAD 0x00200000 /* Linux's flag for a kernel thread */

/* The flags field of /proc/<pid>/stat, from what follows "(comm)". */
static inline unsigned long hx_stat_flags(const char *s)
{
	int field;

	/* state ppid pgrp session tty_nr tpgid flags */
	for (field = 0; field < 6 && s; field++)
		s = strchr(s + 1, ' ');
	return s ? strtoul(s + 1, NULL, 10) : 0;
}

/*
 * Every process left but this one, init and the kernel's threads, as
 * "pid:state" words; the count. A fuzz run ends by killing and reaping
 * all it started, so any process here is one that survived SIGKILL or
 * was lost.
 */
static inline int hx_leftover_tasks(char *out, size_t size)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	out[0] = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[64], buf[256], *p;
		int pid = atoi(e->d_name), fd;
		ssize_t len;

		if (pid <= 1 || pid == getpid() || pid == getppid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue; /* gone since readdir */
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[len > 0 ? len : 0] = 0;
		p = strrchr(buf, ')');
		if (p && hx_stat_flags(p + 1) & HX_PF_KTHREAD)
			continue; /* the kernel's own threads stay */
		n++;
		if (strlen(out) + 16 < size)
			snprintf(out + strlen(out), size - strlen(out), " %d:%c",
				 pid, p && p[1] ? p[2] : '?');
	}
	closedir(d);
	return n;
}

/*
 * Reap children until there are none, for at most ms milliseconds; the
 * number reaped, or -1 if some were still there at the deadline (a task
 * that SIGKILL did not end).
 */
static inline int hx_reap_all(unsigned long ms)
{
	unsigned long end = now_ms() + ms;
	int n = 0;

	for (;;) {
		pid_t p = waitpid(-1, NULL, WNOHANG);

		if (p > 0) {
			n++;
			continue;
		}
		if (p < 0 && errno == ECHILD)
			return n;
		if (now_ms() > end)
			return -1;
		usleep(2000);
	}
}

/* Started by the kernel as init: pid 1, as on Linux. */
static inline int hx_is_init(void)
{
	return getpid() == 1;
}

/*
 * SIGKILL to everything this run started. As init (make test) that is
 * kill(-1): it also reaches the grandchildren a fuzzed child moved into
 * a group or session of their own. Run by hand, only the groups listed.
 */
static inline void hx_kill_all(const pid_t *groups, int n)
{
	int i;

	if (hx_is_init()) {
		kill(-1, SIGKILL);
		return;
	}
	for (i = 0; i < n; i++)
		if (groups[i] > 0)
			kill(-groups[i], SIGKILL);
}

/* Remove a directory and what is under it (what the children left in tmpfs). */
static inline void hx_rmtree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		char sub[256];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (unlink(sub))
			hx_rmtree(sub);
	}
	closedir(d);
	rmdir(path);
}

/*
 * The names in / and /tmp before a run. A child can create files outside
 * its scratch directory too ("/" and ".." are among its paths, and the
 * bytes at a pointer it passes may make a name): they are the children's
 * files, not memory the kernel lost, and go before free memory is compared.
 */
#define HX_DIR_NAMES 32
static const char *const hx_top_dirs[] = { "/", "/tmp" };
static char hx_top_names[2][HX_DIR_NAMES][64];
static int hx_top_count[2];

static inline void hx_top_snapshot(void)
{
	int k;

	for (k = 0; k < 2; k++) {
		DIR *d = opendir(hx_top_dirs[k]);
		struct dirent *e;

		hx_top_count[k] = 0;
		while (d && (e = readdir(d)) && hx_top_count[k] < HX_DIR_NAMES)
			snprintf(hx_top_names[k][hx_top_count[k]++], 64, "%s",
				 e->d_name);
		if (d)
			closedir(d);
	}
}

/* Removes what appeared in / and /tmp since hx_top_snapshot(), one name a pass. */
static inline void hx_top_clean(void)
{
	char path[300];
	int i, k, known, pass, found;

	for (k = 0; k < 2; k++) {
		for (pass = 0, found = 1; found && pass < 1000; pass++) {
			DIR *d = opendir(hx_top_dirs[k]);
			struct dirent *e;

			found = 0;
			while (d && !found && (e = readdir(d))) {
				for (i = known = 0; i < hx_top_count[k] && !known; i++)
					known = !strcmp(hx_top_names[k][i], e->d_name);
				found = !known && strcmp(e->d_name, ".") &&
					strcmp(e->d_name, "..");
				if (found)
					snprintf(path, sizeof(path), "%s/%s",
						 k ? hx_top_dirs[k] : "", e->d_name);
			}
			if (d)
				closedir(d);
			if (found && unlink(path))
				hx_rmtree(path);
		}
	}
}

/* The kernel still runs new programs: fork, exec /tests/hello_token, exit 0. */
static inline int hx_kernel_answers(void);

/*
 * Free memory before a run, measured after this process did once what it
 * does after the run (read /proc, fork and exec) and made a directory in
 * /tmp, so that its own heap, page tables and /tmp's name table have grown
 * already and only what the run leaks shows.
 */
static inline unsigned long hx_warm_up(void)
{
	char tasks[64];
	/*
	 * Its stack and heap, grown now as far as the checks after the run
	 * take them (deeper calls, nested directory streams): free memory
	 * counts the test's own pages too.
	 */
	volatile char stack[32768];
	void *heap = malloc(65536);

	memset((char *)stack, 0, sizeof(stack));
	if (heap)
		memset(heap, 0, 65536);
	free(heap);
	hx_leftover_tasks(tasks, sizeof(tasks));
	hx_kernel_answers();
	hx_top_snapshot();
	/* tmpfs keeps a directory's name table once made: /tmp's, now. */
	mkdir("/tmp/hx-warm-up", 0755);
	rmdir("/tmp/hx-warm-up");
	return hx_free_ram();
}


static inline int hx_kernel_answers(void)
{
	char *argv[] = { "hello_token", "alive", NULL };
	int status;
	pid_t p = fork();

	if (p == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execve("/tests/hello_token", argv, environ);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &status, 0) != p) {
		printf("# fork or wait failed: errno %d\n", errno);
		return 0;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		printf("# /tests/hello_token: wait status %#x\n", status);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * Free memory back at its value before the run. Freed pages may reach
 * the allocator a little after the last wait returns (a task's stack is
 * freed by the next task switched to), so look again for up to a second.
 * Prints both values; the difference in pages, 0 when exactly back.
 */
static inline long hx_memory_back(const char *what, unsigned long before)
{
	unsigned long end = now_ms() + 1000, after;

	do {
		after = hx_free_ram();
		if (after >= before)
			break;
		usleep(20000);
	} while (now_ms() < end);
	printf("# %s: free memory %lu KiB before, %lu KiB after\n", what,
	       before >> 10, after >> 10);
	return ((long)before - (long)after) / 4096;
}

/*
 * The children of a run: up to hx_parallel() at once, each in a process
 * group of its own, sent SIGKILL when it has run child_ms, and counted as
 * unkillable when still there HX_KILL_MS after that.
 */
#define HX_SLOTS 16
#define HX_KILL_MS 10000

struct hx_slot {
	pid_t pid;
	unsigned long n, start, killed;
};

struct hx_pool {
	struct hx_slot slots[HX_SLOTS];
	unsigned long child_ms;
	unsigned long started, exited, signalled, timeouts, strays, unkillable;
};

/* Two children per hart: one can block while the other runs. */
static inline int hx_parallel(void)
{
	cpu_set_t cpus;
	int n;

	if (sched_getaffinity(0, sizeof(cpus), &cpus))
		return 2;
	n = 2 * CPU_COUNT(&cpus);
	return n < HX_SLOTS ? n : HX_SLOTS;
}

static inline void hx_report_unkillable(struct hx_pool *pool, struct hx_slot *sl)
{
	char path[64], buf[256] = "";
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", sl->pid);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		ssize_t len = read(fd, buf, sizeof(buf) - 1);

		buf[len > 0 ? len : 0] = 0;
		close(fd);
	}
	printf("# unkillable: child %lu (pid %d) still there %d ms after SIGKILL: %s\n",
	       sl->n, sl->pid, HX_KILL_MS, buf);
	pool->unkillable++;
}

/* Reap what has ended, SIGKILL what ran too long; the children still live. */
static inline int hx_pool_service(struct hx_pool *pool)
{
	unsigned long now = now_ms();
	int status, live = 0, i;
	pid_t p;

	while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < HX_SLOTS && pool->slots[i].pid != p; i++)
			;
		if (i == HX_SLOTS) {
			pool->strays++; /* a grandchild init adopted */
			continue;
		}
		if (pool->slots[i].killed)
			pool->timeouts++;
		else if (WIFSIGNALED(status))
			pool->signalled++;
		else
			pool->exited++;
		pool->slots[i].pid = 0;
	}
	for (i = 0; i < HX_SLOTS; i++) {
		struct hx_slot *sl = &pool->slots[i];

		if (!sl->pid)
			continue;
		if (!sl->killed && now - sl->start > pool->child_ms) {
			kill(-sl->pid, SIGKILL);
			kill(sl->pid, SIGKILL);
			sl->killed = now;
		} else if (sl->killed && now - sl->killed > HX_KILL_MS) {
			hx_report_unkillable(pool, sl);
			sl->pid = 0;
			continue;
		}
		live++;
	}
	return live;
}

/* Like fork(): 0 in the new child (in its own group), its pid, or -1. */
static inline pid_t hx_pool_start(struct hx_pool *pool, unsigned long n)
{
	int i;
	pid_t p;

	for (i = 0; i < HX_SLOTS && pool->slots[i].pid; i++)
		;
	if (i == HX_SLOTS)
		return -1;
	p = fork();
	if (p == 0) {
		setpgid(0, 0);
		return 0;
	}
	if (p < 0)
		return -1; /* EAGAIN while strays run: try again later */
	setpgid(p, p);
	pool->slots[i] = (struct hx_slot){ .pid = p, .n = n, .start = now_ms() };
	pool->started++;
	return p;
}

/*
 * Start children for secs seconds, as many at once as hx_parallel(); child
 * (which must not return) gets each one's number. With only >= 0, child
 * number only alone, to replay it.
 */
static inline void hx_pool_run(struct hx_pool *pool, unsigned long secs,
			       long only, void (*child)(unsigned long n))
{
	unsigned long end = now_ms() + secs * 1000, n = 0;

	while (only >= 0 ? !n : now_ms() < end) {
		unsigned long k = only >= 0 ? (unsigned long)only : n;
		pid_t p = -1;

		if (hx_pool_service(pool) < hx_parallel())
			p = hx_pool_start(pool, k);
		if (p == 0)
			child(k);
		if (p > 0)
			n++;
		else
			usleep(1000);
	}
}

/* The cases hx_pool_end() reports. */
#define HX_RESULTS 5

/*
 * The end of a run: wait for the children (killing the slow), SIGKILL and
 * reap everything else, then the checks: every child ended, none survived
 * SIGKILL, no task left, programs still run, memory back (after removing
 * dir, the run's scratch directory). The exit status for main().
 */
static inline int hx_pool_end(struct hx_pool *pool, const char *suite,
			      const char *dir, unsigned long before)
{
	pid_t groups[HX_SLOTS];
	char tasks[256];
	int i, reaped, left;
	long lost;

	while (hx_pool_service(pool))
		usleep(2000);
	for (i = 0; i < HX_SLOTS; i++)
		groups[i] = pool->slots[i].pid;
	hx_kill_all(groups, HX_SLOTS);
	reaped = hx_reap_all(HX_KILL_MS);
	if (reaped > 0)
		pool->strays += reaped;
	printf("# %lu children: %lu exited, %lu killed by a signal, %lu past %lu ms "
	       "and sent SIGKILL; %lu adopted grandchildren reaped\n",
	       pool->started, pool->exited, pool->signalled, pool->timeouts,
	       pool->child_ms, pool->strays);
	hx_result(pool->started > 0 && pool->exited + pool->signalled +
		  pool->timeouts == pool->started - pool->unkillable,
		  "every_child_ended");
	hx_result(!pool->unkillable, "sigkill_ends_every_child");
	left = hx_leftover_tasks(tasks, sizeof(tasks));
	if (left)
		printf("# left in /proc:%s\n", tasks);
	hx_result(reaped >= 0 && left == 0, "no_task_left");
	hx_result(hx_kernel_answers(), "kernel_still_runs_programs");
	hx_rmtree(dir);
	hx_top_clean();
	lost = hx_memory_back(suite, before);
	if (lost)
		printf("# %ld pages not back\n", lost);
	hx_result(lost <= 0, "memory_back");
	return ktap_end(suite, hx_pass, hx_fail, 0);
}

#endif
