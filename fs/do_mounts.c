// SPDX-License-Identifier: BSD-2-Clause
/* A root file system on a disk at boot: root=, rootfstype=, ro, rw and rootwait, as Linux's init/do_mounts.c. */
#include <hartix/blkdev.h>
#include <hartix/err.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/string.h>

#include "internal.h"

/* Set by the boot arguments, read-only once user space runs. */
static char root_name[32]; /* "vda1", from root=/dev/vda1 or root=vda1 */
static char root_fstypes[64]; /* rootfstype=: a comma-separated list, or empty for every type */
static bool root_rw; /* Linux mounts the root read-only unless told rw */

static int set_root(const char *val)
{
	if (!val || !*val)
		return -EINVAL;
	if (!strncmp(val, "/dev/", 5))
		val += 5;
	return strscpy(root_name, val, sizeof(root_name)) < 0 ? -EINVAL : 0;
}
kernel_param("root", set_root);

static int set_rootfstype(const char *val)
{
	if (!val || strscpy(root_fstypes, val, sizeof(root_fstypes)) < 0)
		return -EINVAL;
	return 0;
}
kernel_param("rootfstype", set_rootfstype);

static int set_ro(const char *val)
{
	root_rw = false;
	return val ? -EINVAL : 0;
}
kernel_param("ro", set_ro);

static int set_rw(const char *val)
{
	root_rw = true;
	return val ? -EINVAL : 0;
}
kernel_param("rw", set_rw);

/*
 * Linux's rootwait waits for a root device that is probed late. Here
 * every disk is probed before user space and mount_root() always waits
 * for the partition tables to be read, so a device missing then never
 * comes: the word is accepted and there is nothing more to wait for.
 */
static int set_rootwait(const char *val)
{
	return val ? -EINVAL : 0;
}
kernel_param("rootwait", set_rootwait);

bool root_from_disk(void)
{
	return root_name[0];
}

static void list_bdev(struct block_device *bdev, void *arg)
{
	(void)arg;
	pr_emerg("  %-8s %10llu KiB%s\n", bdev->name,
		 (unsigned long long)(bdev->nr_sectors >> 1), bdev->read_only ? " (read-only)" : "");
}

/* Linux's message, with what there is to choose from, then the panic. */
static void __noreturn root_panic(int err)
{
	struct file_system_type *const *t;

	pr_emerg("VFS: Cannot open root device \"%s\": error %d\n", root_name, err);
	pr_emerg("Please append a correct \"root=\" boot option; here are the available block devices:\n");
	blk_for_each(list_bdev, NULL);
	pr_emerg("List of all bdev file systems (rootfstype=):\n");
	for (t = __filesystems_start; t < __filesystems_end; t++)
		if ((*t)->fs_flags & FS_REQUIRES_DEV)
			pr_emerg("  %s\n", (*t)->name);
	panic("VFS: Unable to mount root fs on \"%s\"", root_name);
}

/* Is type one rootfstype= names (every disk type without rootfstype=)? */
static bool type_wanted(const struct file_system_type *type)
{
	size_t len = strlen(type->name);
	const char *p = root_fstypes;

	if (!(type->fs_flags & FS_REQUIRES_DEV))
		return false;
	if (!*p)
		return true;
	for (;;) {
		if (!strncmp(p, type->name, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (!p)
			return false;
		p++;
	}
}

/*
 * Each wanted type in turn, as Linux's mount_block_root(): -EINVAL is
 * "not this file system", -EACCES a read-only device (retried
 * read-only), anything else (a corrupt image, an I/O error) the end.
 */
static struct super_block *try_types(struct block_device *bdev, int *err)
{
	unsigned long flags = root_rw ? 0 : SB_RDONLY;
	struct file_system_type *const *t;
	struct super_block *sb;

	*err = -ENODEV; /* no type wanted */
	for (t = __filesystems_start; t < __filesystems_end; t++) {
		if (!type_wanted(*t))
			continue;
		sb = vfs_get_super(*t, bdev, flags, "");
		if (IS_ERR(sb) && PTR_ERR(sb) == -EACCES && !(flags & SB_RDONLY)) {
			pr_warn("VFS: %s is write-protected, mounting read-only\n", bdev->name);
			flags |= SB_RDONLY;
			sb = vfs_get_super(*t, bdev, flags, "");
		}
		if (!IS_ERR(sb))
			return sb;
		*err = (int)PTR_ERR(sb);
		if (*err != -EINVAL)
			return NULL;
	}
	return NULL;
}

void mount_root(void)
{
	struct block_device *bdev;
	struct super_block *sb;
	int err;

	if (!root_from_disk())
		return;
	blk_wait_scanned(); /* vdaN exist once their disk's table was read */
	bdev = blk_lookup(root_name);
	if (!bdev)
		root_panic(-ENXIO);
	sb = try_types(bdev, &err);
	if (!sb)
		root_panic(err);
	if (mount_root_sb(sb)) {
		deactivate_super(sb);
		root_panic(-ENOMEM);
	}
	pr_info("VFS: Mounted root (%s filesystem)%s on device %s.\n", sb->s_type->name,
		sb->s_flags & SB_RDONLY ? " readonly" : "", bdev->name);
}

void root_poweroff(void)
{
	int err;

	if (!root_from_disk())
		return;
	err = remount_root_ro();
	if (err) {
		pr_warn("VFS: root file system left read-write (error %d): synced only\n", err);
		vfs_sync_all(NULL);
	}
}
