/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF64 executable validation for execve: nothing is mapped before every check passes. */
#include <hartix/compiler.h>
#include <hartix/elf.h>
#include <hartix/errno.h>
#include <hartix/string.h>

BUILD_BUG_ON(sizeof(Elf64_Ehdr) != 64);
BUILD_BUG_ON(sizeof(Elf64_Phdr) != 56);
/* Headers are copied out and read in host order, which must be the file's. */
BUILD_BUG_ON(__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__);

#define U64_MAX		(~(u64)0)
/* The highest end address that still rounds up to a page without wrapping. */
#define ELF_END_MAX	(U64_MAX - ELF_PAGE_SIZE + 1)

static int noexec(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -ENOEXEC;
}

static bool is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

static u64 page_down(u64 x)
{
	return ALIGN_DOWN(x, ELF_PAGE_SIZE);
}

/* Only for x <= ELF_END_MAX, which every checked end address is. */
static u64 page_up(u64 x)
{
	return ALIGN_UP(x, ELF_PAGE_SIZE);
}

static u32 prot_of(u32 p_flags)
{
	return (p_flags & PF_R ? ELF_PROT_READ : 0) |
	       (p_flags & PF_W ? ELF_PROT_WRITE : 0) |
	       (p_flags & PF_X ? ELF_PROT_EXEC : 0);
}

/* The ELF header: identification, then what makes it a RISC-V executable. */
static int check_ehdr(const u8 *p, size_t size, size_t avail,
		      Elf64_Ehdr *eh, const char **why)
{
	if (memcmp(p, ELFMAG, min(avail, (size_t)SELFMAG)))
		return noexec(why, "not an ELF file (bad magic)");
	if (avail < sizeof(*eh))
		return noexec(why, "truncated ELF header");
	/* The image may be only byte-aligned (e.g. inside a cpio archive). */
	memcpy(eh, p, sizeof(*eh));

	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return noexec(why, "not a 64-bit ELF (EI_CLASS is not ELFCLASS64)");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return noexec(why,
			      "not little-endian (EI_DATA is not ELFDATA2LSB)");
	if (eh->e_ident[EI_VERSION] != EV_CURRENT)
		return noexec(why, "unknown ELF version (EI_VERSION is not 1)");
	if (eh->e_version != EV_CURRENT)
		return noexec(why, "unknown ELF version (e_version is not 1)");
	if (eh->e_machine != EM_RISCV)
		return noexec(why, "not RISC-V (e_machine is not EM_RISCV)");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return noexec(why,
			      "not an executable (e_type is not ET_EXEC or ET_DYN)");
	if (eh->e_ehsize != sizeof(Elf64_Ehdr))
		return noexec(why, "e_ehsize is not the size of Elf64_Ehdr");
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return noexec(why, "e_phentsize is not the size of Elf64_Phdr");
	if (!eh->e_phnum)
		return noexec(why, "no program headers (e_phnum is 0)");
	if (eh->e_phnum == PN_XNUM)
		return noexec(why,
			      "extended program header numbering (PN_XNUM) is not supported");
	/* e_phnum * 56 < 2^22: only the addition can overflow. */
	if (eh->e_phoff > size ||
	    (u64)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
		return noexec(why, "program headers outside the file");
	if (eh->e_phoff > avail ||
	    (u64)eh->e_phnum * sizeof(Elf64_Phdr) > avail - eh->e_phoff)
		return noexec(why, "program headers too far into the file");
	/* Odd addresses are never instructions: fail here, not with a trap. */
	if (eh->e_entry & 1)
		return noexec(why, "e_entry is misaligned");
	return 0;
}

/* What a single PT_LOAD must satisfy, whatever the others are. */
static int check_load(const Elf64_Phdr *ph, size_t size, const char **why)
{
	if (ph->p_filesz > ph->p_memsz)
		return noexec(why, "PT_LOAD p_filesz larger than p_memsz");
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return noexec(why, "PT_LOAD file range outside the file");
	if (ph->p_vaddr > ELF_END_MAX || ph->p_memsz > ELF_END_MAX - ph->p_vaddr)
		return noexec(why, "PT_LOAD address range wraps around");
	if (ph->p_align > 1 && !is_pow2(ph->p_align))
		return noexec(why, "PT_LOAD p_align is not a power of two");
	/*
	 * File pages are mapped (or copied) whole, so the byte at p_offset
	 * must land at p_vaddr's place in its page; a segment with nothing
	 * from the file has nothing to line up.
	 */
	if (ph->p_filesz && (ph->p_vaddr - ph->p_offset) % ELF_PAGE_SIZE)
		return noexec(why,
			      "PT_LOAD p_vaddr and p_offset are not congruent modulo the page size");
	return 0;
}

/* Where the program headers are in memory, for AT_PHDR. */
static int find_phdr(const Elf64_Ehdr *eh, const Elf64_Phdr *pt_phdr,
		     struct elf_info *info, const char **why)
{
	u64 len = (u64)eh->e_phnum * sizeof(Elf64_Phdr);
	unsigned int i;

	for (i = 0; i < info->nr_loads; i++) {
		const struct elf_segment *s = &info->load[i];

		if (pt_phdr) {
			/* Userspace reads them there: they must be file data. */
			if (pt_phdr->p_vaddr >= s->vaddr &&
			    pt_phdr->p_vaddr - s->vaddr <= s->filesz &&
			    len <= s->filesz - (pt_phdr->p_vaddr - s->vaddr)) {
				info->phdr_vaddr = pt_phdr->p_vaddr;
				return 0;
			}
		} else if (eh->e_phoff >= s->offset &&
			   eh->e_phoff - s->offset <= s->filesz &&
			   len <= s->filesz - (eh->e_phoff - s->offset)) {
			info->phdr_vaddr = s->vaddr + (eh->e_phoff - s->offset);
			return 0;
		}
	}
	if (pt_phdr)
		return noexec(why, "PT_PHDR is not inside a PT_LOAD's file data");
	/* Like Linux: a program that never looks at AT_PHDR still runs. */
	info->phdr_vaddr = 0;
	return 0;
}

/*
 * A static-pie's bias: a multiple of align that puts the image near 2/3 of
 * the range (Linux's ELF_ET_DYN_BASE), moved up or down as little as it
 * takes to fit. Arithmetic is modulo 2^64: an image linked above the range
 * gets a "negative" bias.
 */
static int place_dyn(struct elf_info *info, u64 align, const char **why)
{
	u64 base = ALIGN_DOWN(info->low_vaddr, align);
	u64 start = page_down(info->low_vaddr);
	u64 span = page_up(info->high_vaddr) - start;
	/* base + bias (a multiple of align) plus r is where the image starts. */
	u64 r = start - base;
	u64 lo, hi, at;

	if (span > info->max_vaddr - info->min_vaddr ||
	    r > info->max_vaddr - span)
		goto nofit;
	hi = ALIGN_DOWN(info->max_vaddr - span - r, align);
	lo = info->min_vaddr > r ? info->min_vaddr - r : 0;
	if (!IS_ALIGNED(lo, align)) {
		if (lo > U64_MAX - align)
			goto nofit;
		lo = ALIGN_UP(lo, align);
	}
	if (lo > hi)
		goto nofit;
	at = ALIGN_DOWN(info->max_vaddr / 3 * 2, align);
	at = min(max(at, lo), hi);
	info->load_bias = at - base;
	return 0;
nofit:
	return noexec(why,
		      "position-independent image does not fit the user address range");
}

int elf_check(const void *image, size_t size, struct elf_info *info,
	      const char **why)
{
	const u8 *p = image;
	Elf64_Phdr ph, pt_phdr = { .p_type = PT_NULL };
	Elf64_Ehdr eh;
	u64 align = ELF_PAGE_SIZE;
	unsigned int i;
	int ret;

	if (!info->min_vaddr || info->min_vaddr >= info->max_vaddr ||
	    info->min_vaddr % ELF_PAGE_SIZE || info->max_vaddr % ELF_PAGE_SIZE) {
		if (why)
			*why = "elf_info min_vaddr/max_vaddr unset or not page-aligned";
		return -EINVAL;
	}
	ret = check_ehdr(p, size, info->avail && info->avail < size ?
			 info->avail : size, &eh, why);
	if (ret)
		return ret;

	info->type = eh.e_type;
	info->flags = eh.e_flags;
	info->entry = eh.e_entry;
	info->phnum = eh.e_phnum;
	info->phent = eh.e_phentsize;
	info->load_bias = 0;
	info->exec_stack = false;
	info->interp_offset = info->interp_len = 0;
	info->nr_loads = 0;

	for (i = 0; i < eh.e_phnum; i++) {
		struct elf_segment *s, *prev;

		memcpy(&ph, p + eh.e_phoff + (u64)i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_INTERP:
			/* Linux's limits; the first one counts. */
			if (info->interp_len)
				continue;
			if (ph.p_filesz < 2 || ph.p_filesz > ELF_INTERP_MAX ||
			    ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
				return noexec(why, "PT_INTERP p_filesz or p_offset out of range");
			info->interp_offset = ph.p_offset;
			info->interp_len = ph.p_filesz;
			continue;
		case PT_GNU_STACK:
			info->exec_stack = ph.p_flags & PF_X;
			continue;
		case PT_PHDR:
			if (pt_phdr.p_type == PT_NULL)
				pt_phdr = ph;
			continue;
		case PT_LOAD:
			break;
		default:
			continue;
		}

		ret = check_load(&ph, size, why);
		if (ret)
			return ret;
		/* Occupies no address: nothing to map, nothing to collide with. */
		if (!ph.p_memsz)
			continue;
		if (eh.e_type == ET_EXEC) {
			if (page_down(ph.p_vaddr) < info->min_vaddr)
				return noexec(why,
					      "PT_LOAD below the lowest user address");
			if (ph.p_vaddr + ph.p_memsz > info->max_vaddr)
				return noexec(why,
					      "PT_LOAD above the user address limit");
		}
		if (info->nr_loads == ELF_MAX_LOADS)
			return noexec(why, "more than "
				      __stringify(ELF_MAX_LOADS) " PT_LOAD segments");
		if (info->nr_loads) {
			prev = &info->load[info->nr_loads - 1];
			if (ph.p_vaddr < prev->vaddr)
				return noexec(why,
					      "PT_LOAD segments not sorted by p_vaddr");
			/* Two segments cannot share a page with different contents. */
			if (page_down(ph.p_vaddr) < page_up(prev->vaddr + prev->memsz))
				return noexec(why,
					      "PT_LOAD segments overlap (after page rounding)");
		}
		if (ph.p_align > align)
			align = ph.p_align;
		s = &info->load[info->nr_loads++];
		s->vaddr = ph.p_vaddr;
		s->memsz = ph.p_memsz;
		s->filesz = ph.p_filesz;
		s->offset = ph.p_offset;
		s->prot = prot_of(ph.p_flags);
	}
	if (!info->nr_loads)
		return noexec(why, "no PT_LOAD segment");
	info->align = align;
	info->low_vaddr = info->load[0].vaddr;
	info->high_vaddr = info->load[info->nr_loads - 1].vaddr +
			   info->load[info->nr_loads - 1].memsz;

	for (i = 0; i < info->nr_loads; i++) {
		const struct elf_segment *s = &info->load[i];

		if (s->prot & ELF_PROT_EXEC && eh.e_entry >= s->vaddr &&
		    eh.e_entry - s->vaddr < s->memsz)
			break;
	}
	if (i == info->nr_loads)
		return noexec(why, "e_entry is not inside an executable PT_LOAD");

	ret = find_phdr(&eh, pt_phdr.p_type == PT_PHDR ? &pt_phdr : NULL, info,
			why);
	if (ret)
		return ret;
	if (eh.e_type == ET_DYN)
		return place_dyn(info, align, why);
	return 0;
}
