/* SPDX-License-Identifier: BSD-2-Clause */
/* fixdep: turn a gcc -MD dependency file into per-CONFIG-symbol dependencies plus the saved command. */

/*
 * Depending on include/generated/autoconf.h would rebuild every object on any
 * configuration change.  Instead, each source and header the compiler read is
 * scanned for CONFIG_FOO_BAR words and the object gets a dependency on
 * include/config/foo/bar.h, which Kconfiglib's sync_deps() touches only when
 * that one symbol changes.  $(wildcard) keeps a never-touched file harmless.
 *
 * Usage: fixdep DEPFILE TARGET CMDLINE   (writes the .cmd makefile to stdout)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SYMS 4096

static char *syms[MAX_SYMS];
static int nr_syms;

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		perror("fixdep");
		exit(2);
	}
	return p;
}

static char *read_file(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = xmalloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	*lenp = (size_t)len;
	return buf;
}

static void add_sym(const char *name, size_t len)
{
	int i;

	for (i = 0; i < nr_syms; i++)
		if (strlen(syms[i]) == len && !memcmp(syms[i], name, len))
			return;
	if (nr_syms == MAX_SYMS) {
		fprintf(stderr, "fixdep: too many CONFIG_ symbols\n");
		exit(2);
	}
	syms[nr_syms] = xmalloc(len + 1);
	memcpy(syms[nr_syms], name, len);
	syms[nr_syms][len] = '\0';
	nr_syms++;
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static void scan_file(const char *path)
{
	size_t len, i;
	char *buf = read_file(path, &len);

	if (!buf) {
		fprintf(stderr, "fixdep: cannot read %s\n", path);
		exit(2);
	}
	for (i = 0; i + 7 < len; i++) {
		size_t end;

		if (memcmp(buf + i, "CONFIG_", 7) != 0 ||
		    (i > 0 && is_ident((unsigned char)buf[i - 1])))
			continue;
		end = i + 7;
		while (end < len && is_ident((unsigned char)buf[end]))
			end++;
		if (end > i + 7)
			add_sym(buf + i + 7, end - i - 7);
		i = end - 1;
	}
	free(buf);
}

/* autoconf.h itself is replaced by the per-symbol files. */
static int is_config_file(const char *path)
{
	size_t n = strlen(path);
	static const char *const skip[] = { "include/generated/autoconf.h",
					    "include/config/auto.conf" };
	size_t k;

	for (k = 0; k < sizeof(skip) / sizeof(skip[0]); k++) {
		size_t m = strlen(skip[k]);

		if (n >= m && !strcmp(path + n - m, skip[k]))
			return 1;
	}
	return 0;
}

static void print_sym_file(const char *sym)
{
	const char *p;

	printf("    $(wildcard $(objtree)/include/config/");
	for (p = sym; *p; p++)
		putchar(*p == '_' ? '/' : tolower((unsigned char)*p));
	printf(".h) \\\n");
}

int main(int argc, char **argv)
{
	char *buf, *p, *tok;
	size_t len;
	int i, seen_colon = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: fixdep DEPFILE TARGET CMDLINE\n");
		return 2;
	}
	buf = read_file(argv[1], &len);
	if (!buf) {
		fprintf(stderr, "fixdep: cannot read %s\n", argv[1]);
		return 2;
	}
	printf("savedcmd_%s := %s\n\n", argv[2], argv[3]);
	printf("deps_%s := \\\n", argv[2]);

	/* Line continuations become plain white space. */
	for (p = buf; (p = strstr(p, "\\\n")) != NULL;)
		p[0] = p[1] = ' ';

	for (tok = strtok(buf, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
		size_t n = strlen(tok);

		if (!seen_colon) {
			if (tok[n - 1] == ':')
				seen_colon = 1;
			continue;
		}
		/* -MP adds "header:" phony targets after the first rule. */
		if (tok[n - 1] == ':')
			break;
		if (is_config_file(tok))
			continue;
		scan_file(tok);
		printf("  %s \\\n", tok);
	}
	for (i = 0; i < nr_syms; i++)
		print_sym_file(syms[i]);
	printf("\n%s: $(deps_%s)\n\n$(deps_%s):\n", argv[2], argv[2], argv[2]);
	free(buf);
	return 0;
}
