/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of lib/cpio.c: made-up and GNU cpio archives, cut, joined and corrupted. */
#include <hartix/compiler.h> /* before any libc header, as the other tests do */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hartix/cpio.h>
#include <hartix/errno.h>

#include "htest.h"

#define REQUIRE(cond)                  \
	do {                           \
		if (!(cond)) {         \
			CHECK(cond);   \
			return;        \
		}                      \
	} while (0)

/* More calls than this on one archive means cpio_next() is not advancing. */
#define MAX_STEPS 100000

static char workdir[] = "/tmp/test_cpio.XXXXXX";

static void skip_case(const char *name, const char *reason)
{
	htest_count++;
	printf("ok %d %s # SKIP %s\n", htest_count, name, reason);
	fflush(stdout);
}

/* ---- A newc writer that remembers where each part of each member is. */

enum { I_INO, I_MODE, I_UID, I_GID, I_NLINK, I_MTIME, I_FILESIZE, I_DEVMAJ,
       I_DEVMIN, I_RDEVMAJ, I_RDEVMIN, I_NAMESIZE, I_CHECK, NFIELDS };

struct member {
	size_t hdr, name_end, data_off, data_end, next;
	u32 f[NFIELDS];
	char name[64];
	const void *data;
	bool trailer;
};

struct arc {
	u8 *p;
	size_t len, cap;
	int n;
	struct member m[64];
};

static void put(struct arc *a, const void *d, size_t n)
{
	if (!n)
		return;
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2 + 64;
		a->p = realloc(a->p, a->cap);
	}
	memcpy(a->p + a->len, d, n);
	a->len += n;
}

static void put_zeros(struct arc *a, size_t n)
{
	static const u8 z[4096];

	while (n) {
		size_t k = n < sizeof(z) ? n : sizeof(z);

		put(a, z, k);
		n -= k;
	}
}

static void put_pad(struct arc *a)
{
	put_zeros(a, (4 - a->len % 4) % 4);
}

/* namesize and filesize are written as given in f[], the bytes as given. */
static struct member *put_raw(struct arc *a, const char *magic, const u32 *f,
			      const char *name, size_t name_bytes,
			      const void *data, size_t data_bytes)
{
	struct member *m = &a->m[a->n++];
	char h[CPIO_HEADER_SIZE + 1];
	int i;

	memset(m, 0, sizeof(*m));
	m->hdr = a->len;
	memcpy(h, magic, 6);
	for (i = 0; i < NFIELDS; i++)
		snprintf(h + 6 + 8 * i, 9, "%08X", f[i]);
	put(a, h, CPIO_HEADER_SIZE);
	put(a, name, name_bytes);
	m->name_end = a->len;
	put_pad(a);
	m->data_off = a->len;
	put(a, data, data_bytes);
	m->data_end = a->len;
	put_pad(a);
	m->next = a->len;
	memcpy(m->f, f, sizeof(m->f));
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->data = data;
	return m;
}

static struct member *put_entry_magic(struct arc *a, const char *magic,
				      const char *name, u32 mode,
				      const void *data, size_t size)
{
	u32 f[NFIELDS] = {
		[I_INO] = 100 + a->n, [I_MODE] = mode, [I_UID] = 1000 + a->n,
		[I_GID] = 2000 + a->n, [I_NLINK] = cpio_is_dir(mode) ? 2 : 1,
		[I_MTIME] = 0x5f000000u + a->n, [I_FILESIZE] = size,
		[I_DEVMAJ] = 3, [I_DEVMIN] = 4,
		[I_RDEVMAJ] = (mode & CPIO_S_IFMT) == CPIO_S_IFCHR ? 5 : 0,
		[I_RDEVMIN] = (mode & CPIO_S_IFMT) == CPIO_S_IFCHR ? 1 : 0,
		[I_NAMESIZE] = strlen(name) + 1,
		/* Garbage: the checksum of 070702 is not verified. */
		[I_CHECK] = magic[5] == '2' ? 0xdeadbeef : 0,
	};

	return put_raw(a, magic, f, name, strlen(name) + 1, data, size);
}

static struct member *put_entry(struct arc *a, const char *name, u32 mode,
				const void *data, size_t size)
{
	return put_entry_magic(a, CPIO_NEWC_MAGIC, name, mode, data, size);
}

static void put_trailer(struct arc *a)
{
	put_entry(a, CPIO_TRAILER_NAME, 0, NULL, 0)->trailer = true;
}

static void arc_free(struct arc *a)
{
	free(a->p);
	memset(a, 0, sizeof(*a));
}

/* A copy of exactly n bytes, so ASan sees any read past the end. */
static u8 *exact(const void *p, size_t n)
{
	u8 *b = malloc(n ? n : 1);

	if (n)
		memcpy(b, p, n);
	return b;
}

/* The standard test archive: types, odd name lengths and odd data sizes. */
static void make_sample(struct arc *a)
{
	static const char *const names[] = { "x", "xy", "xyz", "xyzw", "xyzwv" };
	static const char data[] = "0123456789";
	unsigned int i;

	put_entry(a, "dir", CPIO_S_IFDIR | 0755, NULL, 0);
	put_entry(a, "dir/hello.txt", CPIO_S_IFREG | 0644, "hello", 5);
	put_entry(a, "dir/empty", CPIO_S_IFREG | 0600, NULL, 0);
	put_entry(a, "dir/link", CPIO_S_IFLNK | 0777, "hello.txt", 9);
	put_entry(a, "dev/console", CPIO_S_IFCHR | 0600, NULL, 0);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		put_entry(a, names[i], CPIO_S_IFREG | 0644, data, i + 1);
	put_trailer(a);
}

/* Compare one returned entry with what the writer put there. */
static void check_entry(const u8 *base, const struct cpio_entry *e,
			const struct member *m)
{
	CHECK_STR(e->name, m->name);
	CHECK_EQ(e->name_len, strlen(m->name));
	CHECK_EQ((const u8 *)e->name - base, m->hdr + CPIO_HEADER_SIZE);
	CHECK_EQ((const u8 *)e->data - base, m->data_off);
	CHECK_EQ(e->size, m->f[I_FILESIZE]);
	CHECK_EQ(e->ino, m->f[I_INO]);
	CHECK_EQ(e->mode, m->f[I_MODE]);
	CHECK_EQ(e->uid, m->f[I_UID]);
	CHECK_EQ(e->gid, m->f[I_GID]);
	CHECK_EQ(e->nlink, m->f[I_NLINK]);
	CHECK_EQ(e->mtime, m->f[I_MTIME]);
	CHECK_EQ(e->devmajor, m->f[I_DEVMAJ]);
	CHECK_EQ(e->devminor, m->f[I_DEVMIN]);
	CHECK_EQ(e->rdevmajor, m->f[I_RDEVMAJ]);
	CHECK_EQ(e->rdevminor, m->f[I_RDEVMIN]);
	if (m->data && e->size)
		CHECK(!memcmp(e->data, m->data, e->size));
}

/*
 * Iterate over a copy of exactly size bytes; return what the last call
 * returned, with the entries seen in *count and the reason in *why.
 */
static int walk(const void *p, size_t size, int *count,
		struct cpio_entry *ents, int max_ents, const char **why,
		size_t *end_off)
{
	u8 *b = exact(p, size);
	size_t off = 0, prev = 0;
	struct cpio_entry e;
	int ret = -1, steps;

	*count = 0;
	*why = NULL;
	for (steps = 0; steps < MAX_STEPS; steps++) {
		ret = cpio_next(b, size, &off, &e, why);
		if (ret <= 0)
			break;
		/* Every entry moves forward and stays inside. */
		CHECK(off > prev);
		CHECK(off <= size);
		CHECK((const u8 *)e.name >= b && (const u8 *)e.name + e.name_len < b + size);
		CHECK(e.name[e.name_len] == '\0');
		CHECK(e.size <= size && (const u8 *)e.data - b <= (long)(size - e.size));
		prev = off;
		if (*count < max_ents) {
			ents[*count] = e;
			/* Keep only offsets: b goes away. */
			ents[*count].name = (const char *)((const u8 *)e.name - b);
			ents[*count].data = (const void *)((const u8 *)e.data - b);
		}
		(*count)++;
	}
	CHECK(steps < MAX_STEPS);
	if (ret == 0)
		CHECK_EQ(off, size);
	if (end_off)
		*end_off = off;
	free(b);
	return ret;
}

/* ---- Cases on made-up archives. */

static void test_sample_archive(void)
{
	struct arc a = { 0 };
	struct cpio_entry e;
	const char *why = NULL;
	size_t off = 0;
	u8 *b;
	int i, ret;

	make_sample(&a);
	put_zeros(&a, 512 - a.len % 512); /* as GNU cpio pads its blocks */
	b = exact(a.p, a.len);
	for (i = 0; i < a.n - 1; i++) {
		ret = cpio_next(b, a.len, &off, &e, &why);
		CHECK_EQ(ret, 1);
		if (ret != 1)
			break;
		check_entry(b, &e, &a.m[i]);
		CHECK_EQ(e.first_in_archive, i == 0);
		CHECK_EQ(off, a.m[i].next);
	}
	CHECK_EQ(cpio_next(b, a.len, &off, &e, &why), 0);
	CHECK_EQ(off, a.len);
	CHECK(why == NULL);
	/* At the end it stays at the end. */
	CHECK_EQ(cpio_next(b, a.len, &off, &e, &why), 0);
	CHECK_EQ(off, a.len);
	free(b);
	arc_free(&a);
}

static void test_mode_helpers(void)
{
	CHECK(cpio_is_dir(CPIO_S_IFDIR | 0755));
	CHECK(!cpio_is_dir(CPIO_S_IFREG | 0755));
	CHECK(cpio_is_reg(CPIO_S_IFREG | 04755));
	CHECK(!cpio_is_reg(CPIO_S_IFLNK | 0777)); /* shares a bit with IFREG */
	CHECK(cpio_is_symlink(CPIO_S_IFLNK | 0777));
	CHECK(!cpio_is_symlink(CPIO_S_IFREG));
	CHECK(!cpio_is_symlink(CPIO_S_IFSOCK));
	CHECK(!cpio_is_dir(CPIO_S_IFBLK)); /* shares a bit with IFDIR */
	CHECK(!cpio_is_reg(0644));
}

static void test_crc_magic(void)
{
	struct arc a = { 0 };
	struct cpio_entry e;
	const char *why = NULL;
	size_t off = 0;

	put_entry_magic(&a, CPIO_CRC_MAGIC, "f", CPIO_S_IFREG | 0644, "abc", 3);
	put_entry_magic(&a, CPIO_CRC_MAGIC, CPIO_TRAILER_NAME, 0, NULL, 0);
	CHECK_EQ(cpio_next(a.p, a.len, &off, &e, &why), 1);
	check_entry(a.p, &e, &a.m[0]);
	CHECK_EQ(cpio_next(a.p, a.len, &off, &e, &why), 0);
	arc_free(&a);
}

static void test_lowercase_hex(void)
{
	struct arc a = { 0 };
	struct cpio_entry e;
	const char *why = NULL;
	size_t off = 0;

	put_entry(&a, "f", CPIO_S_IFREG | 0644, "abc", 3);
	/* c_ino 100+0 = 0x64; write it as lower case "0000abcd". */
	memcpy(a.p + 6, "0000abcd", 8);
	CHECK_EQ(cpio_next(a.p, a.len, &off, &e, &why), 1);
	CHECK_EQ(e.ino, 0xabcd);
	arc_free(&a);
}

static void test_empty_and_zeros(void)
{
	static const u8 zeros[1024];
	struct arc a = { 0 };
	struct cpio_entry e;
	const char *why = NULL;
	size_t off = 0;
	int n;

	CHECK_EQ(cpio_next(zeros, 0, &off, &e, &why), 0);
	CHECK_EQ(off, 0);
	CHECK_EQ(walk(zeros, sizeof(zeros), &n, NULL, 0, &why, NULL), 0);
	CHECK_EQ(n, 0);
	put_trailer(&a);
	CHECK_EQ(walk(a.p, a.len, &n, NULL, 0, &why, NULL), 0);
	CHECK_EQ(n, 0);
	/* A caller's offset past the end is a bug, not the end. */
	off = 2000;
	CHECK_EQ(cpio_next(zeros, sizeof(zeros), &off, &e, &why), -EINVAL);
	CHECK_STR(why, "cpio offset past the end of the archive");
	arc_free(&a);
}

/* Like Linux, an archive that just stops after a member is accepted. */
static void test_missing_trailer(void)
{
	struct arc a = { 0 };
	const char *why;
	int n;

	put_entry(&a, "a", CPIO_S_IFREG | 0644, "1", 1);
	put_entry(&a, "b", CPIO_S_IFREG | 0644, "22", 2);
	CHECK_EQ(walk(a.p, a.len, &n, NULL, 0, &why, NULL), 0);
	CHECK_EQ(n, 2);
	arc_free(&a);
}

static void check_concat(size_t gap, size_t block, size_t tail)
{
	struct arc a = { 0 }, b = { 0 }, c = { 0 };
	struct cpio_entry ents[64];
	const char *why;
	int n, i, na = 0;

	make_sample(&a);
	if (block)
		put_zeros(&a, (block - a.len % block) % block);
	put_entry(&b, "second/one", CPIO_S_IFREG | 0644, "second archive", 14);
	put_entry(&b, "second/two", CPIO_S_IFDIR | 0700, NULL, 0);
	put_trailer(&b);
	put(&c, a.p, a.len);
	put_zeros(&c, gap);
	put(&c, b.p, b.len);
	put_zeros(&c, tail);

	CHECK_EQ(walk(c.p, c.len, &n, ents, 64, &why, NULL), 0);
	CHECK_EQ(n, (a.n - 1) + (b.n - 1));
	for (i = 0; i < n && i < 64; i++) {
		const struct member *m = i < a.n - 1 ? &a.m[i] : &b.m[i - (a.n - 1)];
		size_t base = i < a.n - 1 ? 0 : a.len + gap;

		if (i < a.n - 1)
			na++;
		CHECK_EQ((size_t)ents[i].name, base + m->hdr + CPIO_HEADER_SIZE);
		CHECK_EQ(ents[i].size, m->f[I_FILESIZE]);
		CHECK_EQ(ents[i].mode, m->f[I_MODE]);
		CHECK_EQ(ents[i].first_in_archive, i == 0 || i == a.n - 1);
	}
	CHECK_EQ(na, a.n - 1);
	arc_free(&a);
	arc_free(&b);
	arc_free(&c);
}

static void test_concatenated(void)
{
	check_concat(0, 0, 0);		/* back to back */
	check_concat(0, 512, 0);	/* block-padded first archive */
	check_concat(4096, 512, 13);	/* padding between and after */
	check_concat(8, 0, 3);
}

/* A second archive that does not start on a multiple of 4. */
static void test_misaligned_second_archive(void)
{
	struct arc a = { 0 }, c = { 0 };
	const char *why;
	size_t end;
	int n;

	make_sample(&a);
	put(&c, a.p, a.len);
	put_zeros(&c, 1);
	put(&c, a.p, a.len);
	CHECK_EQ(walk(c.p, c.len, &n, NULL, 0, &why, &end), -EINVAL);
	CHECK_STR(why, "cpio header not 4-byte aligned (broken padding)");
	CHECK_EQ(n, a.n - 1);
	CHECK_EQ(end, a.len + 1);
	arc_free(&a);
	arc_free(&c);
}

static void test_garbage_after_trailer(void)
{
	struct arc a = { 0 };
	const char *why;
	size_t end;
	int n;

	make_sample(&a);
	put_zeros(&a, 16);
	put(&a, "junkjunk", 8);
	CHECK_EQ(walk(a.p, a.len, &n, NULL, 0, &why, &end), -EINVAL);
	CHECK_STR(why, "bad cpio magic (not a newc archive)");
	CHECK_EQ(n, a.n - 1);
	CHECK_EQ(end, a.len - 8);
	arc_free(&a);
}

/* What every prefix of a member's bytes must be reported as. */
static const char *cut_reason(const struct member *m, size_t len)
{
	if (len < m->hdr + CPIO_HEADER_SIZE)
		return "cpio header truncated";
	if (len < m->name_end)
		return "cpio name runs past the end of the archive";
	if (len < m->data_off)
		return "cpio name padding runs past the end of the archive";
	if (len < m->data_end)
		return "cpio file data runs past the end of the archive";
	return "cpio data padding runs past the end of the archive";
}

static void check_all_prefixes(struct arc *a)
{
	struct cpio_entry ents[64];
	const char *why;
	size_t len, end;
	int n, k, ret, real;

	for (len = 0; len <= a->len; len++) {
		ret = walk(a->p, len, &n, ents, 64, &why, &end);
		/* The member the cut falls in, and the real entries before it. */
		for (k = 0, real = 0; k < a->n && a->m[k].next <= len; k++)
			real += !a->m[k].trailer;
		if (k == a->n || len == a->m[k].hdr) {
			CHECK_EQ(ret, 0);
			CHECK_EQ(n, real);
		} else {
			CHECK_EQ(ret, -EINVAL);
			CHECK_STR(why, cut_reason(&a->m[k], len));
			CHECK_EQ(n, real);
			CHECK_EQ(end, a->m[k].hdr);
		}
		if (htest_case_failed) {
			printf("#   at prefix length %zu of %zu\n", len, a->len);
			return;
		}
	}
}

static void test_every_prefix(void)
{
	struct arc a = { 0 };

	make_sample(&a);
	check_all_prefixes(&a);
	arc_free(&a);

	/* Two archives, so a cut inside the second counts the first. */
	make_sample(&a);
	put_entry(&a, "again", CPIO_S_IFREG | 0644, "abcdefg", 7);
	put_trailer(&a);
	check_all_prefixes(&a);
	arc_free(&a);
}

/* One member with field i replaced by text; what cpio_next() says. */
static int corrupt_field(int field, const char *text, const char **why)
{
	struct arc a = { 0 };
	struct cpio_entry e;
	size_t off = 0;
	int ret;
	u8 *b;

	put_entry(&a, "file", CPIO_S_IFREG | 0644, "data", 4);
	put_trailer(&a);
	memcpy(a.p + 6 + 8 * field, text, 8);
	b = exact(a.p, a.len);
	*why = NULL;
	ret = cpio_next(b, a.len, &off, &e, why);
	if (ret < 0)
		CHECK_EQ(off, 0);
	free(b);
	arc_free(&a);
	return ret;
}

static void test_non_hex(void)
{
	static const char *const fields[NFIELDS] = {
		"c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime",
		"c_filesize", "c_devmajor", "c_devminor", "c_rdevmajor",
		"c_rdevminor", "c_namesize", "c_check",
	};
	static const char *const bad[] = {
		"0000000g", " 0000001", "+0000001", "0x000001", "-0000001",
		"0000000\0", "0000:000", "G0000000",
	};
	char want[80];
	const char *why;
	unsigned int i, j;

	for (i = 0; i < NFIELDS; i++) {
		snprintf(want, sizeof(want), "non-hex digit in cpio field %s",
			 fields[i]);
		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			CHECK_EQ(corrupt_field(i, bad[j], &why), -EINVAL);
			CHECK_STR(why, want);
		}
	}
}

static void test_bad_sizes(void)
{
	const char *why;

	CHECK_EQ(corrupt_field(I_NAMESIZE, "00000000", &why), -EINVAL);
	CHECK_STR(why, "cpio name size is 0");
	CHECK_EQ(corrupt_field(I_NAMESIZE, "00000001", &why), -EINVAL);
	CHECK_STR(why, "cpio name not NUL-terminated"); /* 'f' */
	CHECK_EQ(corrupt_field(I_NAMESIZE, "00000004", &why), -EINVAL);
	CHECK_STR(why, "cpio name not NUL-terminated"); /* 'e' */
	CHECK_EQ(corrupt_field(I_NAMESIZE, "00000006", &why), -EINVAL);
	CHECK_STR(why, "cpio name contains a NUL before its end");
	CHECK_EQ(corrupt_field(I_NAMESIZE, "FFFFFFFF", &why), -EINVAL);
	CHECK_STR(why, "cpio name runs past the end of the archive");
	CHECK_EQ(corrupt_field(I_NAMESIZE, "7FFFFFFF", &why), -EINVAL);
	CHECK_STR(why, "cpio name runs past the end of the archive");
	CHECK_EQ(corrupt_field(I_FILESIZE, "FFFFFFFF", &why), -EINVAL);
	CHECK_STR(why, "cpio file data runs past the end of the archive");
	CHECK_EQ(corrupt_field(I_FILESIZE, "00001000", &why), -EINVAL);
	CHECK_STR(why, "cpio file data runs past the end of the archive");
	/* Just fits: the data runs into the trailer, which is then lost. */
	CHECK_EQ(corrupt_field(I_FILESIZE, "00000005", &why), 1);
	/* Other fields may hold anything. */
	CHECK_EQ(corrupt_field(I_MTIME, "FFFFFFFF", &why), 1);
	CHECK_EQ(corrupt_field(I_CHECK, "ffffffff", &why), 1);
}

static void test_bad_names(void)
{
	struct arc a = { 0 };
	struct cpio_entry e;
	const char *why = NULL;
	size_t off = 0;
	u32 f[NFIELDS] = { [I_MODE] = CPIO_S_IFREG, [I_NAMESIZE] = 1 };

	/* The empty name "" (namesize 1). */
	put_raw(&a, CPIO_NEWC_MAGIC, f, "", 1, NULL, 0);
	CHECK_EQ(cpio_next(a.p, a.len, &off, &e, &why), -EINVAL);
	CHECK_STR(why, "cpio entry has an empty name");
	arc_free(&a);

	/* Name bytes without NUL, right up to the end of the archive. */
	f[I_NAMESIZE] = 2;
	put_raw(&a, CPIO_NEWC_MAGIC, f, "ab", 2, NULL, 0);
	off = 0;
	CHECK_EQ(cpio_next(a.p, CPIO_HEADER_SIZE + 2, &off, &e, &why), -EINVAL);
	CHECK_STR(why, "cpio name not NUL-terminated");
	arc_free(&a);

	/* A symlink needs a target. */
	f[I_MODE] = CPIO_S_IFLNK | 0777;
	f[I_NAMESIZE] = 2;
	put_raw(&a, CPIO_NEWC_MAGIC, f, "l", 2, NULL, 0);
	off = 0;
	CHECK_EQ(cpio_next(a.p, a.len, &off, &e, &why), -EINVAL);
	CHECK_STR(why, "cpio symlink has an empty target");
	arc_free(&a);
}

static void check_magic(const void *p, size_t n, const char *want)
{
	struct cpio_entry e;
	const char *why = NULL;
	size_t off = 0;
	u8 *b = exact(p, n);

	CHECK_EQ(cpio_next(b, n, &off, &e, &why), -EINVAL);
	CHECK_STR(why, want);
	free(b);
}

static void test_bad_magic(void)
{
	static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00";
	static const char xz[] = "\xfd" "7zXZ\0\0\0";
	static const char zst[] = "\x28\xb5\x2f\xfd\0\0\0\0";
	static const char odc[] = "070707000000000000";
	static const char bin[] = "\xc7\x71\0\0\0\0";
	struct arc a = { 0 };

	check_magic(gz, 8, "gzip-compressed archive: only an uncompressed newc cpio is supported");
	check_magic(xz, 8, "xz-compressed archive: only an uncompressed newc cpio is supported");
	check_magic(zst, 8, "zstd-compressed archive: only an uncompressed newc cpio is supported");
	check_magic("BZh91AY&SY", 10, "bzip2-compressed archive: only an uncompressed newc cpio is supported");
	check_magic(odc, 18, "cpio odc (070707) archive: only newc is supported");
	check_magic(bin, 6, "binary cpio archive: only newc is supported");
	check_magic("hello world", 11, "bad cpio magic (not a newc archive)");
	check_magic("070703", 6, "bad cpio magic (not a newc archive)");
	check_magic("0", 1, "cpio header truncated");
	check_magic("0707", 4, "cpio header truncated");
	check_magic("X", 1, "bad cpio magic (not a newc archive)");

	/* A valid header apart from the magic. */
	put_entry(&a, "f", CPIO_S_IFREG | 0644, "x", 1);
	memcpy(a.p, "070700", 6);
	check_magic(a.p, a.len, "bad cpio magic (not a newc archive)");
	memcpy(a.p, "170701", 6);
	check_magic(a.p, a.len, "bad cpio magic (not a newc archive)");
	arc_free(&a);
}

/* A zero byte then a header: the header is not on a 4-byte boundary. */
static void test_misaligned_header(void)
{
	struct arc a = { 0 };

	put_zeros(&a, 1);
	put_entry(&a, "f", CPIO_S_IFREG | 0644, "x", 1);
	check_magic(a.p, a.len, "cpio header not 4-byte aligned (broken padding)");
	arc_free(&a);
}

/* Deterministic random corruption of headers; the walk must stay sane. */
static void test_random_corruption(void)
{
	static const char chars[] = "0123456789abcdefABCDEFgG \xff\0";
	struct arc a = { 0 };
	const char *why;
	u32 seed = 12345;
	int iter, n, ret;

	make_sample(&a);
	put_zeros(&a, 64);
	for (iter = 0; iter < 20000; iter++) {
		u8 *b = exact(a.p, a.len);
		int flips = 1 + iter % 4, i;

		for (i = 0; i < flips; i++) {
			size_t pos;

			seed = seed * 1103515245 + 12345;
			/* Mostly inside a header, sometimes anywhere. */
			if (seed >> 31) {
				const struct member *m = &a.m[(seed >> 8) % a.n];

				pos = m->hdr + (seed >> 16) % (CPIO_HEADER_SIZE + 8);
			} else {
				pos = (seed >> 8) % a.len;
			}
			if (pos < a.len)
				b[pos] = chars[(seed >> 4) % (sizeof(chars))];
		}
		ret = walk(b, a.len, &n, NULL, 0, &why, NULL);
		CHECK(ret == 0 || ret == -EINVAL);
		if (ret)
			CHECK(why != NULL);
		free(b);
		if (htest_case_failed) {
			printf("#   iteration %d\n", iter);
			break;
		}
	}
	arc_free(&a);
}

/* ---- GNU cpio archives of a real directory tree. */

static char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		p = malloc(n ? n : 1);
		if (fread(p, 1, n, f) != (size_t)n) {
			free(p);
			p = NULL;
		}
		*size = n;
	}
	fclose(f);
	return p;
}

static bool write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(p, 1, n, f) == n;

	if (f)
		ok = !fclose(f) && ok;
	return ok;
}

static int sh(const char *fmt, const char *arg)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), fmt, arg, arg, arg, arg);
	return system(cmd);
}

static char tree[256];

/* Files, directories, symlinks, a FIFO, hard links, odd names and sizes. */
static bool make_tree(void)
{
	char path[512], big[5000];
	unsigned int i;
	static const char *const odd[] = { "a", "ab", "abc", "abcd", "abcde", "abcdefg" };

	snprintf(tree, sizeof(tree), "%s/tree", workdir);
	if (sh("mkdir -p %s/dir/sub && cd %s && mkfifo fifo && "
	       "ln -s dir/sub/file_name_xyz link && ln -s dir dirlink && "
	       ": > empty && printf 'hard linked\\n' > hard1 && ln hard1 hard2 && "
	       "chmod 0750 dir/sub && chmod 04755 empty", tree))
		return false;
	snprintf(path, sizeof(path), "%s/dir/sub/file_name_xyz", tree);
	if (!write_file(path, "abc", 3))
		return false;
	for (i = 0; i < ARRAY_SIZE(odd); i++) {
		snprintf(path, sizeof(path), "%s/%s", tree, odd[i]);
		if (!write_file(path, "0123456789", strlen(odd[i])))
			return false;
	}
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 251);
	snprintf(path, sizeof(path), "%s/big", tree);
	return write_file(path, big, sizeof(big));
}

/* Compare every member of a GNU cpio archive with the tree it came from. */
static void check_against_tree(const u8 *b, size_t size, int *n_out,
			       int *first_count)
{
	struct cpio_entry e;
	const char *why = NULL;
	size_t off = 0, hard_bytes = 0;
	int n = 0, hard = 0, ret, steps = 0;
	u32 hard_ino = 0;

	*first_count = 0;
	while ((ret = cpio_next(b, size, &off, &e, &why)) == 1 && ++steps < MAX_STEPS) {
		char path[600];
		struct stat st;

		n++;
		*first_count += e.first_in_archive;
		snprintf(path, sizeof(path), "%s/%s", tree, e.name);
		if (lstat(path, &st)) {
			printf("#   %s: not in the tree\n", e.name);
			CHECK(0);
			continue;
		}
		CHECK_EQ(e.mode, st.st_mode);
		CHECK_EQ(e.uid, st.st_uid);
		CHECK_EQ(e.gid, st.st_gid);
		CHECK_EQ(e.nlink, st.st_nlink);
		CHECK_EQ(e.mtime, (u32)st.st_mtime);
		if (cpio_is_symlink(e.mode)) {
			char target[256];
			ssize_t k = readlink(path, target, sizeof(target));

			CHECK_EQ(e.size, k);
			CHECK(k > 0 && !memcmp(e.data, target, k));
		} else if (cpio_is_reg(e.mode) && st.st_nlink > 1) {
			/* Data comes once per group, with one of the links. */
			if (hard++)
				CHECK_EQ(e.ino, hard_ino);
			hard_ino = e.ino;
			hard_bytes += e.size;
			if (e.size) {
				size_t k;
				char *want = read_file(path, &k);

				CHECK(want && k == e.size && !memcmp(want, e.data, k));
				free(want);
			}
		} else if (cpio_is_reg(e.mode)) {
			size_t k = 0;
			char *want = read_file(path, &k);

			CHECK(want != NULL);
			CHECK_EQ(e.size, k);
			CHECK(want && !memcmp(want, e.data, k));
			free(want);
		} else {
			CHECK_EQ(e.size, 0);
		}
	}
	CHECK_EQ(ret, 0);
	if (ret)
		printf("#   %s\n", why);
	CHECK_EQ(hard % 2, 0);
	CHECK_EQ(hard_bytes, hard / 2 * strlen("hard linked\n"));
	*n_out = n;
}

static void test_gnu_cpio(void)
{
	static const char *const formats[] = { "newc", "crc" };
	char path[512], *p[2];
	size_t size[2], listed;
	int i, n, first, count;
	u8 *b, *cat;

	REQUIRE(make_tree());
	REQUIRE(!sh("cd %s && find . | LC_ALL=C sort > ../list", tree));
	snprintf(path, sizeof(path), "%s/list", workdir);
	p[0] = read_file(path, &listed);
	REQUIRE(p[0]);
	for (count = 0, i = 0; i < (int)listed; i++)
		count += p[0][i] == '\n';
	free(p[0]);

	for (i = 0; i < 2; i++) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd),
			 "cd %s && cpio --quiet -o -H %s < ../list > ../%s.cpio",
			 tree, formats[i], formats[i]);
		REQUIRE(!system(cmd));
		snprintf(path, sizeof(path), "%s/%s.cpio", workdir, formats[i]);
		p[i] = read_file(path, &size[i]);
		REQUIRE(p[i]);
		CHECK(!memcmp(p[i], i ? CPIO_CRC_MAGIC : CPIO_NEWC_MAGIC, 6));
		b = exact(p[i], size[i]);
		check_against_tree(b, size[i], &n, &first);
		CHECK_EQ(n, count);
		CHECK_EQ(first, 1);
		free(b);
	}

	/* What a boot loader's initrd after the built-in one looks like. */
	cat = malloc(size[0] + size[1]);
	memcpy(cat, p[0], size[0]);
	memcpy(cat + size[0], p[1], size[1]);
	check_against_tree(cat, size[0] + size[1], &n, &first);
	CHECK_EQ(n, 2 * count);
	CHECK_EQ(first, 2);
	free(cat);
	free(p[0]);
	free(p[1]);
}

/* Every prefix of GNU cpio's archive stops cleanly or errors, ASan-clean. */
static void test_gnu_cpio_prefixes(void)
{
	const char *why;
	char path[512];
	size_t size, len, end;
	int n, ret, last = 0;
	char *p;

	snprintf(path, sizeof(path), "%s/newc.cpio", workdir);
	p = read_file(path, &size);
	REQUIRE(p);
	for (len = 0; len <= size; len++) {
		ret = walk(p, len, &n, NULL, 0, &why, &end);
		CHECK(ret == 0 || ret == -EINVAL);
		CHECK(ret == 0 || why != NULL);
		/* Longer prefixes never yield fewer entries. */
		CHECK(n >= last);
		last = n;
		if (htest_case_failed) {
			printf("#   at prefix length %zu: %s\n", len, why);
			break;
		}
	}
	free(p);
}

int main(void)
{
	bool have_cpio;

	HTEST_RUN(test_sample_archive);
	HTEST_RUN(test_mode_helpers);
	HTEST_RUN(test_crc_magic);
	HTEST_RUN(test_lowercase_hex);
	HTEST_RUN(test_empty_and_zeros);
	HTEST_RUN(test_missing_trailer);
	HTEST_RUN(test_concatenated);
	HTEST_RUN(test_misaligned_second_archive);
	HTEST_RUN(test_garbage_after_trailer);
	HTEST_RUN(test_every_prefix);
	HTEST_RUN(test_non_hex);
	HTEST_RUN(test_bad_sizes);
	HTEST_RUN(test_bad_names);
	HTEST_RUN(test_bad_magic);
	HTEST_RUN(test_misaligned_header);
	HTEST_RUN(test_random_corruption);

	have_cpio = !system("command -v cpio >/dev/null 2>&1");
	if (have_cpio && mkdtemp(workdir)) {
		HTEST_RUN(test_gnu_cpio);
		HTEST_RUN(test_gnu_cpio_prefixes);
		sh("rm -rf %s", workdir);
	} else {
		const char *reason = have_cpio ? "mkdtemp failed" :
				     "cpio not installed (apt-get install cpio)";

		skip_case("test_gnu_cpio", reason);
		skip_case("test_gnu_cpio_prefixes", reason);
	}
	return htest_done();
}
