/* SPDX-License-Identifier: BSD-2-Clause */
/* Calls into the SBI firmware (OpenSBI): extensions, console, reset. */
#ifndef ASM_SBI_H
#define ASM_SBI_H

#ifndef __ASSEMBLY__
#include <hartix/types.h>
#endif

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464e43
#define SBI_EXT_HSM 0x48534d
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434e

#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_STATE_STOPPED 1

#define SBI_SRST_TYPE_SHUTDOWN 0
#define SBI_SRST_TYPE_COLD_REBOOT 1
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_FAILURE 1

#ifndef __ASSEMBLY__
struct sbiret {
	long error;
	long value;
};

/* Inline and position independent: early_vm.c calls it with the MMU off. */
static inline struct sbiret sbi_ecall(unsigned long ext, unsigned long fid,
				      unsigned long arg0, unsigned long arg1,
				      unsigned long arg2, unsigned long arg3)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a3 __asm__("a3") = arg3;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1)
			     : "r"(a2), "r"(a3), "r"(a6), "r"(a7)
			     : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

/* Probes the spec version and extensions; prints what it found. */
void sbi_init(void);
bool sbi_has_ext(unsigned long ext);
int sbi_err_to_errno(long err);

/* Firmware console: DBCN when present, else the legacy putchar. */
void sbi_console_write(const char *s, size_t len);

/* System reset; returns only if the firmware refused. */
int sbi_system_reset(u32 type, u32 reason);

/* HSM: start hartid at physical address start with a1 = opaque. */
int sbi_hart_start(unsigned long hartid, unsigned long start,
		   unsigned long opaque);
/* HSM: stop the calling hart; returns only on failure. */
int sbi_hart_stop(void);

/* Timer interrupt at the given time CSR value (TIME extension or legacy). */
void sbi_set_timer(u64 deadline);

/*
 * IPI and remote fences to a set of harts given as logical CPUs: the hart
 * ids are grouped into the (mask, base) windows the SBI calls take.
 */
int sbi_send_ipi_cpus(u64 cpu_bits);
int sbi_remote_sfence_vma_cpus(u64 cpu_bits, unsigned long start,
			       unsigned long size);

/* HSM: the hart's state (SBI_HSM_STATE_*), or a negative errno. */
int sbi_hart_get_status(unsigned long hartid);

#endif /* __ASSEMBLY__ */
#endif
