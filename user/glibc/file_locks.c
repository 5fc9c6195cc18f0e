/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * file_locks: flock and fcntl record locks between processes through
 * glibc: conflicts, F_GETLK's holder, F_SETLKW waking, EINTR, EDEADLK,
 * release at close and exit, ranges split and merged, and OFD locks.
 *
 * utest: smp=1,4
 *
 * Works in a directory it makes in its working directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

static char file[64];

static int open_file(int flags)
{
	return open(file, flags | O_CREAT, 0644);
}

static int lk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* F_GETLK for a write lock on [start, start + len): the holder's lock. */
static struct flock getlk(int fd, int cmd, off_t start, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	if (fcntl(fd, cmd, &fl))
		fl.l_type = -1;
	return fl;
}

/* Runs fn in a child; its exit status, or -1. */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int child_flock_nb(void)
{
	int fd = open_file(O_RDWR), ex, sh;

	errno = 0;
	ex = flock(fd, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK;
	errno = 0;
	sh = flock(fd, LOCK_SH | LOCK_NB);
	return ex ? (sh == 0 ? 1 : 2) : 3;
}

static int child_flock_ex(void)
{
	int fd = open_file(O_RDWR);

	return flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : 4;
}

static void flock_between_processes(void)
{
	int fd = open_file(O_RDWR), dup_fd;

	CHECK(fd >= 0);
	CHECK(flock(fd, LOCK_EX) == 0);
	/* an exclusive lock: the child can take neither kind */
	CHECK(in_child(child_flock_nb) == 2);
	/* converted to shared: the child gets a shared one, not exclusive */
	CHECK(flock(fd, LOCK_SH) == 0);
	CHECK(in_child(child_flock_nb) == 1);
	/* the lock belongs to the open file: a dup keeps it after a close */
	dup_fd = dup(fd);
	CHECK(flock(fd, LOCK_EX) == 0);
	close(fd);
	CHECK(in_child(child_flock_ex) == 4);
	close(dup_fd);
	CHECK(in_child(child_flock_ex) == 0);
	fd = open_file(O_RDWR);
	CHECK(flock(fd, LOCK_EX) == 0 && flock(fd, LOCK_UN) == 0);
	CHECK(in_child(child_flock_ex) == 0);
	errno = 0;
	CHECK(flock(fd, 0) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(flock(-1, LOCK_SH) == -1 && errno == EBADF);
	close(fd);
}

static pid_t parent_pid;

static int child_sees_parent_lock(void)
{
	int fd = open_file(O_RDWR);
	struct flock fl = getlk(fd, F_GETLK, 5, 1);

	if (fl.l_type != F_WRLCK || fl.l_pid != parent_pid || fl.l_start != 0 ||
	    fl.l_len != 10 || fl.l_whence != SEEK_SET)
		return 1;
	errno = 0;
	if (lk(fd, F_SETLK, F_RDLCK, 0, 1) != -1 || errno != EAGAIN)
		return 2;
	if (lk(fd, F_SETLK, F_WRLCK, 10, 10) != 0)
		return 3;
	return 0;
}

static int child_sees_unlocked(void)
{
	int fd = open_file(O_RDWR);

	return getlk(fd, F_GETLK, 0, 0).l_type == F_UNLCK ? 0 : 1;
}

static int child_locks_and_exits(void)
{
	int fd = open_file(O_RDWR);

	return lk(fd, F_SETLK, F_WRLCK, 0, 0) ? 1 : 0;
}

static void posix_locks_between_processes(void)
{
	int fd = open_file(O_RDWR), other;

	CHECK(fd >= 0);
	parent_pid = getpid();
	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 10) == 0);
	CHECK(in_child(child_sees_parent_lock) == 0);
	/* closing any descriptor of the file drops the process's locks */
	other = open_file(O_RDONLY);
	CHECK(other >= 0 && close(other) == 0);
	CHECK(in_child(child_sees_unlocked) == 0);
	/* a child's locks go when it exits */
	CHECK(in_child(child_locks_and_exits) == 0);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);
	CHECK(lk(fd, F_SETLK, F_UNLCK, 0, 0) == 0);
	close(fd);
}

static int child_checks_ranges(void)
{
	int fd = open_file(O_RDWR);
	struct flock a = getlk(fd, F_GETLK, 30, 1), b = getlk(fd, F_GETLK, 50, 1),
		     c = getlk(fd, F_GETLK, 70, 1), d = getlk(fd, F_GETLK, 200, 1);

	if (a.l_type != F_WRLCK || a.l_start != 0 || a.l_len != 40)
		return 1;
	if (b.l_type != F_UNLCK)
		return 2;
	if (c.l_type != F_WRLCK || c.l_start != 60 || c.l_len != 40)
		return 3;
	/* [150, end) was merged from two adjacent locks */
	if (d.l_type != F_RDLCK || d.l_start != 150 || d.l_len != 0)
		return 4;
	return 0;
}

static void ranges_split_and_merge(void)
{
	int fd = open_file(O_RDWR);

	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 100) == 0);
	CHECK(lk(fd, F_SETLK, F_UNLCK, 40, 20) == 0);
	CHECK(lk(fd, F_SETLK, F_RDLCK, 150, 50) == 0);
	CHECK(lk(fd, F_SETLK, F_RDLCK, 200, 0) == 0);
	CHECK(in_child(child_checks_ranges) == 0);
	/* negative lengths count back from l_start, as POSIX-2001 says */
	CHECK(lk(fd, F_SETLK, F_UNLCK, 0, 0) == 0);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 100, -10) == 0);
	CHECK(in_child(child_sees_unlocked) == 1);
	errno = 0;
	CHECK(lk(fd, F_SETLK, F_WRLCK, 5, -10) == -1 && errno == EINVAL);
	CHECK(lk(fd, F_SETLK, F_UNLCK, 0, 0) == 0);
	close(fd);
}

static void setlkw_blocks_until_unlock(void)
{
	int fd = open_file(O_RDWR), p[2], status;
	char buf[8];
	pid_t pid;

	CHECK(fd >= 0 && pipe(p) == 0);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 1) == 0);
	pid = fork();
	if (pid == 0) {
		int cfd = open_file(O_RDWR);

		if (write(p[1], "w", 1) != 1)
			_exit(1);
		if (lk(cfd, F_SETLKW, F_WRLCK, 0, 1))
			_exit(2);
		_exit(write(p[1], "g", 1) == 1 ? 0 : 3);
	}
	CHECK(pid > 0);
	CHECK(read(p[0], buf, 1) == 1 && buf[0] == 'w');
	usleep(100000);
	/* still waiting: nothing more in the pipe */
	CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	errno = 0;
	CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN);
	CHECK(fcntl(p[0], F_SETFL, 0) == 0);
	CHECK(lk(fd, F_SETLK, F_UNLCK, 0, 1) == 0);
	CHECK(read(p[0], buf, 1) == 1 && buf[0] == 'g');
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void setlkw_interrupted(void)
{
	int fd = open_file(O_RDWR), status = -1;
	struct sigaction sa;
	pid_t pid, sender;

	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 1) == 0);
	pid = fork();
	if (pid == 0) {
		int cfd = open_file(O_RDWR);

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm; /* no SA_RESTART */
		sigaction(SIGALRM, &sa, NULL);
		errno = 0;
		_exit(lk(cfd, F_SETLKW, F_WRLCK, 0, 1) == -1 && errno == EINTR ? 0 : 1);
	}
	/* signals again and again: one that comes before the wait is lost */
	sender = fork();
	if (sender == 0) {
		for (;;) {
			usleep(50000);
			kill(pid, SIGALRM);
		}
	}
	CHECK(pid > 0 && sender > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	kill(sender, SIGKILL);
	waitpid(sender, NULL, 0);
	close(fd);
}

static void deadlock_detected(void)
{
	int fd = open_file(O_RDWR), p[2], status = -1, mine;
	char c;
	pid_t pid;

	CHECK(pipe(p) == 0);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 1) == 0);
	pid = fork();
	if (pid == 0) {
		int cfd = open_file(O_RDWR), r;

		if (lk(cfd, F_SETLK, F_WRLCK, 1, 1) || write(p[1], "b", 1) != 1)
			_exit(9);
		errno = 0;
		r = lk(cfd, F_SETLKW, F_WRLCK, 0, 1);
		/* 1: this one was refused; 0: it got the lock after all */
		_exit(r == -1 && errno == EDEADLK ? 1 : r == 0 ? 0 : 8);
	}
	CHECK(read(p[0], &c, 1) == 1);
	usleep(50000);
	/* One of the two waits closes the circle: that one gets EDEADLK. */
	errno = 0;
	mine = lk(fd, F_SETLKW, F_WRLCK, 1, 1) == -1 && errno == EDEADLK;
	if (mine)
		CHECK(lk(fd, F_SETLK, F_UNLCK, 0, 1) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	CHECK(WEXITSTATUS(status) == (mine ? 0 : 1));
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void ofd_locks(void)
{
	int a = open_file(O_RDWR), b = open_file(O_RDWR);
	struct flock fl;

	CHECK(a >= 0 && b >= 0);
	CHECK(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10) == 0);
	/* another open file of the same process conflicts */
	errno = 0;
	CHECK(lk(b, F_OFD_SETLK, F_WRLCK, 5, 1) == -1 && errno == EAGAIN);
	fl = getlk(b, F_OFD_GETLK, 0, 1);
	CHECK(fl.l_type == F_WRLCK && fl.l_pid == -1 && fl.l_len == 10);
	/* and so does a POSIX lock of the same process */
	errno = 0;
	CHECK(lk(b, F_SETLK, F_RDLCK, 0, 1) == -1 && errno == EAGAIN);
	/* closing another descriptor does not drop it; l_pid must be 0 */
	close(b);
	b = open_file(O_RDWR);
	CHECK(getlk(b, F_OFD_GETLK, 0, 1).l_type == F_WRLCK);
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_pid = 1 };
	errno = 0;
	CHECK(fcntl(b, F_OFD_SETLK, &fl) == -1 && errno == EINVAL);
	close(a);
	CHECK(getlk(b, F_OFD_GETLK, 0, 1).l_type == F_UNLCK);
	close(b);
}

static void lock_errors(void)
{
	int ro = open_file(O_RDONLY), wo = open_file(O_WRONLY);
	struct flock fl = { .l_type = F_RDLCK, .l_whence = 7 };

	errno = 0;
	CHECK(lk(ro, F_SETLK, F_WRLCK, 0, 1) == -1 && errno == EBADF);
	errno = 0;
	CHECK(lk(wo, F_SETLK, F_RDLCK, 0, 1) == -1 && errno == EBADF);
	errno = 0;
	CHECK(lk(ro, F_SETLK, 7, 0, 1) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(fcntl(ro, F_SETLK, &fl) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(lk(ro, F_GETLK, F_UNLCK, 0, 1) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(fcntl(ro, F_SETLK, (struct flock *)8) == -1 && errno == EFAULT);
	close(ro);
	close(wo);
}

static const struct utest_case cases[] = {
	UTEST_CASE(flock_between_processes),
	UTEST_CASE(posix_locks_between_processes),
	UTEST_CASE(ranges_split_and_merge),
	UTEST_CASE(setlkw_blocks_until_unlock),
	UTEST_CASE(setlkw_interrupted),
	UTEST_CASE(deadlock_detected),
	UTEST_CASE(ofd_locks),
	UTEST_CASE(lock_errors),
};

int main(void)
{
	snprintf(file, sizeof(file), "file_locks.%d", (int)getpid());
	return UTEST_RUN("file_locks", cases);
}
