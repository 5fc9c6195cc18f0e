/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proc_task: /proc/<pid>/task/<tid>/{stat,status,comm} of each thread,
 * and /proc/<pid>/stat and status of the whole process (its threads'
 * CPU times summed, as Linux), parsed as ps and top parse them.
 *
 * Under qemu-riscv64 a task/ directory is the host's (qemu's threads: one
 * per guest thread, and qemu's own RCU thread), so the listing is checked
 * to hold every thread made here, and counts are checked against each
 * other; qemu writes /proc/self/stat and /proc/<own pid>/stat itself with
 * most fields 0, so the whole-process times are checked on Hartix only.
 *
 * Then thread names: prctl(PR_SET_NAME) and writes to /proc/self/comm and
 * /proc/<pid>/task/<tid>/comm (15 bytes kept, the whole count taken, a
 * write of 0 bytes empties the name; EINVAL for another process's thread), and /proc/<tid> of a thread that
 * is not the leader: found by its tid though /proc does not list it.
 *
 * utest: smp=1,4 timeout=120
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

#define NR_WORKERS 3
#define MAX_FIELDS 64
#define MAX_TASKS 64

static int on_linux;

/* One stat line: the comm (between the first '(' and the last ')'), then every field by its number in proc(5), from 1. */
struct stat_line {
	char comm[64];
	char state;
	long f[MAX_FIELDS + 1];
	int nfields;
};

static int read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (int)n;
}

static int parse_stat(const char *path, struct stat_line *s)
{
	char buf[2048], *open, *close, *p, *end;
	size_t len;

	memset(s, 0, sizeof(*s));
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open || close[1] != ' ')
		return -1;
	len = (size_t)(close - open - 1);
	if (len >= sizeof(s->comm))
		return -1;
	memcpy(s->comm, open + 1, len);
	s->f[1] = strtol(buf, NULL, 10);
	s->state = close[2];
	s->nfields = 3;
	for (p = close + 3; *p && *p != '\n' && s->nfields < MAX_FIELDS;) {
		long v = strtol(p, &end, 10);

		if (end == p)
			return -1;
		/* rsslim and such are unsigned: the largest is still "a number" */
		s->f[++s->nfields] = v;
		p = *end == ' ' ? end + 1 : end;
	}
	return 0;
}

/* The value of "Key:" in a status file, its first word, into val. */
static int status_field(const char *path, const char *key, char *val, size_t size)
{
	char buf[4096], *line;
	size_t klen = strlen(key);

	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	for (line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			char *v = line + klen + 1;
			size_t n = 0;

			while (*v == ' ' || *v == '\t')
				v++;
			while (v[n] && v[n] != '\n' && v[n] != '\t' && n + 1 < size)
				n++;
			memcpy(val, v, n);
			val[n] = '\0';
			return 0;
		}
	}
	return -1;
}

static long status_num(const char *path, const char *key)
{
	char v[64];

	return status_field(path, key, v, sizeof(v)) ? -1 : strtol(v, NULL, 10);
}

/* The tids task/ lists for pid, sorted as found; their number, -1 on error. */
static int list_tasks(int pid, int *tids, int max)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		CHECK(d->d_type == DT_DIR);
		if (n < max)
			tids[n] = atoi(d->d_name);
		n++;
	}
	closedir(dir);
	return n;
}

static int listed(const int *tids, int n, int tid)
{
	int i;

	for (i = 0; i < n && i < MAX_TASKS; i++)
		if (tids[i] == tid)
			return 1;
	return 0;
}

/* Workers: each says its tid, then sleeps in a futex until released; worker 0 first spins. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int worker_tid[NR_WORKERS], started, release;
static volatile int spin_worker = -1; /* this worker burns CPU before it sleeps */
static long spun_ms; /* its own CPU time when it stopped */

static long thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *worker(void *arg)
{
	int i = (int)(long)arg;

	if (i == spin_worker) {
		while (thread_cpu_ms() < 400)
			;
		spun_ms = thread_cpu_ms();
	}
	pthread_mutex_lock(&lock);
	worker_tid[i] = gettid();
	started++;
	pthread_cond_broadcast(&cond);
	while (!release)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static pthread_t workers[NR_WORKERS];

static void start_workers(int spinner)
{
	long i;

	started = release = 0;
	spin_worker = spinner;
	for (i = 0; i < NR_WORKERS; i++)
		CHECK(pthread_create(&workers[i], NULL, worker, (void *)i) == 0);
	pthread_mutex_lock(&lock);
	while (started < NR_WORKERS)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

/*
 * Joined, and gone from task/: a join returns when the thread cleared its
 * tid, a little before it is done exiting (on Linux too).
 */
static void stop_workers(void)
{
	int tids[MAX_TASKS], n, i, tries, left = NR_WORKERS;

	pthread_mutex_lock(&lock);
	release = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < NR_WORKERS; i++)
		CHECK(pthread_join(workers[i], NULL) == 0);
	for (tries = 0; tries < 200 && left; tries++) {
		n = list_tasks(getpid(), tids, MAX_TASKS);
		for (i = 0, left = 0; i < NR_WORKERS; i++)
			left += listed(tids, n, worker_tid[i]);
		if (left)
			usleep(10000);
	}
	CHECK(left == 0);
}

/* A worker sleeping in pthread_cond_wait: S, once it got there. */
static char settled_state(int tid)
{
	struct stat_line s;
	char path[96];
	int tries;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", getpid(), tid);
	for (tries = 0; tries < 200; tries++) {
		if (parse_stat(path, &s))
			return '?';
		if (s.state == 'S')
			break;
		usleep(10000);
	}
	return s.state;
}

static void task_lists_every_thread(void)
{
	int tids[MAX_TASKS], n, i, pid = getpid();
	char path[96];
	struct stat st;

	start_workers(-1);
	n = list_tasks(pid, tids, MAX_TASKS);
	CHECK(n >= NR_WORKERS + 1);
	CHECK(listed(tids, n, pid)); /* the leader's tid is the pid */
	for (i = 0; i < NR_WORKERS; i++)
		CHECK(listed(tids, n, worker_tid[i]));
	CHECK(on_linux || n == NR_WORKERS + 1);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	CHECK(status_num(path, "Threads") == n);
	/* /proc/self/task is the same directory, and a tid's entry is a directory */
	CHECK(list_tasks(pid, tids, MAX_TASKS) == n);
	snprintf(path, sizeof(path), "/proc/self/task/%d", worker_tid[0]);
	CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	/* a tid of no thread here */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, getppid());
	CHECK(access(path, R_OK) == -1 && errno == ENOENT);
	stop_workers();
	/* the threads that exited are gone from it, the count with them */
	n = list_tasks(pid, tids, MAX_TASKS);
	for (i = 0; i < NR_WORKERS; i++) {
		CHECK(!listed(tids, n, worker_tid[i]));
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, worker_tid[i]);
		CHECK(access(path, R_OK) == -1 && errno == ENOENT);
	}
	CHECK(on_linux || n == 1);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	CHECK(status_num(path, "Threads") == n);
}

/* One thread's stat, status and comm agree with each other and with the calls. */
static void check_task(int tid, int nthreads, char want_state)
{
	char path[96], name[64], comm[64], state[8];
	struct stat_line s;
	int pid = getpid(), len;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	CHECK(parse_stat(path, &s) == 0);
	CHECK(s.nfields == 52); /* Linux's since 3.5 */
	CHECK(s.f[1] == tid);
	CHECK(s.state == want_state);
	CHECK(s.f[4] == getppid());
	CHECK(s.f[5] == getpgrp());
	CHECK(s.f[6] == getsid(0));
	CHECK(s.f[20] == nthreads);
	CHECK(s.f[14] >= 0 && s.f[15] >= 0);

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	CHECK(status_num(path, "Pid") == tid);
	CHECK(status_num(path, "Tgid") == pid);
	CHECK(status_num(path, "PPid") == getppid());
	CHECK(status_num(path, "Threads") == nthreads);
	CHECK(status_field(path, "Name", name, sizeof(name)) == 0 && !strcmp(name, s.comm));
	CHECK(status_field(path, "State", state, sizeof(state)) == 0 && state[0] == want_state);

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	len = read_file(path, comm, sizeof(comm));
	CHECK(len > 1 && comm[len - 1] == '\n');
	if (len > 0)
		comm[len - 1] = '\0';
	CHECK(!strcmp(comm, s.comm));
}

static void task_files_agree(void)
{
	int tids[MAX_TASKS], n, i, pid = getpid();
	char path[96], main_comm[64], comm[64];

	start_workers(-1);
	n = list_tasks(pid, tids, MAX_TASKS);
	check_task(pid, n, 'R'); /* the reader itself runs */
	for (i = 0; i < NR_WORKERS; i++) {
		CHECK(settled_state(worker_tid[i]) == 'S');
		check_task(worker_tid[i], n, 'S');
	}
	/* threads are named as the thread that made them */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, pid);
	CHECK(read_file(path, main_comm, sizeof(main_comm)) > 0);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, worker_tid[1]);
	CHECK(read_file(path, comm, sizeof(comm)) > 0 && !strcmp(comm, main_comm));
	/* the directory's entries */
	{
		const char *want[] = { "comm", "stat", "status" };
		struct dirent *d;
		unsigned int k, seen = 0;
		DIR *dir;

		snprintf(path, sizeof(path), "/proc/%d/task/%d", pid, worker_tid[2]);
		dir = opendir(path);
		CHECK(dir != NULL);
		while (dir && (d = readdir(dir)))
			for (k = 0; k < 3; k++)
				if (!strcmp(d->d_name, want[k]) && d->d_type == DT_REG)
					seen |= 1U << k;
		if (dir)
			closedir(dir);
		CHECK(seen == 7);
	}
	/* an open file's link names it where it is */
	{
		char link[128], want[128];
		ssize_t len;
		int fd;

		snprintf(want, sizeof(want), "/proc/%d/task/%d/status", pid, worker_tid[0]);
		fd = open(want, O_RDONLY);
		CHECK(fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, link, sizeof(link) - 1);
		CHECK(len > 0);
		link[len > 0 ? len : 0] = '\0';
		CHECK(!strcmp(link, want));
		close(fd);
	}
	stop_workers();
}

static long stat_cpu(const char *path)
{
	struct stat_line s;

	if (parse_stat(path, &s) || s.nfields < 15)
		return -1;
	return s.f[14] + s.f[15];
}

static void process_times_sum_threads(void)
{
	int tids[MAX_TASKS], n, i, pid = getpid();
	char path[96], ppath[64];
	long sum = 0, spinner, proc_before, proc_after, t;

	snprintf(ppath, sizeof(ppath), "/proc/%d/stat", pid);
	start_workers(0);
	/* clock ticks (USER_HZ 100): 400 ms of CPU is about 40, at least half */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, worker_tid[0]);
	spinner = stat_cpu(path);
	CHECK(spinner >= spun_ms / 20);
	CHECK(spinner <= spun_ms / 10 * 2 + 10);
	n = list_tasks(pid, tids, MAX_TASKS);
	for (i = 0; i < n && i < MAX_TASKS; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tids[i]);
		t = stat_cpu(path);
		CHECK(t >= 0);
		sum += t;
	}
	proc_before = stat_cpu(ppath);
	stop_workers();
	proc_after = stat_cpu(ppath);
	if (on_linux) {
		utest_skip("qemu-riscv64 writes /proc/<own pid>/stat itself");
		return;
	}
	/* read after them, the process's total holds every thread's: each tick is counted in both, rounding aside */
	CHECK(proc_before + n >= sum);
	CHECK(proc_before >= spinner);
	/* and keeps what threads that exited used */
	CHECK(proc_after >= proc_before);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, pid);
	CHECK(proc_after > stat_cpu(path));
	{
		struct stat_line s;

		CHECK(parse_stat(ppath, &s) == 0 && s.f[1] == pid && s.f[20] == 1 &&
		      s.state == 'R' && s.nfields == 52);
	}
}

/* Another process's task/, while its two threads live and once it is a zombie. */
static void *child_thread(void *arg)
{
	int fd = (int)(long)arg;
	char c;

	return (void *)(long)read(fd, &c, 1);
}

static void other_process(void)
{
	int fds[2], tids[MAX_TASKS], n, status, tries;
	char path[96];
	struct stat_line s;
	siginfo_t si;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		pthread_t t;

		close(fds[1]);
		if (pthread_create(&t, NULL, child_thread, (void *)(long)fds[0]))
			_exit(2);
		pthread_join(t, NULL);
		_exit(0);
	}
	close(fds[0]);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	for (tries = 0; tries < 500 && status_num(path, "Threads") < 2; tries++)
		usleep(10000);
	n = list_tasks(pid, tids, MAX_TASKS);
	CHECK(n >= 2 && listed(tids, n, pid));
	CHECK(on_linux || n == 2);
	CHECK(status_num(path, "Threads") == n);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)pid);
	CHECK(parse_stat(path, &s) == 0 && s.f[1] == pid && s.f[4] == getpid() && s.f[20] == n);
	/* one of ours is no thread of the child */
	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pid, getpid());
	CHECK(access(path, F_OK) == -1 && errno == ENOENT);
	close(fds[1]);
	/* a zombie: its leader alone, in state Z */
	CHECK(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0);
	n = list_tasks(pid, tids, MAX_TASKS);
	CHECK(n == 1 && tids[0] == pid);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)pid);
	CHECK(parse_stat(path, &s) == 0 && s.state == 'Z');
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	CHECK(access(path, F_OK) == -1 && errno == ENOENT);
}

/* The text of a /proc file without its newline; -1 if unreadable. */
static int read_line(const char *path, char *buf, size_t size)
{
	int n = read_file(path, buf, size);

	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

static long write_path(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY);
	long n;

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	close(fd);
	return n;
}

static void thread_names(void)
{
	char path[96], name[64], old[64], got[64];
	int pid = getpid(), tid, tids[MAX_TASKS], n, i;
	DIR *dir;
	struct dirent *d;
	struct stat st;

	CHECK(prctl(PR_GET_NAME, (unsigned long)old, 0, 0, 0) == 0);
	/* prctl: the first 15 bytes */
	CHECK(prctl(PR_SET_NAME, (unsigned long)"abcdefghijklmnopqrstuvwxyz", 0, 0, 0) == 0);
	CHECK(prctl(PR_GET_NAME, (unsigned long)got, 0, 0, 0) == 0 &&
	      !strcmp(got, "abcdefghijklmno"));
	CHECK(read_line("/proc/self/comm", name, sizeof(name)) == 15 &&
	      !strcmp(name, "abcdefghijklmno"));
	/* /proc/self/comm: counted whole, cut to 15, read back by prctl */
	CHECK(write_path("/proc/self/comm", "written-through-proc", 20) == 20);
	CHECK(prctl(PR_GET_NAME, (unsigned long)got, 0, 0, 0) == 0 &&
	      !strcmp(got, "written-through"));
	/* a write of nothing empties the name, as Linux's comm_write() */
	CHECK(write_path("/proc/self/comm", "unused", 0) == 0);
	CHECK(prctl(PR_GET_NAME, (unsigned long)got, 0, 0, 0) == 0 && !strcmp(got, ""));
	CHECK(read_line("/proc/self/comm", name, sizeof(name)) == 0);
	CHECK(write_path("/proc/self/comm", "short", 5) == 5);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, pid);
	CHECK(status_field(path, "Name", name, sizeof(name)) == 0 && !strcmp(name, "short"));
	CHECK(prctl(PR_SET_NAME, (unsigned long)1, 0, 0, 0) == -1 && errno == EFAULT);
	CHECK(prctl(PR_GET_NAME, (unsigned long)1, 0, 0, 0) == -1 && errno == EFAULT);
	CHECK(prctl(0x7fff, 0, 0, 0, 0) == -1 && errno == EINVAL);
	/* the file is writable by its owner */
	CHECK(stat("/proc/self/comm", &st) == 0 && (st.st_mode & 0777) == 0644);

	/* a worker named through its task/ entry: the others keep theirs */
	start_workers(-1);
	tid = worker_tid[1];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	CHECK(write_path(path, "worker-one", 10) == 10);
	CHECK(read_line(path, name, sizeof(name)) == 10 && !strcmp(name, "worker-one"));
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, worker_tid[0]);
	CHECK(read_line(path, name, sizeof(name)) > 0 && !strcmp(name, "short"));
	CHECK(read_line("/proc/self/comm", name, sizeof(name)) > 0 && !strcmp(name, "short"));

	/* /proc/<tid>: found, the process seen from that thread, not listed */
	snprintf(path, sizeof(path), "/proc/%d/comm", tid);
	CHECK(read_line(path, name, sizeof(name)) > 0 && !strcmp(name, "worker-one"));
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	CHECK(status_num(path, "Pid") == tid);
	CHECK(status_num(path, "Tgid") == pid);
	snprintf(path, sizeof(path), "/proc/%d", tid);
	CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	n = list_tasks(tid, tids, MAX_TASKS); /* its task/ is the process's */
	CHECK(n >= NR_WORKERS + 1 && listed(tids, n, pid) && listed(tids, n, tid));
	snprintf(path, sizeof(path), "/proc/%d/comm", tid);
	CHECK(write_path(path, "via-tid-dir", 11) == 11);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	CHECK(read_line(path, name, sizeof(name)) > 0 && !strcmp(name, "via-tid-dir"));
	dir = opendir("/proc");
	CHECK(dir != NULL);
	for (i = 0; dir && (d = readdir(dir));)
		i += atoi(d->d_name) == tid;
	if (dir)
		closedir(dir);
	CHECK(i == 0);
	stop_workers();
	/* gone with its thread */
	snprintf(path, sizeof(path), "/proc/%d/comm", tid);
	CHECK(access(path, F_OK) == -1 && errno == ENOENT);

	/* another process's name: EINVAL, and it stays */
	{
		int fds[2], status;
		pid_t child;
		char c;

		CHECK(pipe(fds) == 0);
		child = fork();
		if (child == 0) {
			close(fds[1]);
			_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
		}
		close(fds[0]);
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)child);
		errno = 0;
		CHECK(write_path(path, "stranger", 8) == -1 && errno == EINVAL);
		CHECK(read_line(path, name, sizeof(name)) > 0 && !strcmp(name, "short"));
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)child, (int)child);
		errno = 0;
		CHECK(write_path(path, "stranger", 8) == -1 && errno == EINVAL);
		close(fds[1]);
		CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0);
	}
	CHECK(prctl(PR_SET_NAME, (unsigned long)old, 0, 0, 0) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(task_lists_every_thread),
	UTEST_CASE(task_files_agree),
	UTEST_CASE(process_times_sum_threads),
	UTEST_CASE(other_process),
	UTEST_CASE(thread_names),
};

int main(void)
{
	struct utsname u;

	on_linux = !uname(&u) && !strcmp(u.sysname, "Linux");
	return UTEST_RUN("proc_task", cases);
}
