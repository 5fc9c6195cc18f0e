/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel symbol lookup for backtraces (the table tools/kallsyms.py generates). */
#ifndef HARTIX_KALLSYMS_H
#define HARTIX_KALLSYMS_H

#include <hartix/types.h>

/*
 * Name of the function containing addr, with its size and addr's offset
 * into it; NULL when unknown (or without CONFIG_KALLSYMS).
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size,
			    unsigned long *offset);

/* Symbol i in address order and its (runtime) address; NULL past the last. */
const char *kallsyms_symbol(unsigned int i, unsigned long *addr);

/* "name+0x1c/0x80" or the bare address; returns buf. */
char *sprint_symbol(char *buf, size_t size, unsigned long addr);

/*
 * The same for a return address: looks up addr - 1, since a call that
 * never returns may be the last instruction of its function (Linux's %pB).
 */
char *sprint_backtrace(char *buf, size_t size, unsigned long addr);

#endif
