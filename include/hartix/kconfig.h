/* SPDX-License-Identifier: BSD-2-Clause */
/* Included first in every kernel file: the configuration and IS_ENABLED(). */
#ifndef HARTIX_KCONFIG_H
#define HARTIX_KCONFIG_H

#include <generated/autoconf.h>

/*
 * IS_ENABLED(option) is 1 when the option is defined to 1 and 0 when it is
 * undefined, usable in plain C 'if' so both branches are always compiled.
 * (No option is named here: fixdep would make every object depend on it.)
 */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)

#endif
