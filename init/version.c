/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's identity for user space: uname() and /proc/version's line. */
#include <hartix/boot.h>
#include <hartix/errno.h>
#include <hartix/syscalls.h>
#include <hartix/uaccess.h>

#ifdef CONFIG_SMP
#define UTS_SMP " SMP"
#else
#define UTS_SMP ""
#endif
#define UTS_SYSNAME "Hartix"
#define UTS_NODENAME "hartix"
#define UTS_RELEASE CONFIG_UTS_RELEASE CONFIG_LOCALVERSION
#define UTS_VERSION "#1" UTS_SMP " Hartix " HARTIX_VERSION

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
		domainname[65];
};

/*
 * The release is Linux-shaped (CONFIG_UTS_RELEASE): glibc refuses to start
 * below the version its ABI note names (4.15 for riscv64) and programs
 * parse it as major.minor.patch; Hartix's own version is in "version".
 * Nothing changes it (no sethostname), so it is read without a lock.
 */
static const struct new_utsname uts = {
	.sysname = UTS_SYSNAME,
	.nodename = UTS_NODENAME,
	.release = UTS_RELEASE,
	.version = UTS_VERSION,
	.machine = "riscv64",
	.domainname = "(none)",
};

SYSCALL_DEFINE1(uname, struct new_utsname *, ubuf)
{
	return copy_to_user(ubuf, &uts, sizeof(uts)) ? -EFAULT : 0;
}

/* Linux's format: "<sysname> version <release> (<by>@<host>) (<compiler>) <version>". */
const char proc_version_line[] = UTS_SYSNAME " version " UTS_RELEASE
	" (hartix@" UTS_NODENAME ") (gcc " __VERSION__ ") " UTS_VERSION "\n";
