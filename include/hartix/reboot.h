/* SPDX-License-Identifier: BSD-2-Clause */
/* Powering the machine off, with an exit status where the platform can report one. */
#ifndef HARTIX_REBOOT_H
#define HARTIX_REBOOT_H

#include <hartix/compiler.h>

/* Exit statuses the kernel itself uses (QEMU's exit status via sifive,test0). */
#define EXIT_OK 0
#define EXIT_FAILURE 1
#define EXIT_PANIC 2

struct power_off_handler {
	const char *name;
	int priority; /* the highest registered one is tried first */
	/* Returns only if powering off did not work. */
	void (*power_off)(struct power_off_handler *h, int status);
	void *data;
};

void register_power_off_handler(struct power_off_handler *h);

/* Tries the handlers, then SBI system reset; never returns. */
__noreturn void machine_power_off(int status);

/* Cold reboot through SBI system reset; powers off if that fails. */
__noreturn void machine_restart(void);

#endif
