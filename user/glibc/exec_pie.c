/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exec_pie: exec_test's static-pie helper (freestanding: Debian's riscv64
 * glibc has no static-pie start file): prints where it runs, so two runs
 * show whether the base was randomized.
 */
#include "freestanding.h"

FREESTANDING_ENTRY(pie_start, pie_main);

void pie_main(unsigned long *sp)
{
	put("pie ");
	put_hex((unsigned long)&pie_main);
	put(sp[0] ? "\n" : " no argc\n");
	exit_group(0);
}
