/* SPDX-License-Identifier: BSD-2-Clause */
/* RISC-V supervisor CSR numbers, bits and accessors. */
#ifndef ASM_CSR_H
#define ASM_CSR_H

#define CSR_SSTATUS 0x100
#define CSR_SIE 0x104
#define CSR_STVEC 0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SSCRATCH 0x140
#define CSR_SEPC 0x141
#define CSR_SCAUSE 0x142
#define CSR_STVAL 0x143
#define CSR_SIP 0x144
#define CSR_SATP 0x180
#define CSR_TIME 0xc01

#define SR_SIE (1UL << 1)
#define SR_SPIE (1UL << 5)
#define SR_SPP (1UL << 8)
#define SR_FS (3UL << 13)
#define SR_FS_OFF (0UL << 13)
#define SR_FS_INITIAL (1UL << 13)
#define SR_FS_CLEAN (2UL << 13)
#define SR_FS_DIRTY (3UL << 13)
#define SR_SUM (1UL << 18)

#define SATP_MODE_SV39 (8UL << 60)
#define SATP_ASID_SHIFT 44

#define CAUSE_IRQ_FLAG (1UL << 63)

/* Interrupt numbers (scause with the interrupt bit set) and sie/sip bits. */
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define SIE_SSIE (1UL << IRQ_S_SOFT)
#define SIE_STIE (1UL << IRQ_S_TIMER)
#define SIE_SEIE (1UL << IRQ_S_EXT)
#define SIP_SSIP SIE_SSIE

#define CSR_STIMECMP 0x14d

/* Exception codes (scause with the interrupt bit clear). */
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_ILLEGAL_INST 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_ECALL_S 9
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

#ifndef __ASSEMBLY__

#define csr_read(csr)                                                   \
	({                                                              \
		unsigned long __v;                                      \
		__asm__ __volatile__("csrr %0, " __stringify(csr)       \
				     : "=r"(__v) : : "memory");         \
		__v;                                                    \
	})

#define csr_write(csr, val)                                             \
	({                                                              \
		unsigned long __v = (unsigned long)(val);               \
		__asm__ __volatile__("csrw " __stringify(csr) ", %0"    \
				     : : "rK"(__v) : "memory");         \
	})

#define csr_set(csr, val)                                               \
	({                                                              \
		unsigned long __v = (unsigned long)(val);               \
		__asm__ __volatile__("csrs " __stringify(csr) ", %0"    \
				     : : "rK"(__v) : "memory");         \
	})

#define csr_clear(csr, val)                                             \
	({                                                              \
		unsigned long __v = (unsigned long)(val);               \
		__asm__ __volatile__("csrc " __stringify(csr) ", %0"    \
				     : : "rK"(__v) : "memory");         \
	})

#define csr_read_clear(csr, val)                                        \
	({                                                              \
		unsigned long __v = (unsigned long)(val);               \
		__asm__ __volatile__("csrrc %0, " __stringify(csr) ", %1" \
				     : "=r"(__v) : "rK"(__v) : "memory"); \
		__v;                                                    \
	})

#endif /* __ASSEMBLY__ */
#endif
