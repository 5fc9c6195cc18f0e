// SPDX-License-Identifier: BSD-2-Clause
/* getdents64: a directory's entries, through its iterate() or /proc's generated ones; generic_dir_fops. */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <asm/page.h>
#include <abi/dirent.h>

#include "internal.h"

/* Directories: getdents, never read(), as Linux's generic_read_dir(). */
long generic_read_dir(struct file *f, char *ubuf, size_t n)
{
	return -EISDIR;
}

/* /proc's directories: their entries come from dir_ops (getdents64 below). */
const struct file_operations generic_dir_fops = {
	.read = generic_read_dir, .seekable = true,
};

/*
 * Caller holds fs_lock. Entry *idx of a /proc directory, or the next one
 * there is (the pids that are gone are skipped); *idx becomes its position.
 */
static bool dir_entry(struct inode *dir, u64 *idx, char *buf,
		      const char **name, size_t *len, unsigned long *d_ino,
		      u32 *mode)
{
	if (!dir->dir_ops || !dir->dir_ops->readdir(dir, idx, buf, d_ino, mode))
		return false;
	*name = buf;
	*len = strlen(buf);
	return true;
}

struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;
	u16 d_reclen;
	u8 d_type;
	char d_name[];
};

/* A directory's entries (not /proc's) go through iterate() into a kernel page. */
struct getdents_ctx {
	struct dir_context ctx;
	char *kbuf;
	size_t used, cap;
	bool no_room;
};

static bool fill_dirent(struct dir_context *ctx, const char *name, int len,
			u64 pos, u64 ino, unsigned int d_type)
{
	struct getdents_ctx *g = container_of(ctx, struct getdents_ctx, ctx);
	struct linux_dirent64 *de = (void *)(g->kbuf + g->used);
	size_t reclen = ALIGN_UP(sizeof(*de) + (size_t)len + 1, 8);

	if (g->used + reclen > g->cap) {
		g->no_room = true;
		return false;
	}
	de->d_ino = ino;
	de->d_off = (s64)pos;
	de->d_reclen = (u16)reclen;
	de->d_type = (u8)d_type;
	memcpy(de->d_name, name, (size_t)len);
	memset(de->d_name + len, 0, reclen - sizeof(*de) - (size_t)len);
	g->used += reclen;
	return true;
}

/* With the directory's i_mutex, as Linux's iterate_dir(): no entry changes meanwhile. */
static long vfs_getdents(struct file *f, void *ubuf, size_t cap, char *kbuf)
{
	struct inode *dir = f->inode;
	struct getdents_ctx g = { .ctx.actor = fill_dirent, .kbuf = kbuf, .cap = cap };
	int err;

	inode_lock(dir);
	if (!dir->i_nlink) {
		inode_unlock(dir);
		return -ENOENT;
	}
	g.ctx.pos = f->f_pos;
	err = f->ops->iterate(f, &g.ctx);
	f->f_pos = g.ctx.pos;
	inode_unlock(dir);
	if (!g.used)
		return err ? err : g.no_room ? -EINVAL : 0;
	return copy_to_user(ubuf, kbuf, g.used) ? -EFAULT : (long)g.used;
}

SYSCALL_DEFINE3(getdents64, int, fd, void *, ubuf, size_t, n)
{
	struct file *f __free(fput) = fget(fd);
	size_t cap = min(n, PAGE_SIZE), used = 0;
	unsigned long irq;
	bool no_room = false;
	char *kbuf;
	u64 idx;

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->i_mode))
		return -ENOTDIR;
	if (!access_ok(ubuf, n))
		return -EFAULT;
	kbuf = alloc_page(__GFP_NOWARN);
	if (!kbuf)
		return -ENOMEM;
	if (f->ops->iterate) {
		long ret = vfs_getdents(f, ubuf, cap, kbuf);

		free_page(kbuf);
		return ret;
	}
	irq = fs_lock_irqsave();
	if (!f->inode->i_nlink) { /* removed, as Linux's IS_DEADDIR */
		fs_unlock_irqrestore(irq);
		free_page(kbuf);
		return -ENOENT;
	}
	/* Offsets, not indices: entries removed meanwhile shift nothing. */
	for (idx = f->f_pos;; idx++) {
		struct linux_dirent64 *de = (void *)(kbuf + used);
		char namebuf[NAME_MAX + 1];
		unsigned long d_ino;
		const char *name;
		size_t len, reclen;
		u32 mode;

		if (!dir_entry(f->inode, &idx, namebuf, &name, &len, &d_ino,
			       &mode))
			break;
		reclen = ALIGN_UP(sizeof(*de) + len + 1, 8);
		if (used + reclen > cap) {
			no_room = true;
			break;
		}
		de->d_ino = d_ino;
		de->d_off = (s64)idx + 1;
		de->d_reclen = (u16)reclen;
		de->d_type = (u8)fs_umode_to_dtype(mode);
		memcpy(de->d_name, name, len);
		memset(de->d_name + len, 0, reclen - sizeof(*de) - len);
		used += reclen;
	}
	if (used)
		f->f_pos = idx;
	inode_touch_atime(f->inode); /* as Linux's iterate_dir() */
	fs_unlock_irqrestore(irq);
	if (!used) {
		free_page(kbuf);
		return no_room ? -EINVAL : 0; /* too small for one entry, or the end */
	}
	if (copy_to_user(ubuf, kbuf, used)) {
		free_page(kbuf);
		return -EFAULT;
	}
	free_page(kbuf);
	return (long)used;
}
