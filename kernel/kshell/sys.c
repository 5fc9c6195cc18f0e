/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel shell commands that report the system's state: ps, top, free, cpus, irqs, dmesg, uptime, date. */
#include <hartix/boot.h>
#include <hartix/cmdline.h>
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fdt_scan.h>
#include <hartix/irq.h>
#include <hartix/kallsyms.h>
#include <hartix/mm.h>
#include <hartix/printk.h>
#include <hartix/rtc.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/time64.h>
#include <hartix/timer.h>
#include <hartix/vmalloc.h>
#include "kshell.h"

/* What ps shows of a task, copied under the task list's lock. */
struct ps_entry {
	int pid;
	enum task_state state;
	unsigned int cpu;
	bool kthread;
	u64 runtime, utime;
	char comm[TASK_COMM_LEN];
};

struct ps_snapshot {
	struct ps_entry *e;
	unsigned int n, max;
};

static void count_task(const struct task *t, void *arg)
{
	(*(unsigned int *)arg)++;
}

static void copy_task(const struct task *t, void *arg)
{
	struct ps_snapshot *s = arg;
	struct ps_entry *e;

	if (s->n == s->max)
		return;
	e = &s->e[s->n++];
	e->pid = t->pid;
	e->state = READ_ONCE(t->state);
	e->cpu = READ_ONCE(t->cpu);
	e->kthread = !t->mm;
	e->runtime = READ_ONCE(t->runtime_ticks);
	e->utime = READ_ONCE(t->utime_ticks);
	memcpy(e->comm, t->comm, sizeof(e->comm));
}

static const char *const state_names[] = {
	[TASK_RUNNING] = "running", [TASK_RUNNABLE] = "runnable",
	[TASK_SLEEPING] = "sleeping", [TASK_ZOMBIE] = "zombie",
};

/* "12.34" seconds from ticks of CONFIG_HZ. */
static void fmt_ticks(char *buf, size_t size, u64 ticks)
{
	scnprintf(buf, size, "%llu.%02llu", (unsigned long long)(ticks / CONFIG_HZ),
		  (unsigned long long)(ticks % CONFIG_HZ * 100 / CONFIG_HZ));
}

static int cmd_ps(int argc, char **argv)
{
	struct ps_snapshot s = { 0 };
	char total[24], user[24];
	unsigned int i;

	task_for_each(count_task, &s.max);
	s.max += 16; /* tasks started meanwhile */
	s.e = kvmalloc(s.max * sizeof(*s.e));
	if (!s.e) {
		kshell_printf("ps: out of memory\n");
		return -ENOMEM;
	}
	task_for_each(copy_task, &s);
	kshell_printf("  PID STATE     HART   CPU-TIME  USER-TIME NAME\n");
	for (i = 0; i < s.n; i++) {
		const struct ps_entry *e = &s.e[i];

		fmt_ticks(total, sizeof(total), e->runtime);
		fmt_ticks(user, sizeof(user), e->utime);
		kshell_printf("%5d %-9s %4lu %10s %10s %s%s%s\n", e->pid,
			      state_names[e->state], cpu_hartid(e->cpu), total,
			      user, e->kthread ? "[" : "", e->comm,
			      e->kthread ? "]" : "");
	}
	kshell_printf("%u tasks (CPU time in seconds; [name]: kernel thread)\n",
		      s.n);
	kvfree(s.e);
	return 0;
}
KSHELL_CMD("ps", cmd_ps, 0, 0, "", "tasks: pid, state, hart, CPU time, name");

struct cpu_sample {
	u64 user, system, idle, ctxsw, irqs;
};

static void sample(struct cpu_sample *s)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		const struct cpu *c = &cpus[cpu];

		s[cpu].user = READ_ONCE(c->user_ticks);
		s[cpu].system = READ_ONCE(c->system_ticks);
		s[cpu].idle = READ_ONCE(c->idle_ticks);
		s[cpu].ctxsw = READ_ONCE(c->context_switches);
		s[cpu].irqs = READ_ONCE(c->irqs) + READ_ONCE(c->ipis);
	}
}

static unsigned int percent(u64 part, u64 total)
{
	return total ? (unsigned int)((part * 100 + total / 2) / total) : 0;
}

/* Waits up to ms; true if q, Ctrl-C or a BREAK asked to stop. */
static bool wait_for_quit(unsigned int ms)
{
	unsigned int waited;
	int c;

	for (waited = 0; waited < ms; waited += 100) {
		while ((c = kshell_poll_char()) != -1)
			if (c == 'q' || c == 'Q' || c == 0x03 || c == KSHELL_LEAVE)
				return true;
		msleep(100);
	}
	return false;
}

static unsigned int count_tasks(void)
{
	unsigned int n = 0;

	task_for_each(count_task, &n);
	return n;
}

static int cmd_top(int argc, char **argv)
{
	static struct cpu_sample before[NR_CPUS], after[NR_CPUS];
	unsigned int rounds = 0, round, cpu;

	if (argc == 3) {
		if (strcmp(argv[1], "-n")) {
			kshell_printf("top: unknown option '%s'\n", argv[1]);
			return -EINVAL;
		}
		if (kshell_parse_uint("top", argv[2], &rounds))
			return -EINVAL;
		if (!rounds) {
			kshell_printf("top: -n needs at least 1 round\n");
			return -EINVAL;
		}
	} else if (argc != 1) {
		return -EINVAL;
	}
	sample(before);
	for (round = 1; !rounds || round <= rounds; round++) {
		u64 up;

		if (wait_for_quit(1000))
			break;
		sample(after);
		up = ktime_get_ns() / NSEC_PER_MSEC;
		kshell_printf("\ntop - up %llu.%llu s, %u harts online, tasks: %u (q quits)\n",
			      (unsigned long long)(up / 1000),
			      (unsigned long long)(up % 1000 / 100),
			      num_online_cpus(), count_tasks());
		kshell_printf("CPU  HART  USER%%  SYS%%  IDLE%%  CTXSW/s  IRQ/s\n");
		for_each_online_cpu(cpu) {
			const struct cpu_sample *a = &after[cpu], *b = &before[cpu];
			u64 user = a->user - b->user, sys = a->system - b->system;
			u64 idle = a->idle - b->idle, all = user + sys + idle;

			kshell_printf("%3u %5lu %6u %5u %6u %8llu %6llu\n", cpu,
				      cpu_hartid(cpu), percent(user, all),
				      percent(sys, all), percent(idle, all),
				      (unsigned long long)(a->ctxsw - b->ctxsw),
				      (unsigned long long)(a->irqs - b->irqs));
		}
		memcpy(before, after, sizeof(before));
	}
	return 0;
}
KSHELL_CMD("top", cmd_top, 0, 2, "[-n rounds]",
	   "per-hart utilisation every second until q (or n rounds)");

static void print_cache(const char *name, const struct kmem_cache_stats *s,
			void *arg)
{
	kshell_printf("  %-16s %6u %8llu %8llu %6llu %6llu\n", name,
		      s->object_size, (unsigned long long)s->objects,
		      (unsigned long long)s->cached,
		      (unsigned long long)s->slabs, (unsigned long long)s->pages);
}

static int cmd_free(int argc, char **argv)
{
	struct page_alloc_stats s;
	unsigned int order;

	page_alloc_get_stats(&s);
	kshell_printf("Pages: %llu total, %llu free (%llu KiB), %llu in per-CPU caches, %llu in use\n",
		      (unsigned long long)s.total_pages,
		      (unsigned long long)s.free_pages,
		      (unsigned long long)(s.free_pages * PAGE_SIZE / 1024),
		      (unsigned long long)s.cached_pages,
		      (unsigned long long)(s.total_pages - s.free_pages -
					   s.cached_pages));
	kshell_printf("Free blocks by order:");
	for (order = 0; order <= MAX_ORDER; order++)
		kshell_printf(" %u:%llu", order,
			      (unsigned long long)s.free_blocks[order]);
	kshell_printf("\nFailed allocations by order:");
	for (order = 0; order <= MAX_ORDER; order++)
		kshell_printf(" %u:%llu", order,
			      (unsigned long long)s.failures[order]);
	kshell_printf("\nSlab caches:\n  %-16s %6s %8s %8s %6s %6s\n", "NAME",
		      "SIZE", "OBJECTS", "CACHED", "SLABS", "PAGES");
	kmem_cache_for_each(print_cache, NULL);
	return 0;
}
KSHELL_CMD("free", cmd_free, 0, 0, "", "memory: free pages per order, slab caches");
KSHELL_CMD("meminfo", cmd_free, 0, 0, "", "the same as free");

/* The logical CPU running hartid, or -1. */
static int cpu_of_hart(u64 hartid)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu_hartid(cpu) == hartid)
			return (int)cpu;
	return -1;
}

static int cmd_cpus(int argc, char **argv)
{
	int i;

	kshell_printf("HART CPU ONLINE    TICKS     IRQS     IPIS    CTXSW SYSCALLS ISA\n");
	for (i = 0; i < boot_info.ncpus; i++) {
		const struct fdt_cpu *f = &boot_info.cpu[i];
		int cpu = cpu_of_hart(f->hartid);
		const char *isa = f->isa ? f->isa : f->isa_base ? f->isa_base : "?";
		const struct cpu *c;

		if (cpu < 0) {
			kshell_printf("%4llu   - no     %s %s\n",
				      (unsigned long long)f->hartid,
				      f->enabled ? "(not started)" : "(disabled)",
				      isa);
			continue;
		}
		c = &cpus[cpu];
		kshell_printf("%4llu %3d yes    %8llu %8llu %8llu %8llu ",
			      (unsigned long long)f->hartid, cpu,
			      (unsigned long long)READ_ONCE(c->ticks),
			      (unsigned long long)READ_ONCE(c->irqs),
			      (unsigned long long)READ_ONCE(c->ipis),
			      (unsigned long long)READ_ONCE(c->context_switches));
		if (IS_ENABLED(CONFIG_SYSCALL_STATS))
			kshell_printf("%8llu %s\n",
				      (unsigned long long)READ_ONCE(c->syscalls), isa);
		else
			kshell_printf("%8s %s\n", "-", isa);
	}
	kshell_printf("%u of %d harts online\n", num_online_cpus(),
		      boot_info.ncpus);
	return 0;
}
KSHELL_CMD("cpus", cmd_cpus, 0, 0, "",
	   "harts: ids, ISA, online, ticks, interrupts, IPIs, switches, syscalls");

static int cmd_irqs(int argc, char **argv)
{
	unsigned int irq, cpu, shown = 0;
	char sym[96];

	kshell_printf(" IRQ      COUNT HANDLER\n");
	for (irq = 1; irq <= irq_nr_irqs(); irq++) {
		irq_handler_t h = irq_get_handler(irq);
		u64 n = irq_count(irq);

		if (!h && !n)
			continue;
		if (h)
			sprint_symbol(sym, sizeof(sym), (unsigned long)h);
		kshell_printf("%4u %10llu %s\n", irq, (unsigned long long)n,
			      h ? sym : "(none, masked)");
		shown++;
	}
	if (!irq_nr_irqs())
		kshell_printf("(no interrupt controller)\n");
	kshell_printf("CPU      TIMER   EXTERNAL        IPI\n");
	for_each_online_cpu(cpu)
		kshell_printf("%3u %10llu %10llu %10llu\n", cpu,
			      (unsigned long long)READ_ONCE(cpus[cpu].ticks),
			      (unsigned long long)READ_ONCE(cpus[cpu].irqs),
			      (unsigned long long)READ_ONCE(cpus[cpu].ipis));
	return 0;
}
KSHELL_CMD("irqs", cmd_irqs, 0, 0, "", "interrupt counts per irq and per CPU");

static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

static int cmd_dmesg(int argc, char **argv)
{
	static struct log_entry e; /* only the shell thread uses it */
	char line[sizeof(e.text) + 40];
	unsigned int max = LOGLEVEL_DEBUG, i;
	u64 seq = 0;

	if (argc == 2) {
		for (i = 0; i < ARRAY_SIZE(level_names); i++)
			if (!strcmp(argv[1], level_names[i]))
				break;
		max = i;
		if (i == ARRAY_SIZE(level_names) &&
		    (kstrtouint(argv[1], 10, &max) || max > LOGLEVEL_DEBUG)) {
			kshell_printf("dmesg: '%s' is not a level (0-7 or emerg, alert, crit, err, warn, notice, info, debug)\n",
				      argv[1]);
			return -EINVAL;
		}
	}
	while (log_read(&seq, &e))
		if (e.level <= max)
			kshell_write(line, log_format(&e, line, sizeof(line)));
	return 0;
}
KSHELL_CMD("dmesg", cmd_dmesg, 0, 1, "[level]",
	   "the kernel log, messages up to level (0-7 or err, warn, ...)");

static int cmd_uptime(int argc, char **argv)
{
	u64 ms = ktime_get_ns() / NSEC_PER_MSEC;

	kshell_printf("up %llu.%03llu s, %u harts online, tasks: %u\n",
		      (unsigned long long)(ms / 1000),
		      (unsigned long long)(ms % 1000), num_online_cpus(),
		      count_tasks());
	return 0;
}
KSHELL_CMD("uptime", cmd_uptime, 0, 0, "", "time since the kernel started");

static int cmd_date(int argc, char **argv)
{
	struct tm_utc tm;
	s64 secs;
	int err = rtc_read_time(&secs);

	if (err) {
		kshell_printf(err == -ENODEV ? "date: no real-time clock\n" :
					       "date: reading the RTC failed: error %d\n",
			      err);
		return err;
	}
	time64_to_tm(secs, &tm);
	kshell_printf("%04lld-%02d-%02d %02d:%02d:%02d UTC (%lld s since the epoch)\n",
		      (long long)tm.year, tm.mon, tm.mday, tm.hour, tm.min,
		      tm.sec, (long long)secs);
	return 0;
}
KSHELL_CMD("date", cmd_date, 0, 0, "", "wall-clock time from the RTC");
