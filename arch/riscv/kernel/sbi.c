/* SBI firmware interface: extension probing, console output, system reset. */
#include <hartix/compiler.h>
#include <hartix/errno.h>
#include <hartix/printk.h>
#include <hartix/sprintf.h>
#include <asm/page.h>
#include <asm/sbi.h>

#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID 1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXT 3
#define SBI_DBCN_WRITE 0
#define SBI_SRST_RESET 0

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
				      0, 0, 0);
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
	impl = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0).value;
	ver = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0).value;
	pr_info("SBI: implementation %s v%ld.%ld\n", sbi_impl_name(impl),
		ver >> 16, ver & 0xffff);

	for (i = 0; i < ARRAY_SIZE(sbi_known_exts); i++) {
		ret = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT,
				sbi_known_exts[i].id, 0, 0);
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
					      virt_to_phys(s), 0);

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
		sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s++, 0, 0);
}

int sbi_system_reset(u32 type, u32 reason)
{
	struct sbiret ret;

	if (sbi_has_ext(SBI_EXT_SRST)) {
		ret = sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, type, reason, 0);
		return sbi_err_to_errno(ret.error);
	}
	if (type == SBI_SRST_TYPE_SHUTDOWN)
		sbi_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
	return -EOPNOTSUPP;
}
