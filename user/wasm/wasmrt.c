/* SPDX-License-Identifier: BSD-2-Clause */
/* The WebAssembly runtime binfmt_wasm starts: runs a module's _start compiled (jit_rv64.c) or interpreted, with WASI preview 1 calls made as system calls. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/ucontext.h>
#include <time.h>
#include <unistd.h>

#include <hartix/wasm.h>

/* WASI errno values (preview 1). */
enum {
	W_SUCCESS = 0, W_2BIG = 1, W_ACCES = 2, W_AGAIN = 6, W_BADF = 8, W_EXIST = 20,
	W_FAULT = 21, W_INTR = 27, W_INVAL = 28, W_IO = 29, W_ISDIR = 31, W_MFILE = 33,
	W_NAMETOOLONG = 37, W_NOENT = 44, W_NOMEM = 48, W_NOSPC = 51, W_NOSYS = 52,
	W_NOTDIR = 54, W_NOTEMPTY = 55, W_PERM = 63, W_PIPE = 64, W_SPIPE = 70,
};

/* WASI descriptors: 0-2 are ours, 3 the preopened "/", the rest opened files. */
#define NFDS		64
#define FD_PREOPEN	(-2)
#define FD_FREE		(-1)

static int fds[NFDS];
static int exit_code;
static struct wasm_memory *memory;
static int nargs;
static char **args, **envs;

static int wasi_errno(int e)
{
	switch (e) {
	case E2BIG: return W_2BIG;
	case EACCES: return W_ACCES;
	case EAGAIN: return W_AGAIN;
	case EBADF: return W_BADF;
	case EEXIST: return W_EXIST;
	case EFAULT: return W_FAULT;
	case EINTR: return W_INTR;
	case EINVAL: return W_INVAL;
	case EISDIR: return W_ISDIR;
	case EMFILE: return W_MFILE;
	case ENAMETOOLONG: return W_NAMETOOLONG;
	case ENOENT: return W_NOENT;
	case ENOMEM: return W_NOMEM;
	case ENOSPC: return W_NOSPC;
	case ENOSYS: return W_NOSYS;
	case ENOTDIR: return W_NOTDIR;
	case ENOTEMPTY: return W_NOTEMPTY;
	case EPERM: return W_PERM;
	case EPIPE: return W_PIPE;
	case ESPIPE: return W_SPIPE;
	default: return W_IO;
	}
}

/* len bytes of linear memory at addr, or NULL when they are not all inside it. */
static u8 *mem(u64 addr, u64 len)
{
	if (!memory || (u32)addr + len > memory->size)
		return NULL;
	return memory->data + (u32)addr;
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static int host_fd(u64 wfd)
{
	return wfd < NFDS ? fds[wfd] : FD_FREE;
}

#define HOST(name) \
	static enum wasm_trap name(void *ctx, struct wasm_func *f, const u64 *a, u64 *r)
#define RET(e)		do { r[0] = (u32)(e); return WASM_OK; } while (0)
#define UNUSED		(void)ctx; (void)f; (void)a

/* argv or environ into memory: pointers at a[0], the strings at a[1]. */
static enum wasm_trap put_strings(char **v, int n, const u64 *a, u64 *r)
{
	u32 ptr = (u32)a[0], buf = (u32)a[1];

	for (int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;
		u8 *p = mem(ptr + 4 * (u64)i, 4), *s = mem(buf, len);

		if (!p || !s)
			RET(W_FAULT);
		put32(p, buf);
		memcpy(s, v[i], len);
		buf += (u32)len;
	}
	RET(W_SUCCESS);
}

static enum wasm_trap put_sizes(char **v, int n, const u64 *a, u64 *r)
{
	u8 *pn = mem(a[0], 4), *ps = mem(a[1], 4);
	u32 size = 0;

	for (int i = 0; i < n; i++)
		size += (u32)strlen(v[i]) + 1;
	if (!pn || !ps)
		RET(W_FAULT);
	put32(pn, (u32)n);
	put32(ps, size);
	RET(W_SUCCESS);
}

static int count(char **v)
{
	int n = 0;

	while (v[n])
		n++;
	return n;
}

HOST(args_get) { UNUSED; return put_strings(args, nargs, a, r); }
HOST(args_sizes_get) { UNUSED; return put_sizes(args, nargs, a, r); }
HOST(environ_get) { UNUSED; return put_strings(envs, count(envs), a, r); }
HOST(environ_sizes_get) { UNUSED; return put_sizes(envs, count(envs), a, r); }

/* fd_read and fd_write: (fd, iovs, iovs_len, *n). */
static enum wasm_trap rw(const u64 *a, u64 *r, bool write_)
{
	int fd = host_fd(a[0]);
	u32 iovs = (u32)a[1], n = (u32)a[2], total = 0;
	u8 *out = mem(a[3], 4);

	if (fd < 0)
		RET(W_BADF);
	if (!out)
		RET(W_FAULT);
	for (u32 i = 0; i < n; i++) {
		u8 *iov = mem(iovs + 8 * (u64)i, 8), *buf;
		u32 base, len;
		ssize_t got;

		if (!iov)
			RET(W_FAULT);
		memcpy(&base, iov, 4);
		memcpy(&len, iov + 4, 4);
		buf = mem(base, len);
		if (!buf)
			RET(W_FAULT);
		got = write_ ? write(fd, buf, len) : read(fd, buf, len);
		if (got < 0) {
			if (total)
				break;
			RET(wasi_errno(errno));
		}
		total += (u32)got;
		if ((u32)got < len)
			break;
	}
	put32(out, total);
	RET(W_SUCCESS);
}

HOST(fd_write) { UNUSED; return rw(a, r, true); }
HOST(fd_read) { UNUSED; return rw(a, r, false); }

HOST(fd_close)
{
	int fd = host_fd(a[0]);

	UNUSED;
	if (fd < 0)
		RET(W_BADF);
	fds[a[0]] = FD_FREE;
	RET(close(fd) ? wasi_errno(errno) : W_SUCCESS);
}

HOST(fd_seek)
{
	int fd = host_fd(a[0]);
	u8 *out = mem(a[3], 8);
	off_t off;

	UNUSED;
	if (fd < 0)
		RET(fd == FD_PREOPEN ? W_SPIPE : W_BADF);
	if (!out)
		RET(W_FAULT);
	if ((u8)a[2] > 2)
		RET(W_INVAL);
	/* WASI's whence values are SEEK_SET, SEEK_CUR, SEEK_END in order. */
	off = lseek(fd, (off_t)a[1], (u8)a[2] == 0 ? SEEK_SET : (u8)a[2] == 1 ? SEEK_CUR : SEEK_END);
	if (off < 0)
		RET(wasi_errno(errno));
	put64(out, (u64)off);
	RET(W_SUCCESS);
}

HOST(fd_fdstat_get)
{
	int fd = host_fd(a[0]);
	u8 *out = mem(a[1], 24);
	struct stat st;
	u8 type = 0;

	UNUSED;
	if (fd == FD_FREE)
		RET(W_BADF);
	if (!out)
		RET(W_FAULT);
	memset(out, 0, 24);
	if (fd == FD_PREOPEN) {
		type = 3;
	} else if (!fstat(fd, &st)) {
		type = S_ISDIR(st.st_mode) ? 3 : S_ISREG(st.st_mode) ? 4 :
		       S_ISCHR(st.st_mode) ? 2 : 0;
	}
	out[0] = type;
	/* All rights, except seek and tell on a terminal, which is how wasi-libc's isatty() tells. */
	put64(out + 8, type == 2 ? ~0ull & ~((1ull << 2) | (1ull << 5)) : ~0ull);
	put64(out + 16, ~0ull);
	RET(W_SUCCESS);
}

HOST(fd_prestat_get)
{
	u8 *out = mem(a[1], 8);

	UNUSED;
	if (host_fd(a[0]) != FD_PREOPEN)
		RET(W_BADF);
	if (!out)
		RET(W_FAULT);
	memset(out, 0, 8);
	put32(out + 4, 1);	/* the name "/" */
	RET(W_SUCCESS);
}

HOST(fd_prestat_dir_name)
{
	u8 *out = mem(a[1], a[2]);

	UNUSED;
	if (host_fd(a[0]) != FD_PREOPEN)
		RET(W_BADF);
	if (!out)
		RET(W_FAULT);
	if ((u32)a[2] < 1)
		RET(W_NAMETOOLONG);
	out[0] = '/';
	RET(W_SUCCESS);
}

/* path_open(dirfd, dirflags, path, path_len, oflags, rights, rights_inh, fdflags, *fd) */
HOST(path_open)
{
	int dir = host_fd(a[0]), flags = 0, wfd, fd;
	u32 len = (u32)a[3], oflags = (u16)a[4], fdflags = (u16)a[7];
	u64 rights = a[5];
	u8 *p = mem(a[2], len), *out = mem(a[8], 4);
	char path[4096];

	UNUSED;
	if (dir == FD_FREE)
		RET(W_BADF);
	if (!p || !out)
		RET(W_FAULT);
	if (len + 2 > sizeof(path))
		RET(W_NAMETOOLONG);
	for (wfd = 4; wfd < NFDS && fds[wfd] != FD_FREE; wfd++)
		;
	if (wfd == NFDS)
		RET(W_MFILE);
	/* Rights fd_read (bit 1) and fd_write (bit 6) decide the access mode. */
	if ((rights & (1ull << 6)) && (rights & (1ull << 1)))
		flags = O_RDWR;
	else if (rights & (1ull << 6))
		flags = O_WRONLY;
	if (oflags & 1)
		flags |= O_CREAT;
	if (oflags & 2)
		flags |= O_DIRECTORY;
	if (oflags & 4)
		flags |= O_EXCL;
	if (oflags & 8)
		flags |= O_TRUNC;
	if (fdflags & 1)
		flags |= O_APPEND;
	if (dir == FD_PREOPEN) {
		path[0] = '/';
		memcpy(path + 1, p, len);
		path[len + 1] = 0;
		fd = open(path, flags, 0644);
	} else {
		memcpy(path, p, len);
		path[len] = 0;
		fd = openat(dir, path, flags, 0644);
	}
	if (fd < 0)
		RET(wasi_errno(errno));
	fds[wfd] = fd;
	put32(out, (u32)wfd);
	RET(W_SUCCESS);
}

HOST(clock_time_get)
{
	struct timespec ts;
	u8 *out = mem(a[2], 8);
	clockid_t id;

	UNUSED;
	switch ((u32)a[0]) {
	case 0: id = CLOCK_REALTIME; break;
	case 1: id = CLOCK_MONOTONIC; break;
	default: RET(W_INVAL);
	}
	if (!out)
		RET(W_FAULT);
	if (clock_gettime(id, &ts))
		RET(wasi_errno(errno));
	put64(out, (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec);
	RET(W_SUCCESS);
}

HOST(random_get)
{
	u8 *p = mem(a[0], (u32)a[1]);
	u32 done = 0;

	UNUSED;
	if (!p)
		RET(W_FAULT);
	while (done < (u32)a[1]) {
		ssize_t n = getrandom(p + done, (u32)a[1] - done, 0);

		if (n <= 0)
			RET(W_IO);
		done += (u32)n;
	}
	RET(W_SUCCESS);
}

HOST(proc_exit)
{
	UNUSED;
	(void)r;
	exit_code = (int)(u32)a[0];
	return WASM_TRAP_EXIT;
}

HOST(sched_yield_)
{
	UNUSED;
	sched_yield();
	RET(W_SUCCESS);
}

/* Every other WASI call: ENOSYS, whatever its type. */
HOST(nosys)
{
	(void)ctx;
	(void)a;
	memset(r, 0, f->type->nresults * sizeof(u64));
	if (f->type->nresults == 1 && f->type->types[f->type->nparams] == WASM_I32)
		r[0] = W_NOSYS;
	return WASM_OK;
}

static const struct {
	const char *name;
	wasm_host_fn fn;
} wasi[] = {
	{ "args_get", args_get }, { "args_sizes_get", args_sizes_get },
	{ "environ_get", environ_get }, { "environ_sizes_get", environ_sizes_get },
	{ "fd_write", fd_write }, { "fd_read", fd_read }, { "fd_close", fd_close },
	{ "fd_seek", fd_seek }, { "fd_fdstat_get", fd_fdstat_get },
	{ "fd_prestat_get", fd_prestat_get }, { "fd_prestat_dir_name", fd_prestat_dir_name },
	{ "path_open", path_open }, { "clock_time_get", clock_time_get },
	{ "random_get", random_get }, { "proc_exit", proc_exit },
	{ "sched_yield", sched_yield_ },
};

static void *zalloc(size_t n)
{
	return calloc(1, n);
}

static const struct wasm_alloc al = { zalloc, free };

#ifdef WASMRT_JIT
/*
 * Generated code is W^X: written while mapped read-write, then read+execute.
 * fence.i makes this hart fetch it anew; membarrier's SYNC_CORE does so on
 * every hart this process may move to.
 */
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE		(1 << 5)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE	(1 << 6)
#define NR_MEMBARRIER	283

static void *code_map(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int code_seal(void *p, size_t n)
{
	if (mprotect(p, n, PROT_READ | PROT_EXEC))
		return -1;
	__asm__ __volatile__("fence.i" ::: "memory");
	if (!syscall(NR_MEMBARRIER, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0))
		syscall(NR_MEMBARRIER, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
	return 0;
}

static void code_unmap(void *p, size_t n)
{
	munmap(p, n);
}

static const struct wasm_code_alloc code_alloc = { code_map, code_seal, code_unmap };

/*
 * Linear memory behind guard pages: a PROT_NONE reservation of 4 GiB and a
 * guard from the base, 2 GiB and a guard below it (include/hartix/wasm.h),
 * made read-write as it grows, so compiled code needs no bounds
 * check; touching the rest faults, and the handler below makes that the
 * module's trap. The reservation is made before compiling (a module has
 * at most one memory): if the address space has no room (RLIMIT_AS), the
 * code is compiled with bounds checks instead.
 */
static void *reserved;

static void *reserve_new(void)
{
	u8 *p = mmap(NULL, WASM_RESERVE_BELOW + WASM_RESERVE_BYTES, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p + WASM_RESERVE_BELOW;
}

static void *mem_reserve(void)
{
	void *p = reserved;

	reserved = NULL;
	return p;
}

static int mem_commit(void *base, u64 old, u64 size)
{
	return size > old ? mprotect((u8 *)base + old, size - old, PROT_READ | PROT_WRITE) : 0;
}

static void mem_release(void *base, u64 size)
{
	(void)size;
	munmap((u8 *)base - WASM_RESERVE_BELOW, WASM_RESERVE_BELOW + WASM_RESERVE_BYTES);
}

static const struct wasm_mem_ops mem_ops = { mem_reserve, mem_commit, mem_release };

static const struct wasm_jit *running_jit;

/*
 * The kernel's compiled code for this module (its code cache), mapped
 * read-only with the module's bytes it compiled: used when this process
 * decodes the same module (they are the bytes decoded) and its memory is
 * guarded as the code expects; else the module is compiled here.
 */
static struct wasm_jit shared_jit;

static bool use_image(const struct wasm_image *img, struct wasm_module *m)
{
	const u8 *base = (const u8 *)img;

	if (!img || !reserved || img->flags != WASM_JIT_GUARDED ||
	    img->nfuncs != m->nfuncs - m->nfunc_imports)
		return false;
	shared_jit.code = (u8 *)base + img->code_off;
	shared_jit.size = img->code_size;
	shared_jit.func_off = (u32 *)(base + img->func_off);
	shared_jit.trap_off = (u32 *)(base + img->trap_off);
	shared_jit.nfuncs = img->nfuncs;
	shared_jit.guarded = true;
	m->jit = &shared_jit;
	return true;
}

/* A fault in compiled code on a memory's guard is its trap; any other fault kills us as before. */
static void segv(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;

	if (running_jit && wasm_jit_fault(running_jit, uc->uc_mcontext.__gregs,
					  (uintptr_t)si->si_addr))
		return;
	signal(sig, SIG_DFL);
}

/* Instructions retired by this hart: the compile cost WASMRT_STATS=1 reports. */
static u64 instret(void)
{
	u64 v;

	__asm__ __volatile__("rdinstret %0" : "=r"(v));
	return v;
}
#endif

/*
 * The tier: WASM_TIER= in the environment (per execve), else the kernel's
 * --tier= option (wasm.tier= on its command line), else the compiled one.
 */
static bool want_jit(const char *kernel_tier)
{
	const char *t = getenv("WASM_TIER");

	if (!t || !*t)
		t = kernel_tier;
#ifdef WASMRT_JIT
	return !t || strcmp(t, "interp");
#else
	return false;
#endif
}

static u8 *read_file(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	u8 *buf;
	size_t done = 0;

	if (fd < 0 || fstat(fd, &st) || st.st_size > WASM_MAX_MODULE_BYTES) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	while (buf && done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n <= 0)
			break;
		done += n;
	}
	close(fd);
	*len = done;
	return buf;
}

int main(int argc, char **argv, char **envp)
{
	static struct wasm_store store;
	struct wasm_error err;
	struct wasm_module *m;
	struct wasm_instance *inst;
	struct wasm_extern *imports, ext;
	enum wasm_trap trap;
	const u8 *bin;
	u8 *file = NULL;
	size_t len = 0;
	const char *kernel_tier = NULL;
	const struct wasm_image *img;

	/* binfmt_wasm puts its option first: argv = wasmrt, --tier=T, module, args. */
	if (argc >= 2 && !strncmp(argv[1], "--tier=", 7)) {
		kernel_tier = argv[1] + 7;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: wasmrt MODULE.wasm [ARG...]\n");
		return 2;
	}
	img = (const struct wasm_image *)getauxval(AT_HARTIX_WASM_CODE);
	if (img && img->magic != WASM_IMAGE_MAGIC)
		img = NULL;
	/* The kernel's bytes when it compiled them, else the file's (read again: no trust). */
	if (img) {
		len = img->bin_len;
		bin = (const u8 *)img + img->bin_off;
	} else {
		bin = file = read_file(argv[1], &len);
	}
	if (!bin) {
		fprintf(stderr, "wasmrt: %s: cannot read\n", argv[1]);
		return 126;
	}
	m = wasm_load(bin, len, 0, &al, &err);
	free(file);
	if (!m) {
		fprintf(stderr, "wasmrt: %s: invalid module at byte %u: %s\n", argv[1],
			err.offset, err.msg);
		return 126;
	}
	if (want_jit(kernel_tier)) {
#ifdef WASMRT_JIT
		u64 t0 = instret();

		reserved = reserve_new();
		if (use_image(img, m)) {
			if (getenv("WASMRT_STATS"))
				fprintf(stderr, "wasmrt: %zu bytes of code from the kernel's cache\n",
					m->jit->size);
		} else if (!(m->jit = wasm_jit_compile(m, &al, &code_alloc,
						      reserved ? WASM_JIT_GUARDED : 0, &err)))
			fprintf(stderr, "wasmrt: %s: not compiled (%s): interpreting it\n", argv[1],
				err.msg);
		else if (getenv("WASMRT_STATS"))
			fprintf(stderr, "wasmrt: compiled %u bytes of code to %zu in %llu instructions\n",
				m->code_bytes, m->jit->size, (unsigned long long)(instret() - t0));
#endif
	}
	args = argv + 1;
	nargs = argc - 1;
	envs = envp;
	for (int i = 0; i < NFDS; i++)
		fds[i] = i < 3 ? i : FD_FREE;
	fds[3] = FD_PREOPEN;
	if (wasm_store_init(&store, &al)) {
		fprintf(stderr, "wasmrt: out of memory\n");
		return 126;
	}
#ifdef WASMRT_JIT
	if (m->jit && reserved) {
		struct sigaction sa = { .sa_sigaction = segv, .sa_flags = SA_SIGINFO };

		sigemptyset(&sa.sa_mask);
		store.mem_ops = &mem_ops;
		running_jit = m->jit;
		sigaction(SIGSEGV, &sa, NULL);
	}
#endif
	imports = calloc(m->nimports + 1, sizeof(*imports));
	for (u32 i = 0; i < m->nimports; i++) {
		const struct wasm_import *im = &m->imports[i];
		wasm_host_fn fn = nosys;

		if (im->kind != WASM_EXT_FUNC || strcmp(im->module, "wasi_snapshot_preview1")) {
			fprintf(stderr, "wasmrt: %s: unknown import %s.%s\n", argv[1], im->module,
				im->name);
			return 126;
		}
		for (size_t k = 0; k < sizeof(wasi) / sizeof(wasi[0]); k++)
			if (!strcmp(im->name, wasi[k].name))
				fn = wasi[k].fn;
		imports[i].kind = WASM_EXT_FUNC;
		imports[i].u.func = wasm_host_func(&store, &m->types[im->index], fn, NULL);
		if (!imports[i].u.func || wasm_link_check(m, i, &imports[i])) {
			fprintf(stderr, "wasmrt: %s: bad import %s\n", argv[1], im->name);
			return 126;
		}
	}
	inst = wasm_instantiate(&store, m, imports, &trap);
	if (inst && wasm_export_get(inst, "memory", 6, &ext) && ext.kind == WASM_EXT_MEM)
		memory = ext.u.mem;
	if (inst && !trap) {
		if (!wasm_export_get(inst, "_start", 6, &ext) || ext.kind != WASM_EXT_FUNC ||
		    ext.u.func->type->nparams || ext.u.func->type->nresults) {
			fprintf(stderr, "wasmrt: %s: no _start function\n", argv[1]);
			return 126;
		}
		/* Compiled code whose memory got no guard reservation is interpreted. */
		if (getenv("WASMRT_STATS"))
			fprintf(stderr, "wasmrt: tier %s%s\n", ext.u.func->jit ? "jit" : "interp",
				memory && memory->guarded ? ", guarded memory" : "");
		trap = wasm_call(&store, ext.u.func, NULL, NULL);
	}
	free(imports);
	if (trap != WASM_TRAP_EXIT && trap != WASM_OK) {
		/* As wasmtime: a trap is reported and the process ends like abort(). */
		fprintf(stderr, "wasm trap: %s in function %u\n", wasm_trap_name(trap),
			store.trap_func);
		exit_code = 134;
	}
	wasm_store_free(&store);
#ifdef WASMRT_JIT
	if (m->jit != &shared_jit)
		wasm_jit_free(m->jit, &al, &code_alloc);
#endif
	wasm_module_free(m, &al);
	return exit_code;
}
