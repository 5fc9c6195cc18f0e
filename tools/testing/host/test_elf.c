/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of lib/elf.c: RISC-V binaries built at test time, mutated and made-up headers. */
#include <hartix/compiler.h> /* before any libc header, as the other tests do */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hartix/elf.h>
#include <hartix/errno.h>

#include "htest.h"

/* What the kernel passes: USER_MIN_ADDR and TASK_SIZE of <hartix/mmap.h>. */
#define MIN_VADDR 0x1000ULL
#define MAX_VADDR (1ULL << 38)
#define PAGE ELF_PAGE_SIZE

static char workdir[] = "/tmp/test_elf.XXXXXX";
static bool have_workdir;

/* Set by a case that could not run (a compiler is missing). */
static const char *skip_reason;

/* htest_run() that prints "# SKIP reason" for a case that set skip_reason. */
static void run_case(const char *name, void (*fn)(void))
{
	skip_reason = NULL;
	htest_case_failed = 0;
	fn();
	htest_count++;
	if (htest_case_failed)
		htest_failures++;
	printf("%s %d %s", htest_case_failed ? "not ok" : "ok", htest_count,
	       name);
	if (skip_reason && !htest_case_failed)
		printf(" # SKIP %s", skip_reason);
	printf("\n");
	fflush(stdout);
}

#define RUN(fn) run_case(#fn, fn)

static void init_info(struct elf_info *info)
{
	memset(info, 0xa5, sizeof(*info)); /* outputs must all be written */
	info->min_vaddr = MIN_VADDR;
	info->max_vaddr = MAX_VADDR;
}

/* elf_check() on a copy of exactly size bytes, so ASan sees overreads. */
static int check_copy(const void *p, size_t size, struct elf_info *info,
		      const char **why)
{
	u8 *b = malloc(size ? size : 1);
	int ret;

	if (size)
		memcpy(b, p, size);
	*why = NULL;
	ret = elf_check(b, size, info, why);
	free(b);
	return ret;
}

/* What must hold whenever elf_check() accepts an image. */
static void check_invariants(const struct elf_info *in, size_t size)
{
	u64 bias = in->load_bias;
	unsigned int i;
	bool entry_ok = false;

	CHECK(in->type == ET_EXEC || in->type == ET_DYN);
	CHECK(in->nr_loads >= 1 && in->nr_loads <= ELF_MAX_LOADS);
	if (in->nr_loads < 1 || in->nr_loads > ELF_MAX_LOADS)
		return;
	CHECK_EQ(bias % PAGE, 0);
	if (in->type == ET_EXEC)
		CHECK_EQ(bias, 0);
	CHECK_EQ(in->low_vaddr, in->load[0].vaddr);
	CHECK_EQ(in->high_vaddr, in->load[in->nr_loads - 1].vaddr +
		 in->load[in->nr_loads - 1].memsz);
	/* Placed, the image is inside the range (modulo 2^64 for the bias). */
	CHECK(ALIGN_DOWN(in->low_vaddr, PAGE) + bias >= in->min_vaddr);
	CHECK(ALIGN_UP(in->high_vaddr, PAGE) + bias <= in->max_vaddr);
	CHECK(ALIGN_UP(in->high_vaddr, PAGE) + bias > ALIGN_DOWN(in->low_vaddr, PAGE) + bias);
	for (i = 0; i < in->nr_loads; i++) {
		const struct elf_segment *s = &in->load[i];

		CHECK(s->memsz > 0);
		CHECK(s->filesz <= s->memsz);
		CHECK(s->offset <= size && s->filesz <= size - s->offset);
		CHECK(!s->filesz || (s->vaddr - s->offset) % PAGE == 0);
		CHECK(!(s->prot & ~(ELF_PROT_READ | ELF_PROT_WRITE | ELF_PROT_EXEC)));
		if (i)
			CHECK(ALIGN_DOWN(s->vaddr, PAGE) >=
			      ALIGN_UP(in->load[i - 1].vaddr + in->load[i - 1].memsz, PAGE));
		if (s->prot & ELF_PROT_EXEC && in->entry >= s->vaddr &&
		    in->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	CHECK(entry_ok);
	CHECK_EQ(in->entry % 2, 0);
	CHECK_EQ(in->phent, sizeof(Elf64_Phdr));
}

/* ---- Made-up images: an ELF header, program headers, zeros. */

struct synth {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[24];
	unsigned int nph;	/* how many ph[] to write at offset 64 */
	size_t size;
	struct elf_info info;
};

static Elf64_Phdr load(u32 flags, u64 off, u64 vaddr, u64 filesz, u64 memsz)
{
	Elf64_Phdr ph = {
		.p_type = PT_LOAD, .p_flags = flags, .p_offset = off,
		.p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
		.p_memsz = memsz, .p_align = PAGE,
	};

	return ph;
}

/* Text at base, a page-apart data+bss segment, PT_GNU_STACK. */
static void synth_init(struct synth *s, u16 type)
{
	u64 base = type == ET_EXEC ? 0x10000 : 0;

	memset(s, 0, sizeof(*s));
	memcpy(s->eh.e_ident, ELFMAG, SELFMAG);
	s->eh.e_ident[EI_CLASS] = ELFCLASS64;
	s->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	s->eh.e_ident[EI_VERSION] = EV_CURRENT;
	s->eh.e_type = type;
	s->eh.e_machine = EM_RISCV;
	s->eh.e_version = EV_CURRENT;
	s->eh.e_entry = base + 0x100;
	s->eh.e_phoff = sizeof(Elf64_Ehdr);
	s->eh.e_flags = EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE;
	s->eh.e_ehsize = sizeof(Elf64_Ehdr);
	s->eh.e_phentsize = sizeof(Elf64_Phdr);
	s->eh.e_phnum = 3;
	s->ph[0] = load(PF_R | PF_X, 0, base, 0x1000, 0x1000);
	s->ph[1] = load(PF_R | PF_W, 0x1000, base + 0x2000, 0x800, 0x3000);
	s->ph[2] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W,
				 .p_align = 16 };
	s->nph = 3;
	s->size = 0x1800;
	init_info(&s->info);
}

static int synth_run(struct synth *s, const char **why)
{
	/* Only the bytes execve would have read: ASan sees overreads. */
	size_t have = s->info.avail && s->info.avail < s->size ?
		      s->info.avail : s->size;
	u8 *b = calloc(1, have ? have : 1);
	int ret;

	memcpy(b, &s->eh, min(have, sizeof(s->eh)));
	if (64 + s->nph * sizeof(Elf64_Phdr) <= have)
		memcpy(b + 64, s->ph, s->nph * sizeof(Elf64_Phdr));
	*why = NULL;
	ret = elf_check(b, s->size, &s->info, why);
	if (!ret)
		check_invariants(&s->info, s->size);
	free(b);
	return ret;
}

static void expect(struct synth *s, int want, const char *want_why, int line)
{
	const char *why;
	int ret = synth_run(s, &why);

	if (ret != want || (want && (!why || strcmp(why, want_why)))) {
		printf("#   line %d: got %d \"%s\", expected %d \"%s\"\n", line,
		       ret, why ? why : "(null)", want, want_why ? want_why : "");
		htest_case_failed = 1;
	}
}

#define EXPECT_OK(s) expect((s), 0, NULL, __LINE__)
#define EXPECT_NOEXEC(s, w) expect((s), -ENOEXEC, (w), __LINE__)

static void test_synth_valid(void)
{
	struct synth s;

	synth_init(&s, ET_EXEC);
	EXPECT_OK(&s);
	CHECK_EQ(s.info.type, ET_EXEC);
	CHECK_EQ(s.info.flags, EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE);
	CHECK_EQ(s.info.entry, 0x10100);
	CHECK_EQ(s.info.phdr_vaddr, 0x10040); /* in the text's file data */
	CHECK_EQ(s.info.phnum, 3);
	CHECK_EQ(s.info.phent, 56);
	CHECK_EQ(s.info.load_bias, 0);
	CHECK_EQ(s.info.low_vaddr, 0x10000);
	CHECK_EQ(s.info.high_vaddr, 0x15000);
	CHECK(!s.info.exec_stack);
	CHECK_EQ(s.info.nr_loads, 2);
	CHECK_EQ(s.info.load[0].vaddr, 0x10000);
	CHECK_EQ(s.info.load[0].memsz, 0x1000);
	CHECK_EQ(s.info.load[0].filesz, 0x1000);
	CHECK_EQ(s.info.load[0].offset, 0);
	CHECK_EQ(s.info.load[0].prot, ELF_PROT_READ | ELF_PROT_EXEC);
	CHECK_EQ(s.info.load[1].vaddr, 0x12000);
	CHECK_EQ(s.info.load[1].memsz, 0x3000);
	CHECK_EQ(s.info.load[1].filesz, 0x800);
	CHECK_EQ(s.info.load[1].offset, 0x1000);
	CHECK_EQ(s.info.load[1].prot, ELF_PROT_READ | ELF_PROT_WRITE);

	/* Only the headers and the loaded bytes need to be in the file. */
	s.size = 0x1800;
	EXPECT_OK(&s);

	/* Nothing the checks do not need is looked at. */
	synth_init(&s, ET_EXEC);
	s.eh.e_ident[EI_OSABI] = 3;
	s.eh.e_shoff = ~0ULL;
	s.eh.e_shnum = 0xffff;
	s.eh.e_flags = 0xffffffff;
	s.ph[0].p_paddr = ~0ULL;
	s.ph[0].p_flags |= 0xff00000; /* PF_MASKOS bits */
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load[0].prot, ELF_PROT_READ | ELF_PROT_EXEC);

	/* A PROT_NONE segment (a guard) is fine. */
	synth_init(&s, ET_EXEC);
	s.ph[2] = load(0, 0, 0x20000, 0, 0x1000);
	EXPECT_OK(&s);
	CHECK_EQ(s.info.nr_loads, 3);
	CHECK_EQ(s.info.load[2].prot, 0);
}

/* execve reads the headers first and the segments later: info.avail. */
static void test_synth_avail(void)
{
	struct synth s;

	synth_init(&s, ET_EXEC);
	s.info.avail = 64 + 3 * sizeof(Elf64_Phdr);
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load[1].offset, 0x1000); /* beyond avail: fine */
	synth_init(&s, ET_EXEC);
	s.info.avail = 64 + 3 * sizeof(Elf64_Phdr) - 1;
	EXPECT_NOEXEC(&s, "program headers too far into the file");
	synth_init(&s, ET_EXEC);
	s.info.avail = 63;
	EXPECT_NOEXEC(&s, "truncated ELF header");
}

static void test_synth_ident(void)
{
	struct synth s;

	synth_init(&s, ET_EXEC);
	s.eh.e_ident[0] = 0x7e;
	EXPECT_NOEXEC(&s, "not an ELF file (bad magic)");
	synth_init(&s, ET_EXEC);
	s.eh.e_ident[3] = 'f';
	EXPECT_NOEXEC(&s, "not an ELF file (bad magic)");
	synth_init(&s, ET_EXEC);
	memcpy(s.eh.e_ident, "#!/bin/sh\n", 10);
	EXPECT_NOEXEC(&s, "not an ELF file (bad magic)");
	synth_init(&s, ET_EXEC);
	s.eh.e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT_NOEXEC(&s, "not a 64-bit ELF (EI_CLASS is not ELFCLASS64)");
	s.eh.e_ident[EI_CLASS] = ELFCLASSNONE;
	EXPECT_NOEXEC(&s, "not a 64-bit ELF (EI_CLASS is not ELFCLASS64)");
	synth_init(&s, ET_EXEC);
	s.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	EXPECT_NOEXEC(&s, "not little-endian (EI_DATA is not ELFDATA2LSB)");
	synth_init(&s, ET_EXEC);
	s.eh.e_ident[EI_VERSION] = 0;
	EXPECT_NOEXEC(&s, "unknown ELF version (EI_VERSION is not 1)");
	synth_init(&s, ET_EXEC);
	s.eh.e_version = 2;
	EXPECT_NOEXEC(&s, "unknown ELF version (e_version is not 1)");
}

static void test_synth_header(void)
{
	static const u16 types[] = { ET_NONE, ET_REL, ET_CORE, 0xfe00 };
	struct synth s;
	unsigned int i;

	synth_init(&s, ET_EXEC);
	s.eh.e_machine = EM_X86_64;
	EXPECT_NOEXEC(&s, "not RISC-V (e_machine is not EM_RISCV)");
	s.eh.e_machine = EM_AARCH64;
	EXPECT_NOEXEC(&s, "not RISC-V (e_machine is not EM_RISCV)");
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		synth_init(&s, ET_EXEC);
		s.eh.e_type = types[i];
		EXPECT_NOEXEC(&s, "not an executable (e_type is not ET_EXEC or ET_DYN)");
	}
	synth_init(&s, ET_EXEC);
	s.eh.e_ehsize = 52;
	EXPECT_NOEXEC(&s, "e_ehsize is not the size of Elf64_Ehdr");
	synth_init(&s, ET_EXEC);
	s.eh.e_phentsize = 32; /* Elf32_Phdr */
	EXPECT_NOEXEC(&s, "e_phentsize is not the size of Elf64_Phdr");
	s.eh.e_phentsize = 64;
	EXPECT_NOEXEC(&s, "e_phentsize is not the size of Elf64_Phdr");
	synth_init(&s, ET_EXEC);
	s.eh.e_phnum = 0;
	EXPECT_NOEXEC(&s, "no program headers (e_phnum is 0)");
	s.eh.e_phnum = PN_XNUM;
	EXPECT_NOEXEC(&s, "extended program header numbering (PN_XNUM) is not supported");
	/* 0xfffe headers of 56 bytes are far more than the file. */
	s.eh.e_phnum = 0xfffe;
	EXPECT_NOEXEC(&s, "program headers outside the file");

	synth_init(&s, ET_EXEC);
	s.eh.e_phoff = s.size;
	EXPECT_NOEXEC(&s, "program headers outside the file");
	s.eh.e_phoff = s.size - 3 * 56 + 1;
	EXPECT_NOEXEC(&s, "program headers outside the file");
	s.eh.e_phoff = ~0ULL;
	EXPECT_NOEXEC(&s, "program headers outside the file");
	s.eh.e_phoff = ~0ULL - 55; /* phoff + 3 * 56 wraps to a small number */
	EXPECT_NOEXEC(&s, "program headers outside the file");
	s.eh.e_phoff = 1ULL << 63;
	EXPECT_NOEXEC(&s, "program headers outside the file");

	synth_init(&s, ET_EXEC);
	s.eh.e_entry |= 1;
	EXPECT_NOEXEC(&s, "e_entry is misaligned");
}

static void test_synth_loads(void)
{
	struct synth s;

	synth_init(&s, ET_EXEC);
	s.ph[1].p_filesz = s.ph[1].p_memsz + 1;
	EXPECT_NOEXEC(&s, "PT_LOAD p_filesz larger than p_memsz");

	synth_init(&s, ET_EXEC);
	s.ph[1].p_offset = s.size;
	s.ph[1].p_vaddr = 0x12000 + (s.size & 0xfff);
	EXPECT_NOEXEC(&s, "PT_LOAD file range outside the file");
	synth_init(&s, ET_EXEC);
	s.ph[1].p_filesz = 0x801; /* one byte past the end */
	EXPECT_NOEXEC(&s, "PT_LOAD file range outside the file");
	synth_init(&s, ET_EXEC);
	s.ph[1].p_offset = ~0ULL - 0xfff;
	s.ph[1].p_vaddr = 0x12000;
	EXPECT_NOEXEC(&s, "PT_LOAD file range outside the file");
	synth_init(&s, ET_EXEC);
	s.ph[1].p_offset = 0x1000;
	s.ph[1].p_filesz = ~0ULL - 0x800; /* offset + filesz wraps */
	s.ph[1].p_memsz = ~0ULL;
	EXPECT_NOEXEC(&s, "PT_LOAD file range outside the file");
	/* Empty file part at the very end is fine, even for a bss. */
	synth_init(&s, ET_EXEC);
	s.ph[1].p_offset = s.size;
	s.ph[1].p_filesz = 0;
	EXPECT_OK(&s);

	synth_init(&s, ET_EXEC);
	s.ph[1].p_vaddr = ~0ULL - 0xfff;
	s.ph[1].p_memsz = 0x2000;
	EXPECT_NOEXEC(&s, "PT_LOAD address range wraps around");
	s.ph[1].p_vaddr = ~0ULL - 0x10ff; /* ends in the last page: rounds up to 0 */
	s.ph[1].p_memsz = 0x1000;
	EXPECT_NOEXEC(&s, "PT_LOAD address range wraps around");
	s.ph[1].p_vaddr = 0x12000;
	s.ph[1].p_memsz = ~0ULL;
	EXPECT_NOEXEC(&s, "PT_LOAD address range wraps around");

	synth_init(&s, ET_EXEC);
	s.ph[1].p_align = 3;
	EXPECT_NOEXEC(&s, "PT_LOAD p_align is not a power of two");
	s.ph[1].p_align = 0x3000;
	EXPECT_NOEXEC(&s, "PT_LOAD p_align is not a power of two");
	s.ph[1].p_align = 0;
	EXPECT_OK(&s);
	s.ph[1].p_align = 1;
	EXPECT_OK(&s);
	s.ph[1].p_align = 16; /* smaller than a page: still mod-4096 congruent */
	EXPECT_OK(&s);
	s.ph[1].p_align = 1ULL << 63;
	EXPECT_OK(&s);

	synth_init(&s, ET_EXEC);
	s.ph[1].p_vaddr += 8;
	EXPECT_NOEXEC(&s, "PT_LOAD p_vaddr and p_offset are not congruent modulo the page size");
	synth_init(&s, ET_EXEC);
	s.ph[1].p_offset = 0x1010; /* vaddr 0x12000 */
	s.ph[1].p_filesz = 0x10;
	EXPECT_NOEXEC(&s, "PT_LOAD p_vaddr and p_offset are not congruent modulo the page size");
	/* Same page offset, different page: fine. */
	s.ph[1].p_vaddr = 0x12010;
	EXPECT_OK(&s);
	/* Nothing from the file: nothing to line up. */
	s.ph[1].p_vaddr = 0x12008;
	s.ph[1].p_filesz = 0;
	EXPECT_OK(&s);
}

static void test_synth_layout(void)
{
	struct synth s;
	unsigned int i;

	/* Out of order. */
	synth_init(&s, ET_EXEC);
	s.ph[0] = s.ph[1];
	s.ph[1] = load(PF_R | PF_X, 0, 0x10000, 0x1000, 0x1000);
	EXPECT_NOEXEC(&s, "PT_LOAD segments not sorted by p_vaddr");

	/* The data's first page is the text's last one. */
	synth_init(&s, ET_EXEC);
	s.ph[0].p_filesz = s.ph[0].p_memsz = 0x800;
	s.ph[1].p_vaddr = 0x10800;
	s.ph[1].p_offset = 0x800;
	EXPECT_NOEXEC(&s, "PT_LOAD segments overlap (after page rounding)");
	/* Even one byte. */
	synth_init(&s, ET_EXEC);
	s.ph[0].p_memsz = 0x1001;
	s.ph[1].p_vaddr = 0x11000;
	EXPECT_NOEXEC(&s, "PT_LOAD segments overlap (after page rounding)");
	/* The same start. */
	synth_init(&s, ET_EXEC);
	s.ph[1].p_vaddr = 0x10000;
	EXPECT_NOEXEC(&s, "PT_LOAD segments overlap (after page rounding)");
	/* Adjacent pages are fine. */
	synth_init(&s, ET_EXEC);
	s.ph[1].p_vaddr = 0x11000;
	EXPECT_OK(&s);
	/* A later segment inside an earlier one's bss. */
	synth_init(&s, ET_EXEC);
	s.ph[0].p_memsz = 0x10000;
	EXPECT_NOEXEC(&s, "PT_LOAD segments overlap (after page rounding)");

	/* Empty segments are skipped, wherever they are. */
	synth_init(&s, ET_EXEC);
	s.ph[2] = load(PF_R, 0, 0, 0, 0);
	s.ph[3] = load(PF_R, 0, 0x10000, 0, 0);
	s.nph = s.eh.e_phnum = 4;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.nr_loads, 2);

	/* No PT_LOAD at all, or only empty ones. */
	synth_init(&s, ET_EXEC);
	s.ph[0] = s.ph[2];
	s.nph = s.eh.e_phnum = 1;
	EXPECT_NOEXEC(&s, "no PT_LOAD segment");
	s.ph[1] = load(PF_R | PF_X, 0, 0x10000, 0, 0);
	s.nph = s.eh.e_phnum = 2;
	EXPECT_NOEXEC(&s, "no PT_LOAD segment");

	/* ELF_MAX_LOADS segments, one page each; then one more. */
	synth_init(&s, ET_EXEC);
	for (i = 0; i < ELF_MAX_LOADS; i++)
		s.ph[i] = load(PF_R | PF_X, 0, 0x10000 + i * 0x2000, 0x100, 0x100);
	s.nph = s.eh.e_phnum = ELF_MAX_LOADS;
	s.eh.e_entry = 0x10080;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.nr_loads, ELF_MAX_LOADS);
	s.ph[ELF_MAX_LOADS] = load(PF_R, 0, 0x10000 + ELF_MAX_LOADS * 0x2000, 0x100, 0x100);
	s.nph = s.eh.e_phnum = ELF_MAX_LOADS + 1;
	EXPECT_NOEXEC(&s, "more than 16 PT_LOAD segments");
}

static void test_synth_limits(void)
{
	struct synth s;

	synth_init(&s, ET_EXEC);
	s.info.min_vaddr = 0x11000;
	EXPECT_NOEXEC(&s, "PT_LOAD below the lowest user address");
	/* Page 0 and the NULL guard area. */
	synth_init(&s, ET_EXEC);
	s.ph[0].p_vaddr = 0;
	s.eh.e_entry = 0x100;
	EXPECT_NOEXEC(&s, "PT_LOAD below the lowest user address");
	synth_init(&s, ET_EXEC);
	s.ph[0].p_vaddr = 0x800;
	s.ph[0].p_offset = 0x800;
	s.ph[0].p_filesz = s.ph[0].p_memsz = 0x800;
	s.eh.e_entry = 0x900;
	EXPECT_NOEXEC(&s, "PT_LOAD below the lowest user address");
	/* Linux's mmap_min_addr: a program linked at 0x1000 loads. */
	synth_init(&s, ET_EXEC);
	s.ph[0].p_vaddr = 0x1000;
	s.eh.e_entry = 0x1100;
	EXPECT_OK(&s);
	/* The first byte may sit anywhere in the lowest allowed page. */
	synth_init(&s, ET_EXEC);
	s.ph[0].p_vaddr = 0x10040;
	s.ph[0].p_offset = 0x40;
	s.ph[0].p_filesz = s.ph[0].p_memsz = 0xfc0;
	EXPECT_OK(&s);

	synth_init(&s, ET_EXEC);
	s.info.max_vaddr = 0x14000; /* bss ends at 0x15000 */
	EXPECT_NOEXEC(&s, "PT_LOAD above the user address limit");
	s.info.max_vaddr = 0x15000;
	EXPECT_OK(&s);
	synth_init(&s, ET_EXEC);
	s.ph[1].p_vaddr = MAX_VADDR;
	EXPECT_NOEXEC(&s, "PT_LOAD above the user address limit");
	s.ph[1].p_vaddr = MAX_VADDR - 0x3000;
	EXPECT_OK(&s);
	s.ph[1].p_memsz = 0x3001;
	EXPECT_NOEXEC(&s, "PT_LOAD above the user address limit");

	/* Unusable inputs are the caller's bug: -EINVAL. */
	synth_init(&s, ET_EXEC);
	s.info.min_vaddr = 0;
	CHECK_EQ(synth_run(&s, &(const char *){ NULL }), -EINVAL);
	synth_init(&s, ET_EXEC);
	s.info.max_vaddr = s.info.min_vaddr;
	CHECK_EQ(synth_run(&s, &(const char *){ NULL }), -EINVAL);
	synth_init(&s, ET_EXEC);
	s.info.max_vaddr = MAX_VADDR + 1;
	CHECK_EQ(synth_run(&s, &(const char *){ NULL }), -EINVAL);
	synth_init(&s, ET_EXEC);
	s.info.min_vaddr = 0x10001;
	CHECK_EQ(synth_run(&s, &(const char *){ NULL }), -EINVAL);
}

static void test_synth_entry(void)
{
	struct synth s;

	synth_init(&s, ET_EXEC);
	s.eh.e_entry = 0x12000; /* the data segment */
	EXPECT_NOEXEC(&s, "e_entry is not inside an executable PT_LOAD");
	s.eh.e_entry = 0x11000; /* just past the text */
	EXPECT_NOEXEC(&s, "e_entry is not inside an executable PT_LOAD");
	s.eh.e_entry = 0xfffe;
	EXPECT_NOEXEC(&s, "e_entry is not inside an executable PT_LOAD");
	s.eh.e_entry = 0;
	EXPECT_NOEXEC(&s, "e_entry is not inside an executable PT_LOAD");
	s.eh.e_entry = 0x10ffe; /* the last instruction slot */
	EXPECT_OK(&s);
	/* Readable but not executable text. */
	synth_init(&s, ET_EXEC);
	s.ph[0].p_flags = PF_R;
	EXPECT_NOEXEC(&s, "e_entry is not inside an executable PT_LOAD");
	/* Executable data: the entry may be there. */
	synth_init(&s, ET_EXEC);
	s.ph[1].p_flags = PF_R | PF_W | PF_X;
	s.eh.e_entry = 0x12400;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load[1].prot, ELF_PROT_READ | ELF_PROT_WRITE | ELF_PROT_EXEC);
}

#define INTERP_WHY "PT_INTERP p_filesz or p_offset out of range"

static void test_synth_interp(void)
{
	struct synth s;

	synth_init(&s, ET_DYN);
	s.ph[2] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R,
				 .p_offset = 0x200, .p_vaddr = 0x200,
				 .p_filesz = 0x1b, .p_memsz = 0x1b, .p_align = 1 };
	EXPECT_OK(&s);
	CHECK_EQ(s.info.interp_offset, 0x200);
	CHECK_EQ(s.info.interp_len, 0x1b);
	/* Linux's bounds: 2 bytes to PATH_MAX, inside the file. */
	s.ph[2].p_filesz = 1;
	EXPECT_NOEXEC(&s, INTERP_WHY);
	s.ph[2].p_filesz = ELF_INTERP_MAX + 1;
	EXPECT_NOEXEC(&s, INTERP_WHY);
	s.ph[2].p_filesz = 0x1b;
	s.ph[2].p_offset = ~0ULL - 4;
	EXPECT_NOEXEC(&s, INTERP_WHY);
	synth_init(&s, ET_EXEC);
	EXPECT_OK(&s);
	CHECK_EQ(s.info.interp_len, 0);
	/* PT_DYNAMIC alone is a static-pie's: fine. */
	synth_init(&s, ET_DYN);
	s.ph[2] = (Elf64_Phdr){ .p_type = PT_DYNAMIC, .p_flags = PF_R | PF_W,
				 .p_offset = 0x1000, .p_vaddr = 0x2000,
				 .p_filesz = 0x100, .p_memsz = 0x100, .p_align = 8 };
	EXPECT_OK(&s);
}

static void test_synth_phdr(void)
{
	struct synth s;

	/* PT_PHDR wins over the computed place. */
	synth_init(&s, ET_EXEC);
	s.ph[3] = s.ph[2];
	s.ph[2] = s.ph[1];
	s.ph[1] = s.ph[0];
	s.ph[0] = (Elf64_Phdr){ .p_type = PT_PHDR, .p_flags = PF_R,
				 .p_offset = 64, .p_vaddr = 0x10040,
				 .p_filesz = 4 * 56, .p_memsz = 4 * 56, .p_align = 8 };
	s.nph = s.eh.e_phnum = 4;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.phdr_vaddr, 0x10040);
	CHECK_EQ(s.info.phnum, 4);
	/* Pointing into the bss, or nowhere: userspace would read junk. */
	s.ph[0].p_vaddr = 0x12800;
	EXPECT_NOEXEC(&s, "PT_PHDR is not inside a PT_LOAD's file data");
	s.ph[0].p_vaddr = 0x127f0; /* straddles the end of the file data */
	EXPECT_NOEXEC(&s, "PT_PHDR is not inside a PT_LOAD's file data");
	s.ph[0].p_vaddr = 0x90000;
	EXPECT_NOEXEC(&s, "PT_PHDR is not inside a PT_LOAD's file data");
	s.ph[0].p_vaddr = 0x12000; /* inside data's file part */
	EXPECT_OK(&s);
	CHECK_EQ(s.info.phdr_vaddr, 0x12000);

	/* No PT_PHDR and the headers are not in any segment: 0. */
	synth_init(&s, ET_EXEC);
	s.ph[0].p_offset = 0x1000;
	s.ph[0].p_filesz = 0x100;
	s.ph[1].p_offset = 0x1000;
	s.size = 0x2000;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.phdr_vaddr, 0);
	/* Partly covered is not covered. */
	synth_init(&s, ET_EXEC);
	s.ph[0].p_filesz = 64 + 3 * 56 - 1;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.phdr_vaddr, 0);
	s.ph[0].p_filesz = 64 + 3 * 56;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.phdr_vaddr, 0x10040);
}

static void test_synth_stack(void)
{
	struct synth s;

	synth_init(&s, ET_EXEC);
	s.ph[2].p_flags = PF_R | PF_W | PF_X;
	EXPECT_OK(&s);
	CHECK(s.info.exec_stack);
	/* No PT_GNU_STACK at all. */
	synth_init(&s, ET_EXEC);
	s.nph = s.eh.e_phnum = 2;
	EXPECT_OK(&s);
	CHECK(!s.info.exec_stack);
}

static void test_synth_dyn(void)
{
	struct synth s;
	u64 start;

	synth_init(&s, ET_DYN);
	EXPECT_OK(&s);
	CHECK_EQ(s.info.type, ET_DYN);
	CHECK_EQ(s.info.low_vaddr, 0);
	CHECK_EQ(s.info.entry, 0x100);
	CHECK_EQ(s.info.phdr_vaddr, 0x40);
	/* About 2/3 up, like Linux's ELF_ET_DYN_BASE. */
	CHECK_EQ(s.info.load_bias, ALIGN_DOWN(MAX_VADDR / 3 * 2, PAGE));

	/* A 2 MiB p_align is honoured. */
	synth_init(&s, ET_DYN);
	s.ph[0].p_align = s.ph[1].p_align = 2 << 20;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load_bias % (2 << 20), 0);

	/* Linked high (prelinked): the bias moves it down. */
	synth_init(&s, ET_DYN);
	s.ph[0].p_vaddr = 0x7000000000;
	s.ph[1].p_vaddr = 0x7000002000;
	s.eh.e_entry = 0x7000000100;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load_bias + 0x7000000000, ALIGN_DOWN(MAX_VADDR / 3 * 2, PAGE));

	/* A small range: still 2/3 up, if it fits there. */
	synth_init(&s, ET_DYN);
	s.info.min_vaddr = 0x10000;
	s.info.max_vaddr = 0x20000;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load_bias, 0x15000);
	s.info.max_vaddr = 0x18000; /* 2/3 is 0x10000 and fits exactly */
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load_bias, 0x10000);
	s.info.max_vaddr = 0x17000; /* 2/3 is too high: as high as fits */
	s.ph[1].p_memsz = 0x5000; /* image is 0x7000 */
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load_bias, 0x10000);
	s.info.min_vaddr = 0x1000; /* now 2/3 (0xf000) fits again */
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load_bias, 0xf000);
	/* 2/3 is too low (below min_vaddr): as low as allowed. */
	synth_init(&s, ET_DYN);
	s.info.min_vaddr = 0x100000;
	s.info.max_vaddr = 0x120000;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load_bias, 0x100000);
	/* Exactly fits. */
	synth_init(&s, ET_DYN);
	s.info.max_vaddr = MIN_VADDR + 0x5000;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load_bias, MIN_VADDR);
	/* Does not fit. */
	s.info.max_vaddr = MIN_VADDR + 0x4000;
	EXPECT_NOEXEC(&s, "position-independent image does not fit the user address range");

	/* With a first segment not on an align boundary, the offset stays. */
	synth_init(&s, ET_DYN);
	s.ph[0].p_vaddr = 0x1000;
	s.ph[0].p_offset = 0;
	s.ph[0].p_align = s.ph[1].p_align = 0x10000;
	s.ph[1].p_vaddr = 0x3000;
	s.eh.e_entry = 0x1100;
	s.info.max_vaddr = 0x40000;
	EXPECT_OK(&s);
	CHECK_EQ(s.info.load_bias % 0x10000, 0);
	start = s.info.load_bias + 0x1000;
	CHECK(start >= MIN_VADDR && start + 0x5000 <= 0x40000);

	/* An alignment the range cannot satisfy. */
	synth_init(&s, ET_DYN);
	s.ph[0].p_align = 1ULL << 62;
	EXPECT_NOEXEC(&s, "position-independent image does not fit the user address range");

	/* Larger than the whole range. */
	synth_init(&s, ET_DYN);
	s.ph[1].p_memsz = MAX_VADDR;
	EXPECT_NOEXEC(&s, "position-independent image does not fit the user address range");
	/* ET_DYN is not held to the ET_EXEC limits before the bias. */
	synth_init(&s, ET_DYN);
	s.ph[0].p_vaddr = ~0ULL - 0xfffff;
	s.ph[1].p_vaddr = ~0ULL - 0xfffff + 0x2000;
	s.eh.e_entry = ~0ULL - 0xfffff + 0x100;
	EXPECT_OK(&s);
}

/* Every prefix of a made-up image (whose headers all come first). */
static void test_synth_prefixes(void)
{
	struct synth s, t;
	const char *why, *want;
	size_t len;
	int ret;

	synth_init(&s, ET_EXEC);
	for (len = 0; len <= s.size; len++) {
		t = s;
		t.size = len;
		ret = synth_run(&t, &why);
		if (len < 64)
			want = "truncated ELF header";
		else if (len < 64 + 3 * 56)
			want = "program headers outside the file";
		else if (len < 0x1800)
			want = "PT_LOAD file range outside the file";
		else
			want = NULL;
		CHECK_EQ(ret, want ? -ENOEXEC : 0);
		if (want)
			CHECK_STR(why, want);
		if (htest_case_failed) {
			printf("#   at prefix length %zu\n", len);
			return;
		}
	}
}

/* ---- Real binaries. */

struct file {
	u8 *p;
	size_t size;
};

static bool read_file(const char *path, struct file *f)
{
	FILE *fp = fopen(path, "rb");
	long n;
	bool ok = false;

	f->p = NULL;
	f->size = 0;
	if (!fp)
		return false;
	if (!fseek(fp, 0, SEEK_END) && (n = ftell(fp)) > 0 &&
	    !fseek(fp, 0, SEEK_SET)) {
		f->p = malloc(n);
		f->size = n;
		ok = fread(f->p, 1, n, fp) == (size_t)n;
	}
	fclose(fp);
	return ok;
}

static bool have_tool(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return !system(cmd);
}

static const char start_c[] =
	"char bss[8192];\n"
	"int data = 1;\n"
	"void _start(void) { bss[100] = data; for (;;) ; }\n";

static const char hello_c[] =
	"#include <stdio.h>\n"
	"int main(void) { puts(\"hello\"); return 0; }\n";

/*
 * Build a binary into workdir/name with cc and flags from src; false (and
 * the reason in *skip) if the compiler or its libraries are missing.
 */
static bool build(const char *name, const char *cc, const char *flags,
		  const char *src, struct file *f, const char **skip)
{
	char path[256], cmd[1024];
	FILE *fp;

	if (!have_workdir) {
		*skip = "no temporary directory";
		return false;
	}
	if (!have_tool(cc)) {
		*skip = "compiler not installed";
		return false;
	}
	snprintf(path, sizeof(path), "%s/%s.c", workdir, name);
	fp = fopen(path, "w");
	if (!fp || fputs(src, fp) < 0 || fclose(fp)) {
		*skip = "cannot write the source";
		return false;
	}
	snprintf(cmd, sizeof(cmd), "%s %s -o %s/%s %s >%s/%s.log 2>&1", cc,
		 flags, workdir, name, path, workdir, name);
	if (system(cmd)) {
		*skip = "compiler failed (libc for the target missing?)";
		return false;
	}
	snprintf(path, sizeof(path), "%s/%s", workdir, name);
	if (!read_file(path, f)) {
		*skip = "cannot read the binary";
		return false;
	}
	return true;
}

/* Compare the accepted image with what readelf says about the file. */
static void check_with_readelf(const char *name, const struct elf_info *in)
{
	char cmd[512], line[512];
	unsigned int n = 0;
	FILE *p;

	if (!have_tool("readelf"))
		return;
	snprintf(cmd, sizeof(cmd), "readelf -hlW %s/%s", workdir, name);
	p = popen(cmd, "r");
	if (!p) {
		CHECK(0);
		return;
	}
	while (fgets(line, sizeof(line), p)) {
		unsigned long long off, va, pa, fsz, msz, entry;
		char *s = line;
		u32 prot = 0;
		int used = 0;

		if (sscanf(line, " Entry point address: %llx", &entry) == 1)
			CHECK_EQ(in->entry, entry);
		while (*s == ' ')
			s++;
		if (strncmp(s, "LOAD ", 5))
			continue;
		if (sscanf(s + 5, "%llx %llx %llx %llx %llx%n", &off, &va, &pa,
			   &fsz, &msz, &used) != 5) {
			CHECK(0);
			continue;
		}
		if (!msz)
			continue;
		/* The flags ("R E", "RW ") come before the alignment. */
		for (s += 5 + used; *s && strncmp(s, "0x", 2); s++)
			prot |= *s == 'R' ? ELF_PROT_READ :
				*s == 'W' ? ELF_PROT_WRITE :
				*s == 'E' ? ELF_PROT_EXEC : 0;
		CHECK(n < in->nr_loads);
		if (n < in->nr_loads) {
			CHECK_EQ(in->load[n].offset, off);
			CHECK_EQ(in->load[n].vaddr, va);
			CHECK_EQ(in->load[n].filesz, fsz);
			CHECK_EQ(in->load[n].memsz, msz);
			CHECK_EQ(in->load[n].prot, prot);
		}
		n++;
	}
	pclose(p);
	CHECK_EQ(n, in->nr_loads);
}

/* Build, check it is accepted, compare with readelf; the image in *f. */
static bool accept_built(const char *name, const char *cc, const char *flags,
			 const char *src, u16 type, struct file *f,
			 struct elf_info *info)
{
	const char *why;

	if (!build(name, cc, flags, src, f, &skip_reason)) {
		free(f->p);
		f->p = NULL;
		return false;
	}
	init_info(info);
	CHECK_EQ(check_copy(f->p, f->size, info, &why), 0);
	if (why)
		printf("#   %s: %s\n", name, why);
	check_invariants(info, f->size);
	CHECK_EQ(info->type, type);
	check_with_readelf(name, info);
	return true;
}

static struct file bin_elf, bin_linux, bin_pie, bin_glibc;

/* riscv64-unknown-elf-gcc, the kernel's compiler: ET_EXEC at 0x10000. */
static void test_accept_unknown_elf_static(void)
{
	struct elf_info in;

	if (!accept_built("unknown_elf_static", "riscv64-unknown-elf-gcc",
			  "-nostdlib -static", start_c, ET_EXEC, &bin_elf, &in))
		return;
	CHECK_EQ(in.load_bias, 0);
	CHECK_EQ(in.nr_loads, 2);
	CHECK_EQ(in.low_vaddr, 0x10000);
	CHECK_EQ(in.phdr_vaddr, 0x10000 + 64); /* text maps the file from 0 */
	CHECK_EQ(in.load[0].prot, ELF_PROT_READ | ELF_PROT_EXEC);
	CHECK_EQ(in.load[1].prot, ELF_PROT_READ | ELF_PROT_WRITE);
	CHECK(in.load[1].memsz >= 8192); /* bss[] */
	CHECK(!in.exec_stack);
}

/* riscv64-linux-gnu-gcc -nostdlib -static: ET_EXEC with PT_GNU_STACK. */
static void test_accept_linux_static(void)
{
	struct elf_info in;

	if (!accept_built("linux_static", "riscv64-linux-gnu-gcc",
			  "-nostdlib -static", start_c, ET_EXEC, &bin_linux, &in))
		return;
	CHECK(!in.exec_stack);
	CHECK_EQ(in.load_bias, 0);
}

/*
 * Debian's GCC 12 for riscv64 still passes -dynamic-linker with -static-pie
 * (so the output has a PT_INTERP): --no-dynamic-linker makes a real one.
 */
static void test_accept_linux_static_pie(void)
{
	struct elf_info in;

	if (!accept_built("linux_static_pie", "riscv64-linux-gnu-gcc",
			  "-nostdlib -static-pie -Wl,--no-dynamic-linker",
			  start_c, ET_DYN, &bin_pie, &in))
		return;
	CHECK_EQ(in.low_vaddr, 0);
	CHECK(in.load_bias >= MIN_VADDR);
	CHECK_EQ(in.phdr_vaddr, 64);
}

/* A real glibc static binary: PT_TLS, PT_GNU_RELRO, notes, attributes. */
static void test_accept_glibc_static(void)
{
	struct elf_info in;

	if (accept_built("glibc_static", "riscv64-linux-gnu-gcc", "-static",
			 hello_c, ET_EXEC, &bin_glibc, &in))
		CHECK_EQ(in.phdr_vaddr, in.load[0].vaddr + 64);
}

/* A dynamically linked glibc PIE: its PT_INTERP names ld.so. */
static void test_accept_glibc_dynamic(void)
{
	static const char want[] = "/lib/ld-linux-riscv64-lp64d.so.1";
	struct file f = { 0 };
	struct elf_info in;

	if (accept_built("glibc_dynamic", "riscv64-linux-gnu-gcc", "", hello_c,
			 ET_DYN, &f, &in)) {
		CHECK_EQ(in.interp_len, sizeof(want));
		CHECK(in.interp_offset + in.interp_len <= f.size &&
		      !memcmp(f.p + in.interp_offset, want, sizeof(want)));
	}
	free(f.p);
}

/* The host's own /bin/true (x86-64 here). */
static void test_reject_host_binary(void)
{
	struct elf_info in;
	struct file f;
	const char *why;

	if (!read_file("/bin/true", &f) || f.size < 20 ||
	    (f.p[18] | f.p[19] << 8) == EM_RISCV) {
		free(f.p);
		skip_reason = "/bin/true is missing or a RISC-V binary";
		return;
	}
	init_info(&in);
	CHECK_EQ(check_copy(f.p, f.size, &in, &why), -ENOEXEC);
	CHECK_STR(why, "not RISC-V (e_machine is not EM_RISCV)");
	free(f.p);
}

static void get_eh(const struct file *f, Elf64_Ehdr *eh)
{
	memcpy(eh, f->p, sizeof(*eh));
}

static void get_ph(const struct file *f, unsigned int i, Elf64_Phdr *ph)
{
	Elf64_Ehdr eh;

	get_eh(f, &eh);
	memcpy(ph, f->p + eh.e_phoff + i * sizeof(*ph), sizeof(*ph));
}

static void put_ph(struct file *f, unsigned int i, const Elf64_Phdr *ph)
{
	Elf64_Ehdr eh;

	get_eh(f, &eh);
	memcpy(f->p + eh.e_phoff + i * sizeof(*ph), ph, sizeof(*ph));
}

/* Index of the n-th PT_LOAD's program header. */
static int load_index(const struct file *f, int n)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i;

	get_eh(f, &eh);
	for (i = 0; i < eh.e_phnum; i++) {
		get_ph(f, i, &ph);
		if (ph.p_type == PT_LOAD && !n--)
			return i;
	}
	return -1;
}

static void expect_file(const struct file *f, struct elf_info *in,
			const char *want, int line)
{
	const char *why;
	int ret = check_copy(f->p, f->size, in, &why);

	if (ret != -ENOEXEC || !why || strcmp(why, want)) {
		printf("#   line %d: got %d \"%s\", expected \"%s\"\n", line, ret,
		       why ? why : "(null)", want);
		htest_case_failed = 1;
	}
}

#define EXPECT_FILE(f, w) \
	do { init_info(&in); expect_file((f), &in, (w), __LINE__); } while (0)

/* Hand-mutated copies of the riscv64-unknown-elf-gcc binary. */
static void test_mutated_real(void)
{
	struct file f;
	struct elf_info in;
	Elf64_Ehdr eh;
	Elf64_Phdr text, data;
	int ti, di;

	if (!bin_elf.p) {
		skip_reason = "riscv64-unknown-elf-gcc built no binary";
		return;
	}
	f.size = bin_elf.size;
	f.p = malloc(f.size);
#define RESET() memcpy(f.p, bin_elf.p, f.size)
	RESET();
	ti = load_index(&f, 0);
	di = load_index(&f, 1);
	if (ti < 0 || di < 0) {
		CHECK(ti >= 0 && di >= 0);
		free(f.p);
		return;
	}
	get_ph(&f, ti, &text);
	get_ph(&f, di, &data);
	get_eh(&f, &eh);

	f.p[EI_CLASS] = ELFCLASS32;
	EXPECT_FILE(&f, "not a 64-bit ELF (EI_CLASS is not ELFCLASS64)");
	RESET();
	f.p[18] = EM_X86_64;
	f.p[19] = 0;
	EXPECT_FILE(&f, "not RISC-V (e_machine is not EM_RISCV)");
	RESET();
	{
		struct file t = { f.p, 40 };

		EXPECT_FILE(&t, "truncated ELF header");
		t.size = eh.e_phoff + 10;
		EXPECT_FILE(&t, "program headers outside the file");
	}
	{
		Elf64_Ehdr m = eh;

		m.e_phoff = f.size - 8;
		memcpy(f.p, &m, sizeof(m));
		EXPECT_FILE(&f, "program headers outside the file");
		RESET();
		m = eh;
		m.e_entry = data.p_vaddr & ~1ULL;
		memcpy(f.p, &m, sizeof(m));
		EXPECT_FILE(&f, "e_entry is not inside an executable PT_LOAD");
		m.e_entry = (text.p_vaddr + text.p_memsz + 2) & ~1ULL;
		memcpy(f.p, &m, sizeof(m));
		EXPECT_FILE(&f, "e_entry is not inside an executable PT_LOAD");
		RESET();
	}
	{
		Elf64_Phdr m = data;

		m.p_filesz = m.p_memsz + 1;
		put_ph(&f, di, &m);
		EXPECT_FILE(&f, "PT_LOAD p_filesz larger than p_memsz");
		RESET();
		/* The data moved onto the text's page. */
		m = data;
		m.p_vaddr = text.p_vaddr + (data.p_vaddr & (PAGE - 1));
		put_ph(&f, di, &m);
		EXPECT_FILE(&f, "PT_LOAD segments overlap (after page rounding)");
		RESET();
		m = data;
		m.p_vaddr = MAX_VADDR + (data.p_vaddr & (PAGE - 1));
		put_ph(&f, di, &m);
		EXPECT_FILE(&f, "PT_LOAD above the user address limit");
		RESET();
		/* Or the limit moved below the data. */
		init_info(&in);
		in.max_vaddr = ALIGN_UP(text.p_vaddr + text.p_memsz, PAGE);
		expect_file(&f, &in, "PT_LOAD above the user address limit",
			    __LINE__);
		/* PT_INTERP in place of the data segment. */
		m = data;
		m.p_type = PT_INTERP;
		m.p_filesz = ELF_INTERP_MAX + 1;
		put_ph(&f, di, &m);
		EXPECT_FILE(&f, INTERP_WHY);
		RESET();
		m = text;
		m.p_offset = f.size;
		put_ph(&f, ti, &m);
		EXPECT_FILE(&f, "PT_LOAD file range outside the file");
		RESET();
	}
	free(f.p);
#undef RESET
}

/*
 * Every prefix of a real image: header, program headers, then segments
 * must be complete; the sections after them are not needed.
 */
static void check_prefixes(const struct file *f, size_t step)
{
	struct elf_info in;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	size_t len, phend, loadend = 0;
	const char *why, *want;
	int i, ret;

	get_eh(f, &eh);
	phend = eh.e_phoff + eh.e_phnum * sizeof(ph);
	for (i = 0; i < eh.e_phnum; i++) {
		get_ph(f, i, &ph);
		if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > loadend)
			loadend = ph.p_offset + ph.p_filesz;
	}
	for (len = 0; len <= f->size; len++) {
		/* Big files: every byte near the boundaries, a sample elsewhere. */
		if (step > 1 && len > phend + 64 && len % step &&
		    (len + 2 < loadend || len > loadend + 2) && len != f->size)
			continue;
		init_info(&in);
		ret = check_copy(f->p, len, &in, &why);
		if (len < sizeof(eh))
			want = "truncated ELF header";
		else if (len < phend)
			want = "program headers outside the file";
		else if (len < loadend)
			want = "PT_LOAD file range outside the file";
		else
			want = NULL;
		CHECK_EQ(ret, want ? -ENOEXEC : 0);
		if (want)
			CHECK_STR(why, want);
		if (htest_case_failed) {
			printf("#   at prefix length %zu of %zu\n", len, f->size);
			return;
		}
	}
}

static void test_prefixes_real(void)
{
	if (!bin_elf.p) {
		skip_reason = "riscv64-unknown-elf-gcc built no binary";
		return;
	}
	check_prefixes(&bin_elf, 1);
	if (bin_pie.p)
		check_prefixes(&bin_pie, 1);
	if (bin_glibc.p)
		check_prefixes(&bin_glibc, 509);
}

/* Deterministic random corruption of the headers of a real binary. */
static void test_random_mutation(void)
{
	static const u64 vals[] = { 0, 1, 2, 0x1000, 0x10000, 0x7fffffff,
				    0xffffffff, 1ULL << 38, ~0ULL, ~0ULL - 0xfff };
	const struct file *src = bin_linux.p ? &bin_linux : &bin_elf;
	struct elf_info in;
	Elf64_Ehdr eh;
	size_t hdr_len;
	u32 seed = 42;
	int iter, accepted = 0;
	u8 *b;

	if (!src->p) {
		skip_reason = "no RISC-V compiler built a binary";
		return;
	}
	get_eh(src, &eh);
	hdr_len = eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr);
	b = malloc(src->size);
	for (iter = 0; iter < 30000; iter++) {
		const char *why;
		int k, ret;

		memcpy(b, src->p, src->size);
		for (k = 0; k <= iter % 3; k++) {
			size_t pos;

			seed = seed * 1103515245 + 12345;
			pos = (seed >> 8) % hdr_len;
			if (seed & 0x80000000) {
				u64 v = vals[(seed >> 4) % ARRAY_SIZE(vals)];

				/* An interesting value over an 8-aligned field. */
				pos &= ~7UL;
				if (pos + 8 <= hdr_len)
					memcpy(b + pos, &v, 8);
			} else {
				b[pos] ^= 1u << ((seed >> 4) & 7);
			}
		}
		init_info(&in);
		ret = check_copy(b, src->size, &in, &why);
		CHECK(ret == 0 || ret == -ENOEXEC);
		if (ret)
			CHECK(why != NULL);
		else {
			accepted++;
			check_invariants(&in, src->size);
		}
		if (htest_case_failed) {
			printf("#   iteration %d: %s\n", iter, why);
			break;
		}
	}
	/* Some changes (p_paddr, e_shoff...) are harmless. */
	CHECK(accepted > 0);
	free(b);
}

int main(void)
{
	have_workdir = mkdtemp(workdir) != NULL;

	RUN(test_synth_valid);
	RUN(test_synth_avail);
	RUN(test_synth_ident);
	RUN(test_synth_header);
	RUN(test_synth_loads);
	RUN(test_synth_layout);
	RUN(test_synth_limits);
	RUN(test_synth_entry);
	RUN(test_synth_interp);
	RUN(test_synth_phdr);
	RUN(test_synth_stack);
	RUN(test_synth_dyn);
	RUN(test_synth_prefixes);
	RUN(test_accept_unknown_elf_static);
	RUN(test_accept_linux_static);
	RUN(test_accept_linux_static_pie);
	RUN(test_accept_glibc_static);
	RUN(test_accept_glibc_dynamic);
	RUN(test_reject_host_binary);
	RUN(test_mutated_real);
	RUN(test_prefixes_real);
	RUN(test_random_mutation);
	free(bin_elf.p);
	free(bin_linux.p);
	free(bin_pie.p);
	free(bin_glibc.p);
	if (have_workdir) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
		if (system(cmd))
			printf("# could not remove %s\n", workdir);
	}
	return htest_done();
}
