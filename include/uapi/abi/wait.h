/* SPDX-License-Identifier: BSD-2-Clause */
/* wait4() options: Linux's values. */
#ifndef _ABI_WAIT_H
#define _ABI_WAIT_H

#define WNOHANG		1
#define WUNTRACED	2
#define WCONTINUED	8

#endif
