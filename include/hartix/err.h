/* SPDX-License-Identifier: BSD-2-Clause */
/* Pointers that carry an errno: the top 4095 addresses are never valid objects. */
#ifndef HARTIX_ERR_H
#define HARTIX_ERR_H

#include <hartix/compiler.h>
#include <hartix/types.h>

#define MAX_ERRNO 4095

#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE((unsigned long)ptr);
}

#endif
