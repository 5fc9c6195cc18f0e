/* SPDX-License-Identifier: BSD-2-Clause */
/* The RTC core: one system real-time clock, read by rtc_read_time(). */
#include <hartix/errno.h>
#include <hartix/printk.h>
#include <hartix/rtc.h>
#include <hartix/spinlock.h>
#include <hartix/time.h>
#include <hartix/time64.h>

/*
 * rtc_lock serialises registration. The clock is published with a release
 * store once its driver is ready, so readers on any hart need no lock;
 * the driver serialises its own register accesses.
 */
static DEFINE_SPINLOCK(rtc_lock);
static struct rtc_device *system_rtc;

static struct rtc_device *get_rtc(void)
{
	return __atomic_load_n(&system_rtc, __ATOMIC_ACQUIRE);
}

int rtc_read_time(s64 *secs)
{
	struct rtc_device *rtc = get_rtc();

	return rtc ? rtc->read_time(rtc, secs) : -ENODEV;
}

int rtc_set_time(s64 secs)
{
	struct rtc_device *rtc = get_rtc();

	if (!rtc)
		return -ENODEV;
	return rtc->set_time ? rtc->set_time(rtc, secs) : -EOPNOTSUPP;
}

void rtc_register(struct rtc_device *rtc)
{
	unsigned long flags = spin_lock_irqsave(&rtc_lock);
	struct rtc_device *old = system_rtc;
	struct tm_utc tm;
	s64 secs;
	int err;

	if (!old)
		__atomic_store_n(&system_rtc, rtc, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&rtc_lock, flags);
	if (old) {
		pr_warn("rtc: %s ignored, %s is the system clock\n", rtc->name,
			old->name);
		return;
	}

	err = rtc->read_time(rtc, &secs);
	if (err) {
		pr_warn("rtc: %s: cannot read the time (error %d)\n", rtc->name,
			err);
		return;
	}
	ktime_set_real_ns(secs * (s64)NSEC_PER_SEC);
	time64_to_tm(secs, &tm);
	pr_info("rtc: %04lld-%02d-%02d %02d:%02d:%02d UTC\n",
		(long long)tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
}
