/* SPDX-License-Identifier: BSD-2-Clause */
/* Scope-based release, as Linux's linux/cleanup.h: a variable's destructor runs at every exit from its scope. */
#ifndef HARTIX_CLEANUP_H
#define HARTIX_CLEANUP_H

/*
 * DEFINE_FREE(name, type, expr): a destructor for a variable of type,
 * _T in expr. Declare with `type var __free(name) = ...;`.
 */
#define DEFINE_FREE(_name, _type, _free)                                 \
	static inline void __free_##_name(void *p)                      \
	{                                                               \
		_type _T = *(_type *)p;                                 \
		_free;                                                  \
	}

#define __free(_name) __attribute__((__cleanup__(__free_##_name)))

/* Takes the value out of a __free variable: the destructor sees NULL. */
#define no_free_ptr(p)                                                  \
	({                                                              \
		__typeof__(p) __ptr = (p);                              \
		(p) = NULL;                                             \
		__ptr;                                                  \
	})

#endif
