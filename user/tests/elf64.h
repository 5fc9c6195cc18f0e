/* SPDX-License-Identifier: BSD-2-Clause */
/* The ELF64 file and program headers as a little-endian riscv64 file has them, for tests that build or mutate ELF files. */
#ifndef ELF64_H
#define ELF64_H

struct elf64_ehdr {
	unsigned char ident[16];
	unsigned short type, machine;
	unsigned int version;
	unsigned long entry, phoff, shoff;
	unsigned int flags;
	unsigned short ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	unsigned int type, flags;
	unsigned long offset, vaddr, paddr, filesz, memsz, align;
};

#endif
