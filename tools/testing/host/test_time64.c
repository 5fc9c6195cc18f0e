/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for lib/time64.c: time64_to_tm() against glibc's gmtime_r(). */
#include <hartix/time64.h>
#include <limits.h>
#include <stdint.h>
#include <time.h>
#include "htest.h"

static int mismatches;
static long compared; /* values glibc could convert */

/* Compares one value; prints the first few differences in full. */
static void check_one(s64 secs)
{
	time_t t = (time_t)secs;
	struct tm ref;
	struct tm_utc got;

	if (!gmtime_r(&t, &ref))
		return; /* year beyond int: glibc cannot say */
	compared++;
	time64_to_tm(secs, &got);
	if (got.year == (s64)ref.tm_year + 1900 && got.mon == ref.tm_mon + 1 &&
	    got.mday == ref.tm_mday && got.hour == ref.tm_hour &&
	    got.min == ref.tm_min && got.sec == ref.tm_sec &&
	    got.wday == ref.tm_wday && got.yday == ref.tm_yday)
		return;
	if (mismatches++ < 5)
		printf("#   %lld: got %lld-%02d-%02d %02d:%02d:%02d wday %d yday %d, "
		       "glibc %lld-%02d-%02d %02d:%02d:%02d wday %d yday %d\n",
		       (long long)secs, (long long)got.year, got.mon, got.mday,
		       got.hour, got.min, got.sec, got.wday, got.yday,
		       (long long)ref.tm_year + 1900, ref.tm_mon + 1, ref.tm_mday,
		       ref.tm_hour, ref.tm_min, ref.tm_sec, ref.tm_wday,
		       ref.tm_yday);
	CHECK(0);
}

/* Seconds since the epoch of year-mon-mday 00:00:00 UTC, through glibc. */
static s64 date(int year, int mon, int mday)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = mon - 1,
			 .tm_mday = mday };

	return (s64)timegm(&tm);
}

static void test_known_dates(void)
{
	struct tm_utc tm;

	time64_to_tm(0, &tm);
	CHECK_EQ(tm.year, 1970);
	CHECK_EQ(tm.mon, 1);
	CHECK_EQ(tm.mday, 1);
	CHECK_EQ(tm.wday, 4);
	time64_to_tm(-1, &tm);
	CHECK_EQ(tm.year, 1969);
	CHECK_EQ(tm.mon, 12);
	CHECK_EQ(tm.mday, 31);
	CHECK_EQ(tm.hour, 23);
	CHECK_EQ(tm.min, 59);
	CHECK_EQ(tm.sec, 59);
	CHECK_EQ(tm.yday, 364);
	/* 2026-11-21 10:20:44, a Saturday. */
	time64_to_tm(1795256444, &tm);
	CHECK_EQ(tm.year, 2026);
	CHECK_EQ(tm.mon, 11);
	CHECK_EQ(tm.mday, 21);
	CHECK_EQ(tm.hour, 10);
	CHECK_EQ(tm.min, 20);
	CHECK_EQ(tm.sec, 44);
	CHECK_EQ(tm.wday, 6);
}

/* Every second around the edges of leap and century years. */
static void test_leap_and_century_edges(void)
{
	static const int years[] = { 1600, 1700, 1900, 1968, 1969, 1970, 1972,
				     2000, 2024, 2038, 2100, 2104, 2400 };
	static const int days[][2] = { { 1, 1 }, { 2, 28 }, { 2, 29 },
				       { 3, 1 }, { 12, 31 } };
	size_t y, d;
	s64 s;

	for (y = 0; y < sizeof(years) / sizeof(years[0]); y++)
		for (d = 0; d < sizeof(days) / sizeof(days[0]); d++) {
			s64 base = date(years[y], days[d][0], days[d][1]);

			for (s = base - 2; s < base + 2; s++)
				check_one(s);
			check_one(base + 43200);
		}
	/* 2100 is not a leap year, 2000 and 2400 are. */
	CHECK_EQ(date(2100, 3, 1) - date(2100, 2, 28), 86400);
	CHECK_EQ(date(2400, 3, 1) - date(2400, 2, 28), 2 * 86400);
}

/* Every day from 1600 to 2500 at a moving time of day. */
static void test_every_day(void)
{
	s64 first = date(1600, 1, 1), last = date(2500, 1, 1), s, i = 0;

	for (s = first; s < last; s += 86400, i++)
		check_one(s + (i * 7919) % 86400);
}

static s64 rand64(void)
{
	return (s64)((uint64_t)rand() << 62 ^ (uint64_t)rand() << 31 ^
		     (uint64_t)rand());
}

static void test_random(void)
{
	/* Within +-2^55 s (about 1.1e9 years) glibc's int year still fits. */
	s64 span[] = { (s64)1 << 31, (s64)1 << 40, (s64)1 << 55 };
	long before = compared;
	size_t k;
	int i;

	for (k = 0; k < sizeof(span) / sizeof(span[0]); k++)
		for (i = 0; i < 300000; i++)
			check_one(rand64() % span[k]);
	CHECK_EQ(compared - before, 900000);
}

/* The ends of s64: no overflow (UBSan watches) and sane fields. */
static void test_extremes(void)
{
	static const s64 vals[] = { INT64_MIN, INT64_MIN + 1, INT64_MAX,
				    INT64_MAX - 86400 };
	struct tm_utc tm;
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		time64_to_tm(vals[i], &tm);
		CHECK(tm.mon >= 1 && tm.mon <= 12);
		CHECK(tm.mday >= 1 && tm.mday <= 31);
		CHECK(tm.hour >= 0 && tm.hour < 24);
		CHECK(tm.min >= 0 && tm.min < 60);
		CHECK(tm.sec >= 0 && tm.sec < 60);
		CHECK(tm.wday >= 0 && tm.wday < 7);
		CHECK(tm.yday >= 0 && tm.yday < 366);
		CHECK(vals[i] < 0 ? tm.year < -200000000000LL :
				    tm.year > 200000000000LL);
	}
	/* The largest time_t glibc still converts agrees with ours too. */
	check_one(67767976233316799LL);
	check_one(-67768040609740800LL);
}

int main(void)
{
	srand(1);
	HTEST_RUN(test_known_dates);
	HTEST_RUN(test_leap_and_century_edges);
	HTEST_RUN(test_every_day);
	HTEST_RUN(test_random);
	HTEST_RUN(test_extremes);
	return htest_done();
}
