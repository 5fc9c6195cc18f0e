/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding string and memory functions (lib/string.c); prototypes match ISO C. */
#ifndef HARTIX_STRING_H
#define HARTIX_STRING_H

#include <hartix/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

/*
 * Copy at most size-1 bytes and always terminate (when size > 0).
 * Returns the length copied, or -E2BIG when src did not fit.
 */
ssize_t strscpy(char *dst, const char *src, size_t size);

#endif
