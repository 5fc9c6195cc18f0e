/* SPDX-License-Identifier: BSD-2-Clause */
/* Broken-down UTC time: gmtime_r (no time zones in Hartix's user space). */
#include <time.h>

struct tm *gmtime_r(const time_t *timep, struct tm *tm)
{
	time_t t = *timep;
	long days = t / 86400, secs = t % 86400;
	long era, doe, yoe, doy, mp;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	tm->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01: Thursday */
	/* Howard Hinnant's civil_from_days. */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
	tm->tm_year = (int)(yoe + era * 400 + (tm->tm_mon <= 1) - 1900);
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	return tm;
}
