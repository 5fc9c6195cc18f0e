/* SPDX-License-Identifier: BSD-2-Clause */
/* sleep NUMBER[smhd]...: waits for the sum of the times; NUMBER may have a fraction ("0.5"). */
#include <err.h>
#include <errno.h>
#include <time.h>

/* Parses "12.345m" into nanoseconds; -1 if malformed. */
static long long parse_time(const char *s)
{
	long long sec = 0, frac = 0, scale = 1000000000LL, mult = 1;
	const char *p = s;

	if (*p < '0' && *p != '.')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		sec = sec * 10 + (*p - '0');
		if (sec > 100000000LL)
			return -1;
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	switch (*p) {
	case '\0':
	case 's': break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if ((*p && p[1]) || p == s || (p == s + 1 && *s == '.'))
		return -1;
	return (sec * 1000000000LL + frac) * mult;
}

int main(int argc, char **argv)
{
	long long total = 0, t;
	struct timespec ts, rem;
	int i;

	if (argc < 2)
		errx(1, "missing operand");
	for (i = 1; i < argc; i++) {
		t = parse_time(argv[i]);
		if (t < 0)
			errx(1, "invalid time interval '%s'", argv[i]);
		total += t;
	}
	ts.tv_sec = total / 1000000000LL;
	ts.tv_nsec = total % 1000000000LL;
	while (nanosleep(&ts, &rem) < 0) {
		if (errno != EINTR)
			err(1, "nanosleep");
		ts = rem;
	}
	return 0;
}
