/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests (-include): renames Hartix's libc-named functions to hx_* to link beside glibc. */
#ifndef LIBC_RENAME_H
#define LIBC_RENAME_H

/*
 * glibc's headers come first so they keep declaring the real names; test
 * code reaches glibc through __builtin_memcpy() and friends, which the
 * preprocessor leaves alone and GCC emits as calls to the real symbols.
 */
#include <hartix/compiler.h> /* before glibc, whose cdefs.h #undefs __always_inline */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define memcpy hx_memcpy
#define memmove hx_memmove
#define memset hx_memset
#define memcmp hx_memcmp
#define memchr hx_memchr
#define strlen hx_strlen
#define strnlen hx_strnlen
#define strcmp hx_strcmp
#define strncmp hx_strncmp
#define strchr hx_strchr
#define strrchr hx_strrchr
#define strstr hx_strstr
#define vsnprintf hx_vsnprintf
#define snprintf hx_snprintf

#endif
