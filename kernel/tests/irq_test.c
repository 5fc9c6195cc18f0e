/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests of interrupts and their users: irq table, PLIC routing, dispatch, RTC, tty input. */
#include <hartix/boot.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/fdt_platform.h>
#include <hartix/io.h>
#include <hartix/irq.h>
#include <hartix/ktest.h>
#include <hartix/rtc.h>
#include <hartix/smp.h>
#include <hartix/time64.h>
#include <hartix/tty.h>
#include <asm/csr.h>
#include <asm/irqflags.h>

/* Goldfish RTC alarm registers: the test's way to raise a real interrupt. */
#define GOLDFISH_ALARM_LOW 0x08 /* writing it arms the alarm */
#define GOLDFISH_ALARM_HIGH 0x0c
#define GOLDFISH_IRQ_ENABLED 0x10
#define GOLDFISH_CLEAR_INTERRUPT 0x1c

#define UNIX_2024_01_01 1704067200LL

static void nop_handler(unsigned int irq, void *data)
{
}

/* The highest irq nobody uses, requested for nop_handler; 0 if none is free. */
static unsigned int request_free_irq(void)
{
	unsigned int irq;

	for (irq = irq_nr_irqs(); irq > 0; irq--)
		if (!request_irq(irq, nop_handler, NULL))
			return irq;
	return 0;
}

static void request_irq_checks(struct ktest *t)
{
	unsigned int n = irq_nr_irqs(), irq;

	if (!n) {
		KT_EXPECT_EQ(t, request_irq(1, nop_handler, NULL), -ENODEV);
		ktest_skip(t, "no irqchip");
		return;
	}
	KT_EXPECT_EQ(t, request_irq(0, nop_handler, NULL), -EINVAL);
	KT_EXPECT_EQ(t, request_irq(n + 1, nop_handler, NULL), -EINVAL);
	irq = request_free_irq();
	KT_ASSERT(t, irq != 0);
	KT_EXPECT_EQ(t, request_irq(irq, nop_handler, NULL), -EBUSY);
	KT_EXPECT_EQ(t, request_irq(irq, NULL, NULL), -EINVAL);
	free_irq(irq);
	KT_EXPECT_EQ(t, request_irq(irq, nop_handler, NULL), 0);
	free_irq(irq);
}

/* Only the first irqchip counts: irq numbers belong to it. */
static void second_irqchip_refused(struct ktest *t)
{
	static const struct irqchip dummy = {
		.name = "ktest-dummy",
		.nr_irqs = 7,
	};
	unsigned int n = irq_nr_irqs();

	if (!n) {
		ktest_skip(t, "no irqchip: the dummy would become the first");
		return;
	}
	irqchip_register(&dummy);
	KT_EXPECT_EQ(t, irq_nr_irqs(), n);
}

/* Enable words of every S context, for irq's word. */
static void read_enable_words(unsigned int irq, u32 *words, u64 *harts)
{
	unsigned int i;

	for (i = 0; i < plic_nr_s_contexts(); i++)
		words[i] = plic_enable_word(i, irq, &harts[i]);
}

static void plic_routes_to_cpu0(struct ktest *t)
{
	static u32 before[FDT_PLIC_MAX_CONTEXTS], during[FDT_PLIC_MAX_CONTEXTS],
		after[FDT_PLIC_MAX_CONTEXTS];
	static u64 harts[FDT_PLIC_MAX_CONTEXTS];
	unsigned int i, irq, n, in_cpu0 = 0;
	u32 bit;

	/* The hooks exist only with the driver built in. */
	n = IS_ENABLED(CONFIG_IRQCHIP_PLIC) ? plic_nr_s_contexts() : 0;
	if (!n) {
		ktest_skip(t, "no PLIC");
		return;
	}
	irq = request_free_irq();
	KT_ASSERT(t, irq != 0);
	free_irq(irq);
	bit = 1U << (irq % 32);

	read_enable_words(irq, before, harts);
	KT_ASSERT(t, request_irq(irq, nop_handler, NULL) == 0);
	read_enable_words(irq, during, harts);
	free_irq(irq);
	read_enable_words(irq, after, harts);

	for (i = 0; i < n; i++) {
		/* A free irq is masked everywhere; neighbours never change. */
		KT_EXPECT_EQ(t, before[i] & bit, 0);
		if (harts[i] == cpu_hartid(0)) {
			KT_EXPECT_EQ(t, during[i], before[i] | bit);
			in_cpu0++;
		} else {
			KT_EXPECT_EQ(t, during[i], before[i]);
		}
		KT_EXPECT_EQ(t, after[i], before[i]);
	}
	KT_EXPECT_EQ(t, in_cpu0, 1);
}

struct alarm {
	void *rtc;
	unsigned int calls, irq;
};

static void alarm_handler(unsigned int irq, void *data)
{
	struct alarm *a = data;

	a->calls++;
	a->irq = irq;
	/* The line is level-triggered: quiet it before the PLIC completes. */
	writel(1, (char *)a->rtc + GOLDFISH_CLEAR_INTERRUPT);
}

/*
 * A real interrupt end to end: the goldfish RTC's alarm, armed in the past,
 * raises its line; handle_external_irq() must claim it, run the handler
 * once, count it and complete it. Local interrupts stay off throughout, so
 * it works whether or not the trap path delivers interrupts yet.
 */
static void dispatch_rtc_alarm(struct ktest *t)
{
	int node = fdt_node_by_compatible(boot_fdt, -1, "google,goldfish-rtc");
	struct alarm a = { 0 };
	unsigned long flags, sie;
	u64 addr, size, count;
	int irq;

	if (node < 0 || !fdt_node_is_enabled(boot_fdt, node) ||
	    !irq_nr_irqs()) {
		ktest_skip(t, "no goldfish RTC or no irqchip");
		return;
	}
	if (smp_processor_id() != 0) {
		ktest_skip(t, "request_irq() routes to CPU 0, running elsewhere");
		return;
	}
	irq = fdt_device_irq(boot_fdt, node, 0);
	KT_ASSERT(t, irq > 0);
	KT_ASSERT(t, fdt_reg(boot_fdt, node, 0, &addr, &size) == 0);
	a.rtc = ioremap(addr, size);
	KT_ASSERT(t, a.rtc != NULL);
	KT_ASSERT(t, request_irq((unsigned int)irq, alarm_handler, &a) == 0);

	flags = local_irq_save();
	/* This hart's context must be open; undone below if it was not. */
	sie = csr_read(CSR_SIE);
	irq_cpu_init();
	count = irq_count((unsigned int)irq);
	writel(1, (char *)a.rtc + GOLDFISH_IRQ_ENABLED);
	writel(0, (char *)a.rtc + GOLDFISH_ALARM_HIGH);
	writel(0, (char *)a.rtc + GOLDFISH_ALARM_LOW);
	handle_external_irq();
	KT_EXPECT_EQ(t, a.calls, 1);
	KT_EXPECT_EQ(t, a.irq, irq);
	KT_EXPECT_EQ(t, irq_count((unsigned int)irq), count + 1);
	/* Cleared and completed: nothing is left to claim. */
	handle_external_irq();
	KT_EXPECT_EQ(t, a.calls, 1);
	writel(0, (char *)a.rtc + GOLDFISH_IRQ_ENABLED);
	free_irq((unsigned int)irq);
	csr_write(CSR_SIE, sie);
	local_irq_restore(flags);
}

KTEST_SUITE(irq,
	    KTEST_CASE(request_irq_checks),
	    KTEST_CASE(second_irqchip_refused),
	    KTEST_CASE(plic_routes_to_cpu0),
	    KTEST_CASE(dispatch_rtc_alarm));

static void rtc_time_is_recent(struct ktest *t)
{
	s64 first, second;
	int ret = rtc_read_time(&first);

	if (ret == -ENODEV) {
		/* Only acceptable when QEMU's RTC is absent or not built in. */
		KT_EXPECT(t, !IS_ENABLED(CONFIG_RTC_GOLDFISH) ||
				     fdt_node_by_compatible(boot_fdt, -1,
							    "google,goldfish-rtc") < 0);
		ktest_skip(t, "no RTC");
		return;
	}
	KT_ASSERT(t, ret == 0);
	KT_EXPECT(t, first >= UNIX_2024_01_01);
	KT_ASSERT(t, rtc_read_time(&second) == 0);
	KT_EXPECT(t, second >= first && second - first < 5);
}

/* The host tests compare with glibc; this checks the target's 64-bit code. */
static void time64_on_target(struct ktest *t)
{
	struct tm_utc tm;

	time64_to_tm(1795256444, &tm);
	KT_EXPECT_EQ(t, tm.year, 2026);
	KT_EXPECT_EQ(t, tm.mon, 11);
	KT_EXPECT_EQ(t, tm.mday, 21);
	KT_EXPECT_EQ(t, tm.hour * 3600 + tm.min * 60 + tm.sec, 37244);
	KT_EXPECT_EQ(t, tm.wday, 6);
	/* 1900 and 2100 are not leap years: March follows February 28. */
	time64_to_tm(-2203891200LL, &tm);
	KT_EXPECT_EQ(t, tm.year, 1900);
	KT_EXPECT_EQ(t, tm.mon, 3);
	KT_EXPECT_EQ(t, tm.mday, 1);
	time64_to_tm(4107542400LL, &tm);
	KT_EXPECT_EQ(t, tm.year, 2100);
	KT_EXPECT_EQ(t, tm.mon, 3);
	KT_EXPECT_EQ(t, tm.mday, 1);
}

KTEST_SUITE(rtc,
	    KTEST_CASE(rtc_time_is_recent),
	    KTEST_CASE(time64_on_target));

static void tty_drain(void)
{
	while (tty_read_char() >= 0)
		;
}

static void tty_type(const char *s)
{
	while (*s)
		tty_receive_char(*s++);
}

/* Canonical mode: edited lines; the echo ends the line, as KTAP needs. */
static void tty_canonical_line_editing(struct ktest *t)
{
	static const char want[] = "# tty echo\n";
	unsigned int i;

	tty_drain();
	tty_type("# tty ex");
	KT_EXPECT_EQ(t, tty_read_char(), -1); /* no whole line yet */
	tty_type("\x7f\becho!\x7f\r");
	for (i = 0; want[i]; i++)
		KT_EXPECT_EQ(t, tty_read_char(), (unsigned char)want[i]);
	KT_EXPECT_EQ(t, tty_read_char(), -1);
	/* Ctrl-U kills the line; Ctrl-D pushes what is left without a new line. */
	tty_type("# killed\x15# ok\x04");
	for (i = 0; i < 4; i++)
		KT_EXPECT_EQ(t, tty_read_char(), (unsigned char)"# ok"[i]);
	KT_EXPECT_EQ(t, tty_read_char(), -1);
	tty_type("\r");
	KT_EXPECT_EQ(t, tty_read_char(), '\n');
}

/* A line stops growing at TTY_LINE_MAX - 1 bytes; its new line still fits. */
static void tty_long_line_truncated(struct ktest *t)
{
	unsigned int i, n = 0;

	tty_drain();
	for (i = 0; i < TTY_LINE_MAX + 10; i++)
		tty_receive_char('\x01'); /* not echoed */
	tty_receive_char('\n');
	while (tty_read_char() == 1)
		n++;
	KT_EXPECT_EQ(t, n, TTY_LINE_MAX - 1);
	KT_EXPECT_EQ(t, tty_read_char(), -1);
}

KTEST_SUITE(tty,
	    KTEST_CASE(tty_canonical_line_editing),
	    KTEST_CASE(tty_long_line_truncated));
