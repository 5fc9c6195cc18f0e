/* SPDX-License-Identifier: BSD-2-Clause */
/* POSIX system interfaces of the Hartix user library (Linux riscv64 ABI). */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <sys/types.h>
#include <abi/fcntl.h> /* SEEK_* */
#include <getopt.h>

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

extern char **environ;

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
off_t lseek(int fd, off_t off, int whence);
int dup(int fd);
int dup2(int oldfd, int newfd);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);

pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
uid_t getuid(void);
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
pid_t setsid(void);
pid_t getsid(pid_t pid);
int isatty(int fd);

/* clone(SIGCHLD, 0, 0, 0, 0): a copy of this process; 0 in the child. */
pid_t fork(void);
int pause(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
__attribute__((noreturn)) void _exit(int status);

/* Files and directories: unlinkat(), chdir(), getcwd(). */
int unlink(const char *path);
int unlinkat(int dirfd, const char *path, int flags);
int rmdir(const char *path);
int chdir(const char *path);
/* buf, or NULL with errno (ERANGE when size is too small). */
char *getcwd(char *buf, size_t size);
/* 1 if fd is a terminal (TCGETS succeeds); 0 with errno ENOTTY if not. */
int isatty(int fd);

/* brk() returns 0 or -1 (ENOMEM); sbrk() the old break or (void *)-1. */
int brk(void *addr);
void *sbrk(intptr_t increment);

unsigned int sleep(unsigned int seconds);
int usleep(useconds_t usec);

/* Raw system call: returns the result, or -1 with errno set. */
long syscall(long number, ...);

#endif
