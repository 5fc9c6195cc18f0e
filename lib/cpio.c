/* SPDX-License-Identifier: BSD-2-Clause */
/* cpio "newc" archive iterator: every field is checked before it is used. */
#include <hartix/compiler.h>
#include <hartix/cpio.h>
#include <hartix/errno.h>
#include <hartix/string.h>

/* The header fields in the order they are stored, after the magic. */
enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
	F_COUNT
};

#define CPIO_FIELD_LEN	8
/* Names and data each start and end on this boundary of the archive. */
#define CPIO_ALIGN	4

BUILD_BUG_ON(CPIO_MAGIC_LEN + F_COUNT * CPIO_FIELD_LEN != CPIO_HEADER_SIZE);

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -EINVAL;
}

/* Exactly 8 hex digits: a space, sign or "0x" means a malformed header. */
static bool parse_hex8(const u8 *p, u32 *val)
{
	u32 v = 0;
	unsigned int i;

	for (i = 0; i < CPIO_FIELD_LEN; i++) {
		u8 c = p[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*val = v;
	return true;
}

/*
 * The first non-NUL byte at or after off, or size. Page-aligning padding
 * is up to 4 KiB before each big file: read 64 bytes a round where they
 * are aligned, which made walking the archive cheap again.
 */
static size_t skip_zeroes(const u8 *a, size_t size, size_t off)
{
	while (off < size && !a[off]) {
		const u64 *w = (const u64 *)(const void *)(a + off);

		if (!((uintptr_t)w % 64) && size - off >= 64 &&
		    !(w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7]))
			off += 64;
		else if (!((uintptr_t)w % 4) && size - off >= 4 && !*(const u32 *)w)
			off += 4;
		else
			off++;
	}
	return off;
}

/* Bytes from end up to the next multiple of CPIO_ALIGN. */
static size_t pad_len(size_t end)
{
	return (CPIO_ALIGN - end % CPIO_ALIGN) % CPIO_ALIGN;
}

/*
 * Why the room bytes at h are not a newc header, or NULL if they start
 * like one. Boot loaders often hand over a compressed or odc initrd, so
 * those get a reason that says what to rebuild it with.
 */
static const char *bad_magic(const u8 *h, size_t room)
{
#define UNCOMPRESSED "only an uncompressed newc cpio is supported"
	static const struct {
		u8 len;
		u8 bytes[8];
		const char *why;
	} known[] = {
		{ 6, "070707", "cpio odc (070707) archive: only newc is supported" },
		{ 2, "\xc7\x71", "binary cpio archive: only newc is supported" },
		{ 2, "\x71\xc7", "binary cpio archive: only newc is supported" },
		{ 2, "\x1f\x8b", "gzip-compressed archive: " UNCOMPRESSED },
		{ 6, "\xfd" "7zXZ", "xz-compressed archive: " UNCOMPRESSED },
		{ 4, "\x28\xb5\x2f\xfd", "zstd-compressed archive: " UNCOMPRESSED },
		{ 3, "BZh", "bzip2-compressed archive: " UNCOMPRESSED },
		{ 4, "\x02\x21\x4c\x18", "lz4-compressed archive: " UNCOMPRESSED },
	};
	size_t n = min(room, (size_t)CPIO_MAGIC_LEN);
	unsigned int i;

	/* A prefix of "070701"/"070702" is a truncated header, not bad magic. */
	if (!memcmp(h, CPIO_NEWC_MAGIC, min(n, (size_t)CPIO_MAGIC_LEN - 1)) &&
	    (n < CPIO_MAGIC_LEN || h[CPIO_MAGIC_LEN - 1] == '1' ||
	     h[CPIO_MAGIC_LEN - 1] == '2'))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (room >= known[i].len && !memcmp(h, known[i].bytes, known[i].len))
			return known[i].why;
	return "bad cpio magic (not a newc archive)";
#undef UNCOMPRESSED
}

int cpio_next(const void *archive, size_t size, size_t *offset,
	      struct cpio_entry *out, const char **why)
{
	static const char *const bad_field[F_COUNT] = {
		[F_INO] = "non-hex digit in cpio field c_ino",
		[F_MODE] = "non-hex digit in cpio field c_mode",
		[F_UID] = "non-hex digit in cpio field c_uid",
		[F_GID] = "non-hex digit in cpio field c_gid",
		[F_NLINK] = "non-hex digit in cpio field c_nlink",
		[F_MTIME] = "non-hex digit in cpio field c_mtime",
		[F_FILESIZE] = "non-hex digit in cpio field c_filesize",
		[F_DEVMAJOR] = "non-hex digit in cpio field c_devmajor",
		[F_DEVMINOR] = "non-hex digit in cpio field c_devminor",
		[F_RDEVMAJOR] = "non-hex digit in cpio field c_rdevmajor",
		[F_RDEVMINOR] = "non-hex digit in cpio field c_rdevminor",
		[F_NAMESIZE] = "non-hex digit in cpio field c_namesize",
		[F_CHECK] = "non-hex digit in cpio field c_check",
	};
	const u8 *a = archive;
	size_t off = *offset;
	bool first = off == 0;

	if (off > size)
		return fail(why, "cpio offset past the end of the archive");

	/*
	 * Each pass either returns or skips a trailer, which moves off forward
	 * by at least a header, so the loop ends.
	 */
	for (;;) {
		const u8 *h;
		const char *name, *msg;
		u32 f[F_COUNT];
		size_t name_off, name_end, data_off, data_end, next;
		unsigned int i;

		/*
		 * Padding after a trailer, between archives a loader joined, or
		 * before a file whose data gen_initramfs.py page-aligned.
		 */
		off = skip_zeroes(a, size, off);
		*offset = off;
		if (off == size)
			return 0;
		if (off % CPIO_ALIGN)
			return fail(why,
				    "cpio header not 4-byte aligned (broken padding)");

		h = a + off;
		msg = bad_magic(h, size - off);
		if (msg)
			return fail(why, msg);
		if (size - off < CPIO_HEADER_SIZE)
			return fail(why, "cpio header truncated");
		for (i = 0; i < F_COUNT; i++)
			if (!parse_hex8(h + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN,
					&f[i]))
				return fail(why, bad_field[i]);

		/* c_namesize counts the NUL, so 0 cannot be right. */
		if (!f[F_NAMESIZE])
			return fail(why, "cpio name size is 0");
		name_off = off + CPIO_HEADER_SIZE;
		if (f[F_NAMESIZE] > size - name_off)
			return fail(why,
				    "cpio name runs past the end of the archive");
		name = (const char *)a + name_off;
		if (name[f[F_NAMESIZE] - 1])
			return fail(why, "cpio name not NUL-terminated");
		/* An inner NUL would make the name mean less than it says. */
		if (strnlen(name, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1)
			return fail(why, "cpio name contains a NUL before its end");
		if (f[F_NAMESIZE] == 1)
			return fail(why, "cpio entry has an empty name");
		name_end = name_off + f[F_NAMESIZE];
		if (pad_len(name_end) > size - name_end)
			return fail(why,
				    "cpio name padding runs past the end of the archive");
		data_off = name_end + pad_len(name_end);

		if (f[F_FILESIZE] > size - data_off)
			return fail(why,
				    "cpio file data runs past the end of the archive");
		data_end = data_off + f[F_FILESIZE];
		if (pad_len(data_end) > size - data_end)
			return fail(why,
				    "cpio data padding runs past the end of the archive");
		next = data_end + pad_len(data_end);

		if (f[F_NAMESIZE] == sizeof(CPIO_TRAILER_NAME) &&
		    !memcmp(name, CPIO_TRAILER_NAME, sizeof(CPIO_TRAILER_NAME))) {
			off = next;
			first = true;
			continue;
		}
		if (cpio_is_symlink(f[F_MODE]) && !f[F_FILESIZE])
			return fail(why, "cpio symlink has an empty target");

		out->name = name;
		out->name_len = f[F_NAMESIZE] - 1;
		out->data = a + data_off;
		out->size = f[F_FILESIZE];
		out->mode = f[F_MODE];
		out->ino = f[F_INO];
		out->uid = f[F_UID];
		out->gid = f[F_GID];
		out->nlink = f[F_NLINK];
		out->mtime = f[F_MTIME];
		out->devmajor = f[F_DEVMAJOR];
		out->devminor = f[F_DEVMINOR];
		out->rdevmajor = f[F_RDEVMAJOR];
		out->rdevminor = f[F_RDEVMINOR];
		out->first_in_archive = first;
		*offset = next;
		return 1;
	}
}
