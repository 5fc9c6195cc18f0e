/* SPDX-License-Identifier: BSD-2-Clause */
/* In-kernel benchmarks (bench.run=1): allocator costs in instructions, throughput across harts. */
#include <hartix/bench.h>
#include <hartix/cmdline.h>
#include <hartix/errno.h>
#include <hartix/mm.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/time.h>
#include <hartix/timer.h>
#include <hartix/vmalloc.h>
#include <asm/irqflags.h>

#define BENCH_ITERS 2000
#define THROUGHPUT_MS 50

static bool bench_run;

static int set_bench_run(const char *val)
{
	return kstrtobool(val ? val : "1", &bench_run) ? -EINVAL : 0;
}
kernel_param("bench.run", set_bench_run);

static inline u64 read_instret(void)
{
	u64 v;

	__asm__ __volatile__("rdinstret %0" : "=r"(v));
	return v;
}

struct bench {
	const char *name;
	void (*op)(void); /* one operation, e.g. an alloc and its free */
};

static void page_alloc_free(void)
{
	free_page(alloc_page(0));
}

static void page_alloc_free_order3(void)
{
	free_pages(alloc_pages(3, 0), 3);
}

static void kmalloc_kfree_64(void)
{
	kfree(kmalloc(64, 0));
}

static void kmalloc_kfree_1024(void)
{
	kfree(kmalloc(1024, 0));
}

static void vmalloc_vfree_4_pages(void)
{
	vfree(vmalloc(4 * PAGE_SIZE));
}

static const struct bench benches[] = {
	{ "page_alloc+free_order0", page_alloc_free },
	{ "page_alloc+free_order3", page_alloc_free_order3 },
	{ "kmalloc+kfree_64", kmalloc_kfree_64 },
	{ "kmalloc+kfree_1024", kmalloc_kfree_1024 },
	{ "vmalloc+vfree_4_pages", vmalloc_vfree_4_pages },
};

/*
 * Instructions per operation on this hart, interrupts masked so a tick
 * does not land in the count. A warm-up round fills the per-CPU caches.
 */
static u64 instructions_per_op(const struct bench *b)
{
	unsigned long flags = local_irq_save();
	u64 start;
	int i;

	for (i = 0; i < BENCH_ITERS / 10; i++)
		b->op();
	start = read_instret();
	for (i = 0; i < BENCH_ITERS; i++)
		b->op();
	start = read_instret() - start;
	local_irq_restore(flags);
	return start / BENCH_ITERS;
}

static const struct bench *throughput_bench;
static u64 throughput_ops[NR_CPUS];
static unsigned long throughput_arrived;

/* Every CPU at once for the same stretch of time. */
static void throughput_worker(void *arg)
{
	u64 end, ops = 0;

	__atomic_fetch_add(&throughput_arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&throughput_arrived, __ATOMIC_ACQUIRE) <
	       num_online_cpus())
		;
	end = get_ticks() + ms_to_ticks(THROUGHPUT_MS);
	while (get_ticks() < end) {
		throughput_bench->op();
		ops++;
	}
	throughput_ops[smp_processor_id()] = ops;
}

static void throughput(const struct bench *b)
{
	unsigned int cpu;
	u64 total = 0;

	throughput_bench = b;
	throughput_arrived = 0;
	on_each_cpu(throughput_worker, NULL, true);
	for_each_online_cpu(cpu)
		total += throughput_ops[cpu];
	pr_info("bench: %s throughput %llu ops/s on %u CPUs\n", b->name,
		(unsigned long long)(total * 1000 / THROUGHPUT_MS),
		num_online_cpus());
}

/* Returns true when benchmarks were asked for (they then ran). */
bool bench_run_requested(void)
{
	unsigned int i;

	if (!bench_run)
		return false;
	for (i = 0; i < ARRAY_SIZE(benches); i++)
		pr_info("bench: %s %llu instructions/op\n", benches[i].name,
			(unsigned long long)instructions_per_op(&benches[i]));
	/* vmalloc is not for interrupt context, where cross-calls run. */
	for (i = 0; i < ARRAY_SIZE(benches); i++)
		if (benches[i].op != vmalloc_vfree_4_pages)
			throughput(&benches[i]);
	pr_info("bench: done\n");
	return true;
}
