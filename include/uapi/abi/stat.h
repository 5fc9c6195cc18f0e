/* SPDX-License-Identifier: BSD-2-Clause */
/* File types and mode bits in st_mode: the Unix values (asm-generic/stat.h). */
#ifndef _ABI_STAT_H
#define _ABI_STAT_H

#define S_IFMT		0170000U
#define S_IFSOCK	0140000U
#define S_IFLNK		0120000U
#define S_IFREG		0100000U
#define S_IFBLK		0060000U
#define S_IFDIR		0040000U
#define S_IFCHR		0020000U
#define S_IFIFO		0010000U
/* Spelt as user/include/sys/stat.h spells them, which defines them too. */
#define S_ISUID		04000
#define S_ISGID		02000
#define S_ISVTX		01000
#define S_IXGRP		00010
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)

#endif
