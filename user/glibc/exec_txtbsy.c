/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exec_txtbsy: ETXTBSY as Linux (a running program cannot be opened for writing or truncated, a file open for writing cannot be run), and programs run from their file's own pages without changing them.
 *
 * utest: smp=1,2 timeout=120
 *
 * The program copies itself next to where it lies (the initramfs, or a
 * disk root) and runs the copies. Under qemu-riscv64 (the Linux
 * reference) execve() is the host kernel's: it refuses a file open for
 * writing with ETXTBSY too, but cannot run a riscv64 program (no
 * binfmt_misc), so the cases that need one running only check that it
 * got as far as the format (ENOEXEC).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "exec_run.h"
#include "utest.h"

static const char *self; /* argv[0] */
static char dir[PATH_MAX]; /* the scratch directory, made next to self */

/* Initialized data and .bss, which a run must find as the file has them. */
static volatile int data_word = 12345;
static volatile char bss_block[12000];

static const char *path(const char *name)
{
	static char buf[4][PATH_MAX + 32];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* The whole of file p in a malloc'd buffer, its size in *len. */
static char *slurp(const char *p, size_t *len)
{
	int fd = open(p, O_RDONLY);
	struct stat st;
	char *buf = NULL;

	if (fd < 0 || fstat(fd, &st))
		goto out;
	buf = malloc((size_t)st.st_size + 1);
	if (buf && read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	*len = (size_t)st.st_size;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

/* A copy of this program at dst; 0 on success. */
static int copy_self(const char *dst)
{
	size_t len = 0;
	char *buf = slurp(self, &len);
	int fd, ok;

	if (!buf)
		return -1;
	unlink(dst);
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0755);
	ok = fd >= 0 && write(fd, buf, len) == (ssize_t)len;
	if (fd >= 0)
		close(fd);
	free(buf);
	return ok ? 0 : -1;
}

/* Runs p with the given argument; -errno if execve failed, else the exit status. */
static int run(const char *p, const char *arg)
{
	char *argv[] = { (char *)p, (char *)arg, NULL };

	return exec_run(p, argv, environ, NULL, 0);
}

/* errno of open(p, flags), 0 if it opened. */
static int open_errno(const char *p, int flags)
{
	int fd = open(p, flags);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* ------------------------------------------------------------------ */

/* execve() of a file open for writing: ETXTBSY while any open file writes it. */
static void exec_of_file_open_for_writing(void)
{
	const char *prog = path("prog");
	int wr, rdwr, rd;
	pid_t pid;

	CHECK(copy_self(prog) == 0);
	wr = open(prog, O_WRONLY);
	CHECK(wr >= 0);
	CHECK(run(prog, "--exit") == -ETXTBSY);
	rdwr = open(prog, O_RDWR);
	close(wr);
	CHECK(run(prog, "--exit") == -ETXTBSY);
	/* Counted per open file: a fork's copy of the descriptor keeps it open. */
	pid = fork();
	if (pid == 0) {
		usleep(300 * 1000);
		_exit(0);
	}
	close(rdwr);
	CHECK(run(prog, "--exit") == -ETXTBSY);
	CHECK(waitpid(pid, NULL, 0) == pid);
	rd = open(prog, O_RDONLY);
	CHECK(rd >= 0);
	if (ran(run(prog, "--exit")))
		CHECK(run(prog, "--exit") == 42);
	close(rd);
	unlink(prog);
}

/*
 * A child runs prog --wait: it says it started on ready, waits on go and
 * then exits, or with 'x' runs next instead. Returns its pid, or -1 if
 * it did not start (on the Linux reference: ENOEXEC, checked).
 */
static pid_t start_waiting(const char *prog, const char *next, int ready[2], int go[2])
{
	char r[16], g[16], c;
	int errp[2], err = 0;
	pid_t pid;

	if (pipe(ready) || pipe(go) || pipe2(errp, O_CLOEXEC))
		return -1;
	snprintf(r, sizeof(r), "%d", ready[1]);
	snprintf(g, sizeof(g), "%d", go[0]);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)prog, "--wait", r, g, (char *)next, NULL };

		close(ready[0]);
		close(go[1]);
		execv(prog, argv);
		err = errno;
		write(errp[1], &err, sizeof(err));
		_exit(127);
	}
	close(errp[1]);
	close(ready[1]);
	close(go[0]);
	if (read(errp[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(errp[0]);
	if (err) {
		CHECK(on_linux && err == ENOEXEC);
		waitpid(pid, NULL, 0);
		return -1;
	}
	CHECK(read(ready[0], &c, 1) == 1 && c == 'r');
	return pid;
}

/* Every way of writing prog by name fails with ETXTBSY; reading does not. */
static void check_denied(const char *prog)
{
	struct stat st, after;

	CHECK(stat(prog, &st) == 0);
	CHECK(open_errno(prog, O_WRONLY) == ETXTBSY);
	CHECK(open_errno(prog, O_RDWR) == ETXTBSY);
	CHECK(open_errno(prog, O_WRONLY | O_TRUNC) == ETXTBSY);
	CHECK(open_errno(prog, O_RDONLY | O_TRUNC) == ETXTBSY);
	CHECK(truncate(prog, 0) == -1 && errno == ETXTBSY);
	CHECK(open_errno(prog, O_RDONLY) == 0);
	CHECK(stat(prog, &after) == 0 && after.st_size == st.st_size);
}

/* A program running (or being run by a fork of it) denies writes until it is gone. */
static void running_program_denies_writes(void)
{
	const char *prog = path("prog"), *next = path("next");
	int ready[2], go[2];
	char c = 'x';
	pid_t pid;

	CHECK(copy_self(prog) == 0);
	CHECK(copy_self(next) == 0);
	pid = start_waiting(prog, next, ready, go);
	if (pid < 0) {
		close(ready[0]);
		close(go[1]);
		utest_skip("the host kernel does not run riscv64 programs");
		goto out;
	}
	check_denied(prog);
	CHECK(open_errno(next, O_WRONLY) == 0);
	/* It runs next instead: prog is free, next is not. */
	CHECK(write(go[1], &c, 1) == 1);
	CHECK(read(ready[0], &c, 1) == 1 && c == 'r');
	CHECK(open_errno(prog, O_WRONLY) == 0);
	check_denied(next);
	/* Once it is gone, next is free too. */
	close(go[1]);
	CHECK(read(ready[0], &c, 1) == 0);
	CHECK(waitpid(pid, NULL, 0) == pid);
	CHECK(open_errno(next, O_WRONLY) == 0);
	CHECK(truncate(next, 0) == 0);
	close(ready[0]);
out:
	unlink(prog);
	unlink(next);
}

/* This very program, from the initramfs or a disk, cannot be opened for writing. */
static void self_denies_writes(void)
{
	if (on_linux) {
		/* qemu-riscv64 reads the program itself: the host does not run it. */
		utest_skip("the host kernel does not run this program");
		return;
	}
	CHECK(open_errno(self, O_WRONLY) == ETXTBSY);
	CHECK(open_errno("/proc/self/exe", O_RDWR) == ETXTBSY);
	CHECK(open_errno(self, O_RDONLY) == 0);
}

/*
 * Programs run from the file's pages: a store to initialized data
 * copies the page, so the next run (and the file) still has the
 * original; .bss past the file's bytes in the same page reads as zeroes.
 */
static void data_pages_copied_on_write(void)
{
	const char *prog = path("prog");
	size_t a = 0, b = 0;
	char *before, *after;
	int ret;

	CHECK(copy_self(prog) == 0);
	before = slurp(prog, &a);
	ret = run(prog, "--data");
	if (ran(ret)) {
		CHECK(ret == 0);
		CHECK(run(prog, "--data") == 0);
		CHECK(run(self, "--data") == 0);
	}
	after = slurp(prog, &b);
	CHECK(before && after && a == b && !memcmp(before, after, a));
	free(before);
	free(after);
	unlink(prog);
}

static const struct utest_case cases[] = {
	UTEST_CASE(exec_of_file_open_for_writing),
	UTEST_CASE(running_program_denies_writes),
	UTEST_CASE(self_denies_writes),
	UTEST_CASE(data_pages_copied_on_write),
};

/* The child modes. */
static int child(int argc, char **argv)
{
	size_t i;
	char c;

	if (!strcmp(argv[1], "--exit"))
		return 42;
	if (!strcmp(argv[1], "--data")) {
		for (i = 0; i < sizeof(bss_block); i++)
			if (bss_block[i])
				return 2;
		if (data_word != 12345)
			return 3;
		data_word = 999;
		bss_block[0] = 1;
		return data_word == 999 ? 0 : 4;
	}
	/* --wait READY GO [NEXT] */
	if (argc < 4 || write(atoi(argv[2]), "r", 1) != 1)
		return 5;
	if (read(atoi(argv[3]), &c, 1) == 1 && c == 'x' && argc > 4) {
		char *next[] = { argv[4], "--wait", argv[2], argv[3], NULL };

		execv(argv[4], next);
		return 6;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct utsname u;
	int ret;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] == '-')
		return child(argc, argv);
	self = argv[0];
	snprintf(dir, sizeof(dir), "%s", self);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	else
		strcpy(dir, ".");
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/txtbsy.%d", (int)getpid());
	if (mkdir(dir, 0755)) {
		perror("mkdir");
		return 1;
	}
	on_linux = !uname(&u) && !strcmp(u.sysname, "Linux");
	ret = UTEST_RUN("exec_txtbsy", cases);
	rmdir(dir);
	return ret;
}
