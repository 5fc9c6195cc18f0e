// SPDX-License-Identifier: BSD-2-Clause
/* Calls on a descriptor itself: ioctl, dup, dup3 and fcntl. */
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/syscalls.h>

#include "internal.h"

SYSCALL_DEFINE3(ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f __free(fput) = fget(fd);

	if (!f)
		return -EBADF;
	return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}

SYSCALL_DEFINE1(dup, int, fd)
{
	struct file *f __free(fput) = fget(fd);
	int nfd;

	if (!f)
		return -EBADF;
	file_get(f);
	nfd = fd_install_from(f, 0, false);
	if (nfd < 0)
		fput(f);
	return nfd;
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags)
{
	struct file *f __free(fput) = fget(oldfd);
	struct file *old;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd < 0 || newfd >= fd_limit())
		return -EBADF;
	file_get(f);
	old = fd_replace(newfd, f, flags & O_CLOEXEC);
	if (old) {
		locks_remove_posix(cur_files(), old);
		fput(old);
	}
	return newfd;
}


SYSCALL_DEFINE3(fcntl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f __free(fput) = fget(fd);
	struct files *fs = cur_files();
	int nfd;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= (unsigned long)fd_limit())
			return -EINVAL;
		file_get(f);
		nfd = fd_install_from(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
		if (nfd < 0)
			fput(f);
		return nfd;
	case F_GETFD:
		return fs->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		fs->cloexec[fd] = !!(arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags | O_LARGEFILE;
	case F_SETFL:
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) |
			   ((unsigned int)arg & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_lock(f, cmd, (void *)arg);
	default:
		return -EINVAL;
	}
}
