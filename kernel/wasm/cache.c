/* SPDX-License-Identifier: BSD-2-Clause */
/* The compiled-code cache: a module compiled once per file by the kernel, its code shared read+execute by every process running it. */
#include <hartix/binfmt_wasm.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>
#include <hartix/vma.h>
#include <hartix/vmalloc.h>
#include <hartix/wasm.h>

#include "../../fs/proc_internal.h" /* struct seq, for /proc/wasm_jit_cache */

/*
 * One compiled module (Documentation/wasm.rst, "The compiled-code
 * cache"). The image (struct wasm_image, the tables, the module's bytes,
 * then the code, each part page aligned) lives in an unnamed RAM file,
 * blob, so that mapping it is an ordinary shared file mapping: every
 * process maps the same pages, a mapping holds blob by its own reference
 * (fork and exit need nothing of the cache), and the pages go with the
 * last reference. The entry holds one reference to blob; the table and
 * each execve using the entry hold one to the entry.
 */
struct wasm_cache_entry {
	struct list_head lru;			/* lru_list, while hashed */
	struct wasm_cache_entry *hnext;		/* its hash chain, while hashed */
	bool hashed;
	/*
	 * The file's identity, not a reference: wasm_cache_forget() unhashes
	 * the entry before the inode is freed. size and mtime are a quick
	 * check; the module's bytes are compared in full before a use.
	 */
	struct inode *file;
	u64 size;
	struct timespec mtime;
	u32 flags;				/* the compile flags */
	int refs;				/* atomic */
	unsigned long hits;			/* under table_lock */
	struct inode *blob;
	u64 bin_off, code_off, code_size, total;
};

#define HASH_SIZE 64

/*
 * table_lock protects hash, lru_list, every entry's hashed, hnext, lru
 * and hits, and the counters below. It is a spinlock, taken with
 * interrupts masked, because wasm_cache_forget() runs under fs_lock
 * (which is too): nothing under it takes fs_lock or sleeps (entries are
 * freed after it is dropped).
 */
static DEFINE_SPINLOCK(table_lock);
static struct wasm_cache_entry *hash[HASH_SIZE];
static LIST_HEAD(lru_list);
static u64 cached_bytes;
static unsigned long nr_entries, nr_compiles, nr_hits, nr_evictions;

static unsigned int hash_of(const struct inode *file)
{
	return (unsigned int)(((unsigned long)file >> 6) ^ ((unsigned long)file >> 12)) &
	       (HASH_SIZE - 1);
}

/* Most bytes the table keeps: CONFIG_WASM_JIT_CACHE_PERCENT of RAM. */
static u64 limit_bytes(void)
{
	struct page_alloc_stats st;

	page_alloc_get_stats(&st);
	return st.total_pages * PAGE_SIZE * CONFIG_WASM_JIT_CACHE_PERCENT / 100;
}

bool wasm_cache_fits(u64 size)
{
	/* Code is about twice the module, decoding in the kernel several times it. */
	return size && size <= limit_bytes() / 8;
}

static void entry_put(struct wasm_cache_entry *e, bool fs_locked)
{
	if (__atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL))
		return;
	if (fs_locked)
		fs_put_inode_locked(e->blob);
	else
		fs_put_inode(e->blob);
	kfree(e);
}

void wasm_cache_put(struct wasm_cache_entry *e)
{
	if (e)
		entry_put(e, false);
}

/* Under table_lock: out of the table; the caller drops the table's reference. */
static void unhash_locked(struct wasm_cache_entry *e)
{
	struct wasm_cache_entry **p = &hash[hash_of(e->file)];

	while (*p != e)
		p = &(*p)->hnext;
	*p = e->hnext;
	list_del(&e->lru);
	e->hashed = false;
	cached_bytes -= e->total;
	nr_entries--;
}

/* Under table_lock: the entry for file, or NULL. */
static struct wasm_cache_entry *find_locked(const struct inode *file)
{
	struct wasm_cache_entry *e = hash[hash_of(file)];

	while (e && e->file != file)
		e = e->hnext;
	return e;
}

/* Page index of e's image, which the caller's reference to e keeps (blob holds the page). */
static u8 *image_page(const struct wasm_cache_entry *e, unsigned long index)
{
	void *page;

	if (fs_get_page(e->blob, index, false, &page))
		return NULL;
	put_page(page);
	return page;
}

/* Whether the module bytes of e are bin's. */
static bool same_module(const struct wasm_cache_entry *e, const u8 *bin, u64 size)
{
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		size_t n = (size_t)min(size - off, (u64)PAGE_SIZE);
		u8 *page = image_page(e, (unsigned long)((e->bin_off + off) / PAGE_SIZE));

		if (!page || memcmp(page, bin + off, n))
			return false;
	}
	return true;
}

static bool key_matches(const struct wasm_cache_entry *e, const struct inode *file, u64 size,
			u32 flags)
{
	return e->size == size && e->flags == flags &&
	       e->mtime.tv_sec == file->i_mtime.tv_sec &&
	       e->mtime.tv_nsec == file->i_mtime.tv_nsec;
}

struct wasm_cache_entry *wasm_cache_get(struct inode *file, const u8 *bin, u64 size, u32 flags)
{
	struct wasm_cache_entry *e, *stale = NULL;
	unsigned long irq;

	irq = spin_lock_irqsave(&table_lock);
	e = find_locked(file);
	if (e && !key_matches(e, file, size, flags)) {
		/* The file changed: its old code lives on only in the processes mapping it. */
		unhash_locked(e);
		stale = e;
		e = NULL;
	} else if (e) {
		__atomic_add_fetch(&e->refs, 1, __ATOMIC_RELAXED);
		list_move_tail(&e->lru, &lru_list);
	}
	spin_unlock_irqrestore(&table_lock, irq);
	if (stale)
		entry_put(stale, false);
	if (!e)
		return NULL;
	/* Rewritten in place with the same size and time: never run stale code. */
	if (!same_module(e, bin, size)) {
		irq = spin_lock_irqsave(&table_lock);
		stale = e->hashed ? e : NULL;
		if (stale)
			unhash_locked(e);
		spin_unlock_irqrestore(&table_lock, irq);
		if (stale)
			entry_put(stale, false);
		entry_put(e, false);
		return NULL;
	}
	irq = spin_lock_irqsave(&table_lock);
	e->hits++;
	nr_hits++;
	spin_unlock_irqrestore(&table_lock, irq);
	return e;
}

/* Code is built in kernel memory, then copied into the image's pages. */
static void *code_buf(size_t n)
{
	return kvmalloc(n);
}

/* Sealed where it is copied to: the image is never writable in user space. */
static int code_buf_done(void *p, size_t n)
{
	(void)p;
	(void)n;
	return 0;
}

static void code_buf_free(void *p, size_t n)
{
	(void)n;
	kvfree(p);
}

static const struct wasm_code_alloc kernel_code_alloc = { code_buf, code_buf_done,
							  code_buf_free };

/* Copies n bytes to offset off of the image; false without memory for its pages. */
static bool image_write(struct wasm_cache_entry *e, u64 off, const void *src, u64 n)
{
	while (n) {
		size_t chunk = (size_t)min(n, PAGE_SIZE - off % PAGE_SIZE);
		u8 *page = image_page(e, (unsigned long)(off / PAGE_SIZE));

		if (!page)
			return false;
		memcpy(page + off % PAGE_SIZE, src, chunk);
		src = (const u8 *)src + chunk;
		off += chunk;
		n -= chunk;
	}
	return true;
}

static void fence_i(void *arg)
{
	(void)arg;
	__asm__ __volatile__("fence.i" ::: "memory");
}

/* A new image of j, compiled from bin; NULL without memory (or room in the RAM file budget). */
static struct wasm_cache_entry *entry_new(struct inode *file, const u8 *bin, u64 size,
					  u32 flags, const struct wasm_jit *j)
{
	struct wasm_image img = { .magic = WASM_IMAGE_MAGIC, .flags = flags,
				  .nfuncs = j->nfuncs };
	struct wasm_cache_entry *e = kzalloc(sizeof(*e), __GFP_NOWARN);
	u64 tables = sizeof(img) + 2 * (u64)j->nfuncs * sizeof(u32);

	if (!e)
		return NULL;
	e->file = file;
	e->size = size;
	e->mtime = file->i_mtime;
	e->flags = flags;
	e->refs = 1;
	e->bin_off = ALIGN_UP(tables, PAGE_SIZE);
	e->code_off = e->bin_off + ALIGN_UP(size, PAGE_SIZE);
	e->code_size = j->size;
	e->total = e->code_off + ALIGN_UP(j->size, PAGE_SIZE);
	e->blob = fs_new_image(e->total);
	if (!e->blob) {
		kfree(e);
		return NULL;
	}
	img.func_off = sizeof(img);
	img.trap_off = img.func_off + j->nfuncs * (u32)sizeof(u32);
	img.bin_off = (u32)e->bin_off;
	img.bin_len = (u32)size;
	img.code_off = e->code_off;
	img.code_size = j->size;
	if (!image_write(e, 0, &img, sizeof(img)) ||
	    !image_write(e, img.func_off, j->func_off, j->nfuncs * sizeof(u32)) ||
	    !image_write(e, img.trap_off, j->trap_off, j->nfuncs * sizeof(u32)) ||
	    !image_write(e, e->bin_off, bin, size) ||
	    !image_write(e, e->code_off, j->code, j->size)) {
		entry_put(e, false);
		return NULL;
	}
	/* Written through the direct map; every hart fetches the code anew before any runs it. */
	on_each_cpu(fence_i, NULL, true);
	return e;
}

struct wasm_cache_entry *wasm_cache_add(struct inode *file, const u8 *bin, u64 size, u32 flags,
					const struct wasm_module *m)
{
	struct wasm_cache_entry *e, *old, *victims = NULL;
	struct wasm_error err;
	unsigned long irq;
	struct wasm_jit *j;
	u64 limit = limit_bytes();

	j = wasm_jit_compile(m, &wasm_kernel_alloc, &kernel_code_alloc, flags, &err);
	if (!j)
		return NULL;	/* the runtime says why when it cannot compile it either */
	e = entry_new(file, bin, size, flags, j);
	wasm_jit_free(j, &wasm_kernel_alloc, &kernel_code_alloc);
	if (!e)
		return NULL;
	irq = spin_lock_irqsave(&table_lock);
	nr_compiles++;
	/* Another execve of the file compiled it meanwhile: the newer one serves. */
	old = find_locked(file);
	if (old) {
		unhash_locked(old);
		old->hnext = victims;
		victims = old;
	}
	while (cached_bytes + e->total > limit && !list_empty(&lru_list)) {
		old = list_entry(lru_list.next, struct wasm_cache_entry, lru);
		unhash_locked(old);
		old->hnext = victims;
		victims = old;
		nr_evictions++;
	}
	e->hnext = hash[hash_of(file)];
	hash[hash_of(file)] = e;
	list_add_tail(&e->lru, &lru_list);
	e->hashed = true;
	cached_bytes += e->total;
	nr_entries++;
	__atomic_add_fetch(&e->refs, 1, __ATOMIC_RELAXED);	/* the caller's */
	spin_unlock_irqrestore(&table_lock, irq);
	while (victims) {
		old = victims;
		victims = old->hnext;
		entry_put(old, false);
	}
	return e;
}

long wasm_cache_map(struct mm *mm, struct wasm_cache_entry *e)
{
	long addr = mm_map_file(mm, 0, e->total, PROT_READ, false, VM_SHARED, e->blob, 0);
	int err;

	if (addr < 0)
		return addr;
	/* Never writable in any process (the file is not open for writing: mprotect says EACCES). */
	err = mm_protect(mm, addr + e->code_off, ALIGN_UP(e->code_size, PAGE_SIZE),
			 PROT_READ | PROT_EXEC);
	if (err) {
		mm_unmap(mm, addr, e->total);
		return err;
	}
	return addr;
}

void wasm_cache_forget(struct inode *file, bool fs_locked)
{
	struct wasm_cache_entry *e;
	unsigned long irq;

	irq = spin_lock_irqsave(&table_lock);
	e = find_locked(file);
	if (e)
		unhash_locked(e);
	spin_unlock_irqrestore(&table_lock, irq);
	if (e)
		entry_put(e, fs_locked);
}

unsigned long wasm_cache_shrink(void)
{
	struct wasm_cache_entry *e, *n, *victims = NULL;
	unsigned long pages = 0, irq;

	irq = spin_lock_irqsave(&table_lock);
	list_for_each_entry_safe(e, n, &lru_list, lru) {
		/* Only the table's reference to the image: no mapping, no execve using it. */
		if (__atomic_load_n(&e->blob->refs, __ATOMIC_RELAXED) != 1 ||
		    __atomic_load_n(&e->refs, __ATOMIC_RELAXED) != 1)
			continue;
		unhash_locked(e);
		e->hnext = victims;
		victims = e;
		pages += e->total / PAGE_SIZE;
		nr_evictions++;
	}
	spin_unlock_irqrestore(&table_lock, irq);
	while (victims) {
		e = victims;
		victims = e->hnext;
		entry_put(e, false);
	}
	return pages;
}

#ifdef CONFIG_PROC_FS
/*
 * /proc/wasm_jit_cache: the counters, then per entry the module file's
 * inode number and size, the image's size, its hits and the references
 * to its pages: the cache's one and each mapping's (a process running the
 * module maps the image as two regions, its tables and its code).
 */
int show_wasm_jit_cache(struct seq *m, int pid, int tid)
{
	struct wasm_cache_entry *e;
	unsigned long irq;

	(void)pid;
	(void)tid;
	irq = spin_lock_irqsave(&table_lock);
	seq_printf(m, "entries %lu\nbytes %llu\nlimit %llu\ncompiles %lu\nhits %lu\nevictions %lu\n",
		   nr_entries, (unsigned long long)cached_bytes,
		   (unsigned long long)limit_bytes(), nr_compiles, nr_hits, nr_evictions);
	list_for_each_entry(e, &lru_list, lru)
		seq_printf(m, "ino %lu size %llu image %llu hits %lu refs %d\n", e->file->i_ino,
			   (unsigned long long)e->size, (unsigned long long)e->total, e->hits,
			   __atomic_load_n(&e->blob->refs, __ATOMIC_RELAXED));
	spin_unlock_irqrestore(&table_lock, irq);
	return 0;
}
#endif
