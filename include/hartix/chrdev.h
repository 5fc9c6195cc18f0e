/* SPDX-License-Identifier: BSD-2-Clause */
/* Character devices: drivers register a (major, minor) range, its file operations and the /dev nodes to make (fs/char_dev.c). */
#ifndef HARTIX_CHRDEV_H
#define HARTIX_CHRDEV_H

#include <hartix/compiler.h>
#include <hartix/types.h>

struct file_operations;

/* A node made in /dev at boot: /dev/<name>, device (region's major, minor), permissions mode. */
struct chrdev_node {
	const char *name;
	u32 minor;
	u32 mode;
};

/*
 * Minors [minor, minor + count) of major open with fops (Linux's
 * register_chrdev_region() + cdev_add()); nodes ends with a NULL name.
 */
struct chrdev_region {
	u32 major, minor, count;
	const struct file_operations *fops;
	const struct chrdev_node *nodes;
};

#define DEFINE_CHRDEV(var)                                                \
	static const struct chrdev_region *const __chrdev_##var __used    \
		__section(".chrdevs") __aligned(8) = &(var)

/* The file operations of device rdev (MKDEV), or NULL: no driver (ENXIO). */
const struct file_operations *chrdev_fops(u32 rdev);
/* Boot, once /dev exists: makes every registered node. */
void chrdev_make_nodes(void);

/* drivers/char/mem.c: what mmap() of /dev/zero maps as anonymous memory. */
extern const struct file_operations zero_fops;

#endif
