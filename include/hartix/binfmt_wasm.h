/* SPDX-License-Identifier: BSD-2-Clause */
/* execve of a WebAssembly module: checked here, run by the user-mode runtime (kernel/wasm/binfmt.c). */
#ifndef HARTIX_BINFMT_WASM_H
#define HARTIX_BINFMT_WASM_H

#include <hartix/errno.h>
#include <hartix/types.h>

struct inode;
struct mm;
struct seq;
struct wasm_alloc;
struct wasm_cache_entry;
struct wasm_module;

#ifdef CONFIG_BINFMT_WASM
/* The program execve runs a module with: its argv[1] is the module. */
#define BINFMT_WASM_RUNTIME CONFIG_BINFMT_WASM_RUNTIME
/* Whether the file's first bytes are a WebAssembly module's ("\0asm"). */
bool binfmt_wasm_match(const u8 *hdr, size_t n);
/*
 * Validates the module in ino (size bytes): 0, or -ENOEXEC with *why
 * (and a log line naming path) for one that fails. With code (the
 * compiled tier will run) and the code cache, *code (NULL before) may
 * get a reference to its compiled code, for wasm_cache_map() into the
 * runtime's new image and wasm_cache_put().
 */
int binfmt_wasm_check(struct inode *ino, u64 size, const char *path, const char **why,
		      struct wasm_cache_entry **code);
/* The engine's allocator in the kernel. */
extern const struct wasm_alloc wasm_kernel_alloc;
/* The option the runtime gets before the module ("--tier=..."), or NULL. */
const char *binfmt_wasm_runtime_arg(void);
/* Whether the runtime runs compiled code, given WASM_TIER= of the execve (NULL: unset). */
bool binfmt_wasm_jit(const char *env_tier);
#else
#define BINFMT_WASM_RUNTIME ""
static inline bool binfmt_wasm_match(const u8 *hdr, size_t n)
{
	(void)hdr;
	(void)n;
	return false;
}

static inline int binfmt_wasm_check(struct inode *ino, u64 size, const char *path,
				    const char **why, struct wasm_cache_entry **code)
{
	(void)ino; (void)size; (void)path; (void)why; (void)code;
	return -ENOEXEC;
}

static inline const char *binfmt_wasm_runtime_arg(void)
{
	return NULL;
}

static inline bool binfmt_wasm_jit(const char *env_tier)
{
	(void)env_tier;
	return false;
}
#endif

/* The compiled-code cache (kernel/wasm/cache.c, Documentation/wasm.rst). */
#ifdef CONFIG_WASM_JIT_CACHE
/* Whether a module of size bytes may be cached (compiled in the kernel). */
bool wasm_cache_fits(u64 size);
/*
 * The entry for file if its module is bin (size bytes) compiled with
 * flags: a reference, or NULL. A changed file's old entry is dropped.
 */
struct wasm_cache_entry *wasm_cache_get(struct inode *file, const u8 *bin, u64 size, u32 flags);
/* Compiles m, loaded from bin, and enters it for file: a reference, or NULL if it cannot. */
struct wasm_cache_entry *wasm_cache_add(struct inode *file, const u8 *bin, u64 size, u32 flags,
					const struct wasm_module *m);
void wasm_cache_put(struct wasm_cache_entry *e);
/* Maps e's image into mm (the code read+execute, the rest read-only): its address or -errno. */
long wasm_cache_map(struct mm *mm, struct wasm_cache_entry *e);
/*
 * file's inode is being freed: its entry goes (the code stays while
 * mapped). fs_locked: the caller holds fs_lock (a RAM file).
 */
void wasm_cache_forget(struct inode *file, bool fs_locked);
int show_wasm_jit_cache(struct seq *m, int pid, int tid);
/* Memory is short: drops every entry no process maps; the pages freed. No lock may be held. */
unsigned long wasm_cache_shrink(void);
#else
static inline bool wasm_cache_fits(u64 size)
{
	(void)size;
	return false;
}

static inline struct wasm_cache_entry *wasm_cache_get(struct inode *file, const u8 *bin,
						      u64 size, u32 flags)
{
	(void)file; (void)bin; (void)size; (void)flags;
	return NULL;
}

static inline struct wasm_cache_entry *wasm_cache_add(struct inode *file, const u8 *bin,
						      u64 size, u32 flags,
						      const struct wasm_module *m)
{
	(void)file; (void)bin; (void)size; (void)flags; (void)m;
	return NULL;
}

static inline void wasm_cache_put(struct wasm_cache_entry *e)
{
	(void)e;
}

static inline long wasm_cache_map(struct mm *mm, struct wasm_cache_entry *e)
{
	(void)mm; (void)e;
	return -ENOSYS;
}

static inline void wasm_cache_forget(struct inode *file, bool fs_locked)
{
	(void)file; (void)fs_locked;
}

static inline unsigned long wasm_cache_shrink(void)
{
	return 0;
}
#endif

#endif
