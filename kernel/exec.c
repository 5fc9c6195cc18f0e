/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading a static ELF executable into a new address space, with Linux's initial stack. */
#include <abi/auxvec.h>
#include <hartix/aslr.h>
#include <hartix/elf.h>
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/signal.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/uaccess.h>
#include <asm/csr.h>
#include <asm/fpu.h>
#include <asm/ptrace.h>

#define USER_STACK_SIZE (128 * 1024) /* mapped up front; grows to the limit */

/* The letters as Linux reports them: a bit per letter ('F', 'D' with the FPU). */
#define HWCAP_ISA ((1UL << ('i' - 'a')) | (1UL << ('m' - 'a')) | \
		   (1UL << ('a' - 'a')) | (1UL << ('c' - 'a')) | \
		   (IS_ENABLED(CONFIG_FPU) ? (1UL << ('f' - 'a')) | \
		    (1UL << ('d' - 'a')) : 0))

/*
 * The first bytes of a file read for execve: the ELF and program headers
 * must lie in them (Linux reads at most 4 KiB of program headers).
 */
#define EXEC_HDR_SIZE 8192

/* Where the executable comes from: a whole image in memory, or a file. */
struct exec_src {
	const u8 *image; /* the first avail bytes (all of them for a buffer) */
	size_t size, avail;
	struct inode *ino; /* NULL: everything is in image */
	void *bounce; /* a page for reading ino */
};

/*
 * n bytes of the file at off (not crossing a page of the file), or NULL
 * for a hole, which reads as zeroes.
 */
static const void *src_bytes(const struct exec_src *s, u64 off, size_t n)
{
	if (!s->ino)
		return s->image + off;
	return fs_read_chunk(s->ino, off, s->bounce, n) ? s->bounce : NULL;
}

/*
 * Maps the segments into mm, which is active on this hart: each one is
 * one demand-zero region, and only its file bytes are copied in (a hole
 * in the file is left to fault in as zeroes). No page is touched for the
 * rest of p_memsz.
 */
static int load_segments(struct mm *mm, const struct exec_src *src,
			 const struct elf_info *info, u64 bias)
{
	unsigned int i;

	for (i = 0; i < info->nr_loads; i++) {
		const struct elf_segment *seg = &info->load[i];
		u64 start = ALIGN_DOWN(seg->vaddr + bias, PAGE_SIZE);
		u64 end = ALIGN_UP(seg->vaddr + bias + seg->memsz, PAGE_SIZE);
		u64 done, chunk;
		long ret;

		/* Writable while loading; mm_protect sets the real prot. */
		ret = mm_map(mm, start, end - start, PROT_READ | PROT_WRITE, true,
			     0);
		if (ret < 0)
			return (int)ret;
		for (done = 0; done < seg->filesz; done += chunk) {
			u64 off = seg->offset + done;
			const void *bytes;

			chunk = min(seg->filesz - done, PAGE_SIZE - off % PAGE_SIZE);
			bytes = src_bytes(src, off, (size_t)chunk);
			if (bytes && copy_to_user((void *)(seg->vaddr + bias + done),
						  bytes, (size_t)chunk))
				return -EFAULT;
		}
		ret = mm_protect(mm, start, end - start, seg->prot);
		if (ret)
			return (int)ret;
	}
	return 0;
}

/* Pushes n bytes below *sp; returns their user address. */
static unsigned long push(unsigned long *sp, const void *data, size_t n,
			  int *err)
{
	*sp -= n;
	if (copy_to_user((void *)*sp, data, n))
		*err = -EFAULT;
	return *sp;
}

static unsigned long count_strings(const char *const *v)
{
	unsigned long n = 0;

	while (v && v[n])
		n++;
	return n;
}

/*
 * Linux's layout, from the stack pointer up: argc, argv[], NULL, envp[],
 * NULL, auxv pairs ending with AT_NULL; the strings and AT_RANDOM's 16
 * bytes above them. sp ends 16-byte aligned. *sp_out is the stack's top on
 * entry and the initial sp on return.
 */
static int build_stack(const struct elf_info *info, u64 bias, const char *path,
		       const char *const *argv, const char *const *envp,
		       unsigned long *sp_out)
{
	unsigned long argc = count_strings(argv), envc = count_strings(envp);
	unsigned long sp = *sp_out, execfn, random, i, n = 0;
	unsigned long strs[64], vec[64 + 2 * 18];
	u64 rnd[2] = { get_ticks() * 0x9e3779b97f4a7c15ULL,
		       (unsigned long)path ^ get_ticks() };
	int err = 0;

	if (argc + envc > ARRAY_SIZE(strs) - 1)
		return -E2BIG;
	execfn = push(&sp, path, strlen(path) + 1, &err);
	for (i = 0; i < argc; i++)
		strs[i] = push(&sp, argv[i], strlen(argv[i]) + 1, &err);
	for (i = 0; i < envc; i++)
		strs[argc + i] = push(&sp, envp[i], strlen(envp[i]) + 1, &err);
	sp = ALIGN_DOWN(sp, 16);
	random = push(&sp, rnd, sizeof(rnd), &err);

	vec[n++] = argc;
	for (i = 0; i < argc; i++)
		vec[n++] = strs[i];
	vec[n++] = 0;
	for (i = 0; i < envc; i++)
		vec[n++] = strs[argc + i];
	vec[n++] = 0;
#define AUX(k, v)                    \
	do {                         \
		vec[n++] = (k);      \
		vec[n++] = (v);      \
	} while (0)
	AUX(AT_PHDR, info->phdr_vaddr ? info->phdr_vaddr + bias : 0);
	AUX(AT_PHENT, info->phent);
	AUX(AT_PHNUM, info->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_ENTRY, info->entry + bias);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_HWCAP, HWCAP_ISA);
	AUX(AT_CLKTCK, CONFIG_HZ);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX
	sp = ALIGN_DOWN(sp - n * sizeof(long), 16);
	if (copy_to_user((void *)sp, vec, n * sizeof(long)))
		err = -EFAULT;
	*sp_out = sp;
	return err;
}

static int exec_load(struct task *t, const struct exec_src *src,
		     const char *path, const char *const *argv,
		     const char *const *envp, const char **why)
{
	struct elf_info info = { .min_vaddr = USER_MIN_ADDR,
				 .max_vaddr = STACK_TOP - STACK_LIMIT_DEFAULT,
				 .avail = src->avail };
	struct mm *mm, *prev = this_cpu_read(mm), *prev_mm;
	struct pt_regs *regs = task_user_regs(t);
	unsigned long sp;
	long ret, tramp = 0;
	int err;

	err = elf_check(src->image, src->size, &info, why);
	if (err)
		return err;
	mm = mm_create();
	if (!mm)
		return -ENOMEM;
	aslr_randomize_mm(mm);
	sp = mm->stack_top;
	/* Loaded from here: the new address space is active on this hart meanwhile. */
	mm_activate(mm);
	err = load_segments(mm, src, &info, info.load_bias);
	if (!err) {
		tramp = sigtramp_map(mm);
		err = tramp < 0 ? (int)tramp : 0;
	}
	if (!err) {
		ret = mm_map(mm, mm->stack_top - USER_STACK_SIZE, USER_STACK_SIZE,
			     PROT_READ | PROT_WRITE, true, VM_GROWSDOWN);
		err = ret < 0 ? (int)ret : build_stack(&info, info.load_bias,
							path, argv, envp, &sp);
	}
	if (err) {
		mm_activate(prev);
		*why = "could not set up the address space";
		mm_put(mm);
		return err;
	}
	mm->brk_start = mm->brk = ALIGN_UP(info.high_vaddr + info.load_bias,
					   PAGE_SIZE) + aslr_brk_offset();
	/* Point of no return: the old image is gone, and the other threads. */
	exec_de_thread(t);
	prev_mm = process_swap_mm(t, mm);
	if (t != current_task())
		mm_activate(prev);
	if (prev_mm)
		exec_mm_release(t, prev_mm); /* after the switch: it may be in satp */
	memset(regs, 0, sizeof(*regs));
	regs->epc = info.entry + info.load_bias;
	regs->sp = sp;
	/* To user mode, interrupts on after sret. */
	regs->status = SR_SPIE;
	fpu_exec(t);
	signal_exec(t, (unsigned long)tramp);
	return 0;
}

int exec_image(struct task *t, const void *image, size_t size,
	       const char *path, const char *const *argv,
	       const char *const *envp, const char **why)
{
	struct exec_src src = { .image = image, .size = size, .avail = size };

	return exec_load(t, &src, path, argv, envp, why);
}

int exec_file(struct task *t, const char *path, const char *const *argv,
	      const char *const *envp, const char **why)
{
	struct exec_src src = { .bounce = alloc_page(__GFP_NOWARN) };
	u8 *hdr = kmalloc(EXEC_HDR_SIZE, __GFP_NOWARN);
	u64 size, off;
	int err = hdr && src.bounce ? fs_open_exec(path, &src.ino, &size) :
				      -ENOMEM;

	if (!err) {
		src.size = (size_t)size;
		src.avail = (size_t)min(size, (u64)EXEC_HDR_SIZE);
		/* Holes in the headers read as zeroes too. */
		for (off = 0; off < src.avail; off += PAGE_SIZE) {
			size_t n = min(src.avail - (size_t)off, PAGE_SIZE);

			if (!fs_read_chunk(src.ino, off, hdr + off, n))
				memset(hdr + off, 0, n);
		}
		src.image = hdr;
		err = exec_load(t, &src, path, argv, envp, why);
		fs_put_inode(src.ino);
	}
	kfree(hdr);
	free_page(src.bounce);
	return err;
}
