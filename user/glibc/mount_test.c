/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mount_test: mount(2) and umount2(2) of tmpfs instances (fs/namespace.c):
 * crossing mount points both ways, nested mounts, /proc/mounts, st_dev,
 * EBUSY, EXDEV, EROFS, remounting read-only and back, MNT_DETACH, and
 * the errors of bad arguments, as Linux gives them.
 *
 * utest: smp=1,4 linux=no
 *
 * Not under qemu-riscv64: mounting there would mount on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "scratch.h"
#include "utest.h"

/* Whether /proc/mounts has a line with these fields. */
static int in_mounts(const char *target, const char *opts)
{
	char line[512], want[300];
	FILE *f = fopen("/proc/mounts", "r");
	int found = 0;

	if (!f)
		return 0;
	snprintf(want, sizeof(want), " %s tmpfs %s", target, opts);
	while (fgets(line, sizeof(line), f))
		found |= strstr(line, want) != NULL;
	fclose(f);
	return found;
}

static int write_file(const char *name, const char *text)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, text, strlen(text)) == (long)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok;
}

static void mount_cross_and_unmount(void)
{
	const char *a = strdup(path("a"));
	struct stat top, st, under;
	char cwd[256], buf[8] = "";
	int fd;

	CHECK(mkdir(a, 0755) == 0);
	CHECK(write_file(path("a/hidden"), "under"));
	CHECK(stat(dir, &top) == 0 && stat(a, &under) == 0);
	CHECK(mount("none", a, "tmpfs", 0, NULL) == 0);
	CHECK(stat(a, &st) == 0 && S_ISDIR(st.st_mode) && st.st_dev != top.st_dev);
	CHECK(access(path("a/hidden"), F_OK) == -1 && errno == ENOENT);
	CHECK(in_mounts(a, "rw"));
	CHECK(write_file(path("a/f"), "data"));
	CHECK(stat(path("a/f"), &st) == 0 && st.st_size == 4);
	/* ".." from the mounted root is the covered directory's parent */
	CHECK(stat(path("a/.."), &st) == 0 && st.st_ino == top.st_ino &&
	      st.st_dev == top.st_dev);
	CHECK(chdir(a) == 0 && getcwd(cwd, sizeof(cwd)) && !strcmp(cwd + strlen(cwd) - strlen(a), a));
	CHECK(chdir("..") == 0 && getcwd(cwd, sizeof(cwd)) &&
	      !strcmp(cwd + strlen(cwd) - strlen(dir), dir));
	CHECK(chdir("..") == 0);
	/* busy while a file is open, or a cwd is inside */
	fd = open(path("a/f"), O_RDONLY);
	CHECK(fd >= 0);
	errno = 0;
	CHECK(umount(a) == -1 && errno == EBUSY);
	close(fd);
	CHECK(chdir(a) == 0);
	errno = 0;
	CHECK(umount(a) == -1 && errno == EBUSY);
	CHECK(chdir("/") == 0);
	/* a mount point cannot be removed or renamed */
	errno = 0;
	CHECK(rmdir(a) == -1 && errno == EBUSY);
	errno = 0;
	CHECK(rename(a, path("a2")) == -1 && errno == EBUSY);
	CHECK(umount(a) == 0);
	CHECK(!in_mounts(a, "rw"));
	/* the covered directory is back, unchanged */
	CHECK(stat(a, &st) == 0 && st.st_ino == under.st_ino);
	fd = open(path("a/hidden"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 5) == 5 && !memcmp(buf, "under", 5));
	close(fd);
	CHECK(access(path("a/f"), F_OK) == -1);
	unlink(path("a/hidden"));
	CHECK(rmdir(a) == 0);
}

static void nested_and_exdev(void)
{
	const char *a = strdup(path("n")), *b = strdup(path("n/inner"));
	struct stat sa, sb;

	CHECK(mkdir(a, 0755) == 0);
	CHECK(mount("tmpfs", a, "tmpfs", 0, NULL) == 0);
	CHECK(mkdir(b, 0755) == 0);
	CHECK(mount("tmpfs", b, "tmpfs", 0, NULL) == 0);
	CHECK(stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev != sb.st_dev);
	CHECK(write_file(path("n/inner/x"), "x") && write_file(path("n/y"), "y"));
	CHECK(stat(path("n/inner/.."), &sb) == 0 && sb.st_ino == sa.st_ino &&
	      sb.st_dev == sa.st_dev);
	errno = 0;
	CHECK(rename(path("n/y"), path("n/inner/y")) == -1 && errno == EXDEV);
	errno = 0;
	CHECK(link(path("n/inner/x"), path("n/x")) == -1 && errno == EXDEV);
	errno = 0;
	CHECK(rename(path("n/y"), path("moved")) == -1 && errno == EXDEV);
	CHECK(rename(path("n/y"), path("n/z")) == 0); /* within one is fine */
	/* the outer one is busy while the inner is mounted */
	errno = 0;
	CHECK(umount(a) == -1 && errno == EBUSY);
	CHECK(umount(b) == 0);
	CHECK(umount(a) == 0);
	CHECK(rmdir(a) == 0);
}

static void read_only_and_remount(void)
{
	const char *a = strdup(path("ro"));
	struct statfs sf;
	char buf[8] = "";
	int fd;

	CHECK(mkdir(a, 0755) == 0);
	CHECK(mount("none", a, "tmpfs", 0, NULL) == 0);
	CHECK(write_file(path("ro/f"), "abc"));
	CHECK(mkdir(path("ro/d"), 0755) == 0);
	/* no read-only remount while a file is open for writing */
	fd = open(path("ro/f"), O_WRONLY);
	errno = 0;
	CHECK(mount(NULL, a, NULL, MS_REMOUNT | MS_RDONLY, NULL) == -1 && errno == EBUSY);
	close(fd);
	CHECK(mount(NULL, a, NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0);
	CHECK(in_mounts(a, "ro"));
	CHECK(statfs(a, &sf) == 0 && (sf.f_flags & ST_RDONLY));
	errno = 0;
	CHECK(open(path("ro/new"), O_CREAT | O_WRONLY, 0644) == -1 && errno == EROFS);
	errno = 0;
	CHECK(open(path("ro/f"), O_RDWR) == -1 && errno == EROFS);
	errno = 0;
	CHECK(mkdir(path("ro/e"), 0755) == -1 && errno == EROFS);
	errno = 0;
	CHECK(mkdir(path("ro/d"), 0755) == -1 && errno == EEXIST); /* lookup first */
	errno = 0;
	CHECK(unlink(path("ro/f")) == -1 && errno == EROFS);
	errno = 0;
	CHECK(rmdir(path("ro/d")) == -1 && errno == EROFS);
	errno = 0;
	CHECK(rename(path("ro/f"), path("ro/g")) == -1 && errno == EROFS);
	errno = 0;
	CHECK(symlink("f", path("ro/l")) == -1 && errno == EROFS);
	errno = 0;
	CHECK(truncate(path("ro/f"), 0) == -1 && errno == EROFS);
	errno = 0;
	CHECK(chmod(path("ro/f"), 0600) == -1 && errno == EROFS);
	errno = 0;
	CHECK(access(path("ro/f"), W_OK) == -1 && errno == EROFS);
	fd = open(path("ro/f"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 3) == 3 && !memcmp(buf, "abc", 3));
	close(fd);
	CHECK(mount(NULL, a, NULL, MS_REMOUNT, NULL) == 0);
	CHECK(statfs(a, &sf) == 0 && !(sf.f_flags & ST_RDONLY));
	CHECK(unlink(path("ro/f")) == 0 && rmdir(path("ro/d")) == 0);
	CHECK(umount(a) == 0);
	/* mounted read-only from the start */
	CHECK(mount("none", a, "tmpfs", MS_RDONLY, NULL) == 0);
	errno = 0;
	CHECK(mkdir(path("ro/e"), 0755) == -1 && errno == EROFS);
	CHECK(umount(a) == 0);
	CHECK(rmdir(a) == 0);
}

static void lazy_detach(void)
{
	const char *a = strdup(path("lazy"));
	static char big[64 * 1024];
	struct statfs before, after;
	char buf[8] = "";
	int fd, dfd;

	CHECK(mkdir(a, 0755) == 0);
	CHECK(statfs("/", &before) == 0);
	CHECK(mount("none", a, "tmpfs", 0, NULL) == 0);
	CHECK(mkdir(path("lazy/sub"), 0755) == 0);
	CHECK(write_file(path("lazy/sub/f"), "kept"));
	fd = open(path("lazy/big"), O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, big, sizeof(big)) == (long)sizeof(big));
	close(fd);
	fd = open(path("lazy/sub/f"), O_RDWR);
	dfd = open(path("lazy/sub"), O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0 && dfd >= 0);
	CHECK(umount2(a, MNT_DETACH) == 0);
	CHECK(!in_mounts(a, "rw"));
	CHECK(access(path("lazy/sub"), F_OK) == -1 && errno == ENOENT);
	/* what was open stays usable, names relative to it too */
	CHECK(read(fd, buf, 4) == 4 && !memcmp(buf, "kept", 4));
	CHECK(write(fd, "!", 1) == 1);
	CHECK(faccessat(dfd, "f", F_OK, 0) == 0);
	CHECK(mkdirat(dfd, "more", 0755) == 0);
	close(fd);
	close(dfd); /* the last use: the instance goes, its pages with it */
	CHECK(statfs("/", &after) == 0 && after.f_bfree == before.f_bfree);
	CHECK(rmdir(a) == 0);
}

static void bad_arguments(void)
{
	const char *a = strdup(path("bad"));

	CHECK(mkdir(a, 0755) == 0);
	CHECK(write_file(path("file"), "x"));
	errno = 0;
	CHECK(umount(a) == -1 && errno == EINVAL); /* not a mount point */
	errno = 0;
	CHECK(mount("none", a, "no-such-fs", 0, NULL) == -1 && errno == ENODEV);
	errno = 0;
	CHECK(mount("none", path("missing"), "tmpfs", 0, NULL) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(mount("none", path("file"), "tmpfs", 0, NULL) == -1 && errno == ENOTDIR);
	errno = 0;
	CHECK(umount2(a, 0x100) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(umount2(a, MNT_EXPIRE | MNT_DETACH) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(mount(NULL, a, NULL, MS_REMOUNT, NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(umount(path("missing")) == -1 && errno == ENOENT);
	CHECK(unlink(path("file")) == 0 && rmdir(a) == 0);
}

static const struct utest_case cases[] = {
	UTEST_CASE(mount_cross_and_unmount),
	UTEST_CASE(nested_and_exdev),
	UTEST_CASE(read_only_and_remount),
	UTEST_CASE(lazy_detach),
	UTEST_CASE(bad_arguments),
};

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/mount_test.%d", (int)getpid());
	mkdir(dir, 0755);
	return UTEST_RUN("mount_test", cases);
}
