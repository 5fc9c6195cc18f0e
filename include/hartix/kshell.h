/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel shell on the console (CONFIG_KSHELL): entered at boot, without init, or by a serial BREAK. */
#ifndef HARTIX_KSHELL_H
#define HARTIX_KSHELL_H

#include <hartix/types.h>

#ifdef CONFIG_KSHELL
/*
 * From tty_receive_char() (interrupt context): true when the shell owns
 * the console and took c; user reads of the console then get nothing.
 */
bool kshell_input(char c);
/* A BREAK on the console's serial line (interrupt context): enter or leave. */
void kshell_break(void);
/*
 * Boot, once the file system is up: starts the shell's thread; with
 * "kshell" on the command line enters the shell and returns only once it
 * was left, so init starts after it.
 */
void kshell_init(void);
/* Enters the shell (no init program, say), saying why; returns at once. */
void kshell_enter(const char *why);
#else
static inline bool kshell_input(char c)
{
	return false;
}
static inline void kshell_break(void)
{
}
static inline void kshell_init(void)
{
}
static inline void kshell_enter(const char *why)
{
}
#endif

#endif
