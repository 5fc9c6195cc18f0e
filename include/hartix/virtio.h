/* SPDX-License-Identifier: BSD-2-Clause */
/* virtio devices over the MMIO transport: feature negotiation, split virtqueues, drivers by device id. */
#ifndef HARTIX_VIRTIO_H
#define HARTIX_VIRTIO_H

#include <hartix/compiler.h>
#include <hartix/spinlock.h>
#include <hartix/types.h>

/* Device ids (virtio 1.2, 5). */
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_RNG 4

/* Transport feature bits the core itself negotiates. */
#define VIRTIO_F_VERSION_1 32

struct virtqueue;

struct virtio_device {
	void *base; /* the MMIO registers */
	unsigned int irq;
	u32 version; /* 1: legacy interface, 2: virtio 1.x */
	u32 id; /* VIRTIO_ID_* */
	u64 features; /* negotiated, after virtio_negotiate() */
	const char *name; /* the device-tree node's name */
	const struct virtio_driver *driver;
	/* Its queues, for the interrupt handler; set by virtio_find_vq(). */
	struct virtqueue *vqs[2];
	void *priv;
};

struct virtio_driver {
	const char *name;
	u32 id;
	/* Negotiates, sets up queues, registers; 0 or -errno (the device is reset). */
	int (*probe)(struct virtio_device *vdev);
};

#define virtio_driver_register(drv)                                           \
	static const struct virtio_driver *const __virtio_driver_##drv __used \
		__section(".virtio_drivers") __aligned(8) = &drv

/*
 * Offers the features of 'wanted' the device has (and VERSION_1 on a
 * virtio 1.x device), sets FEATURES_OK and checks the device kept it:
 * 0 or -ENODEV.
 */
int virtio_negotiate(struct virtio_device *vdev, u64 wanted);
static inline bool virtio_has_feature(const struct virtio_device *vdev, unsigned int bit)
{
	return vdev->features & (1ULL << bit);
}
/* Reads len bytes of the device-specific configuration at offset. */
void virtio_read_config(struct virtio_device *vdev, unsigned int offset, void *buf,
			unsigned int len);
/* Tells the device the driver is ready (DRIVER_OK): queues go live. */
void virtio_ready(struct virtio_device *vdev);

/*
 * One buffer of a request: a physical address (the kernel's direct map:
 * virt_to_phys() of kmalloc or alloc_pages memory) and its length.
 */
struct virtio_buf {
	phys_addr_t addr;
	u32 len;
};

/*
 * Sets up queue index with up to max_entries descriptors; callback runs
 * in interrupt context when the device used buffers. NULL on failure.
 */
struct virtqueue *virtio_find_vq(struct virtio_device *vdev, unsigned int index,
				 unsigned int max_entries,
				 void (*callback)(struct virtqueue *vq));
/*
 * Queues a request: nr_out buffers the device reads, then nr_in it
 * writes; token comes back from virtqueue_get_buf(). 0, or -ENOSPC when
 * the queue lacks free descriptors (retry after a completion).
 */
int virtqueue_add(struct virtqueue *vq, const struct virtio_buf *bufs,
		  unsigned int nr_out, unsigned int nr_in, void *token);
/* Notifies the device of what virtqueue_add() queued. */
void virtqueue_kick(struct virtqueue *vq);
/* The next request the device finished (its token, *len written), or NULL. */
void *virtqueue_get_buf(struct virtqueue *vq, u32 *len);
/* The descriptors the queue holds; a request needs one per buffer. */
unsigned int virtqueue_size(const struct virtqueue *vq);
/* The device the queue belongs to, and the driver's own pointer for it. */
struct virtio_device *virtqueue_device(const struct virtqueue *vq);

#endif
