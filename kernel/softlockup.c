/* SPDX-License-Identifier: BSD-2-Clause */
/* The soft-lockup detector: each hart's tick checks that the hart scheduled within softlockup.timeout seconds. */
#include <hartix/errno.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <hartix/softlockup.h>
#include <asm/stacktrace.h>

#define SOFTLOCKUP_TIMEOUT_MAX 600

static unsigned int timeout_secs = CONFIG_SOFTLOCKUP_TIMEOUT;

kernel_param_uint("softlockup.timeout", timeout_secs, 0, SOFTLOCKUP_TIMEOUT_MAX);

/*
 * Per CPU, in ticks of that CPU (struct cpu.ticks): when it last
 * scheduled, and when it last reported. Each entry is written only by its
 * own hart, so no lock.
 */
static u64 touched[NR_CPUS], reported[NR_CPUS];
static u64 nr_reports;

void touch_softlockup_watchdog(void)
{
	struct cpu *cpu = this_cpu();

	touched[cpu->id] = cpu->ticks;
}

void softlockup_tick(const struct pt_regs *regs)
{
	struct cpu *cpu = this_cpu();
	u64 limit = (u64)timeout_secs * CONFIG_HZ, since = touched[cpu->id];
	struct task *t = cpu->current;

	if (!limit)
		return;
	if (reported[cpu->id] > since)
		since = reported[cpu->id];
	if (cpu->ticks - since < limit)
		return;
	reported[cpu->id] = cpu->ticks;
	__atomic_fetch_add(&nr_reports, 1, __ATOMIC_RELAXED);
	pr_err("BUG: soft lockup - CPU#%u (hart %lu) stuck for %llus! [%s:%d]\n",
	       (unsigned int)cpu->id, cpu->hartid,
	       (unsigned long long)((cpu->ticks - touched[cpu->id]) / CONFIG_HZ),
	       t ? t->comm : "?", t ? t->pid : -1);
	show_interrupted(regs, KERN_ERR);
}

u64 softlockup_reports(void)
{
	return __atomic_load_n(&nr_reports, __ATOMIC_RELAXED);
}

unsigned int softlockup_timeout(void)
{
	return timeout_secs;
}
