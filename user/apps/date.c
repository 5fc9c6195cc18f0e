/* SPDX-License-Identifier: BSD-2-Clause */
/* date [-u] [+FORMAT]: prints the wall-clock time (UTC), as coreutils' date with TZ unset. */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char days[] = "SunMonTueWedThuFriSat";
static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* The conversions of strftime that scripts use most. */
static int print_format(const char *f, time_t t, const struct tm *tm)
{
	for (; *f; f++) {
		if (*f != '%') {
			putchar(*f);
			continue;
		}
		switch (*++f) {
		case 's': printf("%ld", (long)t); break;
		case 'Y': printf("%d", tm->tm_year + 1900); break;
		case 'm': printf("%02d", tm->tm_mon + 1); break;
		case 'd': printf("%02d", tm->tm_mday); break;
		case 'e': printf("%2d", tm->tm_mday); break;
		case 'H': printf("%02d", tm->tm_hour); break;
		case 'M': printf("%02d", tm->tm_min); break;
		case 'S': printf("%02d", tm->tm_sec); break;
		case 'a': printf("%.3s", days + 3 * tm->tm_wday); break;
		case 'b': printf("%.3s", months + 3 * tm->tm_mon); break;
		case 'Z': printf("UTC"); break;
		case 'F': print_format("%Y-%m-%d", t, tm); break;
		case 'T': print_format("%H:%M:%S", t, tm); break;
		case '%': putchar('%'); break;
		default:
			warnx("unsupported conversion '%%%c'", *f ? *f : ' ');
			return 1;
		}
		if (!*f)
			break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *format = "%a %b %e %H:%M:%S %Z %Y";
	struct tm tm;
	time_t t;
	int c;

	while ((c = getopt(argc, argv, "u")) != -1) {
		if (c != 'u') {
			dprintf(2, "usage: date [-u] [+FORMAT]\n");
			return 1;
		}
	}
	if (optind < argc && argv[optind][0] == '+')
		format = argv[optind++] + 1;
	if (optind < argc)
		errx(1, "invalid date '%s'", argv[optind]);
	t = time(NULL);
	if (t == (time_t)-1)
		err(1, "cannot read the clock");
	gmtime_r(&t, &tm);
	if (print_format(format, t, &tm))
		return 1;
	putchar('\n');
	return 0;
}
