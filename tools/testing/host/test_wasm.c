/* SPDX-License-Identifier: BSD-2-Clause */
/* The WebAssembly core spec tests (converted with wast2json at run time) against kernel/wasm: one TAP line per .wast file. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "htest.h"
#include <hartix/wasm.h>

/* ---- A small JSON reader for wast2json's output ---- */

enum { J_NULL, J_STR, J_NUM, J_ARR, J_OBJ, J_BOOL };

struct json {
	int type;
	char *str;		/* J_STR; J_OBJ member name in key */
	size_t len;		/* of str, which may hold NULs */
	char *key;
	struct json *kids;	/* J_ARR, J_OBJ: first child */
	struct json *next;
};

static const char *jp;

static void jskip(void)
{
	while (*jp == ' ' || *jp == '\n' || *jp == '\r' || *jp == '\t')
		jp++;
}

/* Appends code point v as UTF-8. */
static char *put_utf8(char *o, unsigned v)
{
	if (v < 0x80) {
		*o++ = (char)v;
	} else if (v < 0x800) {
		*o++ = (char)(0xc0 | v >> 6);
		*o++ = (char)(0x80 | (v & 0x3f));
	} else if (v < 0x10000) {
		*o++ = (char)(0xe0 | v >> 12);
		*o++ = (char)(0x80 | ((v >> 6) & 0x3f));
		*o++ = (char)(0x80 | (v & 0x3f));
	} else {
		*o++ = (char)(0xf0 | v >> 18);
		*o++ = (char)(0x80 | ((v >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((v >> 6) & 0x3f));
		*o++ = (char)(0x80 | (v & 0x3f));
	}
	return o;
}

static char *jstring(size_t *len)
{
	const char *q = jp + 1;
	char *out, *o;

	/* Escapes only shrink the string: its raw length is enough. */
	while (*q && *q != '"')
		q += *q == '\\' && q[1] ? 2 : 1;
	out = o = malloc(q - jp + 1);
	jp++;
	while (*jp && *jp != '"') {
		if (*jp == '\\') {
			jp++;
			switch (*jp) {
			case 'n': *o++ = '\n'; break;
			case 't': *o++ = '\t'; break;
			case 'u': {
				unsigned v = 0, lo = 0;

				sscanf(jp + 1, "%4x", &v);
				jp += 4;
				/* A surrogate pair is one code point. */
				if (v >= 0xd800 && v < 0xdc00 && jp[1] == '\\' && jp[2] == 'u' &&
				    sscanf(jp + 3, "%4x", &lo) == 1 && lo >= 0xdc00 && lo < 0xe000) {
					v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
					jp += 6;
				}
				o = put_utf8(o, v);
				break;
			}
			default: *o++ = *jp; break;
			}
			jp++;
		} else {
			*o++ = *jp++;
		}
	}
	if (*jp)
		jp++;
	*o = 0;
	if (len)
		*len = o - out;
	return out;
}

static struct json *jvalue(void)
{
	struct json *j = calloc(1, sizeof(*j)), **tail;

	jskip();
	if (*jp == '"') {
		j->type = J_STR;
		j->str = jstring(&j->len);
	} else if (*jp == '[' || *jp == '{') {
		char close = *jp == '[' ? ']' : '}';

		j->type = *jp == '[' ? J_ARR : J_OBJ;
		jp++;
		tail = &j->kids;
		for (;;) {
			char *key = NULL;
			struct json *k;

			jskip();
			if (*jp == close) {
				jp++;
				break;
			}
			if (*jp == ',') {
				jp++;
				continue;
			}
			if (!*jp)
				break;
			if (j->type == J_OBJ) {
				key = jstring(NULL);
				jskip();
				if (*jp == ':')
					jp++;
			}
			k = jvalue();
			k->key = key;
			*tail = k;
			tail = &k->next;
		}
	} else {
		const char *s = jp;

		while (*jp && !strchr(",]} \n", *jp))
			jp++;
		j->type = *s == 't' || *s == 'f' ? J_BOOL : *s == 'n' ? J_NULL : J_NUM;
		j->str = strndup(s, jp - s);
	}
	return j;
}

static void jfree(struct json *j)
{
	while (j) {
		struct json *n = j->next;

		jfree(j->kids);
		free(j->str);
		free(j->key);
		free(j);
		j = n;
	}
}

static struct json *jget(const struct json *o, const char *key)
{
	for (struct json *k = o ? o->kids : NULL; k; k = k->next)
		if (k->key && !strcmp(k->key, key))
			return k;
	return NULL;
}

static const char *jstr(const struct json *o, const char *key)
{
	struct json *k = jget(o, key);

	return k && k->str ? k->str : NULL;
}

/* ---- Engine glue ---- */

static void *h_zalloc(size_t n)
{
	return calloc(1, n);
}

static const struct wasm_alloc al = { h_zalloc, free };

/* Generated code: mapped writable, then read+execute (W^X). */
static void *code_map(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int code_seal(void *p, size_t n)
{
	__builtin___clear_cache((char *)p, (char *)p + n);
	return mprotect(p, n, PROT_READ | PROT_EXEC);
}

static void code_unmap(void *p, size_t n)
{
	munmap(p, n);
}

static const struct wasm_code_alloc code_alloc = { code_map, code_seal, code_unmap };

/*
 * Guarded memories, as wasmrt makes them, from at most POOL reservations
 * kept for reuse: qemu-riscv64 7.2 spends about 0.4 s and 25 MB of its own
 * on each new one. When none is left a memory is plain, and a module that
 * would run on it is compiled with bounds checks (the engine's fallback).
 */
#define POOL 8
static void *pool[POOL];
static int npool, nlive;

static void *mem_reserve(void)
{
	void *p;

	if (npool) {
		nlive++;
		return pool[--npool];
	}
	if (nlive >= POOL)
		return NULL;
	p = mmap(NULL, WASM_RESERVE_BELOW + WASM_RESERVE_BYTES, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	nlive++;
	return (u8 *)p + WASM_RESERVE_BELOW;
}

static bool mem_available(void)
{
	return npool || nlive < POOL;
}

static int mem_commit(void *base, u64 old, u64 size)
{
	return size > old ? mprotect((u8 *)base + old, size - old, PROT_READ | PROT_WRITE) : 0;
}

static void mem_release(void *base, u64 size)
{
	nlive--;
	/* Fresh zero pages, inaccessible again, for the next memory. */
	if (size && mmap(base, size, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS |
			 MAP_NORESERVE, -1, 0) == MAP_FAILED) {
		munmap((u8 *)base - WASM_RESERVE_BELOW, WASM_RESERVE_BELOW + WASM_RESERVE_BYTES);
		return;
	}
	pool[npool++] = base;
}

static const struct wasm_mem_ops mem_ops = { mem_reserve, mem_commit, mem_release };

static void store_init(struct wasm_store *s)
{
	wasm_store_init(s, &al);
	s->mem_ops = &mem_ops;
}

/*
 * WASM_TIER=jit runs modules compiled by jit_rv64.c, which needs a RISC-V
 * host (qemu-riscv64: the test 'wasm-jit'). Elsewhere every module is still
 * compiled, so the compiler meets the whole suite under the sanitizers.
 */
static bool run_jit;

#define MAX_MODS 4096

/* One .wast file's state. */
struct run {
	const char *dir;
	struct wasm_store store;
	struct wasm_module *mods[MAX_MODS];
	int nmods;
	struct wasm_instance *cur;
	struct { char *name; struct wasm_instance *inst; } named[MAX_MODS], reg[MAX_MODS];
	int nnamed, nreg;
	/* The spectest module. */
	struct wasm_functype ft_print[7];
	struct wasm_extern spectest[12];
	const char *spectest_names[12];
	int nspectest;
	int pass, fail, skip;
	int jit_fail;
	int not_compiled;	/* instances run interpreted under WASM_TIER=jit */
	int mode_mismatch;
	int shown;
};

/* What compiled code may be running: the SIGSEGV handler looks for the faulting pc in it. */
static struct run *cur_run;
static const struct wasm_jit *diff_jit;

#ifdef __riscv
#include <signal.h>
#include <sys/ucontext.h>

/* A fault on a guarded memory in compiled code is the trap, as in wasmrt. */
static void segv(int sig, siginfo_t *si, void *uc_)
{
	unsigned long *gregs = ((ucontext_t *)uc_)->uc_mcontext.__gregs;

	if (diff_jit && wasm_jit_fault(diff_jit, gregs, (uintptr_t)si->si_addr))
		return;
	for (int i = 0; cur_run && i < cur_run->nmods; i++)
		if (cur_run->mods[i]->jit &&
		    wasm_jit_fault(cur_run->mods[i]->jit, gregs, (uintptr_t)si->si_addr))
			return;
	signal(sig, SIG_DFL);
}

static void catch_faults(void)
{
	struct sigaction sa = { .sa_sigaction = segv, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
}
#endif

static enum wasm_trap host_print(void *ctx, struct wasm_func *f, const u64 *args, u64 *res)
{
	(void)ctx; (void)f; (void)args; (void)res;
	return WASM_OK;
}

static void spectest_init(struct run *r)
{
	static u8 types[][2] = {
		{ 0 }, { WASM_I32 }, { WASM_I64 }, { WASM_F32 }, { WASM_F64 },
		{ WASM_I32, WASM_F32 }, { WASM_F64, WASM_F64 },
	};
	static const char *names[] = {
		"print", "print_i32", "print_i64", "print_f32", "print_f64",
		"print_i32_f32", "print_f64_f64",
	};
	float f32 = 666.6f;
	double f64 = 666.6;
	u32 b32;
	u64 b64;

	for (int i = 0; i < 7; i++) {
		r->ft_print[i].nparams = i == 0 ? 0 : i < 5 ? 1 : 2;
		r->ft_print[i].types = types[i];
		r->spectest[i].kind = WASM_EXT_FUNC;
		r->spectest[i].u.func = wasm_host_func(&r->store, &r->ft_print[i], host_print, NULL);
		r->spectest_names[i] = names[i];
	}
	memcpy(&b32, &f32, 4);
	memcpy(&b64, &f64, 8);
	r->spectest[7] = (struct wasm_extern){ WASM_EXT_GLOBAL,
		{ .global = wasm_global_new(&r->store, WASM_I32, false, 666) } };
	r->spectest[8] = (struct wasm_extern){ WASM_EXT_GLOBAL,
		{ .global = wasm_global_new(&r->store, WASM_I64, false, 666) } };
	r->spectest[9] = (struct wasm_extern){ WASM_EXT_GLOBAL,
		{ .global = wasm_global_new(&r->store, WASM_F32, false, b32) } };
	r->spectest[10] = (struct wasm_extern){ WASM_EXT_GLOBAL,
		{ .global = wasm_global_new(&r->store, WASM_F64, false, b64) } };
	r->spectest_names[7] = "global_i32";
	r->spectest_names[8] = "global_i64";
	r->spectest_names[9] = "global_f32";
	r->spectest_names[10] = "global_f64";
	r->nspectest = 11;
}

static bool find_import(struct run *r, const struct wasm_import *im, struct wasm_extern *out)
{
	const char *mod = im->module, *name = im->name;

	if (!strcmp(mod, "spectest")) {
		/* Each import of table or memory gets a fresh one, as if spectest were instantiated anew. */
		struct wasm_limits tl = { 10, 20, true }, ml = { 1, 2, true };

		if (!strcmp(name, "table")) {
			out->kind = WASM_EXT_TABLE;
			out->u.table = wasm_table_new(&r->store, WASM_FUNCREF, &tl);
			return true;
		}
		if (!strcmp(name, "memory")) {
			out->kind = WASM_EXT_MEM;
			out->u.mem = wasm_memory_new(&r->store, &ml);
			return true;
		}
		for (int i = 0; i < r->nspectest; i++) {
			if (!strcmp(name, r->spectest_names[i])) {
				*out = r->spectest[i];
				return true;
			}
		}
		return false;
	}
	for (int i = r->nreg - 1; i >= 0; i--)
		if (!strcmp(r->reg[i].name, mod))
			return wasm_export_get(r->reg[i].inst, name, im->name_len, out);
	return false;
}

static struct wasm_module *load_file(struct run *r, const char *file, struct wasm_error *err)
{
	char path[4096];
	FILE *f;
	long n;
	u8 *buf;
	struct wasm_module *m;

	snprintf(path, sizeof(path), "%s/%s", r->dir, file);
	f = fopen(path, "rb");
	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "cannot open %s", file);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? n : 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		n = 0;
	fclose(f);
	m = wasm_load(buf, n, 0, &al, err);
	{
		/* The kernel's validate-only mode must give the same verdict. */
		struct wasm_error e2;
		struct wasm_module *v = wasm_load(buf, n, WASM_VALIDATE_ONLY, &al, &e2);

		if (!v != !m)
			r->mode_mismatch++;
		wasm_module_free(v, &al);
	}
	free(buf);
	if (m) {
		struct wasm_error je;
		struct wasm_jit *jc = wasm_jit_compile(m, &al, &code_alloc, WASM_JIT_GUARDED, &je);

		if (!jc && r->jit_fail++ < 4)
			printf("#   %s: not compiled: %s\n", file, je.msg);
		if (run_jit)
			m->jit = jc;
		else
			wasm_jit_free(jc, &al, &code_alloc);
	}
	if (m && r->nmods < MAX_MODS)
		r->mods[r->nmods++] = m;
	else if (m) {
		wasm_jit_free(m->jit, &al, &code_alloc);
		wasm_module_free(m, &al);
		m = NULL;
		snprintf(err->msg, sizeof(err->msg), "too many modules");
	}
	return m;
}

/* Links and instantiates; returns NULL with *why set (unlinkable) or *trap set. */
static struct wasm_instance *instantiate(struct run *r, struct wasm_module *m,
					 const char **why, enum wasm_trap *trap)
{
	struct wasm_extern *ext = calloc(m->nimports + 1, sizeof(*ext));
	struct wasm_instance *inst = NULL;

	*why = NULL;
	*trap = WASM_OK;
	for (u32 i = 0; i < m->nimports; i++) {
		if (!find_import(r, &m->imports[i], &ext[i])) {
			*why = "unknown import";
			goto out;
		}
		*why = wasm_link_check(m, i, &ext[i]);
		if (*why)
			goto out;
	}
	if (m->jit && m->jit->guarded && m->nmems) {
		/* Memory 0 without a guard reservation: the code with bounds checks. */
		bool guarded = mem_available();
		struct wasm_error je;

		for (u32 i = 0; i < m->nimports; i++)
			if (m->imports[i].kind == WASM_EXT_MEM) {
				guarded = ext[i].u.mem->guarded;
				break;
			}
		if (!guarded) {
			wasm_jit_free(m->jit, &al, &code_alloc);
			m->jit = wasm_jit_compile(m, &al, &code_alloc, 0, &je);
			if (!m->jit)
				r->jit_fail++;
		}
	}
	inst = wasm_instantiate(&r->store, m, ext, trap);
	if (inst && run_jit && m->nfuncs > m->nfunc_imports && !inst->funcs[m->nfunc_imports]->jit)
		r->not_compiled++;
out:
	free(ext);
	return inst;
}

static struct wasm_instance *lookup(struct run *r, const char *name)
{
	if (!name)
		return r->cur;
	for (int i = r->nnamed - 1; i >= 0; i--)
		if (!strcmp(r->named[i].name, name))
			return r->named[i].inst;
	return NULL;
}

static u64 parse_val(const struct json *v)
{
	const char *t = jstr(v, "type"), *s = jstr(v, "value");

	if (!s || !strcmp(s, "null"))
		return 0;
	if (!strcmp(t, "externref"))
		return strtoull(s, NULL, 10) + 1;
	return strtoull(s, NULL, 10);
}

/* Runs an action; results into res, their count into *nres. */
static enum wasm_trap do_action(struct run *r, const struct json *a, u64 *res, u32 *nres,
				const char **err)
{
	struct wasm_instance *inst = lookup(r, jstr(a, "module"));
	const char *field = jstr(a, "field"), *type = jstr(a, "type");
	struct wasm_extern ext;
	u64 args[64];
	u32 n = 0;

	*err = NULL;
	if (!inst || !field || !wasm_export_get(inst, field, jget(a, "field")->len, &ext)) {
		*err = "no such export";
		return WASM_OK;
	}
	if (!strcmp(type, "get")) {
		if (ext.kind != WASM_EXT_GLOBAL) {
			*err = "not a global";
			return WASM_OK;
		}
		res[0] = ext.u.global->val;
		*nres = 1;
		return WASM_OK;
	}
	if (ext.kind != WASM_EXT_FUNC) {
		*err = "not a function";
		return WASM_OK;
	}
	for (struct json *v = jget(a, "args") ? jget(a, "args")->kids : NULL; v && n < 64; v = v->next)
		args[n++] = parse_val(v);
	if (n != ext.u.func->type->nparams) {
		*err = "wrong argument count";
		return WASM_OK;
	}
	*nres = ext.u.func->type->nresults;
	return wasm_call(&r->store, ext.u.func, args, res);
}

static bool match_val(const struct json *e, u64 got)
{
	const char *t = jstr(e, "type"), *s = jstr(e, "value");

	if (!s)
		return true;
	if (!strcmp(t, "f32") && !strncmp(s, "nan:", 4)) {
		u32 b = (u32)got;

		return !strcmp(s, "nan:canonical") ? (b & 0x7fffffffu) == 0x7fc00000u :
		       (b & 0x7fc00000u) == 0x7fc00000u;
	}
	if (!strcmp(t, "f64") && !strncmp(s, "nan:", 4))
		return !strcmp(s, "nan:canonical") ?
		       (got & 0x7fffffffffffffffull) == 0x7ff8000000000000ull :
		       (got & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
	if (!strcmp(t, "funcref") && strcmp(s, "null"))
		return got != 0;
	if (!strcmp(t, "i32") || !strcmp(t, "f32"))
		return (u32)got == (u32)parse_val(e);
	return got == parse_val(e);
}

static void result(struct run *r, bool ok, const struct json *cmd, const char *why)
{
	if (ok) {
		r->pass++;
		return;
	}
	r->fail++;
	if (r->shown++ < 8)
		printf("#   line %s: %s: %s\n", jstr(cmd, "line") ? jstr(cmd, "line") : "?",
		       jstr(cmd, "type"), why ? why : "failed");
}

static void command(struct run *r, const struct json *c)
{
	const char *type = jstr(c, "type"), *file = jstr(c, "filename"), *why;
	struct wasm_error err;
	struct wasm_module *m;
	struct wasm_instance *inst;
	enum wasm_trap trap;
	u64 res[64];
	u32 nres = 0;
	char buf[160];

	if (!strcmp(type, "module")) {
		m = load_file(r, file, &err);
		if (!m) {
			r->cur = NULL;
			return result(r, false, c, err.msg);
		}
		inst = instantiate(r, m, &why, &trap);
		r->cur = inst;
		if (inst && jstr(c, "name") && r->nnamed < MAX_MODS) {
			r->named[r->nnamed].name = strdup(jstr(c, "name"));
			r->named[r->nnamed++].inst = inst;
		}
		if (!inst || trap) {
			r->cur = NULL;
			snprintf(buf, sizeof(buf), "instantiation: %s", why ? why : wasm_trap_name(trap));
			return result(r, false, c, buf);
		}
		return result(r, true, c, NULL);
	}
	if (!strcmp(type, "register")) {
		inst = lookup(r, jstr(c, "name"));
		if (inst && r->nreg < MAX_MODS) {
			r->reg[r->nreg].name = strdup(jstr(c, "as"));
			r->reg[r->nreg++].inst = inst;
		}
		return result(r, inst != NULL, c, "no module to register");
	}
	if (!strcmp(type, "assert_malformed") || !strcmp(type, "assert_invalid")) {
		if (strcmp(jstr(c, "module_type") ? jstr(c, "module_type") : "binary", "binary")) {
			r->skip++;
			return;
		}
		m = load_file(r, file, &err);
		return result(r, !m, c, "module accepted");
	}
	if (!strcmp(type, "assert_unlinkable") || !strcmp(type, "assert_uninstantiable")) {
		m = load_file(r, file, &err);
		if (!m)
			return result(r, false, c, err.msg);
		inst = instantiate(r, m, &why, &trap);
		if (!strcmp(type, "assert_unlinkable"))
			return result(r, why != NULL, c, "linked");
		return result(r, !why && trap, c, why ? why : "instantiated without trap");
	}
	if (!strcmp(type, "action") || !strcmp(type, "assert_return") ||
	    !strcmp(type, "assert_trap") || !strcmp(type, "assert_exhaustion")) {
		trap = do_action(r, jget(c, "action"), res, &nres, &why);
		if (why)
			return result(r, false, c, why);
		if (!strcmp(type, "assert_trap") || !strcmp(type, "assert_exhaustion")) {
			/* The spec's text starts with the trap's name, as both tiers must report it. */
			const char *want = jstr(c, "text") ? jstr(c, "text") : "";
			const char *got = wasm_trap_name(trap);

			snprintf(buf, sizeof(buf), "expected trap \"%s\", got \"%s\"", want,
				 trap ? got : "none");
			return result(r, trap != WASM_OK && !strncmp(want, got, strlen(got)), c, buf);
		}
		if (trap) {
			snprintf(buf, sizeof(buf), "trap: %s", wasm_trap_name(trap));
			return result(r, false, c, buf);
		}
		if (!strcmp(type, "assert_return")) {
			struct json *e = jget(c, "expected") ? jget(c, "expected")->kids : NULL;
			u32 i = 0;

			for (; e; e = e->next, i++) {
				if (i >= nres || !match_val(e, res[i])) {
					snprintf(buf, sizeof(buf), "result %u: got 0x%llx, expected %s",
						 i, i < nres ? (unsigned long long)res[i] : 0ull,
						 jstr(e, "value"));
					return result(r, false, c, buf);
				}
			}
			return result(r, i == nres, c, "result count");
		}
		return result(r, true, c, NULL);
	}
	r->skip++;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		n = 0;
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* ---- Differential check of the two tiers on generated modules ---- */

/*
 * Random valid modules (seeded, so a failure repeats): one exported
 * function (i32 i64 f64 i32) -> i64 with extra locals, built from typed
 * expressions (arithmetic that may trap, comparisons, conversions, select,
 * loads and stores in one page, blocks with br_if, ifs, bounded loops and
 * local.tee), deep enough to run the compiler out of registers. Each is
 * run interpreted and compiled on the same arguments: the results and
 * traps must be the same.
 */
struct gen {
	u8 buf[65536];
	u32 n;
	u64 seed;
	int depth;
	bool in_loop;		/* loops share one counter: none inside another */
};

static u32 grand(struct gen *g, u32 n)
{
	g->seed = g->seed * 6364136223846793005ull + 1442695040888963407ull;
	return (u32)(g->seed >> 33) % n;
}

static void gbyte(struct gen *g, u8 b)
{
	if (g->n < sizeof(g->buf))
		g->buf[g->n++] = b;
}

static void gsleb(struct gen *g, s64 v)
{
	for (;;) {
		u8 b = v & 0x7f;

		v >>= 7;
		if ((!v && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
			gbyte(g, b);
			return;
		}
		gbyte(g, b | 0x80);
	}
}

static void guleb(struct gen *g, u64 v)
{
	do {
		gbyte(g, (u8)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0)));
		v >>= 7;
	} while (v);
}

/* Locals: 0 i32, 1 i64, 2 f64, 3 i32 (params), 4 i32, 5 i64, 6 f64, 7 i32 (loop counter). */
static const u8 gen_local_type[] = { WASM_I32, WASM_I64, WASM_F64, WASM_I32, WASM_I32,
				     WASM_I64, WASM_F64, WASM_I32 };

static void gexpr(struct gen *g, u8 t);

static void glocal(struct gen *g, u8 t, u8 op)
{
	u32 x;

	do
		x = grand(g, 7);
	while (gen_local_type[x] != t);
	gbyte(g, op);
	guleb(g, x);
}

static void gconst(struct gen *g, u8 t)
{
	static const s64 ints[] = { 0, 1, -1, 2, 7, 31, 32, 63, 64, 255, 0x7fffffff,
				    -0x7fffffff - 1, 0x12345678, -100000 };

	if (t == WASM_F64) {
		static const u64 fs[] = { 0, 0x8000000000000000ull, 0x3ff0000000000000ull,
					  0xbff8000000000000ull, 0x7ff0000000000000ull,
					  0x7ff8000000000000ull, 0x41dfffffffc00000ull,
					  0x43e0000000000000ull, 0x3fb999999999999aull };
		u64 v = fs[grand(g, sizeof(fs) / sizeof(fs[0]))];

		gbyte(g, 0x44);
		for (int i = 0; i < 8; i++)
			gbyte(g, (u8)(v >> (8 * i)));
		return;
	}
	gbyte(g, t == WASM_I32 ? 0x41 : 0x42);
	if (t == WASM_I64 && grand(g, 3) == 0)
		gsleb(g, (s64)(((u64)grand(g, 1u << 31) << 33) | grand(g, 1u << 31)));
	else
		gsleb(g, t == WASM_I32 ? (s32)ints[grand(g, 14)] : ints[grand(g, 14)]);
}

/* An address in the page, sometimes near its end or beyond (a trap either way). */
static void gaddr(struct gen *g)
{
	gexpr(g, WASM_I32);
	gbyte(g, 0x41);
	gsleb(g, grand(g, 64) ? 0x7ff8 : 0x1ffff);
	gbyte(g, 0x71);
}

static void gexpr(struct gen *g, u8 t)
{
	u32 k;

	if (g->depth > 9 || g->n > sizeof(g->buf) - 256) {
		if (grand(g, 2))
			gconst(g, t);
		else
			glocal(g, t, 0x20);
		return;
	}
	g->depth++;
	k = grand(g, 12);
	if (k == 0) {
		gconst(g, t);
	} else if (k == 1) {
		glocal(g, t, 0x20);
	} else if (k == 2) {
		/* local.tee */
		gexpr(g, t);
		glocal(g, t, 0x22);
	} else if (k == 3) {
		gexpr(g, t);
		gexpr(g, t);
		gexpr(g, WASM_I32);
		gbyte(g, 0x1b);
	} else if (k == 4) {
		/* (block (result t) value, br_if 0 with a condition, drop the copy) */
		gbyte(g, 0x02);
		gbyte(g, t);
		gexpr(g, t);
		gexpr(g, WASM_I32);
		gbyte(g, 0x0d);
		guleb(g, 0);
		gbyte(g, 0x1a);
		gexpr(g, t);
		gbyte(g, 0x0b);
	} else if (k == 5) {
		gexpr(g, WASM_I32);
		gbyte(g, 0x04);
		gbyte(g, t);
		gexpr(g, t);
		gbyte(g, 0x05);
		gexpr(g, t);
		gbyte(g, 0x0b);
	} else if (k == 6) {
		/* A load (i32: 0x28, 0x2c..0x2f; i64: 0x29, 0x30..0x35; f64: 0x2b). */
		static const u8 l32[] = { 0x28, 0x2c, 0x2d, 0x2e, 0x2f };
		static const u8 l64[] = { 0x29, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35 };

		gaddr(g);
		gbyte(g, t == WASM_I32 ? l32[grand(g, 5)] : t == WASM_I64 ? l64[grand(g, 7)] : 0x2b);
		guleb(g, 0);
		guleb(g, grand(g, 32) ? grand(g, 16) : 0x10000 - grand(g, 4));
	} else if (k == 7 && t == WASM_I32) {
		/* A comparison of any type. */
		u8 ct = grand(g, 3) == 0 ? WASM_F64 : grand(g, 2) ? WASM_I64 : WASM_I32;

		gexpr(g, ct);
		if (grand(g, 5) == 0 && ct != WASM_F64) {
			gbyte(g, ct == WASM_I32 ? 0x45 : 0x50);
		} else {
			gexpr(g, ct);
			gbyte(g, (u8)((ct == WASM_I32 ? 0x46 : ct == WASM_I64 ? 0x51 : 0x61) +
				      grand(g, ct == WASM_F64 ? 6 : 10)));
		}
	} else if (k == 7 || k == 8) {
		/* Conversions into t. */
		if (t == WASM_I32) {
			static const u8 ops[] = { 0xa7, 0xaa, 0xab, 0xc0, 0xc1 };
			u8 op = ops[grand(g, 5)];

			gexpr(g, op == 0xa7 ? WASM_I64 : op >= 0xc0 ? WASM_I32 : WASM_F64);
			if (grand(g, 8) && (op == 0xaa || op == 0xab)) {
				gbyte(g, 0xfc);
				guleb(g, op == 0xaa ? 2 : 3);
			} else {
				gbyte(g, op);
			}
		} else if (t == WASM_I64) {
			static const u8 ops[] = { 0xac, 0xad, 0xb0, 0xb1, 0xc2, 0xc3, 0xc4, 0xbd };
			u8 op = ops[grand(g, 8)];

			gexpr(g, op <= 0xad ? WASM_I32 : op == 0xb0 || op == 0xb1 || op == 0xbd ?
				 WASM_F64 : WASM_I64);
			if (grand(g, 8) && (op == 0xb0 || op == 0xb1)) {
				gbyte(g, 0xfc);
				guleb(g, op == 0xb0 ? 6 : 7);
			} else {
				gbyte(g, op);
			}
		} else {
			static const u8 ops[] = { 0xb7, 0xb8, 0xb9, 0xba, 0xbf, 0x99, 0x9a, 0x9b, 0x9c,
						  0x9d, 0x9e, 0x9f };
			u8 op = ops[grand(g, 12)];

			gexpr(g, op == 0xb7 || op == 0xb8 ? WASM_I32 : op >= 0xb9 ? WASM_I64 : WASM_F64);
			gbyte(g, op);
		}
	} else {
		/* Binary arithmetic. */
		gexpr(g, t);
		gexpr(g, t);
		/* Division (3..6 of 15) rarely: it traps on the many zeros. */
		u32 op = grand(g, 15);

		if (op >= 3 && op <= 6 && grand(g, 16))
			op = grand(g, 3);
		if (t == WASM_I32)
			gbyte(g, (u8)(0x6a + op));
		else if (t == WASM_I64)
			gbyte(g, (u8)(0x7c + op));
		else
			gbyte(g, (u8)(0xa0 + grand(g, 7)));
	}
	g->depth--;
}

/* Statements: local.set, a store, a bounded loop. */
static void gstmt(struct gen *g)
{
	u32 k = grand(g, 4);

	if (k == 0) {
		u8 t = gen_local_type[grand(g, 7)];

		gexpr(g, t);
		glocal(g, t, 0x21);
	} else if (k == 1) {
		static const u8 st[] = { 0x36, 0x37, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e };
		static const u8 vt[] = { WASM_I32, WASM_I64, WASM_F64, WASM_I32, WASM_I32, WASM_I64,
					 WASM_I64, WASM_I64 };
		u32 s = grand(g, 8);

		gaddr(g);
		gexpr(g, vt[s]);
		gbyte(g, st[s]);
		guleb(g, 0);
		guleb(g, grand(g, 16));
	} else if (k == 2 && !g->in_loop) {
		/* (local.set 7 N) (block (loop (br_if 1 (i32.eqz (local.get 7))) body (local.set 7 (i32.sub (local.get 7) 1)) (br 0))) */
		g->in_loop = true;
		gbyte(g, 0x41);
		gsleb(g, grand(g, 5));
		gbyte(g, 0x21);
		guleb(g, 7);
		gbyte(g, 0x02);
		gbyte(g, 0x40);
		gbyte(g, 0x03);
		gbyte(g, 0x40);
		gbyte(g, 0x20);
		guleb(g, 7);
		gbyte(g, 0x45);
		gbyte(g, 0x0d);
		guleb(g, 1);
		gstmt(g);
		gstmt(g);
		gbyte(g, 0x20);
		guleb(g, 7);
		gbyte(g, 0x41);
		gsleb(g, 1);
		gbyte(g, 0x6b);
		gbyte(g, 0x21);
		guleb(g, 7);
		gbyte(g, 0x0c);
		guleb(g, 0);
		gbyte(g, 0x0b);
		gbyte(g, 0x0b);
		g->in_loop = false;
	} else {
		gexpr(g, WASM_I32);
		gbyte(g, 0x1a);
	}
}

/* The module around a body: type, function, memory, export "f", code. */
static u32 gen_module(u64 seed, u8 *out, u32 cap)
{
	static struct gen g;
	static const u8 head[] = {
		0, 'a', 's', 'm', 1, 0, 0, 0,
		1, 9, 1, 0x60, 4, WASM_I32, WASM_I64, WASM_F64, WASM_I32, 1, WASM_I64,
		3, 2, 1, 0,
		5, 3, 1, 0, 1,
		7, 5, 1, 1, 'f', 0, 0,
	};
	u32 n = 0, body;

	g.n = 0;
	g.depth = 0;
	g.in_loop = false;
	g.seed = seed * 0x9e3779b97f4a7c15ull + 1;
	/* locals: 1 i32, 1 i64, 1 f64, 1 i32 */
	gbyte(&g, 4);
	gbyte(&g, 1); gbyte(&g, WASM_I32);
	gbyte(&g, 1); gbyte(&g, WASM_I64);
	gbyte(&g, 1); gbyte(&g, WASM_F64);
	gbyte(&g, 1); gbyte(&g, WASM_I32);
	for (u32 i = grand(&g, 6); i; i--)
		gstmt(&g);
	gexpr(&g, WASM_I64);
	gbyte(&g, 0x0b);
	body = g.n;
	if (sizeof(head) + body + 16 > cap)
		return 0;
	memcpy(out, head, sizeof(head));
	n = sizeof(head);
	out[n++] = 10;
	{
		u8 tmp[16];
		u32 len = 0, sec;
		u64 v = body;

		/* code section: count 1, then the body's size and the body */
		do {
			tmp[len++] = (u8)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
			v >>= 7;
		} while (v);
		sec = 1 + len + body;
		v = sec;
		do {
			out[n++] = (u8)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
			v >>= 7;
		} while (v);
		out[n++] = 1;
		memcpy(out + n, tmp, len);
		n += len;
	}
	memcpy(out + n, g.buf, body);
	return n + body;
}

static bool same_result(enum wasm_trap t1, u64 r1, enum wasm_trap t2, u64 r2)
{
	return t1 == t2 && (t1 || r1 == r2);
}

/* One TAP line: modules interpreted and compiled on the same arguments. */
static void differential(int n, u32 count)
{
	static u8 bin[70000];
	static const u64 argsets[][4] = {
		{ 0, 0, 0, 0 }, { 1, 5, 0x3ff0000000000000ull, 3 },
		{ 0xffffffffu, 0x8000000000000000ull, 0xc000000000000000ull, 0x80000000u },
		{ 12345, 0x123456789abcdefull, 0x4059000000000000ull, 77 },
	};
	u32 bad = 0, ran = 0, traps = 0;

	for (u32 seed = 1; seed <= count; seed++) {
		u32 len = gen_module(seed, bin, sizeof(bin));
		struct wasm_error err;
		struct wasm_module *m = len ? wasm_load(bin, len, 0, &al, &err) : NULL;
		struct wasm_jit *jc;

		if (!m) {
			if (bad++ < 4)
				printf("#   seed %u: generated module refused: %s\n", seed,
				       len ? err.msg : "too large");
			continue;
		}
		jc = wasm_jit_compile(m, &al, &code_alloc, WASM_JIT_GUARDED, &err);
		if (!jc) {
			if (bad++ < 4)
				printf("#   seed %u: not compiled: %s\n", seed, err.msg);
			wasm_module_free(m, &al);
			continue;
		}
		for (u32 a = 0; a < sizeof(argsets) / sizeof(argsets[0]); a++) {
			enum wasm_trap t[2];
			u64 res[2] = { 0, 0 };

			for (int tier = 0; tier < 2; tier++) {
				struct wasm_store s;
				struct wasm_instance *inst;
				struct wasm_extern ext;

				m->jit = tier ? jc : NULL;
				diff_jit = m->jit;
				store_init(&s);
				inst = wasm_instantiate(&s, m, NULL, &t[tier]);
				if (inst && !t[tier] && wasm_export_get(inst, "f", 1, &ext))
					t[tier] = wasm_call(&s, ext.u.func, argsets[a], &res[tier]);
				wasm_store_free(&s);
			}
			m->jit = NULL;
			diff_jit = NULL;
			ran++;
			traps += t[0] != WASM_OK;
			if (!same_result(t[0], res[0], t[1], res[1]) && bad++ < 4)
				printf("#   seed %u args %u: interp %s 0x%llx, jit %s 0x%llx\n", seed, a,
				       wasm_trap_name(t[0]), (unsigned long long)res[0],
				       wasm_trap_name(t[1]), (unsigned long long)res[1]);
		}
		wasm_jit_free(jc, &al, &code_alloc);
		wasm_module_free(m, &al);
	}
	printf("# differential: %u modules, %u runs (%u trapped), %u differences\n", count, ran,
	       traps, bad);
	printf("%s %d differential\n", bad ? "not ok" : "ok", n);
	if (bad)
		htest_failures++;
}

/*
 * "call stack exhausted" names the function that could not be entered, in
 * both tiers: f calls g, whose 20 locals do not fit in the slots left.
 */
static void stack_naming(int n)
{
	static const u8 bin[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
		0x00, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x00, 0x07, 0x05, 0x01, 0x01,
		0x66, 0x00, 0x00, 0x0a, 0x0d, 0x02, 0x04, 0x00, 0x10, 0x01, 0x0b, 0x06,
		0x01, 0x14, 0x7e, 0x41, 0x01, 0x0b,
	};
	struct wasm_error err;
	struct wasm_module *m = wasm_load(bin, sizeof(bin), 0, &al, &err);
	struct wasm_jit *jc = m ? wasm_jit_compile(m, &al, &code_alloc, WASM_JIT_GUARDED, &err) : NULL;
	bool ok = jc != NULL;

	for (int tier = 0; tier < 2 && ok; tier++) {
		struct wasm_store st;
		struct wasm_instance *inst;
		struct wasm_extern ext;
		enum wasm_trap t;
		u64 res = 0;

		m->jit = tier ? jc : NULL;
		store_init(&st);
		st.stack_slots = 10;
		st.stack_end = st.stack + st.stack_slots;
		inst = wasm_instantiate(&st, m, NULL, &t);
		if (inst && !t && wasm_export_get(inst, "f", 1, &ext))
			t = wasm_call(&st, ext.u.func, NULL, &res);
		printf("#   %s: %s in function %u\n", tier ? "jit" : "interp", wasm_trap_name(t),
		       st.trap_func);
		ok = t == WASM_TRAP_STACK_EXHAUSTED && st.trap_func == 1;
		wasm_store_free(&st);
	}
	if (m)
		m->jit = NULL;
	wasm_jit_free(jc, &al, &code_alloc);
	wasm_module_free(m, &al);
	printf("%s %d stack_naming\n", ok ? "ok" : "not ok", n);
	if (!ok)
		htest_failures++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Our own .wast files, run after the suite's. */
#define OWN_WAST	SRCTREE "/tools/testing/host/wasm"

/* The .wast files of d whose names start with prefix, sorted; how many. */
static int wast_files(DIR *d, const char *prefix, char **files, int max)
{
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) && n < max) {
		size_t l = strlen(e->d_name);

		if (l > 5 && !strcmp(e->d_name + l - 5, ".wast") &&
		    !strncmp(e->d_name, prefix, strlen(prefix)))
			files[n++] = strdup(e->d_name);
	}
	qsort(files, n, sizeof(files[0]), cmp_str);
	return n;
}

static const char *suite_dir(void)
{
	static const char *const tries[] = {
		SRCTREE "/../shared/wasm-testsuite", SRCTREE "/../../shared/wasm-testsuite",
	};
	struct stat st;

	if (getenv("WASM_TESTSUITE"))
		return getenv("WASM_TESTSUITE");
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++)
		if (!stat(tries[i], &st))
			return tries[i];
	return NULL;
}

/* Runs one .wast: one TAP line, failing if any command that is not skipped failed. */
static void run_file(const char *suite, const char *wast, int n)
{
	char name[256], dir[4096], cmd[12000], json[4400];
	struct run *r;
	char *text;
	struct json *root, *cmds;

	snprintf(name, sizeof(name), "%.*s", (int)(strlen(wast) - 5), wast);
	if (!strncmp(name, "simd_", 5)) {
		printf("ok %d %s # SKIP fixed-width SIMD is the engine's second milestone\n", n, name);
		return;
	}
	snprintf(dir, sizeof(dir), "%s/%s", WASM_OUT, name);
	snprintf(json, sizeof(json), "%s/%s.json", dir, name);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && wast2json '%s/%s' -o '%s' 2>&1", dir, suite,
		 wast, json);
	text = system(cmd) ? NULL : read_all(json);
	if (!text) {
		printf("not ok %d %s # wast2json failed\n", n, name);
		htest_failures++;
		return;
	}
	r = calloc(1, sizeof(*r));
	r->dir = dir;
	store_init(&r->store);
	cur_run = r;
	spectest_init(r);
	jp = text;
	root = jvalue();
	cmds = jget(root, "commands");
	for (struct json *c = cmds ? cmds->kids : NULL; c; c = c->next)
		command(r, c);
	r->fail += r->jit_fail;
	if (r->not_compiled) {
		printf("#   %d instances were interpreted, not compiled\n", r->not_compiled);
		r->fail += r->not_compiled;
	}
	if (r->mode_mismatch) {
		printf("#   %d modules judged differently with WASM_VALIDATE_ONLY\n", r->mode_mismatch);
		r->fail += r->mode_mismatch;
	}
	printf("# %s: %d passed, %d failed, %d skipped\n", name, r->pass, r->fail, r->skip);
	printf("%s %d %s\n", r->fail ? "not ok" : "ok", n, name);
	if (r->fail)
		htest_failures++;
	fflush(stdout);
	wasm_store_free(&r->store);
	cur_run = NULL;
	for (int i = 0; i < r->nmods; i++) {
		wasm_jit_free(r->mods[i]->jit, &al, &code_alloc);
		wasm_module_free(r->mods[i], &al);
	}
	for (int i = 0; i < r->nnamed; i++)
		free(r->named[i].name);
	for (int i = 0; i < r->nreg; i++)
		free(r->reg[i].name);
	free(r);
	jfree(root);
	free(text);
}

int main(int argc, char **argv)
{
	const char *suite = suite_dir();
	char *files[1024];
	int nfiles, nown;
	DIR *d;

	run_jit = getenv("WASM_TIER") && !strcmp(getenv("WASM_TIER"), "jit");
#ifndef __riscv
	if (run_jit) {
		printf("1..1\nnot ok 1 spec # WASM_TIER=jit needs a RISC-V host (qemu-riscv64)\n");
		return 1;
	}
#else
	if (run_jit)
		catch_faults();
#endif
	/* --differential [COUNT]: generated modules, interpreted and compiled. */
	if (argc > 1 && !strcmp(argv[1], "--differential")) {
		printf("1..2\n");
		if (!run_jit) {
			printf("ok 1 differential # SKIP needs WASM_TIER=jit\n");
			printf("ok 2 stack_naming # SKIP needs WASM_TIER=jit\n");
		} else {
			differential(1, argc > 2 ? (u32)atoi(argv[2]) : 400);
			stack_naming(2);
		}
		return htest_failures ? 1 : 0;
	}
	if (!suite || !(d = opendir(suite))) {
		printf("1..1\nok 1 spec # SKIP no ../shared/wasm-testsuite (set WASM_TESTSUITE)\n");
		return 0;
	}
	if (system("wast2json --version >/dev/null 2>&1")) {
		printf("1..1\nok 1 spec # SKIP wast2json (Debian package wabt) is not installed\n");
		closedir(d);
		return 0;
	}
	nfiles = wast_files(d, argc > 1 ? argv[1] : "", files, 1024);
	closedir(d);
	/* Then our own, in tools/testing/host/wasm. */
	d = opendir(OWN_WAST);
	nown = d ? wast_files(d, argc > 1 ? argv[1] : "", files + nfiles, 1024 - nfiles) : 0;
	if (d)
		closedir(d);
	printf("1..%d\n", nfiles + nown);
	for (int i = 0; i < nfiles + nown; i++) {
		run_file(i < nfiles ? suite : OWN_WAST, files[i], i + 1);
		free(files[i]);
	}
	return htest_failures ? 1 : 0;
}
