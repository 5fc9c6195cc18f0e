/* Process start-up state: environ and the auxiliary vector, getauxval(), getenv(). */
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

	(void)argc;
	(void)argv;
	environ = envp;
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

char *getenv(const char *name)
{
	size_t n = strlen(name);
	char **e;

	for (e = environ; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}
