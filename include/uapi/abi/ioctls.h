/* SPDX-License-Identifier: BSD-2-Clause */
/* Terminal ioctl numbers: Linux's asm-generic/ioctls.h, which riscv64 uses. */
#ifndef _ABI_IOCTLS_H
#define _ABI_IOCTLS_H

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414

#endif
