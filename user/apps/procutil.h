/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading /proc for ps, top, free and proc_fs_test: whole files, stat lines, "Key: value" fields. */
#ifndef PROCUTIL_H
#define PROCUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* A file's contents, NUL-terminated, in a malloc'd buffer; NULL with errno set. */
char *proc_read_file(const char *path, size_t *len);

/* The fields of /proc/<pid>/stat the programs use (Linux's names). */
struct proc_stat {
	int pid;
	char comm[64];
	char state;
	int ppid, pgrp, session, tty_nr;
	unsigned int flags;
	unsigned long minflt, utime, stime; /* times in clock ticks (1/100 s) */
	long priority, nice, num_threads;
	unsigned long long starttime;
	unsigned long vsize; /* bytes */
	long rss; /* pages */
	int processor;
};

#define PF_KTHREAD 0x00200000

/* Parses one /proc/<pid>/stat line; 0, or -1 if it does not parse. */
int proc_parse_stat(const char *text, struct proc_stat *st);
/* Reads and parses /proc/<pid>/stat; 0 or -1 (errno set). */
int proc_read_stat(int pid, struct proc_stat *st);

/* The number after "key:" at the start of a line of text, or -1. */
long long proc_field(const char *text, const char *key);

/* The numeric entries of /proc, ascending, up to max; the count or -1. */
int proc_list_pids(int *pids, int max);

/* One "cpu" line of /proc/stat, in clock ticks. */
struct cpu_times {
	unsigned long long user, nice, system, idle, iowait, irq, softirq,
		steal;
};

static inline unsigned long long cpu_busy(const struct cpu_times *t)
{
	return t->user + t->nice + t->system + t->irq + t->softirq + t->steal;
}

static inline unsigned long long cpu_total(const struct cpu_times *t)
{
	return cpu_busy(t) + t->idle + t->iowait;
}

/*
 * The "cpu" lines of /proc/stat: t[0] the total, t[1 + n] cpuN, up to
 * max entries; the number of cpuN lines, or -1.
 */
int proc_read_cpu_times(struct cpu_times *t, int max);

#endif
