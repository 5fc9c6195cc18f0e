/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading /proc for ps, top, free and proc_fs_test (see procutil.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procutil.h"

char *proc_read_file(const char *path, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap), *bigger;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || !buf) {
		int err = fd < 0 ? errno : ENOMEM;

		if (fd >= 0)
			close(fd);
		free(buf);
		errno = err;
		return NULL;
	}
	/* /proc files have no size: read until the end. */
	while ((n = read(fd, buf + used, cap - used - 1)) > 0) {
		used += (size_t)n;
		if (cap - used > 1)
			continue;
		bigger = realloc(buf, cap * 2);
		if (!bigger) {
			n = -1;
			errno = ENOMEM;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

/* The next space-separated number of *p, moving past it. */
static long long next_num(const char **p)
{
	char *end;
	long long v;

	while (**p == ' ')
		(*p)++;
	v = strtoll(*p, &end, 10);
	*p = end;
	return v;
}

int proc_parse_stat(const char *text, struct proc_stat *st)
{
	/* comm may hold spaces and ')': it ends at the last ')'. */
	const char *open = strchr(text, '('), *close = strrchr(text, ')'), *p;
	size_t n;
	int i;

	if (!open || !close || close < open || close[1] != ' ' || !close[2])
		return -1;
	memset(st, 0, sizeof(*st));
	st->pid = atoi(text);
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	st->state = close[2];
	p = close + 3;
	st->ppid = (int)next_num(&p);
	st->pgrp = (int)next_num(&p);
	st->session = (int)next_num(&p);
	st->tty_nr = (int)next_num(&p);
	next_num(&p); /* tpgid */
	st->flags = (unsigned int)next_num(&p);
	st->minflt = (unsigned long)next_num(&p);
	for (i = 0; i < 3; i++)
		next_num(&p); /* cminflt majflt cmajflt */
	st->utime = (unsigned long)next_num(&p);
	st->stime = (unsigned long)next_num(&p);
	next_num(&p); /* cutime */
	next_num(&p); /* cstime */
	st->priority = (long)next_num(&p);
	st->nice = (long)next_num(&p);
	st->num_threads = (long)next_num(&p);
	next_num(&p); /* itrealvalue */
	st->starttime = (unsigned long long)next_num(&p);
	st->vsize = strtoul(p, (char **)&p, 10);
	st->rss = (long)next_num(&p);
	/* rsslim startcode endcode startstack kstkesp kstkeip signal blocked
	 * sigignore sigcatch wchan nswap cnswap exit_signal, then processor */
	next_num(&p);
	for (i = 0; i < 13; i++)
		next_num(&p);
	if (!*p)
		return -1;
	st->processor = (int)next_num(&p);
	return 0;
}

int proc_read_stat(int pid, struct proc_stat *st)
{
	char path[32];
	char *text;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	text = proc_read_file(path, NULL);
	if (!text)
		return -1;
	ret = proc_parse_stat(text, st);
	free(text);
	if (ret)
		errno = EINVAL;
	return ret;
}

long long proc_field(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			const char *p = line + klen + 1;

			while (*p == ' ' || *p == '\t')
				p++;
			if (*p < '0' || *p > '9')
				return -1;
			return strtoll(p, NULL, 10);
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

int proc_list_pids(int *pids, int max)
{
	static char buf[4096] __attribute__((aligned(8)));
	int fd = open("/proc", O_RDONLY | O_DIRECTORY), count = 0;
	long n, off;

	if (fd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			struct linux_dirent64 *de = (void *)(buf + off);
			char *end;
			long pid = strtol(de->d_name, &end, 10);

			off += de->d_reclen;
			if (*end || pid <= 0 || de->d_name[0] < '1' ||
			    de->d_name[0] > '9')
				continue;
			if (count < max)
				pids[count] = (int)pid;
			count++;
		}
	}
	close(fd);
	if (n < 0)
		return -1;
	if (count > max)
		count = max;
	qsort(pids, (size_t)count, sizeof(int), cmp_int);
	return count;
}

int proc_read_cpu_times(struct cpu_times *t, int max)
{
	char *text = proc_read_file("/proc/stat", NULL), *line;
	int ncpu = 0;

	if (!text)
		return -1;
	for (line = text; line && !strncmp(line, "cpu", 3); ) {
		const char *p = line + 3;
		int idx = 0;

		if (*p != ' ')
			idx = 1 + (int)next_num(&p);
		if (idx >= 0 && idx < max) {
			struct cpu_times *c = &t[idx];

			c->user = (unsigned long long)next_num(&p);
			c->nice = (unsigned long long)next_num(&p);
			c->system = (unsigned long long)next_num(&p);
			c->idle = (unsigned long long)next_num(&p);
			c->iowait = (unsigned long long)next_num(&p);
			c->irq = (unsigned long long)next_num(&p);
			c->softirq = (unsigned long long)next_num(&p);
			c->steal = (unsigned long long)next_num(&p);
		}
		ncpu += idx > 0;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	free(text);
	return ncpu;
}
