/* SPDX-License-Identifier: BSD-2-Clause */
/* Unix time to calendar date and time of day and back, after Howard Hinnant's civil_from_days and days_from_civil. */
#include <hartix/time64.h>

#define SECS_PER_DAY 86400
#define DAYS_PER_ERA 146097 /* 400 Gregorian years repeat exactly */
#define EPOCH_SHIFT 719468 /* days from 0000-03-01 to 1970-01-01 */

static bool is_leap(s64 year)
{
	return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* C division truncates toward zero; the calendar needs floor. */
static s64 floor_div(s64 a, s64 b)
{
	return a / b - (a % b < 0);
}

void time64_to_tm(s64 secs, struct tm_utc *out)
{
	s64 days = floor_div(secs, SECS_PER_DAY);
	/* Not secs - days * SECS_PER_DAY: that overflows near INT64_MIN. */
	s64 rem = (secs % SECS_PER_DAY + SECS_PER_DAY) % SECS_PER_DAY;
	/*
	 * Counting from March 1 puts the leap day at the end of the year,
	 * so month lengths follow a fixed pattern; eras of 400 years make
	 * everything below them non-negative.
	 */
	s64 z = days + EPOCH_SHIFT;
	s64 era = floor_div(z, DAYS_PER_ERA);
	s64 doe = z - era * DAYS_PER_ERA; /* day of era, 0..146096 */
	s64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	s64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* from March 1 */
	s64 mp = (5 * doy + 2) / 153; /* 0 = March .. 11 = February */
	s64 year = yoe + era * 400 + (mp >= 10);

	out->year = year;
	out->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->yday = (int)(mp < 10 ? doy + 59 + is_leap(year) : doy - 306);
	/* 1970-01-01 was a Thursday. */
	out->wday = (int)(days - floor_div(days + 4, 7) * 7 + 4);
	out->hour = (int)(rem / 3600);
	out->min = (int)(rem / 60 % 60);
	out->sec = (int)(rem % 60);
}

int days_in_month(s64 year, int mon)
{
	static const u8 days[12] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	return mon == 2 && is_leap(year) ? 29 : days[mon - 1];
}

s64 tm_to_time64(const struct tm_utc *tm)
{
	/* The same March-based years as above, run backwards. */
	s64 year = tm->year - (tm->mon <= 2);
	s64 era = floor_div(year, 400);
	s64 yoe = year - era * 400;
	s64 mp = tm->mon > 2 ? tm->mon - 3 : tm->mon + 9;
	s64 doy = (153 * mp + 2) / 5 + tm->mday - 1;
	s64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	s64 days = era * DAYS_PER_ERA + doe - EPOCH_SHIFT;

	return days * SECS_PER_DAY + tm->hour * 3600 + tm->min * 60 + tm->sec;
}
