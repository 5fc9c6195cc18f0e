/* SPDX-License-Identifier: BSD-2-Clause */
/* Calendar conversion of Unix time (seconds since 1970-01-01 UTC), freestanding. */
#ifndef HARTIX_TIME64_H
#define HARTIX_TIME64_H

#include <hartix/types.h>

/* A broken-down UTC time; unlike struct tm, year and month are not offset. */
struct tm_utc {
	s64 year; /* proleptic Gregorian, not offset; any secs fits */
	int mon; /* 1..12 */
	int mday; /* 1..31 */
	int hour, min, sec;
	int wday; /* 0 = Sunday */
	int yday; /* 0..365 */
};

/* Any secs, negative ones (before 1970) included; no leap seconds. */
void time64_to_tm(s64 secs, struct tm_utc *out);
/* The reverse, for fields in range (year, mon, mday, hour, min, sec are read). */
s64 tm_to_time64(const struct tm_utc *tm);
/* 28..31 (mon 1..12). */
int days_in_month(s64 year, int mon);

#endif
