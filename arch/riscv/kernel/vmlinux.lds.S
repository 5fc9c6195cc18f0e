/* SPDX-License-Identifier: BSD-2-Clause */
/* Linker script: the kernel image layout, from the Image header to _end. */
#include <asm/page.h>

OUTPUT_ARCH(riscv)
ENTRY(_start)

SECTIONS
{
	. = KERNEL_LINK_ADDR;
	.head.text : {
		KEEP(*(.head.text))
	}

	.text : ALIGN(16) {
		_stext = .;
		*(.text .text.*)
		*(.fixup)
		_etext = .;
	}

	. = ALIGN(PAGE_SIZE);
	.rodata : {
		_srodata = .;
		*(.rodata .rodata.* .srodata .srodata.*)
		. = ALIGN(8);
		__drivers_start = .;
		KEEP(*(.drivers))
		__drivers_end = .;
		__virtio_drivers_start = .;
		KEEP(*(.virtio_drivers))
		__virtio_drivers_end = .;
		__initcall_late_start = .;
		KEEP(*(.initcall_late))
		__initcall_late_end = .;
		__filesystems_start = .;
		KEEP(*(.filesystems))
		__filesystems_end = .;
		__chrdevs_start = .;
		KEEP(*(.chrdevs))
		__chrdevs_end = .;
		__kernel_params_start = .;
		KEEP(*(.kernel_params))
		__kernel_params_end = .;
		__kshell_cmds_start = .;
		KEEP(*(.kshell_cmds))
		__kshell_cmds_end = .;
		__ktest_suites_start = .;
		KEEP(*(.ktest_suites))
		__ktest_suites_end = .;
		__start___ex_table = .;
		KEEP(*(__ex_table))
		__stop___ex_table = .;
		__start___bug_table = .;
		KEEP(*(__bug_table))
		__stop___bug_table = .;
		/* Last, so its size never moves the symbols it lists. */
		KEEP(*(.kallsyms))
		_erodata = .;
	}

	. = ALIGN(PAGE_SIZE);
	.data : {
		_sdata = .;
		*(.data .data.* .sdata .sdata.*)
		/*
		 * Where the absolute words are that KASLR moves
		 * (tools/relocs.py). Last, so its size never moves them.
		 */
		. = ALIGN(4);
		__kaslr_relocs_start = .;
		KEEP(*(.kaslr_relocs))
		__kaslr_relocs_end = .;
		_edata = .;
	}

	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.bss..stack)
		*(.bss .bss.* .sbss .sbss.* COMMON)
		. = ALIGN(8);
		__bss_stop = .;
	}

	. = ALIGN(PAGE_SIZE);
	_end = .;
	__image_size = _end - _start;

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .comment .note .note.*)
	}
}
