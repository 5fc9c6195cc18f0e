/* SPDX-License-Identifier: BSD-2-Clause */
/* execve: argument strings, #! scripts, ELF programs and their interpreter, Linux's initial stack. */
#include <abi/auxvec.h>
#include <hartix/aslr.h>
#include <hartix/binfmt_wasm.h>
#include <hartix/boot.h>
#include <hartix/elf.h>
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fdt_scan.h>
#include <hartix/fs.h>
#include <hartix/futex.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/preempt.h>
#include <hartix/random.h>
#include <hartix/resource.h>
#include <hartix/signal.h>
#include <hartix/siginfo.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/string.h>
#include <hartix/syscalls.h>
#include <hartix/task_time.h>
#include <hartix/uaccess.h>
#include <hartix/wasm.h>
#include <asm/csr.h>
#include <asm/fpu.h>
#include <asm/ptrace.h>

#define USER_STACK_SIZE (128 * 1024) /* mapped up front; grows to the limit */

/* Linux's limits on the strings (include/uapi/linux/binfmts.h, fs/exec.c). */
#define MAX_ARG_STRLEN (32 * PAGE_SIZE) /* one string, its NUL included */
#define ARG_MAX (32 * PAGE_SIZE) /* the least room, whatever RLIMIT_STACK */
#define STK_LIM (8UL << 20) /* _STK_LIM: at most 3/4 of it */
#define MAX_ARG_STRINGS 0x7fffffffUL
#define BINPRM_BUF_SIZE 256 /* the #! line is read from this much */
/* Linux's exec_binprm(): the handler runs at depths 0 to 5, then ELOOP. */
#define MAX_REWRITE_DEPTH 5
/*
 * Room below the strings for what #! lines put before them: per level an
 * interpreter name and argument (each < BINPRM_BUF_SIZE) and a path.
 */
#define PREFIX_ROOM ALIGN_UP((MAX_REWRITE_DEPTH + 1) * \
			     (2 * BINPRM_BUF_SIZE + PATH_MAX), PAGE_SIZE)

/*
 * The first bytes of a file read for execve: the ELF and program headers
 * must lie in them (Linux reads at most 4 KiB of program headers).
 */
#define EXEC_HDR_SIZE 8192

/* Where argv or envp comes from: execve's user arrays, or the kernel's own. */
struct arg_vec {
	const char *const *vec; /* NULL: empty */
	bool user;
};

/*
 * One execve in progress (Linux's linux_binprm). The strings are kept as
 * they will lie at the top of the new stack, lowest first: argv[], envp[],
 * then the file name, bytes [lo, hi) of a space of pages allocated as they
 * fill. #! lines put their strings below lo, into PREFIX_ROOM.
 */
struct binprm {
	void **pages;
	unsigned long npages, lo, hi;
	unsigned long limit; /* hi - lo may not exceed it */
	unsigned long argc, envc;
	unsigned long exec_pos; /* where the file name is: AT_EXECFN */
	char *interp; /* the file being run now: the name, then #! interpreters */
	/* A module's code from the WebAssembly code cache, for its runtime (a reference). */
	struct wasm_cache_entry *wasm_code;
};

/* -------------------------------------------------------------------- */
/* The strings */

static void *space_page(struct binprm *b, unsigned long pos)
{
	void **slot = &b->pages[pos / PAGE_SIZE];

	if (!*slot)
		*slot = alloc_page(__GFP_NOWARN);
	return *slot;
}

static int room_check(const struct binprm *b, unsigned long len)
{
	return len > MAX_ARG_STRLEN || b->hi - b->lo + len > b->limit ? -E2BIG : 0;
}

/* A kernel string at the top (append) or below the others (prepend). */
static int put_kernel_string(struct binprm *b, const char *s, bool prepend)
{
	unsigned long len = strnlen(s, MAX_ARG_STRLEN) + 1, pos, done, n;
	int err = room_check(b, len);

	if (err)
		return err;
	if (prepend && b->lo < len)
		return -E2BIG;
	pos = prepend ? b->lo - len : b->hi;
	for (done = 0; done < len; done += n) {
		char *page = space_page(b, pos + done);

		if (!page)
			return -ENOMEM;
		n = min(len - done, PAGE_SIZE - (pos + done) % PAGE_SIZE);
		memcpy(page + (pos + done) % PAGE_SIZE, s + done, n);
	}
	if (prepend)
		b->lo = pos;
	else
		b->hi = pos + len;
	return 0;
}

/*
 * A user string appended a page piece at a time: its length is found as
 * it is copied. A string that changes meanwhile still ends with a NUL.
 */
static int put_user_string(struct binprm *b, const char *us)
{
	unsigned long start = b->hi;

	for (;;) {
		unsigned long off = b->hi % PAGE_SIZE, done = b->hi - start;
		long room = (long)min(PAGE_SIZE - off,
				      min(MAX_ARG_STRLEN - done,
					  b->limit - (b->hi - b->lo)));
		char *page;
		long n;

		if (room <= 0)
			return -E2BIG;
		page = space_page(b, b->hi);
		if (!page)
			return -ENOMEM;
		n = strncpy_from_user(page + off, us + done, room);
		if (n < 0)
			return (int)n;
		if (n < room) {
			b->hi += (unsigned long)n + 1;
			return 0;
		}
		b->hi += (unsigned long)room;
		/* Up to 6 MiB of copying: let others run, and SIGKILL end it. */
		cond_resched();
		if (fatal_signal_pending(current_task()))
			return -EINTR;
	}
}

/* vec[i] (NULL at the end); -EFAULT if the array cannot be read. */
static int arg_ptr(const struct arg_vec *v, unsigned long i, const char **s)
{
	if (!v->vec) {
		*s = NULL;
		return 0;
	}
	if (!v->user) {
		*s = v->vec[i];
		return 0;
	}
	return copy_from_user(s, &v->vec[i], sizeof(*s)) ? -EFAULT : 0;
}

/*
 * Counts a NULL-terminated array, stopping (E2BIG) once its pointers
 * alone would not fit the largest room there can be.
 */
static long count_args(const struct arg_vec *v)
{
	unsigned long n;
	const char *s;

	for (n = 0;; n++) {
		int err = arg_ptr(v, n, &s);

		if (err)
			return err;
		if (!s)
			return (long)n;
		if (n >= min(MAX_ARG_STRINGS, STK_LIM / 4 * 3 / sizeof(void *)))
			return -E2BIG;
		if (!(n % 1024)) {
			cond_resched();
			if (fatal_signal_pending(current_task()))
				return -EINTR;
		}
	}
}

static int put_strings(struct binprm *b, const struct arg_vec *v,
		       unsigned long count)
{
	unsigned long i;
	const char *s;
	int err = 0;

	for (i = 0; i < count && !err; i++) {
		err = arg_ptr(v, i, &s);
		if (!err && !s)
			err = -EFAULT; /* the array changed since it was counted */
		if (!err)
			err = v->user ? put_user_string(b, s) :
					put_kernel_string(b, s, false);
	}
	return err;
}

/* The room for strings: Linux's bprm_stack_limits(), from RLIMIT_STACK. */
static int set_limit(struct binprm *b, unsigned long rlim_stack)
{
	unsigned long limit = max(min(STK_LIM / 4 * 3, rlim_stack / 4),
				  (unsigned long)ARG_MAX);
	unsigned long ptrs = (max(b->argc, 1UL) + b->envc) * sizeof(void *);

	if (limit <= ptrs)
		return -E2BIG;
	b->limit = limit - ptrs;
	b->npages = (PREFIX_ROOM + b->limit) / PAGE_SIZE + 1;
	b->pages = kzalloc(b->npages * sizeof(void *), __GFP_NOWARN);
	b->lo = b->hi = PREFIX_ROOM;
	return b->pages ? 0 : -ENOMEM;
}

static int copy_args(struct binprm *b, const char *filename,
		     const struct arg_vec *argv, const struct arg_vec *envp,
		     unsigned long rlim_stack)
{
	long n = count_args(argv);
	int err;

	if (n < 0)
		return (int)n;
	b->argc = (unsigned long)n;
	n = count_args(envp);
	if (n < 0)
		return (int)n;
	b->envc = (unsigned long)n;
	err = set_limit(b, rlim_stack);
	if (!err)
		err = put_strings(b, argv, b->argc);
	if (!err)
		err = put_strings(b, envp, b->envc);
	b->exec_pos = b->hi;
	if (!err)
		err = put_kernel_string(b, filename, false);
	/* As Linux since 5.18: an empty argv becomes { "" }. */
	if (!err && !b->argc) {
		err = put_kernel_string(b, "", true);
		b->argc = 1;
	}
	return err;
}

static char space_byte(const struct binprm *b, unsigned long pos)
{
	return ((const char *)b->pages[pos / PAGE_SIZE])[pos % PAGE_SIZE];
}

/*
 * The value of environment variable name in b's strings into buf (cut
 * to size), or false when it is not set. The environment follows argv.
 */
static bool binprm_getenv(const struct binprm *b, const char *name, char *buf, size_t size)
{
	unsigned long pos = b->lo, i;
	size_t nlen = strlen(name), k;

	for (i = 0; i < b->argc; i++)
		while (space_byte(b, pos++))
			;
	for (i = 0; i < b->envc; i++) {
		for (k = 0; k < nlen && space_byte(b, pos + k) == name[k]; k++)
			;
		if (k == nlen && space_byte(b, pos + k) == '=') {
			pos += k + 1;
			for (k = 0; k + 1 < size && (buf[k] = space_byte(b, pos + k)); k++)
				;
			buf[k] = 0;
			return true;
		}
		while (space_byte(b, pos++))
			;
	}
	return false;
}

/* Drops argv[0] (the lowest string), for a #! line to replace it. */
static void remove_arg_zero(struct binprm *b)
{
	while (space_byte(b, b->lo++))
		;
	b->argc--;
}

static void free_strings(struct binprm *b)
{
	unsigned long i;

	for (i = 0; b->pages && i < b->npages; i++)
		if (b->pages[i])
			free_page(b->pages[i]);
	kfree(b->pages);
}

/* -------------------------------------------------------------------- */
/* Files */

/* An open executable: the first bytes in hdr, the rest read on demand. */
struct exec_file {
	struct inode *ino;
	u64 size;
	size_t avail; /* bytes of the file in hdr */
	u8 *hdr; /* EXEC_HDR_SIZE bytes */
	void *bounce;
};

static int open_exec(const char *path, struct exec_file *f)
{
	u64 off;
	int err = fs_open_exec(path, &f->ino, &f->size);

	if (err)
		return err;
	/* ETXTBSY if it is open for writing; no writer may open it until close_exec(). */
	err = deny_write_access(f->ino);
	if (err) {
		fs_put_inode(f->ino);
		f->ino = NULL;
		return err;
	}
	f->avail = (size_t)min(f->size, (u64)EXEC_HDR_SIZE);
	memset(f->hdr, 0, EXEC_HDR_SIZE);
	/* Holes in the headers read as zeroes. */
	for (off = 0; off < f->avail; off += PAGE_SIZE)
		fs_read_chunk(f->ino, off, f->hdr + off,
			      min(f->avail - (size_t)off, PAGE_SIZE));
	return 0;
}

static void close_exec(struct exec_file *f)
{
	if (f->ino) {
		allow_write_access(f->ino);
		fs_put_inode(f->ino);
	}
	f->ino = NULL;
}

/* n bytes of the file at off, within a page of it; NULL for a hole (zeroes). */
static const void *file_bytes(const struct exec_file *f, u64 off, size_t n)
{
	return fs_read_chunk(f->ino, off, f->bounce, n) ? f->bounce : NULL;
}

static void read_bytes(const struct exec_file *f, u64 off, char *buf, size_t n)
{
	size_t done, chunk;

	for (done = 0; done < n; done += chunk) {
		const void *p;

		chunk = min(n - done, PAGE_SIZE - (off + done) % PAGE_SIZE);
		p = file_bytes(f, off + done, chunk);
		if (p)
			memcpy(buf + done, p, chunk);
		else
			memset(buf + done, 0, chunk);
	}
}

/* -------------------------------------------------------------------- */
/* #! scripts: Linux's fs/binfmt_script.c */

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

static char *next_non_spacetab(char *first, const char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

static char *next_terminator(char *first, const char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

/*
 * argv[0] becomes the path of the file being run (b->interp), and the
 * interpreter name and its optional argument go before it; name runs
 * next (#! scripts, WebAssembly modules).
 */
static int prepend_interp(struct binprm *b, const char *name, const char *arg)
{
	int err;

	remove_arg_zero(b);
	err = put_kernel_string(b, b->interp, true);
	b->argc++;
	if (!err && arg) {
		err = put_kernel_string(b, arg, true);
		b->argc++;
	}
	if (!err)
		err = put_kernel_string(b, name, true);
	b->argc++;
	if (!err)
		strscpy(b->interp, name, PATH_MAX);
	return err;
}

/*
 * The interpreter and its optional argument (the rest of the line, spaces
 * inside kept) go before the script's path, which replaces argv[0]. An
 * interpreter path that may be cut short by the buffer is ENOEXEC; an
 * argument may be cut. The interpreter runs next, *interp names it.
 */
static int load_script(struct binprm *b, char *buf)
{
	char *buf_end = buf + BINPRM_BUF_SIZE - 1, *i_end, *i_name, *i_arg = NULL;
	char *i_sep;

	i_end = memchr(buf, '\n', BINPRM_BUF_SIZE);
	if (!i_end) {
		i_end = next_non_spacetab(buf + 2, buf_end);
		if (!i_end || !next_terminator(i_end, buf_end))
			return -ENOEXEC;
		i_end = buf_end;
	}
	while (spacetab(i_end[-1]))
		i_end--;
	i_name = next_non_spacetab(buf + 2, i_end);
	if (!i_name || i_name == i_end)
		return -ENOEXEC;
	i_sep = next_terminator(i_name, i_end);
	if (i_sep && *i_sep)
		i_arg = next_non_spacetab(i_sep, i_end);
	*i_end = '\0';

	if (i_arg)
		*i_sep = '\0';
	return prepend_interp(b, i_name, i_arg);
}

/* -------------------------------------------------------------------- */
/* ELF programs */

/*
 * The letters of the ISA every hart has, as Linux's AT_HWCAP: a bit per
 * letter, of those Linux reports (I, M, A, F, D, C); F and D only with
 * the FPU enabled, and F only with D, as Linux.
 */
static unsigned long elf_hwcap(void)
{
	static const char letters[] = "imafdc";
	static unsigned long hwcap = ~0UL; /* computed once; any racer agrees */
	unsigned long caps = READ_ONCE(hwcap), bit;
	const char *l;
	int i;

	if (caps != ~0UL)
		return caps;
	caps = 0;
	for (l = letters; *l; l++) {
		char ext[2] = { *l, '\0' };

		bit = 1UL << (*l - 'a');
		caps |= bit;
		for (i = 0; i < boot_info.ncpus; i++)
			if (boot_info.cpu[i].enabled &&
			    !fdt_cpu_has_ext(&boot_info.cpu[i], ext))
				caps &= ~bit;
	}
	if (!IS_ENABLED(CONFIG_FPU) || !(caps & (1UL << ('d' - 'a'))))
		caps &= ~((1UL << ('f' - 'a')) | (1UL << ('d' - 'a')));
	WRITE_ONCE(hwcap, caps);
	return caps;
}

/*
 * A segment is mapped from the file's pages (Linux's elf_map()): the
 * page cache's for a disk file, the RAM file system's own for the
 * initramfs and tmpfs. Its file pages are mapped privately (a write
 * copies one), the bytes of the last file page past p_filesz zeroed
 * (copying that page), and the rest of p_memsz is demand-zero memory.
 * Nothing is read that the program does not touch.
 */
static int map_segment(struct mm *mm, const struct exec_file *f,
		       const struct elf_segment *seg, u64 bias)
{
	u64 va = seg->vaddr + bias, start = ALIGN_DOWN(va, PAGE_SIZE);
	u64 fend = ALIGN_UP(va + seg->filesz, PAGE_SIZE);
	u64 end = ALIGN_UP(va + seg->memsz, PAGE_SIZE);
	long ret = mm_map_file(mm, start, fend - start, PROT_READ | PROT_WRITE, true,
			       0, f->ino, ALIGN_DOWN(seg->offset, PAGE_SIZE));

	if (ret < 0)
		return (int)ret;
	if (seg->memsz > seg->filesz &&
	    clear_user((void *)(va + seg->filesz), (size_t)(fend - va - seg->filesz)))
		return -EFAULT;
	if (end > fend) {
		ret = mm_map(mm, fend, end - fend, PROT_READ | PROT_WRITE, true, 0);
		if (ret < 0)
			return (int)ret;
	}
	return mm_protect(mm, start, end - start, seg->prot);
}

/*
 * Whether seg can be mapped from the file's pages: file mappings built
 * in, file offset and address congruent to a page. (fs_open_exec() only
 * opens files whose pages can be mapped: the RAM file system's, or a
 * disk file system's through the page cache.)
 */
static bool mappable(const struct elf_segment *seg, u64 bias)
{
	return IS_ENABLED(CONFIG_FILE_MMAP) && seg->filesz &&
	       (seg->offset & (PAGE_SIZE - 1)) == ((seg->vaddr + bias) & (PAGE_SIZE - 1));
}

/*
 * Maps the segments into mm, which is active on this hart, from the
 * file's pages (map_segment()). A segment that cannot be (no file
 * mappings, or a misaligned offset) is one demand-zero region, and only
 * its file bytes are copied in (a hole in the file is left to fault in
 * as zeroes). No page is touched for the rest of p_memsz.
 */
static int load_segments(struct mm *mm, const struct exec_file *f,
			 const struct elf_info *info, u64 bias)
{
	unsigned int i;

	for (i = 0; i < info->nr_loads; i++) {
		const struct elf_segment *seg = &info->load[i];
		u64 start = ALIGN_DOWN(seg->vaddr + bias, PAGE_SIZE);
		u64 end = ALIGN_UP(seg->vaddr + bias + seg->memsz, PAGE_SIZE);
		u64 done, chunk;
		long ret;

		if (mappable(seg, bias)) {
			ret = map_segment(mm, f, seg, bias);
			if (ret)
				return (int)ret;
			continue;
		}
		/* Writable while loading; mm_protect sets the real prot. */
		ret = mm_map(mm, start, end - start, PROT_READ | PROT_WRITE, true,
			     0);
		if (ret < 0)
			return (int)ret;
		for (done = 0; done < seg->filesz; done += chunk) {
			u64 off = seg->offset + done;
			const void *bytes;

			chunk = min(seg->filesz - done, PAGE_SIZE - off % PAGE_SIZE);
			bytes = file_bytes(f, off, (size_t)chunk);
			if (bytes && copy_to_user((void *)(seg->vaddr + bias + done),
						  bytes, (size_t)chunk))
				return -EFAULT;
			cond_resched();
		}
		ret = mm_protect(mm, start, end - start, seg->prot);
		if (ret)
			return (int)ret;
	}
	return 0;
}

/*
 * The interpreter goes where mmap would put its whole span (Linux's
 * load_elf_interp()): below the stack, randomized with the mmap base.
 */
static int load_interp(struct mm *mm, const struct exec_file *f,
		       const struct elf_info *ii, u64 *bias)
{
	u64 align = ii->align, start = ALIGN_DOWN(ii->low_vaddr, align);
	u64 span = ALIGN_UP(ii->high_vaddr, PAGE_SIZE) - start;
	long at = 0;

	if (ii->type == ET_DYN) {
		/* Reserve a span, aligned; the segments then replace it. */
		at = mm_map(mm, 0, span + align - PAGE_SIZE, PROT_NONE, false, 0);
		if (at < 0)
			return (int)at;
		mm_unmap(mm, (unsigned long)at, span + align - PAGE_SIZE);
		at = (long)ALIGN_UP((u64)at, align);
	}
	*bias = ii->type == ET_DYN ? (u64)at - start : 0;
	return load_segments(mm, f, ii, *bias);
}

/* Flushes words to the user stack when the buffer fills. */
struct stack_writer {
	unsigned long words[64];
	unsigned int n;
	unsigned long at; /* where words[0] goes */
	int err;
};

static void put_word(struct stack_writer *w, unsigned long v)
{
	w->words[w->n++] = v;
	if (w->n == ARRAY_SIZE(w->words)) {
		if (copy_to_user((void *)w->at, w->words, sizeof(w->words)))
			w->err = -EFAULT;
		w->at += sizeof(w->words);
		w->n = 0;
	}
}

static void flush_words(struct stack_writer *w)
{
	if (w->n && copy_to_user((void *)w->at, w->words, w->n * sizeof(long)))
		w->err = -EFAULT;
}

/* Pointers to count strings starting at *pos in the space, user addresses. */
static void put_string_ptrs(struct stack_writer *w, const struct binprm *b,
			    unsigned long *pos, unsigned long count, u64 base)
{
	unsigned long i;

	for (i = 0; i < count; i++) {
		put_word(w, base + *pos);
		while (space_byte(b, (*pos)++))
			;
		if (!(i % 1024))
			cond_resched();
	}
	put_word(w, 0);
}

struct exec_layout {
	const struct elf_info *info;
	u64 bias, interp_base, entry;
	unsigned long wasm_code; /* where the module's cached code is mapped, or 0 */
};

/*
 * Linux's layout, from the top down: 8 zero bytes, the file name, envp's
 * and argv's strings (with what #! lines put), 16 bytes for AT_RANDOM
 * (16-aligned), then from the stack pointer up: argc, argv[], NULL,
 * envp[], NULL, the auxv pairs ending with AT_NULL; sp 16-aligned.
 * *sp is the stack's top on entry and the initial sp on return.
 */
static int build_stack(struct mm *mm, const struct binprm *b,
		       const struct exec_layout *l, unsigned long *sp)
{
	const struct elf_info *info = l->info;
	unsigned long top = *sp - sizeof(void *), len = b->hi - b->lo;
	u64 base = top - b->hi; /* user address = base + position */
	unsigned long strings = top - len, pos, i, auxc = 0, rnd_at, items;
	u64 rnd[2] = { get_random_u64(), get_random_u64() };
	unsigned long aux[2 * 20];
	struct stack_writer w = { .n = 0 };

	for (pos = b->lo; pos < b->hi; pos += i) {
		i = min(b->hi - pos, PAGE_SIZE - pos % PAGE_SIZE);
		if (copy_to_user((void *)(base + pos),
				 (char *)b->pages[pos / PAGE_SIZE] + pos % PAGE_SIZE,
				 i))
			return -EFAULT;
	}
	rnd_at = ALIGN_DOWN(strings, 16) - sizeof(rnd);
	if (copy_to_user((void *)rnd_at, rnd, sizeof(rnd)))
		return -EFAULT;

#define AUX(k, v)                             \
	do {                                  \
		aux[auxc++] = (k);            \
		aux[auxc++] = (unsigned long)(v); \
	} while (0)
	AUX(AT_MINSIGSTKSZ, signal_minsigstksz);
	AUX(AT_HWCAP, elf_hwcap());
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100); /* times()' USER_HZ */
	AUX(AT_PHDR, info->phdr_vaddr ? info->phdr_vaddr + l->bias : 0);
	AUX(AT_PHENT, info->phent);
	AUX(AT_PHNUM, info->phnum);
	AUX(AT_BASE, l->interp_base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, info->entry + l->bias);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, rnd_at);
	AUX(AT_EXECFN, base + b->exec_pos);
	if (l->wasm_code)
		AUX(AT_HARTIX_WASM_CODE, l->wasm_code);
	AUX(AT_NULL, 0);
#undef AUX
	items = 1 + (b->argc + 1) + (b->envc + 1) + auxc;
	*sp = ALIGN_DOWN(rnd_at - items * sizeof(long), 16);
	w.at = *sp;
	put_word(&w, b->argc);
	pos = b->lo;
	put_string_ptrs(&w, b, &pos, b->argc, base);
	mm->arg_start = base + b->lo;
	mm->arg_end = mm->env_start = base + pos;
	put_string_ptrs(&w, b, &pos, b->envc, base);
	mm->env_end = base + pos;
	for (i = 0; i < auxc; i++)
		put_word(&w, aux[i]);
	flush_words(&w);
	return w.err;
}

/*
 * The file's real path (the name as given if it cannot be had); only
 * /proc shows it.
 */
static struct exe_path *exe_path_new(const char *path, struct inode *ino)
{
	char *real = kmalloc(PATH_MAX, __GFP_NOWARN);
	struct exe_path *e = NULL;
	size_t len;

	if (IS_ENABLED(CONFIG_PROC_FS) && real && !fs_real_path(path, real))
		path = real;
	len = strlen(path) + 1;
	e = kmalloc(sizeof(*e) + len, __GFP_NOWARN);
	if (e) {
		e->refs = 1;
		e->ino = ino;
		fs_hold_inode(ino);
		memcpy(e->name, path, len);
	}
	kfree(real);
	return e;
}

void exe_path_put(struct exe_path *e)
{
	if (e && !__atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL)) {
		fs_put_inode(e->ino);
		kfree(e);
	}
}

/*
 * As Linux's mm->exe_file: each address space running a program holds
 * off its writers. Taking it cannot fail: exec holds the open file's
 * denial, fork the parent's.
 */
void exe_deny_write(struct mm *mm, bool deny)
{
	if (!mm->exe || mm->exe_denied == deny)
		return;
	mm->exe_denied = deny;
	if (deny)
		deny_write_access(mm->exe->ino);
	else
		allow_write_access(mm->exe->ino);
}

/*
 * The ELF program in f (and its interpreter) into a new address space,
 * which replaces t's once nothing can fail any more.
 */
static int load_elf(struct task *t, struct binprm *b, struct exec_file *f,
		    const char **why)
{
	struct elf_info info = { .min_vaddr = USER_MIN_ADDR,
				 .max_vaddr = STACK_TOP - STACK_LIMIT_DEFAULT,
				 .avail = f->avail };
	struct elf_info iinfo = info;
	struct exec_file fi = { .hdr = NULL };
	struct mm *mm, *prev = mm_active(), *prev_mm;
	struct pt_regs *regs = task_user_regs(t);
	struct exec_layout l = { .info = &info };
	struct exe_path *exe;
	char *ipath = NULL;
	unsigned long sp, stack;
	long ret, tramp = 0;
	int err;

	err = elf_check(f->hdr, (size_t)f->size, &info, why);
	if (err)
		return err;
	if (info.interp_len && !IS_ENABLED(CONFIG_BINFMT_ELF_INTERP)) {
		*why = "dynamically linked (CONFIG_BINFMT_ELF_INTERP is off)";
		return -ENOEXEC;
	}
	exe = exe_path_new(b->interp, f->ino);
	if (!exe)
		return -ENOMEM;
	if (info.interp_len) {
		/* Linux: the path must end with its NUL; open errors as they are. */
		ipath = kmalloc(info.interp_len, __GFP_NOWARN);
		fi.hdr = kmalloc(EXEC_HDR_SIZE, __GFP_NOWARN);
		fi.bounce = f->bounce;
		err = ipath && fi.hdr ? 0 : -ENOMEM;
		if (!err)
			read_bytes(f, info.interp_offset, ipath,
				   (size_t)info.interp_len);
		if (!err && ipath[info.interp_len - 1]) {
			*why = "PT_INTERP path without its NUL";
			err = -ENOEXEC;
		}
		if (!err)
			err = open_exec(ipath, &fi);
		if (!err) {
			iinfo.avail = fi.avail;
			/* Linux: an interpreter that is no ELF program is ELIBBAD. */
			if (elf_check(fi.hdr, (size_t)fi.size, &iinfo, why))
				err = -ELIBBAD;
		}
		if (err)
			goto out;
	}
	err = -ENOMEM;
	mm = mm_create();
	if (!mm)
		goto out;
	aslr_randomize_mm(mm); /* mm_create() made room for RLIMIT_STACK */
	if (info.type == ET_DYN)
		info.load_bias -= aslr_dyn_offset(info.align);
	l.bias = info.load_bias;
	sp = mm->stack_top;
	/* Loaded from here: the new address space is active on this hart meanwhile. */
	mm_activate(mm);
	err = load_segments(mm, f, &info, l.bias);
	if (!err && info.interp_len) {
		err = load_interp(mm, &fi, &iinfo, &l.interp_base);
		l.entry = iinfo.entry + l.interp_base;
	} else {
		l.entry = info.entry + l.bias;
	}
	if (!err) {
		tramp = sigtramp_map(mm);
		err = tramp < 0 ? (int)tramp : 0;
	}
	if (!err && b->wasm_code) {
		/* Without it (no room) the runtime compiles the module itself. */
		ret = wasm_cache_map(mm, b->wasm_code);
		l.wasm_code = ret > 0 ? (unsigned long)ret : 0;
	}
	if (!err) {
		stack = min(mm->stack_limit,
			    ALIGN_UP(USER_STACK_SIZE + b->hi - b->lo +
				     (b->argc + b->envc) * sizeof(void *),
				     PAGE_SIZE));
		ret = mm_map(mm, mm->stack_top - stack, stack,
			     PROT_READ | PROT_WRITE |
			     (info.exec_stack ? PROT_EXEC : 0),
			     true, VM_GROWSDOWN);
		err = ret < 0 ? (int)ret : build_stack(mm, b, &l, &sp);
	}
	if (err) {
		mm_activate(prev);
		*why = "could not set up the address space";
		mm_put(mm);
		goto out;
	}
	mm->brk_start = mm->brk = ALIGN_UP(info.high_vaddr + l.bias, PAGE_SIZE) +
				  aslr_brk_offset();
	mm->exe = exe;
	exe = NULL;
	exe_deny_write(mm, true);
	/* Point of no return: the old image is gone, and the other threads. */
	exec_de_thread(t);
	if (t == current_task() && t->mm) {
		/* The old image's robust futexes and clear_child_tid, in its memory. */
		mm_activate(prev);
		futex_exit_release(t);
		mm_activate(mm);
	}
	prev_mm = process_swap_mm(t, mm);
	if (t != current_task())
		mm_activate(prev);
	if (prev_mm)
		exec_mm_release(t, prev_mm); /* after the switch: it may be in satp */
	memset(regs, 0, sizeof(*regs));
	regs->epc = l.entry;
	regs->sp = sp;
	/* To user mode, interrupts on after sret. */
	regs->status = SR_SPIE;
	fpu_exec(t);
	signal_exec(t, (unsigned long)tramp);
out:
	close_exec(&fi);
	kfree(fi.hdr);
	kfree(ipath);
	exe_path_put(exe);
	return err;
}

/* -------------------------------------------------------------------- */

static const char *basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * Runs the file at path in t (the caller, or a new task not yet started)
 * with the strings of argv and envp: #! lines are followed (at most
 * MAX_REWRITE_DEPTH deep), then the ELF program is loaded. 0, or -errno
 * with t unchanged and a reason in *why for a bad executable.
 */
static int do_execve(struct task *t, const char *path,
		     const struct arg_vec *argv, const struct arg_vec *envp,
		     const char **why)
{
	struct binprm b = { .pages = NULL };
	struct exec_file f = { .hdr = kmalloc(EXEC_HDR_SIZE, __GFP_NOWARN),
			       .bounce = alloc_page(__GFP_NOWARN) };
	int depth, err;

	b.interp = kmalloc(PATH_MAX, __GFP_NOWARN);
	err = f.hdr && f.bounce && b.interp ? 0 : -ENOMEM;
	if (!err) {
		strscpy(b.interp, path, PATH_MAX);
		/* The caller's limit (a kernel thread's: the defaults a new process gets). */
		err = copy_args(&b, path, argv, envp, rlimit(RLIMIT_STACK));
	}
	for (depth = 0; !err; depth++) {
		if (depth > MAX_REWRITE_DEPTH) {
			err = -ELOOP;
			break;
		}
		err = open_exec(b.interp, &f);
		if (err)
			break;
		if (IS_ENABLED(CONFIG_BINFMT_SCRIPT) && f.hdr[0] == '#' &&
		    f.hdr[1] == '!') {
			err = load_script(&b, (char *)f.hdr);
			if (err == -ENOEXEC)
				*why = "#! line without an interpreter, or too long";
			close_exec(&f);
			continue;
		}
		/* A module is checked here, then its runtime runs it, as a #! interpreter would. */
		if (binfmt_wasm_match(f.hdr, f.avail)) {
			/* The tier the runtime will pick: only the compiled one uses the code cache. */
			char tier[8];
			bool env = binprm_getenv(&b, "WASM_TIER", tier, sizeof(tier));

			err = binfmt_wasm_check(f.ino, f.size, b.interp, why,
						binfmt_wasm_jit(env ? tier : NULL) ?
						&b.wasm_code : NULL);
			if (!err)
				err = prepend_interp(&b, BINFMT_WASM_RUNTIME,
						     binfmt_wasm_runtime_arg());
			close_exec(&f);
			continue;
		}
		err = load_elf(t, &b, &f, why);
		if (!err)
			strscpy(t->comm, basename(path), sizeof(t->comm));
		break;
	}
	close_exec(&f);
	free_strings(&b);
	wasm_cache_put(b.wasm_code);
	kfree(b.interp);
	kfree(f.hdr);
	free_page(f.bounce);
	return err;
}

int exec_kernel(struct task *t, const char *path, const char *const *argv,
		const char *const *envp, const char **why)
{
	struct arg_vec av = { argv, false }, ev = { envp, false };

	return do_execve(t, path, &av, &ev, why);
}

SYSCALL_DEFINE3(execve, const char *, upath, const char *const *, uargv,
		const char *const *, uenvp)
{
	struct arg_vec av = { uargv, true }, ev = { uenvp, true };
	const char *why = "";
	long ret;
	char *path = get_path(upath, &ret);

	if (!path)
		return ret;
	ret = do_execve(current_task(), path, &av, &ev, &why);
	if (!ret) {
		files_exec(current_task()->files);
		posix_timers_exec(current_task());
		if (IS_ENABLED(CONFIG_SIGNAL_EXTRA))
			sigaltstack_reset(current_task());
	}
	kfree(path);
	return ret;
}
SYSCALL_FULL_FRAME(execve);
