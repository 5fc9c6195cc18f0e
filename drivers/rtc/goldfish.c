/* SPDX-License-Identifier: BSD-2-Clause */
/* Goldfish RTC (QEMU virt google,goldfish-rtc): nanoseconds since the Unix epoch. */
#include <hartix/device.h>
#include <hartix/errno.h>
#include <hartix/io.h>
#include <hartix/rtc.h>
#include <hartix/spinlock.h>
#include <hartix/time.h>

#define GOLDFISH_TIME_LOW 0x00 /* reading it latches TIME_HIGH */
#define GOLDFISH_TIME_HIGH 0x04

/*
 * Set up by the boot hart at probe. goldfish_lock keeps the LOW/HIGH read
 * pair of one hart from being split by another hart's read of LOW, which
 * would re-latch HIGH in between, and a write pair from being mixed with
 * another.
 */
static void *goldfish_base;
static DEFINE_SPINLOCK(goldfish_lock);

static int goldfish_read_time(struct rtc_device *rtc, s64 *secs)
{
	unsigned long flags = spin_lock_irqsave(&goldfish_lock);
	u32 lo = readl((char *)goldfish_base + GOLDFISH_TIME_LOW);
	u32 hi = readl((char *)goldfish_base + GOLDFISH_TIME_HIGH);

	spin_unlock_irqrestore(&goldfish_lock, flags);
	*secs = (s64)((((u64)hi << 32) | lo) / NSEC_PER_SEC);
	return 0;
}

/* QEMU takes the new time when TIME_LOW is written, HIGH first. */
static int goldfish_set_time(struct rtc_device *rtc, s64 secs)
{
	u64 ns = (u64)secs * NSEC_PER_SEC;
	unsigned long flags = spin_lock_irqsave(&goldfish_lock);

	writel((u32)(ns >> 32), (char *)goldfish_base + GOLDFISH_TIME_HIGH);
	writel((u32)ns, (char *)goldfish_base + GOLDFISH_TIME_LOW);
	spin_unlock_irqrestore(&goldfish_lock, flags);
	return 0;
}

static struct rtc_device goldfish_rtc = {
	.name = "goldfish-rtc",
	.read_time = goldfish_read_time,
	.set_time = goldfish_set_time,
};

static int goldfish_probe(struct device *dev)
{
	u64 addr, size;

	if (goldfish_base)
		return -EBUSY;
	if (device_reg(dev, 0, &addr, &size) || size < 8)
		return -EINVAL;
	goldfish_base = ioremap(addr, size);
	if (!goldfish_base)
		return -EINVAL;
	rtc_register(&goldfish_rtc);
	return 0;
}

static const struct of_device_id goldfish_ids[] = {
	{ "google,goldfish-rtc", NULL },
	{ NULL, NULL },
};

static const struct driver goldfish_driver = {
	.name = "goldfish-rtc",
	.of_match = goldfish_ids,
	.stage = DRIVER_STAGE_NORMAL,
	.probe = goldfish_probe,
};
driver_register(goldfish_driver);
