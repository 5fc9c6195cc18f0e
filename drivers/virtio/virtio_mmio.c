/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio-mmio transport (legacy and 1.x): probes "virtio,mmio" nodes and hands devices to virtio drivers. */
#include <hartix/device.h>
#include <hartix/errno.h>
#include <hartix/fdt_platform.h>
#include <hartix/io.h>
#include <hartix/irq.h>
#include <hartix/printk.h>
#include <hartix/slab.h>
#include "virtio_internal.h"

/* Registers (virtio 1.2, 4.2.2; the legacy ones from 4.2.4). */
#define VIRTIO_MMIO_MAGIC 0x000 /* "virt" */
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028 /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_ALIGN 0x03c /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN 0x040 /* legacy */
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW 0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976

/* Device status bits (virtio 1.2, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8

extern const struct virtio_driver *const __virtio_drivers_start[],
	*const __virtio_drivers_end[];

static u32 vm_read(const struct virtio_device *vdev, unsigned int reg)
{
	return readl((char *)vdev->base + reg);
}

static void vm_write(const struct virtio_device *vdev, unsigned int reg, u32 v)
{
	writel(v, (char *)vdev->base + reg);
}

static void vm_set_status(struct virtio_device *vdev, u32 bits)
{
	vm_write(vdev, VIRTIO_MMIO_STATUS, vm_read(vdev, VIRTIO_MMIO_STATUS) | bits);
}

int virtio_negotiate(struct virtio_device *vdev, u64 wanted)
{
	u64 offered;

	if (vdev->version >= 2)
		wanted |= 1ULL << VIRTIO_F_VERSION_1;
	vm_write(vdev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	offered = vm_read(vdev, VIRTIO_MMIO_DEVICE_FEATURES);
	vm_write(vdev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	offered |= (u64)vm_read(vdev, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	vdev->features = offered & wanted;
	if (vdev->version >= 2 && !virtio_has_feature(vdev, VIRTIO_F_VERSION_1))
		return -ENODEV; /* a 1.x device must offer it */
	vm_write(vdev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	vm_write(vdev, VIRTIO_MMIO_DRIVER_FEATURES, (u32)vdev->features);
	vm_write(vdev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	vm_write(vdev, VIRTIO_MMIO_DRIVER_FEATURES, (u32)(vdev->features >> 32));
	if (vdev->version < 2)
		return 0; /* legacy devices have no FEATURES_OK handshake */
	vm_set_status(vdev, VIRTIO_STATUS_FEATURES_OK);
	return vm_read(vdev, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK ? 0 : -ENODEV;
}

void virtio_read_config(struct virtio_device *vdev, unsigned int offset, void *buf,
			unsigned int len)
{
	u8 *p = buf;
	unsigned int i;

	/* Byte reads: the config space's fields are not all word aligned. */
	for (i = 0; i < len; i++)
		p[i] = readb((char *)vdev->base + VIRTIO_MMIO_CONFIG + offset + i);
}

void virtio_ready(struct virtio_device *vdev)
{
	vm_set_status(vdev, VIRTIO_STATUS_DRIVER_OK);
}

unsigned int virtio_queue_max(struct virtio_device *vdev, unsigned int index)
{
	vm_write(vdev, VIRTIO_MMIO_QUEUE_SEL, index);
	if (vdev->version >= 2 ? vm_read(vdev, VIRTIO_MMIO_QUEUE_READY) :
				 vm_read(vdev, VIRTIO_MMIO_QUEUE_PFN))
		return 0; /* already in use */
	return vm_read(vdev, VIRTIO_MMIO_QUEUE_NUM_MAX);
}

void virtio_queue_activate(struct virtio_device *vdev, unsigned int index,
			   unsigned int num, phys_addr_t desc, phys_addr_t avail,
			   phys_addr_t used)
{
	vm_write(vdev, VIRTIO_MMIO_QUEUE_SEL, index);
	vm_write(vdev, VIRTIO_MMIO_QUEUE_NUM, num);
	if (vdev->version < 2) {
		/* One page-aligned block; the used ring at the next page. */
		vm_write(vdev, VIRTIO_MMIO_QUEUE_ALIGN, VIRTIO_LEGACY_ALIGN);
		vm_write(vdev, VIRTIO_MMIO_QUEUE_PFN, (u32)(desc >> 12));
		return;
	}
	vm_write(vdev, VIRTIO_MMIO_QUEUE_DESC_LOW, (u32)desc);
	vm_write(vdev, VIRTIO_MMIO_QUEUE_DESC_HIGH, (u32)(desc >> 32));
	vm_write(vdev, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (u32)avail);
	vm_write(vdev, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, (u32)(avail >> 32));
	vm_write(vdev, VIRTIO_MMIO_QUEUE_USED_LOW, (u32)used);
	vm_write(vdev, VIRTIO_MMIO_QUEUE_USED_HIGH, (u32)(used >> 32));
	vm_write(vdev, VIRTIO_MMIO_QUEUE_READY, 1);
}

void virtio_queue_notify(struct virtio_device *vdev, unsigned int index)
{
	vm_write(vdev, VIRTIO_MMIO_QUEUE_NOTIFY, index);
}

static void vm_interrupt(unsigned int irq, void *data)
{
	struct virtio_device *vdev = data;
	u32 status = vm_read(vdev, VIRTIO_MMIO_INTERRUPT_STATUS);
	unsigned int i;

	(void)irq;
	vm_write(vdev, VIRTIO_MMIO_INTERRUPT_ACK, status);
	/* Bit 0: used buffers; bit 1 (configuration changed) is not used. */
	if (status & 1)
		for (i = 0; i < ARRAY_SIZE(vdev->vqs); i++)
			if (vdev->vqs[i])
				virtqueue_interrupt(vdev->vqs[i]);
}

static const struct virtio_driver *virtio_driver_for(u32 id)
{
	const struct virtio_driver *const *d;

	for (d = __virtio_drivers_start; d < __virtio_drivers_end; d++)
		if ((*d)->id == id)
			return *d;
	return NULL;
}

static int virtio_mmio_probe(struct device *dev)
{
	struct virtio_device *vdev;
	const struct virtio_driver *drv;
	u64 addr, size;
	int irq, err;
	void *base;

	if (device_reg(dev, 0, &addr, &size) || size < 0x200)
		return -EINVAL;
	base = ioremap(addr, size);
	if (!base)
		return -ENOMEM;
	/* QEMU has eight slots; an empty one reads device id 0. */
	if (readl(base) != VIRTIO_MMIO_MAGIC_VALUE ||
	    !readl((char *)base + VIRTIO_MMIO_DEVICE_ID)) {
		iounmap(base);
		return -ENODEV;
	}
	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev) {
		iounmap(base);
		return -ENOMEM;
	}
	vdev->base = base;
	vdev->name = dev->name;
	vdev->version = vm_read(vdev, VIRTIO_MMIO_VERSION);
	vdev->id = vm_read(vdev, VIRTIO_MMIO_DEVICE_ID);
	drv = virtio_driver_for(vdev->id);
	err = -ENODEV;
	if (vdev->version < 1 || vdev->version > 2 || !drv) {
		pr_info("%s: virtio device %u (version %u): no driver\n", dev->name,
			vdev->id, vdev->version);
		goto fail;
	}
	irq = fdt_device_irq(dev->fdt, dev->node, 0);
	if (irq <= 0 || !irq_nr_irqs()) {
		pr_warn("%s: no interrupt, device left alone\n", dev->name);
		goto fail;
	}
	vdev->irq = (unsigned int)irq;
	vdev->driver = drv;
	vm_write(vdev, VIRTIO_MMIO_STATUS, 0); /* reset */
	vm_set_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	if (vdev->version < 2)
		vm_write(vdev, VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTIO_LEGACY_ALIGN);
	err = request_irq(vdev->irq, vm_interrupt, vdev);
	if (err)
		goto fail;
	irq_set_name(vdev->irq, drv->name);
	err = drv->probe(vdev);
	if (!err) {
		dev->priv = vdev;
		return 0;
	}
	free_irq(vdev->irq);
	pr_warn("%s: %s: error %d\n", dev->name, drv->name, err);
fail:
	vm_write(vdev, VIRTIO_MMIO_STATUS, 0);
	virtio_free_vqs(vdev);
	iounmap(base);
	kfree(vdev);
	return err;
}

static const struct of_device_id virtio_mmio_ids[] = {
	{ "virtio,mmio", NULL },
	{ NULL, NULL },
};

static const struct driver virtio_mmio_driver = {
	.name = "virtio-mmio",
	.of_match = virtio_mmio_ids,
	.stage = DRIVER_STAGE_NORMAL,
	.probe = virtio_mmio_probe,
};
driver_register(virtio_mmio_driver);
