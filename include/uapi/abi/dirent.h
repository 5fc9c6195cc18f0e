/* SPDX-License-Identifier: BSD-2-Clause */
/* d_type values of getdents64()'s struct linux_dirent64 (include/linux/fs_types.h). */
#ifndef _ABI_DIRENT_H
#define _ABI_DIRENT_H

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

#endif
