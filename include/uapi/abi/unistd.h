/* Linux riscv64 system call numbers: the generic table (asm-generic/unistd.h), shared by kernel and libc. */
#ifndef _ABI_UNISTD_H
#define _ABI_UNISTD_H

#define __NR_getcwd		17
#define __NR_dup		23
#define __NR_dup3		24
#define __NR_fcntl		25
#define __NR_ioctl		29
#define __NR_mkdirat		34
#define __NR_unlinkat		35
#define __NR_symlinkat		36
#define __NR_linkat		37
#define __NR_statfs		43
#define __NR_fstatfs		44
#define __NR_truncate		45
#define __NR_ftruncate		46
#define __NR_faccessat		48
#define __NR_chdir		49
#define __NR_openat		56
#define __NR_close		57
#define __NR_pipe2		59
#define __NR_getdents64		61
#define __NR_lseek		62
#define __NR_read		63
#define __NR_write		64
#define __NR_readv		65
#define __NR_writev		66
#define __NR_readlinkat		78
#define __NR_newfstatat		79
#define __NR_fstat		80
#define __NR_utimensat		88
#define __NR_exit		93
#define __NR_exit_group		94
#define __NR_set_tid_address	96
#define __NR_nanosleep		101
#define __NR_clock_gettime	113
#define __NR_sched_setaffinity	122
#define __NR_sched_getaffinity	123
#define __NR_sched_yield	124
#define __NR_kill		129
#define __NR_tgkill		131
#define __NR_rt_sigaction	134
#define __NR_rt_sigprocmask	135
#define __NR_times		153
#define __NR_uname		160
#define __NR_gettimeofday	169
#define __NR_getpid		172
#define __NR_getppid		173
#define __NR_getuid		174
#define __NR_geteuid		175
#define __NR_getgid		176
#define __NR_getegid		177
#define __NR_gettid		178
#define __NR_sysinfo		179
#define __NR_brk		214
#define __NR_munmap		215
#define __NR_clone		220
#define __NR_execve		221
#define __NR_mmap		222
#define __NR_mprotect		226
#define __NR_wait4		260
#define __NR_prlimit64		261
#define __NR_renameat2		276
#define __NR_getrandom		278

#endif
