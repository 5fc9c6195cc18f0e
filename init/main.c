/* SPDX-License-Identifier: BSD-2-Clause */
/* start_kernel(): the boot hart's path from the first C code to a running system. */
#include <hartix/bench.h>
#include <hartix/boot.h>
#include <hartix/device.h>
#include <hartix/exec.h>
#include <hartix/init.h>
#include <hartix/kernel.h>
#include <hartix/kaslr.h>
#include <hartix/kptr.h>
#include <hartix/ktest.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/random.h>
#include <hartix/reboot.h>
#include <hartix/sched.h>
#include <hartix/smp.h>
#include <hartix/time.h>
#include <asm/pgtable.h>

extern char init_stack[], init_stack_top[];

const char hartix_release[] = UTS_RELEASE;
struct cpu cpus[NR_CPUS];
cpumask_t cpu_online_mask;

static void print_boot_time(void)
{
	u64 now = get_ticks();
	u64 total = ticks_to_ns(now), kernel = ticks_to_ns(now - boot_entry_ticks);

	/* make bench measures from here to /init's first instruction. */
	pr_info("Kernel entered at time-CSR tick %llu\n",
		(unsigned long long)boot_entry_ticks);
	pr_info("Booted in %llu.%03llu ms (%llu.%03llu ms in kernel)\n",
		(unsigned long long)(total / NSEC_PER_MSEC),
		(unsigned long long)(total % NSEC_PER_MSEC / 1000),
		(unsigned long long)(kernel / NSEC_PER_MSEC),
		(unsigned long long)(kernel % NSEC_PER_MSEC / 1000));
}

extern const initcall_t __initcall_late_start[], __initcall_late_end[];

void do_late_initcalls(void)
{
	const initcall_t *fn;

	for (fn = __initcall_late_start; fn < __initcall_late_end; fn++)
		(*fn)();
}

void __noreturn start_kernel(unsigned long hartid, phys_addr_t fdt_pa)
{
	int failed;

	/* First: trap entry checks sp against these bounds. */
	cpus[0].hartid = hartid;
	cpus[0].stack_lo = (unsigned long)init_stack;
	cpus[0].stack_hi = (unsigned long)init_stack_top;
	cpus[0].overflow_sp = overflow_stack_top(0);
	cpu_init_early();

	pr_notice("Hartix " UTS_RELEASE " (gcc " __VERSION__ ")%s\n",
		  IS_ENABLED(CONFIG_SMP) ? " SMP" : "");
	pr_info("Boot hart %lu, kernel at %p\n", hartid, (void *)start_kernel);
	if (IS_ENABLED(CONFIG_RANDOMIZE_BASE))
		kaslr_report();
	setup_arch(fdt_pa);
	page_alloc_init();
	pgtable_use_page_allocator();
	mmap_init();
	asid_init();
	sched_init();
	random_init();
	kptr_hash_init();
	driver_probe_all(boot_fdt);
	console_init_late();
	cpumask_set(&cpu_online_mask, 0);
	cpu_init_late();
	if (IS_ENABLED(CONFIG_SMP))
		smp_init();
	print_boot_time();
	do_late_initcalls();

	if (IS_ENABLED(CONFIG_KTEST))
		crashtest_run();
	if (IS_ENABLED(CONFIG_BENCH) && bench_run_requested())
		machine_power_off(EXIT_OK);
	failed = IS_ENABLED(CONFIG_KTEST) ? ktest_run_requested() : -1;
	if (failed >= 0)
		machine_power_off(failed ? EXIT_FAILURE : EXIT_OK);
	run_userspace();
	cpu_idle();
}
