/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The initramfs: the embedded archive, then one the boot loader passed
 * (/chosen linux,initrd-start/end), unpacked into the RAM file system.
 * A malformed embedded archive is cut at the error; a malformed initrd is
 * reported and skipped whole.
 */
#include <hartix/boot.h>
#include <hartix/errno.h>
#include <hartix/fdt_scan.h>
#include <hartix/fs.h>
#include <hartix/initramfs.h>
#include <hartix/kernel.h>
#include <hartix/printk.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <asm/page.h>

extern const char __initramfs_start[], __initramfs_end[];

/* Bytes of the archive found well-formed at boot; read-only afterwards. */
static size_t archive_size;

/*
 * Creates every member in the file system, in archive order, up to the
 * end or the first malformed header: a later member of the same path
 * replaces an earlier one (a directory is kept).
 * Names are normalised ("./bin/x", "/bin/x" -> "/bin/x"); names with ".."
 * and types other than files, directories, symlinks and character devices
 * are skipped. Hard links become separate copies. Returns cpio_next()'s
 * last answer (0 at the end, -EINVAL with *why and *off where it
 * stopped); *files counts the regular files met.
 */
static int unpack(const void *archive, size_t size, const char *what,
		  size_t *off, const char **why, unsigned int *files)
{
	char *path = kmalloc(PATH_MAX, 0);
	unsigned int skipped = 0;
	struct cpio_entry e;
	int next;

	*off = 0;
	*files = 0;
	if (!path)
		panic("%s: no memory to unpack", what);
	while ((next = cpio_next(archive, size, off, &e, why)) > 0) {
		const char *name = e.name, *p;
		u32 type = e.mode & CPIO_S_IFMT, rdev = 0;
		bool bad = false;
		int ret;

		for (;;) {
			if (name[0] == '/')
				name++;
			else if (name[0] == '.' && name[1] == '/')
				name += 2;
			else
				break;
		}
		*files += cpio_is_reg(e.mode);
		if (!*name || !strcmp(name, "."))
			continue; /* the root itself */
		for (p = name; *p; ) {
			const char *c = p;

			while (*p && *p != '/')
				p++;
			bad |= p - c == 2 && c[0] == '.' && c[1] == '.';
			while (*p == '/')
				p++;
		}
		if (bad || strlen(name) + 2 > PATH_MAX ||
		    (type != CPIO_S_IFREG && type != CPIO_S_IFDIR &&
		     type != CPIO_S_IFLNK && type != CPIO_S_IFCHR)) {
			skipped++;
			continue;
		}
		if (type == CPIO_S_IFCHR)
			rdev = MKDEV(e.rdevmajor, e.rdevminor);
		path[0] = '/';
		strscpy(path + 1, name, PATH_MAX - 1);
		ret = fs_install(path, e.mode, e.data, e.size, rdev, e.mtime);
		if (ret)
			pr_warn("%s: cannot create %s: error %d\n", what, path, ret);
	}
	if (skipped)
		pr_warn("%s: %u members skipped (\"..\" in the name, or an unsupported type)\n",
			what, skipped);
	kfree(path);
	return next;
}

/* The archive the boot loader passed, if any; all of it or nothing. */
static void unpack_initrd(void)
{
	size_t size, off = 0;
	unsigned int files = 0;
	struct cpio_entry e;
	const char *why = NULL;
	const void *archive;
	int ret;

	if (!boot_info.has_initrd)
		return;
	if (boot_info.initrd_end <= boot_info.initrd_start) {
		pr_err("initrd: empty or inverted region [0x%llx, 0x%llx): ignored\n",
		       (unsigned long long)boot_info.initrd_start,
		       (unsigned long long)boot_info.initrd_end);
		return;
	}
	size = (size_t)(boot_info.initrd_end - boot_info.initrd_start);
	archive = phys_to_virt((phys_addr_t)boot_info.initrd_start);
	while ((ret = cpio_next(archive, size, &off, &e, &why)) > 0)
		files += cpio_is_reg(e.mode);
	if (ret < 0) {
		pr_err("initrd: malformed archive at byte %zu: %s; ignored\n",
		       off, why);
		return;
	}
	pr_info("initrd: %zu bytes at 0x%llx, %u files\n", size,
		(unsigned long long)boot_info.initrd_start, files);
	unpack(archive, size, "initrd", &off, &why, &files);
}

/*
 * The embedded archive is walked once (each walk was a tenth of the boot):
 * unpacked up to a malformed header, if any, which also ends what
 * initramfs_for_each() sees. With root= on a disk it is only checked.
 */
void initramfs_init(void)
{
	size_t size = (size_t)(__initramfs_end - __initramfs_start), off = 0;
	struct cpio_entry e;
	const char *why = NULL;
	unsigned int files = 0;
	bool unpacked;
	int ret;

	fs_init();
	/* As chosen for root=: the disk is "/", the archives are not used. */
	unpacked = !root_from_disk();
	if (unpacked)
		ret = unpack(__initramfs_start, size, "initramfs", &off, &why, &files);
	else
		while ((ret = cpio_next(__initramfs_start, size, &off, &e, &why)) > 0)
			files += cpio_is_reg(e.mode);
	if (ret < 0) {
		pr_err("initramfs: malformed archive at byte %zu: %s; the rest is ignored\n",
		       off, why);
		size = off;
	}
	archive_size = size;
	if (size)
		pr_info("initramfs: %zu bytes, %u files\n", size, files);
	if (!unpacked) {
		pr_info("initramfs: not unpacked: the root file system is on a disk (root=)\n");
		return;
	}
	unpack_initrd();
}

/* Archive paths carry no leading slash ("init", "bin/hello"). */
static const char *strip_root(const char *path)
{
	while (*path == '/')
		path++;
	return path;
}

void initramfs_for_each(const char *prefix,
			void (*fn)(const struct cpio_entry *e, void *arg),
			void *arg)
{
	size_t off = 0, plen;
	struct cpio_entry e;
	const char *why;

	prefix = strip_root(prefix);
	plen = strlen(prefix);
	while (cpio_next(__initramfs_start, archive_size, &off, &e, &why) > 0)
		if (cpio_is_reg(e.mode) && !strncmp(strip_root(e.name), prefix, plen))
			fn(&e, arg);
}

int initramfs_find(const char *path, const void **data, size_t *size)
{
	size_t off = 0;
	struct cpio_entry e;
	const char *why;
	int found = -ENOENT;

	path = strip_root(path);
	/* The last entry of a name wins, as when Linux unpacks over it. */
	while (cpio_next(__initramfs_start, archive_size, &off, &e, &why) > 0) {
		if (cpio_is_reg(e.mode) && !strcmp(strip_root(e.name), path)) {
			*data = e.data;
			*size = e.size;
			found = 0;
		}
	}
	return found;
}
