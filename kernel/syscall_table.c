/* SPDX-License-Identifier: BSD-2-Clause */
/* The system call table, built at compile time from the list tools/build/syscalltbl.py makes. */
#include <hartix/errno.h>
#include <hartix/syscalls.h>

long sys_ni_syscall(unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5)
{
	return -ENOSYS;
}

/*
 * Every entry point the sources define, weak: one a configuration leaves
 * out falls back to -ENOSYS (Linux's COND_SYSCALL).
 */
#define __SYSCALL_SYM(sym)                                                   \
	long sym(unsigned long, unsigned long, unsigned long, unsigned long, \
		 unsigned long, unsigned long)                               \
		__attribute__((weak, alias("sys_ni_syscall")));
#define __SYSCALL(name, sym)
#include <generated/syscall-list.h>
#undef __SYSCALL_SYM
#undef __SYSCALL

/*
 * Read-only: indexed straight from the trap entry. A number defined twice
 * is a duplicate symbol at link time; -Wno-override-init is for the
 * -ENOSYS default below the entries only.
 */
#define __SYSCALL_SYM(sym)
#define __SYSCALL(name, sym) [__NR_##name] = sym,
const syscall_fn sys_call_table[NR_SYSCALLS] = {
	[0 ... NR_SYSCALLS - 1] = sys_ni_syscall,
#include <generated/syscall-list.h>
};
