/* SPDX-License-Identifier: BSD-2-Clause */
/* binfmt_wasm: execve of a "\0asm" file validates the module, then runs the user-mode runtime on it. */
#include <hartix/binfmt_wasm.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <hartix/vmalloc.h>
#include <hartix/wasm.h>

/*
 * The kernel validates modules up to this size itself, so a bad one fails
 * execve with a reason before the caller's image is gone. Larger ones are
 * refused: validation runs without a reschedule point.
 */
#define BINFMT_WASM_MAX_BYTES	(16u << 20)

/* The engine's allocations in the kernel (zeroed): validation and the code cache's compiles. */
static void *kzalloc_any(size_t n)
{
	void *p = kvmalloc(n);

	if (p)
		memset(p, 0, n);
	return p;
}

static void kfree_any(void *p)
{
	kvfree(p);
}

const struct wasm_alloc wasm_kernel_alloc = { kzalloc_any, kfree_any };

/*
 * wasm.tier=interp|jit: the runtime's default tier, passed to it as its
 * first option (a program's WASM_TIER= overrides it). Set once at boot.
 */
static const char *tier_arg = IS_ENABLED(CONFIG_WASM_JIT) ? "--tier=jit" : NULL;

static int set_tier(const char *val)
{
	if (!val)
		return -EINVAL;
	if (IS_ENABLED(CONFIG_WASM_JIT) && !strcmp(val, "jit"))
		tier_arg = "--tier=jit";
	else if (!strcmp(val, "interp"))
		tier_arg = "--tier=interp";
	else
		return -EINVAL;
	return 0;
}
kernel_param("wasm.tier", set_tier);

const char *binfmt_wasm_runtime_arg(void)
{
	return tier_arg;
}

bool binfmt_wasm_jit(const char *env_tier)
{
	/* As the runtime decides: WASM_TIER= (any value but interp is jit), else wasm.tier=. */
	if (env_tier && *env_tier)
		return IS_ENABLED(CONFIG_WASM_JIT) && strcmp(env_tier, "interp");
	return tier_arg && !strcmp(tier_arg, "--tier=jit");
}

bool binfmt_wasm_match(const u8 *hdr, size_t n)
{
	return n >= 4 && !memcmp(hdr, "\0asm", 4);
}

int binfmt_wasm_check(struct inode *ino, u64 size, const char *path, const char **why,
		      struct wasm_cache_entry **code)
{
	struct wasm_error e;
	struct wasm_module *m;
	unsigned int flags = WASM_VALIDATE_ONLY;
	u8 *bin;

	if (size > BINFMT_WASM_MAX_BYTES) {
		*why = "WebAssembly module too large";
		return -ENOEXEC;
	}
	bin = kvmalloc(size ? size : 1);
	if (!bin)
		return -ENOMEM;
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		size_t n = (size_t)min(size - off, (u64)PAGE_SIZE);

		if (!fs_read_chunk(ino, off, bin + off, n))
			memset(bin + off, 0, n);
	}
	/*
	 * The code cache serves the compiled tier (code set): a hit is for
	 * these very bytes, which passed validation when they were compiled;
	 * a miss decodes the module in full, to compile it.
	 */
	if (IS_ENABLED(CONFIG_WASM_JIT_CACHE) && code && !*code && wasm_cache_fits(size)) {
		*code = wasm_cache_get(ino, bin, size, WASM_JIT_GUARDED);
		if (*code) {
			kvfree(bin);
			return 0;
		}
		flags = 0;
	}
	m = wasm_load(bin, (size_t)size, flags, &wasm_kernel_alloc, &e);
	if (m && !flags)
		*code = wasm_cache_add(ino, bin, size, WASM_JIT_GUARDED, m);
	kvfree(bin);
	if (!m) {
		pr_warn("wasm: %s: invalid module at byte %u: %s\n", path, e.offset, e.msg);
		*why = "invalid WebAssembly module";
		return -ENOEXEC;
	}
	wasm_module_free(m, &wasm_kernel_alloc);
	return 0;
}
