/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /proc checked against what this test did: children that spin, touch
 * pages, sleep and exit; memory, CPU and interrupt counters; read-only
 * errors; and the output of ps, free and top. Usage: proc_fs_test [token]
 * utest: smp=1,4 args="{token}" expect="proc_fs_test: cpus {smp}|  PID TTY          TIME CMD|%Cpu{lastcpu}  :"
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

#include "../apps/procutil.h"

#define TOUCH_PAGES 256
#define PAGE 4096UL

/* Shared with the children: the step each one has reached. */
static volatile int *step;

static void wait_step(int want)
{
	while (*step < want)
		usleep(5000);
}

static char *read_pid_file(int pid, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	return proc_read_file(path, NULL);
}

static long long status_field(int pid, const char *key)
{
	char *text = read_pid_file(pid, "status");
	long long v = text ? proc_field(text, key) : -1;

	free(text);
	return v;
}

/* Own stat and status: pid, comm, state, ppid. */
static void self_files(void)
{
	struct proc_stat st;
	char *status = proc_read_file("/proc/self/status", NULL);
	char want[64];

	check(!proc_read_stat(getpid(), &st) && st.pid == getpid() &&
	      !strcmp(st.comm, "proc_fs_test") && st.state == 'R' &&
	      st.ppid == getppid() && st.num_threads == 1,
	      "/proc/<pid>/stat: own pid, comm, state R, ppid, 1 thread");
	snprintf(want, sizeof(want), "\nPid:\t%d\n", getpid());
	check(status && !strncmp(status, "Name:\tproc_fs_test\n", 19) &&
	      strstr(status, "State:\tR (running)\n") && strstr(status, want) &&
	      proc_field(status, "PPid") == getppid() &&
	      proc_field(status, "VmRSS") > 0,
	      "/proc/self/status: Name, State, Pid, PPid, VmRSS");
	free(status);
}

/* A child spins for 300 ms, then sleeps: utime and states. */
static void spinner(void)
{
	struct proc_stat st, self;
	unsigned long t0;
	pid_t pid;
	int status;

	proc_read_stat(getpid(), &self);
	*step = 0;
	pid = fork();
	if (pid == 0) {
		volatile unsigned long x = 0;
		int i;

		/* The clock is a system call: look at it only now and then. */
		for (t0 = now_ms(); now_ms() - t0 < 300;)
			for (i = 0; i < 100000; i++)
				x++;
		*step = 1;
		for (;;)
			usleep(100000);
	}
	wait_step(1);
	usleep(50000);
	check(!proc_read_stat(pid, &st) && st.ppid == getpid() &&
	      st.pgrp == self.pgrp && st.session == self.session && !strcmp(st.comm, "proc_fs_test"),
	      "child's stat: ppid, pgrp, comm");
	printf("spinner: utime %lu stime %lu\n", st.utime, st.stime);
	/* 300 ms of CPU, mostly in user mode: about 30 ticks of 1/100 s. */
	check(st.utime >= 10 && st.utime + st.stime <= 100,
	      "spinner: utime between 0.1 s and its 1 s bound");
	check(st.state == 'S', "spinner sleeping: state S");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* A child maps and touches TOUCH_PAGES pages: VmRSS, minflt, maps, MemFree. */
static void toucher(void)
{
	static char line[128];
	long long rss0, rss1, free0, free1, free2;
	struct proc_stat st0, st1;
	char *maps, *mem;
	unsigned long addr;
	pid_t pid;
	int status, i;

	*step = 0;
	pid = fork();
	if (pid == 0) {
		char *p = mmap(NULL, TOUCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		*(volatile unsigned long *)(step + 2) = (unsigned long)p;
		*step = 1;
		wait_step(2);
		for (i = 0; i < TOUCH_PAGES; i++)
			p[i * PAGE] = 1;
		*step = 3;
		wait_step(4);
		munmap(p, TOUCH_PAGES * PAGE);
		*step = 5;
		for (;;)
			usleep(100000);
	}
	wait_step(1);
	addr = *(volatile unsigned long *)(step + 2);
	mem = proc_read_file("/proc/meminfo", NULL);
	free0 = mem ? proc_field(mem, "MemFree") : -1;
	free(mem);
	rss0 = status_field(pid, "VmRSS");
	proc_read_stat(pid, &st0);
	*step = 2;
	wait_step(3);
	rss1 = status_field(pid, "VmRSS");
	proc_read_stat(pid, &st1);
	mem = proc_read_file("/proc/meminfo", NULL);
	free1 = mem ? proc_field(mem, "MemFree") : -1;
	free(mem);
	printf("toucher: VmRSS %lld -> %lld kB, minflt %lu -> %lu, MemFree %lld -> %lld kB\n",
	       rss0, rss1, st0.minflt, st1.minflt, free0, free1);
	check(rss1 - rss0 >= TOUCH_PAGES * 4 && rss1 - rss0 <= TOUCH_PAGES * 4 + 64,
	      "VmRSS grew by the pages touched (+ at most 16 more)");
	check(st1.minflt - st0.minflt >= TOUCH_PAGES &&
	      st1.rss - st0.rss >= TOUCH_PAGES,
	      "stat: minflt and rss grew by at least the pages touched");
	check(free0 - free1 >= TOUCH_PAGES * 4 - 64,
	      "MemFree dropped by about the pages touched");
	snprintf(line, sizeof(line), "%08lx-%08lx rw-p 00000000 00:00 0 \n",
		 addr, addr + TOUCH_PAGES * PAGE);
	maps = read_pid_file(pid, "maps");
	check(maps && strstr(maps, line) && strstr(maps, "[stack]\n"),
	      "maps: the mmap's line with rw-p, and [stack]");
	free(maps);
	*step = 4;
	wait_step(5);
	mem = proc_read_file("/proc/meminfo", NULL);
	free2 = mem ? proc_field(mem, "MemFree") : -1;
	free(mem);
	printf("toucher: after munmap MemFree %lld kB\n", free2);
	check(free2 - free1 >= TOUCH_PAGES * 4 - 64 && status_field(pid, "VmRSS") <= rss0 + 8,
	      "munmap: MemFree and VmRSS come back");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* A zombie, then a reaped pid: Z, ENOENT, and files opened before still read. */
static void exited(void)
{
	struct proc_stat st;
	char path[64], buf[256];
	int fd, dirfd, status;
	long n;
	pid_t pid = fork();

	if (pid == 0)
		_exit(3);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d", pid);
	dirfd = open(path, O_RDONLY | O_DIRECTORY);
	usleep(100000);
	check(!proc_read_stat(pid, &st) && st.state == 'Z' &&
	      status_field(pid, "VmSize") == -1,
	      "an exited child is Z, without Vm lines, until reaped");
	waitpid(pid, &status, 0);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	errno = 0;
	check(open(path, O_RDONLY) < 0 && errno == ENOENT,
	      "a reaped pid: ENOENT");
	errno = 0;
	check(dirfd >= 0 && openat(dirfd, "status", O_RDONLY) < 0 &&
	      errno == ENOENT, "its directory, opened before: ENOENT inside");
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (n > 0)
		buf[n] = '\0';
	check(n > 0 && atoi(buf) == pid, "a file opened before the exit still reads");
	close(fd);
	close(dirfd);
}

static int has_pid_entry(int pid)
{
	static int pids[1024];
	int n = proc_list_pids(pids, 1024), i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return 1;
	return 0;
}

struct kstat {
	unsigned long st_dev, st_ino;
	unsigned int st_mode, st_nlink, st_uid, st_gid;
	unsigned long st_rdev, pad1;
	long st_size;
	int st_blksize, pad2;
	long st_blocks, times[6];
	unsigned int unused[2];
};

/* Errors and the shape of the tree. */
static void tree(void)
{
	struct kstat ks;
	char buf[64];
	int fd;

	check(has_pid_entry(getpid()), "getdents64 of /proc lists our pid");
	errno = 0;
	check(open("/proc/meminfo", O_WRONLY) < 0 && errno == EACCES &&
	      open("/proc/self/stat", O_RDWR) < 0 && errno == EACCES,
	      "open for writing: EACCES");
	errno = 0;
	check(open("/proc/newfile", O_CREAT | O_WRONLY, 0644) < 0 &&
	      errno == EACCES, "creating in /proc: EACCES");
	errno = 0;
	check(open("/proc/999999/stat", O_RDONLY) < 0 && errno == ENOENT,
	      "a pid that is not there: ENOENT");
	errno = 0;
	check(open("/proc/self/nosuch", O_RDONLY) < 0 && errno == ENOENT,
	      "a file that is not there: ENOENT");
	fd = open("/proc/uptime", O_RDONLY);
	check(fd >= 0 && !syscall(SYS_fstat, fd, &ks) &&
	      (ks.st_mode & 0170777) == 0100444 && read(fd, buf, 4) == 4 &&
	      lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf + 4, 4) == 4 &&
	      !memcmp(buf, buf + 4, 4), "fstat: a 0444 regular file; lseek rereads");
	close(fd);
	fd = open("/proc/self", O_RDONLY | O_DIRECTORY);
	check(fd >= 0 && !syscall(SYS_fstat, fd, &ks) &&
	      (ks.st_mode & 0170000) == 0040000, "/proc/self is a directory");
	close(fd);
}

static int count_lines(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *l = text;
	int count = 0;

	while (l && *l) {
		count += !strncmp(l, prefix, n);
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return count;
}

/* /proc/stat, cpuinfo, interrupts and uptime. */
static int system_files(void)
{
	static struct cpu_times a[65], b[65];
	char *cpuinfo = proc_read_file("/proc/cpuinfo", NULL);
	char *irqs = proc_read_file("/proc/interrupts", NULL);
	char *stat1 = proc_read_file("/proc/stat", NULL), *stat2, *u1, *u2, *l;
	int ncpu = proc_read_cpu_times(a, 65), i, ok;
	unsigned long long sum = 0, up1, up2;
	long long ctxt1, ctxt2;

	u1 = proc_read_file("/proc/uptime", NULL);
	for (i = 0; i < 20; i++)
		usleep(10000);
	u2 = proc_read_file("/proc/uptime", NULL);
	stat2 = proc_read_file("/proc/stat", NULL);
	proc_read_cpu_times(b, 65);
	/* "ctxt 123": no colon for proc_field(). */
	ctxt1 = stat1 && (l = strstr(stat1, "\nctxt ")) ? atol(l + 6) : -1;
	ctxt2 = stat2 && (l = strstr(stat2, "\nctxt ")) ? atol(l + 6) : -1;
	printf("proc_fs_test: cpus %d\n", ncpu);
	check(ncpu >= 1 && cpuinfo && count_lines(cpuinfo, "processor\t: ") == ncpu &&
	      count_lines(cpuinfo, "isa\t\t: rv64") == ncpu &&
	      count_lines(cpuinfo, "mmu\t\t: sv") == ncpu,
	      "cpuinfo: one processor/isa/mmu block per cpuN line of /proc/stat");
	for (i = 1; i <= ncpu; i++)
		sum += cpu_total(&b[i]);
	check(cpu_total(&b[0]) <= sum + 2 * ncpu && sum <= cpu_total(&b[0]) + 2 * ncpu &&
	      cpu_total(&b[0]) > cpu_total(&a[0]),
	      "stat: the cpu line is the sum of the cpuN lines, and grows");
	check(ctxt1 > 0 && ctxt2 > ctxt1, "stat: ctxt grows across sleeps");
	up1 = u1 ? strtoull(u1, NULL, 10) * 100 + strtoull(strchr(u1, '.') + 1, NULL, 10) : 0;
	up2 = u2 ? strtoull(u2, NULL, 10) * 100 + strtoull(strchr(u2, '.') + 1, NULL, 10) : 0;
	check(up2 >= up1 + 15 && up2 <= up1 + 200, "uptime grew by the 0.2 s slept");
	ok = irqs && strstr(irqs, "CPU0") && strstr(irqs, "riscv-timer\n") &&
	     strstr(irqs, "ttyS0\n") && strstr(irqs, "IPI0:");
	for (l = irqs ? strstr(irqs, "riscv-timer") : NULL; l && l > irqs && l[-1] != '\n';)
		l--;
	check(ok && l && strtoull(strchr(l, ':') + 1, NULL, 10) > 0,
	      "interrupts: the timer (counting), ttyS0 and IPI lines");
	/* For the log. */
	printf("%s%s", irqs ? irqs : "", cpuinfo ? cpuinfo : "");
	free(cpuinfo);
	free(irqs);
	free(stat1);
	free(stat2);
	free(u1);
	free(u2);
	return ncpu;
}

/* Runs a program with its output in a file; returns the output (malloc'd). */
static char *run(char *const argv[])
{
	int fd, status;
	pid_t pid = fork();

	if (pid == 0) {
		fd = open("/tmp/proc_fs_test.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		close(fd);
		execve(argv[0], argv, NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return NULL;
	return proc_read_file("/tmp/proc_fs_test.out", NULL);
}

static void tools(int ncpu)
{
	static char *ps_argv[] = { "/bin/ps", NULL };
	static char *free_argv[] = { "/usr/bin/free", NULL };
	static char *freem_argv[] = { "/usr/bin/free", "-m", NULL };
	static char *top_argv[] = { "/usr/bin/top", "-b", "-n", "1", "-d", "0.5", NULL };
	char *out, *mem = proc_read_file("/proc/meminfo", NULL), want[64], *l;
	long long total = mem ? proc_field(mem, "MemTotal") : -1;

	out = run(ps_argv);
	snprintf(want, sizeof(want), "\n%5d ?        00:00:", getpid());
	check(out && !strncmp(out, "  PID TTY          TIME CMD\n", 28) &&
	      (l = strstr(out, want)) && !strncmp(strchr(l + 1, '\n') - 12, "proc_fs_test", 12),
	      "ps: lists this test with its pid and name");
	if (out)
		printf("%s", out);
	free(out);
	out = run(free_argv);
	snprintf(want, sizeof(want), "\nMem:    %12lld", total);
	check(out && strstr(out, want), "free: Mem total is MemTotal");
	if (out)
		printf("%s", out);
	free(out);
	out = run(freem_argv);
	snprintf(want, sizeof(want), "\nMem:    %12lld", total / 1024);
	check(out && strstr(out, want), "free -m: in MiB");
	free(out);
	out = run(top_argv);
	snprintf(want, sizeof(want), "%%Cpu%-3d:", ncpu - 1);
	check(out && strstr(out, "\nTasks: ") && strstr(out, want) &&
	      strstr(out, " top\n") && strstr(out, " proc_fs_test\n"),
	      "top -b -n 1: a line per hart, itself and this test");
	if (out)
		printf("%s", out);
	free(out);
	free(mem);
}

static void system_files_and_tools(void)
{
	tools(system_files());
}

static const struct utest_case cases[] = {
	UTEST_CASE(self_files),
	UTEST_CASE(spinner),
	UTEST_CASE(toucher),
	UTEST_CASE(exited),
	UTEST_CASE(tree),
	UTEST_CASE(system_files_and_tools),
};

int main(int argc, char **argv)
{
	printf("# proc_fs_test: token %s\n", argc > 1 ? argv[1] : "none");
	step = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
	if (step == MAP_FAILED) {
		printf("proc_fs_test: no shared page\n");
		return 1;
	}
	return UTEST_RUN("proc_fs_test", cases);
}
