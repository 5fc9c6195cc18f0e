/* SPDX-License-Identifier: BSD-2-Clause */
/* The initramfs embedded in the kernel image (CONFIG_INITRAMFS_SOURCE). */
	.section .rodata.initramfs, "a"
#ifdef INITRAMFS_IMAGE
	/* PAGE_SIZE: its files' pages become RAM file system pages (install_data()). */
	.balign	4096
#endif
	.globl	__initramfs_start
__initramfs_start:
#ifdef INITRAMFS_IMAGE
	.incbin	INITRAMFS_IMAGE
#endif
	.globl	__initramfs_end
__initramfs_end:
