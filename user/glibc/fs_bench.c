/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench's disk file system side: sequential write then read of a big
 * file (cold and warm cache), creating 10,000 files, stat of a cached path
 * (on the disk, and on tmpfs: /tmp, the walk through RAM directories only),
 * and fork + execve of this program (padded to over 1 MiB, as lmbench's
 * lat_proc measures a 1 MiB static program) copied onto the disk and from
 * the initramfs, in instructions retired (1 hart under QEMU -icount
 * shift=0: the hart's count, so the child's and the kernel's are in it)
 * and guest time.
 *
 * fs_bench DEVICE MOUNTPOINT FSTYPE SIZE_MIB
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "counters.h"

#define NR_FILES 10000
#define NR_EXECS 20

/* Makes the program over 1 MiB; never touched, as most of a big program's pages. */
static const char pad[640 << 10] __attribute__((used)) = { 1 };

static unsigned long t0, i0;

static void start(void)
{
	t0 = now_ns();
	i0 = instret();
}

/* per: the unit of the instruction count ("KiB", "op"); n of them; bytes for a rate. */
static void report(const char *name, const char *per, unsigned long n, unsigned long bytes)
{
	unsigned long instr = instret() - i0, ns = now_ns() - t0;

	printf("bench: %s %lu instructions/%s %lu ns", name, instr / n, per, ns);
	if (bytes)
		printf(" %lu KiB/s", (unsigned long)((double)bytes / 1024 / ((double)ns / 1e9)));
	printf("\n");
}

static int seq(const char *file, size_t size, int write_it)
{
	static char buf[64 << 10];
	size_t done;
	int fd = open(file, write_it ? O_CREAT | O_TRUNC | O_WRONLY : O_RDONLY, 0644);

	if (fd < 0)
		return -1;
	memset(buf, 'x', sizeof(buf));
	for (done = 0; done < size; done += sizeof(buf))
		if ((write_it ? write(fd, buf, sizeof(buf)) : read(fd, buf, sizeof(buf))) !=
		    (ssize_t)sizeof(buf))
			return -1;
	if (write_it && fsync(fd))
		return -1;
	return close(fd);
}

/* fork + execve of prog (which exits at once) n times: 0, or -1 if a child failed. */
static int fork_execs(const char *prog, int n)
{
	int i, status;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (!pid) {
			execl(prog, prog, "--exit", (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			return -1;
	}
	return 0;
}

/* Copies this program to to (mode 0755): 0 or -1. */
static int copy_self(const char *self, const char *to)
{
	int in = open(self, O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	struct stat st;
	off_t off = 0;

	if (in < 0 || out < 0 || fstat(in, &st))
		return -1;
	while (off < st.st_size)
		if (sendfile(out, in, &off, (size_t)(st.st_size - off)) <= 0)
			return -1;
	return close(in) || close(out) ? -1 : 0;
}

int main(int argc, char **argv)
{
	const char *dev, *mnt, *type;
	char file[256], name[300];
	size_t size;
	struct stat st;
	int i;

	if (argc == 2 && !strcmp(argv[1], "--exit"))
		return 0; /* the exec benchmark's child */
	if (argc < 5) {
		fprintf(stderr, "usage: fs_bench DEVICE MOUNTPOINT FSTYPE SIZE_MIB\n");
		return 2;
	}
	dev = argv[1];
	mnt = argv[2];
	type = argv[3];
	size = (size_t)atol(argv[4]) << 20;
	mkdir(mnt, 0755);
	if (mount(dev, mnt, type, 0, NULL)) {
		printf("bench: mount: %s\n", strerror(errno));
		return 1;
	}
	snprintf(file, sizeof(file), "%s/big", mnt);
	start();
	if (seq(file, size, 1))
		return printf("bench: write failed: %s\n", strerror(errno)), 1;
	report("seq_write", "KiB", size >> 10, size);
	start();
	if (seq(file, size, 0))
		return printf("bench: read failed\n"), 1;
	report("seq_read_warm", "KiB", size >> 10, size);
	/* A remount empties the caches. */
	if (umount2(mnt, 0) || mount(dev, mnt, type, 0, NULL))
		return printf("bench: remount: %s\n", strerror(errno)), 1;
	start();
	if (seq(file, size, 0))
		return printf("bench: read failed\n"), 1;
	report("seq_read_cold", "KiB", size >> 10, size);

	snprintf(name, sizeof(name), "%s/d", mnt);
	mkdir(name, 0755);
	start();
	for (i = 0; i < NR_FILES; i++) {
		int fd;

		snprintf(name, sizeof(name), "%s/d/f%d", mnt, i);
		fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			return printf("bench: create: %s\n", strerror(errno)), 1;
		close(fd);
	}
	report("create_10000_files", "op", NR_FILES, 0);
	snprintf(name, sizeof(name), "%s/d/f500", mnt);
	stat(name, &st);
	start();
	for (i = 0; i < 1000; i++)
		stat(name, &st);
	report("stat_cached", "op", 1000, 0);
	mkdir("/tmp/bench", 0755);
	close(open("/tmp/bench/f500", O_CREAT | O_WRONLY, 0644));
	stat("/tmp/bench/f500", &st);
	start();
	for (i = 0; i < 1000; i++)
		stat("/tmp/bench/f500", &st);
	report("stat_cached_tmpfs", "op", 1000, 0);

	snprintf(name, sizeof(name), "%s/prog", mnt);
	if (copy_self(argv[0], name) || stat(name, &st))
		return printf("bench: copy of %s: %s\n", argv[0], strerror(errno)), 1;
	printf("bench: exec: a %ld KiB program\n", (long)st.st_size >> 10);
	/* The first one warms the caches. */
	if (fork_execs(name, 1))
		return printf("bench: exec of %s failed\n", name), 1;
	start();
	if (fork_execs(name, NR_EXECS))
		return printf("bench: exec of %s failed\n", name), 1;
	report("fork_execve_disk", "op", NR_EXECS, 0);
	fork_execs(argv[0], 1);
	start();
	if (fork_execs(argv[0], NR_EXECS))
		return printf("bench: exec of %s failed\n", argv[0]), 1;
	report("fork_execve_initramfs", "op", NR_EXECS, 0);
	if (umount2(mnt, 0))
		return printf("bench: umount: %s\n", strerror(errno)), 1;
	printf("bench: done\n");
	return 0;
}
