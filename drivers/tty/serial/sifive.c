/* SPDX-License-Identifier: BSD-2-Clause */
/* SiFive UART (sifive,uart0: FU540, FU740, QEMU sifive_u): polled console. */
#include <hartix/device.h>
#include <hartix/errno.h>
#include <hartix/io.h>
#include <hartix/printk.h>

#define SIFIVE_TXDATA 0x00
#define SIFIVE_TXCTRL 0x08
#define SIFIVE_DIV 0x18
#define SIFIVE_REG_SPAN 0x1c /* through the divisor register */

#define SIFIVE_TXDATA_FULL (1U << 31)
#define SIFIVE_TXCTRL_TXEN 0x1

#define MAX_UARTS 4
#define DEFAULT_BAUD 115200

struct sifive_uart {
	void *base;
	struct console con;
};

/* Set up by the boot hart while probing; the console lock serialises output. */
static struct sifive_uart uarts[MAX_UARTS];
static int nr_uarts;

static void sifive_putc(struct sifive_uart *u, char c)
{
	/* A write while the FIFO is full is dropped, so wait for room. */
	while (readl((char *)u->base + SIFIVE_TXDATA) & SIFIVE_TXDATA_FULL)
		;
	writel((u8)c, (char *)u->base + SIFIVE_TXDATA);
}

static void sifive_console_write(struct console *con, const char *s,
				 size_t len)
{
	struct sifive_uart *u = con->data;

	while (len--) {
		if (*s == '\n')
			sifive_putc(u, '\r');
		sifive_putc(u, *s++);
	}
}

static int sifive_uart_probe(struct device *dev)
{
	struct sifive_uart *u;
	u32 clock = 0, baud = DEFAULT_BAUD;
	u64 addr, size;

	if (nr_uarts == MAX_UARTS)
		return -ENOSPC;
	if (device_reg(dev, 0, &addr, &size))
		return -EINVAL;
	u = &uarts[nr_uarts];
	u->base = ioremap(addr, size ? size : SIFIVE_REG_SPAN);
	if (!u->base)
		return -EINVAL;
	u->con = (struct console){ .name = dev->name,
				   .write = sifive_console_write, .data = u };

	/*
	 * Without clock-frequency (the usual case: the trees name a clock
	 * controller instead) keep the divisor the firmware set; baud rate =
	 * clock / (div + 1), rounded as Linux does so the rate never exceeds
	 * the one asked for.
	 */
	if (device_read_u32(dev, "clock-frequency", &clock) && clock) {
		if (!device_read_u32(dev, "current-speed", &baud) || !baud)
			baud = DEFAULT_BAUD;
		writel((u32)(((u64)clock + baud - 1) / baud - 1),
		       (char *)u->base + SIFIVE_DIV);
	}
	writel(readl((char *)u->base + SIFIVE_TXCTRL) | SIFIVE_TXCTRL_TXEN,
	       (char *)u->base + SIFIVE_TXCTRL);
	nr_uarts++;
	if (console_offer(&u->con, dev->node))
		pr_info("%s: console at MMIO %#llx\n", dev->name,
			(unsigned long long)addr);
	return 0;
}

static const struct of_device_id sifive_uart_ids[] = {
	{ "sifive,uart0", NULL },
	{ NULL, NULL },
};

static const struct driver sifive_uart_driver = {
	.name = "sifive-uart",
	.of_match = sifive_uart_ids,
	.stage = DRIVER_STAGE_NORMAL,
	.probe = sifive_uart_probe,
};
driver_register(sifive_uart_driver);
