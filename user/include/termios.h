/* SPDX-License-Identifier: BSD-2-Clause */
/* Terminal attributes: tcgetattr() and friends over the TCGETS/TCSETS ioctls. */
#ifndef _TERMIOS_H
#define _TERMIOS_H

#include <sys/types.h>
#include <abi/termios.h>

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

/* The kernel's layout (struct termios2): TCGETS/TCSETS move all but the speeds. */
struct termios {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
	speed_t c_ispeed, c_ospeed;
};

#define TCSANOW		0
#define TCSADRAIN	1
#define TCSAFLUSH	2

int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int action, const struct termios *t);
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
/* No echo, no line editing, no signal keys; reads return each byte. */
void cfmakeraw(struct termios *t);

#endif
