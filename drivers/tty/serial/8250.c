/* SPDX-License-Identifier: BSD-2-Clause */
/* 8250/16550 UART (ns16550a, DesignWare APB): polled console output, input and BREAK by interrupt. */
#include <hartix/boot.h>
#include <hartix/cmdline.h>
#include <hartix/device.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/fdt_platform.h>
#include <hartix/io.h>
#include <hartix/irq.h>
#include <hartix/printk.h>
#include <hartix/string.h>
#include <hartix/tty.h>

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_DLL 0 /* divisor latch low (DLAB = 1) */
#define UART_IER 1
#define UART_DLM 1 /* divisor latch high (DLAB = 1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DW_USR 31 /* DesignWare status register (0x7c with 4-byte stride) */

#define UART_IER_RDI 0x01 /* receive data available */
#define UART_IER_RLSI 0x04 /* receiver line status: a break, an error */
#define UART_FCR_ENABLE_FIFO 0x01
#define UART_FCR_CLEAR 0x06
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_MCR_DTR_RTS 0x03
#define UART_MCR_OUT2 0x08
#define UART_LSR_DR 0x01
#define UART_LSR_BI 0x10 /* break: the line was held low a whole character */
#define UART_LSR_THRE 0x20
#define UART_DW_USR_BUSY 0x01

#define MAX_UARTS 4
#define DEFAULT_BAUD 115200
/* Bytes taken per interrupt; the level interrupt comes back for more. */
#define UART_RX_BURST 64

struct uart8250 {
	void *base;
	unsigned int reg_shift;
	unsigned int reg_width; /* 1 or 4 bytes */
	bool dw; /* DesignWare: LCR writes need an idle UART */
	/* Bytes THRE frees at once: the FIFO of a 16550A we enabled, else 1. */
	unsigned int tx_room;
	/*
	 * A read of LSR clears BI, and output polls LSR on any hart: whoever
	 * sees BI sets this, the receive handler takes it with the NUL byte
	 * a break leaves in the FIFO (Linux's lsr_saved_flags).
	 */
	u32 break_seen; /* 0 or 1, a word for the atomics */
	struct console con;
};

/*
 * Set up by the boot hart while probing; the console lock serialises
 * output. Input needs no lock: the PLIC delivers a claimed irq to one hart
 * at a time, so one handler at a time reads RBR.
 */
static struct uart8250 uarts[MAX_UARTS];
static int nr_uarts;

static u32 uart_read(struct uart8250 *u, unsigned int reg)
{
	void *addr = (char *)u->base + (reg << u->reg_shift);

	return u->reg_width == 4 ? readl(addr) : readb(addr);
}

static void uart_write(struct uart8250 *u, unsigned int reg, u32 val)
{
	void *addr = (char *)u->base + (reg << u->reg_shift);

	if (u->reg_width == 4)
		writel(val, addr);
	else
		writeb((u8)val, addr);
}

static u32 uart_read_lsr(struct uart8250 *u)
{
	u32 lsr = uart_read(u, UART_LSR);

	if (lsr & UART_LSR_BI)
		__atomic_store_n(&u->break_seen, 1, __ATOMIC_RELAXED);
	return lsr;
}

/*
 * THRE says the transmitter is empty: tx_room bytes go without another
 * look at LSR, which was most of a console write (the boot log replayed
 * at loglevel=7).
 */
static void uart_console_write(struct console *con, const char *s, size_t len)
{
	struct uart8250 *u = con->data;
	unsigned int room = 0;
	bool cr_sent = false;

	while (len) {
		if (!room) {
			while (!(uart_read_lsr(u) & UART_LSR_THRE))
				;
			room = u->tx_room;
		}
		room--;
		if (*s == '\n' && !cr_sent) {
			uart_write(u, UART_THR, '\r');
			cr_sent = true;
			continue;
		}
		uart_write(u, UART_THR, (u8)*s++);
		cr_sent = false;
		len--;
	}
}

/*
 * The DesignWare UART ignores LCR writes while it is busy sending; wait
 * for it to go idle (bounded: a stuck UART must not hang the boot).
 */
static void uart_wait_idle(struct uart8250 *u)
{
	unsigned int tries = 100000;

	while (u->dw && (uart_read(u, UART_DW_USR) & UART_DW_USR_BUSY) &&
	       --tries)
		;
}

/* Baud rate from "115200n8"-style options, else current-speed, else 115200. */
static u32 uart_baud(struct device *dev)
{
	const char *opts = NULL;
	unsigned long long baud;
	char digits[12];
	size_t n = 0;
	u32 speed;

	if (fdt_stdout_node(dev->fdt, &opts) == dev->node && opts) {
		while (n + 1 < sizeof(digits) && opts[n] >= '0' && opts[n] <= '9') {
			digits[n] = opts[n];
			n++;
		}
		digits[n] = '\0';
		if (n && !kstrtoull(digits, 10, &baud) && baud && baud <= 4000000)
			return (u32)baud;
	}
	if (device_read_u32(dev, "current-speed", &speed) && speed)
		return speed;
	return DEFAULT_BAUD;
}

static void uart_init_line(struct uart8250 *u, u32 clock, u32 baud)
{
	u32 divisor = (clock + 8 * baud) / (16 * baud);

	uart_write(u, UART_IER, 0);
	uart_wait_idle(u);
	uart_write(u, UART_LCR, UART_LCR_DLAB);
	uart_write(u, UART_DLL, divisor & 0xff);
	uart_write(u, UART_DLM, (divisor >> 8) & 0xff);
	uart_wait_idle(u);
	uart_write(u, UART_LCR, UART_LCR_8N1);
	uart_write(u, UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR);
	uart_write(u, UART_MCR, UART_MCR_DTR_RTS);
}

static void uart_rx_irq(unsigned int irq, void *data)
{
	struct uart8250 *u = data;
	unsigned int n;

	for (n = 0; n < UART_RX_BURST && (uart_read_lsr(u) & UART_LSR_DR);
	     n++) {
		char c = (char)uart_read(u, UART_RBR);

		/* The NUL received with a break is not data. */
		if (!c && __atomic_exchange_n(&u->break_seen, 0,
					      __ATOMIC_RELAXED))
			tty_receive_break();
		else
			tty_receive_char(c);
	}
}

/* The console's input goes to the tty, by interrupt if there is an irqchip. */
static void uart_enable_rx_irq(struct device *dev, struct uart8250 *u)
{
	int irq = fdt_device_irq(dev->fdt, dev->node, 0);
	int err;

	if (irq <= 0 || !irq_nr_irqs())
		return;
	err = request_irq((unsigned int)irq, uart_rx_irq, u);
	if (err) {
		pr_warn("%s: irq %d: error %d, no console input\n", dev->name,
			irq, err);
		return;
	}
	irq_set_name((unsigned int)irq, "ttyS0");
	/* OUT2 gates the interrupt line on PC-style 16550s; harmless here. */
	uart_write(u, UART_MCR, uart_read(u, UART_MCR) | UART_MCR_OUT2);
	uart_write(u, UART_IER, UART_IER_RDI | UART_IER_RLSI);
	pr_info("%s: console input on irq %d\n", dev->name, irq);
}

/* What the compatible tells (match_data): a FIFO that works, DesignWare's quirk. */
static const char type_16550a, type_dw;

static int uart8250_probe(struct device *dev)
{
	struct uart8250 *u;
	u64 addr, size;
	u32 shift = 0, width = 1, clock = 0;

	if (nr_uarts == MAX_UARTS)
		return -ENOSPC;
	if (device_reg(dev, 0, &addr, &size))
		return -EINVAL;
	device_read_u32(dev, "reg-shift", &shift);
	device_read_u32(dev, "reg-io-width", &width);
	if (shift > 4 || (width != 1 && width != 4)) {
		pr_warn("%s: unsupported reg-shift %u / reg-io-width %u\n",
			dev->name, shift, width);
		return -EINVAL;
	}
	u = &uarts[nr_uarts];
	u->base = ioremap(addr, size ? size : 8U << shift);
	if (!u->base)
		return -EINVAL;
	u->reg_shift = shift;
	u->reg_width = width;
	u->dw = dev->match_data == &type_dw;
	u->tx_room = 1;
	u->con = (struct console){ .name = dev->name,
				   .write = uart_console_write, .data = u };

	/*
	 * A DesignWare UART described only by "clocks" (the JH7110's) runs
	 * from a fixed reference clock we cannot query without a clock
	 * driver. Any other UART without clock-frequency keeps the line
	 * settings the firmware left (it printed through this UART).
	 */
	if (!device_read_u32(dev, "clock-frequency", &clock) && u->dw &&
	    fdt_getprop(dev->fdt, dev->node, "clocks", NULL))
		clock = CONFIG_SERIAL_8250_DW_DEFAULT_CLOCK;
	if (clock) {
		uart_init_line(u, clock, uart_baud(dev));
		if (dev->match_data == &type_16550a)
			u->tx_room = 16; /* its FIFO, enabled and cleared just now */
	}
	nr_uarts++;
	if (console_offer(&u->con, dev->node)) {
		pr_info("%s: console at MMIO %#llx, reg-shift %u, reg-io-width %u\n",
			dev->name, (unsigned long long)addr, shift, width);
		uart_enable_rx_irq(dev, u);
	}
	return 0;
}

static const struct of_device_id uart8250_ids[] = {
	{ "ns16550a", &type_16550a },
	{ "ns16550", NULL },
	{ "snps,dw-apb-uart", &type_dw },
	{ NULL, NULL },
};

static const struct driver uart8250_driver = {
	.name = "uart8250",
	.of_match = uart8250_ids,
	.stage = DRIVER_STAGE_NORMAL,
	.probe = uart8250_probe,
};
driver_register(uart8250_driver);
