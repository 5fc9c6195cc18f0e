/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * elffuzz: execve() of mutated copies of a valid static ELF, in forked children on every hart.
 *
 * The parent reads /tests/hello_token; each child makes its own mutant
 * from the seed and its number (bit flips, truncations, crafted ELF and
 * program headers: huge p_memsz, p_filesz past p_memsz, p_offset past the
 * end, overlapping or kernel-half segments, e_phnum huge, e_phoff past the
 * end, a PT_INTERP, ...), writes it to tmpfs and execs it. Whatever the
 * mutant does, the child must end (exit, signal or execve error) or be
 * ended by SIGKILL after child_ms; then the checks of every hostile run
 * (hostile.h): nothing left, programs still run, memory back.
 *
 * The seed is printed first; "elffuzz -- seed=N" replays the run and
 * "elffuzz -- seed=N only=K" child K alone. testing.rst, "Fuzzers".
 *
 * Usage: elffuzz [seed=N] [time=S] [child_ms=MS] [only=K]
 * utest: smp=1,4 args="seed={seed} time=5" timeout=60
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf64.h"
#include "hostile.h"

#define DIR_ "/tmp/elffuzz"
#define VICTIM "/tests/hello_token"
/* The mutants' file names cycle through this many, bounding tmpfs use. */
#define NAMES 64

static char *image;
static unsigned long image_len;

/* Values that sit on an edge of something the loader must check. */
static unsigned long edge(unsigned long *s)
{
	static const unsigned long v[] = {
		0, 1, 0xfff, 0x1000, 0x7fffffff, 0xffffffff, 1UL << 38,
		(1UL << 38) - 0x1000, 1UL << 40, 0x8000000000000000UL,
		0xffffffc000000000UL, 0xffffffff80000000UL, ~0UL - 0xfff, ~0UL,
	};
	unsigned long r = hx_next(s);

	return r & 1 ? v[r % (sizeof(v) / sizeof(v[0]))] : hx_next(s) >> (r % 64);
}

static void flip_bits(char *buf, unsigned long len, unsigned long *s)
{
	unsigned long k = 1 + hx_next(s) % 8;

	while (k--) {
		/* Mostly in the headers, where the loader looks first. */
		unsigned long at = hx_next(s) % 4 ? hx_next(s) % 0x200 : hx_next(s);

		buf[at % len] ^= (char)(1 << (hx_next(s) % 8));
	}
}

static void craft_ehdr(struct elf64_ehdr *e, unsigned long *s)
{
	switch (hx_next(s) % 7) {
	case 0:
		e->phnum = (unsigned short)(hx_next(s) % 3 ? 0xffff : hx_next(s));
		break;
	case 1:
		e->phoff = edge(s);
		break;
	case 2:
		e->phentsize = (unsigned short)edge(s);
		break;
	case 3:
		e->entry = edge(s);
		break;
	case 4:
		e->type = (unsigned short)(hx_next(s) % 5);
		break;
	case 5:
		e->ident[4 + hx_next(s) % 3] = (unsigned char)hx_next(s);
		break;
	default:
		e->machine = (unsigned short)hx_next(s);
	}
}

static void craft_phdr(struct elf64_ehdr *e, char *buf, unsigned long *s)
{
	struct elf64_phdr *p, *q;
	unsigned int i = hx_next(s) % e->phnum, j = hx_next(s) % e->phnum;

	p = (struct elf64_phdr *)(buf + e->phoff) + i;
	q = (struct elf64_phdr *)(buf + e->phoff) + j;
	switch (hx_next(s) % 9) {
	case 0:
		p->memsz = edge(s);
		break;
	case 1:
		p->filesz = p->memsz + 1 + hx_next(s) % 0x10000;
		break;
	case 2:
		p->offset = edge(s);
		break;
	case 3:
		p->vaddr = edge(s);
		break;
	case 4: /* overlapping segments */
		p->type = q->type = 1;
		p->vaddr = q->vaddr + hx_next(s) % 0x2000;
		break;
	case 5: /* the end wraps around */
		p->vaddr = ~0UL - hx_next(s) % 0x3000;
		p->memsz = 0x10000;
		break;
	case 6:
		p->align = edge(s);
		break;
	case 7: /* an interpreter whose name is whatever is there */
		p->type = 3;
		break;
	default:
		p->type = (unsigned int)hx_next(s);
		p->flags = (unsigned int)hx_next(s);
	}
}

/* Child n's mutant, in buf; its length. */
static unsigned long mutate(char *buf, unsigned long *s)
{
	struct elf64_ehdr *e = (struct elf64_ehdr *)buf;
	unsigned long len = image_len;

	memcpy(buf, image, image_len);
	switch (hx_next(s) % 4) {
	case 0:
		flip_bits(buf, len, s);
		break;
	case 1:
		len = hx_next(s) % 2 ? hx_next(s) % 0x200 : hx_next(s) % len;
		break;
	case 2:
		craft_ehdr(e, s);
		break;
	default:
		craft_phdr(e, buf, s);
	}
	if (hx_next(s) % 2)
		flip_bits(buf, len ? len : 1, s);
	return len;
}

static unsigned long seed;

static void child(unsigned long n)
{
	unsigned long s = hx_child_seed(seed, n), len;
	char path[64], *argv[] = { path, "elffuzz", NULL };
	char *buf = malloc(image_len);
	int fd = open("/dev/null", O_RDWR);

	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (!buf)
		_exit(98);
	len = mutate(buf, &s);
	snprintf(path, sizeof(path), DIR_ "/e%lu", n % NAMES);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0755);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		_exit(97);
	close(fd);
	execve(path, argv, environ);
	_exit(100 + errno % 100);
}

int main(int argc, char **argv)
{
	seed = hx_seed(argc, argv);
	unsigned long secs = hx_arg(argc, argv, "time", 5);
	long only = (long)hx_arg(argc, argv, "only", ~0UL);
	struct hx_pool pool = { .child_ms = hx_arg(argc, argv, "child_ms", 1000) };
	unsigned long before;
	struct stat st;
	int fd;

	printf("elffuzz: seed=%lu (replay: elffuzz -- seed=%lu time=%lu)\n",
	       seed, seed, secs);
	fd = open(VICTIM, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || !(image = malloc(st.st_size)) ||
	    read(fd, image, st.st_size) != st.st_size) {
		printf("elffuzz: cannot read " VICTIM ": errno %d\n", errno);
		return 1;
	}
	close(fd);
	image_len = st.st_size;
	before = hx_warm_up();
	mkdir(DIR_, 0755);
	ktap_begin("elffuzz", HX_RESULTS);

	hx_pool_run(&pool, secs, only, child);
	return hx_pool_end(&pool, "elffuzz", DIR_, before);
}
