/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proc_files: /proc/mounts (through getmntent, as df and mount read it),
 * /proc/<pid>/fd links, /proc/loadavg, /proc/filesystems, and the kernel
 * log through klogctl (syslog), all parsed as Linux programs parse them.
 *
 * utest: smp=1,4 timeout=120
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

static void mounts_parse(void)
{
	FILE *f = setmntent("/proc/mounts", "r");
	struct mntent *e;
	int root = 0, proc = 0, n = 0;
	char a[4096], b[4096];
	struct statfs sfs;
	ssize_t la, lb;
	int fa, fb;

	CHECK(f != NULL);
	if (!f)
		return;
	while ((e = getmntent(f))) {
		n++;
		root |= strcmp(e->mnt_dir, "/") == 0;
		proc |= strcmp(e->mnt_dir, "/proc") == 0 && strcmp(e->mnt_type, "proc") == 0;
		CHECK(e->mnt_fsname[0] && e->mnt_opts[0]);
		CHECK(hasmntopt(e, "rw") || hasmntopt(e, "ro"));
	}
	endmntent(f);
	CHECK(n >= 2 && root && proc);
	/* df leaves /proc out: it has no blocks */
	CHECK(statfs("/proc", &sfs) == 0 && sfs.f_type == 0x9fa0 && sfs.f_blocks == 0);
	/* /proc/self/mounts is the same table */
	fa = open("/proc/mounts", O_RDONLY);
	fb = open("/proc/self/mounts", O_RDONLY);
	la = read(fa, a, sizeof(a));
	lb = read(fb, b, sizeof(b));
	CHECK(la > 0 && la == lb && memcmp(a, b, (size_t)la) == 0);
	close(fa);
	close(fb);
}

static int link_of(int fd, char *buf, size_t size)
{
	char p[64];
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, buf, size - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static void fd_links(void)
{
	char cwd[PATH_MAX], want[PATH_MAX + 32], got[PATH_MAX + 32], p[64];
	int fd, pp[2], seen = 0, nul;
	struct stat st, lst;
	struct dirent *de;
	DIR *d;

	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	fd = open("proc_files.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0);
	snprintf(want, sizeof(want), "%s%sproc_files.tmp", cwd,
		 strcmp(cwd, "/") ? "/" : "");
	CHECK(link_of(fd, got, sizeof(got)) == 0 && strcmp(got, want) == 0);
	/* the link's mode says how the file is open */
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	CHECK(lstat(p, &lst) == 0 && S_ISLNK(lst.st_mode) && (lst.st_mode & 0777) == 0700);
	/* following it reaches the file */
	CHECK(stat(p, &st) == 0 && S_ISREG(st.st_mode));
	CHECK(unlink("proc_files.tmp") == 0);
	strcat(want, " (deleted)");
	CHECK(link_of(fd, got, sizeof(got)) == 0 && strcmp(got, want) == 0);
	/* a pipe: pipe:[its inode] */
	CHECK(pipe(pp) == 0 && fstat(pp[0], &st) == 0);
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	CHECK(link_of(pp[0], got, sizeof(got)) == 0 && strcmp(got, want) == 0);
	nul = open("/dev/null", O_WRONLY);
	CHECK(link_of(nul, got, sizeof(got)) == 0 && strcmp(got, "/dev/null") == 0);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", nul);
	CHECK(lstat(p, &lst) == 0 && (lst.st_mode & 0777) == 0300);
	/* the directory lists every descriptor */
	d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	while (d && (de = readdir(d))) {
		int n = atoi(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		seen |= (n == 0) << 0 | (n == fd) << 1 | (n == pp[1]) << 2 | (n == nul) << 3;
	}
	if (d)
		closedir(d);
	CHECK(seen == 15);
	close(fd);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	errno = 0;
	CHECK(readlink(p, got, sizeof(got)) == -1 && errno == ENOENT);
	close(pp[0]);
	close(pp[1]);
	close(nul);
}

/* A directory of a process that exits while it is open (it used to be freed too early). */
static void fd_dir_outlives_process(void)
{
	char p[64];
	int status, fd, i;
	pid_t pid = fork();
	DIR *d;

	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK(pid > 0);
	snprintf(p, sizeof(p), "/proc/%d/fd", (int)pid);
	d = opendir(p);
	CHECK(d != NULL);
	fd = open(p, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid);
	/* a listing of /proc drops the pid's entries */
	closedir(opendir("/proc"));
	errno = 0;
	CHECK(access(p, F_OK) == -1 && errno == ENOENT);
	if (d)
		closedir(d);
	close(fd);
	/* New inodes reuse the memory freed (a debug kernel checks it is untouched). */
	for (i = 0; i < 200; i++) {
		snprintf(p, sizeof(p), "proc_files.%d", i);
		close(open(p, O_CREAT | O_WRONLY, 0600));
	}
	for (i = 0; i < 200; i++) {
		snprintf(p, sizeof(p), "proc_files.%d", i);
		CHECK(unlink(p) == 0);
	}
}

static int read_loadavg(double l[3], int *run, int *total, int *last)
{
	FILE *f = fopen("/proc/loadavg", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%lf %lf %lf %d/%d %d", &l[0], &l[1], &l[2], run, total, last);
	fclose(f);
	return n == 6 ? 0 : -1;
}

static void loadavg_format_and_load(void)
{
	double l[3];
	int run, total, last, i, status;
	pid_t kids[2];
	time_t end;

	CHECK(read_loadavg(l, &run, &total, &last) == 0);
	CHECK(run >= 1 && run <= total && last > 0);
	CHECK(l[0] >= 0 && l[1] >= 0 && l[2] >= 0);
	/* two busy processes: within two 5 s periods the 1 min average moves */
	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			for (;;)
				;
	}
	CHECK(read_loadavg(l, &run, &total, &last) == 0 && last >= kids[1]);
	end = time(NULL) + 12;
	while (read_loadavg(l, &run, &total, &last) == 0 && l[0] == 0 && time(NULL) < end)
		usleep(200000);
	CHECK(l[0] > 0);
	for (i = 0; i < 2; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], &status, 0);
	}
}

static void filesystems_list(void)
{
	char buf[4096];
	int fd = open("/proc/filesystems", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	CHECK(n > 0);
	if (n > 0) {
		buf[n] = '\0';
		CHECK(strstr(buf, "nodev\tproc\n") != NULL);
		CHECK(strstr(buf, "nodev\ttmpfs\n") != NULL); /* a type mount(2) looks up */
	}
	close(fd);
}

static void syslog_reads_the_log(void)
{
	int size = klogctl(10, NULL, 0), n, unread;
	char *buf;

	CHECK(size > 0);
	if (size <= 0)
		return;
	buf = malloc((size_t)size + 1);
	CHECK(buf != NULL);
	if (!buf)
		return;
	n = klogctl(3, buf, size); /* READ_ALL */
	CHECK(n > 0 && n <= size);
	if (n > 0) {
		int level;
		double t;

		buf[n] = '\0';
		/* "<level>[ seconds.micros] text" lines */
		CHECK(sscanf(buf, "<%d>[%lf]", &level, &t) == 2 && level >= 0 && level <= 7);
		CHECK(buf[n - 1] == '\n');
	}
	/* a smaller buffer gets the newest whole lines */
	n = klogctl(3, buf, 1024);
	CHECK(n > 0 && n <= 1024 && buf[n - 1] == '\n' && buf[0] == '<');
	unread = klogctl(9, NULL, 0);
	CHECK(unread >= 0);
	errno = 0;
	CHECK(klogctl(99, NULL, 0) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(klogctl(8, NULL, 9) == -1 && errno == EINVAL); /* console level */
	free(buf);
}

static const struct utest_case cases[] = {
	UTEST_CASE(mounts_parse),
	UTEST_CASE(fd_links),
	UTEST_CASE(fd_dir_outlives_process),
	UTEST_CASE(loadavg_format_and_load),
	UTEST_CASE(filesystems_list),
	UTEST_CASE(syslog_reads_the_log),
};

int main(void)
{
	return UTEST_RUN("proc_files", cases);
}
