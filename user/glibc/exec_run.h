/* SPDX-License-Identifier: BSD-2-Clause */
/* Running a program from a test (exec_test, exec_txtbsy): its execve errno or exit status, and Linux's refusal of riscv64 programs. */
#ifndef EXEC_RUN_H
#define EXEC_RUN_H

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

/* Under qemu-riscv64: execve() is the host kernel's (set by main()). */
static int on_linux;

/*
 * Runs path with argv and envp; with out, its output goes there
 * (NUL-terminated, at most size - 1 bytes). Returns -errno if execve
 * failed, else the exit status (or 1000 + signal).
 */
static int exec_run(const char *path, char *const argv[], char *const envp[],
		    char *out, size_t size)
{
	int outp[2] = { -1, -1 }, errp[2], err = 0, status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if ((out && pipe(outp)) || pipe2(errp, O_CLOEXEC))
		return -1000;
	pid = fork();
	if (pid == 0) {
		if (out)
			dup2(outp[1], 1);
		execve(path, argv, envp);
		err = errno;
		write(errp[1], &err, sizeof(err));
		_exit(127);
	}
	close(errp[1]);
	if (out) {
		close(outp[1]);
		while (size && (n = read(outp[0], out + got, size - 1 - got)) > 0)
			got += (size_t)n;
		if (size)
			out[got] = '\0';
		close(outp[0]);
	}
	if (read(errp[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(errp[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1001;
	if (err)
		return -err;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

/* A case whose program must run: under qemu-riscv64 only its format was refused. */
static int ran(int ret)
{
	if (on_linux) {
		CHECK(ret == -ENOEXEC);
		utest_skip("the host kernel does not run riscv64 programs");
		return 0;
	}
	return 1;
}

#endif
