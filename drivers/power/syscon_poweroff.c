/* SPDX-License-Identifier: BSD-2-Clause */
/* syscon-poweroff: power off by writing a value into a syscon device's register. */
#include <hartix/device.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/io.h>
#include <hartix/reboot.h>

struct syscon_poweroff {
	void *reg;
	u32 value, mask;
};

static struct syscon_poweroff poweroff;

static void syscon_power_off(struct power_off_handler *h, int status)
{
	struct syscon_poweroff *p = h->data;
	u32 v = p->mask == 0xffffffff ? 0 : readl(p->reg) & ~p->mask;

	writel(v | (p->value & p->mask), p->reg);
}

static struct power_off_handler syscon_handler = {
	.name = "syscon-poweroff",
	.priority = 100,
	.power_off = syscon_power_off,
	.data = &poweroff,
};

static int syscon_poweroff_probe(struct device *dev)
{
	u32 phandle, offset;
	u64 addr, size;
	int syscon;

	if (poweroff.reg)
		return -EBUSY;
	if (!device_read_u32(dev, "regmap", &phandle) ||
	    !device_read_u32(dev, "offset", &offset))
		return -EINVAL;
	/* Linux's binding: "value" and/or "mask"; a lone mask is the value. */
	poweroff.mask = 0xffffffff;
	if (!device_read_u32(dev, "value", &poweroff.value) &&
	    !device_read_u32(dev, "mask", &poweroff.value))
		return -EINVAL;
	device_read_u32(dev, "mask", &poweroff.mask);

	syscon = fdt_node_by_phandle(dev->fdt, phandle);
	if (syscon < 0 || fdt_reg(dev->fdt, syscon, 0, &addr, &size) ||
	    size < 4 || offset > size - 4)
		return -EINVAL;
	poweroff.reg = ioremap(addr + offset, 4);
	if (!poweroff.reg)
		return -EINVAL;
	register_power_off_handler(&syscon_handler);
	return 0;
}

static const struct of_device_id syscon_poweroff_ids[] = {
	{ "syscon-poweroff", NULL },
	{ NULL, NULL },
};

static const struct driver syscon_poweroff_driver = {
	.name = "syscon-poweroff",
	.of_match = syscon_poweroff_ids,
	.stage = DRIVER_STAGE_NORMAL,
	.probe = syscon_poweroff_probe,
};
driver_register(syscon_poweroff_driver);
