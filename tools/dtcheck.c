/* SPDX-License-Identifier: BSD-2-Clause */
/* dtcheck: what Hartix would find in a device tree; run by tools/dtcheck. */
#include <hartix/compiler.h> /* first: glibc #undefs its __always_inline */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hartix/device.h>
#include <hartix/fdt.h>
#include <hartix/fdt_platform.h>
#include <hartix/fdt_scan.h>

/* A driver as the kernel sources declare it, with where it comes from. */
struct dt_driver {
	struct driver drv;
	const char *file;
	const char *config; /* the Kconfig symbol that builds it, or NULL */
};

/*
 * dt_drivers[] and dt_console_compatibles[] (those of drivers/tty/serial/),
 * generated from drivers/ by tools/dtcheck at build time.
 */
#include "dtcheck_drivers.h"

#define PATH_MAX_LEN 256

struct options {
	const char *file;
	long boot_hart; /* -1: choose as described in choose_boot_hart() */
	unsigned int nr_cpus;
	bool nr_cpus_given;
};

static const char *prog = "dtcheck";

static __noreturn __printf(2, 3) void die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static void usage(void)
{
	printf("usage: %s [--boot-hart N] [--nr-cpus N] FILE.dtb\n"
	       "Prints what Hartix would find in the device tree FILE.dtb:\n"
	       "memory, harts, console, interrupt controller and drivers.\n"
	       "  --boot-hart N  the hart the firmware starts Hartix on\n"
	       "                 (default: the header's boot_cpuid_phys if\n"
	       "                 usable, else the first usable hart)\n"
	       "  --nr-cpus N    the CPU limit, CONFIG_NR_CPUS\n", prog);
}

static unsigned long parse_number(const char *opt, const char *s)
{
	char *end;
	unsigned long v;

	if (!s)
		die(2, "%s needs a number", opt);
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end || *s == '-')
		die(2, "%s: not a number: %s", opt, s);
	return v;
}

/* tools/dtcheck passes --default-nr-cpus first: the Kconfig default. */
static void parse_args(int argc, char **argv, struct options *o)
{
	int i;

	*o = (struct options){ .boot_hart = -1, .nr_cpus = FDT_MAX_CPUS };
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage();
			exit(0);
		} else if (!strcmp(a, "--boot-hart")) {
			o->boot_hart = (long)parse_number(a, argv[++i]);
		} else if (!strcmp(a, "--nr-cpus") ||
			   !strcmp(a, "--default-nr-cpus")) {
			unsigned long n = parse_number(a, argv[i + 1]);

			if (n < 1 || n > FDT_MAX_CPUS)
				die(2, "%s: %lu is not within 1..%d", a, n,
				    FDT_MAX_CPUS);
			o->nr_cpus = (unsigned int)n;
			o->nr_cpus_given = !strcmp(a, "--nr-cpus");
			i++;
		} else if (a[0] == '-' && a[1]) {
			die(2, "unknown option %s (--help lists them)", a);
		} else if (o->file) {
			die(2, "more than one file given");
		} else {
			o->file = a;
		}
	}
	if (!o->file) {
		usage();
		exit(2);
	}
}

static void *load_blob(const char *file, size_t *size)
{
	FILE *f = fopen(file, "rb");
	struct stat st;
	void *buf;

	if (!f)
		die(2, "%s: %s", file, strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
		die(2, "%s: not a regular file", file);
	*size = (size_t)st.st_size;
	buf = malloc(*size ? *size : 1);
	if (!buf || fread(buf, 1, *size, f) != *size) {
		free(buf);
		die(2, "%s: read error", file);
	}
	fclose(f);
	return buf;
}

static const char *path_of(const void *fdt, int node)
{
	static char buf[PATH_MAX_LEN];

	if (fdt_get_path(fdt, node, buf, sizeof(buf)))
		return "(path too long)";
	return buf;
}

/* "4 GiB", "128 MiB", "64 KiB" or bytes, whichever divides exactly. */
static const char *human_size(u64 size)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB",
					     "TiB" };
	static char buf[32];
	unsigned int u = 0;

	while (u + 1 < ARRAY_SIZE(units) && size && !(size % 1024)) {
		size /= 1024;
		u++;
	}
	snprintf(buf, sizeof(buf), "%llu %s", (unsigned long long)size,
		 units[u]);
	return buf;
}

/* A string list as "a, b, c". */
static void print_stringlist(const char *list, int len)
{
	const char *s;
	int i;

	for (i = 0; (s = fdt_stringlist_get(list, len, i)); i++)
		printf("%s%s", i ? ", " : "", s);
}

static void print_compatible(const void *fdt, int node)
{
	int len;
	const char *c = fdt_getprop(fdt, node, "compatible", &len);

	if (c)
		print_stringlist(c, len);
	else
		printf("(none)");
}

static void warn_cb(void *ctx, const char *msg, const char *where)
{
	printf("  warning: %s%s%s\n", where ? where : "", where ? ": " : "",
	       msg);
}

static void print_memory(const struct fdt_boot_info *bi)
{
	int i;

	printf("Memory:\n");
	for (i = 0; i < bi->nmem; i++) {
		const struct fdt_mem_region *m = &bi->mem[i];

		printf("  %#llx-%#llx  %s\n", (unsigned long long)m->base,
		       (unsigned long long)(m->base + m->size - 1),
		       human_size(m->size));
	}
	if (!bi->nmem)
		printf("  none\n");
	printf("Reserved:\n");
	for (i = 0; i < bi->nresv; i++) {
		const struct fdt_resv_region *r = &bi->resv[i];

		printf("  %#llx-%#llx  %s  %s%s\n",
		       (unsigned long long)r->base,
		       (unsigned long long)(r->base + r->size - 1),
		       human_size(r->size),
		       r->name ? r->name : "/memreserve/",
		       r->no_map ? " (no-map)" : "");
	}
	if (!bi->nresv)
		printf("  none\n");
}

static const struct fdt_cpu *cpu_by_hartid(const struct fdt_boot_info *bi,
					   u64 hartid)
{
	int i;

	for (i = 0; i < bi->ncpus; i++)
		if (bi->cpu[i].hartid == hartid)
			return &bi->cpu[i];
	return NULL;
}

/* "rv64imafdc_zba_zbb, Sstc: no" */
static void print_isa(const struct fdt_cpu *cpu)
{
	if (!cpu) {
		printf("no cpu node");
		return;
	}
	if (cpu->isa) {
		printf("%s", cpu->isa);
	} else if (cpu->isa_base && cpu->isa_ext) {
		printf("%s + ", cpu->isa_base);
		print_stringlist(cpu->isa_ext, cpu->isa_ext_len);
	} else {
		printf("ISA not given");
	}
	printf(", Sstc: %s", fdt_cpu_has_ext(cpu, "sstc") ? "yes" : "no");
}

/*
 * The firmware may start Hartix on any usable hart: without --boot-hart,
 * take the header's boot_cpuid_phys if it is usable, else the first usable
 * hart, and say so.
 */
static u64 choose_boot_hart(const struct fdt_boot_info *bi,
			    const struct options *o, struct fdt_hart_plan *plan)
{
	const char *why;
	int i;

	if (o->boot_hart >= 0) {
		printf("Boot hart:  %ld (--boot-hart)\n", o->boot_hart);
		return (u64)o->boot_hart;
	}
	if (!fdt_plan_harts(bi, bi->boot_hartid, o->nr_cpus, plan)) {
		printf("Boot hart:  %u (the header's boot_cpuid_phys; "
		       "--boot-hart N for another)\n", bi->boot_hartid);
		return bi->boot_hartid;
	}
	why = plan->skipped[0].reason;
	for (i = 0; i < bi->ncpus; i++) {
		if (fdt_plan_harts(bi, bi->cpu[i].hartid, o->nr_cpus, plan))
			continue;
		printf("Boot hart:  %llu (the first usable one; --boot-hart N "
		       "for another)\n  the header's boot_cpuid_phys %u is not "
		       "usable: %s\n", (unsigned long long)bi->cpu[i].hartid,
		       bi->boot_hartid, why);
		return bi->cpu[i].hartid;
	}
	printf("Boot hart:  %u (the header's boot_cpuid_phys; no hart is "
	       "usable)\n", bi->boot_hartid);
	return bi->boot_hartid;
}

static void print_harts(const struct fdt_boot_info *bi, const struct options *o)
{
	struct fdt_hart_plan plan;
	u64 boot = choose_boot_hart(bi, o, &plan);
	unsigned int i;

	if (fdt_plan_harts(bi, boot, o->nr_cpus, &plan))
		printf("  problem: boot hart %llu is not usable (%s): Hartix "
		       "would run on it alone\n", (unsigned long long)boot,
		       plan.skipped[0].reason);
	printf("Harts (CPU limit %u%s):\n", o->nr_cpus,
	       o->nr_cpus_given ? ", --nr-cpus" :
				  ", the CONFIG_NR_CPUS default");
	for (i = 0; i < plan.nr_cpus; i++) {
		printf("  hart %llu -> CPU %u  ",
		       (unsigned long long)plan.hartid[i], i);
		print_isa(cpu_by_hartid(bi, plan.hartid[i]));
		printf("\n");
	}
	printf("Skipped harts:\n");
	for (i = 0; i < plan.nr_skipped; i++) {
		printf("  hart %llu: %s  (",
		       (unsigned long long)plan.skipped[i].hartid,
		       plan.skipped[i].reason);
		print_isa(cpu_by_hartid(bi, plan.skipped[i].hartid));
		printf(")\n");
	}
	if (!plan.nr_skipped)
		printf("  none\n");
}

/* The earliest of @compat's strings @drv matches, or -1; as the driver core. */
static int match_rank(const char *compat, int len, const struct driver *drv,
		      const char **matched)
{
	const struct of_device_id *m;
	const char *c;
	int rank;

	for (rank = 0; (c = fdt_stringlist_get(compat, len, rank)); rank++)
		for (m = drv->of_match; m->compatible; m++)
			if (!strcmp(c, m->compatible)) {
				*matched = c;
				return rank;
			}
	return -1;
}

/* The driver the kernel binds to @node in @stage, or NULL. */
static const struct dt_driver *best_driver(const void *fdt, int node,
					   enum driver_stage stage,
					   const char **matched)
{
	const struct dt_driver *best = NULL;
	int len, rank, best_rank = -1;
	const char *compat = fdt_getprop(fdt, node, "compatible", &len);
	const char *m = NULL;
	size_t i;

	if (!compat)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(dt_drivers); i++) {
		if (dt_drivers[i].drv.stage != stage)
			continue;
		rank = match_rank(compat, len, &dt_drivers[i].drv, &m);
		if (rank >= 0 && (best_rank < 0 || rank < best_rank)) {
			best = &dt_drivers[i];
			best_rank = rank;
			*matched = m;
		}
	}
	return best;
}

static void print_driver(const struct dt_driver *d, const char *matched)
{
	printf("%s (%s; %s, %s)", d->drv.name, matched, d->file,
	       d->config ? d->config : "always built");
}

/* "driver: uart8250 (...)" for the first stage that binds @node. */
static void print_node_driver(const void *fdt, int node, const char *none)
{
	const struct dt_driver *d = NULL;
	enum driver_stage stage;
	const char *matched;

	for (stage = 0; stage < DRIVER_STAGE_COUNT && !d; stage++)
		d = best_driver(fdt, node, stage, &matched);
	printf("  %-16s", "driver");
	if (d)
		print_driver(d, matched);
	else
		printf("%s", none);
	printf("\n");
}

/* Like driver_probe_all(): every stage, nothing under a disabled node. */
static void print_bindings(const void *fdt)
{
	enum driver_stage stage;
	bool any = false;

	printf("Drivers that would bind:\n");
	for (stage = 0; stage < DRIVER_STAGE_COUNT; stage++) {
		int depth = 0, node;

		for (node = fdt_next_enabled_node(fdt, -1, &depth); node >= 0;
		     node = fdt_next_enabled_node(fdt, node, &depth)) {
			const struct dt_driver *d;
			const char *matched;

			d = best_driver(fdt, node, stage, &matched);
			if (!d)
				continue;
			printf("  %-40s ", path_of(fdt, node));
			print_driver(d, matched);
			printf("\n");
			any = true;
		}
	}
	if (!any)
		printf("  none\n");
}

static void print_u32_prop(const void *fdt, int node, const char *name,
			   const char *dflt)
{
	u32 v;

	printf("  %-16s", name);
	if (fdt_getprop_u32(fdt, node, name, &v))
		printf("%u\n", v);
	else
		printf("%s\n", dflt);
}

static void print_console(const void *fdt)
{
	int node = fdt_console_node(fdt, dt_console_compatibles);
	const char *opts;
	u64 addr, size;
	u32 clock;
	int irq;

	if (node < 0) {
		printf("Console:    none found: the SBI firmware console\n");
		return;
	}
	printf("Console:    %s", path_of(fdt, node));
	if (fdt_stdout_node(fdt, &opts) == node)
		printf(" (/chosen stdout-path%s%s)\n", opts ? ", options " : "",
		       opts ? opts : "");
	else
		printf(" (no usable stdout-path: the first serial port)\n");
	printf("  %-16s", "compatible");
	print_compatible(fdt, node);
	printf("\n  %-16s", "reg");
	if (!fdt_reg(fdt, node, 0, &addr, &size))
		printf("%#llx, size %#llx\n", (unsigned long long)addr,
		       (unsigned long long)size);
	else
		printf("missing or malformed\n");
	print_u32_prop(fdt, node, "reg-shift", "0 (default)");
	print_u32_prop(fdt, node, "reg-io-width", "1 (default)");
	printf("  %-16s", "clock-frequency");
	if (fdt_getprop_u32(fdt, node, "clock-frequency", &clock))
		printf("%u Hz\n", clock);
	else if (fdt_node_is_compatible(fdt, node, "snps,dw-apb-uart") &&
		 fdt_getprop(fdt, node, "clocks", NULL))
		printf("none: \"clocks\" only, so CONFIG_SERIAL_8250_DW_DEFAULT_CLOCK applies (24 MHz unless changed)\n");
	else
		printf("none (the driver keeps the divisor the firmware set)\n");
	printf("  %-16s", "IRQ");
	irq = fdt_device_irq(fdt, node, 0);
	if (irq >= 0)
		printf("%d\n", irq);
	else
		printf("%s\n", irq == -ENOENT ? "none" :
		       "not understood (interrupt parent without "
		       "#interrupt-cells = <1>)");
	print_node_driver(fdt, node,
			  "none: Hartix falls back to the SBI console");
}

/* A PLIC is the interrupt controller with riscv,ndev sources. */
static int find_plic(const void *fdt, int start)
{
	int node;

	for (node = fdt_next_node(fdt, start, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL))
		if (fdt_getprop(fdt, node, "riscv,ndev", NULL) &&
		    fdt_getprop(fdt, node, "interrupt-controller", NULL) &&
		    fdt_node_is_enabled(fdt, node))
			return node;
	return -ENOENT;
}

static bool print_plic(const void *fdt, const struct fdt_boot_info *bi)
{
	struct fdt_plic_info info;
	const char *why;
	int node = find_plic(fdt, -1), i, ctx;

	if (node < 0) {
		printf("Interrupt controller: no PLIC found\n");
		return true;
	}
	printf("Interrupt controller: %s (", path_of(fdt, node));
	print_compatible(fdt, node);
	printf(")\n");
	if (fdt_plic_parse(fdt, node, &info, &why)) {
		printf("  problem: %s\n", why);
		return false;
	}
	printf("  %-16s%#llx, size %#llx\n", "base",
	       (unsigned long long)info.base, (unsigned long long)info.size);
	printf("  %-16s%u (sources 1-%u)\n", "ndev", info.ndev, info.ndev);
	printf("  %-16s%u\n", "contexts", info.nr_contexts);
	for (i = 0; i < bi->ncpus; i++) {
		ctx = fdt_plic_context_of(&info, bi->cpu[i].hartid);
		printf("  hart %-11llu", (unsigned long long)bi->cpu[i].hartid);
		if (ctx >= 0)
			printf("S context %d\n", ctx);
		else
			printf("no S context\n");
	}
	print_node_driver(fdt, node, "none in this source tree");
	if (find_plic(fdt, node) >= 0)
		printf("  (more PLICs follow; Hartix uses the first)\n");
	return true;
}

int main(int argc, char **argv)
{
	struct fdt_boot_info *bi;
	struct options o;
	const char *why;
	bool ok = true;
	size_t size;
	void *fdt;

	parse_args(argc, argv, &o);
	fdt = load_blob(o.file, &size);
	if (fdt_check(fdt, size, &why)) {
		free(fdt);
		die(1, "%s: not a valid device tree blob: %s", o.file, why);
	}
	bi = calloc(1, sizeof(*bi));
	if (!bi)
		die(2, "out of memory");

	printf("%s: valid device tree blob, %zu bytes, version %u\n", o.file,
	       fdt_totalsize(fdt),
	       fdt32_ld((const u8 *)fdt +
			__builtin_offsetof(struct fdt_header, version)));
	if (fdt_scan_boot(fdt, bi, warn_cb, NULL)) {
		printf("  problem: %s: Hartix stops booting here\n", bi->error);
		ok = false;
	}
	printf("Model:      %s\n", bi->model ? bi->model : "(none)");
	if (bi->timebase_freq)
		printf("Timebase:   %u Hz\n", bi->timebase_freq);
	else
		printf("Timebase:   none: timers cannot work\n");
	print_memory(bi);
	print_harts(bi, &o);
	print_console(fdt);
	ok &= print_plic(fdt, bi);
	print_bindings(fdt);
	free(fdt);
	free(bi);
	return ok ? 0 : 1;
}
