/* SPDX-License-Identifier: BSD-2-Clause */
/* SBI firmware interface: extension probing, console output, system reset. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/printk.h>
#include <hartix/sprintf.h>
#include <asm/page.h>
#include <hartix/smp.h>
#include <asm/sbi.h>

#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID 1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXT 3
#define SBI_DBCN_WRITE 0
#define SBI_SRST_RESET 0
#define SBI_TIME_SET_TIMER 0
#define SBI_IPI_SEND_IPI 0
#define SBI_RFENCE_REMOTE_SFENCE_VMA 1
#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_SEND_IPI 0x04
#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA 0x06

static const struct {
	unsigned long id;
	const char *name;
} sbi_known_exts[] = {
	{ SBI_EXT_TIME, "TIME" }, { SBI_EXT_IPI, "IPI" },
	{ SBI_EXT_RFENCE, "RFENCE" }, { SBI_EXT_HSM, "HSM" },
	{ SBI_EXT_SRST, "SRST" }, { SBI_EXT_DBCN, "DBCN" },
};

/* Written once by sbi_init() on the boot hart, read-only afterwards. */
static u32 sbi_ext_mask; /* bit i: sbi_known_exts[i] present */

int sbi_err_to_errno(long err)
{
	switch (err) {
	case 0:
		return 0;
	case -2: /* SBI_ERR_NOT_SUPPORTED */
		return -EOPNOTSUPP;
	case -3: /* SBI_ERR_INVALID_PARAM */
	case -5: /* SBI_ERR_INVALID_ADDRESS */
		return -EINVAL;
	case -4: /* SBI_ERR_DENIED */
		return -EPERM;
	case -6: /* SBI_ERR_ALREADY_AVAILABLE */
	case -7: /* SBI_ERR_ALREADY_STARTED */
	case -8: /* SBI_ERR_ALREADY_STOPPED */
		return -EALREADY;
	default: /* SBI_ERR_FAILED and anything newer */
		return -EIO;
	}
}

bool sbi_has_ext(unsigned long ext)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sbi_known_exts); i++)
		if (sbi_known_exts[i].id == ext)
			return sbi_ext_mask & (1U << i);
	return false;
}

static const char *sbi_impl_name(long id)
{
	static const char *const names[] = { "BBL", "OpenSBI", "Xvisor", "KVM",
					     "RustSBI", "Diosix", "Coffer" };

	return id >= 0 && id < (long)ARRAY_SIZE(names) ? names[id] : "unknown";
}

void sbi_init(void)
{
	struct sbiret ret = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION,
				      0, 0, 0, 0);
	char list[80];
	size_t n = 0;
	long impl, ver;
	unsigned int i;

	if (ret.error) {
		pr_info("SBI: legacy v0.1 firmware, no extensions\n");
		return;
	}
	pr_info("SBI: specification v%ld.%ld\n", (ret.value >> 24) & 0x7f,
		ret.value & 0xffffff);
	impl = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0, 0).value;
	ver = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0, 0).value;
	pr_info("SBI: implementation %s v%ld.%ld\n", sbi_impl_name(impl),
		ver >> 16, ver & 0xffff);

	for (i = 0; i < ARRAY_SIZE(sbi_known_exts); i++) {
		ret = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT,
				sbi_known_exts[i].id, 0, 0, 0);
		if (!ret.error && ret.value)
			sbi_ext_mask |= 1U << i;
		n += scnprintf(list + n, sizeof(list) - n, " %s%s",
			       sbi_ext_mask & (1U << i) ? "" : "-",
			       sbi_known_exts[i].name);
	}
	pr_info("SBI: extensions (- = absent):%s\n", list);
}

/* DBCN takes a physical address and may write only part of the buffer. */
static void sbi_dbcn_write(const char *s, size_t len)
{
	while (len) {
		struct sbiret ret = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, len,
					      virt_to_phys(s), 0, 0);

		if (ret.error || !ret.value || (size_t)ret.value > len)
			return;
		s += ret.value;
		len -= (size_t)ret.value;
	}
}

/* OpenSBI's console already sends "\r\n" for '\n': pass bytes through. */
void sbi_console_write(const char *s, size_t len)
{
	if (sbi_has_ext(SBI_EXT_DBCN)) {
		sbi_dbcn_write(s, len);
		return;
	}
	while (len--)
		sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s++, 0, 0, 0);
}

int sbi_system_reset(u32 type, u32 reason)
{
	struct sbiret ret;

	if (sbi_has_ext(SBI_EXT_SRST)) {
		ret = sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, type, reason, 0, 0);
		return sbi_err_to_errno(ret.error);
	}
	if (type == SBI_SRST_TYPE_SHUTDOWN)
		sbi_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0);
	return -EOPNOTSUPP;
}

int sbi_hart_start(unsigned long hartid, unsigned long start,
		   unsigned long opaque)
{
	if (!sbi_has_ext(SBI_EXT_HSM))
		return -EOPNOTSUPP;
	return sbi_err_to_errno(sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START,
					  hartid, start, opaque, 0).error);
}

int sbi_hart_stop(void)
{
	if (!sbi_has_ext(SBI_EXT_HSM))
		return -EOPNOTSUPP;
	return sbi_err_to_errno(
		sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0).error);
}

void sbi_set_timer(u64 deadline)
{
	if (sbi_has_ext(SBI_EXT_TIME))
		sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, deadline, 0, 0, 0);
	else
		sbi_ecall(SBI_EXT_LEGACY_SET_TIMER, 0, deadline, 0, 0, 0);
}

/*
 * Calls fn once per window of up to 64 consecutive hart ids that holds
 * harts of cpu_bits. Stops at the first error.
 */
static int for_each_hart_window(u64 cpu_bits,
				int (*fn)(unsigned long mask, unsigned long base,
					  void *arg),
				void *arg)
{
	unsigned long mask = 0, base = 0;
	unsigned int cpu;
	int err;

	for (cpu = 0; cpu < NR_CPUS && cpu_bits >> cpu; cpu++) {
		unsigned long hart;

		if (!(cpu_bits & (1ULL << cpu)))
			continue;
		hart = cpu_hartid(cpu);
		if (mask && (hart < base || hart >= base + 64)) {
			err = fn(mask, base, arg);
			if (err)
				return err;
			mask = 0;
		}
		if (!mask)
			base = hart;
		mask |= 1UL << (hart - base);
	}
	return mask ? fn(mask, base, arg) : 0;
}

/* Legacy calls take a pointer to a mask of absolute hart ids below 64. */
static int legacy_hart_mask(unsigned long mask, unsigned long base,
			    unsigned long *out)
{
	if (base >= 64 || (mask << base) >> base != mask)
		return -EINVAL;
	*out = mask << base;
	return 0;
}

static int send_ipi_window(unsigned long mask, unsigned long base, void *arg)
{
	if (sbi_has_ext(SBI_EXT_IPI))
		return sbi_err_to_errno(sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI,
						  mask, base, 0, 0).error);
	if (legacy_hart_mask(mask, base, &mask))
		return -EINVAL;
	return sbi_err_to_errno(sbi_ecall(SBI_EXT_LEGACY_SEND_IPI, 0,
					  (unsigned long)&mask, 0, 0, 0).error);
}

int sbi_send_ipi_cpus(u64 cpu_bits)
{
	return for_each_hart_window(cpu_bits, send_ipi_window, NULL);
}

struct fence_range {
	unsigned long start, size;
};

static int sfence_window(unsigned long mask, unsigned long base, void *arg)
{
	struct fence_range *r = arg;

	if (sbi_has_ext(SBI_EXT_RFENCE))
		return sbi_err_to_errno(sbi_ecall(SBI_EXT_RFENCE,
			SBI_RFENCE_REMOTE_SFENCE_VMA, mask, base, r->start,
			r->size).error);
	if (legacy_hart_mask(mask, base, &mask))
		return -EINVAL;
	return sbi_err_to_errno(sbi_ecall(SBI_EXT_LEGACY_REMOTE_SFENCE_VMA, 0,
					  (unsigned long)&mask, r->start,
					  r->size, 0).error);
}

int sbi_remote_sfence_vma_cpus(u64 cpu_bits, unsigned long start,
			       unsigned long size)
{
	struct fence_range r = { start, size };

	return for_each_hart_window(cpu_bits, sfence_window, &r);
}

int sbi_hart_get_status(unsigned long hartid)
{
	struct sbiret ret;

	if (!sbi_has_ext(SBI_EXT_HSM))
		return -EOPNOTSUPP;
	ret = sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hartid, 0, 0, 0);
	return ret.error ? sbi_err_to_errno(ret.error) : (int)ret.value;
}
