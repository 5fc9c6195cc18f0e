/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry from SBI firmware: the Linux RISC-V Image header, then the switch to virtual addresses. */
#include <asm/csr.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/sbi.h>

	.section .head.text, "ax"
	.globl _start
_start:
	/*
	 * The 64-byte Image header U-Boot's booti checks (Linux
	 * Documentation/arch/riscv/boot-image-header.rst). code0 must be a
	 * 4-byte jump, so no compressed instructions here.
	 */
	.option push
	.option norvc
	j	_start_kernel		/* code0 */
	.word	0			/* code1 */
	.dword	KERNEL_TEXT_OFFSET	/* text_offset */
	.dword	__image_size		/* image_size: load size incl. .bss */
	.dword	0			/* flags: little endian */
	.word	0x2			/* version 0.2 */
	.word	0			/* res1 */
	.dword	0			/* res2 */
	.ascii	"RISCV\0\0\0"		/* magic (deprecated) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0			/* res3: no PE/COFF header */
	.option pop

	.text
/*
 * a0 = hartid, a1 = FDT physical address, satp = 0, running wherever the
 * loader put us: everything before the jump to virtual addresses must be
 * PC-relative (lla, never la of an absolute).
 */
/*
 * Turn on translation with the satp value in \satp and continue at the
 * virtual (link) address of \label. With satp written, the next fetch at a
 * physical address faults, and the fault lands on stvec: the label's link
 * address, read from a literal since lla would give the physical one.
 */
.macro enable_mmu satp, label
	ld	t0, \label
	csrw	CSR_STVEC, t0
	sfence.vma
	csrw	CSR_SATP, \satp
.endm

_start_kernel:
	/*
	 * One hart boots. Another arrives here only through a firmware race
	 * (OpenSBI 1.1's hart_start marks a hart START_PENDING before it
	 * writes the start address, so a hart that wakes early jumps to the
	 * old one: this entry). Booting again would wipe the running kernel;
	 * it stops itself instead, and smp_init() starts it again.
	 */
	lla	t0, hart_lottery
	li	t1, 1
	amoadd.w t0, t1, (t0)
	bnez	t0, .Lstop_self
	rdtime	s2				/* kernel entry time */
	csrw	CSR_SIE, zero
	csrw	CSR_SIP, zero
	li	t0, SR_FS
	csrc	CSR_SSTATUS, t0			/* no FPU use in the kernel */
	mv	s0, a0
	mv	s1, a1

	/* .bss is hundreds of KiB: eight stores a round, then single words. */
	lla	t0, __bss_start
	lla	t1, __bss_stop
	addi	t2, t1, -64
1:	bgtu	t0, t2, 2f
	sd	zero, 0(t0)
	sd	zero, 8(t0)
	sd	zero, 16(t0)
	sd	zero, 24(t0)
	sd	zero, 32(t0)
	sd	zero, 40(t0)
	sd	zero, 48(t0)
	sd	zero, 56(t0)
	addi	t0, t0, 64
	j	1b
2:	bgeu	t0, t1, 7f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	2b
7:
	lla	sp, init_stack_top
	mv	a0, s1
	call	boot_early_init			/* seeds; returns the virtual base */
	mv	a1, a0
	lla	a0, _start
	call	setup_early_vm			/* returns the satp value */
	lla	t0, early_satp
	sd	a0, 0(t0)			/* for the secondary harts */
	enable_mmu a0, .Lvirt_boot
	.align	2
3:
	sfence.vma
	lla	sp, init_stack_top
	lla	tp, cpus
	lla	t0, handle_exception
	csrw	CSR_STVEC, t0
	lla	t0, boot_entry_ticks
	sd	s2, 0(t0)
	mv	a0, s0
	mv	a1, s1
	li	s0, 0				/* ends the frame-pointer chain */
	call	start_kernel
4:	wfi
	j	4b

.Lstop_self:
	li	a7, SBI_EXT_HSM
	li	a6, SBI_HSM_HART_STOP
	ecall
	j	4b

#ifdef CONFIG_SMP
/*
 * Secondary harts, started by SBI HSM hart_start: a0 = hartid, a1 = the
 * struct cpu prepared for them (a virtual address), satp = 0.
 */
	.globl	secondary_entry
secondary_entry:
	csrw	CSR_SIE, zero
	csrw	CSR_SIP, zero
	li	t0, SR_FS
	csrc	CSR_SSTATUS, t0
	lla	t1, early_satp
	ld	t1, 0(t1)
	enable_mmu t1, .Lvirt_secondary
	.align	2
5:
	sfence.vma
	mv	tp, a1
	ld	sp, CPU_STACK_HI(tp)
	lla	t0, handle_exception
	csrw	CSR_STVEC, t0
	li	s0, 0
	call	secondary_start_kernel
6:	wfi
	j	6b
#endif

	.data
	.balign	4
hart_lottery:
	.word	0

	.section .rodata
	.balign	8
.Lvirt_boot:
	.dword	3b
#ifdef CONFIG_SMP
.Lvirt_secondary:
	.dword	5b
#endif

	.section .bss..stack, "aw", @nobits
	.balign	16
	.globl	init_stack
init_stack:
	.space	16384
	.globl	init_stack_top
init_stack_top:
