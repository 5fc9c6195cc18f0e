/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel input limits and errnos against Linux: path lengths, symlinks, /proc, sparse files, prlimit64, wait4, execve of bad ELFs.
 * Usage: input_test TOKEN [DIR]: the token first (so no fixed text
 * passes), then KTAP, one case per part; scratch names go in DIR
 * (default /tmp). Exit status 1 if any case failed.
 * utest: smp=1,4 args="{token}"
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "elf64.h"
#include "utest.h"

/* Linux riscv64 numbers of the calls the small libc has no wrapper for. */
#define NR_mkdirat 34
#define NR_unlinkat 35
#define NR_symlinkat 36
#define NR_linkat 37
#define NR_readlinkat 78
#define NR_newfstatat 79
#define NR_ftruncate 46
#define NR_prlimit64 261
#define NR_wait4 260
#define NR_renameat2 276

/* The result of a call: 0 or more, or -errno. */
static long sys(long r)
{
	return r < 0 ? -errno : r;
}

static char big[8200];
static int hartix; /* running on Hartix, not under qemu-riscv64 */

/* A path of n bytes: dir, then components of comp bytes ("aaa/aaa/..."). */
static const char *long_path(const char *dir, size_t n, size_t comp)
{
	size_t i = strlen(dir);

	memcpy(big, dir, i);
	while (i < n) {
		size_t k;

		for (k = 0; k < comp && i < n; k++)
			big[i++] = 'a';
		if (i < n)
			big[i++] = '/';
	}
	if (big[n - 1] == '/')
		big[n - 1] = 'b';
	big[n] = '\0';
	return big;
}

static void test_path_limits(void)
{
	char *argv[] = { "x", NULL };
	const char *p;

	/* Short components: ENOENT up to 4095 bytes, ENAMETOOLONG from 4096. */
	p = long_path("", 300, 20);
	check(sys(execve(p, argv, NULL)) == -ENOENT,
	      "execve of a missing 300-byte path: ENOENT");
	p = long_path("", 4095, 200);
	check(sys(execve(p, argv, NULL)) == -ENOENT &&
		      sys(open(p, O_RDONLY)) == -ENOENT &&
		      sys(syscall(NR_mkdirat, AT_FDCWD, p, 0755)) == -ENOENT,
	      "a 4095-byte path: ENOENT (execve, open, mkdir)");
	p = long_path("", 4096, 200);
	check(sys(execve(p, argv, NULL)) == -ENAMETOOLONG &&
		      sys(open(p, O_RDONLY)) == -ENAMETOOLONG &&
		      sys(unlink(p)) == -ENAMETOOLONG,
	      "a 4096-byte path: ENAMETOOLONG (execve, open, unlink)");
	{
		/* stat copies paths up to 255 bytes to its stack, longer ones to a buffer. */
		static char st[256], slashes[4100];
		size_t lens[] = { 254, 255, 256, 257, 4095 }, i, ok = 0;

		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			/* "///...///tmp": lens[i] bytes naming /tmp */
			memset(slashes, '/', lens[i] - 3);
			memcpy(slashes + lens[i] - 3, "tmp", 4);
			ok += sys(syscall(NR_newfstatat, AT_FDCWD, slashes, st, 0)) == 0;
		}
		p = long_path("", 4095, 200);
		ok += sys(syscall(NR_newfstatat, AT_FDCWD, p, st, 0)) == -ENOENT;
		p = long_path("", 4096, 200);
		ok += sys(syscall(NR_newfstatat, AT_FDCWD, p, st, 0)) == -ENAMETOOLONG;
		check(ok == 7, "stat: /tmp as paths of 254-257 and 4095 bytes; 4095 missing: ENOENT, 4096: ENAMETOOLONG");
	}
	p = long_path("", 255, 255);
	check(sys(open(p, O_RDONLY)) == -ENOENT &&
		      sys(execve(p, argv, NULL)) == -ENOENT,
	      "a 255-byte name: ENOENT");
	p = long_path("", 256, 256);
	check(sys(open(p, O_RDONLY)) == -ENAMETOOLONG &&
		      sys(execve(p, argv, NULL)) == -ENAMETOOLONG &&
		      sys(open(p, O_CREAT | O_WRONLY, 0644)) == -ENAMETOOLONG,
	      "a 256-byte name: ENAMETOOLONG");
}

static void test_symlinks(void)
{
	static char buf[8192];
	char name[32];
	int i;

	/* Targets up to 4095 bytes are kept whole; 4096 is refused. */
	memset(big, 't', 4096);
	big[4095] = '\0';
	unlink("it_l4095");
	check(sys(syscall(NR_symlinkat, big, AT_FDCWD, "it_l4095")) == 0 &&
		      sys(syscall(NR_readlinkat, AT_FDCWD, "it_l4095", buf,
				  sizeof(buf))) == 4095 &&
		      !memcmp(buf, big, 4095),
	      "a 4095-byte symlink target reads back whole");
	check(sys(syscall(NR_readlinkat, AT_FDCWD, "it_l4095", buf, 10)) == 10,
	      "readlink into 10 bytes: 10");
	big[4095] = 't';
	big[4096] = '\0';
	check(sys(syscall(NR_symlinkat, big, AT_FDCWD, "it_l4096")) ==
		      -ENAMETOOLONG,
	      "a 4096-byte symlink target: ENAMETOOLONG");
	unlink("it_l4095");

	/* A chain of 40 symlinks resolves; 41 is ELOOP. */
	mkdir("it_chain", 0755);
	for (i = 1; i <= 41; i++) {
		char target[32];

		snprintf(name, sizeof(name), "it_chain/%d", i);
		snprintf(target, sizeof(target), "%d", i - 1);
		unlink(name);
		syscall(NR_symlinkat, i == 1 ? "." : target, AT_FDCWD, name);
	}
	check(sys(open("it_chain/40/", O_RDONLY)) >= 0,
	      "40 symlinks in a row resolve");
	check(sys(open("it_chain/41/", O_RDONLY)) == -ELOOP,
	      "41 symlinks in a row: ELOOP");
	/* Symlinks in the middle of symlinks' targets: a -> b/c/, b -> d, d/c -> . */
	mkdir("it_chain/d", 0755);
	syscall(NR_symlinkat, ".", AT_FDCWD, "it_chain/d/c");
	syscall(NR_symlinkat, "d", AT_FDCWD, "it_chain/b");
	syscall(NR_symlinkat, "b/c/", AT_FDCWD, "it_chain/a");
	i = open("it_chain/d/f", O_CREAT | O_WRONLY, 0644);
	close(i);
	check(sys(open("it_chain/a/f", O_RDONLY)) >= 0 &&
		      sys(open("it_chain/a/b/c/c/f", O_RDONLY)) == -ENOENT &&
		      sys(open("it_chain/a/c/c/f", O_RDONLY)) >= 0,
	      "symlinks inside symlink targets resolve in order");
	syscall(NR_symlinkat, "d/f", AT_FDCWD, "it_chain/tofile");
	check(sys(open("it_chain/tofile/", O_RDONLY)) == -ENOTDIR &&
		      sys(open("it_chain/tofile", O_RDONLY)) >= 0,
	      "a trailing slash on a symlink to a file: ENOTDIR");
	syscall(NR_symlinkat, "d/new", AT_FDCWD, "it_chain/dangling");
	i = open("it_chain/dangling", O_CREAT | O_WRONLY, 0644);
	check(i >= 0 && sys(open("it_chain/d/new", O_RDONLY)) >= 0,
	      "O_CREAT through a dangling symlink creates its target");
	close(i);
	/* Leave nothing behind (a host directory under qemu-riscv64). */
	for (i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "it_chain/%d", i);
		unlink(name);
	}
	unlink("it_chain/d/c");
	unlink("it_chain/d/f");
	unlink("it_chain/d/new");
	rmdir("it_chain/d");
	unlink("it_chain/a");
	unlink("it_chain/b");
	unlink("it_chain/tofile");
	unlink("it_chain/dangling");
	check(rmdir("it_chain") == 0, "the symlink tree is removed");
}

/* Linux 6.x: other mounts are EXDEV; names /proc does not have, ENOENT. */
static void test_proc(void)
{
	int fd = open("it_file", O_CREAT | O_WRONLY, 0644);

	close(fd);
	check(sys(syscall(NR_renameat2, AT_FDCWD, "it_file", AT_FDCWD,
			  "/proc/it_x", 0)) == -EXDEV,
	      "rename into /proc: EXDEV");
	check(sys(syscall(NR_renameat2, AT_FDCWD, "/proc/self/stat", AT_FDCWD,
			  "it_x", 0)) == -EXDEV,
	      "rename out of /proc: EXDEV");
	check(sys(syscall(NR_renameat2, AT_FDCWD, "/proc/self/stat", AT_FDCWD,
			  "/proc/self/it_x", 0)) == -ENOENT,
	      "rename inside /proc to a new name: ENOENT");
	check(sys(syscall(NR_renameat2, AT_FDCWD, "/proc/self/stat", AT_FDCWD,
			  "/proc/self/status", 0)) == -EPERM,
	      "rename inside /proc over a file: EPERM");
	check(sys(syscall(NR_linkat, AT_FDCWD, "it_file", AT_FDCWD,
			  "/proc/it_x", 0)) == -ENOENT,
	      "link into /proc: ENOENT");
	check(sys(syscall(NR_linkat, AT_FDCWD, "it_file", AT_FDCWD,
			  "/proc/self", 0)) == -EEXIST,
	      "link onto /proc/self: EEXIST");
	check(sys(syscall(NR_linkat, AT_FDCWD, "/proc/self/stat", AT_FDCWD,
			  "it_x", 0)) == -EXDEV,
	      "link out of /proc: EXDEV");
	check(sys(syscall(NR_symlinkat, "x", AT_FDCWD, "/proc/it_x")) == -ENOENT,
	      "symlink in /proc: ENOENT");
	check(sys(syscall(NR_mkdirat, AT_FDCWD, "/proc/it_x", 0755)) == -ENOENT,
	      "mkdir in /proc: ENOENT");
	check(sys(unlink("/proc/self/stat")) == -EPERM &&
		      sys(unlink("/proc/meminfo")) == -EPERM &&
		      sys(unlink("/proc/it_x")) == -ENOENT,
	      "unlink in /proc: EPERM (ENOENT for no such name)");
	check(sys(rmdir("/proc/self")) == -ENOTDIR &&
		      sys(rmdir("/proc/1")) == -EPERM,
	      "rmdir in /proc: EPERM (ENOTDIR for the symlink)");
	if (hartix) {
		/* Not tried on the host: a mistake there would be costly. */
		check(sys(rmdir("/proc")) == -EBUSY &&
			      sys(syscall(NR_renameat2, AT_FDCWD, "/proc",
					  AT_FDCWD, "/it_proc", 0)) == -EBUSY,
		      "rmdir or rename of /proc: EBUSY");
	}
	check(sys(open("/proc/self/stat", O_RDONLY)) >= 0,
	      "/proc still works afterwards");
	unlink("it_file");
}

static void test_sparse(void)
{
	const long tib = 1L << 40;
	int fd = open("it_sparse", O_CREAT | O_RDWR | O_TRUNC, 0644);
	char buf[64];
	struct stat st;
	int i;

	check(fd >= 0 && lseek(fd, tib, SEEK_SET) == tib &&
		      write(fd, "end", 3) == 3,
	      "a write at 1 TiB succeeds");
	check(fstat(fd, &st) == 0 && st.st_size == tib + 3 &&
		      st.st_blocks > 0 && st.st_blocks <= 64,
	      "the file is 1 TiB + 3 bytes with one page of data");
	memset(buf, 'x', sizeof(buf));
	check(lseek(fd, tib / 2, SEEK_SET) == tib / 2 &&
		      read(fd, buf, sizeof(buf)) == (long)sizeof(buf),
	      "a hole reads");
	for (i = 0; i < (int)sizeof(buf) && !buf[i]; i++)
		;
	check(i == (int)sizeof(buf), "a hole reads as zeroes");
	check(lseek(fd, tib, SEEK_SET) == tib && read(fd, buf, 8) == 3 &&
		      !memcmp(buf, "end", 3),
	      "the data at 1 TiB reads back");
	/* The end of a write must be a valid offset, as rw_verify_area() wants. */
	if (lseek(fd, 0x7ffffffffffffffeL, SEEK_SET) == 0x7ffffffffffffffeL)
		check(sys(write(fd, "zz", 2)) == -EINVAL,
		      "a write ending past the largest offset: EINVAL");
	else
		/* A host file system with a smaller s_maxbytes than tmpfs. */
		check(!hartix && errno == EINVAL,
		      "a seek past the host file system's size limit: EINVAL");
	close(fd);
	check(unlink("it_sparse") == 0, "the sparse file goes away");
}

static void test_prlimit_wait(void)
{
	static const unsigned long bad[] = { 1, 0xffffffc000000000UL,
					     0x8000000000000000UL };
	unsigned long old[2];
	int status = 0, i, ok = 1;
	pid_t pid;

	for (i = 0; i < 3; i++)
		ok &= sys(syscall(NR_prlimit64, 0, 7, bad[i], old)) == -EFAULT;
	check(ok, "prlimit64 with a bad new-limit pointer: EFAULT");
	ok = 1;
	for (i = 0; i < 2; i++) {
		pid = fork();
		if (!pid)
			_exit(3);
		ok &= sys(syscall(NR_wait4, pid, bad[i], 0, 0)) == -EFAULT;
		ok &= sys(syscall(NR_wait4, pid, &status, 0, 0)) == -ECHILD;
	}
	check(ok, "wait4 with a bad status pointer reaps the child (EFAULT)");
}

/* A minimal static ELF: exit(42), one R+X PT_LOAD at 0x10000. */
struct elf {
	struct elf64_ehdr h;
	struct elf64_phdr ph[2];
	unsigned int code[4];
};

/* qemu-riscv64 runs only the ELFs binfmt_misc sends it: not these. */
static int execs_elf_files(void)
{
	if (!hartix)
		utest_skip("qemu-user cannot execve a riscv64 ELF");
	return hartix;
}

static void elf_init(struct elf *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->h.ident, "\177ELF\2\1\1", 7);
	e->h.type = 2;
	e->h.machine = 243;
	e->h.version = 1;
	e->h.phoff = 64;
	e->h.ehsize = 64;
	e->h.phentsize = 56;
	e->h.phnum = 2;
	e->h.entry = 0x10000 + __builtin_offsetof(struct elf, code);
	e->ph[0].type = 1;
	e->ph[0].flags = 5;
	e->ph[0].vaddr = 0x10000;
	e->ph[0].filesz = e->ph[0].memsz = sizeof(*e);
	e->ph[0].align = 4096;
	e->ph[1].type = 0x6474e551; /* PT_GNU_STACK: nothing to map */
	e->ph[1].flags = 6;
	e->code[0] = 0x05d00893; /* li a7, 93 */
	e->code[1] = 0x02a00513; /* li a0, 42 */
	e->code[2] = 0x00000073; /* ecall */
}

/* execve of the image in a child: its exit status, or 256 + errno. */
static int run_elf(const struct elf *e, size_t size)
{
	char *argv[] = { "elf", NULL };
	int fd, status = 0;
	pid_t pid;

	unlink("it_elf");
	fd = open("it_elf", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (fd < 0 || write(fd, e, sizeof(*e)) != (long)sizeof(*e))
		return -1;
	if (size > sizeof(*e) && syscall(NR_ftruncate, fd, (long)size))
		return -1;
	close(fd);
	pid = fork();
	if (!pid) {
		execve("./it_elf", argv, NULL);
		_exit(errno < 200 ? 56 : 57);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Bit flips in the headers of a real program (/bin/true: several
 * PT_LOADs, a bss): each execve must fail or start the program. A mutant
 * that runs forever is killed after 2 s; one stuck in the kernel would
 * never be reaped, and the test would hang.
 */
static void test_elf_mutants(void)
{
	static unsigned char orig[65536], img[65536];
	char *argv[] = { "true", NULL };
	unsigned int seed = 777, i, ran = 0, refused = 0, killed = 0;
	int fd, reaped = 1;
	long size;
	unsigned long hdr;

	if (!execs_elf_files())
		return;
	fd = open("/bin/true", O_RDONLY);
	size = fd < 0 ? -1 : read(fd, orig, sizeof(orig));
	close(fd);
	if (size < 64 || size == (long)sizeof(orig)) {
		check(0, "/bin/true is there to mutate");
		return;
	}
	hdr = *(unsigned long *)(orig + 32) + 56UL * *(unsigned short *)(orig + 56);
	if (hdr > (unsigned long)size)
		hdr = (unsigned long)size;
	for (i = 0; i < 300; i++) {
		int status = 0, w, t;
		pid_t pid;

		memcpy(img, orig, (size_t)size);
		seed = seed * 1103515245 + 12345;
		img[(seed >> 4) % hdr] ^= (unsigned char)(1 << (seed >> 28) % 8);
		unlink("it_mut");
		fd = open("it_mut", O_CREAT | O_WRONLY | O_TRUNC, 0755);
		if (fd < 0 || write(fd, img, (size_t)size) != size) {
			reaped = 0;
			break;
		}
		close(fd);
		pid = fork();
		if (!pid) {
			execve("./it_mut", argv, NULL);
			_exit(56);
		}
		for (t = 0; (w = waitpid(pid, &status, WNOHANG)) == 0 && t < 200; t++)
			usleep(10000);
		if (!w) {
			kill(pid, SIGKILL);
			killed++;
			w = waitpid(pid, &status, 0);
		}
		reaped &= w == pid;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 56)
			refused++;
		else
			ran++;
	}
	unlink("it_mut");
	printf("input_test: mutants: %u refused, %u ran, %u killed after 2 s\n",
	       refused, ran, killed);
	check(reaped, "300 mutants of /bin/true's headers: each execve returns");
}

static void test_elf(void)
{
	struct elf e;
	unsigned int seed = 12345, i, broken = 0;

	if (!execs_elf_files())
		return;
	elf_init(&e);
	check(run_elf(&e, 0) == 42, "the minimal ELF runs (status 42)");
	/* A 16 GiB bss: demand-zero, costs nothing until touched. */
	elf_init(&e);
	e.ph[0].flags = 7;
	e.ph[0].memsz = 16UL << 30;
	check(run_elf(&e, 8192) == 42, "a PT_LOAD with a 16 GiB p_memsz runs");
	/* A 2 GiB file, all hole but the first page: the hole is not read. */
	elf_init(&e);
	e.ph[0].flags = 7;
	e.ph[0].filesz = e.ph[0].memsz = 2UL << 30;
	check(run_elf(&e, 2UL << 30) == 42,
	      "a 2 GiB segment of a sparse file runs");
	/* p_filesz beyond the file, past p_memsz, wrapping: refused. */
	elf_init(&e);
	e.ph[0].filesz = e.ph[0].memsz = 2UL << 30;
	check(run_elf(&e, 0) == 56, "a segment beyond the end of the file: refused");
	elf_init(&e);
	e.ph[0].memsz = 8;
	check(run_elf(&e, 0) == 56, "p_filesz above p_memsz: refused");
	elf_init(&e);
	e.ph[0].vaddr = -4096UL;
	check(run_elf(&e, 0) == 56, "a segment at the top of the address space: refused");
	/* Bit flips of the valid image: each one runs or fails, none hangs. */
	for (i = 0; i < 300; i++) {
		int r;

		elf_init(&e);
		seed = seed * 1103515245 + 12345;
		((unsigned char *)&e)[(seed >> 8) % 120] ^= 1 << (seed >> 24) % 8;
		r = run_elf(&e, 0);
		broken += r < 0;
	}
	/* A hang shows as the test's own timeout. */
	check(!broken, "300 bit-flipped ELF images: each execve fails or runs");
	unlink("it_elf");
}

static const struct utest_case cases[] = {
	UTEST_CASE(test_path_limits),
	UTEST_CASE(test_symlinks),
	UTEST_CASE(test_proc),
	UTEST_CASE(test_sparse),
	UTEST_CASE(test_prlimit_wait),
	UTEST_CASE(test_elf),
	UTEST_CASE(test_elf_mutants),
};

int main(int argc, char **argv)
{
	struct utsname u;

	hartix = uname(&u) == 0 && !strcmp(u.sysname, "Hartix");
	/* Scratch names go in argv[2] (a host directory under qemu-riscv64). */
	if (chdir(argc > 2 ? argv[2] : "/tmp")) {
		printf("input_test: no directory %s\n", argc > 2 ? argv[2] : "/tmp");
		return 1;
	}

	printf("# input_test: token %s\n", argc > 1 ? argv[1] : "-");
	return UTEST_RUN("input_test", cases);
}
