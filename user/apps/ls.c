/* SPDX-License-Identifier: BSD-2-Clause */
/* ls [-1al] [file...]: lists directories and files, sorted by name; -l long format, -a dot files too. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct entry {
	char *name;	/* as shown */
	char *path;	/* for stat() */
	struct stat st;	/* filled in for -l and for operands */
};

static int opt_all, opt_long, opt_one;
static time_t now;
static int ret;

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void mode_string(mode_t m, char s[11])
{
	static const char types[] = "?pc?d?b?-?l?s???";
	static const char rwx[] = "rwxrwxrwx";

	s[0] = types[(m & S_IFMT) >> 12];
	for (int i = 0; i < 9; i++)
		s[1 + i] = m & (0400 >> i) ? rwx[i] : '-';
	if (m & S_ISUID)
		s[3] = s[3] == 'x' ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = s[6] == 'x' ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = s[9] == 'x' ? 't' : 'T';
	s[10] = '\0';
}

/* "Mon dd hh:mm" within half a year of now, else "Mon dd  yyyy" (UTC: no time zones). */
static void time_string(time_t t, char *buf, size_t size)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm;

	gmtime_r(&t, &tm);
	if (t > now - 15778476 && t < now + 3600)
		snprintf(buf, size, "%.3s %2d %02d:%02d", months + 3 * tm.tm_mon,
			 tm.tm_mday, tm.tm_hour, tm.tm_min);
	else
		snprintf(buf, size, "%.3s %2d  %4d", months + 3 * tm.tm_mon,
			 tm.tm_mday, tm.tm_year + 1900);
}

static void print_entries(struct entry *e, size_t n)
{
	if (opt_long) {
		int wlinks = 1, wsize = 1;
		char mode[11], when[32], w[24];

		for (size_t i = 0; i < n; i++) {
			int l = snprintf(w, sizeof(w), "%u", e[i].st.st_nlink);
			int s = snprintf(w, sizeof(w), "%ld", (long)e[i].st.st_size);

			wlinks = l > wlinks ? l : wlinks;
			wsize = s > wsize ? s : wsize;
		}
		for (size_t i = 0; i < n; i++) {
			struct stat *st = &e[i].st;

			mode_string(st->st_mode, mode);
			time_string(st->st_mtime, when, sizeof(when));
			printf("%s %*u %u %u %*ld %s %s\n", mode, wlinks, st->st_nlink,
			       st->st_uid, st->st_gid, wsize, (long)st->st_size, when,
			       e[i].name);
		}
		return;
	}
	if (opt_one) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", e[i].name);
		return;
	}
	/* Columns, down then across, as wide as the terminal. */
	struct winsize ws = { .ws_col = 80 };
	size_t width = 1, cols, rows;

	ioctl(1, TIOCGWINSZ, &ws);
	for (size_t i = 0; i < n; i++)
		if (strlen(e[i].name) + 2 > width)
			width = strlen(e[i].name) + 2;
	cols = ws.ws_col > width ? ws.ws_col / width : 1;
	rows = (n + cols - 1) / cols;
	for (size_t r = 0; r < rows; r++) {
		char line[1024];
		int len = 0;

		for (size_t c = 0; c < cols && r + c * rows < n; c++) {
			size_t k = r + c * rows;
			int last = c + 1 == cols || k + rows >= n;

			len += snprintf(line + len, sizeof(line) - len, "%-*s",
					last ? 0 : (int)width, e[k].name);
			if (len >= (int)sizeof(line))
				len = sizeof(line) - 1;
		}
		printf("%s\n", line);
	}
}

static void free_entries(struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].path);
	}
	free(e);
}

static void list_dir(const char *path)
{
	struct entry *e = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d) {
		warn("%s", path);
		ret = 2;
		return;
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && !opt_all)
			continue;
		if (n == cap) {
			struct entry *bigger = realloc(e, (cap = cap * 2 + 32) * sizeof(*e));

			if (!bigger)
				err(2, "out of memory");
			e = bigger;
		}
		e[n].name = strdup(de->d_name);
		if (!e[n].name || asprintf(&e[n].path, "%s/%s", path, de->d_name) < 0)
			err(2, "out of memory");
		if (opt_long) {
			if (lstat(e[n].path, &e[n].st) < 0) {
				warn("%s", e[n].path);
				ret = 1;
				free(e[n].name);
				free(e[n].path);
				continue;
			}
		}
		n++;
	}
	if (errno) {
		warn("reading directory %s", path);
		ret = 1;
	}
	closedir(d);
	qsort(e, n, sizeof(*e), by_name);
	if (opt_long) {
		long blocks = 0;

		for (size_t i = 0; i < n; i++)
			blocks += e[i].st.st_blocks;
		printf("total %ld\n", blocks / 2); /* 1 KiB units, like coreutils */
	}
	print_entries(e, n);
	free_entries(e, n);
}

int main(int argc, char **argv)
{
	struct entry *files, *dirs;
	size_t nfiles = 0, ndirs = 0;
	int c, noperands;
	char *dot[] = { ".", NULL };
	char **operands;

	while ((c = getopt(argc, argv, "1al")) != -1) {
		switch (c) {
		case '1': opt_one = 1; break;
		case 'a': opt_all = 1; break;
		case 'l': opt_long = 1; break;
		default:
			dprintf(2, "usage: ls [-1al] [file...]\n");
			return 2;
		}
	}
	/* Like coreutils: one per line unless the output is a terminal. */
	if (!isatty(1))
		opt_one = 1;
	now = time(NULL);
	operands = optind < argc ? argv + optind : dot;
	noperands = optind < argc ? argc - optind : 1;
	files = calloc(noperands, sizeof(*files));
	dirs = calloc(noperands, sizeof(*dirs));
	if (!files || !dirs)
		err(2, "out of memory");
	/* Files first, then each directory's contents, as coreutils does. */
	for (int i = 0; i < noperands; i++) {
		struct stat st;

		if (stat(operands[i], &st) < 0 && lstat(operands[i], &st) < 0) {
			warn("%s", operands[i]);
			ret = 2;
			continue;
		}
		struct entry *e = S_ISDIR(st.st_mode) ? &dirs[ndirs++] : &files[nfiles++];

		e->name = strdup(operands[i]);
		e->path = strdup(operands[i]);
		if (!e->name || !e->path)
			err(2, "out of memory");
		e->st = st;
	}
	qsort(files, nfiles, sizeof(*files), by_name);
	qsort(dirs, ndirs, sizeof(*dirs), by_name);
	print_entries(files, nfiles);
	for (size_t i = 0; i < ndirs; i++) {
		if (noperands > 1)
			printf("%s%s:\n", nfiles || i ? "\n" : "", dirs[i].name);
		list_dir(dirs[i].path);
	}
	free_entries(files, nfiles);
	free_entries(dirs, ndirs);
	return ret;
}
