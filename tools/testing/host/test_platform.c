/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of lib/fdt_platform.c and tools/dtcheck, real and made-up trees. */
#include <hartix/compiler.h> /* before any libc header, as the other tests do */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/fdt_platform.h>
#include <hartix/fdt_scan.h>

#include "htest.h"

#ifndef FDT_TEST_DTB_DIR
#define FDT_TEST_DTB_DIR "tools/testing/dtb"
#endif
#ifndef DTCHECK
#define DTCHECK "tools/dtcheck"
#endif
#ifndef DTCHECK_BUILD
#define DTCHECK_BUILD "build/tools"
#endif

/* For what the rest of a case cannot do without. */
#define REQUIRE(cond)                  \
	do {                           \
		if (!(cond)) {         \
			CHECK(cond);   \
			return;        \
		}                      \
	} while (0)

#define VF2 "jh7110-starfive-visionfive-2-v1.3b.dtb"
#define VIRT "qemu-virt-smp4.dtb"
#define SIFIVE_U "qemu-sifive_u-smp5.dtb"

/* Where the made-up trees and dtcheck's outputs are written. */
static char workdir[] = "/tmp/test_platform.XXXXXX";

struct blob {
	u8 *fdt;
	size_t size;
	struct fdt_boot_info bi;
};

/* A checked, scanned blob in a buffer of exactly its size (for ASan). */
static struct blob *load_path(const char *path)
{
	struct blob *b = calloc(1, sizeof(*b));
	FILE *f = fopen(path, "rb");
	const char *why = NULL;
	long n = -1;

	if (f && !fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		b->size = (size_t)n;
		b->fdt = malloc(b->size);
		if (fread(b->fdt, 1, b->size, f) != b->size)
			n = -1;
	}
	if (f)
		fclose(f);
	if (n <= 0 || fdt_check(b->fdt, b->size, &why) ||
	    fdt_scan_boot(b->fdt, &b->bi, NULL, NULL)) {
		printf("#   %s: cannot load (%s)\n", path,
		       why ? why : b->bi.error ? b->bi.error : "read error");
		free(b->fdt);
		free(b);
		return NULL;
	}
	return b;
}

static struct blob *load_dtb(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", FDT_TEST_DTB_DIR, name);
	return load_path(path);
}

static void free_blob(struct blob *b)
{
	if (b)
		free(b->fdt);
	free(b);
}

/* The output of a shell command, with its exit status in *status. */
static char *run(int *status, const char *fmt, ...)
{
	char cmd[2048], *out = NULL;
	size_t len = 0, cap = 0, n;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (!p) {
		*status = -1;
		return strdup("");
	}
	do {
		if (cap - len < 4096) {
			cap += 65536;
			out = realloc(out, cap);
		}
		n = fread(out + len, 1, cap - len - 1, p);
		len += n;
	} while (n);
	out[len] = '\0';
	*status = pclose(p);
	*status = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
	return out;
}

/* A tree compiled with dtc from source text, e.g. a deliberately odd one. */
static struct blob *from_dts(const char *name, const char *dts)
{
	char src[256], dtb[256];
	struct blob *b = NULL;
	int status;
	char *log;
	FILE *f;

	snprintf(src, sizeof(src), "%s/%s.dts", workdir, name);
	snprintf(dtb, sizeof(dtb), "%s/%s.dtb", workdir, name);
	f = fopen(src, "w");
	if (!f)
		return NULL;
	fputs(dts, f);
	fclose(f);
	log = run(&status, "dtc -q -I dts -O dtb -o '%s' '%s' 2>&1", dtb, src);
	if (status)
		printf("#   dtc failed on %s: %s\n", src, log);
	else
		b = load_path(dtb);
	free(log);
	return b;
}

/* A small two-hart tree with a PLIC whose interrupts-extended is @ctx. */
static struct blob *plic_tree(const char *name, const char *ctx,
			      const char *uart_extra)
{
	char dts[4096];

	snprintf(dts, sizeof(dts),
		 "/dts-v1/;\n"
		 "/ { #address-cells = <2>; #size-cells = <2>;\n"
		 "  memory@80000000 { device_type = \"memory\";\n"
		 "    reg = <0 0x80000000 0 0x1000000>; };\n"
		 "  cpus { #address-cells = <1>; #size-cells = <0>;\n"
		 "    timebase-frequency = <1000000>;\n"
		 "    cpu@0 { device_type = \"cpu\"; reg = <0>;\n"
		 "      mmu-type = \"riscv,sv39\";\n"
		 "      intc0: interrupt-controller { compatible = \"riscv,cpu-intc\";\n"
		 "        interrupt-controller; #interrupt-cells = <1>; }; };\n"
		 "    cpu@1 { device_type = \"cpu\"; reg = <1>;\n"
		 "      mmu-type = \"riscv,sv39\";\n"
		 "      intc1: interrupt-controller { compatible = \"riscv,cpu-intc\";\n"
		 "        interrupt-controller; #interrupt-cells = <1>; }; }; };\n"
		 "  soc { #address-cells = <2>; #size-cells = <2>; ranges;\n"
		 "    compatible = \"simple-bus\"; interrupt-parent = <&plic>;\n"
		 "    other: gpio@1000 { reg = <0 0x1000 0 0x100>;\n"
		 "      interrupt-controller; #interrupt-cells = <2>; };\n"
		 "    plic: interrupt-controller@c000000 {\n"
		 "      compatible = \"sifive,plic-1.0.0\";\n"
		 "      reg = <0 0xc000000 0 0x4000000>; riscv,ndev = <31>;\n"
		 "      interrupt-controller; #interrupt-cells = <1>;\n"
		 "      interrupts-extended = %s; };\n"
		 "    uart@10000000 { compatible = \"ns16550a\";\n"
		 "      reg = <0 0x10000000 0 0x100>; interrupts = <7 8>; %s };\n"
		 "  }; };\n", ctx, uart_extra);
	return from_dts(name, dts);
}

static int plic_node(const struct blob *b)
{
	return fdt_node_by_compatible(b->fdt, -1, "sifive,plic-1.0.0");
}

static void check_plan(const struct fdt_hart_plan *plan,
		       const u64 *harts, unsigned int n)
{
	unsigned int i;

	CHECK_EQ(plan->nr_cpus, n);
	for (i = 0; i < n && i < plan->nr_cpus; i++) {
		CHECK_EQ(plan->hartid[i], harts[i]);
		CHECK(plan->cpu_node[i] >= 0);
	}
}

static bool skipped(const struct fdt_hart_plan *plan, u64 hartid,
		    const char *reason)
{
	unsigned int i;

	for (i = 0; i < plan->nr_skipped; i++)
		if (plan->skipped[i].hartid == hartid)
			return !strcmp(plan->skipped[i].reason, reason);
	return false;
}

/* ---- harts ---- */

static void test_vf2_harts(void)
{
	static const u64 boot1[] = { 1, 2, 3, 4 }, boot3[] = { 3, 1, 2, 4 };
	struct blob *b = load_dtb(VF2);
	struct fdt_hart_plan plan;
	char name[64];

	REQUIRE(b);
	CHECK_EQ(fdt_plan_harts(&b->bi, 1, 8, &plan), 0);
	check_plan(&plan, boot1, 4);
	CHECK_EQ(plan.nr_skipped, 1);
	CHECK(skipped(&plan, 0, "disabled"));
	/* cpu_node[] names the hart's own node. */
	snprintf(name, sizeof(name), "%s", fdt_node_name(b->fdt,
							 plan.cpu_node[2]));
	CHECK_STR(name, "cpu@3");

	CHECK_EQ(fdt_plan_harts(&b->bi, 3, 8, &plan), 0);
	check_plan(&plan, boot3, 4);
	CHECK_STR(fdt_node_name(b->fdt, plan.cpu_node[0]), "cpu@3");
	CHECK(skipped(&plan, 0, "disabled"));
	free_blob(b);
}

static void test_sifive_u_harts(void)
{
	static const u64 boot1[] = { 1, 2, 3, 4 }, boot4[] = { 4, 1, 2, 3 };
	struct blob *b = load_dtb(SIFIVE_U);
	struct fdt_hart_plan plan;

	REQUIRE(b);
	CHECK_EQ(b->bi.ncpus, 5);
	CHECK_EQ(fdt_plan_harts(&b->bi, 1, 8, &plan), 0);
	check_plan(&plan, boot1, 4);
	CHECK_EQ(plan.nr_skipped, 1);
	CHECK(skipped(&plan, 0, "no MMU (mmu-type missing)"));
	CHECK_EQ(fdt_plan_harts(&b->bi, 4, 8, &plan), 0);
	check_plan(&plan, boot4, 4);
	free_blob(b);
}

static void test_virt_harts(void)
{
	static const u64 boot0[] = { 0, 1, 2, 3 }, boot2[] = { 2, 0, 1, 3 };
	struct blob *b = load_dtb(VIRT);
	struct fdt_hart_plan plan;

	REQUIRE(b);
	CHECK_EQ(fdt_plan_harts(&b->bi, 0, 8, &plan), 0);
	check_plan(&plan, boot0, 4);
	CHECK_EQ(plan.nr_skipped, 0);
	CHECK_EQ(fdt_plan_harts(&b->bi, 2, 64, &plan), 0);
	check_plan(&plan, boot2, 4);
	free_blob(b);
}

static void test_max_cpus(void)
{
	static const u64 two[] = { 1, 2 }, one[] = { 4 };
	struct blob *b = load_dtb(VF2);
	struct fdt_hart_plan plan;

	REQUIRE(b);
	CHECK_EQ(fdt_plan_harts(&b->bi, 1, 2, &plan), 0);
	check_plan(&plan, two, 2);
	CHECK_EQ(plan.nr_skipped, 3);
	CHECK(skipped(&plan, 0, "disabled"));
	CHECK(skipped(&plan, 3, "beyond the CPU limit"));
	CHECK(skipped(&plan, 4, "beyond the CPU limit"));

	/* The boot hart always counts, even with a limit of 1 (or 0). */
	CHECK_EQ(fdt_plan_harts(&b->bi, 4, 1, &plan), 0);
	check_plan(&plan, one, 1);
	CHECK(skipped(&plan, 1, "beyond the CPU limit"));
	CHECK_EQ(fdt_plan_harts(&b->bi, 4, 0, &plan), 0);
	check_plan(&plan, one, 1);
	CHECK_EQ(plan.nr_skipped, 4);
	free_blob(b);
}

static void test_boot_hart_unusable(void)
{
	struct blob *vf2 = load_dtb(VF2), *su = load_dtb(SIFIVE_U);
	struct fdt_hart_plan plan;

	if (!vf2 || !su) {
		CHECK(vf2 && su);
		goto out;
	}
	CHECK_EQ(fdt_plan_harts(&vf2->bi, 0, 8, &plan), -ENOENT);
	CHECK_EQ(plan.nr_cpus, 1);
	CHECK_EQ(plan.hartid[0], 0);
	CHECK_EQ(plan.nr_skipped, 1);
	CHECK(skipped(&plan, 0, "disabled"));

	CHECK_EQ(fdt_plan_harts(&su->bi, 0, 8, &plan), -ENOENT);
	CHECK_EQ(plan.nr_cpus, 1);
	CHECK(skipped(&plan, 0, "no MMU (mmu-type missing)"));

	CHECK_EQ(fdt_plan_harts(&vf2->bi, 7, 8, &plan), -ENOENT);
	CHECK_EQ(plan.nr_cpus, 1);
	CHECK_EQ(plan.hartid[0], 7);
	CHECK_EQ(plan.cpu_node[0], -1);
	CHECK(skipped(&plan, 7, "not in the device tree"));
out:
	free_blob(vf2);
	free_blob(su);
}

static void test_odd_harts(void)
{
	static const u64 boot2[] = { 2, 3 };
	struct blob *b = from_dts("odd-harts",
		"/dts-v1/;\n"
		"/ { #address-cells = <2>; #size-cells = <2>;\n"
		"  memory@80000000 { device_type = \"memory\";\n"
		"    reg = <0 0x80000000 0 0x1000000>; };\n"
		"  cpus { #address-cells = <1>; #size-cells = <0>;\n"
		"    cpu@1 { device_type = \"cpu\"; reg = <1>;\n"
		"      mmu-type = \"riscv,none\"; };\n"
		"    cpu@2 { device_type = \"cpu\"; reg = <2>;\n"
		"      mmu-type = \"riscv,sv39\"; status = \"okay\"; };\n"
		"    cpu@3 { device_type = \"cpu\"; reg = <3>;\n"
		"      mmu-type = \"riscv,sv48\"; };\n"
		"    cpu@4 { device_type = \"cpu\"; reg = <2>;\n"
		"      mmu-type = \"riscv,sv39\"; };\n"
		"    cpu@5 { device_type = \"cpu\"; reg = <5>;\n"
		"      mmu-type = \"riscv,sv39\"; status = \"fail\"; }; }; };\n");
	struct fdt_hart_plan plan;

	REQUIRE(b);
	CHECK_EQ(fdt_plan_harts(&b->bi, 2, 8, &plan), 0);
	check_plan(&plan, boot2, 2);
	CHECK_EQ(plan.nr_skipped, 3);
	CHECK(skipped(&plan, 1, "mmu-type riscv,none"));
	CHECK(skipped(&plan, 2, "duplicate hart id"));
	CHECK(skipped(&plan, 5, "disabled"));
	CHECK_EQ(fdt_plan_harts(&b->bi, 1, 8, &plan), -ENOENT);
	CHECK(skipped(&plan, 1, "mmu-type riscv,none"));
	free_blob(b);
}

/* ---- PLIC ---- */

static void test_vf2_plic(void)
{
	struct blob *b = load_dtb(VF2);
	struct fdt_plic_info info;
	const char *why = NULL;
	int node;
	u64 h;

	REQUIRE(b);
	node = fdt_node_by_compatible(b->fdt, -1, "starfive,jh7110-plic");
	CHECK(node >= 0);
	CHECK(fdt_node_is_compatible(b->fdt, node, "sifive,plic-1.0.0"));
	CHECK_EQ(fdt_plic_parse(b->fdt, node, &info, &why), 0);
	CHECK(!why);
	CHECK_EQ(info.base, 0xc000000);
	CHECK_EQ(info.size, 0x4000000);
	CHECK_EQ(info.ndev, 136);
	CHECK_EQ(info.nr_contexts, 9);
	CHECK_EQ(info.nr_s, 4);
	CHECK_EQ(fdt_plic_context_of(&info, 0), -1);
	for (h = 1; h <= 4; h++)
		CHECK_EQ(fdt_plic_context_of(&info, h), 2 * h);
	CHECK_EQ(fdt_plic_context_of(&info, 5), -1);
	free_blob(b);
}

static void test_virt_plic(void)
{
	struct blob *b = load_dtb(VIRT);
	struct fdt_plic_info info;
	const char *why;
	int node;
	u64 h;

	REQUIRE(b);
	node = fdt_node_by_compatible(b->fdt, -1, "riscv,plic0");
	CHECK_EQ(fdt_plic_parse(b->fdt, node, &info, &why), 0);
	CHECK_EQ(info.base, 0xc000000);
	CHECK_EQ(info.ndev, 96);
	CHECK_EQ(info.nr_contexts, 8);
	CHECK_EQ(info.nr_s, 4);
	for (h = 0; h < 4; h++)
		CHECK_EQ(fdt_plic_context_of(&info, h), 2 * h + 1);
	free_blob(b);
}

static void test_sifive_u_plic(void)
{
	struct blob *b = load_dtb(SIFIVE_U);
	struct fdt_plic_info info;
	const char *why;
	u64 h;

	REQUIRE(b);
	CHECK_EQ(fdt_plic_parse(b->fdt, plic_node(b), &info, &why), 0);
	CHECK_EQ(info.base, 0xc000000);
	CHECK_EQ(info.ndev, 53);
	CHECK_EQ(info.nr_contexts, 9);
	CHECK_EQ(info.nr_s, 4);
	CHECK_EQ(fdt_plic_context_of(&info, 0), -1);
	for (h = 1; h <= 4; h++)
		CHECK_EQ(fdt_plic_context_of(&info, h), 2 * h);
	free_blob(b);
}

static void test_plic_skipped_contexts(void)
{
	/*
	 * Context 0 is unset (~0), 1 is M-mode, 2 goes to a node that is no
	 * hart's, 3 is hart 1's S context, 4 repeats it, 5 is hart 0's.
	 */
	struct blob *b = plic_tree("plic-skips",
		"<0xffffffff 9 &intc0 11 &other 9 &intc1 9 &intc1 9 &intc0 9>",
		"");
	struct fdt_plic_info info;
	const char *why;

	REQUIRE(b);
	CHECK_EQ(fdt_plic_parse(b->fdt, plic_node(b), &info, &why), 0);
	CHECK_EQ(info.ndev, 31);
	CHECK_EQ(info.nr_contexts, 6);
	CHECK_EQ(info.nr_s, 2);
	CHECK_EQ(fdt_plic_context_of(&info, 1), 3);
	CHECK_EQ(fdt_plic_context_of(&info, 0), 5);
	free_blob(b);
}

static void expect_plic_error(const char *name, const char *ctx,
			      const char *reason)
{
	struct blob *b = plic_tree(name, ctx, "");
	struct fdt_plic_info info;
	const char *why = NULL;

	REQUIRE(b);
	CHECK_EQ(fdt_plic_parse(b->fdt, plic_node(b), &info, &why), -EINVAL);
	CHECK_STR(why, reason);
	free_blob(b);
}

static void test_plic_malformed(void)
{
	expect_plic_error("plic-odd", "<&intc0 11 &intc0>",
			  "interrupts-extended is not a list of <phandle irq> pairs");
	expect_plic_error("plic-unknown", "<&intc0 11 0x4242 9>",
			  "interrupts-extended names an unknown phandle");
	expect_plic_error("plic-unknown-m", "<0x4242 11 &intc0 9>",
			  "interrupts-extended names an unknown phandle");
	expect_plic_error("plic-empty", "[]",
			  "interrupts-extended missing or empty");
	/* And a NULL why is allowed. */
	{
		struct blob *b = plic_tree("plic-null-why", "<&intc0>", "");
		struct fdt_plic_info info;

		REQUIRE(b);
		CHECK_EQ(fdt_plic_parse(b->fdt, plic_node(b), &info, NULL),
			 -EINVAL);
		free_blob(b);
	}
}

static void test_plic_bad_properties(void)
{
	struct blob *b = from_dts("plic-props",
		"/dts-v1/;\n"
		"/ { #address-cells = <2>; #size-cells = <2>;\n"
		"  memory@80000000 { device_type = \"memory\";\n"
		"    reg = <0 0x80000000 0 0x1000000>; };\n"
		"  cpus { #address-cells = <1>; #size-cells = <0>;\n"
		"    cpu@0 { device_type = \"cpu\"; reg = <0>; }; };\n"
		"  a { compatible = \"sifive,plic-1.0.0\"; reg = <0 1 0>;\n"
		"    riscv,ndev = <4>; interrupts-extended = <1 9>; };\n"
		"  b { compatible = \"sifive,plic-1.0.0\"; reg = <0 1 0 1>;\n"
		"    riscv,ndev = /bits/ 64 <4>; interrupts-extended = <1 9>; };\n"
		"  c { compatible = \"sifive,plic-1.0.0\"; reg = <0 1 0 1>;\n"
		"    riscv,ndev = <1024>; interrupts-extended = <1 9>; };\n"
		"  d { compatible = \"sifive,plic-1.0.0\"; reg = <0 1 0 1>;\n"
		"    riscv,ndev = <4>; }; };\n");
	static const char *const reasons[] = {
		"PLIC reg missing or malformed",
		"riscv,ndev missing or not one cell",
		"riscv,ndev above 1023",
		"interrupts-extended missing or empty",
	};
	struct fdt_plic_info info;
	const char *why;
	int node = -1;
	size_t i;

	REQUIRE(b);
	for (i = 0; i < ARRAY_SIZE(reasons); i++) {
		node = fdt_node_by_compatible(b->fdt, node,
					      "sifive,plic-1.0.0");
		why = NULL;
		CHECK_EQ(fdt_plic_parse(b->fdt, node, &info, &why), -EINVAL);
		CHECK_STR(why, reasons[i]);
	}
	free_blob(b);
}

/* ---- console and interrupts ---- */

static const char *const serial_compat[] = { "ns16550a", "snps,dw-apb-uart",
					     "sifive,uart0", NULL };

static void expect_console(const char *dtb, const char *path,
			   const char *compat, int irq)
{
	struct blob *b = load_dtb(dtb);
	char buf[128] = "";
	int node;

	REQUIRE(b);
	node = fdt_console_node(b->fdt, serial_compat);
	CHECK_EQ(fdt_get_path(b->fdt, node, buf, sizeof(buf)), 0);
	CHECK_STR(buf, path);
	CHECK(fdt_node_is_compatible(b->fdt, node, compat));
	CHECK_EQ(fdt_device_irq(b->fdt, node, 0), irq);
	CHECK_EQ(fdt_device_irq(b->fdt, node, 1), -ENOENT);
	free_blob(b);
}

static void test_console_real(void)
{
	expect_console(VF2, "/soc/serial@10000000", "snps,dw-apb-uart", 32);
	expect_console(VIRT, "/soc/serial@10000000", "ns16550a", 10);
	expect_console(SIFIVE_U, "/soc/serial@10010000", "sifive,uart0", 4);
}

static void test_console_fallback(void)
{
	/* No stdout-path: the first enabled node, none under a disabled bus. */
	struct blob *b = from_dts("console-fallback",
		"/dts-v1/;\n"
		"/ { #address-cells = <2>; #size-cells = <2>;\n"
		"  memory@80000000 { device_type = \"memory\";\n"
		"    reg = <0 0x80000000 0 0x1000000>; };\n"
		"  cpus { #address-cells = <1>; #size-cells = <0>;\n"
		"    cpu@0 { device_type = \"cpu\"; reg = <0>; }; };\n"
		"  chosen { bootargs = \"x\"; };\n"
		"  bus1 { status = \"disabled\"; #address-cells = <2>;\n"
		"    #size-cells = <2>;\n"
		"    serial@1 { compatible = \"ns16550a\"; reg = <0 1 0 1>; }; };\n"
		"  serial@2 { compatible = \"ns16550a\"; reg = <0 2 0 1>;\n"
		"    status = \"disabled\"; };\n"
		"  serial@3 { compatible = \"vendor,uart\"; reg = <0 3 0 1>; };\n"
		"  serial@4 { compatible = \"x,y\", \"sifive,uart0\";\n"
		"    reg = <0 4 0 1>; };\n"
		"  serial@5 { compatible = \"ns16550a\"; reg = <0 5 0 1>; }; };\n");
	static const char *const none[] = { NULL };

	REQUIRE(b);
	CHECK_STR(fdt_node_name(b->fdt, fdt_console_node(b->fdt,
							 serial_compat)),
		  "serial@4");
	CHECK_EQ(fdt_console_node(b->fdt, none), -ENOENT);
	free_blob(b);
}

static void test_device_irq(void)
{
	struct blob *b = plic_tree("irq", "<&intc0 11 &intc0 9>", "");
	struct blob *two = plic_tree("irq-2cells", "<&intc0 9>",
				     "interrupt-parent = <&other>;");
	struct blob *none = plic_tree("irq-noparent", "<&intc0 9>",
				      "interrupt-parent = <0x4242>;");
	int uart;

	if (!b || !two || !none) {
		CHECK(b && two && none);
		goto out;
	}
	/* Inherited from the bus: the PLIC, one cell per interrupt. */
	uart = fdt_node_by_compatible(b->fdt, -1, "ns16550a");
	CHECK_EQ(fdt_device_irq(b->fdt, uart, 0), 7);
	CHECK_EQ(fdt_device_irq(b->fdt, uart, 1), 8);
	CHECK_EQ(fdt_device_irq(b->fdt, uart, 2), -ENOENT);
	CHECK_EQ(fdt_device_irq(b->fdt, uart, -1), -ENOENT);
	CHECK_EQ(fdt_device_irq(b->fdt, fdt_root(b->fdt), 0), -ENOENT);
	/* A parent with #interrupt-cells = <2>, and one that does not exist. */
	uart = fdt_node_by_compatible(two->fdt, -1, "ns16550a");
	CHECK_EQ(fdt_device_irq(two->fdt, uart, 0), -EINVAL);
	uart = fdt_node_by_compatible(none->fdt, -1, "ns16550a");
	CHECK_EQ(fdt_device_irq(none->fdt, uart, 0), -EINVAL);
out:
	free_blob(b);
	free_blob(two);
	free_blob(none);
}

/* ---- tools/dtcheck ---- */

/*
 * dtcheck's output for @args; it is built with the sanitizers (into our
 * build directory), and whatever they report fails the case.
 */
static char *dtcheck(int *status, const char *args)
{
	char *out = run(status,
			"DTCHECK_BUILD='%s' DTCHECK_CFLAGS='-fsanitize=address,"
			"undefined -fno-sanitize-recover=all' '%s' %s 2>&1",
			DTCHECK_BUILD, DTCHECK, args);

	CHECK(!strstr(out, "Sanitizer") && !strstr(out, "runtime error:"));
	return out;
}

static void expect_line(const char *out, const char *line)
{
	const char *p = out;
	size_t n = strlen(line);

	while ((p = strstr(p, line)) && !(p == out || p[-1] == '\n'))
		p++;
	if (!p || (p[n] != '\n' && p[n] != '\0')) {
		printf("#   dtcheck printed no line \"%s\"\n", line);
		htest_case_failed = 1;
	}
}

static void test_dtcheck_vf2(void)
{
	char args[512];
	int status;
	char *out;

	snprintf(args, sizeof(args), "'%s/%s'", FDT_TEST_DTB_DIR, VF2);
	out = dtcheck(&status, args);
	CHECK_EQ(status, 0);
	CHECK(!strstr(out, "warning:"));
	CHECK(strstr(out, "Model:      StarFive VisionFive 2 v1.3B\n"));
	expect_line(out, "  0x40000000-0x13fffffff  4 GiB");
	expect_line(out, "Timebase:   4000000 Hz");
	expect_line(out, "  hart 1 -> CPU 0  rv64imafdc_zba_zbb, Sstc: no");
	expect_line(out, "  hart 2 -> CPU 1  rv64imafdc_zba_zbb, Sstc: no");
	expect_line(out, "  hart 3 -> CPU 2  rv64imafdc_zba_zbb, Sstc: no");
	expect_line(out, "  hart 4 -> CPU 3  rv64imafdc_zba_zbb, Sstc: no");
	expect_line(out, "  hart 0: disabled  (rv64imac_zba_zbb, Sstc: no)");
	CHECK(strstr(out, "Console:    /soc/serial@10000000 "));
	expect_line(out, "  reg             0x10000000, size 0x10000");
	expect_line(out, "  IRQ             32");
	CHECK(strstr(out, "  driver          uart8250 (snps,dw-apb-uart; "
			  "drivers/tty/serial/8250.c"));
	CHECK(strstr(out, "Interrupt controller: /soc/interrupt-controller@c000000"
			  " (starfive,jh7110-plic, sifive,plic-1.0.0)\n"));
	expect_line(out, "  base            0xc000000, size 0x4000000");
	expect_line(out, "  ndev            136 (sources 1-136)");
	expect_line(out, "  hart 0          no S context");
	expect_line(out, "  hart 1          S context 2");
	expect_line(out, "  hart 4          S context 8");
	if (htest_case_failed)
		printf("# dtcheck said:\n%s", out);
	free(out);

	/* Another boot hart and a CPU limit. */
	snprintf(args, sizeof(args), "--boot-hart 3 --nr-cpus 2 '%s/%s'",
		 FDT_TEST_DTB_DIR, VF2);
	out = dtcheck(&status, args);
	CHECK_EQ(status, 0);
	expect_line(out, "  hart 3 -> CPU 0  rv64imafdc_zba_zbb, Sstc: no");
	expect_line(out, "  hart 1 -> CPU 1  rv64imafdc_zba_zbb, Sstc: no");
	expect_line(out, "  hart 2: beyond the CPU limit  (rv64imafdc_zba_zbb, Sstc: no)");
	free(out);
}

static void test_dtcheck_qemu(void)
{
	char args[512];
	int status;
	char *out;

	snprintf(args, sizeof(args), "'%s/%s'", FDT_TEST_DTB_DIR, VIRT);
	out = dtcheck(&status, args);
	CHECK_EQ(status, 0);
	expect_line(out, "  hart 0 -> CPU 0  rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc, Sstc: yes");
	CHECK(strstr(out, "/soc/test@100000 "));
	CHECK(strstr(out, "sifive-test (sifive,test1; "));
	free(out);

	snprintf(args, sizeof(args), "'%s/%s'", FDT_TEST_DTB_DIR, SIFIVE_U);
	out = dtcheck(&status, args);
	CHECK_EQ(status, 0);
	expect_line(out, "  hart 0: no MMU (mmu-type missing)  (rv64imac_zicsr_zifencei, Sstc: no)");
	CHECK(strstr(out, "Console:    /soc/serial@10010000 "));
	free(out);
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, n, f) != n)
		printf("#   cannot write %s\n", path);
	if (f)
		fclose(f);
}

/* dtcheck on @data saved as @name: its exit status and the error it gave. */
static void expect_dtcheck_error(const char *name, const void *data,
				 size_t n, int status, const char *error)
{
	char path[300], args[320], msg[400];
	int got;
	char *out;

	snprintf(path, sizeof(path), "%s/%s", workdir, name);
	if (data)
		write_file(path, data, n);
	snprintf(args, sizeof(args), "'%s'", path);
	out = dtcheck(&got, args);
	CHECK_EQ(got, status);
	snprintf(msg, sizeof(msg), "dtcheck: %s: %s\n", path, error);
	CHECK(strstr(out, msg));
	if (htest_case_failed)
		printf("# dtcheck said:\n%s", out);
	free(out);
}

static void test_dtcheck_errors(void)
{
	struct blob *b = load_dtb(VF2);

	REQUIRE(b);
	expect_dtcheck_error("no-such.dtb", NULL, 0, 2,
			     "No such file or directory");
	/* The first 100 bytes of a real blob: fdt_check's reason is printed. */
	expect_dtcheck_error("truncated.dtb", b->fdt, 100, 1,
			     "not a valid device tree blob: totalsize exceeds buffer");
	expect_dtcheck_error("short.dtb", "not a device tree\n", 18, 1,
			     "not a valid device tree blob: buffer smaller than header");
	expect_dtcheck_error("text.dtb", "not a device tree, but some text that "
			     "is longer than its header\n", 64, 1,
			     "not a valid device tree blob: bad magic");
	free_blob(b);
}

int main(void)
{
	int status;

	if (!mkdtemp(workdir)) {
		perror("mkdtemp");
		return 1;
	}
	HTEST_RUN(test_vf2_harts);
	HTEST_RUN(test_sifive_u_harts);
	HTEST_RUN(test_virt_harts);
	HTEST_RUN(test_max_cpus);
	HTEST_RUN(test_boot_hart_unusable);
	HTEST_RUN(test_odd_harts);
	HTEST_RUN(test_vf2_plic);
	HTEST_RUN(test_virt_plic);
	HTEST_RUN(test_sifive_u_plic);
	HTEST_RUN(test_plic_skipped_contexts);
	HTEST_RUN(test_plic_malformed);
	HTEST_RUN(test_plic_bad_properties);
	HTEST_RUN(test_console_real);
	HTEST_RUN(test_console_fallback);
	HTEST_RUN(test_device_irq);
	HTEST_RUN(test_dtcheck_vf2);
	HTEST_RUN(test_dtcheck_qemu);
	HTEST_RUN(test_dtcheck_errors);
	free(run(&status, "rm -rf '%s'", workdir));
	return htest_done();
}
