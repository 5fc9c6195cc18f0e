/* SPDX-License-Identifier: BSD-2-Clause */
/* getrandom() flags: Linux's values. */
#ifndef _ABI_RANDOM_H
#define _ABI_RANDOM_H

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

#endif
