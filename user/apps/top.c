/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * top: per-hart and per-process CPU use from /proc/stat and /proc/<pid>/stat
 * deltas, memory from /proc/meminfo; -b batch, -n frames, -d seconds, q quits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "procutil.h"

#define MAX_PIDS 1024
#define MAX_CPUS 64
#define SCREEN_ROWS 24

#ifndef __NR_ppoll
#define __NR_ppoll 73
#endif

struct sample {
	struct cpu_times cpu[MAX_CPUS + 1];
	int ncpu, npids;
	int pids[MAX_PIDS];
	struct proc_stat st[MAX_PIDS];
	unsigned long long uptime; /* hundredths of a second */
};

struct row {
	const struct proc_stat *st;
	unsigned long pct10; /* tenths of a percent */
};

static struct sample samples[2];

static unsigned long long read_uptime(void)
{
	char *text = proc_read_file("/proc/uptime", NULL), *dot;
	unsigned long long v;

	if (!text)
		return 0;
	v = strtoull(text, &dot, 10) * 100;
	if (*dot == '.')
		v += strtoull(dot + 1, NULL, 10);
	free(text);
	return v;
}

static int take_sample(struct sample *s)
{
	int i, n;

	s->uptime = read_uptime();
	memset(s->cpu, 0, sizeof(s->cpu));
	s->ncpu = proc_read_cpu_times(s->cpu, MAX_CPUS + 1);
	n = proc_list_pids(s->pids, MAX_PIDS);
	if (s->ncpu < 0 || n < 0)
		return -1;
	s->npids = 0;
	for (i = 0; i < n; i++)
		if (!proc_read_stat(s->pids[i], &s->st[s->npids]))
			s->npids++; /* an exited one is left out */
	return 0;
}

static const struct proc_stat *find(const struct sample *s, int pid)
{
	int lo = 0, hi = s->npids - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (s->st[mid].pid == pid)
			return &s->st[mid];
		if (s->st[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* "12.3" from tenths. */
static const char *tenths(unsigned long long v, char *buf, size_t size)
{
	snprintf(buf, size, "%llu.%llu", v / 10, v % 10);
	return buf;
}

static unsigned long long pct10(unsigned long long part, unsigned long long whole)
{
	return whole ? (part * 1000 + whole / 2) / whole : 0;
}

static void cpu_line(const char *name, const struct cpu_times *a,
		     const struct cpu_times *b)
{
	unsigned long long total = cpu_total(b) - cpu_total(a);
	char us[16], sy[16], ni[16], id[16], wa[16], hi[16], si[16], st[16];

	printf("%s:%5s us,%5s sy,%5s ni,%5s id,%5s wa,%5s hi,%5s si,%5s st\n",
	       name, tenths(pct10(b->user - a->user, total), us, 16),
	       tenths(pct10(b->system - a->system, total), sy, 16),
	       tenths(pct10(b->nice - a->nice, total), ni, 16),
	       tenths(pct10(b->idle - a->idle, total), id, 16),
	       tenths(pct10(b->iowait - a->iowait, total), wa, 16),
	       tenths(pct10(b->irq - a->irq, total), hi, 16),
	       tenths(pct10(b->softirq - a->softirq, total), si, 16),
	       tenths(pct10(b->steal - a->steal, total), st, 16));
}

static int by_cpu(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->pct10 != y->pct10)
		return x->pct10 < y->pct10 ? 1 : -1;
	return x->st->pid - y->st->pid;
}

static void frame(const struct sample *a, const struct sample *b, int batch)
{
	static struct row rows[MAX_PIDS];
	unsigned long long dt = b->uptime - a->uptime, up = b->uptime / 100;
	long long memtotal, memfree, avail, cached;
	int i, nrun = 0, nsleep = 0, nzombie = 0, nstop = 0, shown;
	char t1[16], t2[16], t3[16], t4[16], name[16];
	char *mem = proc_read_file("/proc/meminfo", NULL);

	memtotal = mem ? proc_field(mem, "MemTotal") : 0;
	memfree = mem ? proc_field(mem, "MemFree") : 0;
	avail = mem ? proc_field(mem, "MemAvailable") : 0;
	cached = mem ? proc_field(mem, "Cached") + proc_field(mem, "Buffers") +
		       proc_field(mem, "SReclaimable") : 0;
	free(mem);
	if (!batch)
		printf("\033[H\033[2J");
	printf("top - up %llu:%02llu:%02llu\n", up / 3600, up / 60 % 60, up % 60);
	for (i = 0; i < b->npids; i++) {
		switch (b->st[i].state) {
		case 'R': nrun++; break;
		case 'Z': nzombie++; break;
		case 'T': case 't': nstop++; break;
		default: nsleep++; break;
		}
	}
	printf("Tasks: %3d total, %3d running, %3d sleeping, %3d stopped, %3d zombie\n",
	       b->npids, nrun, nsleep, nstop, nzombie);
	cpu_line("%Cpu(s)", &a->cpu[0], &b->cpu[0]);
	for (i = 1; i <= b->ncpu && i <= MAX_CPUS; i++) {
		snprintf(name, sizeof(name), "%%Cpu%-3d", i - 1);
		cpu_line(name, &a->cpu[i], &b->cpu[i]);
	}
	printf("MiB Mem : %8s total, %8s free, %8s used, %8s buff/cache\n",
	       tenths((unsigned long long)memtotal * 10 / 1024, t1, 16),
	       tenths((unsigned long long)memfree * 10 / 1024, t2, 16),
	       tenths((unsigned long long)(memtotal - avail) * 10 / 1024, t3, 16),
	       tenths((unsigned long long)cached * 10 / 1024, t4, 16));
	printf("MiB Swap: %8s total, %8s free, %8s used. %8s avail Mem\n\n",
	       "0.0", "0.0", "0.0",
	       tenths((unsigned long long)avail * 10 / 1024, t1, 16));
	printf("  PID USER      PR  NI    VIRT    RES    SHR S  %%CPU  %%MEM     TIME+ COMMAND\n");
	for (i = 0; i < b->npids; i++) {
		const struct proc_stat *now = &b->st[i], *then = find(a, now->pid);
		unsigned long ticks = now->utime + now->stime;

		if (then)
			ticks -= then->utime + then->stime;
		rows[i].st = now;
		/* Clock ticks are hundredths of a second, like dt. */
		rows[i].pct10 = (unsigned long)pct10(ticks, dt);
	}
	qsort(rows, (size_t)b->npids, sizeof(rows[0]), by_cpu);
	shown = batch ? b->npids : SCREEN_ROWS - 8 - b->ncpu;
	for (i = 0; i < b->npids && i < shown; i++) {
		const struct proc_stat *s = rows[i].st;
		unsigned long t = s->utime + s->stime;
		unsigned long long res = (unsigned long long)s->rss * 4;

		printf("%5d %-8s %3ld %3ld %7lu %6llu %6d %c %5s %5s %3lu:%02lu.%02lu %s\n",
		       s->pid, "root", s->priority, s->nice, s->vsize / 1024, res,
		       0, s->state, tenths(rows[i].pct10, t1, 16),
		       tenths(memtotal > 0 ? pct10(res, (unsigned long long)memtotal) : 0, t2, 16),
		       t / 6000, t / 100 % 60, t % 100, s->comm);
	}
	fflush(stdout);
}

struct pollfd {
	int fd;
	short events, revents;
};

/*
 * Waits ms, or less if a key came: true if it was q. Without ppoll() it
 * only sleeps (quit with -n or Ctrl-C).
 */
static int wait_key(unsigned long ms)
{
	struct pollfd p = { 0, 1 /* POLLIN */, 0 };
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };
	char c;
	long r = syscall(__NR_ppoll, &p, 1, &ts, NULL, 8);

	if (r < 0 && errno == ENOSYS) {
		usleep((useconds_t)ms * 1000);
		return 0;
	}
	return r > 0 && read(0, &c, 1) == 1 && (c == 'q' || c == 'Q');
}

int main(int argc, char **argv)
{
	int batch = 0, frames = -1, i, cur = 0;
	unsigned long delay_ms = 1000;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-b")) {
			batch = 1;
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			frames = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			char *dot;

			delay_ms = strtoul(argv[++i], &dot, 10) * 1000;
			if (*dot == '.')
				delay_ms += strtoul(dot + 1, NULL, 10) % 10 * 100;
		} else {
			fprintf(stderr, "usage: top [-b] [-n frames] [-d seconds]\n");
			return 1;
		}
	}
	if (take_sample(&samples[cur])) {
		perror("top: /proc");
		return 1;
	}
	for (i = 0; frames < 0 || i < frames; i++) {
		if (wait_key(delay_ms))
			break;
		if (take_sample(&samples[!cur])) {
			perror("top: /proc");
			return 1;
		}
		frame(&samples[cur], &samples[!cur], batch);
		cur = !cur;
		if (batch && (frames < 0 || i + 1 < frames))
			printf("\n");
	}
	return 0;
}
