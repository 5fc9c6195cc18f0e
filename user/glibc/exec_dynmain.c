/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exec_dynmain: exec_test's freestanding PIE whose PT_INTERP is
 * /glibc/exec_interp: reached through it, it prints its argc and exits.
 */
#include "freestanding.h"

FREESTANDING_ENTRY(main_start, dyn_main);

void dyn_main(unsigned long *sp)
{
	char msg[] = "dynmain ok argc=0\n";

	msg[16] = (char)('0' + (sp[0] % 10));
	put(msg);
	exit_group(0);
}
