/* SPDX-License-Identifier: BSD-2-Clause */
/* Real-time clocks: wall-clock time from the RTC driver that registered first. */
#ifndef HARTIX_RTC_H
#define HARTIX_RTC_H

#include <hartix/types.h>

struct rtc_device {
	const char *name;
	/* Seconds since 1970-01-01 00:00:00 UTC; 0 or a negative errno. */
	int (*read_time)(struct rtc_device *rtc, s64 *secs);
	/* Sets the clock to secs; 0 or a negative errno. NULL: read-only. */
	int (*set_time)(struct rtc_device *rtc, s64 secs);
	void *data;
};

/*
 * Makes rtc the system's clock, starts CLOCK_REALTIME at its time and
 * prints it; a second RTC is
 * refused with a message. Called by drivers at probe.
 */
void rtc_register(struct rtc_device *rtc);

/* Wall-clock seconds since the epoch: 0, or -ENODEV without an RTC. */
int rtc_read_time(s64 *secs);
/* Sets the RTC (not the system clock, as Linux's RTC_SET_TIME): 0 or -errno. */
int rtc_set_time(s64 secs);


#endif
