/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the WebAssembly decoder and validator (kernel/wasm/decode.c): no input may crash it, and both load modes must agree. */
#include <stdlib.h>

#include <hartix/wasm.h>

static void *fz_zalloc(size_t n)
{
	return calloc(1, n);
}

static const struct wasm_alloc al = { fz_zalloc, free };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wasm_error e1, e2;
	struct wasm_module *full = wasm_load(data, size, 0, &al, &e1);
	struct wasm_module *vonly = wasm_load(data, size, WASM_VALIDATE_ONLY, &al, &e2);

	/* The kernel's validate-only verdict is the interpreter's. */
	if (!full != !vonly)
		abort();
	if (!full && !e1.msg[0])
		abort();
	wasm_module_free(full, &al);
	wasm_module_free(vonly, &al);
	return 0;
}
