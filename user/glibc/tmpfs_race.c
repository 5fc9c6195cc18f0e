/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs_race: many threads make, rename, link and remove names in the same
 * RAM file system directories while others walk and list them. Today one
 * global lock serialises the RAM file system; this checks what must hold
 * once per-directory locks replace it (Documentation/filesystems.rst):
 * every call succeeds or fails with the errno of a race (ENOENT), a
 * listing only shows names that were made, link counts add up after
 * directories moved between parents, and a tmpfs instance used this way
 * unmounts (no reference leaked).
 *
 * utest: smp=1,2,4 timeout=240
 *
 * On 4 harts since fs_lock is an unfair (test-and-set) lock: as a fair
 * ticket lock, 4 harts of a loaded 2-core host spent minutes handing it
 * over, because the hart next in line was often not running on the host.
 *
 * Works in a directory it makes in its working directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "utest.h"

#define WORKERS 4
#define WALKERS 2
#define ROUNDS 100

static char dir[64]; /* the directory the test made */
static char top[128]; /* where the two directories of a case live */
static volatile int stop;

static void sub(char *buf, size_t size, const char *a, const char *b)
{
	snprintf(buf, size, "%s/%s/%s", top, a, b);
}

/* Each worker's names are its own: f<id>.<i> made in A, moved to B, linked back as l<id>.<i>. */
static void *churn(void *arg)
{
	long id = (long)arg, bad = 0;
	char a[256], b[256], l[256], name[32];
	struct stat st;
	int i, fd;

	for (i = 0; i < ROUNDS; i++) {
		snprintf(name, sizeof(name), "f%ld.%d", id, i);
		sub(a, sizeof(a), "A", name);
		sub(b, sizeof(b), "B", name);
		snprintf(name, sizeof(name), "l%ld.%d", id, i);
		sub(l, sizeof(l), "A", name);
		fd = open(a, O_CREAT | O_EXCL | O_WRONLY, 0644);
		bad += fd < 0 || write(fd, name, strlen(name)) != (ssize_t)strlen(name);
		if (fd >= 0)
			close(fd);
		bad += rename(a, b) != 0;
		bad += stat(b, &st) != 0 || st.st_nlink != 1 ||
		       st.st_size != (off_t)strlen(name);
		bad += link(b, l) != 0;
		bad += stat(l, &st) != 0 || st.st_nlink != 2;
		bad += unlink(b) != 0;
		bad += stat(l, &st) != 0 || st.st_nlink != 1;
		bad += unlink(l) != 0;
		bad += access(a, F_OK) == 0 || errno != ENOENT;
	}
	return (void *)bad;
}

/* Lists A and stats what it lists: made names only (f, l, d), each there or just gone. */
static void *walk(void *arg)
{
	long bad = 0, passes = 0;
	char up[256];
	struct stat st;

	(void)arg;
	snprintf(up, sizeof(up), "%s/A/../B/.", top);
	while (!stop || !passes) {
		char a[256];
		struct dirent *e;
		DIR *d;

		snprintf(a, sizeof(a), "%s/A", top);
		d = opendir(a);
		if (!d)
			return (void *)1;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (!strchr("fld", e->d_name[0]))
				bad++; /* never made */
			if (fstatat(dirfd(d), e->d_name, &st, 0) &&
			    errno != ENOENT)
				bad++;
		}
		closedir(d);
		bad += stat(up, &st) != 0 || !S_ISDIR(st.st_mode);
		passes++;
		usleep(1000); /* the workers get the harts too */
	}
	return (void *)bad;
}

/* Subdirectory d<id> moves between A and B, with a child made and removed in it. */
static void *move_dirs(void *arg)
{
	long id = (long)arg, bad = 0;
	char a[256], b[256], child[300], name[32];
	int i;

	snprintf(name, sizeof(name), "d%ld", id);
	sub(a, sizeof(a), "A", name);
	sub(b, sizeof(b), "B", name);
	for (i = 0; i < ROUNDS; i++) {
		const char *from = i % 2 ? b : a, *to = i % 2 ? a : b;

		bad += rename(from, to) != 0;
		snprintf(child, sizeof(child), "%s/s", to);
		bad += mkdir(child, 0755) != 0;
		bad += rmdir(child) != 0;
	}
	return (void *)bad;
}

static int count_entries(const char *p)
{
	struct dirent *e;
	DIR *d = opendir(p);
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void make_pair(void)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/A", top);
	CHECK(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/B", top);
	CHECK(mkdir(p, 0755) == 0);
}

static void remove_pair(void)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/A", top);
	CHECK(rmdir(p) == 0);
	snprintf(p, sizeof(p), "%s/B", top);
	CHECK(rmdir(p) == 0);
}

/* Runs fn on WORKERS threads with WALKERS walkers beside them: the failures. */
static long run_threads(void *(*fn)(void *))
{
	pthread_t w[WORKERS], k[WALKERS];
	long bad = 0, i;
	void *ret;

	stop = 0;
	for (i = 0; i < WALKERS; i++)
		CHECK(pthread_create(&k[i], NULL, walk, NULL) == 0);
	for (i = 0; i < WORKERS; i++)
		CHECK(pthread_create(&w[i], NULL, fn, (void *)i) == 0);
	for (i = 0; i < WORKERS; i++) {
		pthread_join(w[i], &ret);
		bad += (long)ret;
	}
	stop = 1;
	for (i = 0; i < WALKERS; i++) {
		pthread_join(k[i], &ret);
		bad += (long)ret;
	}
	return bad;
}

static void churn_in(const char *where)
{
	char p[256];
	struct stat st;

	snprintf(top, sizeof(top), "%s", where);
	make_pair();
	CHECK(run_threads(churn) == 0);
	snprintf(p, sizeof(p), "%s/A", top);
	CHECK(count_entries(p) == 0);
	CHECK(stat(p, &st) == 0 && st.st_nlink == 2);
	snprintf(p, sizeof(p), "%s/B", top);
	CHECK(count_entries(p) == 0);
	remove_pair();
}

static void names_churn(void)
{
	churn_in(dir);
}

static void dirs_move_across(void)
{
	char p[256], q[300];
	struct stat a, b;
	long i;

	snprintf(top, sizeof(top), "%s", dir);
	make_pair();
	for (i = 0; i < WORKERS; i++) {
		snprintf(p, sizeof(p), "%s/A/d%ld", top, i);
		CHECK(mkdir(p, 0755) == 0);
	}
	CHECK(run_threads(move_dirs) == 0);
	/* ROUNDS is even: every d<id> is back in A; each adds one link to its parent. */
	snprintf(p, sizeof(p), "%s/A", top);
	CHECK(stat(p, &a) == 0 && a.st_nlink == 2 + WORKERS);
	CHECK(count_entries(p) == WORKERS);
	snprintf(p, sizeof(p), "%s/B", top);
	CHECK(stat(p, &b) == 0 && b.st_nlink == 2);
	/* A directory never moves under itself, however busy. */
	snprintf(p, sizeof(p), "%s/A", top);
	snprintf(q, sizeof(q), "%s/A/d0/x", top);
	CHECK(rename(p, q) == -1 && errno == EINVAL);
	for (i = 0; i < WORKERS; i++) {
		snprintf(p, sizeof(p), "%s/A/d%ld", top, i);
		CHECK(stat(p, &a) == 0 && a.st_nlink == 2);
		CHECK(rmdir(p) == 0);
	}
	remove_pair();
}

/* The same churn on a mounted tmpfs instance, which must unmount after it. */
static void churn_on_mount(void)
{
	char m[128];

	snprintf(m, sizeof(m), "%s/m", dir);
	CHECK(mkdir(m, 0755) == 0);
	if (mount("none", m, "tmpfs", 0, NULL)) {
		CHECK(errno == EPERM); /* not root: under qemu-riscv64 */
		utest_skip("mount needs root");
		rmdir(m);
		return;
	}
	churn_in(m);
	CHECK(umount2(m, 0) == 0);
	CHECK(rmdir(m) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(names_churn),
	UTEST_CASE(dirs_move_across),
	UTEST_CASE(churn_on_mount),
};

int main(void)
{
	int ret;

	snprintf(dir, sizeof(dir), "tmpfs_race.%d", (int)getpid());
	mkdir(dir, 0755);
	ret = UTEST_RUN("tmpfs_race", cases);
	rmdir(dir);
	return ret;
}
