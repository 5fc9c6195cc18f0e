/* SPDX-License-Identifier: BSD-2-Clause */
/* execve of a WebAssembly module: checked here, run by the user-mode runtime (kernel/wasm/binfmt.c). */
#ifndef HARTIX_BINFMT_WASM_H
#define HARTIX_BINFMT_WASM_H

#include <hartix/errno.h>
#include <hartix/sched.h>
#include <hartix/types.h>

struct inode;

#ifdef CONFIG_BINFMT_WASM
/* Whether the file's first bytes are a WebAssembly module's ("\0asm"). */
bool binfmt_wasm_match(const u8 *hdr, size_t n);
/*
 * Validates the module in ino (size bytes) and execs the runtime on it.
 * -ENOEXEC with *why for a module that fails validation.
 */
int binfmt_wasm_exec(struct task *t, struct inode *ino, u64 size, const char *path,
		     const char *const *argv, const char *const *envp, const char **why);
#else
static inline bool binfmt_wasm_match(const u8 *hdr, size_t n)
{
	(void)hdr;
	(void)n;
	return false;
}

static inline int binfmt_wasm_exec(struct task *t, struct inode *ino, u64 size,
				   const char *path, const char *const *argv,
				   const char *const *envp, const char **why)
{
	(void)t; (void)ino; (void)size; (void)path; (void)argv; (void)envp; (void)why;
	return -ENOEXEC;
}
#endif

#endif
