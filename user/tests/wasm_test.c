/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * wasm_test: WebAssembly modules run as processes through execve
 * (binfmt_wasm and /usr/lib/wasm/wasmrt): the WASI test programs of
 * user/wasm/progs, whose expected output is what Node's WASI prints for
 * them on the host; exit status, stdin from a pipe, a trap's message and
 * status; truncated and garbage modules refused with ENOEXEC while the
 * system goes on; a running module in /proc and killed by SIGKILL; the
 * compiled-code cache (CONFIG_WASM_JIT_CACHE): two processes of a module
 * map the same code, a module rewritten in place runs its new code, the
 * results are those of code compiled by the runtime itself and of the
 * interpreter, the cache's memory comes back when the file goes, and
 * the cache gives its code back when memory runs out.
 *
 * utest: smp=1,4 timeout=120
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostile.h"
#include "utest.h"

static char out[8192], err[8192];

static size_t read_all(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t got;

	while (n + 1 < size && (got = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)got;
	buf[n] = 0;
	return n;
}

/*
 * Runs path with argv and envp, stdin fed from in (NULL: empty); stdout
 * and stderr into out and err. The wait status, or -1.
 */
static int run(const char *path, char *const argv[], char *const envp[], const char *in)
{
	int po[2], pe[2], pi[2], status;
	pid_t pid;

	if (pipe(po) || pipe(pe) || pipe(pi))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(pi[0], 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(pi[1]);
		close(po[0]);
		close(pe[0]);
		execve(path, argv, envp);
		dprintf(2, "execve: errno %d\n", errno);
		_exit(errno == ENOEXEC ? 126 : 127);
	}
	close(pi[0]);
	close(po[1]);
	close(pe[1]);
	if (in && write(pi[1], in, strlen(in)) < 0)
		status = -1;
	close(pi[1]);
	read_all(po[0], out, sizeof(out));
	read_all(pe[0], err, sizeof(err));
	close(po[0]);
	close(pe[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int exited(int status, int code)
{
	return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static char *noenv[] = { NULL };

static void hello(void)
{
	char *argv[] = { "hello.wasm", NULL };
	int st = run("/tests/wasm/hello.wasm", argv, noenv, NULL);

	check(exited(st, 0), "hello.wasm exits 0");
	check(!strcmp(out, "hello from WebAssembly\n"), "hello.wasm prints its greeting");
}

static void args_env(void)
{
	char *argv[] = { "args.wasm", "a", "b c", NULL };
	char *envp[] = { "WASM_TEST=yes", "OTHER=1", NULL };
	int st = run("/tests/wasm/args.wasm", argv, envp, NULL);

	check(exited(st, 0), "args.wasm exits 0");
	check(!strcmp(out, "argc=3\nargv[1]=a\nargv[2]=b c\nWASM_TEST=yes\n"),
	      "args.wasm sees its arguments and environment");
	if (strcmp(out, "argc=3\nargv[1]=a\nargv[2]=b c\nWASM_TEST=yes\n"))
		printf("# got: %s\n", out);
}

static void files(void)
{
	char *argv[] = { "files.wasm", "/wasm_test_file.txt", NULL };
	int st = run("/tests/wasm/files.wasm", argv, noenv, NULL);
	char buf[64] = "";
	int fd;

	check(exited(st, 0), "files.wasm exits 0");
	check(!strcmp(out, "after seek: abcdef\nsize: 16\nmissing file: No such file or directory\n"),
	      "files.wasm writes, seeks and reads back; a missing file is ENOENT");
	if (!exited(st, 0) || strstr(out, "fopen"))
		printf("# got: %s%s\n", out, err);
	/* What the module wrote is an ordinary file. */
	fd = open("/wasm_test_file.txt", O_RDONLY);
	check(fd >= 0 && read(fd, buf, sizeof(buf) - 1) == 16 &&
	      !strcmp(buf, "0123456789abcdef"), "the module's file holds what it wrote");
	if (fd >= 0)
		close(fd);
	unlink("/wasm_test_file.txt");
}

static void exit_status_and_stdin(void)
{
	char *argv[] = { "exitcode.wasm", "7", NULL };
	int st = run("/tests/wasm/exitcode.wasm", argv, noenv, "abc");

	check(exited(st, 7), "exitcode.wasm 7 exits with status 7");
	check(!strcmp(out, "read 3 bytes\n"), "exitcode.wasm reads its stdin pipe to EOF");
}

static void trap(void)
{
	char *argv[] = { "trap.wasm", NULL };
	int st = run("/tests/wasm/trap.wasm", argv, noenv, NULL);

	check(exited(st, 134), "a trap ends the process with status 134");
	check(!strcmp(out, "about to trap\n"), "output before the trap is kept");
	check(strstr(err, "wasm trap: integer divide by zero in function ") != NULL,
	      "the trap is named, with the function index");
}

static void compute(void)
{
	char *argv[] = { "compute.wasm", NULL };
	int st = run("/tests/wasm/compute.wasm", argv, noenv, NULL);

	check(exited(st, 0), "compute.wasm exits 0");
	check(!strcmp(out, "crc32=c39b3ffa min=4940 max=16777146 sum=11583278154.667\n"),
	      "compute.wasm: CRC32, sort and float sums as Node's");
}

/* Writes n bytes of data to path, executable. */
static void put_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	if (fd >= 0) {
		if (write(fd, data, n) < 0)
			perror("write");
		close(fd);
	}
}

static void bad_modules(void)
{
	static unsigned char buf[4096];
	char *argv[] = { "bad", NULL };
	unsigned long seed = 0x9e3779b97f4a7c15ul;
	int fd = open("/tests/wasm/hello.wasm", O_RDONLY), ok = 1;
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

	if (fd >= 0)
		close(fd);
	CHECK(n > 100);
	/* Truncated at several points: each refused by the kernel's validator. */
	for (ssize_t cut = 4; cut < n; cut += 97) {
		put_file("/bad.wasm", buf, (size_t)cut);
		if (!exited(run("/bad.wasm", argv, noenv, NULL), 126))
			ok = 0;
	}
	check(ok, "truncated modules: execve fails with ENOEXEC");
	/* The magic and version, then garbage. */
	ok = 1;
	for (int round = 0; round < 8; round++) {
		for (int i = 8; i < 512; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			buf[i] = (unsigned char)seed;
		}
		put_file("/bad.wasm", buf, 512);
		if (!exited(run("/bad.wasm", argv, noenv, NULL), 126))
			ok = 0;
	}
	check(ok, "garbage after the header: execve fails with ENOEXEC");
	unlink("/bad.wasm");
	hello();
}

/* Set by tiers: whether the runtime has the compiled tier. */
static int jit_built;

/*
 * WASM_TIER= picks the tier per execve (WASMRT_STATS=1 makes the runtime
 * say which ran): the same output, and a trap with the same message, from
 * the interpreter and the compiled code. Without CONFIG_WASM_JIT both are
 * the interpreter.
 */
static void tiers(void)
{
	static char outs[2][8192], errs[2][8192], oobs[2][8192];
	static const char *const names[] = { "interp", "jit" };
	char *cargv[] = { "compute.wasm", "3000", NULL }, *targv[] = { "trap.wasm", NULL },
	     *oargv[] = { "trap.wasm", "oob", NULL };
	char *envs[2][3] = { { "WASM_TIER=interp", "WASMRT_STATS=1", NULL },
			     { "WASM_TIER=jit", "WASMRT_STATS=1", NULL } };
	int jit = 0;

	for (int t = 0; t < 2; t++) {
		char want[32];

		check(exited(run("/tests/wasm/compute.wasm", cargv, envs[t], NULL), 0),
		      "compute.wasm exits 0 in each tier");
		memcpy(outs[t], out, sizeof(out));
		snprintf(want, sizeof(want), "wasmrt: tier %s", names[t]);
		if (t == 0)
			check(strstr(err, want) != NULL, "WASM_TIER=interp interprets");
		else
			jit = strstr(err, "wasmrt: tier jit, guarded memory\n") != NULL;
		check(exited(run("/tests/wasm/trap.wasm", targv, envs[t], NULL), 134),
		      "a trap ends the process with status 134 in each tier");
		snprintf(errs[t], sizeof(errs[t]), "%s",
			 strstr(err, "wasm trap:") ? strstr(err, "wasm trap:") : "none");
		/* Compiled, this load is not checked: it faults on the memory's guard. */
		check(exited(run("/tests/wasm/trap.wasm", oargv, envs[t], NULL), 134),
		      "an out-of-bounds load ends the process with status 134 in each tier");
		snprintf(oobs[t], sizeof(oobs[t]), "%s",
			 strstr(err, "wasm trap:") ? strstr(err, "wasm trap:") : "none");
	}
	check(!strncmp(oobs[0], "wasm trap: out of bounds memory access in function ", 51),
	      "the out-of-bounds load is named");
	check(!strcmp(oobs[0], oobs[1]), "the out-of-bounds trap's message is the same in both tiers");
	if (strcmp(oobs[0], oobs[1]))
		printf("# interp: %.64s\n# jit: %.64s\n", oobs[0], oobs[1]);
	check(!strcmp(outs[0], outs[1]), "compute.wasm prints the same in both tiers");
	check(!strcmp(errs[0], errs[1]), "the trap's message is the same in both tiers");
	if (strcmp(errs[0], errs[1]))
		printf("# interp: %.64s\n# jit: %.64s\n", errs[0], errs[1]);
	jit_built = jit;
	printf("# WASM_TIER=jit ran %s\n", jit ? "compiled code on a guarded memory" :
	       "the interpreter (no CONFIG_WASM_JIT)");
	/* Without WASM_TIER the kernel's wasm.tier= (default jit) decides. */
	run("/tests/wasm/hello.wasm", cargv, envs[1] + 1, NULL);
	printf("# default: %s", strstr(err, "wasmrt: tier") ? strstr(err, "wasmrt: tier") : "?\n");
}

/*
 * With no room for a guard reservation (RLIMIT_AS below 4 GiB) the runtime
 * compiles the module with bounds checks: the same output and the same
 * out-of-bounds trap.
 */
static void no_guard_room(void)
{
	static char want[8192];
	struct { unsigned long long cur, max; } lim = { 512ull << 20, 0 }, old;
	enum { RLIMIT_AS = 9 };	/* Linux's number; the libc has no <sys/resource.h> */
	char *cargv[] = { "compute.wasm", "3000", NULL }, *oargv[] = { "trap.wasm", "oob", NULL };
	char *env[] = { "WASM_TIER=jit", "WASMRT_STATS=1", NULL };

	check(exited(run("/tests/wasm/compute.wasm", cargv, env, NULL), 0),
	      "compute.wasm exits 0 with room for a guard");
	memcpy(want, out, sizeof(want));
	if (syscall(__NR_prlimit64, 0, RLIMIT_AS, NULL, &old) ||
	    (lim.max = old.max, syscall(__NR_prlimit64, 0, RLIMIT_AS, &lim, NULL))) {
		check(0, "prlimit64 lowers RLIMIT_AS");
		return;
	}
	check(exited(run("/tests/wasm/compute.wasm", cargv, env, NULL), 0),
	      "compute.wasm exits 0 under RLIMIT_AS of 512 MiB");
	check(!strcmp(out, want), "compute.wasm prints the same with bounds checks");
	check(!jit_built || strstr(err, "wasmrt: tier jit\n") != NULL,
	      "the module ran compiled, without a guarded memory");
	check(exited(run("/tests/wasm/trap.wasm", oargv, env, NULL), 134) &&
	      strstr(err, "wasm trap: out of bounds memory access in function ") != NULL,
	      "the out-of-bounds load traps with its name");
	syscall(__NR_prlimit64, 0, RLIMIT_AS, &old, NULL);
}

/* ---- The compiled-code cache ---- */

/* A counter of /proc/wasm_jit_cache ("compiles", "hits", "entries"), or -1. */
static long cache_stat(const char *key)
{
	static char buf[4096];
	int fd = open("/proc/wasm_jit_cache", O_RDONLY);
	size_t klen = strlen(key);
	char *line;

	if (fd < 0)
		return -1;
	read_all(fd, buf, sizeof(buf));
	close(fd);
	for (line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			return strtol(line + klen + 1, NULL, 10);
	return -1;
}

/* The references to the image of the entry for inode ino (the cache's and each mapping's), or -1. */
static long cache_refs(unsigned long ino)
{
	static char buf[4096];
	char want[32], *at;
	int fd = open("/proc/wasm_jit_cache", O_RDONLY);

	if (fd < 0)
		return -1;
	read_all(fd, buf, sizeof(buf));
	close(fd);
	snprintf(want, sizeof(want), "ino %lu size ", ino);
	at = strstr(buf, want);
	at = at ? strstr(at, " refs ") : NULL;
	return at ? strtol(at + 6, NULL, 10) : -1;
}

static bool copy_file(const char *from, const char *to)
{
	static char buf[65536];
	int in = open(from, O_RDONLY), o = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;
	bool ok = in >= 0 && o >= 0;

	while (ok && (n = read(in, buf, sizeof(buf))) > 0)
		ok = write(o, buf, (size_t)n) == n;
	if (in >= 0)
		close(in);
	if (o >= 0)
		close(o);
	return ok;
}

static unsigned long ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (unsigned long)st.st_ino;
}

/*
 * Starts path with its stdin the read end of a pipe whose write end is
 * *in (exitcode.wasm reads to the end, so it runs until *in is closed),
 * stdout and stderr to /dev/null.
 */
static pid_t start_blocked(const char *path, char *const argv[], int *in)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(p[0], 0);
		dup2(null, 1);
		dup2(null, 2);
		close(p[1]);
		execve(path, argv, noenv);
		_exit(127);
	}
	close(p[0]);
	*in = p[1];
	return pid;
}

/*
 * The size of pid's shared read+execute region (the cached code), 0 if
 * none, once execve made it (waits up to 5 s); *wx: some region is both
 * writable and executable.
 */
static unsigned long code_region(pid_t pid, bool *wx)
{
	static char buf[16384];
	char path[64], *line;
	unsigned long end = now_ms() + 5000, lo, hi, size = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	*wx = false;
	do {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			return 0;
		read_all(fd, buf, sizeof(buf));
		close(fd);
		for (line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
			char *e, *perm;

			lo = strtoul(line, &e, 16);
			if (*e != '-')
				continue;
			hi = strtoul(e + 1, &perm, 16);
			if (*perm++ != ' ' || strlen(perm) < 4)
				continue;
			if (!strncmp(perm, "r-xs", 4))
				size = hi - lo;
			if (perm[1] == 'w' && perm[2] == 'x')
				*wx = true;
		}
		if (size)
			return size;
		usleep(10000);
	} while (now_ms() < end);
	return 0;
}

/*
 * The references to ino's image once pid sleeps (blocked on its stdin)
 * and the count holds still: a page fault on the image holds one more
 * while it runs. -1 if that does not happen within 5 s.
 */
static long settled_refs(unsigned long ino, pid_t pid)
{
	unsigned long end = now_ms() + 5000;
	char path[64], stat[256], *state;
	long refs;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	do {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			return -1;
		read_all(fd, stat, sizeof(stat));
		close(fd);
		state = strrchr(stat, ')');
		refs = cache_refs(ino);
		usleep(20000);
		if (state && state[1] == ' ' && state[2] == 'S' && refs == cache_refs(ino))
			return refs;
	} while (now_ms() < end);
	return -1;
}

/* Whether the kernel has the cache; the case is skipped with a reason if not. */
static bool have_cache(void)
{
	if (cache_stat("compiles") >= 0)
		return true;
	utest_skip("no /proc/wasm_jit_cache (CONFIG_WASM_JIT_CACHE or CONFIG_PROC_FS off)");
	return false;
}

/*
 * Two processes running one module at once: the kernel compiled it once
 * (the second execve is a hit) and both map the same image, each adding
 * the same number of references to its pages; the code is read+execute
 * and shared, nothing is writable and executable.
 */
static void cache_shared(void)
{
	const char *path = "/tmp/wc-shared.wasm";
	char *argv[] = { "wc-shared.wasm", "7", NULL };
	unsigned long ino, size1, size2;
	long compiles, hits, refs0, refs1, refs2;
	int in1 = -1, in2 = -1, st1 = -1, st2 = -1;
	bool wx1, wx2;
	pid_t p1, p2;

	if (!have_cache())
		return;
	check(copy_file("/tests/wasm/exitcode.wasm", path), "the module is copied to /tmp");
	ino = ino_of(path);
	compiles = cache_stat("compiles");
	hits = cache_stat("hits");
	p1 = start_blocked(path, argv, &in1);
	size1 = code_region(p1, &wx1);
	refs1 = settled_refs(ino, p1);
	p2 = start_blocked(path, argv, &in2);
	size2 = code_region(p2, &wx2);
	refs2 = settled_refs(ino, p2);
	check(size1 && size1 == size2, "both processes map the code, shared read+execute");
	check(!wx1 && !wx2, "no region is writable and executable");
	check(cache_stat("compiles") == compiles + 1, "the module was compiled once");
	check(cache_stat("hits") == hits + 1, "the second execve used the cached code");
	check(refs1 > 1 && refs2 - 1 == 2 * (refs1 - 1),
	      "the second process maps the same pages as the first");
	printf("# code %lu bytes; image references: %ld with one process, %ld with two\n", size1,
	       refs1, refs2);
	close(in1);
	close(in2);
	waitpid(p1, &st1, 0);
	waitpid(p2, &st2, 0);
	check(exited(st1, 7) && exited(st2, 7), "both run to their exit status");
	refs0 = cache_refs(ino);
	check(refs0 == 1, "their mappings went with them: the cache's reference is left");
	unlink(path);
	check(cache_refs(ino) == -1, "the entry goes with the file");
}

/* Changes one byte of "hello from WebAssembly" in the module at path: "jello ...". */
static bool patch_greeting(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDWR);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	char *at = NULL;

	for (ssize_t i = 0; n > 0 && i + 5 <= n && !at; i++)
		if (!memcmp(buf + i, "hello", 5))
			at = buf + i;
	if (at) {
		*at = 'j';
		/* In place, through the same inode: O_TRUNC, then the same size again. */
		close(fd);
		fd = open(path, O_WRONLY | O_TRUNC);
		at = fd >= 0 && write(fd, buf, (size_t)n) == n ? at : NULL;
	}
	if (fd >= 0)
		close(fd);
	return at != NULL;
}

/*
 * A module rewritten on disk between two execve runs its new code: with
 * another size, and with the same size and time stamps (only the bytes
 * tell), in the same inode.
 */
static void cache_rewrite(void)
{
	const char *path = "/tmp/wc-rewrite.wasm";
	char *argv[] = { "wc-rewrite.wasm", "x", NULL };
	struct timespec times[2];
	struct stat st;
	unsigned long ino;
	long compiles;

	if (!have_cache())
		return;
	check(copy_file("/tests/wasm/hello.wasm", path), "hello.wasm is copied to /tmp");
	ino = ino_of(path);
	check(exited(run(path, argv, noenv, NULL), 0) && !strcmp(out, "hello from WebAssembly\n"),
	      "it runs: hello");
	check(exited(run(path, argv, noenv, NULL), 0) && !strcmp(out, "hello from WebAssembly\n"),
	      "it runs again from the cache: hello");
	compiles = cache_stat("compiles");
	check(copy_file("/tests/wasm/args.wasm", path) && ino_of(path) == ino,
	      "args.wasm is written over it, in place");
	check(exited(run(path, argv, noenv, NULL), 0) && !strncmp(out, "argc=2\nargv[1]=x\n", 17),
	      "the new module runs");
	check(copy_file("/tests/wasm/hello.wasm", path) && !stat(path, &st),
	      "hello.wasm is written back");
	check(exited(run(path, argv, noenv, NULL), 0) && !strcmp(out, "hello from WebAssembly\n"),
	      "hello again");
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	check(patch_greeting(path) && !syscall(__NR_utimensat, -100 /* AT_FDCWD */, path, times, 0) && !stat(path, &st) &&
	      st.st_mtim.tv_sec == times[1].tv_sec && st.st_mtim.tv_nsec == times[1].tv_nsec,
	      "one byte changed, same size and modification time");
	check(exited(run(path, argv, noenv, NULL), 0) && !strcmp(out, "jello from WebAssembly\n"),
	      "the changed module runs, not the cached code");
	if (strcmp(out, "jello from WebAssembly\n"))
		printf("# got: %s", out);
	check(cache_stat("compiles") == compiles + 3, "each new content was compiled");
	unlink(path);
}

/*
 * The same results from the cached code (first and second execve), from
 * code the runtime compiles itself (run directly, without the kernel's
 * image) and from the interpreter (for which the kernel compiles nothing).
 */
static void cache_results(void)
{
	static char outs[4][8192];
	const char *path = "/tmp/wc-compute.wasm", *ipath = "/tmp/wc-interp.wasm";
	char *argv[] = { "wc-compute.wasm", "3000", NULL };
	long compiles;
	char *rargv[] = { "wasmrt", "--tier=jit", "/tmp/wc-compute.wasm", "3000", NULL };
	char *env[] = { "WASMRT_STATS=1", NULL };
	char *ienv[] = { "WASM_TIER=interp", NULL };

	if (!have_cache())
		return;
	check(copy_file("/tests/wasm/compute.wasm", path), "compute.wasm is copied to /tmp");
	for (int i = 0; i < 2; i++) {
		check(exited(run(path, argv, env, NULL), 0) &&
		      strstr(err, "bytes of code from the kernel's cache\n") &&
		      strstr(err, "wasmrt: tier jit, guarded memory\n"),
		      "the module runs the kernel's code");
		memcpy(outs[i], out, sizeof(out));
	}
	check(exited(run("/usr/lib/wasm/wasmrt", rargv, env, NULL), 0) &&
	      strstr(err, "wasmrt: compiled ") && strstr(err, "wasmrt: tier jit"),
	      "the runtime alone compiles it itself");
	memcpy(outs[2], out, sizeof(out));
	/* A new file, interpreted: the kernel does not compile what will not run compiled. */
	compiles = cache_stat("compiles");
	check(copy_file(path, ipath), "and copied again");
	check(exited(run(ipath, argv, ienv, NULL), 0), "WASM_TIER=interp interprets it");
	memcpy(outs[3], out, sizeof(out));
	check(cache_stat("compiles") == compiles && cache_refs(ino_of(ipath)) == -1,
	      "not compiled in the kernel for the interpreter");
	unlink(ipath);
	check(outs[0][0] && !strcmp(outs[0], outs[1]) && !strcmp(outs[0], outs[2]) &&
	      !strcmp(outs[0], outs[3]), "the same output in all four runs");
	unlink(path);
}

/*
 * The cache keeps a module's code after its processes end; when the file
 * goes, so does the entry, and free memory is back where it was.
 */
static void cache_memory_back(void)
{
	const char *path = "/tmp/wc-mem.wasm";
	char *argv[] = { "wc-mem.wasm", NULL };
	unsigned long before, ino;
	long entries;

	if (!have_cache())
		return;
	/* Once before measuring, so that what grows once (slab caches, /tmp's table) has. */
	check(copy_file("/tests/wasm/compute.wasm", path) && exited(run(path, argv, noenv, NULL), 0),
	      "a warm-up run");
	unlink(path);
	before = hx_warm_up();
	entries = cache_stat("entries");
	check(copy_file("/tests/wasm/compute.wasm", path), "compute.wasm is copied to /tmp");
	ino = ino_of(path);
	for (int i = 0; i < 3; i++)
		check(exited(run(path, argv, noenv, NULL), 0), "the module runs");
	check(cache_refs(ino) == 1 && cache_stat("entries") == entries + 1,
	      "its code stays cached after its processes end");
	unlink(path);
	check(cache_refs(ino) == -1 && cache_stat("entries") == entries,
	      "unlinking the file drops the entry");
	check(hx_memory_back("cache", before) <= 0, "free memory is back");
}

/*
 * Memory running out gives the cache's unmapped code back before the OOM
 * killer ends a process: a hog that writes memory until it is killed
 * takes the entry of a module no process runs (the file stays); the
 * module then runs again, compiled anew.
 */
static void cache_pressure(void)
{
	const char *path = "/tmp/wc-pressure.wasm";
	char *argv[] = { "wc-pressure.wasm", NULL };
	long evictions, compiles;
	unsigned long ino;
	int status = -1;
	pid_t hog;

	if (!have_cache())
		return;
	check(copy_file("/tests/wasm/hello.wasm", path) && exited(run(path, argv, noenv, NULL), 0),
	      "a module runs");
	ino = ino_of(path);
	check(cache_refs(ino) == 1, "its code is cached, mapped by no process");
	evictions = cache_stat("evictions");
	hog = fork();
	if (!hog) {
		for (;;) {
			char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				_exit(1);
			for (int i = 0; i < 1 << 20; i += 4096)
				p[i] = 1;
		}
	}
	waitpid(hog, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the hog is killed");
	check(cache_refs(ino) == -1 && cache_stat("evictions") > evictions,
	      "the cached code was given back first");
	compiles = cache_stat("compiles");
	check(exited(run(path, argv, noenv, NULL), 0) && !strcmp(out, "hello from WebAssembly\n") &&
	      cache_stat("compiles") == compiles + 1, "the module runs again, compiled anew");
	unlink(path);
}

static void proc_and_kill(void)
{
	char *argv[] = { "compute.wasm", "200000", NULL };
	char path[64], comm[64] = "";
	int status = -1, fd;
	pid_t pid = fork();

	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 1);
		execve("/tests/wasm/compute.wasm", argv, noenv);
		_exit(127);
	}
	CHECK(pid > 0);
	if (pid <= 0)
		return;
	/* Long enough for execve to be done: the sort of 200000 takes far longer. */
	for (int i = 0; i < 50 && !strstr(comm, "compute"); i++) {
		usleep(20000);
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			read_all(fd, comm, sizeof(comm));
			close(fd);
		}
	}
	check(strstr(comm, "compute.wasm") != NULL, "a running module is in /proc by its name");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "SIGKILL ends a running module");
}

int main(void)
{
	static const struct utest_case cases[] = {
		UTEST_CASE(hello),
		UTEST_CASE(args_env),
		UTEST_CASE(files),
		UTEST_CASE(exit_status_and_stdin),
		UTEST_CASE(trap),
		UTEST_CASE(compute),
		UTEST_CASE(bad_modules),
		UTEST_CASE(proc_and_kill),
		UTEST_CASE(tiers),
		UTEST_CASE(no_guard_room),
		UTEST_CASE(cache_shared),
		UTEST_CASE(cache_rewrite),
		UTEST_CASE(cache_results),
		UTEST_CASE(cache_memory_back),
		UTEST_CASE(cache_pressure),
	};

	struct stat st;

	int n = sizeof(cases) / sizeof(cases[0]);

	if (stat("/usr/lib/wasm/wasmrt", &st)) {
		ktap_begin("wasm_test", n);
		for (int i = 0; i < n; i++)
			ktap_case(i + 1, 1, cases[i].name, "no /usr/lib/wasm/wasmrt (CONFIG_BINFMT_WASM off)");
		return ktap_end("wasm_test", 0, 0, n);
	}
	return utest_run("wasm_test", cases, n);
}
