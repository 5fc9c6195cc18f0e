/* SPDX-License-Identifier: BSD-2-Clause */
/* virtio-rng: random bytes from the host, mixed into the kernel's generator once interrupts run. */
#include <hartix/errno.h>
#include <hartix/printk.h>
#include <hartix/random.h>
#include <hartix/slab.h>
#include <hartix/virtio.h>
#include <asm/page.h>

#define VIRTIO_RNG_BYTES 64

/* The one request: filled by the device, consumed in its interrupt. */
static void virtio_rng_done(struct virtqueue *vq)
{
	u32 len = 0;
	u8 *buf = virtqueue_get_buf(vq, &len);

	if (!buf)
		return;
	random_add_entropy(buf, min(len, (u32)VIRTIO_RNG_BYTES));
	pr_info("%s: %u bytes of entropy\n", virtqueue_device(vq)->name, len);
	kfree(buf);
}

static int virtio_rng_probe(struct virtio_device *vdev)
{
	struct virtqueue *vq;
	struct virtio_buf b;
	u8 *buf;
	int err = virtio_negotiate(vdev, 0);

	if (err)
		return err;
	vq = virtio_find_vq(vdev, 0, 1, virtio_rng_done);
	if (!vq)
		return -ENODEV;
	buf = kmalloc(VIRTIO_RNG_BYTES, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	b = (struct virtio_buf){ virt_to_phys(buf), VIRTIO_RNG_BYTES };
	err = virtqueue_add(vq, &b, 0, 1, buf);
	if (err) {
		kfree(buf);
		return err;
	}
	virtio_ready(vdev);
	virtqueue_kick(vq);
	return 0;
}

static const struct virtio_driver virtio_rng_driver = {
	.name = "virtio-rng",
	.id = VIRTIO_ID_RNG,
	.probe = virtio_rng_probe,
};
virtio_driver_register(virtio_rng_driver);
