/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exec_test: program loading as Linux does it: the auxiliary vector and the initial stack, argv+envp limits, #! scripts, static-pie, text at 0x1000, PT_INTERP.
 *
 * utest: smp=2 timeout=180
 *
 * Under qemu-riscv64 (the Linux reference) execve is the host kernel's,
 * which cannot run a riscv64 program (no binfmt_misc): there every errno
 * is still compared, and a case that needs the new program to run checks
 * only that the kernel got as far as looking at its format (ENOEXEC).
 * Helpers: exec_low (text at 0x1000), exec_pie (static-pie), exec_dynmain
 * (PT_INTERP /glibc/exec_interp). The program runs itself with
 * --print-args or --sum-args as the child of its own #! and limit cases.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "exec_run.h"
#include "utest.h"

#define MAX_ARG_STRLEN (32 * 4096)
#define ARG_MAX_FLOOR (32 * 4096)

extern char **environ;
extern const Elf64_Ehdr __ehdr_start;
extern char _start[];

static const char *self; /* this program's path (argv[0]) */
static char dir[PATH_MAX]; /* where the helpers are */
static int saved_argc;
static char **saved_argv;

static const char *helper(const char *name)
{
	static char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

/* ------------------------------------------------------------------ */

static void auxv_values(void)
{
	const unsigned long letters = (1UL << ('i' - 'a')) | (1UL << ('m' - 'a')) |
				      (1UL << ('a' - 'a')) | (1UL << ('f' - 'a')) |
				      (1UL << ('d' - 'a')) | (1UL << ('c' - 'a')) |
				      (1UL << ('v' - 'a'));
	unsigned long hwcap = getauxval(AT_HWCAP);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	int i, nonzero = 0;

	CHECK(getauxval(AT_PAGESZ) == 4096);
	CHECK(getauxval(AT_CLKTCK) == 100);
	/* The base ISA and the letters every RV64GC machine has, no others. */
	CHECK((hwcap & ((1UL << ('i' - 'a')) | (1UL << ('m' - 'a')) |
			(1UL << ('a' - 'a')))) ==
	      ((1UL << ('i' - 'a')) | (1UL << ('m' - 'a')) | (1UL << ('a' - 'a'))));
	CHECK(!(hwcap & ~letters));
	CHECK(!!(hwcap & (1UL << ('f' - 'a'))) == !!(hwcap & (1UL << ('d' - 'a'))));
	CHECK(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid());
	CHECK(getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid());
	CHECK(getauxval(AT_SECURE) == 0);
	/* A static program: no interpreter, its own entry and headers. */
	CHECK(getauxval(AT_BASE) == 0);
	CHECK(getauxval(AT_ENTRY) == (unsigned long)_start);
	CHECK(getauxval(AT_PHNUM) == __ehdr_start.e_phnum);
	CHECK(getauxval(AT_PHENT) == sizeof(Elf64_Phdr));
	CHECK(ph == (const Elf64_Phdr *)((const char *)&__ehdr_start +
					 __ehdr_start.e_phoff));
	CHECK(rnd != NULL);
	for (i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	CHECK(nonzero);
	CHECK(execfn && strcmp(execfn, self) == 0);
	/* Linux since 6.? gives it; qemu-riscv64 does not (0 there). */
	CHECK(on_linux || getauxval(AT_MINSIGSTKSZ) >= 1088);
}

/*
 * From the stack pointer up: argc, argv[], NULL, envp[], NULL, auxv; the
 * strings above, argv's then envp's, each right after the last, then
 * AT_EXECFN's copy of the path.
 */
static void initial_stack_layout(void)
{
	char **envp = saved_argv + saved_argc + 1;
	unsigned long *aux;
	const char *next = saved_argv[0], *execfn;
	int i, ok = 1, n = 0;

	CHECK(saved_argv[saved_argc] == NULL);
	CHECK(envp == environ);
	for (i = 0; i < saved_argc; i++) {
		ok &= saved_argv[i] == next;
		next = saved_argv[i] + strlen(saved_argv[i]) + 1;
	}
	for (i = 0; envp[i]; i++) {
		ok &= envp[i] == next;
		next = envp[i] + strlen(envp[i]) + 1;
	}
	CHECK(ok);
	execfn = (const char *)getauxval(AT_EXECFN);
	CHECK(on_linux || execfn == next);
	aux = (unsigned long *)&envp[i + 1];
	for (; aux[0] != AT_NULL; aux += 2, n++)
		ok &= getauxval(aux[0]) == aux[1];
	CHECK(ok && n >= 10);
	CHECK((unsigned long)getauxval(AT_RANDOM) < (unsigned long)saved_argv[0]);
	CHECK(((unsigned long)saved_argv & 7) == 0);
}

static void proc_version_format(void)
{
	char line[512] = "", want[256];
	struct utsname u;
	FILE *f = fopen("/proc/version", "r");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fgets(line, sizeof(line), f) != NULL);
	fclose(f);
	CHECK(uname(&u) == 0);
	snprintf(want, sizeof(want), "%s version %s (", u.sysname, u.release);
	CHECK(strncmp(line, want, strlen(want)) == 0);
	/* ... (compiler) version-string */
	CHECK(strstr(line, u.version) != NULL);
	CHECK(line[strlen(line) - 1] == '\n');
}

/* ------------------------------------------------------------------ */
/* argv+envp limits */

static unsigned long string_room(void)
{
	struct rlimit rl;
	unsigned long limit = 6UL << 20;

	if (!getrlimit(RLIMIT_STACK, &rl) && rl.rlim_cur / 4 < limit)
		limit = rl.rlim_cur / 4;
	return limit < ARG_MAX_FLOOR ? ARG_MAX_FLOOR : limit;
}

/*
 * argv: self, "--sum-args", then strings of 'x' (MAX_ARG_STRLEN bytes
 * each but the last) so that all the strings, the file name's copy
 * included as Linux counts it, are total bytes; no environment. *argc is
 * how many strings that took. The child prints what it got.
 */
static int run_filling(unsigned long total, int *argc, char *out, size_t size)
{
	unsigned long used = 2 * (strlen(self) + 1) + sizeof("--sum-args"), off = 0;
	char **argv = calloc(total / MAX_ARG_STRLEN + 4, sizeof(char *));
	char *buf = malloc(total);
	int n = 2, ret = -1002;

	if (argv && buf) {
		argv[0] = (char *)self;
		argv[1] = "--sum-args";
		memset(buf, 'x', total);
		while (used < total) {
			unsigned long len = total - used < MAX_ARG_STRLEN ?
					    total - used : MAX_ARG_STRLEN;

			argv[n++] = buf + off;
			buf[off + len - 1] = '\0';
			off += len;
			used += len;
		}
		argv[n] = NULL;
		*argc = n;
		ret = exec_run(self, argv, (char *[]){ NULL }, out, size);
	}
	free(argv);
	free(buf);
	return ret;
}

static void room_boundary(void);

static void args_limits(void)
{
	char out[128], want[128], *s = malloc(MAX_ARG_STRLEN + 1);
	char *argv[] = { (char *)self, "--sum-args", s, NULL };
	struct rlimit old, rl;
	int ret;

	if (!s)
		return;
	/* One string: MAX_ARG_STRLEN bytes with its NUL fit, one more does not. */
	memset(s, 'y', MAX_ARG_STRLEN);
	s[MAX_ARG_STRLEN] = '\0';
	CHECK(exec_run(self, argv, (char *[]){ NULL }, out, sizeof(out)) == -E2BIG);
	s[MAX_ARG_STRLEN - 1] = '\0';
	ret = exec_run(self, argv, (char *[]){ NULL }, out, sizeof(out));
	if (ran(ret)) {
		snprintf(want, sizeof(want), "argc 3 bytes %zu\n",
			 strlen(self) + 1 + sizeof("--sum-args") + MAX_ARG_STRLEN);
		CHECK(ret == 0 && strcmp(out, want) == 0);
	}
	free(s);
	room_boundary();
	/* A quarter of RLIMIT_STACK: a smaller limit, a smaller room. */
	CHECK(getrlimit(RLIMIT_STACK, &old) == 0);
	rl = old;
	rl.rlim_cur = 1 << 20;
	CHECK(setrlimit(RLIMIT_STACK, &rl) == 0);
	/* qemu-riscv64 keeps a guest's RLIMIT_STACK from the host kernel. */
	CHECK(on_linux || string_room() == 256 << 10);
	room_boundary();
	CHECK(setrlimit(RLIMIT_STACK, &old) == 0);
}

/*
 * All the strings: the room less a pointer per string. Found for the
 * argc the room itself takes, then checked one byte past (E2BIG) and
 * exactly at it (runs, with every byte).
 */
static void room_boundary(void)
{
	unsigned long room = string_room(), total;
	char out[128], want[128];
	int ret, argc = 0, argc2 = 0;

	ret = run_filling(room + 1, &argc, out, sizeof(out));
	CHECK(ret == -E2BIG);
	total = room - 8 * (unsigned long)argc;
	ret = run_filling(total + 1, &argc2, out, sizeof(out));
	CHECK(argc2 == argc && ret == -E2BIG);
	ret = run_filling(total, &argc2, out, sizeof(out));
	CHECK(argc2 == argc);
	if (ran(ret)) {
		snprintf(want, sizeof(want), "argc %d bytes %lu\n", argc,
			 total - (strlen(self) + 1));
		CHECK(ret == 0 && strcmp(out, want) == 0);
	}
	printf("# string room %lu bytes, %d strings\n", room, argc);
}

static void exec_faults(void)
{
	/* Hidden from the compiler, which would warn about the bad pointers. */
	static char *volatile bad_ptr = (char *)8;
	char *bad = bad_ptr;

	CHECK(exec_run(NULL, (char *[]){ "x", NULL }, environ, NULL, 0) == -EFAULT);
	CHECK(exec_run(self, (char **)bad, environ, NULL, 0) == -EFAULT);
	CHECK(exec_run(self, (char *[]){ (char *)self, bad, NULL }, environ, NULL, 0) ==
	      -EFAULT);
	CHECK(exec_run(self, (char *[]){ (char *)self, NULL }, (char **)bad, NULL, 0) ==
	      -EFAULT);
	CHECK(exec_run("/nonexistent/prog", (char *[]){ "x", NULL }, environ, NULL, 0) ==
	      -ENOENT);
	CHECK(exec_run("/tmp", (char *[]){ "x", NULL }, environ, NULL, 0) == -EACCES);
	write_file("/tmp/exec_noexec", "#!/bin/sh\n", 0644);
	CHECK(exec_run("/tmp/exec_noexec", (char *[]){ "x", NULL }, environ, NULL, 0) ==
	      -EACCES);
	write_file("/tmp/exec_text", "just text\n", 0755);
	CHECK(exec_run("/tmp/exec_text", (char *[]){ "x", NULL }, environ, NULL, 0) ==
	      -ENOEXEC);
	unlink("/tmp/exec_noexec");
	unlink("/tmp/exec_text");
}

/*
 * execve failing late in the copy (a bad pointer after 1.5 MiB of strings,
 * or past the room) gives back every page it took: free memory (sysinfo,
 * which counts the kernel's caches as free) is where it was. Hartix only:
 * under Linux other processes move it.
 */
static void exec_failures_free_everything(void)
{
	static char *volatile bad_ptr = (char *)8;
	char *big = malloc(17 * MAX_ARG_STRLEN), *fault[16], *past[20];
	struct sysinfo before, after;
	int i, ok = 1;

	if (!big)
		return;
	/* 17 strings of MAX_ARG_STRLEN: 12 of them and a bad pointer, or all. */
	memset(big, 'z', 17 * MAX_ARG_STRLEN);
	fault[0] = past[0] = (char *)self;
	for (i = 1; i <= 17; i++) {
		past[i] = big + (i - 1) * MAX_ARG_STRLEN;
		past[i][MAX_ARG_STRLEN - 1] = '\0';
		if (i <= 12)
			fault[i] = past[i];
	}
	fault[13] = bad_ptr;
	fault[14] = NULL;
	past[18] = NULL;
	/* Once to settle the caches, then measured. */
	ok &= execve(self, fault, environ) == -1 && errno == EFAULT;
	sysinfo(&before);
	for (i = 0; i < 20; i++) {
		ok &= execve(self, fault, environ) == -1 && errno == EFAULT;
		ok &= execve(self, past, environ) == -1 && errno == E2BIG;
	}
	sysinfo(&after);
	CHECK(ok);
	if (on_linux) {
		utest_skip("free memory moves with the host's other processes");
	} else {
		CHECK(after.freeram == before.freeram);
		if (after.freeram != before.freeram)
			printf("# free before %lu after %lu\n", before.freeram,
			       after.freeram);
	}
	free(big);
}

/* ------------------------------------------------------------------ */
/* #! */

static void script_one_arg(void)
{
	char text[PATH_MAX + 64], out[1024], want[1024];
	int ret;

	/* The argument is the rest of the line, inner spaces kept. */
	snprintf(text, sizeof(text), "#! %s  --print-args  one arg \t\nbody\n", self);
	write_file("/tmp/exec_s1", text, 0755);
	ret = exec_run("/tmp/exec_s1", (char *[]){ "ignored", "a", "b c", NULL },
		  environ, out, sizeof(out));
	if (ran(ret)) {
		snprintf(want, sizeof(want),
			 "%s|--print-args  one arg|/tmp/exec_s1|a|b c\n", self);
		CHECK(ret == 0 && strcmp(out, want) == 0);
	}
	/* No argument. */
	snprintf(text, sizeof(text), "#!%s\n", self);
	write_file("/tmp/exec_s0", text, 0755);
	ret = exec_run("/tmp/exec_s0", (char *[]){ "zero", "--print-args", NULL },
		  environ, out, sizeof(out));
	if (ran(ret)) {
		snprintf(want, sizeof(want), "%s|/tmp/exec_s0|--print-args\n", self);
		CHECK(ret == 0 && strcmp(out, want) == 0);
	}
}

static void script_nested(void)
{
	char text[PATH_MAX + 64], out[1024], want[1024];
	int ret, i;

	snprintf(text, sizeof(text), "#!%s --print-args\n", self);
	write_file("/tmp/exec_s1", text, 0755);
	write_file("/tmp/exec_s2", "#!/tmp/exec_s1 via2\n", 0755);
	ret = exec_run("/tmp/exec_s2", (char *[]){ "s2", "z", NULL }, environ, out,
		  sizeof(out));
	if (ran(ret)) {
		snprintf(want, sizeof(want),
			 "%s|--print-args|/tmp/exec_s1|via2|/tmp/exec_s2|z\n", self);
		CHECK(ret == 0 && strcmp(out, want) == 0);
	}
	/* A chain: exec_c1 -> exec_c2 -> ... -> exec_s1 -> this program. */
	for (i = 1; i <= 6; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/tmp/exec_c%d", i);
		if (i < 5)
			snprintf(text, sizeof(text), "#!/tmp/exec_c%d\n", i + 1);
		else
			snprintf(text, sizeof(text), "#!/tmp/exec_s1\n");
		write_file(path, text, 0755);
	}
	/* Linux's depth: five #! levels run, a sixth is ELOOP. */
	ret = exec_run("/tmp/exec_c2", (char *[]){ "c", NULL }, environ, out, sizeof(out));
	CHECK(ret != -ELOOP);
	if (ran(ret))
		CHECK(ret == 0 && strstr(out, "/tmp/exec_c5|/tmp/exec_c4|") != NULL);
	CHECK(exec_run("/tmp/exec_c1", (char *[]){ "c", NULL }, environ, out,
		  sizeof(out)) == -ELOOP);
	write_file("/tmp/exec_loop", "#!/tmp/exec_loop\n", 0755);
	CHECK(exec_run("/tmp/exec_loop", (char *[]){ "l", NULL }, environ, out,
		  sizeof(out)) == -ELOOP);
	for (i = 1; i <= 6; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/tmp/exec_c%d", i);
		unlink(path);
	}
	unlink("/tmp/exec_loop");
}

static void script_bad_lines(void)
{
	char text[1024], out[1024];
	int ret;

	write_file("/tmp/exec_b", "#!/nonexistent/interp arg\n", 0755);
	CHECK(exec_run("/tmp/exec_b", (char *[]){ "b", NULL }, environ, out,
		  sizeof(out)) == -ENOENT);
	write_file("/tmp/exec_b", "#!\n", 0755);
	CHECK(exec_run("/tmp/exec_b", (char *[]){ "b", NULL }, environ, out,
		  sizeof(out)) == -ENOEXEC);
	write_file("/tmp/exec_b", "#! \t \n", 0755);
	CHECK(exec_run("/tmp/exec_b", (char *[]){ "b", NULL }, environ, out,
		  sizeof(out)) == -ENOEXEC);
	/* An interpreter path the 256-byte buffer may cut: ENOEXEC. */
	memset(text, 'a', sizeof(text));
	memcpy(text, "#!/", 3);
	text[600] = '\n';
	text[601] = '\0';
	write_file("/tmp/exec_b", text, 0755);
	CHECK(exec_run("/tmp/exec_b", (char *[]){ "b", NULL }, environ, out,
		  sizeof(out)) == -ENOEXEC);
	/* A cut argument is fine: the interpreter gets its first 255 - n bytes. */
	snprintf(text, sizeof(text), "#!%s --print-args", self);
	memset(text + strlen(text), 'q', 600);
	text[700] = '\n';
	text[701] = '\0';
	write_file("/tmp/exec_b", text, 0755);
	ret = exec_run("/tmp/exec_b", (char *[]){ "b", NULL }, environ, out, sizeof(out));
	if (ran(ret)) {
		char *arg = strchr(out, '|');
		size_t want = 255 - (3 + strlen(self));

		CHECK(ret == 0 && arg && strncmp(arg + 1, "--print-args", 12) == 0 &&
		      strcspn(arg + 1, "|") == want);
	}
	unlink("/tmp/exec_b");
	unlink("/tmp/exec_s0");
	unlink("/tmp/exec_s1");
	unlink("/tmp/exec_s2");
}

/* ------------------------------------------------------------------ */
/* Other kinds of ELF programs */

static void text_at_0x1000(void)
{
	char out[128];
	unsigned long addr = 0;
	int ret = exec_run(helper("exec_low"), (char *[]){ "exec_low", NULL }, environ,
		      out, sizeof(out));

	if (!ran(ret))
		return;
	CHECK(ret == 0 && sscanf(out, "low %lx", &addr) == 1);
	CHECK(addr >= 0x1000 && addr < 0x10000);
}

static void static_pie_random_base(void)
{
	char out1[128], out2[128];
	unsigned long a1 = 0, a2 = 0;
	int ret = exec_run(helper("exec_pie"), (char *[]){ "exec_pie", NULL }, environ,
		      out1, sizeof(out1));

	if (!ran(ret))
		return;
	CHECK(ret == 0 && sscanf(out1, "pie %lx", &a1) == 1);
	ret = exec_run(helper("exec_pie"), (char *[]){ "exec_pie", NULL }, environ, out2,
		  sizeof(out2));
	CHECK(ret == 0 && sscanf(out2, "pie %lx", &a2) == 1);
	/* Randomized (the kernel's norandmaps would make them equal). */
	CHECK(a1 && a2 && a1 != a2);
	CHECK(a1 >= 0x1000 && a2 >= 0x1000);
}

static void pt_interp(void)
{
	char out[256];
	int ret = exec_run(helper("exec_dynmain"), (char *[]){ "dyn", "x", NULL },
		      environ, out, sizeof(out));

	/* Under Linux it is the interpreter's format that fails, after the lookup. */
	if (!ran(ret))
		return;
	CHECK(ret == 0 && strcmp(out, "interp ok\ndynmain ok argc=2\n") == 0);
	if (ret || strcmp(out, "interp ok\ndynmain ok argc=2\n"))
		printf("# got %d: %s", ret, out);
}

/* ------------------------------------------------------------------ */
/* /proc */

static ssize_t read_all(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got < size && (n = read(fd, buf + got, size - (size_t)got)) > 0)
		got += n;
	close(fd);
	return got;
}

/* Until pid is a zombie (its /proc/<pid>/stat says Z), at most 10 s. */
static int wait_zombie(pid_t pid)
{
	char path[64], stat[256];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 1000; i++) {
		ssize_t n = read_all(path, stat, sizeof(stat) - 1);
		char *end = n > 0 ? (stat[n] = '\0', strrchr(stat, ')')) : NULL;

		if (end && end[1] == ' ' && end[2] == 'Z')
			return 1;
		usleep(10000);
	}
	return 0;
}

static void proc_exe(void)
{
	char link[PATH_MAX + 16] = "", real[PATH_MAX], out[PATH_MAX + 16], path[64];
	ssize_t n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	int fds[2], status, ret;
	pid_t pid;

	CHECK(n > 0 && realpath(self, real) && strcmp(link, real) == 0);
	/* Under qemu-riscv64 another process's /proc is qemu's own. */
	if (on_linux)
		return;
	/* Another process's, while it runs and once it is a zombie. */
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		char c;

		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
	}
	close(fds[0]);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	memset(link, 0, sizeof(link));
	CHECK(readlink(path, link, sizeof(link) - 1) > 0 && strcmp(link, real) == 0);
	close(fds[1]);
	CHECK(wait_zombie(pid));
	CHECK(readlink(path, link, sizeof(link)) == -1 && errno == ENOENT);
	CHECK(waitpid(pid, &status, 0) == pid);
	/* Run through a symlink and from a #! line: the real program. */
	unlink("/tmp/exec_link");
	CHECK(symlink(self, "/tmp/exec_link") == 0);
	ret = exec_run("/tmp/exec_link", (char *[]){ "l", "--print-exe", NULL }, environ,
		  out, sizeof(out));
	snprintf(link, sizeof(link), "%s\n", real);
	if (ran(ret))
		CHECK(ret == 0 && strcmp(out, link) == 0);
	snprintf(out, sizeof(out), "#!/tmp/exec_link --print-exe\n");
	write_file("/tmp/exec_s3", out, 0755);
	ret = exec_run("/tmp/exec_s3", (char *[]){ "s3", NULL }, environ, out, sizeof(out));
	if (ran(ret))
		CHECK(ret == 0 && strcmp(out, link) == 0);
	unlink("/tmp/exec_link");
	unlink("/tmp/exec_s3");
}

/* argv[] or envp[] as /proc shows them: each string with its NUL. */
static size_t joined(char *const *v, char *buf, size_t size)
{
	size_t len = 0, n;

	for (; *v; v++) {
		n = strlen(*v) + 1;
		if (len + n > size)
			break;
		memcpy(buf + len, *v, n);
		len += n;
	}
	return len;
}

static void proc_cmdline_environ(void)
{
	static char got[65536], want[65536];
	char path[64];
	ssize_t n;
	int fds[2], status;
	size_t len;
	pid_t pid;

	len = joined(saved_argv, want, sizeof(want));
	CHECK(read_all("/proc/self/cmdline", got, sizeof(got)) == (ssize_t)len &&
	      memcmp(got, want, len) == 0);
	len = joined(environ, want, sizeof(want));
	n = read_all("/proc/self/environ", got, sizeof(got));
	/* qemu-riscv64 shows its own environment, the same strings reordered. */
	CHECK(n == (ssize_t)len && (on_linux || memcmp(got, want, len) == 0));
	/* Under qemu-riscv64 another process's /proc is qemu's own. */
	if (on_linux)
		return;
	/* A child's, read while it waits: the same strings, from its memory. */
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		char c;

		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
	}
	close(fds[0]);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	len = joined(saved_argv, want, sizeof(want));
	CHECK(read_all(path, got, sizeof(got)) == (ssize_t)len &&
	      memcmp(got, want, len) == 0);
	close(fds[1]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
}

static const struct utest_case cases[] = {
	UTEST_CASE(auxv_values),
	UTEST_CASE(initial_stack_layout),
	UTEST_CASE(proc_version_format),
	UTEST_CASE(args_limits),
	UTEST_CASE(exec_faults),
	UTEST_CASE(exec_failures_free_everything),
	UTEST_CASE(script_one_arg),
	UTEST_CASE(script_nested),
	UTEST_CASE(script_bad_lines),
	UTEST_CASE(text_at_0x1000),
	UTEST_CASE(static_pie_random_base),
	UTEST_CASE(pt_interp),
	UTEST_CASE(proc_exe),
	UTEST_CASE(proc_cmdline_environ),
};

/* The child modes: print argv joined by '|', or count what arrived. */
static int child(int argc, char **argv)
{
	unsigned long bytes = 0;
	int i;

	if (!strcmp(argv[1], "--print-exe")) {
		char link[PATH_MAX] = "";

		if (readlink("/proc/self/exe", link, sizeof(link) - 1) < 0)
			return 1;
		printf("%s\n", link);
		return 0;
	}
	if (!strncmp(argv[1], "--sum-args", 10)) {
		for (i = 0; i < argc; i++)
			bytes += strlen(argv[i]) + 1;
		printf("argc %d bytes %lu\n", argc, bytes);
		return 0;
	}
	for (i = 0; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? "|" : "\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct utsname u;
	char *slash;

	if (argc > 1 && (strstr(argv[1], "--print-args") || !strcmp(argv[1], "--sum-args") ||
			 !strcmp(argv[1], "--print-exe") ||
			 (argc > 2 && strstr(argv[2], "--print-args"))))
		return child(argc, argv);
	saved_argc = argc;
	saved_argv = argv;
	self = argv[0];
	snprintf(dir, sizeof(dir), "%s", self);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	on_linux = !uname(&u) && !strcmp(u.sysname, "Linux");
	return UTEST_RUN("exec_test", cases);
}
