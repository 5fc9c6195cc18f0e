/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dyn_hello: a dynamically linked glibc program: Debian's ld.so loads libc.so.6 (mmap of the file at offsets) before main runs.
 *
 * utest: smp=1,2
 *
 * The kernel maps the program and /lib/ld-linux-riscv64-lp64d.so.1 (its
 * PT_INTERP) and starts the interpreter; ld.so maps /lib/libc.so.6 with
 * MAP_PRIVATE of the file, relocates, and calls main. Both files are in
 * the glibc archive (user/glibc/Makefile); under qemu-riscv64 the runner
 * points QEMU_LD_PREFIX at Debian's cross libraries.
 */
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

static void loaded_objects(void);

static void interpreter_and_libc(void)
{
	Dl_info info;

	/* AT_BASE: where the kernel put ld.so. */
	CHECK(getauxval(AT_BASE) != 0);
	/* printf comes from the shared libc.so.6. */
	CHECK(dladdr((void *)&printf, &info) && info.dli_fname &&
	      strstr(info.dli_fname, "libc.so.6") != NULL);
	/* A symbol of the program itself is in no library. */
	CHECK(dladdr((void *)&loaded_objects, &info) && info.dli_fname &&
	      !strstr(info.dli_fname, ".so"));
}

static int count_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	if (strstr(info->dlpi_name, "libc.so.6") ||
	    strstr(info->dlpi_name, "ld-linux-riscv64-lp64d.so.1"))
		++*(int *)arg;
	return 0;
}

static void loaded_objects(void)
{
	int found = 0;

	dl_iterate_phdr(count_object, &found);
	CHECK(found == 2);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void libc_calls(void)
{
	int v[64], i, sorted = 1;
	char buf[64];
	char *p = malloc(100000);

	for (i = 0; i < 64; i++)
		v[i] = (i * 37) % 64;
	qsort(v, 64, sizeof(v[0]), cmp_int);
	for (i = 0; i < 64; i++)
		sorted &= v[i] == i;
	CHECK(sorted);
	CHECK(snprintf(buf, sizeof(buf), "%s %d %.2f", "hello", 42, 1.5) == 13);
	CHECK(strcmp(buf, "hello 42 1.50") == 0);
	CHECK(p != NULL);
	if (p) {
		memset(p, 7, 100000);
		CHECK(p[99999] == 7);
		free(p);
	}
	printf("# %s from a dynamically linked program\n", buf);
}

/* libc's data pages are copy-on-write in the child. */
static void fork_with_shared_libc(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		setenv("DYN_HELLO", "child", 1);
		_exit(strcmp(getenv("DYN_HELLO"), "child") ? 1 : 3);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 3);
	CHECK(getenv("DYN_HELLO") == NULL);
}

static const struct utest_case cases[] = {
	UTEST_CASE(interpreter_and_libc),
	UTEST_CASE(loaded_objects),
	UTEST_CASE(libc_calls),
	UTEST_CASE(fork_with_shared_libc),
};

int main(void)
{
	return UTEST_RUN("dyn_hello", cases);
}
