/* SPDX-License-Identifier: BSD-2-Clause */
/* Path limits: Linux's include/uapi/linux/limits.h. */
#ifndef _ABI_LIMITS_H
#define _ABI_LIMITS_H

#define NAME_MAX	255	/* bytes in a file name, without the NUL */
#define PATH_MAX	4096	/* bytes in a path, with the NUL */

#endif
