/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fs_workload: one file-system workload for every file system: trees,
 * renames across directories, links, truncate, sparse and large files
 * with checksums, many files in one directory, concurrent writers
 * (processes and threads), Linux's errnos, and unmounting.
 *
 * utest: smp=1,4 timeout=180
 *
 * fs_workload [DEVICE MOUNTPOINT FSTYPE [MODE [LARGE_MIB]]]: with a
 * device, mounts it with mount(2) first, checks the files the host put in
 * host/ (tools/testing/run_tests.py, phase fs), and unmounts at the end.
 * MODE "full" (the default) runs every case and leaves persist/ for
 * "verify", a later boot's check; "powercut" writes until QEMU is killed;
 * "corrupt" expects the mount, or a walk of the root, to fail cleanly.
 * Without arguments it works in a directory it makes in its working
 * directory (tmpfs under Hartix, the host's under qemu-riscv64).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include "scratch.h"
#include "utest.h"

static const char *dev, *mnt, *fstype, *mode = "full", *self;
static long large_mib = 4;

/* Byte i of the test files: the runner's pattern too (ext2_pattern in run_tests.py). */
static unsigned char pattern(uint64_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

/* Writes len pattern bytes from offset off of the pattern at pos. */
static int write_pattern(int fd, uint64_t pos, size_t len)
{
	unsigned char buf[8192];

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf), i;

		for (i = 0; i < n; i++)
			buf[i] = pattern(pos + i);
		if (pwrite(fd, buf, n, (off_t)pos) != (ssize_t)n)
			return -1;
		pos += n;
		len -= n;
	}
	return 0;
}

static int check_pattern(int fd, uint64_t pos, size_t len)
{
	unsigned char buf[8192];

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf), i;

		if (pread(fd, buf, n, (off_t)pos) != (ssize_t)n)
			return -1;
		for (i = 0; i < n; i++)
			if (buf[i] != pattern(pos + i))
				return -1;
		pos += n;
		len -= n;
	}
	return 0;
}

static int put_file(const char *name, const char *text)
{
	int fd = open(path(name), O_CREAT | O_TRUNC | O_WRONLY, 0644);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int file_is(const char *name, const char *text)
{
	char buf[256];
	int fd = open(path(name), O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) && !memcmp(buf, text, (size_t)n);
}

static int count_entries(const char *name)
{
	DIR *d = opendir(path(name));
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static ino_t ino_of(const char *name)
{
	struct stat st;

	return stat(path(name), &st) ? 0 : st.st_ino;
}

/* FAT (vfat) has no links, symlinks or holes: those cases do what it can (as Linux's vfat). */
static int is_vfat(void)
{
	return fstype && !strcmp(fstype, "vfat");
}

static void mount_it(void)
{
	if (!dev) {
		utest_skip("no device: working in a scratch directory");
		return;
	}
	mkdir(mnt, 0755);
	CHECK(mount(dev, mnt, fstype, 0, NULL) == 0);
	snprintf(dir, sizeof(dir), "%s/w", mnt);
	/* Each run gets a fresh image: a full run makes w/, verify finds it. */
	CHECK(mkdir(dir, 0755) == 0 ||
	      ((errno == EEXIST || errno == EROFS) && strcmp(mode, "full")));
}

/*
 * The mount in the namespace: mount(2)'s errors, a working directory on
 * it and ".." back out, EBUSY while a file is open, EXDEV to tmpfs,
 * statfs's magic, /proc/mounts.
 */
static void namespace_checks(void)
{
	char cwd[256], line[512], want[256];
	struct stat a, b;
	struct statfs sf;
	FILE *f;
	int fd, found = 0;

	if (!dev) {
		utest_skip("no device");
		return;
	}
	mkdir("/tmp/fs_workload.other", 0755);
	CHECK(mount("/dev/null", "/tmp/fs_workload.other", fstype, 0, NULL) == -1 &&
	      errno == ENOTBLK);
	CHECK(mount(dev, "/tmp/fs_workload.other", "nosuchfs", 0, NULL) == -1 && errno == ENODEV);
	CHECK(chdir(mnt) == 0);
	CHECK(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, mnt));
	CHECK(chdir("w") == 0 && getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, dir) && chdir("..") == 0);
	CHECK(stat("..", &a) == 0 && stat("/", &b) == 0 && a.st_ino == b.st_ino &&
	      a.st_dev == b.st_dev);
	CHECK(stat(".", &a) == 0 && stat(mnt, &b) == 0 && a.st_ino == b.st_ino &&
	      a.st_dev == b.st_dev && a.st_dev != 0);
	CHECK(chdir("/") == 0);
	CHECK(statfs(mnt, &sf) == 0 &&
	      sf.f_type == (is_vfat() ? 0x4d44 /* MSDOS_SUPER_MAGIC */ : 0xEF53 /* EXT2 */));
	fd = open(path("busy"), O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	CHECK(umount2(mnt, 0) == -1 && errno == EBUSY);
	CHECK(umount2(mnt, MNT_DETACH) == -1 && errno == EBUSY);
	close(fd);
	CHECK(rename(path("busy"), "/tmp/fs_workload.busy") == -1 && errno == EXDEV);
	CHECK(link(path("busy"), "/tmp/fs_workload.busy") == -1 && errno == EXDEV);
	CHECK(unlink(path("busy")) == 0);
	snprintf(want, sizeof(want), "%s %s %s rw,", dev, mnt, fstype);
	f = fopen("/proc/mounts", "r");
	while (f && fgets(line, sizeof(line), f))
		found += !strncmp(line, want, strlen(want));
	if (f)
		fclose(f);
	CHECK(found == 1);
	rmdir("/tmp/fs_workload.other");
}

/* A program copied onto the disk runs from there (this one, asked only for an exit status). */
static void exec_from_disk(void)
{
	static char buf[65536];
	int in, out, status;
	ssize_t n = 0;
	pid_t pid;

	if (!dev) {
		utest_skip("no device");
		return;
	}
	in = open(self, O_RDONLY);
	out = open(path("prog"), O_CREAT | O_TRUNC | O_WRONLY, 0755);
	CHECK(in >= 0 && out >= 0);
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	CHECK(n == 0);
	close(in);
	close(out);
	pid = fork();
	if (!pid) {
		execl(path("prog"), "prog", "--exit-42", (char *)NULL);
		_exit(1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42);
	CHECK(unlink(path("prog")) == 0);
}

/* The files the host put there with mkfs -d (or mtools). */
static void host_files(void)
{
	char saved[64];
	int fd;

	if (!dev) {
		utest_skip("no host image");
		return;
	}
	memcpy(saved, dir, sizeof(saved));
	snprintf(dir, sizeof(dir), "%s/host", mnt);
	CHECK(file_is("hello.txt", "hello from the host\n"));
	fd = open(path("big"), O_RDONLY);
	CHECK(fd >= 0 && check_pattern(fd, 0, 200000) == 0);
	CHECK(fd >= 0 && lseek(fd, 0, SEEK_END) == 200000);
	close(fd);
	CHECK(count_entries("many") == 40);
	memcpy(dir, saved, sizeof(saved));
}

static void trees(void)
{
	CHECK(mkdir(path("t"), 0755) == 0);
	CHECK(mkdir(path("t/a"), 0755) == 0);
	CHECK(mkdir(path("t/a/b"), 0755) == 0);
	CHECK(mkdir(path("t/a/b/c"), 0700) == 0);
	CHECK(put_file("t/1", "one\n") == 0);
	CHECK(put_file("t/a/2", "two\n") == 0);
	CHECK(put_file("t/a/b/3", "three\n") == 0);
	CHECK(put_file("t/a/b/c/4", "four\n") == 0);
	CHECK(file_is("t/a/b/c/4", "four\n"));
	CHECK(count_entries("t") == 2);
	CHECK(count_entries("t/a/b") == 2);
	CHECK(mkdir(path("t/a"), 0755) == -1 && errno == EEXIST);
	CHECK(rmdir(path("t/a")) == -1 && errno == ENOTEMPTY);
	CHECK(unlink(path("t/a")) == -1 && errno == EISDIR);
	CHECK(open(path("t/nope"), O_RDONLY) == -1 && errno == ENOENT);
	CHECK(open(path("t/1/x"), O_RDONLY) == -1 && errno == ENOTDIR);
	{
		/* 256 bytes: one more than a name may have. */
		char full[400];
		int n = snprintf(full, sizeof(full), "%s/", dir);

		memset(full + n, 'n', 256);
		full[n + 256] = '\0';
		CHECK(open(full, O_CREAT | O_WRONLY, 0644) == -1 && errno == ENAMETOOLONG);
	}
}

static void renames(void)
{
	struct stat st;

	CHECK(mkdir(path("r1"), 0755) == 0 && mkdir(path("r2"), 0755) == 0);
	CHECK(mkdir(path("r1/sub"), 0755) == 0 && put_file("r1/sub/f", "moved\n") == 0);
	CHECK(put_file("r1/file", "file\n") == 0);
	CHECK(rename(path("r1/file"), path("r2/file2")) == 0);
	CHECK(file_is("r2/file2", "file\n"));
	CHECK(access(path("r1/file"), F_OK) == -1 && errno == ENOENT);
	/* A directory across: its ".." follows, the link counts move. */
	CHECK(rename(path("r1/sub"), path("r2/sub")) == 0);
	CHECK(file_is("r2/sub/f", "moved\n"));
	CHECK(ino_of("r2/sub/..") == ino_of("r2"));
	CHECK(stat(path("r1"), &st) == 0 && st.st_nlink == 2);
	CHECK(stat(path("r2"), &st) == 0 && st.st_nlink == 3);
	/* Replacing a file, and an empty directory; not a full one. */
	CHECK(put_file("r2/victim", "old\n") == 0);
	CHECK(rename(path("r2/file2"), path("r2/victim")) == 0);
	CHECK(file_is("r2/victim", "file\n"));
	CHECK(mkdir(path("r1/empty"), 0755) == 0);
	CHECK(rename(path("r2/sub"), path("r1/empty")) == 0);
	CHECK(file_is("r1/empty/f", "moved\n"));
	CHECK(mkdir(path("r2/full"), 0755) == 0 && put_file("r2/full/x", "x") == 0);
	CHECK(mkdir(path("r2/other"), 0755) == 0);
	CHECK(rename(path("r2/other"), path("r2/full")) == -1 && errno == ENOTEMPTY);
	CHECK(renameat2(AT_FDCWD, path("r2/victim"), AT_FDCWD, path("r2/full/x"),
			RENAME_NOREPLACE) == -1 && errno == EEXIST);
	CHECK(rename(path("r1"), path("r1/empty/inside")) == -1 && errno == EINVAL);
}

static void links(void)
{
	struct stat st;
	char buf[300], target[200];

	if (is_vfat()) {
		CHECK(put_file("l-second", "linked\n") == 0);
		CHECK(link(path("l-second"), path("l-link")) == -1 && errno == EPERM);
		CHECK(symlink("l-second", path("l-fast")) == -1 && errno == EPERM);
		return;
	}
	CHECK(put_file("l-orig", "linked\n") == 0);
	CHECK(link(path("l-orig"), path("l-second")) == 0);
	CHECK(stat(path("l-orig"), &st) == 0 && st.st_nlink == 2);
	CHECK(unlink(path("l-orig")) == 0);
	CHECK(file_is("l-second", "linked\n"));
	CHECK(stat(path("l-second"), &st) == 0 && st.st_nlink == 1);
	CHECK(mkdir(path("l-dir"), 0755) == 0);
	CHECK(link(path("l-dir"), path("l-dirlink")) == -1 && errno == EPERM);
	CHECK(symlink("l-second", path("l-fast")) == 0);
	CHECK(readlink(path("l-fast"), buf, sizeof(buf)) == 8 && !memcmp(buf, "l-second", 8));
	CHECK(file_is("l-fast", "linked\n"));
	memset(target, 'x', 150);
	strcpy(target + 150, "/../l-second");
	CHECK(symlink(target, path("l-slow")) == 0);
	CHECK(readlink(path("l-slow"), buf, sizeof(buf)) == (ssize_t)strlen(target) &&
	      !memcmp(buf, target, strlen(target)));
	CHECK(lstat(path("l-slow"), &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == (off_t)strlen(target));
}

static void truncate_files(void)
{
	struct stat st;
	blkcnt_t blocks;
	char zero[4096] = { 0 }, buf[4096];
	int fd = open(path("trunc"), O_CREAT | O_RDWR, 0644);

	CHECK(fd >= 0 && write_pattern(fd, 0, 300000) == 0);
	CHECK(fsync(fd) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 300000);
	blocks = st.st_blocks;
	CHECK(ftruncate(fd, 5000) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 5000 && st.st_blocks < blocks);
	CHECK(check_pattern(fd, 0, 5000) == 0);
	/* Extending again: what was cut reads as zeroes. */
	CHECK(ftruncate(fd, 100000) == 0);
	CHECK(pread(fd, buf, sizeof(buf), 5000) == sizeof(buf) && !memcmp(buf, zero, sizeof(buf)));
	CHECK(pread(fd, buf, sizeof(buf), 90000) == sizeof(buf) && !memcmp(buf, zero, sizeof(buf)));
	CHECK(truncate(path("trunc"), 0) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0);
	close(fd);
}

static void sparse_files(void)
{
	struct stat st;
	char buf[4096], zero[4096] = { 0 };
	int fd = open(path("sparse"), O_CREAT | O_RDWR, 0644);
	/* vfat fills the gap with zeroed clusters: a smaller one. */
	off_t end = is_vfat() ? 1 << 20 : 50 << 20;

	CHECK(fd >= 0 && pwrite(fd, "END", 3, end) == 3);
	CHECK(fstat(fd, &st) == 0 && st.st_size == end + 3);
	CHECK(is_vfat() || st.st_blocks < 64);
	CHECK(pread(fd, buf, sizeof(buf), end / 5 * 2) == sizeof(buf) &&
	      !memcmp(buf, zero, sizeof(buf)));
	CHECK(pread(fd, buf, 10, end) == 3 && !memcmp(buf, "END", 3));
	close(fd);
}

static void large_file(void)
{
	size_t len = (size_t)large_mib << 20, chunk = 64 << 10, i;
	unsigned char *buf = malloc(chunk);
	uint64_t want = 0xcbf29ce484222325ULL, got = want;
	int fd = open(path("large"), O_CREAT | O_TRUNC | O_RDWR, 0644);

	CHECK(buf && fd >= 0);
	for (i = 0; buf && fd >= 0 && i < len; i += chunk) {
		size_t k;

		for (k = 0; k < chunk; k++)
			buf[k] = pattern(i + k);
		want = fnv(want, buf, chunk);
		CHECK(write(fd, buf, chunk) == (ssize_t)chunk);
	}
	CHECK(fsync(fd) == 0);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	for (i = 0; buf && fd >= 0 && i < len; i += chunk) {
		CHECK(read(fd, buf, chunk) == (ssize_t)chunk);
		got = fnv(got, buf, chunk);
	}
	CHECK(got == want);
	CHECK(read(fd, buf, chunk) == 0);
	close(fd);
	free(buf);
}

#define MANY 1000

static void many_files(void)
{
	char name[64];
	int i, bad = 0;

	CHECK(mkdir(path("many"), 0755) == 0);
	for (i = 0; i < MANY; i++) {
		int fd;

		snprintf(name, sizeof(name), "many/file-%04d", i);
		fd = open(path(name), O_CREAT | O_EXCL | O_WRONLY, 0644);
		bad += fd < 0 || write(fd, name, strlen(name)) != (ssize_t)strlen(name);
		close(fd);
	}
	CHECK(bad == 0);
	CHECK(count_entries("many") == MANY);
	CHECK(file_is("many/file-0777", "many/file-0777"));
	for (i = 0; i < MANY; i += 2) {
		snprintf(name, sizeof(name), "many/file-%04d", i);
		bad += unlink(path(name)) != 0;
	}
	CHECK(bad == 0);
	CHECK(count_entries("many") == MANY / 2);
	CHECK(file_is("many/file-0999", "many/file-0999"));
}

#define WRITERS 4
#define RECORDS 200
#define REC_LEN 23 /* "thread 0 record 000000\n" */

struct writer {
	int fd, id;
};

/* Threads append fixed-size records to one O_APPEND file: none may be torn or lost. */
static void *appender(void *arg)
{
	struct writer *w = arg;
	char rec[32];
	int i;

	for (i = 0; i < RECORDS; i++) {
		int n = snprintf(rec, sizeof(rec), "thread %d record %06d\n", w->id, i);

		if (n != REC_LEN || write(w->fd, rec, REC_LEN) != REC_LEN)
			return (void *)1;
	}
	return NULL;
}

static void concurrent_writers(void)
{
	pthread_t th[WRITERS];
	struct writer w[WRITERS];
	pid_t pids[WRITERS];
	struct stat st;
	char name[32];
	int i, fd, status, counts[WRITERS] = { 0 };
	FILE *f;
	char line[64];

	/* Processes, each its own file. */
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			snprintf(name, sizeof(name), "proc-%d", i);
			fd = open(path(name), O_CREAT | O_TRUNC | O_RDWR, 0644);
			_exit(fd < 0 || write_pattern(fd, (uint64_t)i * 1000, 256 << 10) ||
			      check_pattern(fd, (uint64_t)i * 1000, 256 << 10));
		}
	}
	for (i = 0; i < WRITERS; i++)
		CHECK(waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0);
	for (i = 0; i < WRITERS; i++) {
		snprintf(name, sizeof(name), "proc-%d", i);
		fd = open(path(name), O_RDONLY);
		CHECK(fd >= 0 && check_pattern(fd, (uint64_t)i * 1000, 256 << 10) == 0);
		close(fd);
	}
	/* Threads, one file. */
	fd = open(path("appended"), O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0644);
	CHECK(fd >= 0);
	for (i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ fd, i };
		CHECK(pthread_create(&th[i], NULL, appender, &w[i]) == 0);
	}
	for (i = 0; i < WRITERS; i++) {
		void *ret;

		CHECK(pthread_join(th[i], &ret) == 0 && ret == NULL);
	}
	close(fd);
	CHECK(stat(path("appended"), &st) == 0 && st.st_size == WRITERS * RECORDS * REC_LEN);
	f = fopen(path("appended"), "r");
	while (f && fgets(line, sizeof(line), f)) {
		int id, rec;

		if (sscanf(line, "thread %d record %d", &id, &rec) == 2 && id >= 0 && id < WRITERS &&
		    rec == counts[id])
			counts[id]++;
	}
	if (f)
		fclose(f);
	for (i = 0; i < WRITERS; i++)
		CHECK(counts[i] == RECORDS);
}

/* What the next boot's "verify" reads back. */
static void leave_for_next_boot(void)
{
	int fd;

	mkdir(path("../persist"), 0755);
	CHECK(put_file("../persist/note", "persisted across boots\n") == 0);
	fd = open(path("../persist/data"), O_CREAT | O_TRUNC | O_RDWR, 0644);
	CHECK(fd >= 0 && write_pattern(fd, 0, 1 << 20) == 0);
	close(fd);
	sync();
}

static void umount_it(void)
{
	char cwd[256];

	if (!dev) {
		utest_skip("nothing mounted");
		return;
	}
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(mnt) == 0);
	CHECK(umount2(mnt, 0) == -1 && errno == EBUSY);
	CHECK(chdir("/") == 0);
	CHECK(umount2(mnt, 0) == 0);
	CHECK(access(dir, F_OK) == -1 && errno == ENOENT);
}

static void verify(void)
{
	int fd;

	CHECK(file_is("../persist/note", "persisted across boots\n"));
	fd = open(path("../persist/data"), O_RDONLY);
	CHECK(fd >= 0 && check_pattern(fd, 0, 1 << 20) == 0);
	close(fd);
	CHECK(file_is("l-second", "linked\n"));
}

/* Writes files until the power goes (the runner kills QEMU). */
static void powercut(void)
{
	char name[32];
	int i;

	for (i = 0;; i++) {
		int fd;

		snprintf(name, sizeof(name), "cut-%d", i % 64);
		fd = open(path(name), O_CREAT | O_TRUNC | O_RDWR, 0644);
		if (fd < 0 || write_pattern(fd, (uint64_t)i, 64 << 10))
			break;
		close(fd);
		printf("fs_workload: powercut: written %d\n", i + 1);
		fflush(stdout);
	}
	CHECK(0);
}

/*
 * A corrupt image: the mount fails with EUCLEAN, EINVAL or EIO, or, if
 * the damage is deeper, walking the root directory does.
 */
static void corrupt_image(void)
{
	struct dirent *e;
	DIR *d;
	int err = 0;

	mkdir(mnt, 0755);
	if (mount(dev, mnt, fstype, 0, NULL)) {
		CHECK(errno == EUCLEAN || errno == EINVAL || errno == EIO);
		return;
	}
	d = opendir(mnt);
	errno = 0;
	while (d && (e = readdir(d))) {
		struct stat st;
		char full[600];

		snprintf(full, sizeof(full), "%s/%s", mnt, e->d_name);
		if (lstat(full, &st))
			err = errno;
	}
	if (!d || errno)
		err = errno;
	if (d)
		closedir(d);
	CHECK(err == EUCLEAN || err == EIO);
	CHECK(umount2(mnt, 0) == 0);
}

static const struct utest_case full_cases[] = {
	UTEST_CASE(mount_it), UTEST_CASE(namespace_checks), UTEST_CASE(host_files),
	UTEST_CASE(exec_from_disk), UTEST_CASE(trees), UTEST_CASE(renames),
	UTEST_CASE(links), UTEST_CASE(truncate_files), UTEST_CASE(sparse_files),
	UTEST_CASE(large_file), UTEST_CASE(many_files), UTEST_CASE(concurrent_writers),
	UTEST_CASE(leave_for_next_boot), UTEST_CASE(umount_it),
};

static const struct utest_case verify_cases[] = {
	UTEST_CASE(mount_it), UTEST_CASE(host_files), UTEST_CASE(verify), UTEST_CASE(umount_it),
};

static const struct utest_case powercut_cases[] = {
	UTEST_CASE(mount_it), UTEST_CASE(powercut),
};

static const struct utest_case corrupt_cases[] = {
	UTEST_CASE(corrupt_image),
};

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc == 2 && !strcmp(argv[1], "--exit-42"))
		return 42; /* exec_from_disk's child */
	if (argc >= 4) {
		dev = argv[1];
		mnt = argv[2];
		fstype = argv[3];
		if (argc >= 5)
			mode = argv[4];
		if (argc >= 6)
			large_mib = atol(argv[5]);
	} else {
		snprintf(dir, sizeof(dir), "fs_workload.%d", (int)getpid());
		if (mkdir(dir, 0755)) {
			perror("mkdir");
			return 1;
		}
	}
	if (!strcmp(mode, "verify"))
		return UTEST_RUN("fs_workload", verify_cases);
	if (!strcmp(mode, "corrupt"))
		return UTEST_RUN("fs_workload", corrupt_cases);
	if (!strcmp(mode, "powercut"))
		return UTEST_RUN("fs_workload", powercut_cases);
	return UTEST_RUN("fs_workload", full_cases);
}
