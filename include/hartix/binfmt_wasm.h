/* SPDX-License-Identifier: BSD-2-Clause */
/* execve of a WebAssembly module: checked here, run by the user-mode runtime (kernel/wasm/binfmt.c). */
#ifndef HARTIX_BINFMT_WASM_H
#define HARTIX_BINFMT_WASM_H

#include <hartix/errno.h>
#include <hartix/types.h>

struct inode;

#ifdef CONFIG_BINFMT_WASM
/* The program execve runs a module with: its argv[1] is the module. */
#define BINFMT_WASM_RUNTIME CONFIG_BINFMT_WASM_RUNTIME
/* Whether the file's first bytes are a WebAssembly module's ("\0asm"). */
bool binfmt_wasm_match(const u8 *hdr, size_t n);
/*
 * Validates the module in ino (size bytes): 0, or -ENOEXEC with *why
 * (and a log line naming path) for one that fails.
 */
int binfmt_wasm_check(struct inode *ino, u64 size, const char *path, const char **why);
/* The option the runtime gets before the module ("--tier=..."), or NULL. */
const char *binfmt_wasm_runtime_arg(void);
#else
#define BINFMT_WASM_RUNTIME ""
static inline bool binfmt_wasm_match(const u8 *hdr, size_t n)
{
	(void)hdr;
	(void)n;
	return false;
}

static inline int binfmt_wasm_check(struct inode *ino, u64 size, const char *path,
				    const char **why)
{
	(void)ino; (void)size; (void)path; (void)why;
	return -ENOEXEC;
}

static inline const char *binfmt_wasm_runtime_arg(void)
{
	return NULL;
}
#endif

#endif
