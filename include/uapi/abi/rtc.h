/* SPDX-License-Identifier: BSD-2-Clause */
/* /dev/rtc0's ioctls and struct rtc_time: Linux's (uapi/linux/rtc.h). */
#ifndef _ABI_RTC_H
#define _ABI_RTC_H

/* struct tm's fields: tm_mon 0..11, tm_year since 1900. */
struct rtc_time {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year;
	int tm_wday, tm_yday, tm_isdst;
};

/* _IOR('p', 0x09, struct rtc_time) and _IOW('p', 0x0a, struct rtc_time). */
#define RTC_RD_TIME	0x80247009
#define RTC_SET_TIME	0x4024700a

#endif
