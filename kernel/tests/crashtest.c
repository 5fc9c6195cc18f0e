/* crashtest=: deliberately crash after boot so tests can check the panic and oops paths. */
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/ktest.h>
#include <hartix/params.h>
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
