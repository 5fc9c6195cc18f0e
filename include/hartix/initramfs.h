/* SPDX-License-Identifier: BSD-2-Clause */
/* The initial RAM file system: a cpio archive embedded in the kernel. */
#ifndef HARTIX_INITRAMFS_H
#define HARTIX_INITRAMFS_H

#include <hartix/cpio.h>
#include <hartix/types.h>

/* Checks the archive once at boot; reports and cuts off a malformed tail. */
void initramfs_init(void);

/* A regular file by path ("/init", "bin/hello"); 0 or -ENOENT. */
int initramfs_find(const char *path, const void **data, size_t *size);

/* Calls fn for every regular file whose path starts with prefix, in archive order. */
void initramfs_for_each(const char *prefix,
			void (*fn)(const struct cpio_entry *e, void *arg),
			void *arg);

#endif
