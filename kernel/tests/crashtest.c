/* SPDX-License-Identifier: BSD-2-Clause */
/* crashtest=: deliberately crash after boot so tests can check the panic and oops paths. */
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/ktest.h>
#include <hartix/mm.h>
#include <hartix/params.h>
#include <hartix/slab.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <hartix/spinlock.h>
#include <hartix/string.h>

/*
 * Like Linux's lkdtm: each kind exercises one fatal path end to end
 * (message, registers, symbolized backtrace, every hart stopped, failure
 * exit status). Built only with CONFIG_KTEST.
 */
static const char *crash_kind;

static __noinline void crashtest_panic(void)
{
	panic("crashtest: deliberate panic");
}

static __noinline void crashtest_bug(void)
{
	BUG_ON(crash_kind != NULL);
}

static __noinline void crashtest_load_fault(void)
{
	unsigned long addr = 0x8;

	/* Hide the constant so the compiler cannot prove the access bad. */
	__asm__("" : "+r"(addr));
	(void)*(volatile unsigned long *)addr;
}

static __noinline void crashtest_illegal(void)
{
	__asm__ __volatile__(".4byte 0x00000000"); /* defined illegal */
}

/* A corrupt stack pointer: trap entry must notice instead of looping. */
static __noinline void crashtest_bad_stack(void)
{
	__asm__ __volatile__("li sp, 0x1000\n"
			     "ebreak" ::: "memory");
}

/* Real recursion: the volatile frame and the addition after the call stay. */
static __noinline unsigned long crashtest_recurse(unsigned long n)
{
	volatile char frame[256];

	frame[0] = (char)n;
	return n ? crashtest_recurse(n - 1) + frame[0] : 0;
}

static void overflow_here(void *arg)
{
	crashtest_recurse(~0UL);
}

/* A kernel thread's stack is vmalloc'd with a guard page below. */
static __noinline void crashtest_stack_overflow(void)
{
	struct task *t = kthread_run(overflow_here, NULL, "crash-overflow", -1);

	if (t)
		task_reap(t);
	else
		pr_err("crashtest: no memory for the thread\n");
}

static DEFINE_SPINLOCK(crash_lock);

/* Caught only with CONFIG_DEBUG_SPINLOCK; otherwise the first one hangs. */
static __noinline void crashtest_lock_recursion(void)
{
	spin_lock(&crash_lock);
	spin_lock(&crash_lock);
}

static __noinline void crashtest_lock_unowned(void)
{
	spin_unlock(&crash_lock);
}

/*
 * Allocator misuse is reported and stops the kernel before any list is
 * corrupted. The use-after-free kinds rely on the block just freed coming
 * straight back from this CPU's cache.
 */
static bool crashtest_needs(bool enabled, const char *option)
{
	if (!enabled)
		pr_err("crashtest: '%s' needs %s\n", crash_kind, option);
	return enabled;
}

static __noinline void crashtest_page_double_free(void)
{
	void *p = alloc_page(0);

	free_page(p);
	free_page(p);
}

static __noinline void crashtest_page_wrong_order(void)
{
	free_pages(alloc_pages(1, 0), 0);
}

static __noinline void crashtest_page_use_after_free(void)
{
	volatile u8 *p = alloc_page(0);

	if (!crashtest_needs(IS_ENABLED(CONFIG_DEBUG_PAGEALLOC),
			     "CONFIG_DEBUG_PAGEALLOC"))
		return;
	free_page((void *)p);
	p[100] = 1;
	free_page(alloc_page(0));
}

static __noinline void crashtest_slab_double_free(void)
{
	void *p = kmalloc(32, 0);

	kfree(p);
	kfree(p);
}

static __noinline void crashtest_slab_bad_free(void)
{
	u8 *p = kmalloc(64, 0);

	kfree(p + 8);
}

static __noinline void crashtest_slab_overrun(void)
{
	volatile u8 *p = kmalloc(20, 0);

	if (!crashtest_needs(IS_ENABLED(CONFIG_DEBUG_SLAB), "CONFIG_DEBUG_SLAB"))
		return;
	p[20] = 'x';
	kfree((void *)p);
}

static __noinline void crashtest_slab_use_after_free(void)
{
	volatile u8 *p = kmalloc(64, 0);

	if (!crashtest_needs(IS_ENABLED(CONFIG_DEBUG_SLAB), "CONFIG_DEBUG_SLAB"))
		return;
	kfree((void *)p);
	p[3] = 1;
	kfree(kmalloc(64, 0));
}

/*
 * Overruns a local array by one word: GCC puts the canary right above it,
 * below the saved registers, so only the canary is hit and the backtrace
 * still walks.
 */
static __noinline void crashtest_canary(void)
{
	char buf[16];
	volatile char *volatile p = buf; /* hides the bound from the compiler */
	size_t i;

	if (!crashtest_needs(IS_ENABLED(CONFIG_STACKPROTECTOR),
			     "CONFIG_STACKPROTECTOR"))
		return;
	for (i = 0; i < sizeof(buf) + sizeof(long); i++)
		p[i] = 0x5a;
}

static const struct {
	const char *name;
	void (*fn)(void);
} crash_kinds[] = {
	{ "panic", crashtest_panic },
	{ "bug", crashtest_bug },
	{ "fault", crashtest_load_fault },
	{ "illegal", crashtest_illegal },
	{ "stack", crashtest_bad_stack },
	{ "lock-recursion", crashtest_lock_recursion },
	{ "lock-unowned", crashtest_lock_unowned },
	{ "stack-overflow", crashtest_stack_overflow },
	{ "page-double-free", crashtest_page_double_free },
	{ "page-wrong-order", crashtest_page_wrong_order },
	{ "page-use-after-free", crashtest_page_use_after_free },
	{ "slab-double-free", crashtest_slab_double_free },
	{ "slab-bad-free", crashtest_slab_bad_free },
	{ "slab-overrun", crashtest_slab_overrun },
	{ "slab-use-after-free", crashtest_slab_use_after_free },
	{ "canary", crashtest_canary },
};

static int set_crashtest(const char *val)
{
	unsigned int i;

	for (i = 0; val && i < ARRAY_SIZE(crash_kinds); i++)
		if (!strcmp(val, crash_kinds[i].name)) {
			crash_kind = crash_kinds[i].name;
			return 0;
		}
	return -EINVAL;
}
kernel_param("crashtest", set_crashtest);

void crashtest_run(void)
{
	unsigned int i;

	for (i = 0; crash_kind && i < ARRAY_SIZE(crash_kinds); i++)
		if (crash_kinds[i].name == crash_kind) {
			pr_notice("crashtest: triggering '%s'\n", crash_kind);
			crash_kinds[i].fn();
			pr_err("crashtest: '%s' did not crash\n", crash_kind);
		}
}
