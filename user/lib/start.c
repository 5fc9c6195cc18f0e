/* SPDX-License-Identifier: BSD-2-Clause */
/* Process start-up state: environ and the auxiliary vector; getauxval(), getenv(), setenv(). */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "libc_internal.h"

char **environ;
static unsigned long *auxv;

void __libc_init(int argc, char **argv, char **envp)
{
	char **p = envp;

	environ = envp;
	if (argc > 0 && argv[0]) {
		char *slash = strrchr(argv[0], '/');

		program_invocation_short_name = slash ? slash + 1 : argv[0];
	}
	while (*p)
		p++;
	auxv = (unsigned long *)(p + 1);
}

unsigned long getauxval(unsigned long type)
{
	unsigned long *a;

	for (a = auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	errno = ENOENT;
	return 0;
}


/*
 * The start-up environ lives on the stack and cannot grow: the first change
 * copies the array to the heap (the strings stay where they are; new ones
 * are malloc()ed and, since they may still be in a copy made by a caller,
 * never freed).
 */
static char **env_heap;
static size_t env_count, env_cap;

static int env_own(size_t need)
{
	char **e;

	if (env_heap && environ == env_heap && need <= env_cap)
		return 0;
	if (!env_heap || environ != env_heap) {
		env_count = 0;
		while (environ && environ[env_count])
			env_count++;
	}
	if (need < env_count + 1)
		need = env_count + 1;
	e = malloc((need + 8) * sizeof(*e));
	if (!e)
		return -1;
	memcpy(e, environ, env_count * sizeof(*e));
	e[env_count] = NULL;
	free(env_heap);
	environ = env_heap = e;
	env_cap = need + 8;
	return 0;
}

static char **env_find(const char *name, size_t n)
{
	char **e;

	for (e = environ; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return e;
	return NULL;
}

char *getenv(const char *name)
{
	size_t n = strlen(name);
	char **e = env_find(name, n);

	return e ? *e + n + 1 : NULL;
}

int setenv(const char *name, const char *value, int overwrite)
{
	size_t n = strlen(name), v = strlen(value);
	char **slot, *s;

	if (!n || strchr(name, '=')) {
		errno = EINVAL;
		return -1;
	}
	slot = env_find(name, n);
	if (slot && !overwrite)
		return 0;
	if (env_own(env_count + 2) < 0)
		return -1;
	s = malloc(n + v + 2);
	if (!s)
		return -1;
	memcpy(s, name, n);
	s[n] = '=';
	memcpy(s + n + 1, value, v + 1);
	slot = env_find(name, n);
	if (slot) {
		*slot = s;
	} else {
		environ[env_count++] = s;
		environ[env_count] = NULL;
	}
	return 0;
}

int unsetenv(const char *name)
{
	size_t n = strlen(name);
	char **slot;

	if (!n || strchr(name, '=')) {
		errno = EINVAL;
		return -1;
	}
	if (env_own(env_count + 1) < 0)
		return -1;
	while ((slot = env_find(name, n))) {
		memmove(slot, slot + 1, (size_t)(environ + env_count - slot) * sizeof(*slot));
		env_count--;
	}
	return 0;
}
