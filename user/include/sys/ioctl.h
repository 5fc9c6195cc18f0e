/* SPDX-License-Identifier: BSD-2-Clause */
/* ioctl() and the terminal requests (asm-generic/ioctls.h). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#include <abi/ioctls.h>
#include <abi/termios.h> /* struct winsize */

int ioctl(int fd, unsigned long request, ...);

#endif
