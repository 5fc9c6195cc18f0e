/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench's WebAssembly part (tools/testing/bench.py boots it as /init
 * on 1 hart under -icount): each compute kernel of this directory run
 * natively, as a module in the interpreter and compiled, counting the
 * hart's instructions from fork to wait; the compile cost per byte of
 * code; and start-up (execve to exit, no work) of a ~100 KiB module
 * against the same program as an ELF, at the first execve and again (the
 * compiled code then from the kernel's code cache).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DIR "/tests/wasm/bench/"

static char out[4096], err[4096];

static unsigned long long instret(void)
{
	unsigned long long v;

	__asm__ __volatile__("rdinstret %0" : "=r"(v));
	return v;
}

static void read_all(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t got;

	while (n + 1 < size && (got = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)got;
	buf[n] = 0;
}

/*
 * Instructions retired from fork to the exit of path run with argv; its
 * stdout and stderr into out and err.
 */
static long long measure_argv(const char *path, char *const argv[], const char *tier)
{
	char tier_env[32];
	char *envp[] = { tier_env, "WASMRT_STATS=1", NULL };
	unsigned long long t0;
	int po[2], pe[2], status;
	pid_t pid;

	snprintf(tier_env, sizeof(tier_env), "WASM_TIER=%s", tier);
	if (pipe(po) || pipe(pe))
		return -1;
	t0 = instret();
	pid = fork();
	if (!pid) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		execve(path, argv, envp);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	read_all(po[0], out, sizeof(out));
	read_all(pe[0], err, sizeof(err));
	close(po[0]);
	close(pe[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return (long long)(instret() - t0);
}

static long long measure(const char *path, const char *rounds, const char *tier)
{
	char *argv[] = { (char *)path, (char *)rounds, NULL };

	return measure_argv(path, argv, tier);
}

static const struct { const char *name, *rounds; } kernels[] = {
	{ "crc32", "4" }, { "sha256", "4" }, { "matmul", "2" }, { "sort", "1" }, { "nbody", "4" },
};

int main(void)
{
	static const char *const tiers[] = { "native", "interp", "jit" };
	char path[64], native_out[256] = "";

	for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
		for (int t = 0; t < 3; t++) {
			long long base, full;

			snprintf(path, sizeof(path), DIR "%s%s", kernels[k].name, t ? ".wasm" : "");
			/* Once first: the run of 0 rounds and the full one both find the code cached. */
			measure(path, "0", tiers[t]);
			base = measure(path, "0", tiers[t]);
			full = measure(path, kernels[k].rounds, tiers[t]);
			if (!t)
				snprintf(native_out, sizeof(native_out), "%s", out);
			else if (strcmp(out, native_out))
				printf("bench: wasm %s %s: output differs from native: %s", kernels[k].name,
				       tiers[t], out);
			if (t && !strstr(err, t == 1 ? "tier interp" : "tier jit"))
				printf("bench: wasm %s: not run in the %s tier\n", kernels[k].name, tiers[t]);
			printf("bench: wasm %s %s %lld instructions\n", kernels[k].name, tiers[t],
			       base < 0 || full < 0 ? -1 : full - base);
		}
	}
	/*
	 * Start-up, twice: the first execve of the module compiles it (in the
	 * kernel, with its code cache; else in the runtime), the second finds
	 * its code cached.
	 */
	for (int again = 0; again < 2; again++) {
		for (int t = 0; t < 3; t++) {
			snprintf(path, sizeof(path), DIR "startup%s", t ? ".wasm" : "");
			printf("bench: wasm startup%s %s %lld instructions\n", again ? "-again" : "",
			       tiers[t], measure(path, "0", tiers[t]));
		}
	}
	/* What compiling costs, in the runtime run without the kernel's code (as wasmrt says). */
	{
		char *argv[] = { "wasmrt", "--tier=jit", DIR "startup.wasm", "0", NULL };
		char *s;
		unsigned long bytes, code = 0;
		unsigned long long cost = 0;

		measure_argv("/usr/lib/wasm/wasmrt", argv, "jit");
		/* "wasmrt: compiled B bytes of code to C in I instructions" */
		s = strstr(err, "compiled ");
		bytes = s ? strtoul(s + 9, &s, 10) : 0;
		if (bytes && (s = strstr(s, " to ")))
			code = strtoul(s + 4, &s, 10);
		if (code && (s = strstr(s, " in ")))
			cost = strtoull(s + 4, NULL, 10);
		if (cost)
			printf("bench: wasm compile %lu bytes %lu code %llu instructions %llu per byte\n",
			       bytes, code, cost, cost / bytes);
	}
	printf("bench: done\n");
	return 0;
}
