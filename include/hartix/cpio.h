/* SPDX-License-Identifier: BSD-2-Clause */
/* cpio "newc" archive iterator for the initramfs (lib/cpio.c). */
#ifndef HARTIX_CPIO_H
#define HARTIX_CPIO_H

#include <hartix/types.h>

/* "070701" newc, "070702" newc with a checksum (not verified). */
#define CPIO_NEWC_MAGIC		"070701"
#define CPIO_CRC_MAGIC		"070702"
#define CPIO_MAGIC_LEN		6
/* The magic and 13 fields of 8 ASCII hex digits. */
#define CPIO_HEADER_SIZE	110
#define CPIO_TRAILER_NAME	"TRAILER!!!"

/*
 * The file type bits of the mode: the Unix values, the same as any stat.h,
 * spelled with a prefix so this header can sit beside one.
 */
#define CPIO_S_IFMT		0170000U
#define CPIO_S_IFSOCK		0140000U
#define CPIO_S_IFLNK		0120000U
#define CPIO_S_IFREG		0100000U
#define CPIO_S_IFBLK		0060000U
#define CPIO_S_IFDIR		0040000U
#define CPIO_S_IFCHR		0020000U
#define CPIO_S_IFIFO		0010000U

/*
 * One archive member. Pointers are into the archive, which must outlive
 * them. name is NUL-terminated (name_len bytes before the NUL) and never
 * empty; it is stored as the archiver wrote it, so it may start with "./"
 * or "/" or contain "..": the caller normalises it. data is size bytes,
 * not NUL-terminated: a symlink's target is its data (never empty).
 *
 * Hard links: newc stores the data once, with the last link of a group
 * (same ino and devmajor/devminor, nlink > 1); earlier links of a regular
 * file come with size 0. first_in_archive marks where a new archive of a
 * concatenation starts, where a hard-link table must be forgotten.
 */
struct cpio_entry {
	const char *name;
	size_t name_len;
	const void *data;
	size_t size;
	u32 mode;		/* permission and CPIO_S_IFMT type bits */
	u32 ino;
	u32 uid;
	u32 gid;
	u32 nlink;
	u32 mtime;		/* seconds since the epoch, unsigned 32 bits */
	u32 devmajor;		/* device holding the file (hard links) */
	u32 devminor;
	u32 rdevmajor;		/* the device a char/block node stands for */
	u32 rdevminor;
	bool first_in_archive;
};

/*
 * Step through the archive of size bytes at archive, from *offset (start
 * at 0). Returns 1 with the next member in *out and *offset advanced past
 * it; 0 at the end, with *offset == size; a negative errno (-EINVAL) for
 * a malformed archive, with a static reason in *why and *offset at the
 * header that is wrong. *why is untouched on success.
 *
 * TRAILER!!! entries are never returned. As Linux's initramfs unpacker
 * does, zero bytes where a header may start are skipped, and the header
 * after them must be 4-byte aligned relative to archive. So several
 * archives back to back (each with its trailer, zero-padded or not) read
 * as one sequence, and 0 means the end of the buffer, not of the first
 * archive. A missing final trailer is tolerated: an archive that ends
 * cleanly after a member's padding also returns 0.
 *
 * Every field is bounds-checked: each call reads only inside the archive
 * and advances *offset by at least one header, so a loop until <= 0 ends.
 */
int cpio_next(const void *archive, size_t size, size_t *offset,
	      struct cpio_entry *out, const char **why);

static inline bool cpio_is_dir(u32 mode)
{
	return (mode & CPIO_S_IFMT) == CPIO_S_IFDIR;
}

static inline bool cpio_is_reg(u32 mode)
{
	return (mode & CPIO_S_IFMT) == CPIO_S_IFREG;
}

static inline bool cpio_is_symlink(u32 mode)
{
	return (mode & CPIO_S_IFMT) == CPIO_S_IFLNK;
}

#endif
