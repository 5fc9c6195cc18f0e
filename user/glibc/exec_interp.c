/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exec_interp: exec_test's stand-in for ld.so, a freestanding static-pie
 * named as PT_INTERP by exec_dynmain. It checks the auxiliary vector the
 * kernel gives an interpreter (AT_BASE is where it was loaded, AT_PHDR the
 * program's headers, AT_ENTRY the program's entry), says so, and jumps to
 * the program with the stack it was given, as ld.so does.
 */
#include <elf.h>
#include "freestanding.h"

FREESTANDING_ENTRY(interp_start, interp_main);

void interp_main(unsigned long *sp)
{
	unsigned long argc = sp[0], *p = sp + 1 + argc + 1, base = 0, entry = 0,
		      phdr = 0, phnum = 0, here = (unsigned long)&interp_main;
	const Elf64_Phdr *ph;
	int has_interp = 0;
	unsigned long i;

	while (*p++)
		; /* envp */
	for (; p[0] != AT_NULL; p += 2) {
		if (p[0] == AT_BASE)
			base = p[1];
		else if (p[0] == AT_ENTRY)
			entry = p[1];
		else if (p[0] == AT_PHDR)
			phdr = p[1];
		else if (p[0] == AT_PHNUM)
			phnum = p[1];
	}
	ph = (const Elf64_Phdr *)phdr;
	for (i = 0; ph && i < phnum; i++)
		has_interp |= ph[i].p_type == PT_INTERP;
	if (!base || here < base || here - base > (1UL << 20) || !has_interp ||
	    !entry || entry == (unsigned long)&interp_start) {
		put("interp FAIL base ");
		put_hex(base);
		put(" entry ");
		put_hex(entry);
		put("\n");
		exit_group(1);
	}
	put("interp ok\n");
	__asm__ volatile("mv sp, %0\n\tjr %1" : : "r"(sp), "r"(entry));
	__builtin_unreachable();
}
