/* SPDX-License-Identifier: BSD-2-Clause */
/* What the virtio transport and the virtqueue code tell each other. */
#ifndef DRIVERS_VIRTIO_INTERNAL_H
#define DRIVERS_VIRTIO_INTERNAL_H

#include <hartix/virtio.h>

/* The legacy interface's page size and used-ring alignment. */
#define VIRTIO_LEGACY_ALIGN 4096

/* The transport: queue index's size limit (0: absent or in use), activation, notification. */
unsigned int virtio_queue_max(struct virtio_device *vdev, unsigned int index);
void virtio_queue_activate(struct virtio_device *vdev, unsigned int index,
			   unsigned int num, phys_addr_t desc, phys_addr_t avail,
			   phys_addr_t used);
void virtio_queue_notify(struct virtio_device *vdev, unsigned int index);

/* The ring: the device used buffers (interrupt context); freeing after a reset. */
void virtqueue_interrupt(struct virtqueue *vq);
void virtio_free_vqs(struct virtio_device *vdev);

#endif
