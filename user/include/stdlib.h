/* SPDX-License-Identifier: BSD-2-Clause */
/* Memory allocation, process exit and conversions. */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
#define RAND_MAX	0x7fffffff

/*
 * A first-fit free list on brk() (mmap() if brk fails); requests of 128 KiB
 * and more get their own mapping, returned with munmap() by free().
 * Blocks are 16-byte aligned.
 */
void *malloc(size_t size);
void free(void *ptr);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *ptr, size_t size);

__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void _Exit(int status);
__attribute__((noreturn)) void abort(void);
int atexit(void (*fn)(void));

int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int abs(int x);
long labs(long x);

char *getenv(const char *name);
/* environ is copied to the heap on the first change. */
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);
void qsort(void *base, size_t n, size_t size,
	   int (*cmp)(const void *, const void *));
int rand(void);
void srand(unsigned int seed);

#endif
