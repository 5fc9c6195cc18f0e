/* SPDX-License-Identifier: BSD-2-Clause */
/* Defining system calls: SYSCALL_DEFINEn makes each an entry point that kernel/syscall_table.c lists by number. */
#ifndef HARTIX_SYSCALLS_H
#define HARTIX_SYSCALLS_H

#include <abi/unistd.h>
#include <hartix/compiler.h>

/* Every entry point takes the six argument registers as they came. */
typedef long (*syscall_fn)(unsigned long a0, unsigned long a1, unsigned long a2,
			   unsigned long a3, unsigned long a4, unsigned long a5);

/* The table the trap entry indexes by number (a7); -ENOSYS where no call is. */
#define NR_SYSCALLS 451 /* Linux's generic table ends at 450 */
extern const syscall_fn sys_call_table[NR_SYSCALLS];
long sys_ni_syscall(unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5);

/*
 * The entry point of system call name; tools/build/syscalltbl.py finds them.
 * Kept global by name under CONFIG_LTO: a SYSCALL_FULL_FRAME stub reaches
 * it from assembly, which link-time optimisation does not see.
 */
#define __SYSCALL_ENTRY(name)                                                \
	__attribute__((used, externally_visible))                            \
	long __se_sys_##name(unsigned long r0, unsigned long r1,             \
			     unsigned long r2, unsigned long r3,             \
			     unsigned long r4, unsigned long r5)

/*
 * Linux's pattern: the body takes typed arguments; the entry point
 * converts each register with a cast, so an int argument is truncated and
 * sign-extended here whatever user space left in the upper bits (the
 * psABI lets a callee assume that of an int, and a syscall may not).
 */
#define __SC_ARGS0(m, ...)
#define __SC_ARGS1(m, t, a) m(t, a, 0)
#define __SC_ARGS2(m, t, a, ...) m(t, a, 0), __SC_ARGS1x(m, 1, __VA_ARGS__)
#define __SC_ARGS3(m, t, a, ...) m(t, a, 0), __SC_ARGS2x(m, 1, __VA_ARGS__)
#define __SC_ARGS4(m, t, a, ...) m(t, a, 0), __SC_ARGS3x(m, 1, __VA_ARGS__)
#define __SC_ARGS5(m, t, a, ...) m(t, a, 0), __SC_ARGS4x(m, 1, __VA_ARGS__)
#define __SC_ARGS6(m, t, a, ...) m(t, a, 0), __SC_ARGS5x(m, 1, __VA_ARGS__)
/* The same, with the register index counted on from i. */
#define __SC_ARGS1x(m, i, t, a) m(t, a, i)
#define __SC_ARGS2x(m, i, t, a, ...) m(t, a, i), __SC_ARGS1x(m, __SC_INC(i), __VA_ARGS__)
#define __SC_ARGS3x(m, i, t, a, ...) m(t, a, i), __SC_ARGS2x(m, __SC_INC(i), __VA_ARGS__)
#define __SC_ARGS4x(m, i, t, a, ...) m(t, a, i), __SC_ARGS3x(m, __SC_INC(i), __VA_ARGS__)
#define __SC_ARGS5x(m, i, t, a, ...) m(t, a, i), __SC_ARGS4x(m, __SC_INC(i), __VA_ARGS__)
#define __SC_INC(i) __SC_INC_(i)
#define __SC_INC_(i) __SC_NEXT##i
#define __SC_NEXT1 2
#define __SC_NEXT2 3
#define __SC_NEXT3 4
#define __SC_NEXT4 5
#define __SC_NEXT5 6
#define __SC_DECL(t, a, i) t a
#define __SC_CAST(t, a, i) (t)__SC_REG(i)
#define __SC_REG(i) __SC_REG_(i)
#define __SC_REG_(i) r##i

#define __SYSCALL_DEFINEx(x, name, ...)                                      \
	static long __do_sys_##name(__SC_ARGS##x(__SC_DECL, __VA_ARGS__));   \
	__SYSCALL_ENTRY(name);                                               \
	__SYSCALL_ENTRY(name)                                                \
	{                                                                    \
		return __do_sys_##name(__SC_ARGS##x(__SC_CAST, __VA_ARGS__)); \
	}                                                                    \
	static long __do_sys_##name(__SC_ARGS##x(__SC_DECL, __VA_ARGS__))

/* SYSCALL_DEFINEn(name, type1, arg1, ...) { body }: system call __NR_<name>. */
#define SYSCALL_DEFINE0(name)                                                \
	static long __do_sys_##name(void);                                   \
	__SYSCALL_ENTRY(name);                                               \
	__SYSCALL_ENTRY(name)                                                \
	{                                                                    \
		return __do_sys_##name();                                    \
	}                                                                    \
	static long __do_sys_##name(void)
#define SYSCALL_DEFINE1(name, ...) __SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) __SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) __SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) __SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) __SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) __SYSCALL_DEFINEx(6, name, __VA_ARGS__)

/* Number __NR_<name> runs another name's system call (exit_group is exit). */
#define SYSCALL_SAME_AS(name, other) __SYSCALL_ENTRY(other)

/*
 * The system call reads or replaces the whole user register state (fork
 * copies it; execve and rt_sigreturn set it), which the trap entry's fast
 * path does not save: the table calls it through an architecture stub that
 * saves the rest of the frame first and restores all of it after.
 */
#define SYSCALL_FULL_FRAME(name) ARCH_SYSCALL_FULL_FRAME(name)
#include <asm/syscall.h>

/* CONFIG_SYSCALL_TRACE (kernel/syscall_trace.c): entry.S calls it on return. */
struct pt_regs;
extern unsigned char syscall_trace_mode;
long syscall_trace_exit(struct pt_regs *regs, long ret);

#endif
