/* SPDX-License-Identifier: BSD-2-Clause */
/* wait4() and waitid() options and waitid()'s id types: Linux's values. */
#ifndef _ABI_WAIT_H
#define _ABI_WAIT_H

#define WNOHANG		1
#define WUNTRACED	2
#define WCONTINUED	8
#define WSTOPPED	WUNTRACED
#define WEXITED		4
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#define P_ALL		0
#define P_PID		1
#define P_PGID		2

#endif
