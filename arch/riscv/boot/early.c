/* SPDX-License-Identifier: BSD-2-Clause */
/* Before the MMU is on: the boot seed, the stack canary, and KASLR's choice of base and relocation. */
#include <hartix/compiler.h>
#include <hartix/kaslr.h>
#include <asm/csr.h>
#include <asm/page.h>

/*
 * Runs at the physical load address with the MMU off, like early_vm.c:
 * PC-relative addressing only, no jump tables, no calls to other files.
 * Pointers computed here are physical and must not be kept.
 */

/* Set once here, before any other C code runs; read-only afterwards. */
unsigned long kaslr_offset_value;
int kaslr_seed_source;

#ifdef CONFIG_STACKPROTECTOR
extern unsigned long __stack_chk_guard;
#endif

extern char _start[], _end[];
extern const u32 __kaslr_relocs_start[], __kaslr_relocs_end[];

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

/* What the device tree says that matters this early. */
struct early_fdt {
	const u8 *kaslr_seed; /* /chosen/kaslr-seed, 8 bytes, or NULL */
	const u8 *rng_seed;   /* /chosen/rng-seed */
	u32 rng_seed_len;
	const char *bootargs; /* /chosen/bootargs */
	u32 bootargs_len;
	int harts_with_zkr, harts;
};

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* Whether the space-separated words of s[0..len) include word. */
static bool has_word(const char *s, u32 len, const char *word)
{
	u32 i = 0, start, j;

	while (i < len && s[i]) {
		while (i < len && s[i] == ' ')
			i++;
		start = i;
		while (i < len && s[i] && s[i] != ' ')
			i++;
		for (j = 0; start + j < i && word[j] == s[start + j]; j++)
			;
		if (start + j == i && !word[j] && i > start)
			return true;
	}
	return false;
}

/* Whether a riscv,isa string ("rv64imac_zicsr_zkr") names Zkr. */
static bool isa_has_zkr(const char *isa, u32 len)
{
	u32 i;

	for (i = 0; i + 4 <= len; i++)
		if (starts_with(isa + i, "_zkr") &&
		    (i + 4 == len || isa[i + 4] == '_' || !isa[i + 4]))
			return true;
	return false;
}

/* Whether a riscv,isa-extensions string list includes "zkr". */
static bool list_has_zkr(const char *list, u32 len)
{
	u32 i = 0;

	while (i < len) {
		if (str_eq(list + i, "zkr"))
			return true;
		while (i < len && list[i])
			i++;
		i++;
	}
	return false;
}

/*
 * One pass over the structure block. Depth 1 nodes "chosen" and "cpus",
 * depth 2 "cpu@..." under cpus are all that is looked at; a malformed tree
 * ends the scan with what was found so far.
 */
static void scan_fdt(const u8 *fdt, struct early_fdt *info)
{
	u32 off, end, strings, depth = 0;
	bool in_chosen = false, in_cpus = false, in_cpu = false, cpu_zkr = false;

	if (!fdt || be32(fdt) != FDT_MAGIC)
		return;
	off = be32(fdt + 8);
	strings = be32(fdt + 12);
	end = off + be32(fdt + 36);
	while (off + 4 <= end) {
		u32 token = be32(fdt + off);

		off += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)fdt + off;

			depth++;
			if (depth == 2)
				in_chosen = str_eq(name, "chosen"),
				in_cpus = str_eq(name, "cpus");
			else if (depth == 3 && in_cpus && starts_with(name, "cpu@"))
				in_cpu = true, cpu_zkr = false;
			while (fdt[off])
				off++;
			off = (off + 4) & ~3u;
		} else if (token == FDT_END_NODE) {
			if (depth == 3 && in_cpu) {
				info->harts++;
				info->harts_with_zkr += cpu_zkr;
				in_cpu = false;
			}
			if (!depth--)
				return;
		} else if (token == FDT_PROP) {
			u32 len = be32(fdt + off);
			const char *name = (const char *)fdt + strings +
					   be32(fdt + off + 4);
			const u8 *val = fdt + off + 8;

			off = (off + 8 + len + 3) & ~3u;
			if (depth == 2 && in_chosen) {
				if (str_eq(name, "kaslr-seed") && len == 8)
					info->kaslr_seed = val;
				else if (str_eq(name, "rng-seed"))
					info->rng_seed = val, info->rng_seed_len = len;
				else if (str_eq(name, "bootargs"))
					info->bootargs = (const char *)val,
					info->bootargs_len = len;
			} else if (depth == 3 && in_cpu) {
				if (str_eq(name, "riscv,isa"))
					cpu_zkr |= isa_has_zkr((const char *)val, len);
				else if (str_eq(name, "riscv,isa-extensions"))
					cpu_zkr |= list_has_zkr((const char *)val, len);
			}
		} else if (token != FDT_NOP) {
			return; /* FDT_END or garbage */
		}
	}
}

static u64 mix64(u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * One 16-bit sample of the Zkr seed CSR, or -1. The CSR must be read with
 * a read-write instruction; if S-mode access is not allowed (the firmware
 * did not set mseccfg.SSEED) the read traps, and the trap lands on the
 * label after it with the failure flag still set.
 */
static long read_seed_csr(void)
{
	unsigned long val = 0, fail, old;

	__asm__ __volatile__(
		"	li	%[fail], 1\n"
		"	lla	%[old], 1f\n"
		"	csrrw	%[old], stvec, %[old]\n"
		"	csrrw	%[val], 0x015, zero\n"
		"	li	%[fail], 0\n"
		"	.balign	4\n"
		"1:	csrw	stvec, %[old]\n"
		: [val] "+r"(val), [fail] "=&r"(fail), [old] "=&r"(old)
		:
		: "memory");
	if (fail || (val >> 30) != 2) /* OPST must be ES16 */
		return -1;
	return val & 0xffff;
}

static u64 zkr_entropy(void)
{
	u64 e = 0;
	int got = 0, tries;

	for (tries = 0; tries < 64 && got < 4; tries++) {
		long s = read_seed_csr();

		if (s >= 0)
			e = e << 16 | (u64)s, got++;
	}
	return got ? e : 0;
}

static u64 mix_bytes(u64 seed, const u8 *p, u32 len)
{
	u64 w = 0;
	u32 i;

	for (i = 0; i < len; i++) {
		w = w << 8 | p[i];
		if (i % 8 == 7 || i == len - 1)
			seed = mix64(seed ^ w ^ i);
	}
	return seed;
}

static bool nokaslr(const struct early_fdt *info)
{
	static const char builtin[] = CONFIG_CMDLINE;
	bool use_bootargs = !IS_ENABLED(CONFIG_CMDLINE_FORCE);
	bool use_builtin = IS_ENABLED(CONFIG_CMDLINE_FORCE) ||
			   IS_ENABLED(CONFIG_CMDLINE_EXTEND) ||
			   !info->bootargs || !info->bootargs[0];

	return (use_bootargs && info->bootargs &&
		has_word(info->bootargs, info->bootargs_len, "nokaslr")) ||
	       (use_builtin && has_word(builtin, sizeof(builtin), "nokaslr"));
}

/*
 * The base: a 2 MiB slot in the top 2 GiB (so medany code and the 32-bit
 * kallsyms offsets still reach everything), the image inside one 1 GiB
 * page-table entry (early_vm.c maps it with one PMD table) and clear of
 * the last 2 MiB, whose top page holds the ERR_PTR values.
 */
static unsigned long pick_base(u64 seed)
{
	unsigned long size = ALIGN_UP((unsigned long)(_end - _start), PMD_SIZE);
	unsigned long per_pud = (PUD_SIZE - size) / PMD_SIZE + 1;
	unsigned long slot = seed % (2 * per_pud - 1);

	if (slot < per_pud)
		return KERNEL_LINK_ADDR + slot * PMD_SIZE;
	return KERNEL_LINK_ADDR + PUD_SIZE + (slot - per_pud) * PMD_SIZE;
}

/* Moves the image's absolute words (tools/relocs.py lists them) by delta. */
static void relocate(unsigned long delta)
{
	const u32 *r;

	for (r = __kaslr_relocs_start; r < __kaslr_relocs_end; r++)
		*(unsigned long *)(_start + *r) += delta;
}

unsigned long boot_early_init(const u8 *fdt);

/* Returns the kernel's virtual base, for setup_early_vm(). */
unsigned long boot_early_init(const u8 *fdt)
{
	struct early_fdt info = { 0 };
	u64 seed = 0, time = csr_read(CSR_TIME), zkr = 0;

	if (!IS_ENABLED(CONFIG_RANDOMIZE_BASE) &&
	    !IS_ENABLED(CONFIG_STACKPROTECTOR))
		return KERNEL_LINK_ADDR;
	scan_fdt(fdt, &info);
	if (info.harts && info.harts_with_zkr == info.harts)
		zkr = zkr_entropy();
	/* A kaslr-seed alone decides the base: boots with one repeat. */
	if (info.kaslr_seed) {
		seed = mix_bytes(0, info.kaslr_seed, 8);
		kaslr_seed_source = KASLR_SEED_DT_KASLR_SEED;
	} else if (info.rng_seed_len) {
		seed = mix_bytes(0, info.rng_seed, info.rng_seed_len);
		kaslr_seed_source = KASLR_SEED_DT_RNG_SEED;
	} else {
		seed = mix64(time ^ mix64(zkr));
		kaslr_seed_source = zkr ? KASLR_SEED_ZKR : KASLR_SEED_TIME;
	}
#ifdef CONFIG_STACKPROTECTOR
	/* Never reproducible; the zero low byte stops string overflows. */
	__stack_chk_guard = mix64(seed ^ mix64(time + zkr)) & ~0xffUL;
#endif
	if (!IS_ENABLED(CONFIG_RANDOMIZE_BASE))
		return KERNEL_LINK_ADDR;
	if (nokaslr(&info)) {
		kaslr_seed_source = KASLR_DISABLED;
		return KERNEL_LINK_ADDR;
	}
	kaslr_offset_value = pick_base(seed) - KERNEL_LINK_ADDR;
	relocate(kaslr_offset_value);
	return KERNEL_LINK_ADDR + kaslr_offset_value;
}
