/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * read, write, readv, writev and lseek on a descriptor; with
 * CONFIG_FILE_RANGE_IO reads and writes at a position (pread64, pwrite64, preadv, pwritev) and
 * between files in the kernel (sendfile, copy_file_range), as in Linux's
 * fs/read_write.c; disk files go through the page cache (mm/filemap.c). Data goes through a page-sized kernel buffer, a chunk
 * at a time with fs_lock taken per chunk, so a copy of gigabytes lets
 * others run and ends on SIGKILL.
 */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>
#include <asm/page.h>

#include "internal.h"

/* Linux's MAX_RW_COUNT: one call moves at most this much. */
#define MAX_RW_COUNT (0x7fffffffUL & ~(PAGE_SIZE - 1))

long vfs_read(struct file *f, char *ubuf, size_t n, u64 *ppos)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if ((long)n < 0)
		return -EINVAL;
	if (!f->ops->read && !f->ops->read_at)
		return -EINVAL;
	if (n && !access_ok(ubuf, n))
		return -EFAULT;
	/* A file without a position (a device) reads the same at any. */
	if (!f->ops->read_at)
		return f->ops->read(f, ubuf, n);
	return f->ops->read_at(f, ubuf, n, ppos);
}

/* read() and write() are the pipe round trip's: no reference when the table is ours alone. */
SYSCALL_DEFINE3(read, int, fd, char *, ubuf, size_t, n)
{
	bool ref;
	struct file *f = fget_light(fd, &ref);
	long ret;

	if (!f)
		return -EBADF;
	ret = vfs_read(f, ubuf, n, NULL);
	fput_light(f, ref);
	return ret;
}

long vfs_write(struct file *f, const char *ubuf, size_t n, u64 *ppos)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if ((long)n < 0)
		return -EINVAL;
	if (!f->ops->write && !f->ops->write_at)
		return -EINVAL;
	/* A write of 0 bytes is the file's to answer too (/proc/<pid>/comm, /dev/full), as Linux. */
	if (n && !access_ok(ubuf, n))
		return -EFAULT;
	if (!f->ops->write_at)
		return f->ops->write(f, ubuf, n);
	return f->ops->write_at(f, ubuf, n, ppos);
}

SYSCALL_DEFINE3(write, int, fd, const char *, ubuf, size_t, n)
{
	bool ref;
	struct file *f = fget_light(fd, &ref);
	long ret;

	if (!f)
		return -EBADF;
	ret = vfs_write(f, ubuf, n, NULL);
	fput_light(f, ref);
	return ret;
}

struct iovec {
	unsigned long base;
	unsigned long len;
};

#define IOV_MAX 1024

/* Each buffer in turn; stops at a short transfer or an error. */
long file_iov(struct file *f, const void *uiov, unsigned long iovcnt,
	      bool write, u64 *ppos)
{
	struct iovec iov;
	unsigned long i;
	long done = 0, n;

	if (iovcnt > IOV_MAX)
		return -EINVAL;
	for (i = 0; i < iovcnt; i++) {
		if (done && fatal_signal_pending(current_task()))
			break;
		if (copy_from_user(&iov, (const char *)uiov + i * sizeof(iov),
				   sizeof(iov)))
			return done ? done : -EFAULT;
		if ((long)iov.len < 0)
			return done ? done : -EINVAL;
		if (!iov.len)
			continue; /* as Linux's vectored I/O: an empty buffer reaches no file */
		n = write ? vfs_write(f, (const char *)iov.base, iov.len, ppos) :
			    vfs_read(f, (char *)iov.base, iov.len, ppos);
		if (n < 0)
			return done ? done : n;
		done += n;
		if ((unsigned long)n < iov.len)
			break;
	}
	return done;
}

SYSCALL_DEFINE3(readv, int, fd, const void *, uiov, unsigned long, iovcnt)
{
	struct file *f __free(fput) = fget(fd);

	return f ? file_iov(f, uiov, iovcnt, false, NULL) : -EBADF;
}

SYSCALL_DEFINE3(writev, int, fd, const void *, uiov, unsigned long, iovcnt)
{
	struct file *f __free(fput) = fget(fd);

	return f ? file_iov(f, uiov, iovcnt, true, NULL) : -EBADF;
}

SYSCALL_DEFINE3(lseek, int, fd, long, off, int, whence)
{
	struct file *f __free(fput) = fget(fd);
	unsigned long irq;
	long pos;

	if (!f)
		return -EBADF;
	if (!f->ops->seekable)
		return -ESPIPE;
	irq = fs_lock_irqsave();
	switch (whence) {
	case SEEK_SET:
		pos = off;
		break;
	case SEEK_CUR:
		pos = (long)f->f_pos + off;
		break;
	case SEEK_END:
		pos = (long)(f->ops->size ? f->ops->size(f) : f->inode->i_size) + off;
		break;
	default:
		pos = -1;
		break;
	}
	if (whence >= SEEK_SET && whence <= SEEK_END && pos >= 0)
		f->f_pos = (u64)pos;
	fs_unlock_irqrestore(irq);
	return pos < 0 ? -EINVAL : pos;
}

#ifdef CONFIG_FILE_RANGE_IO
/* The file at fd for a positional call: -EBADF, or -ESPIPE (no position). */
static long pos_file(int fd, long pos, struct file **f)
{
	if (pos < 0)
		return -EINVAL; /* before the descriptor, as Linux */
	*f = fget(fd);
	if (!*f)
		return -EBADF;
	return (*f)->ops->seekable ? 0 : -ESPIPE;
}

SYSCALL_DEFINE4(pread64, int, fd, char *, ubuf, size_t, n, long, pos)
{
	struct file *f __free(fput) = NULL;
	long ret = pos_file(fd, pos, &f);
	u64 p = (u64)pos;

	return ret ? ret : vfs_read(f, ubuf, n, &p);
}

SYSCALL_DEFINE4(pwrite64, int, fd, const char *, ubuf, size_t, n, long, pos)
{
	struct file *f __free(fput) = NULL;
	long ret = pos_file(fd, pos, &f);
	u64 p = (u64)pos;

	return ret ? ret : vfs_write(f, ubuf, n, &p);
}

/* On a 64-bit ABI the offset is all in pos_l (pos_h is for 32-bit ones). */
SYSCALL_DEFINE5(preadv, int, fd, const void *, uiov, unsigned long, iovcnt,
		long, pos_l, long, pos_h)
{
	struct file *f __free(fput) = NULL;
	long ret = pos_file(fd, pos_l, &f);
	u64 p = (u64)pos_l;

	return ret ? ret : file_iov(f, uiov, iovcnt, false, &p);
}

SYSCALL_DEFINE5(pwritev, int, fd, const void *, uiov, unsigned long, iovcnt,
		long, pos_l, long, pos_h)
{
	struct file *f __free(fput) = NULL;
	long ret = pos_file(fd, pos_l, &f);
	u64 p = (u64)pos_l;

	return ret ? ret : file_iov(f, uiov, iovcnt, true, &p);
}

/* Up to n bytes of the regular file in at pos into buf; atime as read(). */
static long read_chunk(struct inode *in, u64 pos, char *buf, size_t n)
{
	unsigned long irq;
	long got;

	if (IS_ENABLED(CONFIG_FILEMAP) && is_vfs_inode(in))
		return filemap_read_kernel(in, pos, buf, n);
	irq = fs_lock_irqsave();
	got = ramfs_read(in, pos, buf, n);

	inode_touch_atime(in);
	fs_unlock_irqrestore(irq);
	return got;
}

/*
 * Linux's do_sendfile(): the input is a regular file (Linux needs one it
 * can splice from; pipes and terminals give EINVAL), read at *offset if
 * given (the file's position stays), else at and moving its position;
 * the output is anything with write_kernel: a file, a pipe, the
 * terminal, /dev/null.
 */
SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, long *, uoffset,
		size_t, count)
{
	struct file *in __free(fput) = fget(in_fd);
	struct file *out __free(fput) = NULL;
	unsigned long irq;
	size_t done = 0;
	long ret = 0, off;
	char *kbuf;
	u64 pos;

	if (uoffset && copy_from_user(&off, uoffset, sizeof(off)))
		return -EFAULT;
	if (!in || (in->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (uoffset) {
		if (!in->ops->seekable)
			return -ESPIPE;
		if (off < 0)
			return -EINVAL;
		pos = (u64)off;
	} else {
		irq = fs_lock_irqsave();
		pos = in->f_pos;
		fs_unlock_irqrestore(irq);
	}
	if (pos + count < pos || (s64)(pos + count) < 0)
		return -EINVAL; /* rw_verify_area() */
	count = min(count, (size_t)MAX_RW_COUNT);
	out = fget(out_fd);
	if (!out || (out->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	/* A disk file is read through its page cache. */
	if (!S_ISREG(in->inode->i_mode) || in->inode->proc || !out->ops->write_kernel ||
	    (is_vfs_inode(in->inode) && !(IS_ENABLED(CONFIG_FILEMAP) && in->inode->i_aops)) ||
	    (out->flags & O_APPEND))
		return -EINVAL;
	kbuf = alloc_page(__GFP_NOWARN);
	if (!kbuf)
		return -ENOMEM;
	while (done < count) {
		long got, put;

		if (done && fatal_signal_pending(current_task()))
			break;
		cond_resched();
		got = read_chunk(in->inode, pos, kbuf, min(count - done, PAGE_SIZE));
		if (got <= 0)
			break;
		put = out->ops->write_kernel(out, kbuf, (size_t)got);
		if (put < 0) {
			ret = put;
			break;
		}
		done += (size_t)put;
		pos += (u64)put;
		if (put < got)
			break;
	}
	free_page(kbuf);
	if (uoffset) {
		off = (long)pos;
		if (copy_to_user(uoffset, &off, sizeof(off)))
			return -EFAULT;
	} else {
		irq = fs_lock_irqsave();
		in->f_pos = pos;
		fs_unlock_irqrestore(irq);
	}
	return done ? (long)done : ret;
}

/* A user offset (NULL: the file's position), -EFAULT if unreadable. */
static long get_pos(struct file *f, const long *uoff, u64 *pos)
{
	unsigned long irq;
	long off;

	if (uoff) {
		if (copy_from_user(&off, uoff, sizeof(off)))
			return -EFAULT;
		*pos = (u64)off;
		return 0;
	}
	irq = fs_lock_irqsave();
	*pos = f->f_pos;
	fs_unlock_irqrestore(irq);
	return 0;
}

static long put_pos(struct file *f, long *uoff, u64 pos)
{
	unsigned long irq;
	long off = (long)pos;

	if (uoff)
		return copy_to_user(uoff, &off, sizeof(off)) ? -EFAULT : 0;
	irq = fs_lock_irqsave();
	f->f_pos = pos;
	fs_unlock_irqrestore(irq);
	return 0;
}

/* Between two regular files, with the checks of Linux's generic_copy_file_checks(). */
SYSCALL_DEFINE6(copy_file_range, int, fd_in, long *, uoff_in, int, fd_out,
		long *, uoff_out, size_t, len, unsigned int, flags)
{
	struct file *in __free(fput) = fget(fd_in);
	struct file *out __free(fput) = fget(fd_out);
	struct inode *iin, *iout;
	u64 pin, pout, size;
	unsigned long irq;
	size_t done = 0;
	long ret = 0;
	char *kbuf;

	if (!in || !out)
		return -EBADF;
	if (get_pos(in, uoff_in, &pin) || get_pos(out, uoff_out, &pout))
		return -EFAULT;
	if (flags)
		return -EINVAL;
	iin = in->inode;
	iout = out->inode;
	if (S_ISDIR(iin->i_mode) || S_ISDIR(iout->i_mode))
		return -EISDIR;
	if (!S_ISREG(iin->i_mode) || !S_ISREG(iout->i_mode) || iin->proc ||
	    iout->proc)
		return -EINVAL;
	/*
	 * Disk files through their page cache, within one instance: as
	 * Linux's generic copy, between two super blocks is EXDEV.
	 */
	if ((is_vfs_inode(iin) || is_vfs_inode(iout)) &&
	    (iin->i_sb != iout->i_sb || !IS_ENABLED(CONFIG_FILEMAP) || !iin->i_aops))
		return -EXDEV;
	if ((in->flags & O_ACCMODE) == O_WRONLY ||
	    (out->flags & O_ACCMODE) == O_RDONLY || (out->flags & O_APPEND))
		return -EBADF;
	if (pin + len < pin || pout + len < pout)
		return -EOVERFLOW;
	irq = fs_lock_irqsave();
	size = iin->i_size;
	fs_unlock_irqrestore(irq);
	len = pin >= size ? 0 : (size_t)min((u64)len, size - pin);
	if (pout >= FS_MAX_SIZE)
		return len ? -EFBIG : 0;
	len = (size_t)min((u64)len, FS_MAX_SIZE - pout);
	if (iin == iout && pout + len > pin && pout < pin + len)
		return -EINVAL;
	if ((s64)pin < 0 || (s64)pout < 0)
		return -EINVAL;
	len = min(len, (size_t)MAX_RW_COUNT);
	kbuf = alloc_page(__GFP_NOWARN);
	if (!kbuf)
		return -ENOMEM;
	while (done < len) {
		long got, put;

		if (done && fatal_signal_pending(current_task()))
			break;
		cond_resched();
		got = read_chunk(iin, pin, kbuf, min(len - done, PAGE_SIZE));
		if (got <= 0)
			break;
		inode_lock(iout);
		if (IS_ENABLED(CONFIG_FILEMAP) && is_vfs_inode(iout)) {
			put = filemap_write_kernel(iout, pout, kbuf, (size_t)got);
		} else {
			irq = fs_lock_irqsave();
			put = ramfs_write(iout, pout, kbuf, (size_t)got);
			fs_unlock_irqrestore(irq);
		}
		inode_unlock(iout);
		if (put < 0) {
			ret = put;
			break;
		}
		done += (size_t)put;
		pin += (u64)put;
		pout += (u64)put;
		if (put < got)
			break;
	}
	free_page(kbuf);
	if (done && (put_pos(in, uoff_in, pin) || put_pos(out, uoff_out, pout)))
		return -EFAULT;
	return done ? (long)done : ret;
}
#endif /* CONFIG_FILE_RANGE_IO */
