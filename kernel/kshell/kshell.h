/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel shell's command table and the helpers its commands share (kernel/kshell only). */
#ifndef KSHELL_INTERNAL_H
#define KSHELL_INTERNAL_H

#include <hartix/compiler.h>
#include <hartix/types.h>

/*
 * A command gets its words (argv[0] is its name) once the shell checked
 * min_args <= argc - 1 <= max_args. It returns 0, -EINVAL for a bad
 * argument (the shell then prints the usage line; the command said what
 * was wrong) or another negative errno after printing its own error.
 */
struct kshell_cmd {
	const char *name;
	const char *usage; /* the arguments, e.g. "<pid> [signal]" */
	const char *help;
	int min_args, max_args;
	int (*fn)(int argc, char **argv);
};

#define __KSHELL_CMD(id, cname, cfn, cmin, cmax, cusage, chelp)              \
	static const struct kshell_cmd __kshell_cmd_##id __used              \
		__section(".kshell_cmds") __aligned(8) = {                   \
		.name = cname, .usage = cusage, .help = chelp,               \
		.min_args = cmin, .max_args = cmax, .fn = cfn                \
	}
#define _KSHELL_CMD(id, ...) __KSHELL_CMD(id, __VA_ARGS__)
/* One table entry; several names may share a function. */
#define KSHELL_CMD(cname, cfn, cmin, cmax, cusage, chelp)                    \
	_KSHELL_CMD(__LINE__, cname, cfn, cmin, cmax, cusage, chelp)

/* Output to the console, unlogged (lines from printk never split them). */
__printf(1, 2) void kshell_printf(const char *fmt, ...);
void kshell_write(const char *s, size_t len);

/*
 * For commands that run until stopped (top, run): the next byte typed
 * without waiting, -1 if none, or KSHELL_LEAVE once a BREAK asked to leave.
 */
#define KSHELL_LEAVE (-2)
int kshell_poll_char(void);
/* Ends the session after the current command. */
void kshell_request_leave(void);

/*
 * Prints the log records from sequence number seq on that the console did
 * not show (below console_loglevel): what a command made printk say.
 */
void kshell_show_log_since(u64 seq);

/* Parses a whole decimal (or 0x) number; prints "<what>: '<s>' is not a number". */
int kshell_parse_uint(const char *what, const char *s, unsigned int *out);

#endif
