/* Looking files up in the embedded initramfs; a malformed archive is cut at the error. */
#include <hartix/errno.h>
#include <hartix/initramfs.h>
#include <hartix/printk.h>
#include <hartix/string.h>

extern const char __initramfs_start[], __initramfs_end[];

/* Bytes of the archive found well-formed at boot; read-only afterwards. */
static size_t archive_size;

void initramfs_init(void)
{
	size_t size = (size_t)(__initramfs_end - __initramfs_start), off = 0;
	struct cpio_entry e;
	const char *why = NULL;
	unsigned int files = 0;
	int ret;

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
