/* SPDX-License-Identifier: BSD-2-Clause */
/* SiFive test finisher (QEMU virt sifive,test0): power off with an exit status. */
#include <hartix/device.h>
#include <hartix/errno.h>
#include <hartix/io.h>
#include <hartix/reboot.h>

#define FINISHER_FAIL 0x3333
#define FINISHER_PASS 0x5555

static void sifive_test_power_off(struct power_off_handler *h, int status)
{
	/* QEMU exits with the upper 16 bits as its status after a FAIL. */
	u32 cmd = status ? FINISHER_FAIL | ((u32)status & 0xffff) << 16 :
			   FINISHER_PASS;

	writel(cmd, h->data);
}

static struct power_off_handler sifive_test_handler = {
	.name = "sifive-test",
	.priority = 200, /* preferred: the only one that reports a status */
	.power_off = sifive_test_power_off,
};

static int sifive_test_probe(struct device *dev)
{
	u64 addr, size;

	if (sifive_test_handler.data)
		return -EBUSY;
	if (device_reg(dev, 0, &addr, &size))
		return -EINVAL;
	sifive_test_handler.data = ioremap(addr, 4);
	if (!sifive_test_handler.data)
		return -EINVAL;
	register_power_off_handler(&sifive_test_handler);
	return 0;
}

static const struct of_device_id sifive_test_ids[] = {
	{ "sifive,test0", NULL },
	{ "sifive,test1", NULL },
	{ NULL, NULL },
};

static const struct driver sifive_test_driver = {
	.name = "sifive-test",
	.of_match = sifive_test_ids,
	.stage = DRIVER_STAGE_NORMAL,
	.probe = sifive_test_probe,
};
driver_register(sifive_test_driver);
