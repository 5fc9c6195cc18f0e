// SPDX-License-Identifier: BSD-2-Clause
/* The character device registry: (major, minor) to the driver's file operations, and the /dev nodes drivers ask for. */
#include <hartix/chrdev.h>
#include <hartix/fs.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <abi/limits.h>

extern const struct chrdev_region *const __chrdevs_start[];
extern const struct chrdev_region *const __chrdevs_end[];

#define DEV_MAJOR(dev) ((dev) >> 8)
#define DEV_MINOR(dev) ((dev) & 0xff)

const struct file_operations *chrdev_fops(u32 rdev)
{
	const struct chrdev_region *const *r;

	for (r = __chrdevs_start; r < __chrdevs_end; r++)
		if ((*r)->major == DEV_MAJOR(rdev) &&
		    DEV_MINOR(rdev) - (*r)->minor < (*r)->count)
			return (*r)->fops;
	return NULL;
}

void chrdev_make_nodes(void)
{
	const struct chrdev_region *const *r;
	const struct chrdev_node *n;
	char path[NAME_MAX + 6];

	for (r = __chrdevs_start; r < __chrdevs_end; r++)
		for (n = (*r)->nodes; n && n->name; n++) {
			snprintf(path, sizeof(path), "/dev/%s", n->name);
			fs_install(path, S_IFCHR | n->mode, NULL, 0,
				   MKDEV((*r)->major, n->minor), 0);
		}
}
