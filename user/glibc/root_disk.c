/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * root_disk: run as init from an ext2 root on a disk (root=/dev/vda,
 * fs/do_mounts.c): "/" is the disk, /dev and /proc are there, ".." of
 * each leads back to "/", /proc/self/exe names a program run from the
 * disk, MS_REMOUNT of the root and of a vfat disk goes read-only and
 * back (EBUSY while a file is open for writing, EROFS after, EROFS for
 * going read-write on a disk found dirty), and a tmpfs mounts on a
 * directory of the disk.
 *
 * Arguments: rw | ro | dirty (how the root was mounted: read-write,
 * read-only, or read-only because the image was not clean), then the
 * vfat device to remount, or "-". Booted by phase fs of make test (no
 * utest line: it needs a disk root); not under qemu-riscv64, where
 * mounting would mount on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

#define EXT2_SUPER_MAGIC 0xef53
#define SELF "/glibc/root_disk"

static const char *mode = "rw", *vfat_dev = "-";

/* Whether /proc/mounts has a line containing want; first: only its first line. */
static int in_mounts(const char *want, int first)
{
	char line[512];
	FILE *f = fopen("/proc/mounts", "r");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		found |= strstr(line, want) != NULL;
		if (first)
			break;
	}
	fclose(f);
	return found;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino &&
	       sa.st_dev == sb.st_dev;
}

static int cwd_is(const char *want)
{
	char buf[PATH_MAX];

	return getcwd(buf, sizeof(buf)) && !strcmp(buf, want);
}

static void root_is_the_disk(void)
{
	char want[64];
	struct statfs sf;

	CHECK(statfs("/", &sf) == 0 && sf.f_type == EXT2_SUPER_MAGIC);
	snprintf(want, sizeof(want), "/dev/root / ext2 %s,", strcmp(mode, "rw") ? "ro" : "rw");
	CHECK(in_mounts(want, 1));
	CHECK(in_mounts("devtmpfs /dev devtmpfs rw", 0));
	CHECK(in_mounts("proc /proc proc rw", 0));
	CHECK(!in_mounts("rootfs", 0));
	/* The initramfs was not unpacked: only the disk's files are here. */
	CHECK(access("/glibc/root_disk", X_OK) == 0);
}

static void dev_and_proc(void)
{
	char buf[PATH_MAX], link[64];
	struct stat st;
	ssize_t n;
	int fd;

	fd = open("/dev/null", O_WRONLY);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1);
	/* A RAM file reached through the disk still has its name in /proc. */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	CHECK(n == 9 && !memcmp(buf, "/dev/null", 9));
	close(fd);
	CHECK(stat("/dev/vda", &st) == 0 && S_ISBLK(st.st_mode));
	fd = open("/proc/self/stat", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) > 0);
	close(fd);
	CHECK(cwd_is("/"));
	/* ".." from the RAM /dev and /proc is the disk's root, as is "/..". */
	CHECK(chdir("/dev") == 0 && cwd_is("/dev"));
	CHECK(chdir("..") == 0 && cwd_is("/") && same_file(".", "/"));
	CHECK(same_file("/proc/..", "/") && same_file("/dev/../glibc", "/glibc"));
	CHECK(same_file("/..", "/") && same_file("/../../proc/..", "/"));
	CHECK(chdir("/proc/self") == 0 && chdir("../..") == 0 && cwd_is("/"));
	n = readlink("/proc/self/fd/1", buf, sizeof(buf) - 1);
	CHECK(n == 12 && !memcmp(buf, "/dev/console", 12));
}

/* The child of exe_from_disk: 0 if /proc/self/exe is the program's real path. */
static int exe_child(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	return n == (ssize_t)strlen(SELF) && !memcmp(buf, SELF, (size_t)n) ? 0 : 1;
}

/* Runs this program through path from cwd dir; its exit status. */
static int run_self(const char *dir, const char *path)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (chdir(dir) == 0)
			execl(path, path, "exe", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void exe_from_disk(void)
{
	char buf[PATH_MAX], proc[64];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	CHECK(n == (ssize_t)strlen(SELF) && !memcmp(buf, SELF, (size_t)n));
	snprintf(proc, sizeof(proc), "/proc/%d/exe", getpid());
	n = readlink(proc, buf, sizeof(buf) - 1);
	CHECK(n == (ssize_t)strlen(SELF) && !memcmp(buf, SELF, (size_t)n));
	/* A relative path, and one with "..", name the same real path. */
	CHECK(run_self("/glibc", "./root_disk") == 0);
	CHECK(run_self("/dev", "../glibc/../glibc/root_disk") == 0);
	if (!strcmp(mode, "rw")) {
		/* Through a symlink on the disk: the link's target is shown. */
		unlink("/tmp/rd-link");
		CHECK(symlink("../glibc/root_disk", "/tmp/rd-link") == 0);
		CHECK(run_self("/", "/tmp/rd-link") == 0);
		CHECK(unlink("/tmp/rd-link") == 0);
	}
}

/* Whether a new file can be made on the root: 1, or 0 with errno. */
static int can_create(void)
{
	int fd = open("/tmp/rd-file", O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0)
		return 0;
	close(fd);
	unlink("/tmp/rd-file");
	return 1;
}

static void root_writes_and_remount(void)
{
	char buf[16];
	int fd;

	if (strcmp(mode, "rw")) {
		errno = 0;
		CHECK(!can_create() && errno == EROFS);
		CHECK(mkdir("/tmp/rd-dir", 0755) == -1 && errno == EROFS);
		CHECK(unlink("/glibc/root_disk") == -1 && errno == EROFS);
		errno = 0;
		if (!strcmp(mode, "dirty")) {
			/* Found dirty at boot: read-only until e2fsck, as Linux with errors. */
			CHECK(mount(NULL, "/", NULL, MS_REMOUNT, NULL) == -1 && errno == EROFS);
			CHECK(in_mounts("/dev/root / ext2 ro,", 1));
			return;
		}
		CHECK(mount(NULL, "/", NULL, MS_REMOUNT, NULL) == 0);
		CHECK(in_mounts("/dev/root / ext2 rw,", 1));
	}
	fd = open("/tmp/rd-file", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "on the disk", 11) == 11);
	/* A file open for writing keeps the root read-write. */
	errno = 0;
	CHECK(mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) == -1 && errno == EBUSY);
	CHECK(close(fd) == 0);
	CHECK(mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0);
	CHECK(in_mounts("/dev/root / ext2 ro,", 1));
	errno = 0;
	CHECK(!can_create() && errno == EROFS);
	errno = 0;
	CHECK(open("/tmp/rd-file", O_WRONLY) == -1 && errno == EROFS);
	fd = open("/tmp/rd-file", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 11 && !memcmp(buf, "on the disk", 11));
	close(fd);
	CHECK(mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0); /* no change */
	CHECK(mount(NULL, "/", NULL, MS_REMOUNT, NULL) == 0);
	CHECK(in_mounts("/dev/root / ext2 rw,", 1));
	CHECK(unlink("/tmp/rd-file") == 0 && can_create());
	if (strcmp(mode, "rw"))
		CHECK(mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0);
	/* Not the root of a mount. */
	errno = 0;
	CHECK(mount(NULL, "/glibc", NULL, MS_REMOUNT, NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(umount("/") == -1 && errno == EBUSY);
}

static void tmpfs_on_disk_dir(void)
{
	struct stat root, mnt;

	CHECK(mount("none", "/mnt", "tmpfs", 0, NULL) == 0);
	CHECK(stat("/", &root) == 0 && stat("/mnt", &mnt) == 0 && root.st_dev != mnt.st_dev);
	CHECK(in_mounts("none /mnt tmpfs rw", 0));
	/*
	 * Names are not made in it here: a RAM directory reached through a
	 * disk is EXDEV for that until the RAM file system is on the VFS
	 * (Documentation/filesystems.rst).
	 */
	CHECK(chdir("/mnt") == 0 && cwd_is("/mnt") && same_file(".", "/mnt"));
	CHECK(chdir("..") == 0 && cwd_is("/"));
	CHECK(same_file("/mnt/..", "/") && same_file("/mnt/../glibc", "/glibc"));
	CHECK(chdir("/mnt") == 0);
	errno = 0;
	CHECK(umount("/mnt") == -1 && errno == EBUSY);
	CHECK(chdir("/") == 0);
	/* The tmpfs read-only and back, reached through the disk. */
	CHECK(mount(NULL, "/mnt", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0);
	CHECK(in_mounts("none /mnt tmpfs ro", 0));
	CHECK(mount(NULL, "/mnt", NULL, MS_REMOUNT, NULL) == 0);
	CHECK(umount("/mnt") == 0);
	CHECK(stat("/mnt", &mnt) == 0 && mnt.st_dev == root.st_dev);
	/* A disk mounted on a disk's directory: the root's device, already mounted. */
	errno = 0;
	CHECK(mount("/dev/vda", "/mnt", "ext2", 0, NULL) == -1 && errno == EBUSY);
	/* Mounting over the root itself is not supported. */
	errno = 0;
	CHECK(mount("none", "/", "tmpfs", 0, NULL) == -1 && errno == EINVAL);
}

static void vfat_remount(void)
{
	struct statfs sf;
	int fd;

	if (!strcmp(vfat_dev, "-")) {
		utest_skip("no vfat disk");
		return;
	}
	CHECK(mount(vfat_dev, "/mnt", "vfat", 0, NULL) == 0);
	fd = open("/mnt/keep.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "vfat", 4) == 4);
	errno = 0;
	CHECK(mount(NULL, "/mnt", NULL, MS_REMOUNT | MS_RDONLY, NULL) == -1 && errno == EBUSY);
	CHECK(close(fd) == 0);
	CHECK(mount(NULL, "/mnt", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0);
	CHECK(statfs("/mnt", &sf) == 0 && (sf.f_flags & ST_RDONLY));
	CHECK(in_mounts(" /mnt vfat ro,", 0));
	errno = 0;
	CHECK(open("/mnt/new.txt", O_CREAT | O_WRONLY, 0644) == -1 && errno == EROFS);
	CHECK(mount(NULL, "/mnt", NULL, MS_REMOUNT, NULL) == 0);
	fd = open("/mnt/new.txt", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "again", 5) == 5);
	close(fd);
	CHECK(umount("/mnt") == 0);
}

int main(int argc, char **argv)
{
	static const struct utest_case cases[] = {
		UTEST_CASE(root_is_the_disk),
		UTEST_CASE(dev_and_proc),
		UTEST_CASE(exe_from_disk),
		UTEST_CASE(root_writes_and_remount),
		UTEST_CASE(tmpfs_on_disk_dir),
		UTEST_CASE(vfat_remount),
	};

	if (argc > 1 && !strcmp(argv[1], "exe"))
		return exe_child();
	if (argc > 1)
		mode = argv[1];
	if (argc > 2)
		vfat_dev = argv[2];
	return UTEST_RUN("root_disk", cases);
}
