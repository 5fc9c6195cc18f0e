/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot arguments: handlers registered in a linker section and matched by name. */
#ifndef HARTIX_PARAMS_H
#define HARTIX_PARAMS_H

#include <hartix/compiler.h>

/*
 * A handler gets the text after '=' (NULL for a bare word) and returns 0,
 * or -EINVAL for a malformed value (which is then reported and ignored).
 */
struct kernel_param {
	const char *name;
	int (*set)(const char *val);
};

#define kernel_param(pname, fn)                                          \
	static const struct kernel_param __kparam_##fn __used             \
		__section(".kernel_params") __aligned(8) = { pname, fn }

/* A decimal "name=N" with min <= N <= max into *out; -EINVAL otherwise. */
int param_parse_uint(const char *val, unsigned int min, unsigned int max,
		     unsigned int *out);

/* "name=N" setting the unsigned int var, N in [min, max]. */
#define kernel_param_uint(pname, var, min, max)                          \
	static int __kparam_set_##var(const char *val)                    \
	{                                                                 \
		return param_parse_uint(val, min, max, &var);             \
	}                                                                 \
	kernel_param(pname, __kparam_set_##var)

/* The command line as the kernel saw it (bootloader and CONFIG_CMDLINE). */
extern char boot_command_line[];

/* What followed "--" on the command line: arguments for init (in place). */
extern char *init_args;

/* Assembles boot_command_line and calls the handlers; reports unknown words. */
void parse_boot_args(const char *bootloader_args);

#endif
