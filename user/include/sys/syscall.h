/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Linux riscv64 system call numbers: the generic table of
 * include/uapi/asm-generic/unistd.h (riscv64 has no legacy open/fork/...).
 * Calling convention: number in a7, arguments in a0-a5, 'ecall', result in
 * a0; a value in [-4095, -1] is -errno.
 */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#include <abi/unistd.h>

#define SYS_getcwd		__NR_getcwd
#define SYS_dup			__NR_dup
#define SYS_dup3		__NR_dup3
#define SYS_fcntl		__NR_fcntl
#define SYS_ioctl		__NR_ioctl
#define SYS_mkdirat		__NR_mkdirat
#define SYS_unlinkat		__NR_unlinkat
#define SYS_chdir		__NR_chdir
#define SYS_openat		__NR_openat
#define SYS_close		__NR_close
#define SYS_pipe2		__NR_pipe2
#define SYS_getdents64		__NR_getdents64
#define SYS_pselect6		__NR_pselect6
#define SYS_ppoll		__NR_ppoll
#define SYS_lseek		__NR_lseek
#define SYS_read		__NR_read
#define SYS_write		__NR_write
#define SYS_readv		__NR_readv
#define SYS_writev		__NR_writev
#define SYS_fstat		__NR_fstat
#define SYS_exit		__NR_exit
#define SYS_exit_group		__NR_exit_group
#define SYS_set_tid_address	__NR_set_tid_address
#define SYS_nanosleep		__NR_nanosleep
#define SYS_clock_gettime	__NR_clock_gettime
#define SYS_sched_yield		__NR_sched_yield
#define SYS_kill		__NR_kill
#define SYS_tkill		__NR_tkill
#define SYS_tgkill		__NR_tgkill
#define SYS_rt_sigsuspend	__NR_rt_sigsuspend
#define SYS_rt_sigaction	__NR_rt_sigaction
#define SYS_rt_sigprocmask	__NR_rt_sigprocmask
#define SYS_rt_sigpending	__NR_rt_sigpending
#define SYS_rt_sigreturn	__NR_rt_sigreturn
#define SYS_times		__NR_times
#define SYS_setpgid		__NR_setpgid
#define SYS_getpgid		__NR_getpgid
#define SYS_getsid		__NR_getsid
#define SYS_setsid		__NR_setsid
#define SYS_uname		__NR_uname
#define SYS_gettimeofday	__NR_gettimeofday
#define SYS_getpid		__NR_getpid
#define SYS_getppid		__NR_getppid
#define SYS_getuid		__NR_getuid
#define SYS_geteuid		__NR_geteuid
#define SYS_getgid		__NR_getgid
#define SYS_getegid		__NR_getegid
#define SYS_gettid		__NR_gettid
#define SYS_brk			__NR_brk
#define SYS_munmap		__NR_munmap
#define SYS_clone		__NR_clone
#define SYS_execve		__NR_execve
#define SYS_mmap		__NR_mmap
#define SYS_mprotect		__NR_mprotect
#define SYS_wait4		__NR_wait4
#define SYS_getrandom		__NR_getrandom

#endif
