/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF64 definitions and the checks execve makes before mapping anything (lib/elf.c). */
#ifndef HARTIX_ELF_H
#define HARTIX_ELF_H

#include <hartix/types.h>

typedef u64 Elf64_Addr;
typedef u64 Elf64_Off;
typedef u16 Elf64_Half;
typedef u32 Elf64_Word;
typedef s32 Elf64_Sword;
typedef u64 Elf64_Xword;
typedef s64 Elf64_Sxword;

/* e_ident[] indices and values. */
#define EI_MAG0		0
#define EI_MAG1		1
#define EI_MAG2		2
#define EI_MAG3		3
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define EI_OSABI	7
#define EI_ABIVERSION	8
#define EI_NIDENT	16

#define ELFMAG		"\177ELF"
#define SELFMAG		4

#define ELFCLASSNONE	0
#define ELFCLASS32	1
#define ELFCLASS64	2

#define ELFDATANONE	0
#define ELFDATA2LSB	1
#define ELFDATA2MSB	2

#define EV_NONE		0
#define EV_CURRENT	1

/* e_type */
#define ET_NONE		0
#define ET_REL		1
#define ET_EXEC		2
#define ET_DYN		3
#define ET_CORE		4

/* e_machine */
#define EM_X86_64	62
#define EM_AARCH64	183
#define EM_RISCV	243

/* e_flags for EM_RISCV: compressed code, float ABI, RV32E/RV64E. */
#define EF_RISCV_RVC			0x0001
#define EF_RISCV_FLOAT_ABI		0x0006
#define EF_RISCV_FLOAT_ABI_SOFT		0x0000
#define EF_RISCV_FLOAT_ABI_SINGLE	0x0002
#define EF_RISCV_FLOAT_ABI_DOUBLE	0x0004
#define EF_RISCV_FLOAT_ABI_QUAD		0x0006
#define EF_RISCV_RVE			0x0008
#define EF_RISCV_TSO			0x0010

/* e_phnum saying the real count is in section header 0's sh_info. */
#define PN_XNUM		0xffff

/* p_type */
#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_SHLIB	5
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_EH_FRAME	0x6474e550
#define PT_GNU_STACK	0x6474e551
#define PT_GNU_RELRO	0x6474e552
#define PT_GNU_PROPERTY	0x6474e553
#define PT_RISCV_ATTRIBUTES 0x70000003

/* p_flags */
#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf64_Half e_type;
	Elf64_Half e_machine;
	Elf64_Word e_version;
	Elf64_Addr e_entry;
	Elf64_Off e_phoff;
	Elf64_Off e_shoff;
	Elf64_Word e_flags;
	Elf64_Half e_ehsize;
	Elf64_Half e_phentsize;
	Elf64_Half e_phnum;
	Elf64_Half e_shentsize;
	Elf64_Half e_shnum;
	Elf64_Half e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	Elf64_Word p_type;
	Elf64_Word p_flags;
	Elf64_Off p_offset;
	Elf64_Addr p_vaddr;
	Elf64_Addr p_paddr;
	Elf64_Xword p_filesz;
	Elf64_Xword p_memsz;
	Elf64_Xword p_align;
} Elf64_Phdr;

/* Page size the file/address congruence and the overlap checks use. */
#define ELF_PAGE_SIZE	4096UL
#define ELF_MAX_LOADS	16
/* PT_INTERP's longest p_filesz, as Linux (PATH_MAX). */
#define ELF_INTERP_MAX	4096

/* The values of PROT_READ, PROT_WRITE and PROT_EXEC (and VM_*). */
#define ELF_PROT_READ	0x1U
#define ELF_PROT_WRITE	0x2U
#define ELF_PROT_EXEC	0x4U

/*
 * A PT_LOAD segment as found in the file (unbiased): map [vaddr, vaddr +
 * memsz) with prot, copy filesz bytes from offset in the file to vaddr and
 * zero the rest. vaddr and offset are congruent modulo ELF_PAGE_SIZE unless
 * filesz is 0. Empty segments (p_memsz 0) are left out.
 */
struct elf_segment {
	u64 vaddr;
	u64 memsz;
	u64 filesz;
	u64 offset;
	u32 prot;	/* ELF_PROT_* */
};

/*
 * Inputs, set by the caller before elf_check(): the user addresses the
 * image may occupy, [min_vaddr, max_vaddr), both multiples of
 * ELF_PAGE_SIZE with min_vaddr > 0 (e.g. USER_MIN_ADDR, and the lowest
 * address kept for the stack and mmap). Outputs are valid only when
 * elf_check() returned 0.
 *
 * Every output address is the file's own (unbiased): add load_bias to
 * entry, phdr_vaddr, low_vaddr, high_vaddr and each load[].vaddr. For
 * ET_EXEC load_bias is 0; for ET_DYN (static-pie) it is a suggestion,
 * a multiple of the largest p_align (at least a page) that puts the image
 * at about 2/3 of max_vaddr, as Linux's ELF_ET_DYN_BASE does, and inside
 * the range. Any other bias of the same alignment that keeps [low_vaddr,
 * high_vaddr) inside the range works too.
 */
struct elf_info {
	/* inputs */
	u64 min_vaddr;
	u64 max_vaddr;
	/*
	 * The bytes of the file the image holds, if fewer than its size
	 * (the rest is read while loading): the program headers must lie in
	 * them. 0: the whole file.
	 */
	size_t avail;
	/* outputs */
	u16 type;		/* ET_EXEC or ET_DYN */
	u32 flags;		/* e_flags (EF_RISCV_*), not checked */
	u64 entry;		/* e_entry: inside an executable segment */
	/*
	 * AT_PHDR: PT_PHDR's p_vaddr, else where the PT_LOAD holding e_phoff
	 * maps it; 0 if no segment loads the headers (a static-pie loading
	 * them at unbiased address 0 reads the same, harmlessly).
	 */
	u64 phdr_vaddr;
	u16 phnum;		/* AT_PHNUM */
	u16 phent;		/* AT_PHENT */
	u64 load_bias;
	u64 align;		/* the largest p_align, at least a page */
	u64 low_vaddr;		/* lowest p_vaddr of a load segment */
	u64 high_vaddr;		/* highest p_vaddr + p_memsz (the brk start) */
	bool exec_stack;	/* PT_GNU_STACK asks for PF_X */
	/*
	 * PT_INTERP: the interpreter's path is interp_len bytes (its NUL
	 * included, 2 to ELF_INTERP_MAX) at interp_offset in the file, which
	 * holds them; interp_len 0: none.
	 */
	u64 interp_offset;
	u64 interp_len;
	unsigned int nr_loads;
	struct elf_segment load[ELF_MAX_LOADS];	/* sorted by vaddr */
};

/*
 * Validate the ELF image of size bytes at image (any alignment) for
 * execve: a RISC-V ELF64 executable whose every load segment lies
 * inside the file and inside info's address range, apart from the others.
 * Returns 0 with the outputs of *info filled in, -ENOEXEC with a static
 * reason in *why if the image cannot be run, or -EINVAL if info's inputs
 * are unusable. Reads only inside [image, image + size).
 */
int elf_check(const void *image, size_t size, struct elf_info *info,
	      const char **why);

#endif
