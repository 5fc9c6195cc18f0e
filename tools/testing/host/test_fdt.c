/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the FDT reader (lib/fdt.c) and boot scan (lib/fdt_scan.c). */
#include <hartix/compiler.h> /* before any libc header, as the other tests do */
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/fdt_scan.h>

#include "htest.h"

#ifndef FDT_TEST_DTB_DIR
#define FDT_TEST_DTB_DIR "tools/testing/dtb"
#endif

#define HDR(field) __builtin_offsetof(struct fdt_header, field)

/* fuzz_fdt.c: fdt_check() and, if it passes, every reader function. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *qemu_dump_dir;

/* ---- helpers ---- */

static void put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put64(u8 *p, u64 v)
{
	put32(p, v >> 32);
	put32(p + 4, (u32)v);
}

/* Read a file into a buffer of exactly its size, so ASan sees overruns. */
static u8 *load_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	if (!buf)
		printf("#   cannot read %s\n", path);
	return buf;
}

static u8 *load_dtb(const char *name, size_t *size)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", FDT_TEST_DTB_DIR, name);
	return load_file(path, size);
}

static u8 *dup_exact(const u8 *src, size_t n)
{
	u8 *p = malloc(n ? n : 1);

	memcpy(p, src, n);
	return p;
}

struct warnings {
	int count;
	char last[160];
};

static void collect_warning(void *ctx, const char *msg, const char *where)
{
	struct warnings *w = ctx;

	w->count++;
	snprintf(w->last, sizeof(w->last), "%s: %s", where ? where : "-", msg);
}

/* ---- a blob builder, so that malformed trees can be made token by token */

struct bld {
	u8 st[16384];
	size_t nst;
	char strs[1024];
	size_t nstr;
	u64 rsv[8][2];
	int nrsv;
};

static void b_word(struct bld *b, u32 v)
{
	put32(b->st + b->nst, v);
	b->nst += 4;
}

static void b_bytes(struct bld *b, const void *p, size_t n)
{
	memcpy(b->st + b->nst, p, n);
	b->nst += n;
	while (b->nst % 4)
		b->st[b->nst++] = 0;
}

static void b_begin(struct bld *b, const char *name)
{
	b_word(b, FDT_BEGIN_NODE);
	b_bytes(b, name, strlen(name) + 1);
}

static void b_end(struct bld *b)
{
	b_word(b, FDT_END_NODE);
}

static u32 b_stroff(struct bld *b, const char *name)
{
	size_t off, len = strlen(name) + 1;

	for (off = 0; off < b->nstr; off += strlen(b->strs + off) + 1)
		if (!strcmp(b->strs + off, name))
			return (u32)off;
	memcpy(b->strs + b->nstr, name, len);
	b->nstr += len;
	return (u32)off;
}

static void b_prop(struct bld *b, const char *name, const void *val,
		   size_t len)
{
	b_word(b, FDT_PROP);
	b_word(b, (u32)len);
	b_word(b, b_stroff(b, name));
	b_bytes(b, val, len);
}

static void b_cells(struct bld *b, const char *name, int n, ...)
{
	u8 val[64];
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		put32(val + 4 * i, va_arg(ap, u32));
	va_end(ap);
	b_prop(b, name, val, 4 * (size_t)n);
}

static void b_str(struct bld *b, const char *name, const char *s)
{
	b_prop(b, name, s, strlen(s) + 1);
}

static void b_rsv(struct bld *b, u64 addr, u64 size)
{
	b->rsv[b->nrsv][0] = addr;
	b->rsv[b->nrsv][1] = size;
	b->nrsv++;
}

/* Header, reservation map, structure and strings block, as dtc lays out. */
static size_t b_finish(const struct bld *b, u8 *out)
{
	size_t rsv = sizeof(struct fdt_header);
	size_t st = rsv + 16 * ((size_t)b->nrsv + 1);
	size_t strs = st + b->nst;
	size_t total = strs + b->nstr;
	int i;

	memset(out, 0, total);
	put32(out + HDR(magic), FDT_MAGIC);
	put32(out + HDR(totalsize), (u32)total);
	put32(out + HDR(off_dt_struct), (u32)st);
	put32(out + HDR(off_dt_strings), (u32)strs);
	put32(out + HDR(off_mem_rsvmap), (u32)rsv);
	put32(out + HDR(version), 17);
	put32(out + HDR(last_comp_version), 16);
	put32(out + HDR(size_dt_strings), (u32)b->nstr);
	put32(out + HDR(size_dt_struct), (u32)b->nst);
	for (i = 0; i < b->nrsv; i++) {
		put64(out + rsv + 16 * i, b->rsv[i][0]);
		put64(out + rsv + 16 * i + 8, b->rsv[i][1]);
	}
	memcpy(out + st, b->st, b->nst);
	memcpy(out + strs, b->strs, b->nstr);
	return total;
}

static u8 blob_buf[32768];

/* Finished blob in blob_buf; fdt_check()ed and run through the fuzz walker. */
static size_t b_blob(const struct bld *b)
{
	size_t size = b_finish(b, blob_buf);

	LLVMFuzzerTestOneInput(blob_buf, size);
	return size;
}

/* fdt_check()'s verdict on a buffer of exactly @size bytes: "ok" or why not. */
static const char *verdict(const u8 *blob, size_t size)
{
	u8 *copy = dup_exact(blob, size);
	const char *why = "ok";

	if (fdt_check(copy, size, &why))
		CHECK(why && strcmp(why, "ok"));
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
	return why;
}

static const char *b_verdict(const struct bld *b)
{
	return verdict(blob_buf, b_finish(b, blob_buf));
}

static void b_root_cells(struct bld *b, u32 ac, u32 sc)
{
	b_begin(b, "");
	b_cells(b, "#address-cells", 1, ac);
	b_cells(b, "#size-cells", 1, sc);
}

/* A cpu node left open for more properties. */
static void b_cpu_open(struct bld *b, u32 hartid, const char *isa)
{
	char name[32];

	snprintf(name, sizeof(name), "cpu@%x", hartid);
	b_begin(b, name);
	b_str(b, "device_type", "cpu");
	b_cells(b, "reg", 1, hartid);
	b_str(b, "riscv,isa", isa);
	b_str(b, "mmu-type", "riscv,sv39");
}

static void b_cpu(struct bld *b, u32 hartid, const char *isa)
{
	b_cpu_open(b, hartid, isa);
	b_end(b);
}

static void b_cpus(struct bld *b, int n)
{
	int i;

	b_begin(b, "cpus");
	b_cells(b, "#address-cells", 1, 1);
	b_cells(b, "#size-cells", 1, 0);
	b_cells(b, "timebase-frequency", 1, 10000000);
	for (i = 0; i < n; i++)
		b_cpu(b, (u32)i, "rv64imac");
	b_end(b);
}

/* memory@... with 2+2 cells, as under a root with the usual cells. */
static void b_memory(struct bld *b, u64 base, u64 size)
{
	char name[40];

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	b_begin(b, name);
	b_str(b, "device_type", "memory");
	b_cells(b, "reg", 4, (u32)(base >> 32), (u32)base, (u32)(size >> 32),
		(u32)size);
	b_end(b);
}

/* A small but complete machine: the corruption tests start from it. */
static size_t small_blob(u8 *out)
{
	struct bld b = { 0 };

	b_rsv(&b, 0x80000000, 0x20000);
	b_root_cells(&b, 2, 2);
	b_str(&b, "model", "tiny");
	b_begin(&b, "chosen");
	b_str(&b, "bootargs", "console=hvc0");
	b_end(&b);
	b_cpus(&b, 2);
	b_memory(&b, 0x80000000, 0x8000000);
	b_end(&b);
	b_word(&b, FDT_END);
	return b_finish(&b, out);
}

/* ---- the real blobs ---- */

static void check_hart_context(const void *fdt, const u8 *cell, u32 hart,
			       u32 irq)
{
	int intc = fdt_node_by_phandle(fdt, fdt32_ld(cell));
	u64 id = ~0ULL;

	CHECK(intc >= 0);
	CHECK(fdt_node_is_compatible(fdt, intc, "riscv,cpu-intc"));
	CHECK_EQ(fdt_reg(fdt, fdt_parent(fdt, intc), 0, &id, NULL), 0);
	CHECK_EQ(id, hart);
	CHECK_EQ(fdt32_ld(cell + 4), irq);
}

/* fdt_node_by_phandle() finds, for every phandle, the first node that has it. */
static void check_every_phandle(const u8 *fdt)
{
	int node, other, found = 0;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		u32 ph = fdt_get_phandle(fdt, node);

		if (!ph)
			continue;
		for (other = fdt_next_node(fdt, -1, NULL);
		     other >= 0 && fdt_get_phandle(fdt, other) != ph;
		     other = fdt_next_node(fdt, other, NULL))
			;
		CHECK_EQ(fdt_node_by_phandle(fdt, ph), other);
		found++;
	}
	CHECK(found > 0);
}

static void test_visionfive2(void)
{
	struct fdt_boot_info bi;
	struct warnings w = { 0 };
	const char *why = NULL, *opts = NULL;
	const u8 *ctx;
	int serial, plic, soc, len, i;
	size_t size;
	u64 addr, sz;
	u32 v;
	u8 *fdt = load_dtb("jh7110-starfive-visionfive-2-v1.3b.dtb", &size);
	char path[64];

	if (!fdt) {
		CHECK(fdt);
		return;
	}
	CHECK_EQ(fdt_check(fdt, size, &why), 0);
	CHECK_EQ(fdt_scan_boot(fdt, &bi, collect_warning, &w), 0);
	CHECK_EQ(w.count, 0);
	CHECK_STR(bi.model, "StarFive VisionFive 2 v1.3B");
	CHECK_EQ(bi.timebase_freq, 4000000);

	CHECK_EQ(bi.ncpus, 5);
	CHECK_EQ(bi.cpu[0].hartid, 0);
	CHECK(!bi.cpu[0].enabled);
	CHECK(!bi.cpu[0].mmu_type);
	CHECK(!fdt_cpu_has_mmu(&bi.cpu[0]));
	CHECK_STR(bi.cpu[0].isa_base, "rv64i");
	CHECK_STR(fdt_node_name(fdt, bi.cpu[0].node), "cpu@0");
	CHECK(fdt_cpu_has_ext(&bi.cpu[0], "i"));
	CHECK(fdt_cpu_has_ext(&bi.cpu[0], "a"));
	CHECK(fdt_cpu_has_ext(&bi.cpu[0], "c"));
	CHECK(fdt_cpu_has_ext(&bi.cpu[0], "zba"));
	CHECK(fdt_cpu_has_ext(&bi.cpu[0], "zbb"));
	CHECK(!fdt_cpu_has_ext(&bi.cpu[0], "f"));
	CHECK(!fdt_cpu_has_ext(&bi.cpu[0], "d"));
	for (i = 1; i < 5; i++) {
		CHECK_EQ(bi.cpu[i].hartid, i);
		CHECK(bi.cpu[i].enabled);
		CHECK_STR(bi.cpu[i].mmu_type, "riscv,sv39");
		CHECK(fdt_cpu_has_mmu(&bi.cpu[i]));
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "f"));
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "d"));
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "ZBA"));
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "zbb"));
		CHECK(!fdt_cpu_has_ext(&bi.cpu[i], "v"));
		CHECK(!fdt_cpu_has_ext(&bi.cpu[i], "h"));
		CHECK(!fdt_cpu_has_ext(&bi.cpu[i], "zb"));
	}

	CHECK_EQ(bi.nmem, 1);
	CHECK_EQ(bi.mem[0].base, 0x40000000);
	CHECK_EQ(bi.mem[0].size, 0x100000000ULL);
	CHECK_EQ(bi.nresv, 0);
	CHECK(!bi.bootargs);
	CHECK(!bi.has_initrd);

	CHECK_STR(bi.stdout_path, "serial0:115200n8");
	serial = fdt_stdout_node(fdt, &opts);
	CHECK_STR(opts, "115200n8");
	CHECK_STR(fdt_node_name(fdt, serial), "serial@10000000");
	CHECK_EQ(fdt_get_path(fdt, serial, path, sizeof(path)), 0);
	CHECK_STR(path, "/soc/serial@10000000");
	CHECK_EQ(fdt_path_offset(fdt, path, strlen(path)), serial);
	CHECK_EQ(fdt_path_offset(fdt, "serial0", 7), serial);
	CHECK(fdt_node_is_compatible(fdt, serial, "snps,dw-apb-uart"));
	CHECK(fdt_node_is_compatible(fdt, serial, "starfive,jh7110-uart"));
	CHECK(!fdt_node_is_compatible(fdt, serial, "snps,dw-apb"));
	CHECK(fdt_node_is_enabled(fdt, serial));
	CHECK(fdt_getprop_u32(fdt, serial, "reg-shift", &v) && v == 2);
	CHECK(fdt_getprop_u32(fdt, serial, "reg-io-width", &v) && v == 4);
	CHECK(fdt_getprop_u32(fdt, serial, "interrupts", &v) && v == 32);
	CHECK(!fdt_getprop(fdt, serial, "clock-frequency", &len));
	CHECK_EQ(len, -ENOENT);
	CHECK_EQ(fdt_reg(fdt, serial, 0, &addr, &sz), 0);
	CHECK_EQ(addr, 0x10000000);
	CHECK_EQ(sz, 0x10000);
	CHECK_EQ(fdt_reg(fdt, serial, 1, &addr, &sz), -ENOENT);

	plic = fdt_node_by_compatible(fdt, -1, "sifive,plic-1.0.0");
	CHECK_STR(fdt_node_name(fdt, plic), "interrupt-controller@c000000");
	CHECK(fdt_node_is_compatible(fdt, plic, "starfive,jh7110-plic"));
	CHECK_EQ(fdt_node_by_compatible(fdt, plic, "sifive,plic-1.0.0"),
		 -ENOENT);
	CHECK_EQ(fdt_reg(fdt, plic, 0, &addr, NULL), 0);
	CHECK_EQ(addr, 0xc000000);
	CHECK(fdt_getprop_u32(fdt, plic, "riscv,ndev", &v) && v == 136);
	CHECK(fdt_get_phandle(fdt, plic) != 0);
	CHECK_EQ(fdt_node_by_phandle(fdt, fdt_get_phandle(fdt, plic)), plic);
	check_every_phandle(fdt);
	/* The UART inherits its interrupt parent from /soc. */
	soc = fdt_parent(fdt, serial);
	CHECK_STR(fdt_node_name(fdt, soc), "soc");
	CHECK(fdt_getprop_u32(fdt, soc, "interrupt-parent", &v));
	CHECK_EQ(fdt_node_by_phandle(fdt, v), plic);
	/* Contexts: hart 0 M-mode only, then M (11) and S (9) per U74. */
	ctx = fdt_getprop(fdt, plic, "interrupts-extended", &len);
	CHECK_EQ(len, 9 * 8);
	if (ctx && len == 9 * 8) {
		check_hart_context(fdt, ctx, 0, 11);
		for (i = 1; i < 9; i++)
			check_hart_context(fdt, ctx + 8 * i, (u32)(i + 1) / 2,
					   i % 2 ? 11 : 9);
	}
	free(fdt);
}

static void test_qemu_virt(void)
{
	struct fdt_boot_info bi;
	struct warnings w = { 0 };
	const char *why = NULL, *opts = "unset";
	int serial, plic, i;
	size_t size;
	u64 addr;
	u32 v;
	u8 *fdt = load_dtb("qemu-virt-smp4.dtb", &size);

	if (!fdt) {
		CHECK(fdt);
		return;
	}
	CHECK_EQ(fdt_check(fdt, size, &why), 0);
	CHECK_EQ(fdt_scan_boot(fdt, &bi, collect_warning, &w), 0);
	CHECK_EQ(w.count, 0);
	CHECK_STR(bi.model, "riscv-virtio,qemu");
	CHECK_EQ(bi.timebase_freq, 10000000);
	CHECK_EQ(bi.ncpus, 4);
	for (i = 0; i < bi.ncpus; i++) {
		CHECK_EQ(bi.cpu[i].hartid, i);
		CHECK(bi.cpu[i].enabled);
		CHECK_STR(bi.cpu[i].mmu_type, "riscv,sv48");
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "h"));
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "d"));
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "sstc"));
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "zihintpause"));
		CHECK(!fdt_cpu_has_ext(&bi.cpu[i], "v"));
		CHECK(!fdt_cpu_has_ext(&bi.cpu[i], "zicbom"));
	}
	CHECK_EQ(bi.nmem, 1);
	CHECK_EQ(bi.mem[0].base, 0x80000000);
	CHECK_EQ(bi.mem[0].size, 256 << 20);
	/* QEMU leaves reservations to the firmware: there are none yet. */
	CHECK_EQ(fdt_num_mem_rsv(fdt), 0);
	CHECK(fdt_path_offset(fdt, "/reserved-memory", 16) < 0);
	CHECK_EQ(bi.nresv, 0);
	CHECK(bi.rng_seed != NULL);
	CHECK_EQ(bi.rng_seed_len, 32);
	CHECK_STR(bi.stdout_path, "/soc/serial@10000000");
	serial = fdt_stdout_node(fdt, &opts);
	CHECK(!opts);
	CHECK_STR(fdt_node_name(fdt, serial), "serial@10000000");
	CHECK(fdt_node_is_compatible(fdt, serial, "ns16550a"));
	plic = fdt_node_by_compatible(fdt, -1, "riscv,plic0");
	CHECK_EQ(fdt_reg(fdt, plic, 0, &addr, NULL), 0);
	CHECK_EQ(addr, 0xc000000);
	CHECK(fdt_getprop_u32(fdt, serial, "interrupt-parent", &v));
	CHECK_EQ(fdt_node_by_phandle(fdt, v), plic);
	/* #address-cells = <0> is fine for a node, not for reg users below. */
	CHECK_EQ(fdt_address_cells(fdt, plic), 0);
	free(fdt);
}

static void test_qemu_sifive_u(void)
{
	struct fdt_boot_info bi;
	struct warnings w = { 0 };
	const char *why = NULL, *opts = "unset";
	int serial, i;
	size_t size;
	u64 addr, sz;
	u8 *fdt = load_dtb("qemu-sifive_u-smp5.dtb", &size);

	if (!fdt) {
		CHECK(fdt);
		return;
	}
	CHECK_EQ(fdt_check(fdt, size, &why), 0);
	CHECK_EQ(fdt_scan_boot(fdt, &bi, collect_warning, &w), 0);
	CHECK_EQ(w.count, 0);
	CHECK_STR(bi.model, "SiFive HiFive Unleashed A00");
	CHECK_EQ(bi.timebase_freq, 1000000);
	CHECK_EQ(bi.ncpus, 5);
	CHECK(!bi.cpu[0].mmu_type);
	CHECK(!fdt_cpu_has_mmu(&bi.cpu[0]));
	CHECK(fdt_cpu_has_ext(&bi.cpu[0], "c"));
	CHECK(!fdt_cpu_has_ext(&bi.cpu[0], "f"));
	for (i = 1; i < 5; i++) {
		CHECK_EQ(bi.cpu[i].hartid, i);
		CHECK(bi.cpu[i].enabled);
		CHECK_STR(bi.cpu[i].mmu_type, "riscv,sv48");
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "f"));
		CHECK(fdt_cpu_has_ext(&bi.cpu[i], "zifencei"));
	}
	CHECK_EQ(bi.nmem, 1);
	CHECK_EQ(bi.mem[0].base, 0x80000000);
	CHECK_EQ(bi.mem[0].size, 128 << 20);
	serial = fdt_stdout_node(fdt, &opts);
	CHECK(!opts);
	CHECK_STR(fdt_node_name(fdt, serial), "serial@10010000");
	CHECK(fdt_node_is_compatible(fdt, serial, "sifive,uart0"));
	CHECK_EQ(fdt_reg(fdt, serial, 0, &addr, &sz), 0);
	CHECK_EQ(addr, 0x10010000);
	CHECK_EQ(sz, 0x1000);
	CHECK_EQ(fdt_path_offset(fdt, "serial0", 7), serial);
	CHECK_EQ(fdt_path_offset(fdt, "serial1", 7),
		 fdt_next_sibling(fdt, serial));
	free(fdt);
}

/* Every reader function over the real blobs, their prefixes and byte flips. */
static void test_real_blobs_robust(void)
{
	static const char *const names[] = {
		"jh7110-starfive-visionfive-2-v1.3b.dtb",
		"qemu-virt-smp4.dtb",
		"qemu-sifive_u-smp5.dtb",
	};
	size_t size, n, i;
	u8 *fdt, *copy;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		fdt = load_dtb(names[i], &size);
		if (!fdt) {
			CHECK(fdt);
			continue;
		}
		CHECK_EQ(LLVMFuzzerTestOneInput(fdt, size), 0);
		/* A few single-byte corruptions in each region of the blob. */
		for (n = 0; n < size; n += 97) {
			copy = dup_exact(fdt, size);
			copy[n] ^= 0x5a;
			LLVMFuzzerTestOneInput(copy, size);
			free(copy);
		}
		free(fdt);
	}
}

/* ---- malformed blobs: each must be rejected by the right check ---- */

static void test_truncated(void)
{
	size_t size = small_blob(blob_buf), n;
	int rejected = 0, patched_rejected = 0;
	const char *why;
	u8 *copy;

	CHECK_STR(verdict(blob_buf, size), "ok");
	for (n = 0; n < size; n++) {
		copy = dup_exact(blob_buf, n);
		rejected += fdt_check(copy, n, &why) == -EINVAL;
		/* Claim the prefix is the whole blob: blocks now overrun it. */
		if (n >= sizeof(struct fdt_header)) {
			put32(copy + HDR(totalsize), (u32)n);
			patched_rejected += fdt_check(copy, n, &why) == -EINVAL;
			LLVMFuzzerTestOneInput(copy, n);
		}
		free(copy);
	}
	CHECK_EQ(rejected, size);
	CHECK_EQ(patched_rejected, size - sizeof(struct fdt_header));
	copy = dup_exact(blob_buf, 20);
	CHECK_EQ(fdt_check(copy, 20, &why), -EINVAL);
	CHECK_STR(why, "buffer smaller than header");
	free(copy);
	copy = dup_exact(blob_buf, size - 1);
	CHECK_EQ(fdt_check(copy, size - 1, &why), -EINVAL);
	CHECK_STR(why, "totalsize exceeds buffer");
	free(copy);
}

/* Set header @field of a fresh small blob to @val and return the verdict. */
static const char *header_verdict(size_t field, u32 val)
{
	size_t size = small_blob(blob_buf);

	put32(blob_buf + field, val);
	return verdict(blob_buf, size);
}

static void test_bad_header(void)
{
	size_t size = small_blob(blob_buf);
	u32 total = (u32)size;
	u32 st = fdt32_ld(blob_buf + HDR(off_dt_struct));

	CHECK_STR(header_verdict(HDR(magic), 0xedfe0dd0), "bad magic");
	CHECK_STR(header_verdict(HDR(version), 15), "version older than 16");
	CHECK_STR(header_verdict(HDR(last_comp_version), 18),
		  "last_comp_version newer than 17");
	CHECK_STR(header_verdict(HDR(totalsize), total + 1),
		  "totalsize exceeds buffer");
	CHECK_STR(header_verdict(HDR(totalsize), 0xffffffff),
		  "totalsize exceeds buffer");
	CHECK_STR(header_verdict(HDR(totalsize), 20),
		  "totalsize smaller than header");
	CHECK_STR(header_verdict(HDR(off_mem_rsvmap), 44),
		  "memory reservation block misaligned");
	CHECK_STR(header_verdict(HDR(off_mem_rsvmap), (total - 8) & ~7U),
		  "memory reservation block not terminated");
	CHECK_STR(header_verdict(HDR(off_mem_rsvmap), 0xfffffff8),
		  "memory reservation block not terminated");
	CHECK_STR(header_verdict(HDR(off_dt_struct), st + 2),
		  "structure block misaligned");
	CHECK_STR(header_verdict(HDR(off_dt_struct), 0xfffffffc),
		  "structure block outside blob");
	CHECK_STR(header_verdict(HDR(size_dt_struct), total),
		  "structure block outside blob");
	CHECK_STR(header_verdict(HDR(size_dt_struct), 0xfffffff0),
		  "structure block outside blob");
	CHECK_STR(header_verdict(HDR(off_dt_strings), total - 2),
		  "strings block outside blob");
	CHECK_STR(header_verdict(HDR(size_dt_strings), 0xffffffff),
		  "strings block outside blob");
	CHECK_STR(header_verdict(HDR(off_dt_strings), st),
		  "blocks overlap");
	CHECK_STR(header_verdict(HDR(off_dt_strings), 4),
		  "block overlaps header");
	CHECK_STR(header_verdict(HDR(off_dt_struct), 48), "blocks overlap");
	/* A structure block shorter than its tokens. */
	CHECK_STR(header_verdict(HDR(size_dt_struct), 56),
		  "property value past end of structure block");
	/* The strings block cut so the last name loses its NUL. */
	CHECK_STR(header_verdict(HDR(size_dt_strings),
				 fdt32_ld(blob_buf + HDR(size_dt_strings)) - 1),
		  "property name not terminated in strings block");

	/* Version 16 has no size_dt_struct: the block ends at the strings. */
	small_blob(blob_buf);
	put32(blob_buf + HDR(version), 16);
	put32(blob_buf + HDR(size_dt_struct), 0xdeadbeef);
	CHECK_STR(verdict(blob_buf, size), "ok");
	CHECK_EQ(fdt_path_offset(blob_buf, "/memory", 7) >= 0, 1);

	/* Only a lie about the buffer gets past the earlier checks. */
	small_blob(blob_buf);
	put32(blob_buf + HDR(totalsize), 0x80000000);
	{
		const char *why = NULL;

		CHECK_EQ(fdt_check(blob_buf, 0x80000000, &why), -EINVAL);
		CHECK_STR(why, "totalsize too large");
	}
}

static void test_bad_structure(void)
{
	struct bld b;

#define FRESH() memset(&b, 0, sizeof(b))

	FRESH();
	b_begin(&b, "");
	b_word(&b, FDT_BEGIN_NODE);
	b_bytes(&b, "abcd", 4);
	CHECK_STR(b_verdict(&b), "node name not terminated in structure block");

	FRESH();
	b_begin(&b, "");
	b_word(&b, FDT_PROP);
	b_word(&b, 4);
	CHECK_STR(b_verdict(&b), "property header past end of structure block");

	FRESH();
	b_begin(&b, "");
	b_word(&b, FDT_PROP);
	b_word(&b, 1000);
	b_word(&b, b_stroff(&b, "x"));
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "property value past end of structure block");

	FRESH();
	b_begin(&b, "");
	b_word(&b, FDT_PROP);
	b_word(&b, 0xfffffffc);
	b_word(&b, b_stroff(&b, "x"));
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "property value past end of structure block");

	FRESH();
	b_begin(&b, "");
	b_str(&b, "model", "m");
	b_word(&b, FDT_PROP);
	b_word(&b, 0);
	b_word(&b, 1000);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "property name offset outside strings block");

	FRESH();
	b_begin(&b, "");
	b_word(&b, 7);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "unknown token in structure block");

	FRESH();
	b_begin(&b, "");
	b_end(&b);
	CHECK_STR(b_verdict(&b), "structure block ends without FDT_END");

	FRESH();
	b_begin(&b, "");
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "END_NODE without matching BEGIN_NODE");

	FRESH();
	b_begin(&b, "");
	b_begin(&b, "a");
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "FDT_END inside an open node");

	FRESH();
	b_begin(&b, "");
	b_end(&b);
	b_begin(&b, "");
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "more than one root node");

	FRESH();
	b_word(&b, FDT_NOP);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "no root node");

	FRESH();
	b_str(&b, "model", "m");
	b_begin(&b, "");
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "property outside any node");

	FRESH();
	b_word(&b, FDT_END);
	b_begin(&b, "");
	b_end(&b);
	CHECK_STR(b_verdict(&b), "no root node");
#undef FRESH
}

/* @levels nodes nested in each other, the root included. */
static const char *nesting_verdict(int levels)
{
	struct bld b = { 0 };
	int i;

	for (i = 0; i < levels; i++)
		b_begin(&b, i ? "n" : "");
	for (i = 0; i < levels; i++)
		b_end(&b);
	b_word(&b, FDT_END);
	return b_verdict(&b);
}

static void test_nesting_limit(void)
{
	int node, depth = 0, deepest = 0;

	/* b_verdict() leaves the blob in blob_buf. */
	CHECK_STR(nesting_verdict(FDT_MAX_DEPTH), "ok");
	for (node = fdt_next_node(blob_buf, -1, &depth); node >= 0;
	     node = fdt_next_node(blob_buf, node, &depth))
		if (depth > deepest)
			deepest = depth;
	CHECK_EQ(deepest, FDT_MAX_DEPTH);
	CHECK_STR(nesting_verdict(FDT_MAX_DEPTH + 1), "nesting deeper than 32");
	CHECK_STR(nesting_verdict(500), "nesting deeper than 32");
}

/* ---- navigation and properties on a hand-made tree ---- */

static size_t nav_blob(void)
{
	struct bld b = { 0 };

	b_rsv(&b, 0x80000000, 0x20000);
	b_rsv(&b, 0x90000000, 0x1000);
	b_word(&b, FDT_NOP);
	b_root_cells(&b, 2, 2);
	b_begin(&b, "aliases");
	b_str(&b, "serial0", "/soc/uart@1000");
	b_str(&b, "soc", "/soc");
	b_str(&b, "relative", "soc/uart");
	b_prop(&b, "unterminated", "/soc", 4);
	b_end(&b);
	b_begin(&b, "chosen");
	b_str(&b, "stdout-path", "serial0");
	b_end(&b);
	b_begin(&b, "soc");
	b_cells(&b, "#address-cells", 1, 1);
	b_cells(&b, "#size-cells", 1, 1);
	b_begin(&b, "uart@1000");
	b_prop(&b, "compatible", "ns16550a\0generic", 17);
	b_word(&b, FDT_NOP);
	b_cells(&b, "phandle", 1, 5);
	b_str(&b, "status", "ok");
	b_cells(&b, "reg", 2, 0x1000, 0x100);
	b_end(&b);
	b_begin(&b, "uart");
	b_end(&b);
	b_begin(&b, "uart@2000");
	b_str(&b, "status", "disabled");
	b_cells(&b, "linux,phandle", 1, 6);
	b_end(&b);
	b_begin(&b, "node@1");
	b_word(&b, FDT_NOP);
	b_begin(&b, "sub");
	b_end(&b);
	b_end(&b);
	b_begin(&b, "odd-status");
	b_prop(&b, "status", "okay\0x", 7);
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);
	return b_blob(&b);
}

static void test_navigation(void)
{
	static const char *const order[] = {
		"", "aliases", "chosen", "soc", "uart@1000", "uart",
		"uart@2000", "node@1", "sub", "odd-status",
	};
	static const int depths[] = { 1, 2, 2, 2, 3, 3, 3, 3, 4, 3 };
	const void *fdt = blob_buf;
	int root, soc, uart, sub, node, depth = 0, n = 0;
	char path[32];

	CHECK_STR(verdict(blob_buf, nav_blob()), "ok");
	nav_blob();
	root = fdt_root(fdt);
	CHECK_EQ(root, 4);
	CHECK_STR(fdt_node_name(fdt, root), "");
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0 && n < 10;
	     node = fdt_next_node(fdt, node, &depth), n++) {
		CHECK_STR(fdt_node_name(fdt, node), order[n]);
		CHECK_EQ(depth, depths[n]);
	}
	CHECK_EQ(n, 10);
	CHECK_EQ(node, -ENOENT);
	CHECK_EQ(depth, 0);

	soc = fdt_subnode(fdt, root, "soc");
	uart = fdt_subnode(fdt, soc, "uart@1000");
	CHECK_STR(fdt_node_name(fdt, soc), "soc");
	CHECK_STR(fdt_node_name(fdt, fdt_subnode(fdt, soc, "uart")), "uart");
	CHECK_STR(fdt_node_name(fdt, fdt_subnode(fdt, soc, "node")), "node@1");
	CHECK_EQ(fdt_subnode(fdt, soc, "uart@3"), -ENOENT);
	CHECK_EQ(fdt_subnode(fdt, soc, "uar"), -ENOENT);
	CHECK_EQ(fdt_subnode(fdt, soc, "node@"), -ENOENT);
	CHECK_EQ(fdt_subnode(fdt, -ENOENT, "soc"), -EINVAL);

	CHECK_EQ(fdt_path_offset(fdt, "/", 1), root);
	CHECK_EQ(fdt_path_offset(fdt, "/soc/uart@1000", 14), uart);
	CHECK_EQ(fdt_path_offset(fdt, "/soc/uart@1000/", 15), uart);
	CHECK_EQ(fdt_path_offset(fdt, "/soc/uart@1000XYZ", 14), uart);
	CHECK_EQ(fdt_path_offset(fdt, "serial0", 7), uart);
	CHECK_EQ(fdt_path_offset(fdt, "serial0:115200", 7), uart);
	sub = fdt_path_offset(fdt, "soc/node/sub", 12);
	CHECK_STR(fdt_node_name(fdt, sub), "sub");
	CHECK_EQ(fdt_path_offset(fdt, "//soc///node@1//sub", 19), sub);
	CHECK_EQ(fdt_path_offset(fdt, "/soc/node@1/sub/x", 17), -ENOENT);
	CHECK_EQ(fdt_path_offset(fdt, "/soc/\0uart", 10), -ENOENT);
	CHECK_EQ(fdt_path_offset(fdt, "relative", 8), -EINVAL);
	CHECK_EQ(fdt_path_offset(fdt, "unterminated", 12), -ENOENT);
	CHECK_EQ(fdt_path_offset(fdt, "nosuch", 6), -ENOENT);
	CHECK_EQ(fdt_path_offset(fdt, "", 0), -EINVAL);

	CHECK_EQ(fdt_get_path(fdt, sub, path, sizeof(path)), 0);
	CHECK_STR(path, "/soc/node@1/sub");
	CHECK_EQ(fdt_get_path(fdt, sub, path, 16), 0);
	CHECK_EQ(fdt_get_path(fdt, sub, path, 15), -ENOSPC);
	CHECK_EQ(fdt_get_path(fdt, sub, path, 1), -ENOSPC);
	CHECK_EQ(fdt_get_path(fdt, root, path, 2), 0);
	CHECK_STR(path, "/");
	CHECK_EQ(fdt_get_path(fdt, root + 4, path, sizeof(path)), -ENOENT);

	CHECK_EQ(fdt_parent(fdt, sub), fdt_subnode(fdt, soc, "node@1"));
	CHECK_EQ(fdt_parent(fdt, uart), soc);
	CHECK_EQ(fdt_parent(fdt, root), -ENOENT);
	CHECK_EQ(fdt_first_child(fdt, root), fdt_subnode(fdt, root, "aliases"));
	CHECK_EQ(fdt_first_child(fdt, uart), -ENOENT);
	CHECK_EQ(fdt_first_child(fdt, sub), -ENOENT);
	CHECK_EQ(fdt_next_sibling(fdt, fdt_first_child(fdt, root)),
		 fdt_subnode(fdt, root, "chosen"));
	CHECK_EQ(fdt_next_sibling(fdt, soc), -ENOENT);
	CHECK_EQ(fdt_next_sibling(fdt, root), -ENOENT);
	CHECK_EQ(fdt_next_sibling(fdt, sub), -ENOENT);
	CHECK_EQ(fdt_next_node(fdt, root + 1, NULL), -EINVAL);
	CHECK(!fdt_node_name(fdt, root + 8));
	{
		const char *opts = "unset";

		CHECK_EQ(fdt_stdout_node(fdt, &opts), uart);
		CHECK(!opts);
	}
}

static void test_properties(void)
{
	static const char *const names[] = { "compatible", "phandle", "status",
					     "reg" };
	const void *fdt = blob_buf;
	int soc, uart, uart2, odd, prop, len, n = 0;
	const char *name, *compat;
	u64 v64;
	u32 v;

	nav_blob();
	soc = fdt_path_offset(fdt, "/soc", 4);
	uart = fdt_subnode(fdt, soc, "uart@1000");
	uart2 = fdt_subnode(fdt, soc, "uart@2000");
	odd = fdt_subnode(fdt, soc, "odd-status");

	for (prop = fdt_first_prop(fdt, uart); prop >= 0 && n < 4;
	     prop = fdt_next_prop(fdt, prop), n++) {
		CHECK(fdt_prop_by_offset(fdt, prop, &name, &len) != NULL);
		CHECK_STR(name, names[n]);
	}
	CHECK_EQ(n, 4);
	CHECK_EQ(prop, -ENOENT);
	CHECK_EQ(fdt_first_prop(fdt, fdt_subnode(fdt, soc, "uart")), -ENOENT);
	CHECK_EQ(fdt_first_prop(fdt, fdt_first_prop(fdt, uart)), -EINVAL);
	CHECK_EQ(fdt_next_prop(fdt, uart), -EINVAL);
	CHECK(!fdt_prop_by_offset(fdt, uart, &name, &len));
	CHECK_EQ(len, -EINVAL);

	compat = fdt_getprop(fdt, uart, "compatible", &len);
	CHECK_EQ(len, 17);
	CHECK_STR(fdt_stringlist_get(compat, len, 0), "ns16550a");
	CHECK_STR(fdt_stringlist_get(compat, len, 1), "generic");
	CHECK(!fdt_stringlist_get(compat, len, 2));
	CHECK(!fdt_stringlist_get(compat, len, -1));
	CHECK(fdt_stringlist_contains(compat, len, "generic"));
	CHECK(!fdt_stringlist_contains(compat, len, "gen"));
	CHECK(!fdt_stringlist_contains(compat, len - 1, "generic"));
	CHECK(!fdt_stringlist_contains(compat, 0, "ns16550a"));
	CHECK(!fdt_stringlist_contains(compat, -5, "ns16550a"));
	CHECK(!fdt_getprop_string(fdt, uart, "compatible"));
	CHECK(!fdt_getprop_u32(fdt, uart, "compatible", &v));
	CHECK_EQ(fdt_getprop_u64(fdt, uart, "compatible", &v64), -EINVAL);
	CHECK_EQ(fdt_getprop_u64(fdt, uart, "nosuch", &v64), -ENOENT);
	CHECK_EQ(fdt_getprop_u64(fdt, uart, "reg", &v64), 0);
	CHECK_EQ(v64, 0x100000000100ULL);
	CHECK(!fdt_getprop(fdt, uart, "compat", &len));
	CHECK_EQ(len, -ENOENT);
	CHECK(!fdt_getprop_string(fdt, fdt_path_offset(fdt, "/aliases", 8),
				  "unterminated"));

	CHECK(fdt_node_is_enabled(fdt, uart));
	CHECK(!fdt_node_is_enabled(fdt, uart2));
	CHECK(fdt_node_is_enabled(fdt, soc));
	CHECK(!fdt_node_is_enabled(fdt, odd));

	CHECK_EQ(fdt_get_phandle(fdt, uart), 5);
	CHECK_EQ(fdt_get_phandle(fdt, uart2), 6);
	CHECK_EQ(fdt_get_phandle(fdt, soc), 0);
	CHECK_EQ(fdt_node_by_phandle(fdt, 5), uart);
	CHECK_EQ(fdt_node_by_phandle(fdt, 6), uart2);
	CHECK_EQ(fdt_node_by_phandle(fdt, 7), -ENOENT);
	CHECK_EQ(fdt_node_by_phandle(fdt, 0), -EINVAL);
	CHECK_EQ(fdt_node_by_phandle(fdt, 0xffffffff), -EINVAL);
	CHECK_EQ(fdt_node_by_compatible(fdt, -1, "generic"), uart);
	CHECK_EQ(fdt_node_by_compatible(fdt, uart, "generic"), -ENOENT);

	CHECK(fdt_getprop_u32(fdt, soc, "#address-cells", &v) && v == 1);
	CHECK(!fdt_getprop_u32(fdt, uart, "reg", &v));
}

static void test_mem_rsv(void)
{
	u64 addr = 0, size = 0;

	nav_blob();
	CHECK_EQ(fdt_num_mem_rsv(blob_buf), 2);
	CHECK_EQ(fdt_get_mem_rsv(blob_buf, 1, &addr, &size), 0);
	CHECK_EQ(addr, 0x90000000);
	CHECK_EQ(size, 0x1000);
	CHECK_EQ(fdt_get_mem_rsv(blob_buf, 2, &addr, &size), -ENOENT);
	CHECK_EQ(fdt_get_mem_rsv(blob_buf, -1, &addr, &size), -ENOENT);
}

/* Lookups in the blob last built into blob_buf. */
static int node_at(const char *path)
{
	return fdt_path_offset(blob_buf, path, strlen(path));
}

static int reg_at(const char *path, int index, u64 *addr, u64 *size)
{
	return fdt_reg(blob_buf, node_at(path), index, addr, size);
}

static void test_cells_and_reg(void)
{
	struct bld b = { 0 };
	const void *fdt = blob_buf;
	u64 addr = 0, size = 0;
	int root;

#define BUS(name, ac, sc, ...)                                   \
	do {                                                     \
		b_begin(&b, name);                               \
		b_cells(&b, "#address-cells", 1, (u32)(ac));     \
		b_cells(&b, "#size-cells", 1, (u32)(sc));        \
		b_begin(&b, "dev");                              \
		b_cells(&b, "reg", __VA_ARGS__);                 \
		b_end(&b);                                       \
		b_end(&b);                                       \
	} while (0)

	b_root_cells(&b, 2, 2);
	b_begin(&b, "mem");
	b_cells(&b, "reg", 4, 0, 0x80000000, 1, 0);
	b_end(&b);
	BUS("ac7", 7, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8);
	BUS("acff", 0xffffffff, 1, 2, 1, 2);
	BUS("sc7", 1, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8);
	BUS("ac0", 0, 1, 1, 0x100);
	BUS("odd", 1, 1, 3, 1, 2, 3);
	BUS("two", 1, 1, 4, 0x1000, 0x100, 0x2000, 0x200);
	BUS("sc0", 2, 0, 2, 0x1, 0x2);
	b_begin(&b, "shortcells");
	b_prop(&b, "#address-cells", "\0\1", 2);
	b_end(&b);
	b_begin(&b, "noreg");
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_STR(b_verdict(&b), "ok");
	b_blob(&b);
#undef BUS

	root = fdt_root(fdt);
	CHECK_EQ(fdt_address_cells(fdt, root), 2);
	CHECK_EQ(reg_at("/mem", 0, &addr, &size), 0);
	CHECK_EQ(addr, 0x80000000);
	CHECK_EQ(size, 0x100000000ULL);
	CHECK_EQ(fdt_reg(fdt, root, 0, &addr, &size), -ENOENT);
	CHECK_EQ(fdt_address_cells(fdt, node_at("/ac7")), -EINVAL);
	CHECK_EQ(reg_at("/ac7/dev", 0, &addr, &size), -EINVAL);
	CHECK_EQ(fdt_address_cells(fdt, node_at("/acff")), -EINVAL);
	CHECK_EQ(reg_at("/acff/dev", 0, &addr, &size), -EINVAL);
	CHECK_EQ(reg_at("/sc7/dev", 0, &addr, &size), -EINVAL);
	CHECK_EQ(reg_at("/ac0/dev", 0, &addr, &size), -EINVAL);
	CHECK_EQ(reg_at("/odd/dev", 0, &addr, &size), -EINVAL);
	CHECK_EQ(reg_at("/two/dev", 1, &addr, &size), 0);
	CHECK_EQ(addr, 0x2000);
	CHECK_EQ(size, 0x200);
	CHECK_EQ(reg_at("/two/dev", 2, &addr, &size), -ENOENT);
	CHECK_EQ(reg_at("/two/dev", -1, &addr, &size), -ENOENT);
	CHECK_EQ(reg_at("/sc0/dev", 0, &addr, &size), 0);
	CHECK_EQ(addr, 0x100000002ULL);
	CHECK_EQ(size, 0);
	CHECK_EQ(fdt_address_cells(fdt, node_at("/shortcells")), -EINVAL);
	CHECK_EQ(fdt_size_cells(fdt, node_at("/shortcells")), 1);
	CHECK_EQ(reg_at("/noreg", 0, &addr, &size), -ENOENT);
	CHECK_EQ(fdt_reg_cells(fdt, node_at("/two/dev"), 1, 1, 0, &addr, NULL),
		 0);
	CHECK_EQ(addr, 0x1000);
	CHECK_EQ(fdt_reg_cells(fdt, node_at("/two/dev"), 3, 1, 0, &addr, NULL),
		 -EINVAL);
}

/* ---- boot-information scan ---- */

static int scan(const struct bld *b, struct fdt_boot_info *bi,
		struct warnings *w)
{
	size_t size = b_blob(b);
	const char *why = NULL;

	CHECK_EQ(fdt_check(blob_buf, size, &why), 0);
	memset(w, 0, sizeof(*w));
	return fdt_scan_boot(blob_buf, bi, collect_warning, w);
}

static void test_scan_small(void)
{
	struct fdt_boot_info bi;
	struct warnings w;
	struct bld b = { 0 };

	small_blob(blob_buf);
	CHECK_EQ(fdt_scan_boot(blob_buf, &bi, NULL, NULL), 0);
	CHECK(!bi.error);
	CHECK_STR(bi.model, "tiny");
	CHECK_STR(bi.bootargs, "console=hvc0");
	CHECK(!bi.stdout_path);
	CHECK(!bi.rng_seed);
	CHECK_EQ(bi.ncpus, 2);
	CHECK_EQ(bi.nmem, 1);
	CHECK_EQ(bi.nresv, 1);
	CHECK_EQ(bi.resv[0].base, 0x80000000);
	CHECK_EQ(bi.resv[0].size, 0x20000);
	CHECK(!bi.resv[0].name);

	/* The same machine without memory, then without /cpus. */
	b_root_cells(&b, 2, 2);
	b_cpus(&b, 1);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), -EINVAL);
	CHECK_STR(bi.error, "no memory node");
	CHECK_EQ(bi.ncpus, 1);

	memset(&b, 0, sizeof(b));
	b_root_cells(&b, 2, 2);
	b_memory(&b, 0x80000000, 0x1000000);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), -EINVAL);
	CHECK_STR(bi.error, "no /cpus node");
	CHECK_EQ(bi.nmem, 1);

	memset(&b, 0, sizeof(b));
	b_root_cells(&b, 2, 2);
	b_memory(&b, 0x80000000, 0);
	b_begin(&b, "cpus");
	b_begin(&b, "cpu-map");
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), -EINVAL);
	CHECK_STR(bi.error, "memory nodes describe no memory");
	CHECK_EQ(bi.ncpus, 0);

	memset(&b, 0, sizeof(b));
	b_root_cells(&b, 3, 2);
	b_cpus(&b, 1);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), -EINVAL);
	CHECK_STR(bi.error,
		  "bad #address-cells or #size-cells in the root node");
}

static void test_scan_memory(void)
{
	struct fdt_boot_info bi;
	struct warnings w;
	struct bld b = { 0 };
	int i;

	b_root_cells(&b, 1, 1);
	b_cpus(&b, 1);
	b_begin(&b, "memory@80000000");
	b_str(&b, "device_type", "memory");
	b_cells(&b, "reg", 6, 0x80000000, 0x1000000, 0x90000000, 0,
		0xa0000000, 0x2000000);
	b_end(&b);
	b_begin(&b, "memory@c0000000");
	b_cells(&b, "reg", 2, 0xc0000000, 0x1000);
	b_end(&b);
	b_begin(&b, "ram");
	b_str(&b, "device_type", "memory");
	b_cells(&b, "reg", 2, 0xd0000000, 0x2000);
	b_end(&b);
	b_begin(&b, "memory@e0000000");
	b_str(&b, "device_type", "memory");
	b_str(&b, "status", "disabled");
	b_cells(&b, "reg", 2, 0xe0000000, 0x1000);
	b_end(&b);
	b_begin(&b, "memory-controller@f0000000");
	b_cells(&b, "reg", 2, 0xf0000000, 0x1000);
	b_end(&b);
	b_begin(&b, "memory@f8000000");
	b_str(&b, "device_type", "cpu");
	b_cells(&b, "reg", 2, 0xf8000000, 0x1000);
	b_end(&b);
	b_begin(&b, "memory@ffffff00");
	b_str(&b, "device_type", "memory");
	b_cells(&b, "reg", 3, 0xffffff00, 0x1000, 0);
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);

	CHECK_EQ(scan(&b, &bi, &w), 0);
	CHECK_EQ(bi.nmem, 4);
	CHECK_EQ(bi.mem[0].base, 0x80000000);
	CHECK_EQ(bi.mem[0].size, 0x1000000);
	CHECK_EQ(bi.mem[1].base, 0xa0000000);
	CHECK_EQ(bi.mem[1].size, 0x2000000);
	CHECK_EQ(bi.mem[2].base, 0xc0000000);
	CHECK_EQ(bi.mem[3].base, 0xd0000000);
	CHECK_EQ(w.count, 1);
	CHECK_STR(w.last, "memory@ffffff00: malformed reg");

	memset(&b, 0, sizeof(b));
	b_root_cells(&b, 2, 2);
	b_cpus(&b, 1);
	b_memory(&b, 0xfffffffffffff000ULL, 0x2000);
	for (i = 0; i < FDT_MAX_MEM + 4; i++)
		b_memory(&b, 0x80000000ULL + ((u64)i << 28), 0x1000000);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), 0);
	CHECK_EQ(bi.nmem, FDT_MAX_MEM);
	CHECK_EQ(bi.mem[FDT_MAX_MEM - 1].base,
		 0x80000000ULL + ((u64)(FDT_MAX_MEM - 1) << 28));
	/* One for the wrapping range, one per ignored range. */
	CHECK_EQ(w.count, 5);
	CHECK_STR(w.last,
		  "memory@1b0000000: more than 16 memory ranges, "
		  "ignoring the rest");
}

static void test_scan_reserved(void)
{
	struct fdt_boot_info bi;
	struct warnings w;
	struct bld b = { 0 };
	int i;

	b_rsv(&b, 0x80000000, 0x40000);
	b_rsv(&b, 0x88000000, 0);
	b_root_cells(&b, 2, 2);
	b_cpus(&b, 1);
	b_memory(&b, 0x80000000, 0x10000000);
	b_begin(&b, "reserved-memory");
	b_cells(&b, "#address-cells", 1, 1);
	b_cells(&b, "#size-cells", 1, 1);
	b_prop(&b, "ranges", "", 0);
	b_begin(&b, "mmode_resv0@80000000");
	b_cells(&b, "reg", 2, 0x80000000, 0x40000);
	b_prop(&b, "no-map", "", 0);
	b_end(&b);
	b_begin(&b, "linux,cma");
	b_cells(&b, "size", 1, 0x1000000);
	b_end(&b);
	b_begin(&b, "fb@8f000000");
	b_cells(&b, "reg", 4, 0x8f000000, 0x100000, 0x8f800000, 0x1000);
	b_end(&b);
	b_begin(&b, "off@8e000000");
	b_str(&b, "status", "disabled");
	b_cells(&b, "reg", 2, 0x8e000000, 0x1000);
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);

	CHECK_EQ(scan(&b, &bi, &w), 0);
	CHECK_EQ(w.count, 0);
	CHECK_EQ(bi.nresv, 4);
	CHECK(!bi.resv[0].name);
	CHECK_EQ(bi.resv[0].base, 0x80000000);
	CHECK_STR(bi.resv[1].name, "mmode_resv0@80000000");
	CHECK(bi.resv[1].no_map);
	CHECK_EQ(bi.resv[1].base, 0x80000000);
	CHECK_EQ(bi.resv[1].size, 0x40000);
	CHECK_STR(bi.resv[2].name, "fb@8f000000");
	CHECK(!bi.resv[2].no_map);
	CHECK_EQ(bi.resv[3].base, 0x8f800000);
	CHECK_EQ(bi.resv[3].size, 0x1000);

	memset(&b, 0, sizeof(b));
	for (i = 0; i < 6; i++)
		b_rsv(&b, 0x80000000ULL + i * 0x1000ULL, 0x1000);
	b_root_cells(&b, 2, 2);
	b_cpus(&b, 1);
	b_memory(&b, 0x80000000, 0x10000000);
	b_begin(&b, "reserved-memory");
	b_cells(&b, "#address-cells", 1, 1);
	b_cells(&b, "#size-cells", 1, 1);
	for (i = 0; i < FDT_MAX_RESV; i++) {
		char name[32];

		snprintf(name, sizeof(name), "r@%x", 0x90000000 + i * 0x1000);
		b_begin(&b, name);
		b_cells(&b, "reg", 2, 0x90000000 + i * 0x1000, 0x1000);
		b_end(&b);
	}
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), 0);
	CHECK_EQ(bi.nresv, FDT_MAX_RESV);
	CHECK_EQ(w.count, 6);
	CHECK_STR(bi.resv[FDT_MAX_RESV - 1].name, "r@90019000");

	/* Unusable cells: the memreserve entries still count. */
	memset(&b, 0, sizeof(b));
	b_rsv(&b, 0x80000000, 0x1000);
	b_root_cells(&b, 2, 2);
	b_cpus(&b, 1);
	b_memory(&b, 0x80000000, 0x10000000);
	b_begin(&b, "reserved-memory");
	b_cells(&b, "#size-cells", 1, 5);
	b_begin(&b, "r@90000000");
	b_cells(&b, "reg", 2, 0x90000000, 0x1000);
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), 0);
	CHECK_EQ(bi.nresv, 1);
	CHECK_STR(w.last, "reserved-memory: bad #address-cells or #size-cells");
}

/* /chosen with the given initrd properties (NULL: absent). */
static int scan_initrd(const void *start, size_t slen, const void *end,
		       size_t elen, struct fdt_boot_info *bi,
		       struct warnings *w)
{
	struct bld b = { 0 };

	b_root_cells(&b, 2, 2);
	b_begin(&b, "chosen");
	b_str(&b, "bootargs", "root=/dev/ram0");
	b_prop(&b, "rng-seed", "\1\2\3\4\5", 5);
	if (start)
		b_prop(&b, "linux,initrd-start", start, slen);
	if (end)
		b_prop(&b, "linux,initrd-end", end, elen);
	b_end(&b);
	b_cpus(&b, 1);
	b_memory(&b, 0x80000000, 0x10000000);
	b_end(&b);
	b_word(&b, FDT_END);
	return scan(&b, bi, w);
}

static void test_scan_chosen(void)
{
	struct fdt_boot_info bi;
	struct warnings w;

	CHECK_EQ(scan_initrd("\x84\0\0\0", 4, "\x84\x10\0\0", 4, &bi, &w), 0);
	CHECK(bi.has_initrd);
	CHECK_EQ(bi.initrd_start, 0x84000000);
	CHECK_EQ(bi.initrd_end, 0x84100000);
	CHECK_EQ(w.count, 0);
	CHECK_STR(bi.bootargs, "root=/dev/ram0");
	CHECK_EQ(bi.rng_seed_len, 5);
	CHECK_EQ(((const u8 *)bi.rng_seed)[4], 5);

	CHECK_EQ(scan_initrd("\0\0\0\1\0\0\0\0", 8, "\0\0\0\1\0\0\x10\0", 8,
			     &bi, &w), 0);
	CHECK(bi.has_initrd);
	CHECK_EQ(bi.initrd_start, 0x100000000ULL);
	CHECK_EQ(bi.initrd_end, 0x100001000ULL);

	CHECK_EQ(scan_initrd("\x84\0\0\0", 4, "\0\0\0\0\x84\0\x10\0", 8, &bi,
			     &w), 0);
	CHECK(bi.has_initrd);
	CHECK_EQ(bi.initrd_end, 0x84001000);

	CHECK_EQ(scan_initrd("\x84\0\0\0", 4, NULL, 0, &bi, &w), 0);
	CHECK(!bi.has_initrd);
	CHECK_EQ(w.count, 1);
	CHECK_STR(w.last, "chosen: initrd start or end missing or not "
			  "32/64 bits wide");

	CHECK_EQ(scan_initrd("\x84\0\0", 3, "\x85\0\0\0", 4, &bi, &w), 0);
	CHECK(!bi.has_initrd);
	CHECK_EQ(w.count, 1);

	CHECK_EQ(scan_initrd("\x84\0\0\0", 4, "\x84\0\0\0", 4, &bi, &w), 0);
	CHECK(!bi.has_initrd);
	CHECK_STR(w.last, "chosen: initrd ends before it starts");

	CHECK_EQ(scan_initrd(NULL, 0, NULL, 0, &bi, &w), 0);
	CHECK(!bi.has_initrd);
	CHECK_EQ(w.count, 0);
}

static void test_scan_cpus(void)
{
	static const char *const isas[] = {
		"rv64imafdch_zicsr_sstc",
		"rv64gc",
		"RV64IMA_Zba1p0_zbb",
		"rv64imaczicsr_zifencei",
		"rv64i2p1m2p0a_svpbmt_zbb2x",
		"rv32ima",
		"x86_64",
	};
	struct fdt_boot_info bi;
	struct warnings w;
	struct bld b = { 0 };
	const struct fdt_cpu *c = bi.cpu;
	size_t i;

	b_root_cells(&b, 2, 2);
	b_memory(&b, 0x80000000, 0x10000000);
	b_begin(&b, "cpus");
	b_cells(&b, "#address-cells", 1, 1);
	b_cells(&b, "#size-cells", 1, 0);
	/* Older trees keep the timebase in the cpu nodes. */
	b_cpu_open(&b, 0, isas[0]);
	b_cells(&b, "timebase-frequency", 1, 1000000);
	b_end(&b);
	for (i = 1; i < ARRAY_SIZE(isas); i++)
		b_cpu(&b, (u32)i, isas[i]);
	b_begin(&b, "cpu@100");
	b_str(&b, "device_type", "cpu");
	b_cells(&b, "reg", 1, 0x100);
	b_str(&b, "mmu-type", "riscv,none");
	b_str(&b, "status", "disabled");
	b_str(&b, "riscv,isa-base", "rv64i");
	b_prop(&b, "riscv,isa-extensions", "m\0a\0zicbom\0Zkr\0unterminated",
	       27);
	b_end(&b);
	b_begin(&b, "cpu@200");
	b_str(&b, "device_type", "cpu");
	b_end(&b);
	b_begin(&b, "cpu-map");
	b_begin(&b, "cluster0");
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);

	CHECK_EQ(scan(&b, &bi, &w), 0);
	CHECK_EQ(bi.timebase_freq, 1000000);
	CHECK_EQ(bi.ncpus, (int)ARRAY_SIZE(isas) + 1);
	CHECK_EQ(w.count, 1);
	CHECK_STR(w.last, "cpu@200: cpu without a usable reg (hart id)");

	CHECK(fdt_cpu_has_ext(&c[0], "h"));
	CHECK(fdt_cpu_has_ext(&c[0], "C"));
	CHECK(fdt_cpu_has_ext(&c[0], "sstc"));
	CHECK(fdt_cpu_has_ext(&c[0], "SSTC"));
	CHECK(fdt_cpu_has_ext(&c[0], "zicsr"));
	CHECK(!fdt_cpu_has_ext(&c[0], "zicbom"));
	CHECK(!fdt_cpu_has_ext(&c[0], "v"));
	CHECK(!fdt_cpu_has_ext(&c[0], "s"));
	CHECK(!fdt_cpu_has_ext(&c[0], ""));
	CHECK(!fdt_cpu_has_ext(&c[0], "zics"));

	CHECK(fdt_cpu_has_ext(&c[1], "i"));
	CHECK(fdt_cpu_has_ext(&c[1], "d"));
	CHECK(fdt_cpu_has_ext(&c[1], "c"));
	CHECK(fdt_cpu_has_ext(&c[1], "zifencei"));
	CHECK(!fdt_cpu_has_ext(&c[1], "v"));
	CHECK(!fdt_cpu_has_ext(&c[1], "zba"));

	CHECK(fdt_cpu_has_ext(&c[2], "a"));
	CHECK(fdt_cpu_has_ext(&c[2], "zba"));
	CHECK(fdt_cpu_has_ext(&c[2], "zbb"));
	CHECK(!fdt_cpu_has_ext(&c[2], "c"));

	CHECK(fdt_cpu_has_ext(&c[3], "c"));
	CHECK(fdt_cpu_has_ext(&c[3], "zicsr"));
	CHECK(fdt_cpu_has_ext(&c[3], "zifencei"));
	CHECK(!fdt_cpu_has_ext(&c[3], "z"));

	CHECK(fdt_cpu_has_ext(&c[4], "i"));
	CHECK(fdt_cpu_has_ext(&c[4], "m"));
	CHECK(fdt_cpu_has_ext(&c[4], "a"));
	CHECK(fdt_cpu_has_ext(&c[4], "svpbmt"));
	CHECK(!fdt_cpu_has_ext(&c[4], "p"));
	CHECK(!fdt_cpu_has_ext(&c[4], "zbb"));

	CHECK(fdt_cpu_has_ext(&c[5], "a"));
	CHECK(!fdt_cpu_has_ext(&c[6], "x"));
	CHECK(!fdt_cpu_has_ext(&c[6], "86"));

	CHECK_EQ(c[7].hartid, 0x100);
	CHECK(!c[7].enabled);
	CHECK_STR(c[7].mmu_type, "riscv,none");
	CHECK(!fdt_cpu_has_mmu(&c[7]));
	CHECK(fdt_cpu_has_ext(&c[7], "i"));
	CHECK(fdt_cpu_has_ext(&c[7], "m"));
	CHECK(fdt_cpu_has_ext(&c[7], "zicbom"));
	CHECK(fdt_cpu_has_ext(&c[7], "zkr"));
	CHECK(!fdt_cpu_has_ext(&c[7], "c"));
	CHECK(!fdt_cpu_has_ext(&c[7], "unterminated"));
}

static void test_scan_many_cpus(void)
{
	struct fdt_boot_info bi;
	struct warnings w;
	struct bld b = { 0 };

	b_root_cells(&b, 2, 2);
	b_memory(&b, 0x80000000, 0x10000000);
	b_cpus(&b, FDT_MAX_CPUS + 3);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), 0);
	CHECK_EQ(bi.ncpus, FDT_MAX_CPUS);
	CHECK_EQ(bi.cpu[FDT_MAX_CPUS - 1].hartid, FDT_MAX_CPUS - 1);
	CHECK_EQ(w.count, 3);
	CHECK_STR(w.last, "cpu@42: more than 64 harts, ignoring the rest");

	/* No timebase anywhere, and /cpus cells a hart id cannot use. */
	memset(&b, 0, sizeof(b));
	b_root_cells(&b, 2, 2);
	b_memory(&b, 0x80000000, 0x10000000);
	b_begin(&b, "cpus");
	b_cells(&b, "#address-cells", 1, 3);
	b_cpu(&b, 0, "rv64gc");
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), -EINVAL);
	CHECK_STR(bi.error, "bad #address-cells or #size-cells in /cpus");

	memset(&b, 0, sizeof(b));
	b_root_cells(&b, 2, 2);
	b_memory(&b, 0x80000000, 0x10000000);
	b_begin(&b, "cpus");
	b_cells(&b, "#address-cells", 1, 1);
	b_cells(&b, "#size-cells", 1, 0);
	b_cpu(&b, 0, "rv64gc");
	b_end(&b);
	b_end(&b);
	b_word(&b, FDT_END);
	CHECK_EQ(scan(&b, &bi, &w), 0);
	CHECK_EQ(bi.timebase_freq, 0);
	CHECK_STR(w.last, "cpus: no timebase-frequency");
}

/* ---- QEMU dumps: qemu-virt-smp<N>-<M>M.dtb from gen-qemu-dtbs.sh ---- */

static void test_qemu_dumps(void)
{
	DIR *dir = opendir(qemu_dump_dir);
	struct dirent *de;
	int files = 0;

	CHECK(dir);
	while (dir && (de = readdir(dir))) {
		struct fdt_boot_info bi;
		struct warnings w = { 0 };
		unsigned int smp, mib;
		const char *why = "ok";
		char path[1024];
		size_t size;
		u64 total = 0;
		u8 *fdt;
		int i;

		if (sscanf(de->d_name, "qemu-virt-smp%u-%uM.dtb", &smp,
			   &mib) != 2)
			continue;
		snprintf(path, sizeof(path), "%s/%s", qemu_dump_dir,
			 de->d_name);
		fdt = load_file(path, &size);
		if (!fdt) {
			CHECK(fdt);
			continue;
		}
		files++;
		printf("# %s\n", de->d_name);
		CHECK_EQ(fdt_check(fdt, size, &why), 0);
		CHECK_STR(why, "ok");
		CHECK_EQ(fdt_scan_boot(fdt, &bi, collect_warning, &w), 0);
		CHECK_EQ(w.count, 0);
		CHECK_EQ(bi.ncpus, smp);
		for (i = 0; i < bi.nmem; i++)
			total += bi.mem[i].size;
		CHECK_EQ(total, (u64)mib << 20);
		for (i = 0; i < bi.ncpus; i++)
			CHECK(bi.cpu[i].enabled && fdt_cpu_has_mmu(&bi.cpu[i]));
		CHECK(fdt_stdout_node(fdt, NULL) >= 0);
		check_every_phandle(fdt);
		LLVMFuzzerTestOneInput(fdt, size);
		free(fdt);
	}
	if (dir)
		closedir(dir);
	CHECK(files > 0);
}

int main(int argc, char **argv)
{
	HTEST_RUN(test_visionfive2);
	HTEST_RUN(test_qemu_virt);
	HTEST_RUN(test_qemu_sifive_u);
	HTEST_RUN(test_real_blobs_robust);
	HTEST_RUN(test_truncated);
	HTEST_RUN(test_bad_header);
	HTEST_RUN(test_bad_structure);
	HTEST_RUN(test_nesting_limit);
	HTEST_RUN(test_navigation);
	HTEST_RUN(test_properties);
	HTEST_RUN(test_mem_rsv);
	HTEST_RUN(test_cells_and_reg);
	HTEST_RUN(test_scan_small);
	HTEST_RUN(test_scan_memory);
	HTEST_RUN(test_scan_reserved);
	HTEST_RUN(test_scan_chosen);
	HTEST_RUN(test_scan_cpus);
	HTEST_RUN(test_scan_many_cpus);
	if (argc > 1) {
		qemu_dump_dir = argv[1];
		HTEST_RUN(test_qemu_dumps);
	}
	return htest_done();
}
