/* SPDX-License-Identifier: BSD-2-Clause */
/* /dev/rtc0: the system RTC as Linux's RTC character device (RTC_RD_TIME, RTC_SET_TIME). */
#include <hartix/chrdev.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/rtc.h>
#include <hartix/time64.h>
#include <hartix/uaccess.h>
#include <abi/rtc.h>

static long rtc_dev_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct rtc_time rt;
	struct tm_utc tm;
	s64 secs;
	int err;

	switch (cmd) {
	case RTC_RD_TIME:
		err = rtc_read_time(&secs);
		if (err)
			return err;
		time64_to_tm(secs, &tm);
		rt = (struct rtc_time){ .tm_sec = tm.sec, .tm_min = tm.min,
					.tm_hour = tm.hour, .tm_mday = tm.mday,
					.tm_mon = tm.mon - 1,
					.tm_year = (int)(tm.year - 1900),
					.tm_wday = tm.wday, .tm_yday = tm.yday };
		return copy_to_user((void *)arg, &rt, sizeof(rt)) ? -EFAULT : 0;
	case RTC_SET_TIME:
		if (copy_from_user(&rt, (const void *)arg, sizeof(rt)))
			return -EFAULT;
		/* Linux's rtc_valid_tm(): from 1970, every field in range. */
		if (rt.tm_year < 70 || rt.tm_year > 1000000 ||
		    rt.tm_mon < 0 || rt.tm_mon > 11 || rt.tm_mday < 1 ||
		    rt.tm_mday > days_in_month(rt.tm_year + 1900, rt.tm_mon + 1) ||
		    rt.tm_hour < 0 || rt.tm_hour > 23 || rt.tm_min < 0 ||
		    rt.tm_min > 59 || rt.tm_sec < 0 || rt.tm_sec > 59)
			return -EINVAL;
		tm = (struct tm_utc){ .year = rt.tm_year + 1900,
				      .mon = rt.tm_mon + 1, .mday = rt.tm_mday,
				      .hour = rt.tm_hour, .min = rt.tm_min,
				      .sec = rt.tm_sec };
		return rtc_set_time(tm_to_time64(&tm));
	default:
		return -ENOTTY;
	}
}

static const struct file_operations rtc_dev_fops = {
	.ioctl = rtc_dev_ioctl,
};

/* Major 254: where Linux's rtc class usually lands. */
static const struct chrdev_node rtc_nodes[] = { { "rtc0", 0, 0600 }, { NULL, 0, 0 } };
static const struct chrdev_region rtc_region = { 254, 0, 1, &rtc_dev_fops, rtc_nodes };
DEFINE_CHRDEV(rtc_region);
